"""Issue #14, item 1: every irreversible action asks first, with and without JavaScript.

Without JavaScript (or for any client that did not answer the browser's question), the
action's POST answers a confirmation page repeating the same form with ``confirmed=1``;
nothing changes until it is sent. With JavaScript, ``static/js/alliage.js`` asks on any form
or submit button carrying ``data-confirm`` and adds ``confirmed=1`` (the browser test
``tests/browser/test_confirm.py``)."""

import pytest

from alliage.events import services
from alliage.events.models import Registration
from alliage.mailing.models import Campaign
from tests.conftest import login, text
from tests.events.conftest import make_event


def _asked(response):
    body = text(response)
    return response.status_code == 200 and "Veuillez confirmer" in body \
        and 'name="confirmed" value="1"' in response.content.decode()


def test_cancelling_an_event_for_everyone_asks_first(client, cast):
    event = make_event()
    services.order_create(event=event, ticket_type=event.ticket_types.get(),
                          buyer=cast.bob.contact, attendees=[cast.bob.contact],
                          organisation=cast.acme)
    login(client, cast.sam)
    path = f"/gestion/activites/{event.slug}/annuler/"
    question = client.post(path, {"reason": "Tempête"})
    assert _asked(question) and 'name="reason" value="Tempête"' in question.content.decode()
    assert Registration.objects.get().status == "confirmed"
    client.post(path, {"reason": "Tempête", "confirmed": "1"})
    assert Registration.objects.get().status == "cancelled"


def test_sending_a_newsletter_now_asks_first(client, cast):
    campaign = Campaign.objects.create(subject_fr="Nouvelles", body_fr="Bonjour")
    login(client, cast.sam)
    path = f"/gestion/infolettres/{campaign.pk}/action/"
    assert _asked(client.post(path, {"action": "start"}))
    assert _asked(client.post(path, {"action": "cancel"}))
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_no_question_to_someone_who_may_not_act(client, cast, who):
    """Permissions first: someone else gets their 404, never "are you sure?"."""
    event = make_event()
    order = services.order_create(event=event, ticket_type=event.ticket_types.get(),
                                  buyer=cast.bob.contact, attendees=[cast.bob.contact],
                                  organisation=cast.acme)
    login(client, cast.user(who))
    response = client.post(f"/activites/{event.slug}/inscriptions/"
                           f"{order.registrations.get().pk}/annuler/")
    assert response.status_code == 404


def test_the_confirmation_page_keeps_every_field_and_escapes_them(client, cast):
    login(client, cast.bob)
    response = client.post("/compte/effacement/", {"reason": '"><script>x</script>'})
    html = response.content.decode()
    assert _asked(response) and "<script>x</script>" not in html
    assert "&quot;&gt;&lt;script&gt;" in html
