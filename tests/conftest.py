import pytest

from tests.people import Cast


@pytest.fixture
def cast(db):
    return Cast()


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Each test writes media under its own folder and starts with an empty cache."""
    from django.core.cache import cache

    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


def login(client, user):
    """Log a cast member in (skipping the password step; 2FA is off unless a test asks)."""
    if user is not None:
        client.force_login(user, backend="alliage.accounts.backends.EmailBackend")
    return client


def text(response):
    """A response's HTML with entities decoded, for assertions on French text."""
    import html

    return html.unescape(response.content.decode())


MATRIX_ROLES = ["anonymous", "bob", "alice", "carol", "dan", "bea", "sam"]


def statuses(client, cast, path, method="get", data=None):
    """The status each role of MATRIX_ROLES gets for one request (permission matrices)."""
    got = []
    for role in MATRIX_ROLES:
        client.logout()
        login(client, cast.user(role))
        got.append(getattr(client, method)(path, data or {}).status_code)
    return tuple(got)
