"""Who is acting: local accounts, roles and permissions, sessions and lockout, the trusted proxy header, OIDC single sign-on, user administration and the audit log."""
