"""The front ends: the command line, the transcript command and the classroom page."""
