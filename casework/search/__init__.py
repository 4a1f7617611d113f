"""One search box: service users, cases and records, through a bigram index."""
