"""Models of regional products."""
