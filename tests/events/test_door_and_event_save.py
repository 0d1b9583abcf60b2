"""The services behind the check-in desk and the staff event page (issue #21, item 2), and
the render-once PDF store shared by certificates and invoices (item 3)."""

import threading

import pytest
from django.db import IntegrityError, connection
from django.utils import timezone

from alliage.core.models import AuditLog
from alliage.core.pdfstore import store_once
from alliage.events import checkin, selectors, services
from alliage.events.forms import EventForm, session_formset, sponsor_formset, ticket_formset
from alliage.events.models import Certificate, Event, Registration
from tests.events.conftest import make_event
from tests.events.test_staff_pages import _data


def _register(event, contact, organisation=None):
    order = services.order_create(event=event, ticket_type=event.ticket_types.get(),
                                  buyer=contact, attendees=[contact], organisation=organisation)
    return order.registrations.get()


def test_desk_admits_a_confirmed_ticket_once_scanned_or_typed(cast):
    event = make_event()
    registration = _register(event, cast.alice.contact, cast.acme)
    scanned = f"https://alliage.example/gestion/activites/accueil/{registration.code}/"
    first = checkin.desk_admit(event=event, scanned=f"  {scanned} ", actor=cast.sam)
    assert (first.level, first.registration) == ("success", registration)
    registration.refresh_from_db()
    arrived = registration.checked_in_at
    assert arrived is not None
    assert AuditLog.objects.filter(action="event.check_in", actor=cast.sam).count() == 1
    second = checkin.desk_admit(event=event, scanned=registration.code, actor=cast.sam)
    assert (second.level, second.registration) == ("warning", registration)
    assert timezone.localtime(arrived).strftime("%H:%M") in second.text
    registration.refresh_from_db()
    assert registration.checked_in_at == arrived
    assert AuditLog.objects.filter(action="event.check_in").count() == 1  # not again


def test_desk_refuses_unknown_blank_other_event_and_unconfirmed_tickets(cast):
    event, other = make_event(), make_event(slug="autre", capacity=5)
    elsewhere = _register(other, cast.bob.contact, cast.acme)
    cancelled = _register(event, cast.carol.contact, cast.rival)
    pending = _register(event, cast.alice.contact, cast.acme)
    Registration.objects.filter(pk=cancelled.pk).update(status=Registration.Status.CANCELLED)
    Registration.objects.filter(pk=pending.pk).update(status=Registration.Status.PENDING)
    for scanned, registration in [("nope", None), ("", None), ("   ", None), (None, None),
                                  ("https://x.example/", None), (elsewhere.code, elsewhere),
                                  (cancelled.code, cancelled), (pending.code, pending)]:
        admission = checkin.desk_admit(event=event, scanned=scanned, actor=cast.sam)
        assert (admission.level, admission.registration) == ("error", registration), scanned
    assert not Registration.objects.filter(checked_in_at__isnull=False).exists()
    assert not AuditLog.objects.filter(action="event.check_in").exists()


def test_desk_search_needs_two_characters_and_matches_every_word(cast):
    event = make_event(capacity=10)
    alice = _register(event, cast.alice.contact, cast.acme)
    bob = _register(event, cast.bob.contact, cast.acme)
    carol = _register(event, cast.carol.contact, cast.rival)
    _register(make_event(slug="autre"), cast.dan.contact, cast.prospect)
    assert list(selectors.desk_search(event=event, q="a")) == []
    assert list(selectors.desk_search(event=event, q="  ")) == []
    company = cast.acme.legal_name.split()[0]
    assert set(selectors.desk_search(event=event, q=company)) == {alice, bob}
    assert list(selectors.desk_search(event=event, q=f"{company} bob")) == [bob]
    assert list(selectors.desk_search(event=event, q="simard")) == [carol]
    assert list(selectors.desk_search(event=event, q="simard bob")) == []
    assert list(selectors.desk_search(event=event, q="savard")) == []  # another event's


def test_desk_counts_arrivals_against_confirmed_registrations(cast):
    event = make_event(capacity=10)
    alice = _register(event, cast.alice.contact, cast.acme)
    bob = _register(event, cast.bob.contact, cast.acme)
    Registration.objects.filter(pk=bob.pk).update(status=Registration.Status.CANCELLED)
    assert selectors.desk_counts(event) == {"present": 0, "expected": 1}
    checkin.check_in(registration=alice, actor=cast.sam)
    assert selectors.desk_counts(event) == {"present": 1, "expected": 1}


