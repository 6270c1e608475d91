"""Checklists: the YAML schema with file:line problems, deadlines for a case, runs with ticks and corrections, Mine frister, and after-hours guidance."""
