"""Models of public site."""
