"""The HTTP service: the app, negotiation, HTTP helpers, routes and pages."""
