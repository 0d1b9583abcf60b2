from datetime import timedelta

import time_machine

from alliage.events import services
from alliage.events.models import Certificate, Session
from alliage.events.tasks import render_badges_pdf, render_certificate_pdf
from tests.conftest import login, text
from tests.events.conftest import make_event


def _cohort(cast):
    event = make_event(slug="efficacite-2", kind="training", capacity=10, attendance_threshold=80)
    start = event.starts_at
    sessions = [Session.objects.create(event=event, title=f"Module {i}",
                                       starts_at=start + timedelta(days=7 * i),
                                       ends_at=start + timedelta(days=7 * i, hours=5))
                for i in range(5)]
    order = services.order_create(event=event, ticket_type=event.ticket_types.get(),
                                  buyer=cast.alice.contact,
                                  attendees=[cast.alice.contact, cast.bob.contact],
                                  organisation=cast.acme)
    alice, bob = order.registrations.order_by("contact__first_name")
    return event, sessions, alice, bob


def test_certificate_only_at_the_attendance_threshold(cast, mailoutbox):
    event, sessions, alice, bob = _cohort(cast)
    for i, session in enumerate(sessions):
        present = {alice.pk} | ({bob.pk} if i < 3 else set())  # bob: 3 of 5 = 60 %
        services.attendance_record(session=session, present_ids=present, actor=cast.sam)
    assert services.attended_hours(alice) == 25 and services.attended_hours(bob) == 15
    issued = services.certificates_issue(event=event, actor=cast.sam)
    assert [c.registration for c in issued] == [alice]
    assert services.certificates_issue(event=event) == []  # once only
    certificate = Certificate.objects.get()
    assert render_certificate_pdf.call(certificate.pk) in ("rendered", "exists")
    certificate.refresh_from_db()
    assert certificate.pdf.read(5) == b"%PDF-"
    assert any("attestation" in m.subject.lower() for m in mailoutbox)


def test_certificate_is_publicly_verifiable(client, cast):
    event, sessions, alice, _bob = _cohort(cast)
    for session in sessions:
        services.attendance_record(session=session, present_ids={alice.pk}, actor=cast.sam)
    certificate = services.certificates_issue(event=event)[0]
    html = text(client.get(f"/attestations/{certificate.code}/"))
    assert "Attestation authentique" in html and "Alice Tremblay" in html
    assert client.get("/attestations/faux-code/").status_code == 404
    login(client, cast.carol)
    assert client.get(f"/attestations/{certificate.code}/pdf/").status_code == 404


def test_qr_check_in_and_badges(client, cast):
    event, _sessions, alice, _bob = _cohort(cast)
    login(client, cast.alice)
    ticket = client.get(f"/activites/{event.slug}/mon-billet/")
    assert b"<svg" in ticket.content
    login(client, cast.sam)
    client.post(f"/gestion/activites/accueil/{alice.code}/")
    alice.refresh_from_db()
    assert alice.checked_in_at is not None
    assert render_badges_pdf.call(event.pk, [alice.pk], "badges/test.pdf") == "rendered"
    response = client.get(f"/gestion/activites/{event.slug}/porte-noms.pdf")
    assert response.status_code in (200, 202)


def test_reminders_and_follow_ups_are_sent_once(cast, mailoutbox):
    event = make_event(slug="webinaire", kind="webinar", online_url="https://meet.example/x")
    services.order_create(event=event, ticket_type=event.ticket_types.get(),
                          buyer=cast.bob.contact, attendees=[cast.bob.contact],
                          organisation=cast.acme)
    with time_machine.travel(event.starts_at - timedelta(days=1)):
        assert services.daily_run()["reminders"] == 1
        assert services.daily_run()["reminders"] == 0
    reminder = next(m for m in mailoutbox if m.subject.startswith("Rappel"))
    assert "https://meet.example/x" in reminder.body
    event.registrations.update(checked_in_at=event.starts_at)
    with time_machine.travel(event.ends_at + timedelta(hours=5)):
        assert services.daily_run()["follow_ups"] == 1
        assert services.daily_run()["follow_ups"] == 0


def test_approval_flow(client, cast):
    event = make_event(slug="delegation", kind="delegation", requires_approval=True)
    order = services.order_create(event=event, ticket_type=event.ticket_types.get(),
                                  buyer=cast.bob.contact, attendees=[cast.bob.contact],
                                  organisation=cast.acme)
    registration = order.registrations.get()
    assert registration.status == "pending"
    login(client, cast.sam)
    client.post(f"/gestion/activites/{event.slug}/inscriptions/{registration.pk}/decision/",
                {"decision": "refuse"})
    registration.refresh_from_db()
    assert registration.status == "refused"
    assert order.invoice.credit_notes.count() == 1


def test_certificate_pdf_waits_then_opens_by_itself(client, cast, settings):
    """Issue #14 leftover: the certificate's first click shows the page that waits for the
    PDF (htmx polls: 204, then HX-Redirect), as invoices and badges do."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                  "QUEUES": ["default", "mail", "mailing", "reports"]}}
    event, sessions, alice, _bob = _cohort(cast)
    for session in sessions:
        services.attendance_record(session=session, present_ids={alice.pk}, actor=cast.sam)
    certificate = services.certificates_issue(event=event)[0]
    login(client, cast.alice)
    url = f"/attestations/{certificate.code}/pdf/"
    first = client.get(url)
    page = first.content.decode()
    assert first.status_code == 202 and f'hx-get="{url}"' in page
    assert 'hx-trigger="every 2s"' in page and f"Attestation {certificate.code}" in text(first)
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 204
    render_certificate_pdf.call(certificate.pk)
    ready = client.get(url, HTTP_HX_REQUEST="true")
    assert ready["HX-Redirect"] == url
    assert client.get(url)["Content-Type"] == "application/pdf"
