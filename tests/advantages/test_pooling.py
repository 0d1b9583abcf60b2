"""Pooled resources: no double booking (also under concurrency on PostgreSQL), the owner's
approval, the month's cost split by usage, invoices when the association owns it."""

import threading
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from alliage.advantages import pooling
from alliage.advantages.models import Booking
from tests.advantages.conftest import make_resource


def _at(day_offset, hour):
    base = timezone.localdate() + timedelta(days=day_offset)
    return timezone.make_aware(datetime(base.year, base.month, base.day, hour))


def test_an_overlapping_booking_is_refused_and_touching_ones_are_fine(cast, resource):
    pooling.booking_request(resource=resource, organisation=cast.acme, starts_at=_at(3, 9),
                            ends_at=_at(3, 12), actor=cast.alice)
    with pytest.raises(pooling.SlotTaken):
        pooling.booking_request(resource=resource, organisation=cast.rival,
                                starts_at=_at(3, 11), ends_at=_at(3, 14), actor=cast.carol)
    with pytest.raises(pooling.SlotTaken):  # inside
        pooling.booking_request(resource=resource, organisation=cast.rival,
                                starts_at=_at(3, 10), ends_at=_at(3, 11), actor=cast.carol)
    pooling.booking_request(resource=resource, organisation=cast.rival, starts_at=_at(3, 12),
                            ends_at=_at(3, 15), actor=cast.carol)  # starts when it ends
    assert Booking.objects.count() == 2


def test_a_refused_or_cancelled_booking_frees_its_slot(cast, resource):
    b = pooling.booking_request(resource=resource, organisation=cast.acme, starts_at=_at(3, 9),
                                ends_at=_at(3, 12), actor=cast.alice)
    pooling.booking_decide(booking=b, actor=cast.sam, approve=False)
    b2 = pooling.booking_request(resource=resource, organisation=cast.rival,
                                 starts_at=_at(3, 9), ends_at=_at(3, 12), actor=cast.carol)
    pooling.booking_cancel(booking=b2, actor=cast.carol)
    pooling.booking_request(resource=resource, organisation=cast.acme, starts_at=_at(3, 9),
                            ends_at=_at(3, 12), actor=cast.alice)


def test_bad_slots_are_refused(cast, resource):
    with pytest.raises(ValidationError):
        pooling.booking_request(resource=resource, organisation=cast.acme,
                                starts_at=_at(3, 12), ends_at=_at(3, 9), actor=cast.alice)
    with pytest.raises(ValidationError):
        pooling.booking_request(resource=resource, organisation=cast.acme,
                                starts_at=_at(-1, 9), ends_at=_at(-1, 12), actor=cast.alice)
    with pytest.raises(PermissionDenied):
        pooling.booking_request(resource=resource, organisation=cast.prospect,
                                starts_at=_at(3, 9), ends_at=_at(3, 12), actor=cast.dan)


def test_the_owner_approves_a_member_owned_resource_and_nobody_else(cast, mailoutbox):
    scanner = make_resource(name_fr="Numériseur 3D", owner=cast.rival)
    b = pooling.booking_request(resource=scanner, organisation=cast.acme, starts_at=_at(2, 9),
                                ends_at=_at(2, 11), actor=cast.alice)
    assert b.status == Booking.Status.PENDING
    with pytest.raises(PermissionDenied):
        pooling.booking_decide(booking=b, actor=cast.alice, approve=True)
    asked = [m for m in mailoutbox if m.subject == "Réservation à décider : Numériseur 3D"]
    assert [m.to[0] for m in asked] == ["carol@rival.example"]  # the owner's admin
    pooling.booking_decide(booking=b, actor=cast.carol, approve=True)
    b.refresh_from_db()
    assert b.status == Booking.Status.APPROVED
    told = [m for m in mailoutbox if m.subject == "Réservation approuvée : Numériseur 3D"]
    assert [m.to[0] for m in told] == ["alice@acme.example"]
    own = pooling.booking_request(resource=scanner, organisation=cast.rival,
                                  starts_at=_at(2, 13), ends_at=_at(2, 14), actor=cast.carol)
    assert own.status == Booking.Status.APPROVED  # the owner's own use
    with pytest.raises(ValidationError):
        pooling.bill_month(resource=scanner, year=2026, month=1, actor=cast.sam)


