"""Models of support services."""
