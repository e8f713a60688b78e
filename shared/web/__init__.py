"""The web layer: the Flask app factory, auth, HTTP errors, rate limits, OpenAPI, request parsing."""
