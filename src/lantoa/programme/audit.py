"""Audit registration of the registers' models (one block per register)."""
