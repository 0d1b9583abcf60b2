"""Composing: buttons, uploaded images (public, validated), the live preview."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from alliage.mailing.models import CampaignImage
from alliage.mailing.render import markdown_html
from tests.conftest import login, text


def _png(width=40, height=20):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "#1f4e79").save(buffer, "PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def test_button_syntax_makes_an_inline_styled_link_and_scripts_never_pass():
    html = markdown_html("[[S'inscrire au 5@7]](https://exemple.ca/5a7?x=1&y=2)\n\n"
                         "<script>alert(1)</script> <a class=\"evil\" onclick=\"x()\" "
                         "href=\"javascript:alert(1)\">x</a>", "#aa3300")
    assert 'href="https://exemple.ca/5a7?x=1&amp;y=2"' in html
    assert "background:#aa3300" in html and "S'inscrire au 5@7" in html
    assert "<script" not in html and "onclick" not in html and "javascript:" not in html
    assert 'class="evil"' not in html
    # A colour that is not a colour never reaches the style attribute.
    assert "red;x" not in markdown_html("[[A]](https://a.example)", "red;x")


def test_staff_upload_an_image_and_get_its_markdown(client, cast):
    login(client, cast.sam)
    response = client.post("/gestion/infolettres/images/",
                           {"file": _png(), "alt": "Le 5@7 de novembre"})
    assert response.status_code == 302
    image = CampaignImage.objects.get()
    assert image.file.name.startswith("mailing/")
    page = text(client.get("/gestion/infolettres/images/"))
    assert f"![Le 5@7 de novembre](http://testserver{image.file.url})" in page or \
        image.markdown() in page
    assert client.get(image.file.url).status_code == 200                 # public folder
    # Not an image: refused, nothing stored.
    fake = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    page = text(client.post("/gestion/infolettres/images/", {"file": fake, "alt": "x"}))
    assert "Téléversez une image valide" in page
    assert CampaignImage.objects.count() == 1


def test_live_preview_renders_the_language_asked(client, cast):
    login(client, cast.sam)
    html = client.post("/gestion/infolettres/apercu-direct/", {
        "body_fr": "<p><strong>Bonjour</strong></p>", "body_en": "<p><strong>Hello</strong></p>",
        "subject_en": "News", "lang": "en"}).content.decode()
    assert '<div class="preview-body" lang="en"><p><strong>Hello</strong></p></div>' in html
    assert "Bonjour" not in html and "News" in html
    page = text(client.get("/gestion/infolettres/nouvelle/"))
    assert "Bouton" in page and "apercu-direct" in page


# --- Issue #14, item 14: the rich-text composer ----------------------------------------

HOSTILE = ('<h2 style="color:red">Le 5@7</h2><p onclick="x()">Bonjour {{prenom}} de '
           '{{entreprise}}, <b>venez</b> <a href="javascript:alert(1)">ici</a> '
           '<a class="mail-button evil" href="https://exemple.ca/5a7" target="_blank">'
           "Je m'inscris</a></p><script>alert(1)</script><iframe src=\"https://x\"></iframe>"
           '<p><img src="https://exemple.ca/a.png" alt="La salle" onerror="x()"></p>'
           '<ul><li><p>un</p></li><li><p>deux</p></li></ul>')


def _compose(client, newsletter, body, **extra):
    return client.post("/gestion/infolettres/nouvelle/", {
        "title": "Décembre", "subject_fr": "Le 5@7", "subject_en": "", "body_fr": body,
        "body_en": "", "lists": [newsletter.pk], "audience": "", "include_news": "",
        **extra})


@pytest.fixture
def newsletter(db):
    from alliage.mailing.models import MailingList

    return MailingList.objects.create(slug="infolettre", name_fr="Infolettre")


def test_the_composer_stores_its_html_sanitised_and_keeps_the_button(client, cast, newsletter):
    from alliage.mailing.models import Campaign

    login(client, cast.sam)
    assert _compose(client, newsletter, HOSTILE).status_code == 302
    body = Campaign.objects.get().body_fr
    for bad in ("<script", "onclick", "onerror", "javascript:", "style=", "<iframe",
                "evil", "target="):
        assert bad not in body, bad
    assert '<a href="https://exemple.ca/5a7" class="mail-button"' in body or \
        'class="mail-button" href="https://exemple.ca/5a7"' in body
    assert '<img src="https://exemple.ca/a.png" alt="La salle">' in body
    assert "<li>un</li>" in body                      # one paragraph in an item: the item
    assert max(len(line) for line in body.splitlines()) < 300   # one block a line
    # A message with nothing to read is refused with a French error.
    page = text(_compose(client, newsletter, "<p></p><p><br></p>"))
    assert "Rédigez le message en français." in page and Campaign.objects.count() == 1


def test_a_campaign_written_in_markdown_opens_in_the_editor_as_html(client, cast):
    from alliage.mailing.models import Campaign

    login(client, cast.sam)
    campaign = Campaign.objects.create(
        title="Ancienne", subject_fr="Sujet",
        body_fr="Bonjour {{prenom}},\n\n## Au programme\n\n- visite\n- 5@7\n\n"
                "[[Je m'inscris]](https://exemple.ca/i)")
    page = text(client.get(f"/gestion/infolettres/{campaign.pk}/modifier/"))
    assert "<h2>Au programme</h2>" in page and "<li>visite</li>" in page
    assert 'class="mail-button"' in page and "## Au programme" not in page
    assert "Bonjour {{prenom}}" in page


def test_an_html_message_is_sent_with_a_styled_button_and_a_readable_text_part(newsletter):
    from alliage.mailing import richtext
    from alliage.mailing.models import Campaign, Subscriber
    from alliage.mailing.render import Prebuilt, build

    body = richtext.clean(HOSTILE + "".join(f"<p>Paragraphe {n} " + "mot " * 60 + "</p>"
                                            for n in range(30)))
    campaign = Campaign.objects.create(title="T", subject_fr="Sujet", body_fr=body)
    anne = Subscriber.objects.create(email="anne@exemple.ca", first_name="Anne",
                                     organisation_name="Acme & fils", language="fr")
    message, _id = build(campaign, anne, 1)
    html, plain = message.alternatives[0][0], message.body
    assert "Bonjour Anne de Acme &amp; fils" in html
    assert 'style="display:inline-block' in html and "Je m'inscris" in html
    assert "<" not in plain.split("--")[0]                          # no tag in the text part
    assert "Le 5@7\n\nBonjour Anne de Acme & fils, venez ici Je m'inscris " \
           "(https://exemple.ca/5a7)" in plain
    assert "- un\n- deux" in plain and "[La salle]" in plain
    # The sender's fast path (one prebuilt message per language) still applies.
    assert Prebuilt(campaign, "fr").usable


def test_the_preview_shows_the_chosen_recipient_s_values_marked(client, cast):
    from alliage.mailing.models import Subscriber

    Subscriber.objects.create(email="anne@exemple.ca", first_name="<b>Anne</b>",
                              organisation_name="Acme", language="fr")
    login(client, cast.sam)
    data = {"body_fr": "<p>Bonjour {{prenom}} ({{ entreprise }})</p>", "lang": "fr",
            "subject_fr": "Pour {{prenom}}"}
    page = client.post("/gestion/infolettres/apercu-direct/",
                       {**data, "recipient": " Anne@Exemple.ca "}).content.decode()
    assert '<mark class="token">&lt;b&gt;Anne&lt;/b&gt;</mark>' in page     # escaped
    assert '<mark class="token">Acme</mark>' in page and "anne@exemple.ca" in page
    assert "Pour &lt;b&gt;Anne&lt;/b&gt;" in page
    # No recipient: sample values, said so. An unknown address: said so too.
    page = text(client.post("/gestion/infolettres/apercu-direct/", data))
    assert '<mark class="token">Marie</mark>' in page and "un destinataire fictif" in page
    page = text(client.post("/gestion/infolettres/apercu-direct/",
                            {**data, "recipient": "personne@exemple.ca"}))
    assert "Aucun abonné n'a l'adresse personne@exemple.ca" in page
    # A recipient without a company: the preview shows what they will miss.
    Subscriber.objects.create(email="luc@exemple.ca", first_name="Luc", language="fr")
    page = text(client.post("/gestion/infolettres/apercu-direct/",
                            {**data, "recipient": "luc@exemple.ca"}))
    assert '<mark class="token token-empty">(aucune entreprise)</mark>' in page


def test_the_composer_page_offers_the_audience_and_the_uploaded_images(client, cast,
                                                                        newsletter):
    from alliage.mailing.models import Campaign, Subscriber, Subscription

    login(client, cast.sam)
    client.post("/gestion/infolettres/images/", {"file": _png(), "alt": "Le 5@7"})
    campaign = Campaign.objects.create(title="T", subject_fr="S", body_fr="<p>x</p>")
    campaign.lists.add(newsletter)
    anne = Subscriber.objects.create(email="anne@exemple.ca", language="fr")
    Subscription.objects.create(subscriber=anne, mailing_list=newsletter, status="active")
    page = text(client.get(f"/gestion/infolettres/{campaign.pk}/modifier/"))
    assert '<option value="anne@exemple.ca">' in page
    assert 'data-alt="Le 5@7"' in page and "/media/mailing/" in page
    assert 'type="module" src="/static/js/composer.js"' in page
    # Every script from our own static files (no CDN), none inline (CSP).
    import re

    scripts = re.findall(r"<script([^>]*)>", page)
    assert scripts and all('src="/static/' in s or "application/json" in s for s in scripts)
