"""Law 25 access and erasure reach every app's data through the registry (issue #11, item 6):
newsletter subscriber, consent history with IP, opens and clicks, registration answers,
symbiosis messages, invitations, names in the audit log, bounces, staff notes."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from alliage.accounts.models import Invitation
from alliage.core import audit
from alliage.core.models import AuditLog, Email
from alliage.events import services as events
from alliage.mailing.models import (
    BounceEvent,
    Campaign,
    ConsentEvent,
    Delivery,
    MailingList,
    Subscriber,
    Subscription,
)
from alliage.members import privacy
from alliage.members.models import Note
from alliage.symbiosis.models import Introduction, Match, Message, Stream
from tests.conftest import login
from tests.events.conftest import make_event

BOB = "bob@acme.example"
RESET_PATH = "/compte/mot-de-passe/reinitialiser/SECRET-TOKEN-42/"


@pytest.fixture
def footprint(cast):
    """Bob's data in every app."""
    newsletter = MailingList.objects.create(slug="infolettre", name_fr="Infolettre")
    subscriber = Subscriber.objects.create(email=BOB, first_name="Bob",
                                           organisation_name="Acme", contact=cast.bob.contact)
    Subscription.objects.create(subscriber=subscriber, mailing_list=newsletter,
                                status="active")
    ConsentEvent.objects.create(email=BOB, kind="express", basis="form",
                                mailing_list=newsletter, ip="198.51.100.7",
                                wording="Je veux recevoir l'infolettre")
    campaign = Campaign.objects.create(title="Mars", subject_fr="Mars", body_fr="Bonjour")
    now = timezone.now()
    Delivery.objects.create(campaign=campaign, subscriber=subscriber, status="sent",
                            sent_at=now, opened_at=now, clicked_at=now)
    BounceEvent.objects.create(email=BOB, kind="soft", source="test", detail="mailbox full")
    event = make_event(questions=["Allergies?"])
    order = events.order_create(event=event, ticket_type=event.ticket_types.get(),
                                buyer=cast.bob.contact, attendees=[cast.bob.contact],
                                answers={cast.bob.contact.pk: {"Allergies?": "arachides"}},
                                actor=cast.bob)
    registration = order.registrations.get()
    offer = Stream.objects.create(organisation=cast.acme, kind="offer", title="Bran de scie",
                                  description="Bran de scie sec")
    need = Stream.objects.create(organisation=cast.rival, kind="need", title="Litière",
                                 description="Litière")
    intro = Introduction.objects.create(match=Match.objects.create(offer=offer, need=need,
                                                                   score=0.8))
    Message.objects.create(introduction=intro, author=cast.bob, side="offer",
                           body="Appelez-moi au 418-555-1234, Bob")
    Invitation.objects.create(email=BOB, first_name="Bob", last_name="Gagnon",
                              organisation=cast.acme, token_hash="x" * 64,
                              invited_by=cast.alice, expires_at=now + timedelta(days=7))
    audit.record(actor=cast.sam, action="affiliation.end", obj=cast.acme,
                 changes={"contact": "Bob Gagnon"}, reason="Bob Gagnon a quitté")
    AuditLog.objects.create(actor=cast.bob, action="organisation.update",
                            object_type="members.organisation", object_id=str(cast.acme.pk),
                            object_repr="Précision Acme", ip_address="203.0.113.5")
    Note.objects.create(organisation=cast.acme, author=cast.sam,
                        body="Rappeler Bob Gagnon (bob@acme.example) lundi")
    from alliage.core.mail import queue_email

    queue_email(key="password-reset:test", to=BOB, template="password_reset",
                context={"reset_path": RESET_PATH, "token": "t"})
    return {"subscriber": subscriber, "registration": registration, "intro": intro}


