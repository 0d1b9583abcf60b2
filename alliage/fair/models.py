"""Models of virtual industrial fair."""
