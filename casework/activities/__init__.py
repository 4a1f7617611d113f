"""Community activities: campaigns, free clinics, clean-ups and their participants."""
