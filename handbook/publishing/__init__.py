"""Publishing: revisions in force, drafts and review, acknowledgements, follows, required reading, ownership, feedback, notifications and mail, and Word import."""
