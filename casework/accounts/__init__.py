"""Staff accounts, roles, login and sessions."""
