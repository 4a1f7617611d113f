"""Notifications: an inbox per user with an unread badge, and, where the user chose it,
an email outside their quiet hours. Messages name records by their number, never a
resident: an email leaves the system."""
