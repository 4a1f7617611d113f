"""Dashboards: the tutor's and the station head's day at a glance, and the bureau's overview."""
