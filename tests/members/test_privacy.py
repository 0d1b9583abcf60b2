import json
from datetime import timedelta

import time_machine
from django.utils import timezone

from alliage.billing import services as billing
from alliage.core.models import Email
from alliage.members import privacy
from alliage.members.models import Affiliation, Contact, ErasureRequest, MemberStatus
from tests.conftest import login, text


def test_person_downloads_a_complete_export(client, cast, mailoutbox):
    from alliage.core.mail import queue_email

    queue_email(key="t1", to="bob@acme.example", template="password_reset",
                context={"reset_path": "/x"})
    login(client, cast.bob)
    response = client.get("/compte/mes-donnees.json")
    data = json.loads(response.content)
    assert data["person"]["email"] == "bob@acme.example"
    assert data["affiliations"][0]["organisation"] == "Usinage Précision Acme inc."
    assert data["account"]["email"] == "bob@acme.example"
    assert len(data["messages"]) == 1


def test_erasure_request_then_staff_approval_anonymises(client, cast):
    invoice = billing.invoice_create(organisation=cast.acme, lines=[billing.Line("x", 100)])
    assert invoice.bill_to_email == "alice@acme.example"
    login(client, cast.alice)
    client.post("/compte/effacement/", {"reason": "Je quitte l'entreprise", "confirmed": "1"})
    request = ErasureRequest.objects.get()
    login(client, cast.sam)
    client.post(f"/gestion/confidentialite/{request.pk}/decision/", {"decision": "approve",
                                                                     "confirmed": "1"})
    contact = Contact.objects.get(pk=cast.alice.contact_id)
    assert contact.email == "" and contact.anonymised_at is not None
    assert "Alice" not in contact.full_name
    cast.alice.refresh_from_db()
    assert not cast.alice.is_active and "acme" not in cast.alice.email
    assert not Affiliation.objects.filter(contact=contact, ended_on__isnull=True).exists()
    invoice.refresh_from_db()
    assert invoice.bill_to_email == "" and invoice.total_cents == 115  # kept for accounting


def test_refusal_needs_a_note(client, cast):
    request = privacy.erasure_request(contact=cast.bob.contact, requested_by=cast.bob)
    login(client, cast.sam)
    response = client.post(f"/gestion/confidentialite/{request.pk}/decision/",
                           {"decision": "refuse", "note": ""}, follow=True)
    assert "Expliquez le refus" in text(response)
    request.refresh_from_db()
    assert request.status == "pending"


def test_retention_purge_anonymises_people_of_lapsed_companies_only(cast):
    cast.rival.member_status = MemberStatus.LAPSED
    cast.rival.save()
    old = timezone.now() - timedelta(days=2000)
    Contact.objects.filter(pk=cast.carol.contact_id).update(updated_at=old)
    Contact.objects.filter(pk=cast.bob.contact_id).update(updated_at=old)
    Affiliation.objects.update(started_on=old.date())
    with time_machine.travel(timezone.now()):
        summary = privacy.purge()
    assert summary["anonymised"] == 1
    assert Contact.objects.get(pk=cast.carol.contact_id).anonymised_at is not None
    assert Contact.objects.get(pk=cast.bob.contact_id).anonymised_at is None  # acme is a member


def test_staff_export_of_a_person_is_audited(client, cast):
    from alliage.core.models import AuditLog

    login(client, cast.sam)
    response = client.get(f"/gestion/personnes/{cast.bob.contact_id}/export.json")
    assert json.loads(response.content)["person"]["last_name"] == "Gagnon"
    assert AuditLog.objects.filter(action="privacy.export").exists()


def test_anonymised_messages_lose_their_body(cast):
    from alliage.core.mail import queue_email

    queue_email(key="t2", to="bob@acme.example", template="password_reset",
                context={"reset_path": "/x"})
    privacy.anonymise(cast.bob.contact)
    email = Email.objects.get(key="t2")
    assert email.body_text == "" and "bob" not in email.to


def test_staff_edit_a_person_with_validation_and_audit(client, cast):
    from alliage.core.models import AuditLog

    login(client, cast.sam)
    url = f"/gestion/personnes/{cast.bob.contact_id}/modifier/"
    bad = client.post(url, {"first_name": "Bob", "last_name": "Gagnon", "email": "nope",
                            "phone": "1", "language": "fr-ca"})
    assert "Saisissez une adresse de courriel valide." in text(bad)
    client.post(url, {"first_name": "Robert", "last_name": "Gagnon",
                      "email": "bob@acme.example", "phone": "418 555 7777", "language": "en"})
    contact = Contact.objects.get(pk=cast.bob.contact_id)
    assert contact.first_name == "Robert" and contact.phone == "418-555-7777"
    assert AuditLog.objects.get(action="contact.update").changes["first_name"] == ["Bob",
                                                                                   "Robert"]
