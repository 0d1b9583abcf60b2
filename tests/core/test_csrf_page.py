"""Walk-through #11: an expired form answers a page in the site's layout and language."""

from django.test import Client

from tests.conftest import text


def test_expired_form_gets_a_french_page_in_the_layout(cast):
    client = Client(enforce_csrf_checks=True)
    client.get("/compte/connexion/")  # the token cookie of the page...
    client.cookies["csrftoken"] = "x" * 32  # ...replaced, as by a login in another tab
    response = client.post("/compte/connexion/", {"email": "bob@acme.example",
                                                  "password": "whatever",
                                                  "csrfmiddlewaretoken": "y" * 32},
                           HTTP_REFERER="http://testserver/compte/connexion/")
    assert response.status_code == 403
    page = text(response)
    assert "<title>Le formulaire a expiré" in page
    assert '<main id="main"' in page and "<footer" in page
    assert "dans un autre onglet" in page
    assert 'href="http://testserver/compte/connexion/"' in page
    assert "Recharger le formulaire" in page
    assert "CSRF" not in page and "Forbidden" not in page


def test_expired_form_in_english_and_no_off_site_back_link(cast):
    client = Client(enforce_csrf_checks=True)
    client.cookies["alliage_language"] = "en"
    response = client.post("/compte/connexion/", {}, HTTP_REFERER="https://evil.example/")
    assert response.status_code == 403
    page = text(response)
    assert "The form has expired" in page
    assert "allow cookies for this site" in page  # no cookie was sent at all
    assert "evil.example" not in page


def test_reloaded_form_goes_through(cast):
    client = Client(enforce_csrf_checks=True)
    client.post("/compte/connexion/", {})  # no cookie: refused, but the page sets one
    form = client.get("/compte/connexion/")
    token = form.context["csrf_token"]
    response = client.post("/compte/connexion/", {"email": "bob@acme.example",
                                                  "password": "x", "csrfmiddlewaretoken":
                                                  str(token)})
    assert response.status_code == 200
