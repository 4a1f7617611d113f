"""Importing staff, volunteers and service users from spreadsheets."""
