"""The stages of a case's procedure, one module each, in the order of the Criminal Procedure Law."""
