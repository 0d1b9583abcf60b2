"""The header's menu, built once per roles, language and URL configuration (core.nav):
the memo never serves one language's labels in another, a link registered later shows,
and each role combination keeps its own links."""

from django.urls import reverse
from django.utils import translation

from alliage.core import nav


def labels(menu):
    return [link["label"] for part in ("before", "services", "after") for link in menu[part]]


def test_each_language_gets_its_own_labels_from_the_memo(db):
    with translation.override("fr-ca"):
        assert "Répertoire" in labels(nav.main_menu(is_member=False, is_member_admin=False,
                                                    is_staff=False))
    with translation.override("en"):
        assert "Directory" in labels(nav.main_menu(is_member=False, is_member_admin=False,
                                                   is_staff=False))
    with translation.override("fr-ca"):
        again = labels(nav.main_menu(is_member=False, is_member_admin=False, is_staff=False))
        assert "Répertoire" in again and "Directory" not in again


def test_each_role_combination_keeps_its_own_links(db):
    management = reverse("core:staff_dashboard")
    urls = lambda menu: [link["url"] for part in menu.values() for link in part]  # noqa: E731
    assert management in urls(nav.main_menu(is_member=True, is_member_admin=True,
                                            is_staff=True))
    assert management not in urls(nav.main_menu(is_member=True, is_member_admin=True,
                                                is_staff=False))


def test_a_link_registered_later_shows_on_the_next_page(db):
    before = dict(nav._main)
    nav.main_menu(is_member=False, is_member_admin=False, is_staff=False)  # memoised
    try:
        nav.register_main_link("probe", "Sonde", "core:privacy", order=95)
        assert "Sonde" in labels(nav.main_menu(is_member=False, is_member_admin=False,
                                               is_staff=False))
    finally:
        nav._main.clear()
        nav._main.update(before)
        nav._menus.clear()
    assert "Sonde" not in labels(nav.main_menu(is_member=False, is_member_admin=False,
                                               is_staff=False))


def test_the_rendered_header_follows_the_visitors_language(client, db):
    from django.conf import settings

    assert ">Répertoire</a>" in client.get("/confidentialite/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert ">Directory</a>" in client.get("/confidentialite/").content.decode()


def test_the_board_finds_the_key_figures_in_the_header_and_may_follow_the_link(client, cast):
    """A board member who is not staff gets "Chiffres clés" (the read-only dashboard); staff
    keep "Gestion" only; members get neither (never a link a role cannot follow)."""
    import re

    from tests.conftest import login, text

    dashboard = f'href="{reverse("core:staff_dashboard")}"'
    board_link = re.compile(dashboard + r'[^>]*>\s*Chiffres clés\s*</a>')
    for role, shown in [("bea", True), ("sam", True), ("alice", False), ("bob", False),
                        ("anonymous", False)]:
        client.logout()
        login(client, cast.user(role))
        page = text(client.get("/"))
        assert (dashboard in page) is shown, role
        assert bool(board_link.search(page)) is (role == "bea"), role
        if role == "bea":
            assert client.get(reverse("core:staff_dashboard")).status_code == 200