def _bound(data, event=None):
    event = event or Event()
    form = EventForm(data, instance=event)
    formsets = [ticket_formset()(data, instance=event, prefix="tickets"),
                session_formset()(data, instance=event, prefix="sessions"),
                sponsor_formset()(data, {}, instance=event, prefix="sponsors")]
    assert form.is_valid() and all(f.is_valid() for f in formsets)
    return form, formsets


def test_event_save_gives_a_repeated_title_a_numbered_slug_and_keeps_it_on_edit(cast):
    form, formsets = _bound(_data())
    first = services.event_save(form=form, formsets=formsets, actor=cast.sam)
    form, formsets = _bound(_data())
    second = services.event_save(form=form, formsets=formsets, actor=cast.sam)
    assert (first.slug, second.slug) == ("tournoi-de-golf-2027", "tournoi-de-golf-2027-2")
    assert second.ticket_types.get().public_price_cents == 27500
    assert second.questions == ["Handicap", "Restrictions alimentaires"]
    form, formsets = _bound(_data(title_fr="Omnium de golf", **{"tickets-TOTAL_FORMS": "0"}),
                            Event.objects.get(pk=second.pk))
    edited = services.event_save(form=form, formsets=formsets, actor=cast.sam)
    assert (edited.slug, edited.title_fr) == ("tournoi-de-golf-2027-2", "Omnium de golf")
    assert edited.ticket_types.count() == 1
    actions = list(AuditLog.objects.filter(actor=cast.sam, object_id=str(second.pk))
                   .values_list("action", flat=True).order_by("pk"))
    assert actions == ["event.create", "event.update"]


class _FailingFormset:
    """A formset whose save hits the database's refusal (e.g. a constraint)."""

    instance = None

    def save(self):
        raise IntegrityError("refused")


def test_event_save_is_all_or_nothing(cast):
    form, formsets = _bound(_data())
    with pytest.raises(IntegrityError):
        services.event_save(form=form, formsets=[*formsets, _FailingFormset()], actor=cast.sam)
    assert not Event.objects.exists()
    assert not AuditLog.objects.filter(action="event.create").exists()


def test_pdf_is_stored_once_and_never_replaced(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    event = make_event()
    certificate = Certificate.objects.create(
        registration=_register(event, cast.alice.contact, cast.acme), hours=2)
    stale = Certificate.objects.get(pk=certificate.pk)  # read before anybody stored a file

    def name(locked):
        return f"attestation-{locked.code}.pdf"

    assert store_once(certificate, render=lambda c: b"%PDF-first", filename=name) == "rendered"
    # Another worker rendered meanwhile: its copy is checked again under the lock.
    assert store_once(stale, render=lambda c: b"%PDF-second", filename=name) == "exists"

    def must_not_render(_certificate):
        raise AssertionError("a stored PDF is not rendered again")

    certificate.refresh_from_db()
    assert store_once(certificate, render=must_not_render, filename=name) == "exists"
    assert certificate.pdf.name.endswith(".pdf") and certificate.code in certificate.pdf.name
    with certificate.pdf.open("rb") as fh:
        assert fh.read() == b"%PDF-first"


def test_attendance_and_certificates_add_five_points_each_up_to_their_caps(cast):
    from alliage.members import engagement

    def parts():
        return {p.key: p.points for p in engagement.score(cast.acme)[1]}

    registrations = [_register(make_event(slug=f"formation-{i}"), cast.alice.contact,
                               cast.acme) for i in range(6)]
    assert "events" not in parts() and "training" not in parts()
    Registration.objects.filter(pk=registrations[0].pk).update(checked_in_at=timezone.now())
    assert parts()["events"] == 5
    Registration.objects.update(checked_in_at=timezone.now())
    assert parts()["events"] == 25                       # 6 × 5, capped at 25
    Certificate.objects.create(registration=registrations[0], hours=2)
    assert parts()["training"] == 5
    for registration in registrations[1:4]:
        Certificate.objects.create(registration=registration, hours=2)
    assert parts()["training"] == 15                     # 4 × 5, capped at 15


@pytest.mark.django_db(transaction=True)
def test_one_ticket_scanned_at_once_on_several_phones_gets_one_welcome():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency is tested on PostgreSQL")
    from tests.people import Cast

    cast = Cast()
    event = make_event()
    registration = _register(event, cast.alice.contact, cast.acme)
    barrier = threading.Barrier(4)
    levels = []

    def scan():
        from django.db import connections

        try:
            barrier.wait()
            levels.append(checkin.desk_admit(event=event, scanned=registration.code,
                                             actor=cast.sam).level)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scan) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(levels) == ["success", "warning", "warning", "warning"]
    assert AuditLog.objects.filter(action="event.check_in").count() == 1
