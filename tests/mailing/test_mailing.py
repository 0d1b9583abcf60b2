"""Newsletters through a real SMTP server: consent, headers, one-click, crash safety."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from alliage.mailing import consent, services
from alliage.mailing.models import (
    Campaign,
    ConsentEvent,
    Delivery,
    MailingList,
    Subscriber,
    Subscription,
)
from alliage.mailing.tasks import send_batch
from tests.conftest import login, text


@pytest.fixture
def newsletter(db):
    return MailingList.objects.create(slug="infolettre", name_fr="Infolettre",
                                      name_en="Newsletter")


def _subscribed(mailing_list, email, first_name, language="fr"):
    subscriber = Subscriber.objects.create(email=email, first_name=first_name,
                                           language=language, organisation_name="Acme")
    Subscription.objects.create(subscriber=subscriber, mailing_list=mailing_list,
                                status="active", confirmed_at=timezone.now())
    consent.record(email=email, kind=ConsentEvent.Kind.EXPRESS, basis=ConsentEvent.Basis.FORM,
                   mailing_list=mailing_list, wording="J'accepte", ip="127.0.0.1")
    return subscriber


def _campaign(mailing_list, **kw):
    campaign = Campaign.objects.create(
        title="Infolettre de novembre", subject_fr="Nouvelles de novembre",
        subject_en="November news", body_fr="Bonjour {{prenom}},\n\n**Le 5@7** approche.",
        body_en="Hello {{prenom}},\n\nThe **5@7** is coming.", **kw)
    campaign.lists.add(mailing_list)
    return campaign


def _run(campaign, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_start(campaign=campaign, actor=None)


def test_double_opt_in_records_express_consent(client, newsletter, smtp,
                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/infolettre/", {
            "email": "Marie@Exemple.ca", "first_name": "Marie", "organisation_name": "",
            "language": "fr", "lists": [newsletter.pk], "consent": "on"})
    assert "Vérifiez votre boîte" in text(response)
    assert not consent.has_consent("marie@exemple.ca")            # not before confirming
    mail = smtp.to("marie@exemple.ca")[0]
    url = re.search(r"https?://\S+/infolettre/confirmer/\S+/", mail.get_content()).group(0)
    path = url.split("://", 1)[1].split("/", 1)[1]
    assert client.get("/" + path).status_code == 200
    assert not consent.has_consent("marie@exemple.ca")            # a GET confirms nothing
    client.post("/" + path)
    event = ConsentEvent.objects.get(email="marie@exemple.ca")
    assert event.kind == "express" and event.ip == "127.0.0.1" and "J'accepte" in event.wording
    assert consent.has_consent("marie@exemple.ca")


def test_campaign_through_smtp_headers_languages_footer(newsletter, smtp,
                                                        django_capture_on_commit_callbacks):
    _subscribed(newsletter, "marie@exemple.ca", "Marie", "fr")
    _subscribed(newsletter, "john@example.com", "John", "en")
    no_consent = Subscriber.objects.create(email="sans@exemple.ca")
    Subscription.objects.create(subscriber=no_consent, mailing_list=newsletter,
                                status="active")
    campaign = _campaign(newsletter)
    _run(campaign, django_capture_on_commit_callbacks)
    assert {m["To"] for m in smtp.messages} == {"marie@exemple.ca", "john@example.com"}
    fr, en = smtp.to("marie@exemple.ca")[0], smtp.to("john@example.com")[0]
    assert fr["Subject"] == "Nouvelles de novembre" and en["Subject"] == "November news"
    for message in (fr, en):
        assert message["Message-ID"].startswith("<alliage.c") and message["Date"]
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert "<mailto:" in message["List-Unsubscribe"]
        assert "/infolettre/desabonnement/" in message["List-Unsubscribe"]
        assert message.get_content_type() == "multipart/alternative"
        plain = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert "Alliage" in plain and "/infolettre/desabonnement/" in plain
        assert "<strong>" in html and "/infolettre/desabonnement/" in html
    assert "Bonjour Marie" in fr.get_body(("plain",)).get_content()
    assert "Hello John" in en.get_body(("plain",)).get_content()
    assert "Désabonnement en un clic" in fr.get_body(("plain",)).get_content()
    campaign.refresh_from_db()
    assert campaign.status == "sent"
    report = services.report(campaign)
    assert report["sent"] == 2 and report["skipped"] == 1


def test_one_click_unsubscribe_needs_no_session_and_a_get_changes_nothing(
        newsletter, smtp, django_capture_on_commit_callbacks):
    _subscribed(newsletter, "marie@exemple.ca", "Marie")
    _run(_campaign(newsletter), django_capture_on_commit_callbacks)
    header = smtp.messages[0]["List-Unsubscribe"]
    url = re.search(r"<(https?://[^>]+)>", header).group(1)
    path = "/" + url.split("://", 1)[1].split("/", 1)[1]
    browser = Client(enforce_csrf_checks=True)
    assert browser.get(path).status_code == 200
    assert consent.has_consent("marie@exemple.ca")
    response = browser.post(path, "List-Unsubscribe=One-Click",
                            content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert not consent.has_consent("marie@exemple.ca")
    assert ConsentEvent.objects.filter(kind="withdrawal", basis="one_click").count() == 1
    assert browser.post(path.replace("desabonnement/", "desabonnement/x")).status_code == 404


def test_unsubscribe_mid_campaign_stops_mail_to_that_address(
        newsletter, smtp, settings, monkeypatch, django_capture_on_commit_callbacks):
    from alliage.mailing import tasks

    settings.MAILING_BATCH = 2
    people = [_subscribed(newsletter, f"p{i}@exemple.ca", f"P{i}") for i in range(5)]
    campaign = _campaign(newsletter)
    services.campaign_start(campaign=campaign, actor=None)        # rows only: no task yet
    monkeypatch.setattr(tasks, "_schedule_next", lambda *a: None)  # one batch, then stop
    send_batch.func(campaign.pk)
    assert len(smtp.messages) == 2
    monkeypatch.undo()
    services.withdraw(subscriber=people[4], basis=ConsentEvent.Basis.ONE_CLICK)
    services.tick(now=timezone.now() + timedelta(hours=1))
    assert "p4@exemple.ca" not in {m["To"] for m in smtp.messages}
    assert sorted(m["To"] for m in smtp.messages) == [f"p{i}@exemple.ca" for i in range(4)]


def test_a_worker_killed_mid_send_resumes_and_sends_each_exactly_once(
        newsletter, smtp, settings, monkeypatch, django_capture_on_commit_callbacks):
    """The kill lands during an SMTP exchange: that message never arrived; after the
    restart (tick) it goes once, and nobody gets two."""
    import smtplib

    settings.MAILING_BATCH = 50
    for i in range(12):
        _subscribed(newsletter, f"k{i}@exemple.ca", f"K{i}")
    campaign = _campaign(newsletter)
    services.campaign_start(campaign=campaign, actor=None)
    real = smtplib.SMTP.send
    calls = {"n": 0}

    class Killed(BaseException):
        pass

    def dying(self, data):
        if isinstance(data, bytes) and b"Message-ID" in data:     # a message's content
            calls["n"] += 1
            if calls["n"] == 6:
                raise Killed                                      # SIGKILL-like: no cleanup
        return real(self, data)

    monkeypatch.setattr(smtplib.SMTP, "send", dying)
    with pytest.raises(Killed):
        send_batch.func(campaign.pk)
    assert len(smtp.messages) == 5
    assert Delivery.objects.filter(status="sending").count() >= 1     # the one in flight
    monkeypatch.setattr(smtplib.SMTP, "send", real)
    services.tick(now=timezone.now() + timedelta(minutes=10))
    received = sorted(m["To"] for m in smtp.messages)
    assert received == sorted(f"k{i}@exemple.ca" for i in range(12))     # exactly once each
    assert Delivery.objects.filter(status="sent").count() == 12


def test_a_worker_killed_after_the_final_dot_is_not_sent_again(
        newsletter, smtp, settings, monkeypatch):
    """The kill lands after the "." and the mark left, before the server's reply was read:
    the server has the message and the row says sent, so the resume does not send it again."""
    import smtplib

    settings.MAILING_BATCH = 50
    for i in range(8):
        _subscribed(newsletter, f"d{i}@exemple.ca", f"D{i}")
    campaign = _campaign(newsletter)
    services.campaign_start(campaign=campaign, actor=None)
    real_send, real_reply = smtplib.SMTP.send, smtplib.SMTP.getreply
    state = {"bodies": 0, "armed": False}

    class Killed(BaseException):
        pass

    def send(self, data):
        if isinstance(data, bytes) and b"Message-ID" in data:
            state["bodies"] += 1
            state["armed"] = state["bodies"] == 3
        return real_send(self, data)

    def getreply(self):
        if state["armed"]:
            state["armed"] = False
            raise Killed                          # the reply to the "." is never read
        return real_reply(self)

    monkeypatch.setattr(smtplib.SMTP, "send", send)
    monkeypatch.setattr(smtplib.SMTP, "getreply", getreply)
    with pytest.raises(Killed):
        send_batch.func(campaign.pk)
    monkeypatch.setattr(smtplib.SMTP, "send", real_send)
    monkeypatch.setattr(smtplib.SMTP, "getreply", real_reply)
    assert Delivery.objects.filter(status="sent").count() == 3
    services.tick(now=timezone.now() + timedelta(minutes=10))
    received = sorted(m["To"] for m in smtp.messages)
    assert received == sorted(f"d{i}@exemple.ca" for i in range(8))       # exactly once each
    assert Delivery.objects.filter(status="sent").count() == 8


def test_consent_expiry_with_a_frozen_clock(newsletter, cast):
    start = timezone.now()
    consent.record_inquiry("curieux@exemple.ca", at=start)
    consent.record_business("client@exemple.ca", ended_at=start, at=start)
    with time_machine.travel(start + timedelta(days=170)):
        assert consent.valid_addresses(["curieux@exemple.ca", "client@exemple.ca"]) == {
            "curieux@exemple.ca", "client@exemple.ca"}
    with time_machine.travel(start + timedelta(days=200)):
        assert consent.valid_addresses(["curieux@exemple.ca"]) == set()
    with time_machine.travel(start + timedelta(days=740)):
        assert consent.valid_addresses(["client@exemple.ca"]) == set()
    # Members' contacts: implied consent while a member; a withdrawal ends it.
    assert consent.has_consent(cast.alice.email)
    subscriber = Subscriber.objects.create(email=cast.alice.email)
    services.withdraw(subscriber=subscriber, basis=ConsentEvent.Basis.PREFERENCES)
    assert not consent.has_consent(cast.alice.email)


def test_the_ledger_is_append_only(newsletter):
    from django.core.exceptions import ValidationError

    event = consent.record(email="a@exemple.ca", kind="express", basis="form")
    event.wording = "changed"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()


def test_bounces_suppress_and_count(newsletter, client, cast):
    _subscribed(newsletter, "dur@exemple.ca", "D")
    _subscribed(newsletter, "mou@exemple.ca", "M")
    _subscribed(newsletter, "plainte@exemple.ca", "P")
    services.bounce(email="dur@exemple.ca", kind="hard", source="test")
    for _ in range(2):
        services.bounce(email="mou@exemple.ca", kind="soft", source="test")
    assert Subscriber.objects.get(email="dur@exemple.ca").suppressed == "hard_bounce"
    assert Subscriber.objects.get(email="mou@exemple.ca").suppressed == ""
    services.bounce(email="mou@exemple.ca", kind="soft", source="test")
    assert Subscriber.objects.get(email="mou@exemple.ca").suppressed == "soft_bounces"
    # A provider's webhook, through django-anymail's tracking signal.
    from anymail.signals import AnymailTrackingEvent, tracking

    tracking.send(sender=object, event=AnymailTrackingEvent(
        event_type="complained", recipient="plainte@exemple.ca"), esp_name="Postmark")
    assert Subscriber.objects.get(email="plainte@exemple.ca").suppressed == "complaint"
    assert not consent.has_consent("plainte@exemple.ca")
    # A manual import is all or nothing.
    login(client, cast.sam)
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = client.post("/gestion/infolettres/rebonds/", {"file": SimpleUploadedFile(
        "b.csv", b"email,kind\nx@exemple.ca,hard\npas-une-adresse,hard\n")})
    assert "Ligne 3" in text(bad)
    assert not Subscriber.objects.filter(email="x@exemple.ca").exists()
    assert not services.BounceEvent.objects.filter(email="x@exemple.ca").exists()


def test_news_feed_and_archive(client, newsletter, smtp, django_capture_on_commit_callbacks):
    from alliage.mailing.models import Post

    Post.objects.create(kind="press", slug="communique", title_fr="Communiqué : 330 invités",
                        body_fr="Le 5@7 a réuni **330** personnes.",
                        published_at=timezone.now() - timedelta(hours=1))
    Post.objects.create(slug="brouillon", title_fr="Brouillon", body_fr="x")
    feed = client.get("/nouvelles/flux.xml")
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert b"330 invit" in feed.content and b"Brouillon" not in feed.content
    assert client.get("/nouvelles/brouillon/").status_code == 404
    _subscribed(newsletter, "marie@exemple.ca", "Marie")
    campaign = _campaign(newsletter, include_news=True)
    _run(campaign, django_capture_on_commit_callbacks)
    assert "Communiqué : 330 invités" in smtp.messages[0].get_body(("html",)).get_content()
    archive = text(client.get("/infolettre/archives/"))
    assert "Nouvelles de novembre" in archive
    assert "Le 5@7" in text(client.get(f"/infolettre/archives/{campaign.pk}/"))


MATRIX = {
    "/gestion/infolettres/": (302, 403, 403, 403, 403, 403, 200),
    "/gestion/infolettres/nouvelle/": (302, 403, 403, 403, 403, 403, 200),
    "/gestion/infolettres/rebonds/": (302, 403, 403, 403, 403, 403, 200),
    "/gestion/infolettres/consentements/": (302, 403, 403, 403, 403, 403, 200),
    "/gestion/nouvelles/": (302, 403, 403, 403, 403, 403, 200),
    "/gestion/infolettres/images/": (302, 403, 403, 403, 403, 403, 200),
    "/infolettre/o/nimporte/": (200, 200, 200, 200, 200, 200, 200),
    "/infolettre/c/nimporte/1/": (404, 404, 404, 404, 404, 404, 404),
    "/infolettre/": (200, 200, 200, 200, 200, 200, 200),
    "/infolettre/archives/": (200, 200, 200, 200, 200, 200, 200),
    "/nouvelles/": (200, 200, 200, 200, 200, 200, 200),
}


POSTS = {
    "/gestion/infolettres/images/": (302, 403, 403, 403, 403, 403, 200),
    "/gestion/infolettres/apercu-direct/": (302, 403, 403, 403, 403, 403, 200),
}


@pytest.mark.parametrize("path", POSTS)
def test_mailing_post_matrix(client, cast, newsletter, path):
    from tests.conftest import MATRIX_ROLES, statuses

    got = statuses(client, cast, path, "post")
    assert got == POSTS[path], dict(zip(MATRIX_ROLES, got, strict=True))


@pytest.mark.parametrize("path", MATRIX)
def test_mailing_matrix(client, cast, newsletter, path):
    from tests.conftest import MATRIX_ROLES, statuses

    got = statuses(client, cast, path)
    assert got == MATRIX[path], dict(zip(MATRIX_ROLES, got, strict=True))


def test_campaign_pages_for_staff(client, cast, newsletter, smtp):
    login(client, cast.sam)
    response = client.post("/gestion/infolettres/nouvelle/", {
        "title": "Essai", "subject_fr": "Sujet", "subject_en": "", "body_fr": "Bonjour",
        "body_en": "", "audience": ""})
    assert "Choisissez au moins une liste" in text(response)
    assert not Campaign.objects.exists()
    client.post("/gestion/infolettres/nouvelle/", {
        "title": "Essai", "subject_fr": "Sujet", "subject_en": "", "body_fr": "Bonjour {{prenom}}",
        "body_en": "", "lists": [newsletter.pk], "audience": ""})
    campaign = Campaign.objects.get()
    preview = client.get(f"/gestion/infolettres/{campaign.pk}/apercu/?lang=fr")
    assert b"Bonjour" in preview.content and b"apercu-lien/?lien=unsubscribe" in preview.content
    assert client.post(f"/gestion/infolettres/{campaign.pk}/action/",
                       {"action": "test", "email": "essai@exemple.ca"}).status_code == 302
    assert smtp.to("essai@exemple.ca")[0]["Subject"] == "[TEST] Sujet"
    login(client, cast.alice)
    assert client.post(f"/gestion/infolettres/{campaign.pk}/action/",
                       {"action": "start"}).status_code == 403
    assert Campaign.objects.get().status == "draft"


def test_crm_segment_and_event_attendees_as_audiences(cast, smtp,
                                                      django_capture_on_commit_callbacks):
    from alliage.events import services as events
    from alliage.members.models import Segment
    from tests.events.conftest import make_event

    segment = Segment.objects.create(name="Génie à Alma", query={"q": "Rival"})
    event = make_event()
    for person, org in ((cast.alice, cast.acme), (cast.dan, None)):
        events.order_create(event=event, ticket_type=event.ticket_types.get(),
                            buyer=person.contact, attendees=[person.contact], organisation=org)
    campaign = Campaign.objects.create(title="Ciblée", subject_fr="Pour vous",
                                       body_fr="Bonjour {{prenom}}", segment=segment,
                                       event=event)
    _run(campaign, django_capture_on_commit_callbacks)
    received = {m["To"] for m in smtp.messages if m["Subject"] == "Pour vous"}
    assert cast.carol.email in received                  # the segment: a member's contact
    assert cast.alice.email in received                  # attendee, member: implied consent
    assert cast.dan.email not in received                # attendee without any consent
    assert Delivery.objects.get(subscriber__email=cast.dan.email).status == "skipped"


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_postgresql_marks_with_plain_sql(smtp, settings):
    """The worker's path on PostgreSQL ("BEGIN; UPDATE" → "." → "COMMIT"), which the other
    tests (inside a test transaction) do not take."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the plain-SQL mark is PostgreSQL's; SQLite uses the ORM path tested above")
    from alliage.core.seed import seed_association

    seed_association()
    newsletter = MailingList.objects.create(slug="infolettre", name_fr="Infolettre")
    for i in range(5):
        _subscribed(newsletter, f"pg{i}@exemple.ca", f"P{i}")
    campaign = _campaign(newsletter)
    services.campaign_start(campaign=campaign, actor=None)
    assert connection.get_autocommit() and not connection.in_atomic_block
    send_batch.func(campaign.pk)
    assert sorted(m["To"] for m in smtp.messages) == [f"pg{i}@exemple.ca" for i in range(5)]
    rows = Delivery.objects.filter(campaign=campaign)
    assert {r.status for r in rows} == {"sent"}
    assert all(r.message_id.startswith(f"<alliage.c{campaign.pk}.d") for r in rows)
    assert all(r.sent_at is not None for r in rows)


def test_the_previews_footer_links_lead_somewhere(client, cast):
    """Issue #14, item 2: the preview's "Préférences" and "Se désabonner" gave 404s."""
    import re

    campaign = Campaign.objects.create(subject_fr="Nouvelles", body_fr="Bonjour")
    client.force_login(cast.sam, backend="alliage.accounts.backends.EmailBackend")
    html = client.get(f"/gestion/infolettres/{campaign.pk}/apercu/").content.decode()
    links = [href for href in re.findall(r'href="([^"]+)"', html) if "apercu-lien" in href]
    assert len(links) == 2
    for href in links:
        page = client.get(href.replace("&amp;", "&"))
        assert page.status_code == 200 and "destinataire fictif" in page.content.decode()
