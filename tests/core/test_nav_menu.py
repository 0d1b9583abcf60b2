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
