"""Schemathesis fuzzes every operation of /api/v1/openapi.json in process (WSGI, no network).

Each identity (anonymous, a member company's admin, staff) runs every operation through the
examples, coverage (boundary and negative values) and fuzzing phases with every built-in
check: no 5xx, no status or content type the OpenAPI does not declare, every body valid
against its declared schema, invalid input refused, authentication not ignored. Generation
is derandomised with a fixed seed, so a run is repeatable and its length bounded.

Marked ``fuzz``: CI runs it once, on PostgreSQL (see ``.ci/run``); ``make test`` runs it too.
"""

from datetime import date

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from alliage.accounts.services import api_token_create
from alliage.members.models import Membership
from alliage.symbiosis import services as symbiosis
from alliage.symbiosis.models import Stream, Synergy
from config.wsgi import application
from tests.people import Cast

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

MAX_EXAMPLES = 25
CONFIG = SchemathesisConfig.from_dict({
    "seed": 11,  # issue #11
    "generation": {"max-examples": MAX_EXAMPLES, "database": "none"},
    "checks": {"enabled": True},
})
HYPOTHESIS = settings(derandomize=True, max_examples=MAX_EXAMPLES, deadline=None,
                      database=None, suppress_health_check=list(HealthCheck), print_blob=False)

# The document the app serves, fetched through WSGI like every request below. Serving it
# touches no database, so it can load at collection.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG)


def bearer(user):
    _token, raw = api_token_create(user=user, name="fuzz")
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The cast plus one row behind each list, built once for the module's 30 tests.

    Built inside a transaction that is rolled back at the end; each test runs in a savepoint
    of it (pytest-django's ``django_db``), so nothing leaks to other modules.
    """
    fast = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        cast = Cast()
        offer = Stream.objects.create(
            organisation=cast.acme, kind="offer", title="Bran de scie",
            description="Bran de scie sec", quantity=100, unit="t/an", confidentiality="public")
        need = Stream.objects.create(
            organisation=cast.rival, kind="need", title="Litière",
            description="Litière pour nos poulaillers", quantity=80, unit="t/an",
            confidentiality="anonymous")
        for stream in (offer, need):
            symbiosis.stream_publish(stream=stream, actor=cast.sam)
        # stream_publish matches on commit; this transaction never commits.
        symbiosis.match_stream_now(offer.pk)
        Membership.objects.create(
            organisation=cast.acme, membership_type=cast.regular, period_start=date(2025, 7, 1),
            period_end=date(2026, 6, 30), status="active", fee_cents=27500)
        Synergy.objects.create(supplier=cast.acme, receiver=cast.rival, material="Bran de scie",
                               tonnes_per_year=120, started_on=date(2024, 1, 15))
        from alliage.events import services as events
        from tests.events.conftest import make_event

        event = make_event(slug="golf", capacity=50)
        events.order_create(event=event, ticket_type=event.ticket_types.get(),
                            buyer=cast.bob.contact, attendees=[cast.bob.contact],
                            organisation=cast.acme)
        cast.headers = {name: bearer(user) for name, user in (("member", cast.alice),
                                                              ("staff", cast.sam))}
        yield cast
        transaction.set_rollback(True)


@pytest.fixture(scope="module", autouse=True)
def _wsgi_requests_keep_the_test_transaction():
    """Django closes "old" connections when each request starts and ends; inside a test
    transaction that would drop the test's data. Django's own test client unhooks the same
    receiver around its requests."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# What the run covered, printed by tests/api/conftest.py (when pytest runs without xdist).
TALLY = {"operations": set(), "examples": 0}


def fuzz(case, headers=None):
    TALLY["operations"].add(case.operation.label)
    TALLY["examples"] += 1
    case.call_and_validate(headers=headers)


@schema.parametrize()
@HYPOTHESIS
def test_api_anonymously(case, world):
    fuzz(case)


@schema.parametrize()
@HYPOTHESIS
def test_api_as_a_member_admin(case, world):
    fuzz(case, world.headers["member"])


@schema.parametrize()
@HYPOTHESIS
def test_api_as_staff(case, world):
    fuzz(case, world.headers["staff"])
