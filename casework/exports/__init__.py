"""Exports: the lists of every domain as CSV or XLSX, masked unless a reason is given."""
