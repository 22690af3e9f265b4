"""Issue 8: the service and the build under hostile input."""
