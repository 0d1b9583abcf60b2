"""The logged-in person from the shared cache (alliage.core.personcache, issue #12 item 12):
no query for the session, the user or the roles once warm, and never a stale header or a
session kept alive after a change of roles, password or account."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliage.core import personcache, roles
from alliage.core.roles import Role
from tests.conftest import login

PAGE = "/confidentialite/"  # any page with the header; logged in, never the page cache
MY_COMPANY = reverse("members:my_organisations")  # a member-company admin's header link
MANAGEMENT = reverse("core:staff_dashboard")       # staff's header link


@pytest.fixture
def cached(settings):
    """Production's set-up with a shared cache: cached_db sessions and the person cache."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.PERSON_CACHE = True


def header(client):
    response = client.get(PAGE)
    assert response.status_code == 200
    return re.search(r'<nav class="main-nav".*?</nav>', response.content.decode(),
                     re.S).group(0)


def warm(client):
    header(client)
    header(client)  # the second request stores the roles computed by the first, if any


def tables_read(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PAGE).status_code == 200
    return {t for q in queries.captured_queries
            for t in re.findall(r'FROM "(\w+)"', q["sql"])}


def test_a_members_warm_request_reads_no_session_user_or_role_from_the_database(cached, cast,
                                                                              client):
    login(client, cast.alice)
    warm(client)
    read = tables_read(client)
    assert not read & {"django_session", "accounts_user", "members_affiliation",
                       "members_organisation"}, read
    assert MY_COMPANY in header(client)


def test_without_a_shared_cache_every_request_reads_the_database_as_django_does(cast,
                                                                                 client):
    # The default in tests, as in development without REDIS_URL (settings: PERSON_CACHE off,
    # database sessions): a per-process cache could not see another worker's changes.
    login(client, cast.alice)
    warm(client)
    assert {"django_session", "accounts_user", "members_affiliation"} <= tables_read(client)


def test_becoming_a_company_admin_shows_my_company_on_the_next_page(cached, cast, client):
    login(client, cast.bob)
    warm(client)
    assert MY_COMPANY not in header(client)
    affiliation = cast.bob.contact.affiliations.get(organisation=cast.acme)
    affiliation.is_admin = True
    affiliation.save()
    assert MY_COMPANY in header(client)
    affiliation.delete()
    assert MY_COMPANY not in header(client)


def test_a_lapsed_company_takes_its_peoples_member_role_at_once(cached, cast, client):
    from alliage.members.services import refresh_organisation

    login(client, cast.bob)
    warm(client)
    assert Role.MEMBER_CONTACT in client.get(PAGE).context["viewer_roles"]
    # No membership on file: the status becomes "none" through QuerySet.update() (no signal).
    refresh_organisation(cast.acme)
    cast.acme.refresh_from_db()
    assert cast.acme.member_status == "none"
    assert Role.MEMBER_CONTACT not in client.get(PAGE).context["viewer_roles"]


def test_an_erased_person_loses_their_company_roles_at_once(cached, cast, client):
    from alliage.members.privacy import anonymise

    login(client, cast.alice)
    warm(client)
    assert MY_COMPANY in header(client)
    anonymise(cast.alice.contact, actor=cast.sam)
    assert MY_COMPANY not in header(client)


def test_staff_granted_or_taken_shows_in_the_header_on_the_next_page(cached, cast, client):
    login(client, cast.dan)
    warm(client)
    assert MANAGEMENT not in header(client)
    cast.dan.is_staff = True
    cast.dan.save()
    assert MANAGEMENT in header(client)
    cast.dan.is_staff = False
    cast.dan.save()
    assert MANAGEMENT not in header(client)


def test_a_password_change_elsewhere_still_ends_the_other_sessions(cached, cast):
    other = login(Client(), cast.bob)
    warm(other)
    cast.bob.set_password("un-nouveau-mot-de-passe")
    cast.bob.save()
    assert other.get(PAGE).context["user"].is_authenticated is False


def test_a_deactivated_account_is_logged_out_on_its_next_request(cached, cast, client):
    login(client, cast.bob)
    warm(client)
    cast.bob.is_active = False
    cast.bob.save()
    assert client.get(PAGE).context["user"].is_authenticated is False


def test_logging_out_ends_the_session_in_the_cache_too(cached, cast, client):
    login(client, cast.bob)
    warm(client)
    cookie = client.cookies["sessionid"].value
    client.post(reverse("accounts:logout"))
    replay = Client()
    replay.cookies["sessionid"] = cookie
    assert replay.get(PAGE).context["user"].is_authenticated is False


def test_a_reader_that_loaded_before_a_change_cannot_leave_its_copy_as_current(cached, cast,
                                                                              rf):
    """The race the stamps close: stamps read, then the role data changes (and commits),
    then the slow reader stores what it loaded. Its entry carries the old stamps: unused."""
    _entry, stamps = personcache._read(cast.bob.pk)
    roles.forget_roles()                     # the change, between the read and the store
    personcache._store(cast.bob.pk, stamps, cast.bob, {Role.PUBLIC, Role.STAFF})
    request = rf.get(PAGE)
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore

    request.session = SessionStore()
    request.session.update({SESSION_KEY: str(cast.bob.pk),
                            BACKEND_SESSION_KEY: "alliage.accounts.backends.EmailBackend",
                            HASH_SESSION_KEY: cast.bob.get_session_auth_hash()})
    user = personcache.get_user(request)
    assert user.pk == cast.bob.pk
    assert Role.STAFF not in roles.roles_of(user)
    assert Role.MEMBER_CONTACT in roles.roles_of(user)


def test_a_cached_user_carries_nothing_from_the_request_that_stored_it(cached, cast, client):
    login(client, cast.alice)
    warm(client)
    _entry_key, = [personcache._entry_key(cast.alice.pk)]
    from django.core.cache import cache

    _everyone, _person, user, stored_roles = cache.get(_entry_key)
    assert not [a for a in vars(user) if a.startswith("_alliage_")]
    assert user._state.fields_cache == {}
    assert stored_roles == frozenset(roles.roles_of(cast.alice))


def test_on_redis_as_in_production_a_role_change_shows_at_once(cached, cast, client,
                                                              settings):
    from tests.core.test_rediscache import _redis_available

    if not _redis_available():
        pytest.skip("no Redis server on 127.0.0.1:6379")
    import uuid

    settings.CACHES = {"default": {
        "BACKEND": "alliage.core.rediscache.ReusedClientRedisCache",
        "LOCATION": "redis://127.0.0.1:6379/0", "KEY_PREFIX": f"alliage-test-{uuid.uuid4().hex}"}}
    login(client, cast.bob)
    warm(client)
    assert not tables_read(client) & {"django_session", "accounts_user", "members_affiliation"}
    affiliation = cast.bob.contact.affiliations.get(organisation=cast.acme)
    affiliation.is_admin = True
    affiliation.save()
    assert MY_COMPANY in header(client)
