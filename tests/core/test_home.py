"""Issue #14, item 11: the home page shows what is alive — next events, latest news, a
member in the spotlight, the symbiosis at a glance, the association's logo — says the
slogan once, and offers visitors "Devenir membre" in the header."""

import re
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from alliage.core.models import Association
from alliage.mailing.models import Post
from tests.conftest import login, text
from tests.events.conftest import make_event


def _news(title, days_ago=1, **extra):
    from django.utils.text import slugify

    return Post.objects.create(slug=slugify(title), title_fr=title,
                               summary_fr="Un résumé.", body_fr="Texte",
                               published_at=timezone.now() - timedelta(days=days_ago), **extra)


def _symbiosis(cast):
    from alliage.symbiosis.models import Stream

    Stream.objects.create(organisation=cast.acme, kind="offer", title="Copeaux d'aluminium",
                          status="published")
    Stream.objects.create(organisation=cast.rival, kind="need", title="Chaleur", status="draft")


def test_visitors_see_events_news_spotlight_symbiosis_and_the_slogan_once(client, cast):
    make_event(slug="golf", title_fr="Tournoi de golf")
    make_event(slug="reserve", title_fr="Souper des membres", members_only=True)
    make_event(slug="passe", title_fr="Activité passée",
               starts_at=timezone.now() - timedelta(days=3),
               ends_at=timezone.now() - timedelta(days=3))
    _news("Nouvelle usine à Alma")
    _news("Pas encore publiée", days_ago=-2)
    _symbiosis(cast)
    page = text(client.get("/"))
    assert "Prochaines activités" in page and "Tournoi de golf" in page
    assert "Souper des membres" not in page and "Activité passée" not in page
    assert "Dernières nouvelles" in page and "Nouvelle usine à Alma" in page
    assert "Pas encore publiée" not in page
    assert "Membre à l'honneur" in page
    assert re.search(r"Précision Acme|Génie Rival", page.split("Membre à l'honneur")[1])
    assert "1</strong> matière offerte" in page and "0</strong> besoin publié" in page
    slogan = Association.current().slogan
    assert slogan and page.count(slogan) == 1                   # not again in the footer
    # "Devenir membre" in the header, for visitors.
    header = page.split("</header>")[0]
    assert 'class="header-cta" href="/devenir-membre/">Devenir membre</a>' in header


def test_members_see_their_events_and_no_join_call(client, cast):
    make_event(slug="reserve", title_fr="Souper des membres", members_only=True)
    login(client, cast.carol)
    page = text(client.get("/"))
    assert "Souper des membres" in page
    assert "header-cta" not in page and "Pourquoi adhérer?" not in page


def test_the_spotlight_shows_what_the_viewer_may_see_and_turns_daily(client, cast):
    import time_machine

    from alliage.members.models import Visibility

    cast.acme.field_visibility = {**cast.acme.field_visibility,
                                  "description": Visibility.MEMBERS}
    cast.acme.save()
    names = set()
    for day in range(2):
        with time_machine.travel(timezone.now() + timedelta(days=day)):
            page = text(client.get("/")).split("Membre à l'honneur")[1].split("</section>")[0]
        names |= {n for n in ("Précision Acme", "Génie Rival") if n in page}
        assert "Usinage CNC de précision." not in page           # members-only description
    assert names == {"Précision Acme", "Génie Rival"}


def test_empty_sections_are_left_out(client, cast):
    from alliage.members.models import Organisation

    Organisation.objects.update(is_listed=False)
    page = text(client.get("/"))
    for title in ("Prochaines activités", "Dernières nouvelles", "Membre à l'honneur",
                  "Symbiose industrielle</h2>"):
        assert title not in page


def test_the_association_logo_heads_the_page(client, cast):
    association = Association.current()
    association.logo = SimpleUploadedFile("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>",
                                          content_type="image/svg+xml")
    association.save()
    page = text(client.get("/"))
    assert re.search(r'<img src="/media/association/logo[^"]*\.svg" alt="Logo d.Alliage 02" '
                     r'class="home-logo">', page)


def test_the_cached_home_page_follows_news_events_and_listings(client, cast):
    client.get("/")
    assert client.get("/")["X-Alliage-Cache"] == "hit"
    _news("Une nouvelle toute fraîche")
    assert "Une nouvelle toute fraîche" in text(client.get("/"))
    assert client.get("/")["X-Alliage-Cache"] == "hit"
    make_event(slug="nouvelle", title_fr="Visite d'usine")
    assert "Visite d'usine" in text(client.get("/"))
    _symbiosis(cast)
    assert "1</strong> matière offerte" in text(client.get("/"))


def test_home_page_queries_are_capped(client, cast, django_assert_max_num_queries):
    for n in range(5):
        make_event(slug=f"e{n}", title_fr=f"Activité {n}")
        _news(f"Nouvelle {n}")
    _symbiosis(cast)
    with django_assert_max_num_queries(14):
        assert client.get("/").status_code == 200
