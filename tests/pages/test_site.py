"""The public site (issue #19): pages staff write (sanitised, versions kept and restored,
draft hidden), the contact form (routed, spam traps, throttle, CRM note, confirmation),
sitemap.xml and robots.txt parsed, canonical URL; permission matrix."""

import time
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache

from alliage.core.models import Email
from alliage.members.models import Note
from alliage.pages import seed, services
from alliage.pages.models import ContactMessage, ContactTopic, Page, Revision
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def save(client, pk=None, **data):
    base = {"title_fr": "À propos", "title_en": "About", "slug": "a-propos",
            "description_fr": "", "description_en": "", "body_fr": "<p>Mission</p>",
            "body_en": "", "menu_position": "1"}
    url = f"/gestion/site/{pk}/" if pk else "/gestion/site/nouvelle/"
    return client.post(url, {**base, **data})


def test_staff_write_a_page_sanitised_kept_in_history_and_restored(client, cast):
    login(client, cast.sam)
    save(client, body_fr='<p onclick="x()">Mission</p><script>alert(1)</script>'
                         '<a href="javascript:alert(1)">lien</a>')
    page = Page.objects.get(slug="a-propos")
    assert "script" not in page.body_fr and "onclick" not in page.body_fr
    assert "javascript:" not in page.body_fr
    assert page.status == Page.Status.DRAFT
    client.logout()
    assert client.get("/pages/a-propos/").status_code == 404      # a draft is hidden
    login(client, cast.sam)
    client.post(f"/gestion/site/{page.pk}/statut/", {"status": "published"})
    save(client, page.pk, body_fr="<p>Vision</p>")
    assert Revision.objects.filter(page=page).count() == 2
    first = Revision.objects.filter(page=page).order_by("saved_at", "pk").first()
    url = f"/gestion/site/{page.pk}/versions/{first.pk}/restaurer/"
    assert client.post(url).status_code == 200                   # asks first
    client.post(url, {"confirmed": "1"})
    page.refresh_from_db()
    assert "Mission" in page.body_fr and Revision.objects.filter(page=page).count() == 3
    client.logout()
    public = client.get("/pages/a-propos/").content.decode()
    assert "Mission" in public and "<script>alert" not in public
    assert 'href="/pages/a-propos/">À propos</a>' in public        # in the footer menu


