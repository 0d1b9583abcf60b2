"""What a recipient's message is made of: the render cache follows edits (#12, item 4), and
personal values never bring control characters into the mail bytes (#11, item 16)."""

import pytest
from django.utils import timezone

from alliage.mailing import services
from alliage.mailing.models import Campaign, Delivery, MailingList, Subscriber
from alliage.mailing.tasks import send_batch, send_test
from tests.conftest import login
from tests.mailing.test_mailing import _subscribed

INJECTION = "Marie\r\nBcc: evil@example.com"


@pytest.fixture
def newsletter(db):
    return MailingList.objects.create(slug="infolettre", name_fr="Infolettre")


def test_an_edit_is_seen_by_the_preview_and_the_test_send_without_clearing_any_cache(
        client, cast, newsletter, smtp):
    login(client, cast.sam)
    campaign = Campaign.objects.create(title="Essai", subject_fr="Première",
                                       body_fr="Bonjour {{prenom}}, première version.")
    campaign.lists.add(newsletter)
    preview = f"/gestion/infolettres/{campaign.pk}/apercu/?lang=fr"
    assert "première version" in client.get(preview).content.decode()
    send_test.func(campaign.pk, "essai@exemple.ca")
    # Another process (the web server) saves an edit: nothing tells this one's cache.
    Campaign.objects.filter(pk=campaign.pk).update(subject_fr="Seconde",
                                                   body_fr="Bonjour, seconde version.")
    page = client.get(preview).content.decode()
    assert "seconde version" in page and "première version" not in page
    send_test.func(campaign.pk, "essai@exemple.ca")
    first, second = smtp.to("essai@exemple.ca")
    assert first["Subject"] == "[TEST] Première"
    assert second["Subject"] == "[TEST] Seconde"
    assert "seconde version" in second.get_body(("plain",)).get_content()
    assert "seconde version" in second.get_body(("html",)).get_content()
    # The English version has its own entry: the same edit reaches it too.
    Campaign.objects.filter(pk=campaign.pk).update(body_en="Hello, third version.")
    assert "third version" in client.get(preview.replace("fr", "en")).content.decode()


def test_the_association_s_new_name_reaches_the_footer_of_the_next_message(
        newsletter, smtp):
    from alliage.core.models import Association

    campaign = Campaign.objects.create(title="Essai", subject_fr="Sujet", body_fr="Bonjour")
    send_test.func(campaign.pk, "essai@exemple.ca")
    association = Association.current()
    association.name = "Réseau industriel du Fjord"
    association.save()
    send_test.func(campaign.pk, "essai@exemple.ca")
    footer = smtp.to("essai@exemple.ca")[1].get_body(("plain",)).get_content()
    assert "Réseau industriel du Fjord" in footer


def test_a_first_name_with_a_line_break_is_stored_on_one_line(client, newsletter):
    client.post("/infolettre/", {
        "email": "marie@exemple.ca", "first_name": INJECTION,
        "organisation_name": "Acme\u2028\x85Inc.", "language": "fr",
        "lists": [newsletter.pk], "consent": "on"})
    subscriber = Subscriber.objects.get(email="marie@exemple.ca")
    assert subscriber.first_name == "Marie Bcc: evil@example.com"
    assert subscriber.organisation_name == "Acme Inc."


@pytest.mark.parametrize("subject", ["Nouvelles", "Nouvelles pour {{prenom}}"])
def test_control_characters_in_personal_values_never_reach_the_message(
        newsletter, smtp, subject):
    """A value stored before this rule (or by a path that skips it) is cleaned at render,
    both in the prebuilt bytes and in the per-recipient build (personalised subject)."""
    subscriber = _subscribed(newsletter, "marie@exemple.ca", "Marie")
    Subscriber.objects.filter(pk=subscriber.pk).update(
        first_name=INJECTION, organisation_name="Acme\r\n.\r\nQUIT\x1b[2J\x9b")
    campaign = Campaign.objects.create(
        title="Injection", subject_fr=subject,
        body_fr="Bonjour {{prenom}},\n\nDe la part de {{entreprise}}.")
    campaign.lists.add(newsletter)
    Delivery.objects.create(campaign=campaign, subscriber=subscriber)
    Campaign.objects.filter(pk=campaign.pk).update(status="sending",
                                                   started_at=timezone.now())
    send_batch.func(campaign.pk)
    assert Delivery.objects.get().status == "sent"
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["Bcc"] is None and message["To"] == "marie@exemple.ca"
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Bonjour Marie Bcc: evil@example.com," in plain
    assert "De la part de Acme . QUIT [2J." in plain
    assert "Marie Bcc: evil@example.com" in html
    for part in (plain, html, message["Subject"]):
        assert not any(ord(c) < 32 and c not in "\n\t" or 0x7f <= ord(c) <= 0x9f
                       for c in part.replace("\r\n", "\n"))
    if "{{prenom}}" in subject:
        assert message["Subject"] == "Nouvelles pour Marie Bcc: evil@example.com"
    report = services.report(Campaign.objects.get())
    assert report["sent"] == 1 and report["failed"] == 0
