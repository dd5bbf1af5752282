"""Reporting: periods from the plans' schedules, submissions drafted from evidence, approval,
consolidation up the tree with completeness and timeliness, and the official documents."""
