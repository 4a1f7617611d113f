"""The audit log page: who did what to which record, for the readers allowed to see it."""
