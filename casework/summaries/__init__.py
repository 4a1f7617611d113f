"""Per-unit, per-day and per-month counts that the statistics read instead of raw rows."""
