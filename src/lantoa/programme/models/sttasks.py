"""Filled by its helper."""
