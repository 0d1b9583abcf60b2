"""Models of member advantages."""
