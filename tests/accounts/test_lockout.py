"""Walk-through #11: the lockout's advice works (a reset lifts it), says the real wait, and
the failure before it warns."""

from django.core import mail

from alliage.core.models import AuditLog
from tests.conftest import text
from tests.people import PASSWORD

NEW_PASSWORD = "une-phrase-secrete-longue"


def _login(client, email, password=PASSWORD):
    return client.post("/compte/connexion/", {"email": email, "password": password})


def _lock(client, settings, email):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = _login(client, email, "wrong")
    assert response.status_code == 429
    return response


def test_lockout_says_the_configured_wait_and_sends_retry_after(client, cast, settings):
    settings.AXES_COOLOFF_TIME = 15 / 60
    response = _lock(client, settings, "bob@acme.example")
    assert response["Retry-After"] == "900"
    page = text(response)
    assert "Réessayez dans 15 min" in page
    assert "quelques minutes" not in page
    assert 'href="/compte/mot-de-passe/"' in page


def test_the_failure_before_the_lock_warns(client, cast, settings):
    settings.AXES_FAILURE_LIMIT = 5
    pages = [text(_login(client, "bob@acme.example", "wrong")) for _ in range(4)]
    assert "avant le blocage" not in pages[0] + pages[1]
    assert "Encore 2 essais avant le blocage temporaire de 15 min." in pages[2]
    assert "Encore 1 essai avant le blocage temporaire de 15 min." in pages[3]
    assert "Courriel ou mot de passe incorrect." in pages[3]


def _reset(client, email):
    mail.outbox.clear()
    client.post("/compte/mot-de-passe/", {"email": email})
    link = next(line for line in mail.outbox[-1].body.splitlines()
                if "/compte/reinitialiser/" in line)
    form = client.get(link.split("127.0.0.1:8000")[-1].strip(), follow=True)
    return client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD,
                                                    "new_password2": NEW_PASSWORD})


def test_a_completed_password_reset_lifts_the_lock(client, cast, settings, mailoutbox):
    _lock(client, settings, "bob@acme.example")
    assert _login(client, "bob@acme.example").status_code == 429  # still locked
    assert _reset(client, "bob@acme.example").status_code == 302
    response = _login(client, "bob@acme.example", NEW_PASSWORD)
    assert response.status_code == 302, text(response)
    entry = AuditLog.objects.get(action="login.lockout_clear")
    assert entry.actor == cast.bob


def test_a_reset_lifts_only_that_accounts_lock(client, cast, settings, mailoutbox):
    _lock(client, settings, "alice@acme.example")
    _lock(client, settings, "bob@acme.example")
    _reset(client, "bob@acme.example")
    assert _login(client, "alice@acme.example").status_code == 429


def test_a_used_reset_link_offers_a_new_one(client, cast, mailoutbox):
    client.post("/compte/mot-de-passe/", {"email": "bob@acme.example"})
    link = next(line for line in mailoutbox[-1].body.splitlines()
                if "/compte/reinitialiser/" in line).split("127.0.0.1:8000")[-1].strip()
    form = client.get(link, follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD,
                                             "new_password2": NEW_PASSWORD})
    again = client.get(link, follow=True)
    page = text(again)
    assert "n'est plus valide" in page
    assert 'href="/compte/mot-de-passe/"' in page and "Demander un nouveau lien" in page
