"""Work enqueued by a request waits for its commit, then runs in a worker with its own
connection (tests elsewhere run tasks inline; these walk the production path)."""

from django.core import mail

from alliage.billing.models import Invoice
from alliage.core.models import Email
from alliage.events.models import Registration
from tests.conftest import login
from tests.events.conftest import make_event


def test_paid_registration_is_invoiced_and_confirmed_by_the_worker(client, cast, task_worker):
    event = make_event()
    login(client, cast.bob)
    response = client.post(f"/activites/{event.slug}/",
                           {"ticket_type": event.ticket_types.get().pk})
    assert response.status_code == 302
    registration = Registration.objects.get(contact=cast.bob.contact)
    # The request committed the seat and a draft invoice, and did no slow work itself.
    assert registration.status == "confirmed"
    invoice = registration.order.invoice
    assert invoice.is_draft and invoice.number in (None, "")
    assert mail.outbox == []
    assert "alliage.events.tasks.order_placed" in task_worker.waiting()

    assert task_worker.run() >= 2
    invoice.refresh_from_db()
    assert not invoice.is_draft and invoice.number.startswith("F")
    confirmation = Email.objects.get(to=cast.bob.contact.email, key__contains="registration")
    assert confirmation.sent_at is not None
    assert [m.to for m in mail.outbox].count([cast.bob.contact.email]) >= 1
    # A second pass (a retried job, a second worker) issues and sends nothing more.
    sent = len(mail.outbox)
    task_worker.run()
    assert len(mail.outbox) == sent
    assert Invoice.objects.filter(number=invoice.number).count() == 1


def test_invoices_issued_by_the_worker_are_numbered_without_gaps(client, cast, task_worker):
    events = [make_event(slug=f"soiree-{i}", capacity=10) for i in range(3)]
    for user in (cast.bob, cast.alice):
        login(client, user)
        for event in events:
            client.post(f"/activites/{event.slug}/", {"ticket_type": event.ticket_types.get().pk})
    assert Invoice.objects.filter(number__isnull=False).exclude(number="").count() == 0
    task_worker.run()
    numbers = sorted(int(n.split("-")[1]) for n in Invoice.objects.values_list("number", flat=True))
    assert len(numbers) == 6
    assert numbers == list(range(numbers[0], numbers[0] + 6))


def test_password_reset_mail_is_sent_by_the_worker_once(client, cast, task_worker):
    response = client.post("/compte/mot-de-passe/", {"email": "ALICE@acme.example"})
    assert response.status_code == 302
    assert mail.outbox == []
    assert task_worker.waiting() == ["alliage.core.tasks.send_email"]
    task_worker.run()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["alice@acme.example"]
    assert Email.objects.get().sent_at is not None
    task_worker.run()
    assert len(mail.outbox) == 1
