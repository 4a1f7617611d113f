"""The start page each role sees after login."""
