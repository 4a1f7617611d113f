"""Attachments (附件): signed agreements, consent forms and other documents of cases and people."""
