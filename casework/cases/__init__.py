"""Individual casework (个案工作): cases, their lifecycle and their records."""
