"""Statistics, dashboards, exports and the monthly report (月报)."""
