import sys

import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The cast's six accounts cost ~10 s of PBKDF2 per test on a loaded 2-core machine;
    these tests are about the API, not password storage."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(items):
    """One node id per API operation in the fuzzing tests.

    schemathesis 4.32 names each item ``test_api_as_staff[GET /api/v1/…]``, but pytest 9.2
    builds node ids from the original name and a parametrize callspec only, so every
    operation of a test got the same id (ambiguous failure lines and ``-k``-free selection).
    """
    for item in items:
        node_id = getattr(item, "_id", None)
        if (type(item).__name__ != "SchemathesisFunction" or node_id is None
                or node_id.params is not None or not item.name.endswith("]")):
            continue
        item._id = node_id.with_params(item.name[len(item.originalname) + 1:-1])


def pytest_terminal_summary(terminalreporter):
    fuzz = sys.modules.get("tests.api.test_fuzz")
    if fuzz is not None and fuzz.TALLY["examples"]:
        terminalreporter.write_line(
            f"schemathesis: {len(fuzz.TALLY['operations'])} operations x 3 identities, "
            f"{fuzz.TALLY['examples']} generated requests checked")
