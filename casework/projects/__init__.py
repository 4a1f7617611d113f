"""Government-purchased social-work services: agencies, projects and their evaluations."""
