"""What people read: tables, figures, the study report, narration, generated documentation."""