def _approved(resource, org, start, hours):
    return Booking.objects.create(resource=resource, organisation=org, starts_at=start,
                                  ends_at=start + timedelta(hours=hours),
                                  status=Booking.Status.APPROVED)


def test_the_month_cost_is_split_by_usage_and_invoiced_once(cast):
    advisor = make_resource(kind="specialist", name_fr="Conseillère RH partagée",
                            monthly_cost_cents=300000, hourly_rate_cents=0)
    start = timezone.make_aware(datetime(2026, 2, 3, 9))
    _approved(advisor, cast.acme, start, 10)
    _approved(advisor, cast.acme, start + timedelta(days=7), 10)
    _approved(advisor, cast.rival, start + timedelta(days=1), 10)
    _approved(advisor, cast.rival, timezone.make_aware(datetime(2026, 3, 1, 9)), 40)  # March
    split = pooling.month_split(advisor, 2026, 2)
    assert split == {cast.acme.pk: (20.0, 200000), cast.rival.pk: (10.0, 100000)}
    invoices = pooling.bill_month(resource=advisor, year=2026, month=2, actor=cast.sam)
    assert sorted(i.subtotal_cents for i in invoices) == [100000, 200000]
    assert all(i.number for i in invoices)
    assert pooling.bill_month(resource=advisor, year=2026, month=2, actor=cast.sam) == []
    assert Booking.objects.filter(invoice__isnull=False).count() == 3


def test_hourly_resources_cost_their_hours(cast, resource):
    start = timezone.make_aware(datetime(2026, 2, 3, 9))
    _approved(resource, cast.acme, start, 2.5)
    assert pooling.month_split(resource, 2026, 2) == {cast.acme.pk: (2.5, 10000)}


@pytest.mark.django_db(transaction=True)
def test_no_double_booking_when_members_book_the_same_slot_at_once():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency is tested on PostgreSQL")
    from tests.people import Cast

    cast = Cast()
    resource = make_resource()
    orgs = [cast.acme, cast.rival] * 4
    barrier = threading.Barrier(len(orgs))
    outcomes = []

    def book(org, i):
        from django.db import connections

        try:
            barrier.wait()
            # Eight overlapping slots, all around the same hour.
            pooling.booking_request(resource=resource, organisation=org,
                                    starts_at=_at(5, 9) + timedelta(minutes=5 * i),
                                    ends_at=_at(5, 11), actor=None)
            outcomes.append("ok")
        except pooling.SlotTaken:
            outcomes.append("taken")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(o, i)) for i, o in enumerate(orgs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1 and outcomes.count("taken") == 7
    assert Booking.objects.holding().count() == 1


def test_a_refusal_asks_first_and_an_approval_does_not(client, cast):
    from tests.conftest import login

    scanner = make_resource(name_fr="Numériseur 3D", owner=cast.rival)
    first = pooling.booking_request(resource=scanner, organisation=cast.acme,
                                    starts_at=_at(3, 9), ends_at=_at(3, 10), actor=cast.alice)
    second = pooling.booking_request(resource=scanner, organisation=cast.acme,
                                     starts_at=_at(4, 9), ends_at=_at(4, 10), actor=cast.alice)
    login(client, cast.carol)
    url = f"/avantages/reservations/{first.pk}/decision/"
    asked = client.post(url, {"decision": "refuse"})
    assert asked.status_code == 200 and "Refuser la réservation" in asked.content.decode()
    first.refresh_from_db()
    assert first.status == Booking.Status.PENDING  # nothing changed before the answer
    assert client.post(url, {"decision": "refuse", "confirmed": "1"}).status_code == 302
    first.refresh_from_db()
    assert first.status == Booking.Status.REFUSED
    assert client.post(f"/avantages/reservations/{second.pk}/decision/",
                       {"decision": "approve"}).status_code == 302
    second.refresh_from_db()
    assert second.status == Booking.Status.APPROVED
    # A decided booking is not decided again (no state skip), and nothing breaks.
    assert client.post(url, {"decision": "approve"}).status_code == 302
    first.refresh_from_db()
    assert first.status == Booking.Status.REFUSED
