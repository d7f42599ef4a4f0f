"""BFCL multi-turn helpers shared by the BFCL-compatible environments of every domain."""
