"""The work calendar: group sessions, activities and case dates, and its iCalendar feed."""
