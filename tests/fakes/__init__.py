"""Fake servers standing in for outside services in the tests (never a mock: real HTTP on
127.0.0.1)."""