def test_contact_form_routes_confirms_and_notes_in_the_crm(client, cast,
                                                           django_capture_on_commit_callbacks):
    topic = ContactTopic.objects.create(label_fr="Adhésion", recipient="direction@a.example")
    stamp = services.form_stamp()
    time.sleep(0)           # the stamp is checked below with the clock moved on
    data = {"topic": topic.pk, "name": "Alice  Tremblay", "email": "alice@acme.example",
            "company": "Acme", "message": "Combien coûte l'adhésion?", "website": "",
            "stamp": stamp}
    import time_machine

    with time_machine.travel(time.time() + 10, tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        response = client.post("/contact/", data)
    assert response.status_code == 302
    msg = ContactMessage.objects.get()
    assert msg.organisation == cast.acme and msg.name == "Alice Tremblay"
    assert Note.objects.filter(organisation=cast.acme, body__contains="adhésion").exists()
    assert set(Email.objects.values_list("template", flat=True)) == {"contact_staff",
                                                                     "contact_received"}
    assert Email.objects.get(template="contact_staff").to == "direction@a.example"
    assert Email.objects.get(template="contact_received").to == "alice@acme.example"


def test_robots_are_answered_as_if_sent_and_nothing_is_kept(client, cast):
    topic = ContactTopic.objects.create(label_fr="Adhésion", recipient="direction@a.example")
    data = {"topic": topic.pk, "name": "Bot", "email": "bot@spam.example", "company": "",
            "message": "Buy now", "website": "http://spam.example",
            "stamp": services.form_stamp()}
    assert client.post("/contact/", data).status_code == 302          # the honeypot
    data["website"] = ""
    assert client.post("/contact/", data).status_code == 302          # too fast
    data["stamp"] = "forged:stamp"
    assert client.post("/contact/", data).status_code == 302
    assert not ContactMessage.objects.exists() and not Email.objects.exists()


def test_contact_is_throttled_with_a_french_message(client, cast, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES,
                               "contact": {"ip": (1, 3600), "address": (1, 3600)}}
    topic = ContactTopic.objects.create(label_fr="Adhésion", recipient="direction@a.example")
    import time_machine

    stamp = services.form_stamp()
    data = {"topic": topic.pk, "name": "Eve", "email": "eve@x.example", "company": "",
            "message": "Bonjour", "website": "", "stamp": stamp}
    with time_machine.travel(time.time() + 10, tick=False):
        assert client.post("/contact/", data).status_code == 302
        again = client.post("/contact/", data)
    assert again.status_code == 429 and "Trop de tentatives" in again.content.decode()
    assert ContactMessage.objects.count() == 1


def test_bad_contact_input_changes_nothing(client, cast):
    topic = ContactTopic.objects.create(label_fr="Adhésion", recipient="direction@a.example")
    page = client.post("/contact/", {"topic": topic.pk, "name": "", "email": "pas-un-courriel",
                                     "message": "", "stamp": services.form_stamp()})
    assert page.status_code == 200 and "error-summary" in page.content.decode()
    assert not ContactMessage.objects.exists()
    assert client.post("/contact/", {"topic": "999999999999999999999"}).status_code == 200


def test_sitemap_and_robots(client, cast):
    seed.seed()
    xml = client.get("/sitemap.xml")
    assert xml["Content-Type"].startswith("application/xml")
    root = ET.fromstring(xml.content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in root.findall("s:url/s:loc", ns)]
    assert any(loc.endswith("/pages/a-propos/") for loc in locs)
    assert any(loc.endswith(f"/repertoire/{cast.acme.slug}/") for loc in locs)
    assert not any(loc.endswith(f"/repertoire/{cast.prospect.slug}/") for loc in locs)
    assert all(loc.startswith("http") for loc in locs)
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /gestion/" in robots and "Sitemap: " in robots


def test_canonical_and_open_graph(client, cast):
    seed.seed()
    page = client.get("/pages/a-propos/?utm=x").content.decode()
    assert '<link rel="canonical" href="' in page and "/pages/a-propos/?utm" not in page
    assert '<meta property="og:title" content="À propos">' in page
    assert '<meta name="description"' in page


@pytest.mark.parametrize("role,status", [("anonymous", 302), ("alice", 403), ("bea", 403),
                                         ("sam", 200)])
def test_permission_matrix(client, cast, role, status):
    seed.seed()
    page = Page.objects.get(slug="a-propos")
    rev = page.revisions.first()
    if role != "anonymous":
        login(client, getattr(cast, role))
    for url in ["/gestion/site/", "/gestion/site/nouvelle/", f"/gestion/site/{page.pk}/"]:
        assert client.get(url).status_code == status, url
    for url in [f"/gestion/site/{page.pk}/statut/",
                f"/gestion/site/{page.pk}/versions/{rev.pk}/restaurer/"]:
        assert client.post(url, {"status": "draft"}).status_code in (
            (302,) if role == "anonymous" else (403,) if status == 403 else (200, 302)), url
    assert client.get("/pages/a-propos/").status_code == 200
    assert client.get("/pages/inconnue/").status_code == 404


def test_seed_is_idempotent(cast):
    assert seed.seed() == [(4, "site pages")]
    assert seed.seed() == [(0, "site pages")]
    assert ContactTopic.objects.count() == 4


# --- Per-language addresses and hreflang (issue #19 leftover) ------------------------------

def _head_links(html):
    import re

    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def test_each_language_has_its_own_address_and_both_name_each_other(client, cast, settings):
    seed.seed()
    settings.SITE_URL = "https://alliage.example"
    french = client.get("/pages/a-propos/")
    english = client.get("/en/pages/a-propos/")
    assert french["Content-Language"] == "fr-ca" and english["Content-Language"] == "en"
    fr_html, en_html = french.content.decode(), english.content.decode()
    assert '<html lang="fr">' in fr_html and "<h1>À propos</h1>" in fr_html
    assert '<html lang="en">' in en_html and "<h1>About us</h1>" in en_html
    expected = {"fr-CA": "https://alliage.example/pages/a-propos/",
                "en": "https://alliage.example/en/pages/a-propos/",
                "x-default": "https://alliage.example/pages/a-propos/"}
    assert _head_links(fr_html) == expected == _head_links(en_html)
    assert '<link rel="canonical" href="https://alliage.example/en/pages/a-propos/">' in en_html
    assert 'href="/en/pages/services/">Our services</a>' in en_html     # the menu follows


def test_a_visitor_who_chose_a_language_lands_on_its_version(client, cast):
    seed.seed()
    client.cookies["alliage_language"] = "en"
    assert client.get("/pages/a-propos/")["Location"] == "/en/pages/a-propos/"
    client.cookies["alliage_language"] = "fr-ca"
    assert client.get("/en/pages/a-propos/")["Location"] == "/pages/a-propos/"
    # The switcher's round trip: English chosen on the French page ends on the English one.
    switched = client.get("/langue/en/?next=/pages/a-propos/", follow=True)
    assert switched.redirect_chain[-1][0] == "/en/pages/a-propos/"


def test_a_page_without_english_has_one_address_and_no_hreflang(client, cast):
    seed.seed()
    Page.objects.filter(slug="partenaires").update(body_en="")
    assert client.get("/en/pages/partenaires/")["Location"] == "/pages/partenaires/"
    html = client.get("/pages/partenaires/").content.decode()
    assert not _head_links(html)
    client.cookies["alliage_language"] = "en"
    assert client.get("/pages/partenaires/").status_code == 200       # no loop, French text


def test_the_sitemap_lists_both_versions_with_their_alternates(client, cast):
    seed.seed()
    root = ET.fromstring(client.get("/sitemap.xml").content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9",
          "x": "http://www.w3.org/1999/xhtml"}
    entries = {u.find("s:loc", ns).text: {a.get("hreflang"): a.get("href")
                                          for a in u.findall("x:link", ns)}
               for u in root.findall("s:url", ns)}
    fr = next(loc for loc in entries if loc.endswith("/pages/a-propos/")
              and "/en/" not in loc)
    en = next(loc for loc in entries if loc.endswith("/en/pages/a-propos/"))
    assert entries[fr] == entries[en] == {"fr-CA": fr, "en": en}


def test_the_page_editor_is_the_newsletter_composer_without_mail_only_tools(client, cast):
    seed.seed()
    login(client, cast.sam)
    html = client.get(f"/gestion/site/{Page.objects.get(slug='a-propos').pk}/").content.decode()
    assert 'type="module" src="/static/js/composer.js"' in html
    assert html.count("data-rich-editor") == 2 and html.count('role="toolbar"') == 2
    assert 'id="link-dialog"' in html and 'id="image-dialog"' in html
    assert 'data-command="token"' not in html and 'data-command="button"' not in html


# --- Team and board page, staff-chosen home blocks (issue #19 leftovers) -------------------

def test_the_team_page_lists_the_board_from_governance(client, cast):
    from datetime import date, timedelta

    from alliage.governance.models import BoardMember

    seed.seed()
    today = date.today()
    BoardMember.objects.create(full_name="Alice Tremblay", organisation=cast.acme,
                               role="president", term_start=today - timedelta(days=30),
                               term_end=today + timedelta(days=700))
    html = client.get("/pages/equipe/").content.decode()
    assert "direction@alliage02.example" in html                   # staff's own words
    assert "Alice Tremblay" in html and "Usinage Précision Acme inc." in html
    english = client.get("/en/pages/equipe/").content.decode()
    assert "Board of directors" in english and "Alice Tremblay" in english


def _home_blocks(html):
    import re

    return re.findall(r'aria-labelledby="(home-[a-z]+)"', html)


def test_staff_choose_the_home_page_blocks_and_their_order(client, cast,
                                                           django_capture_on_commit_callbacks):
    from alliage.core.models import AuditLog
    from alliage.mailing.models import Post
    from alliage.pages.models import HomeBlock

    seed.seed()
    Post.objects.create(title_fr="Nouvelle", body_fr="x", published_at="2026-01-01T10:00Z",
                        slug="nouvelle")
    before = _home_blocks(client.get("/").content.decode())
    assert before.index("home-news") < before.index("home-pages")    # the default order
    login(client, cast.sam)
    form = client.get("/gestion/site/accueil/").content.decode()
    assert "Dernières nouvelles" in form
    data = {"shown_pages": "on", "position_pages": "1", "position_news": "2",
            "position_events": "3", "position_spotlight": "4", "position_symbiosis": "5",
            "shown_events": "on", "shown_spotlight": "on", "shown_symbiosis": "on"}
    with django_capture_on_commit_callbacks(execute=True):        # the cached home goes
        assert client.post("/gestion/site/accueil/", data).status_code == 302
    assert HomeBlock.objects.get(key="news").shown is False
    assert AuditLog.objects.filter(action="pages.home_block_saved").exists()
    client.logout()
    after = _home_blocks(client.get("/").content.decode())
    assert after[0] == "home-pages" and "home-news" not in after and "home-pages" in after


@pytest.mark.parametrize("bad", [{"position_news": "-1"}, {"position_news": "abc"},
                                 {"position_news": "100000"}, {"position_news": ""}])
def test_bad_home_block_positions_change_nothing(client, cast, bad):
    from alliage.pages.models import HomeBlock

    login(client, cast.sam)
    response = client.post("/gestion/site/accueil/", {"position_pages": "1", **bad})
    assert response.status_code == 200 and not HomeBlock.objects.exists()


@pytest.mark.parametrize("role,status", [("anonymous", 302), ("alice", 403), ("bob", 403),
                                         ("bea", 403), ("sam", 200)])
def test_only_staff_choose_the_home_blocks(client, cast, role, status):
    if role != "anonymous":
        login(client, getattr(cast, role))
    assert client.get("/gestion/site/accueil/").status_code == status
    assert client.post("/gestion/site/accueil/", {}).status_code == status   # staff: errors


@pytest.mark.parametrize("bad", [{"menu_position": "-1"}, {"menu_position": "999999"},
                                 {"slug": "a/../b"}, {"extra": "evil"}, {"title_fr": "x" * 500},
                                 {"title_fr": ""}])
def test_a_bad_page_form_changes_nothing(client, cast, bad):
    login(client, cast.sam)
    response = save(client, **{"slug": "nouvelle-page", **bad})
    assert response.status_code == 200 and not Page.objects.exists()


# --- Brand: colours and fonts are association settings staff set (issue #19 leftover) -----

def test_staff_set_the_brand_fonts_and_colours_every_page_uses(client, cast):
    from alliage.core.models import Association

    login(client, cast.sam)
    form = client.get("/gestion/association/").content.decode()
    assert 'name="font"' in form and 'name="heading_font"' in form
    association = Association.current()
    association.font, association.heading_font = "humanist", "serif"
    association.primary_colour = "#7a1f1f"
    association.save()
    css = client.get("/theme.css").content.decode()
    assert "--brand:#7a1f1f" in css
    assert "body{font-family:Seravek" in css and css.rstrip().endswith("serif;}")
    assert "h1,h2,h3,h4{font-family:Charter" in css
