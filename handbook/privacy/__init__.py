"""Privacy: CPR detection, the CPR guard inside SQLite, and user text made safe for Markdown, HTML and CSV."""
