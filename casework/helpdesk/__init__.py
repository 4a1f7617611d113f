"""The residents' help channel (求助通道): public requests, tracking codes, staff triage."""
