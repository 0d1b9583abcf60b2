"""Opens and clicks: off by default; when the association turns them on, measured per
delivery through a signed image and stored-link redirects, and said in the footer."""

import re

from django.test import Client

from alliage.core.models import Association
from alliage.mailing import services
from alliage.mailing.models import CampaignLink, Delivery
from tests.conftest import login, text
from tests.mailing.test_mailing import _campaign, _run, _subscribed, newsletter  # noqa: F401


def _html(message):
    return message.get_body(("html",)).get_content()


def test_nothing_is_tracked_by_default(newsletter, smtp, cast,  # noqa: F811
                                       django_capture_on_commit_callbacks):
    _subscribed(newsletter, "a@exemple.ca", "Anne")
    campaign = _campaign(newsletter)
    campaign.body_fr += "\n\n[Le programme](https://exemple.ca/programme)"
    campaign.save()
    _run(campaign, django_capture_on_commit_callbacks)
    html = _html(smtp.messages[0])
    assert "/infolettre/o/" not in html and "/infolettre/c/" not in html
    assert 'href="https://exemple.ca/programme"' in html
    assert "mesure les ouvertures" not in html
    assert services.report(campaign)["tracking"] is None
    login(Client(), cast.sam)
    staff = login(Client(), cast.sam)
    assert "ne sont pas mesurés" in text(staff.get(f"/gestion/infolettres/{campaign.pk}/"))


def test_when_turned_on_opens_and_clicks_are_counted(newsletter, smtp, cast,  # noqa: F811
                                                     django_capture_on_commit_callbacks):
    association = Association.current()
    association.newsletter_tracking = True
    association.save()
    for i in range(3):
        _subscribed(newsletter, f"t{i}@exemple.ca", f"T{i}")
    campaign = _campaign(newsletter)
    campaign.body_fr += ("\n\n[Le programme](https://exemple.ca/programme?a=1&b=2) et "
                         "[encore le programme](https://exemple.ca/programme?a=1&b=2)")
    campaign.save()
    _run(campaign, django_capture_on_commit_callbacks)
    campaign.refresh_from_db()
    assert campaign.tracked
    html = _html(smtp.to("t0@exemple.ca")[0])
    assert "mesure les ouvertures et les clics" in html
    pixel = re.search(r'src="http://[^/]+(/infolettre/o/[^"]+)"', html).group(1)
    clicks = re.findall(r'href="http://[^/]+(/infolettre/c/[^"]+)"', html)
    assert len(clicks) == 2 and "exemple.ca/programme" not in html.split("<!--")[0]
    anonymous = Client()
    response = anonymous.get(pixel)
    assert response.status_code == 200 and response["Content-Type"] == "image/gif"
    delivery = Delivery.objects.get(subscriber__email="t0@exemple.ca")
    assert delivery.opened_at is not None
    response = anonymous.get(clicks[0])
    assert response.status_code == 302
    assert response.url == "https://exemple.ca/programme?a=1&b=2"
    anonymous.get(clicks[0])
    delivery.refresh_from_db()
    assert delivery.clicked_at is not None
    assert CampaignLink.objects.get(campaign=campaign).clicks == 2      # one link, twice
    report = services.report(campaign)["tracking"]
    assert report["opened"] == 1 and report["clicked"] == 1
    staff = login(Client(), cast.sam)
    page = text(staff.get(f"/gestion/infolettres/{campaign.pk}/"))
    assert "Ouvert (au moins une fois)" in page and "https://exemple.ca/programme" in page
    # A forged token or an unknown link goes nowhere; nothing is counted.
    forged = clicks[0].replace("/c/", "/c/x")
    assert anonymous.get(forged).status_code == 404
    assert anonymous.get(re.sub(r"/\d+/$", "/9/", clicks[0])).status_code == 404
    assert anonymous.get("/infolettre/o/forged/").status_code == 200     # image, no count
    assert CampaignLink.objects.get(campaign=campaign).clicks == 2


def test_opens_and_clicks_are_forgotten_after_the_retention_period(newsletter, settings):  # noqa: F811
    """Law 25: who opened or clicked is kept RETENTION_TRACKING_DAYS; link totals stay."""
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from alliage.mailing.models import Campaign
    from alliage.members import privacy

    settings.RETENTION_TRACKING_DAYS = 395
    subscriber = _subscribed(newsletter, "vieux@exemple.ca", "Vieux")
    campaign = Campaign.objects.create(title="T", subject_fr="T", body_fr="x", tracked=True)
    sent = timezone.now()
    delivery = Delivery.objects.create(campaign=campaign, subscriber=subscriber, status="sent",
                                       sent_at=sent, opened_at=sent, clicked_at=sent)
    link = CampaignLink.objects.create(campaign=campaign, position=1, url="https://a.example",
                                       clicks=3)
    with time_machine.travel(sent + timedelta(days=300)):
        assert privacy.purge()["tracking_cleared"] == 0
    with time_machine.travel(sent + timedelta(days=400)):
        assert privacy.purge()["tracking_cleared"] == 1
    delivery.refresh_from_db()
    link.refresh_from_db()
    assert delivery.opened_at is None and delivery.clicked_at is None
    assert delivery.status == "sent" and link.clicks == 3
