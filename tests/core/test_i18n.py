from pathlib import Path

from babel.messages.pofile import read_po

PO = Path(__file__).resolve().parents[2] / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def test_every_french_message_is_translated_and_not_fuzzy():
    with PO.open("rb") as handle:
        catalog = read_po(handle)
    assert not catalog.fuzzy, "the catalogue header is marked fuzzy"
    problems = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(message.id)
    assert problems == [], f"untranslated or fuzzy: {problems[:20]}"


def test_home_page_is_french_by_default_even_for_an_english_browser(client, cast):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Trouver une entreprise régionale" in html


def test_language_switch_sets_english(client, cast):
    response = client.get("/langue/en/?next=/", follow=True)
    assert "Find a regional company" in response.content.decode()
    assert client.cookies["alliage_language"].value == "en"


def test_logged_in_user_gets_their_preferred_language(client, cast):
    cast.bob.language = "en"
    cast.bob.save()
    client.force_login(cast.bob, backend="alliage.accounts.backends.EmailBackend")
    assert "Find a regional company" in client.get("/").content.decode()


def test_language_switch_refuses_off_site_redirects(client, db):
    response = client.get("/langue/en/?next=https://evil.example/")
    assert response["Location"] == "/"


def test_a_language_link_never_changes_what_is_saved_on_the_account(client, cast):
    """Replay N7: a link (or an image) on another site pointing at /langue/en/ changed a
    signed-in member's saved language, and so the language of every email sent to them."""
    saved = cast.bob.language
    client.force_login(cast.bob, backend="alliage.accounts.backends.EmailBackend")
    response = client.get("/langue/en/?next=/")
    assert client.cookies["alliage_language"].value == "en"
    assert response.status_code == 302
    cast.bob.refresh_from_db()
    assert cast.bob.language == saved != "en"
