"""Shared pieces: Vietnamese text folding, the scoping mechanism, base views and API classes."""
