"""Lantoa: plans, evidence, reports and public communication for Resolution 57-NQ/TW."""
