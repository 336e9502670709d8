"""Models of results."""
