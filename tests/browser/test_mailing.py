import os
import re

import pytest
from django.core import mail
from django.utils import timezone

from alliage.core.models import Association
from alliage.mailing import consent
from alliage.mailing.models import Campaign, ConsentEvent, MailingList, Subscriber, Subscription

pytestmark = pytest.mark.browser


def test_compose_in_the_rich_editor_preview_send_then_a_tracked_click(page, cast, settings):
    settings.STAFF_2FA_REQUIRED = False
    association = Association.current()
    association.newsletter_tracking = True
    association.save()
    newsletter = MailingList.objects.create(slug="infolettre", name_fr="Infolettre",
                                            name_en="Newsletter")
    for email, first in (("anne@exemple.ca", "Anne"), ("marc@exemple.ca", "Marc")):
        subscriber = Subscriber.objects.create(email=email, first_name=first, language="fr")
        Subscription.objects.create(subscriber=subscriber, mailing_list=newsletter,
                                    status="active", confirmed_at=timezone.now())
        consent.record(email=email, kind=ConsentEvent.Kind.EXPRESS,
                       basis=ConsentEvent.Basis.FORM, mailing_list=newsletter)
    page.goto(page.base + "/compte/connexion/")
    page.get_by_label("Courriel").fill("sam@alliage.example")
    page.get_by_label("Mot de passe").fill("correct-horse-battery-42")
    page.get_by_role("button", name="Se connecter").click()
    page.goto(page.base + "/gestion/infolettres/nouvelle/")
    page.get_by_label("Titre interne").fill("Infolettre de décembre")
    page.get_by_label("Objet (français)").fill("Le 5@7 de décembre")
    page.get_by_label("Infolettre").check()
    # The rich-text editor (issue #14, item 14): a title, bold words, a personalised
    # greeting and a button, from the toolbar; the preview shows them for a sample recipient.
    editor = page.get_by_role("textbox", name="Message (français)")
    toolbar = page.get_by_role("toolbar", name="Mise en forme : Message (français)")
    editor.click()
    toolbar.get_by_role("button", name="Titre", exact=True).click()
    page.keyboard.type("Le 5@7 approche")
    page.keyboard.press("Enter")
    page.keyboard.type("Bonjour ")
    toolbar.get_by_role("button", name="Prénom").click()
    page.keyboard.type(", ")
    toolbar.get_by_role("button", name="Gras").click()
    page.keyboard.type("venez")
    toolbar.get_by_role("button", name="Gras").click()
    assert toolbar.get_by_role("button", name="Gras").get_attribute("aria-pressed") == "false"
    page.keyboard.type(" nombreux.")
    target = page.base + "/nouvelles/"
    toolbar.get_by_role("button", name="Bouton").click()
    dialog = page.get_by_role("dialog", name="Bouton")
    dialog.get_by_label("Adresse (https://…)").fill("javascript:alert(1)")
    dialog.get_by_label("Texte du bouton").fill("Je m'inscris")
    dialog.get_by_role("button", name="Insérer").click()
    dialog.get_by_text("Saisissez une adresse qui commence par https://").wait_for()
    dialog.get_by_label("Adresse (https://…)").fill(target)
    dialog.get_by_role("button", name="Insérer").click()
    assert not dialog.is_visible()
    # The editor copies its content into the form's field after the insertion: wait for
    # the copy (under load it lands a moment after the dialog closes).
    page.wait_for_function(
        "() => document.querySelector('#id_body_fr').value.includes('mail-button')",
        timeout=10000)
    source = page.locator("#id_body_fr").input_value()
    assert "<h2>Le 5@7 approche</h2>" in source and "<strong>venez</strong>" in source
    assert "{{prenom}}" in source and 'class="mail-button"' in source
    preview = page.locator("#mail-preview")
    preview.get_by_role("link", name="Je m'inscris").wait_for()  # live preview (htmx)
    assert preview.get_by_role("link", name="Je m'inscris").get_attribute(
        "class") == "mail-button"
    assert preview.locator("mark.token").first.inner_text() == "Marie"
    assert preview.get_by_role("heading", name="Le 5@7 approche").is_visible()
    # The preview for a chosen recipient: their own first name.
    page.get_by_label("Tel que reçu par").fill("anne@exemple.ca")
    preview.locator("mark.token", has_text="Anne").wait_for()
    if os.environ.get("ALLIAGE_SCREENSHOTS"):
        page.screenshot(path="docs/img/composer.png", full_page=True)
        page.set_viewport_size({"width": 390, "height": 900})
        page.screenshot(path="/tmp/composer-390.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("La campagne est enregistrée.").wait_for()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Envoyer maintenant").click()
    page.wait_for_load_state("networkidle")
    campaign = Campaign.objects.get()
    assert campaign.tracked and sorted(m.to[0] for m in mail.outbox) == [
        "anne@exemple.ca", "marc@exemple.ca"]
    anne = next(m for m in mail.outbox if m.to[0] == "anne@exemple.ca")
    html = anne.alternatives[0][0]
    assert "Bonjour Anne" in html and "mesure les ouvertures et les clics" in html
    assert re.search(r'<a style="display:inline-block[^"]*background:#[0-9a-fA-F]{6}"', html)
    click = re.search(r'href="https?://[^/"]+(/infolettre/c/[^"]+)"', html).group(1)
    page.goto(page.base + click)
    page.wait_for_url("**/nouvelles/")
    page.goto(page.base + f"/gestion/infolettres/{campaign.pk}/")
    assert page.get_by_text("Cliqué (au moins un lien)").is_visible()
    assert page.locator("dd").filter(has_text=re.compile(r"^1$")).count() >= 1
    assert page.errors == []
    # The full preview (the email's own inline styles) has its own, script-free policy.
    response = page.goto(page.base + f"/gestion/infolettres/{campaign.pk}/apercu/?lang=fr")
    policy = response.headers["content-security-policy"]
    assert "style-src 'unsafe-inline'" in policy and "script-src 'none'" in policy
    assert "sandbox" in policy
    # (its images point at SITE_URL, not at this test server: only CSP errors count here)
    assert not [e for e in page.errors if "Content Security Policy" in e]