def test_export_covers_every_app(client, cast, footprint):
    login(client, cast.bob)
    data = json.loads(client.get("/compte/mes-donnees.json").content)
    newsletter = data["newsletter"][0]
    assert newsletter["email"] == BOB and newsletter["subscriptions"][0]["status"] == "active"
    assert newsletter["newsletters"][0]["opened_at"] and newsletter["newsletters"][0][
        "clicked_at"]
    assert data["consent_ledger"][0]["ip"] == "198.51.100.7"
    assert data["event_registrations"][0]["answers"] == {"Allergies?": "arachides"}
    assert data["event_orders"][0]["people"] == 1
    assert "418-555-1234" in data["symbiosis_messages"][0]["message"]
    assert data["invitations"][0]["email"] == BOB
    assert data["bounces"][0]["detail"] == "mailbox full"
    # An entry that only names him says so, without its changes (someone else's data).
    assert any(e["action"] == "affiliation.end" and e.get("mentions_your_name")
               and "changes" not in e for e in data["audit_log"])
    assert any(e.get("ip_address") == "203.0.113.5" and e["by_you"] for e in data["audit_log"])
    assert "Rappeler Bob Gagnon" in data["notes"][0]["note"]
    kept = {k["section"] for k in data["kept_after_erasure"]}
    assert {"consent_ledger", "invoices", "erasure_requests"} <= kept
    assert "CASL" in json.dumps(data["kept_after_erasure"], ensure_ascii=False)


def test_export_never_holds_a_secret_link(client, cast, footprint):
    login(client, cast.bob)
    raw = client.get("/compte/mes-donnees.json").content.decode()
    assert "SECRET-TOKEN-42" not in raw
    messages = json.loads(raw)["messages"]
    reset = next(m for m in messages if m["body_withheld"])
    assert reset["body"] is None and reset["subject"]
    assert any(m["body"] for m in messages)  # other messages keep their text


def test_staff_export_is_the_same_registry(client, cast, footprint):
    login(client, cast.sam)
    data = json.loads(client.get(f"/gestion/personnes/{cast.bob.contact_id}/export.json")
                      .content)
    assert data["consent_ledger"] and data["newsletter"] and data["symbiosis_messages"]


def test_erasure_reaches_every_app_and_keeps_the_proof(cast, footprint):
    privacy.anonymise(cast.bob.contact, actor=cast.sam)

    subscriber = Subscriber.objects.get(pk=footprint["subscriber"].pk)
    assert BOB not in subscriber.email and subscriber.first_name == ""
    assert subscriber.contact_id is None and subscriber.suppressed == "manual"
    assert not Subscription.objects.filter(subscriber=subscriber, status="active").exists()
    delivery = Delivery.objects.get(subscriber=subscriber)
    assert delivery.opened_at is None and delivery.clicked_at is None
    # The CASL ledger keeps its proof, and now shows the withdrawal.
    ledger = ConsentEvent.objects.filter(email=BOB)
    assert ledger.filter(kind="express", ip="198.51.100.7").exists()
    assert ledger.filter(kind="withdrawal").exists()
    assert Subscriber.objects.filter(email=BOB).count() == 0

    footprint["registration"].refresh_from_db()
    assert footprint["registration"].answers == {}
    assert Message.objects.get(introduction=footprint["intro"]).body == ""
    invitation = Invitation.objects.get()
    assert BOB not in invitation.email and invitation.last_name == ""
    assert invitation.revoked_at is not None
    assert not BounceEvent.objects.filter(email=BOB).exists()
    assert "Gagnon" not in Note.objects.get().body and BOB not in Note.objects.get().body
    for entry in AuditLog.objects.all():
        text = json.dumps([entry.object_repr, entry.changes, entry.reason],
                          ensure_ascii=False)
        assert "Gagnon" not in text and BOB not in text, entry.action
    assert not AuditLog.objects.filter(actor=cast.bob, ip_address__isnull=False).exists()
    assert not Email.objects.filter(to__iexact=BOB).exists()


def test_after_erasure_only_the_kept_proof_names_the_person(cast, footprint):
    privacy.anonymise(cast.bob.contact, actor=cast.sam)
    cast.bob.contact.refresh_from_db()
    data = privacy.person_export(cast.bob.contact)
    text = json.dumps(data, ensure_ascii=False)
    assert "Gagnon" not in text and BOB not in text and "arachides" not in text


def test_retention_goes_through_every_app(cast, footprint):
    long_ago = timezone.now() - timedelta(days=400)
    event = footprint["registration"].event
    type(event).objects.filter(pk=event.pk).update(starts_at=long_ago,
                                                   ends_at=long_ago + timedelta(hours=2))
    Invitation.objects.update(expires_at=long_ago)
    BounceEvent.objects.update(occurred_at=long_ago)
    Delivery.objects.update(sent_at=long_ago)
    summary = privacy.purge()
    assert {"anonymised", "audit_entries_deleted", "tracking_cleared", "invitations_deleted",
            "registration_answers_cleared", "bounces_deleted"} <= set(summary)
    footprint["registration"].refresh_from_db()
    assert footprint["registration"].answers == {}
    assert summary["invitations_deleted"] == 1 and not Invitation.objects.exists()
    assert summary["bounces_deleted"] == 1 and summary["tracking_cleared"] == 1


