"""The JSON API (/api/v1/) for the systems a bureau already runs: personal API tokens, the
same visibility queries and permission predicates as the pages, and an OpenAPI document
generated from the code (flask-smorest)."""
