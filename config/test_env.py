"""Test-run defaults, loaded as a pytest plugin (-p) before Django reads its settings."""

import os

# The development profile (no HTTPS redirect, plain static storage); Django's test
# runner still forces DEBUG off. Tasks run inline unless a test asks for the database.
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("TASKS_BACKEND", "immediate")
os.environ.setdefault("STAFF_2FA_REQUIRED", "0")
_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("ALLIAGE_VAR_DIR", os.path.join(_ROOT, "var", "test"))