def test_a_namesakes_record_and_staffs_addresses_never_leak_into_an_export(client, cast):
    """Review #11 replay, M2: the export of one person held a namesake's changes (phone
    numbers) and the IP address of the staff member who exported them."""
    from alliage.core import audit
    from alliage.members.models import Contact

    namesake = Contact.objects.create(first_name="Bob", last_name="Gagnon",
                                      email="autre@ailleurs.example")
    audit.record(actor=cast.sam, action="contact.update", obj=namesake,
                 changes={"phone": ["418-696-3370", "418-555-7777"]})
    AuditLog.objects.create(actor=cast.sam, action="privacy.export",
                            object_type="members.contact", object_id=str(cast.bob.contact_id),
                            object_repr="Bob Gagnon", ip_address="192.0.2.99")
    login(client, cast.bob)
    dump = client.get("/compte/mes-donnees.json").content.decode()
    assert "418-696-3370" not in dump and "418-555-7777" not in dump
    assert "192.0.2.99" not in dump
    data = json.loads(dump)
    export = next(e for e in data["audit_log"] if e["action"] == "privacy.export")
    assert export["ip_address"] is None and export["by_you"] is False


def test_a_name_typed_to_match_someone_never_opens_their_notes_or_invoices(client, cast):
    """Review #11 replay (attack 2), H1: anyone set their account's name to a company's or
    a person's and downloaded staff notes and other companies' invoices in their own Law 25
    export. Their own download shows only what is tied to them; names are counted."""
    from alliage.billing import services as billing
    from alliage.members.models import Note

    Note.objects.create(organisation=cast.rival, author=cast.sam,
                        body="CONFIDENTIEL : Carol Simard veut fermer l'usine")
    billing.invoice_create(organisation=cast.rival, lines=[billing.Line("Carol Simard",
                                                                        10000)])
    mallory = cast.dan
    login(client, mallory)
    client.post("/compte/profil/", {"first_name": "Carol", "last_name": "Simard",
                                    "language": "fr-ca"})
    dump = client.get("/compte/mes-donnees.json").content.decode()
    assert "CONFIDENTIEL" not in dump and "fermer" not in dump
    assert "Génie Rival" not in dump
    # Staff exporting Carol's data still see everything, in full.
    client.logout()
    login(client, cast.sam)
    staff = client.get(f"/gestion/personnes/{cast.carol.contact_id}/export.json").content
    assert b"CONFIDENTIEL" in staff


def test_in_their_own_download_a_note_naming_them_by_their_login_is_shown(client, cast):
    from alliage.members.models import Note

    Note.objects.create(organisation=cast.acme, author=cast.sam,
                        body="Rappeler bob@acme.example lundi")
    Note.objects.create(organisation=cast.rival, author=cast.sam,
                        body="Un certain Bob Gagnon a appelé")
    login(client, cast.bob)
    data = json.loads(client.get("/compte/mes-donnees.json").content)
    shown = [n for n in data["notes"] if "note" in n]
    counted = [n for n in data["notes"] if n.get("mentions_your_name")]
    assert [n["note"] for n in shown] == ["Rappeler bob@acme.example lundi"]
    assert len(counted) == 1 and "organisation" not in counted[0]


def test_erasure_deletes_the_persons_second_factors(cast):
    """Walk-through of #11: closing an account left its TOTP secret and backup codes."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=cast.bob, name="phone", confirmed=True)
    StaticDevice.objects.create(user=cast.bob, name="backup", confirmed=True)
    TOTPDevice.objects.create(user=cast.alice, name="phone", confirmed=True)
    privacy.anonymise(cast.bob.contact, actor=cast.sam)
    assert not TOTPDevice.objects.filter(user=cast.bob).exists()
    assert not StaticDevice.objects.filter(user=cast.bob).exists()
    assert TOTPDevice.objects.filter(user=cast.alice).exists()
