"""Menus that apps contribute to, so that core knows no app (issue #21).

Two menus:
- the main menu in the header: links for everyone, for members, member-company admins or staff;
- the staff navigation: sections (Members, Events, ...) with the pages under them.

Each app registers its entries in its ``AppConfig.ready()``::

    from alliage.core import nav
    nav.register_main_link("advantages", _("Advantages"), "advantages:catalogue", order=40)
    nav.register_staff_section("advantages", _("Advantages"), order=45,
                               prefixes=("/gestion/avantages/",))
    nav.register_staff_link("advantages", _("Programs"), "advantages:staff_list", order=10)

A link may join another app's section by its key (core's email outbox sits under
"comms"); sections and links are shown by ``order``. Registering the same key twice
replaces the entry (``ready()`` may run more than once in tests).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse

EVERYONE, MEMBER, MEMBER_ADMIN, STAFF = "everyone", "member", "member_admin", "staff"
# Board members who are not staff (staff reach the same pages through "Management").
BOARD = "board"
AUDIENCES = (EVERYONE, MEMBER, MEMBER_ADMIN, STAFF, BOARD)


@dataclass(frozen=True)
class MainLink:
    key: str
    label: str
    url_name: str
    audience: str = EVERYONE
    order: int = 50


@dataclass(frozen=True)
class StaffLink:
    key: str
    label: str
    url_name: str
    order: int = 50


@dataclass
class StaffSection:
    key: str
    label: str
    order: int = 50
    prefixes: tuple[str, ...] = ()          # paths under the section besides its links' own
    links: dict[str, StaffLink] = field(default_factory=dict)


_main: dict[str, MainLink] = {}
_sections: dict[str, StaffSection] = {}
_pending_links: dict[str, dict[str, StaffLink]] = {}


def register_main_link(key, label, url_name, *, audience=EVERYONE, order=50):
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {AUDIENCES}, got {audience!r}")
    _main[key] = MainLink(key, label, url_name, audience, order)
    _menus.clear()


def register_staff_section(key, label, *, order=50, prefixes=()):
    section = _sections.get(key)
    links = section.links if section else _pending_links.pop(key, {})
    _sections[key] = StaffSection(key, label, order, tuple(prefixes), links)


def register_staff_link(section_key, label, url_name, *, order=50, key=None):
    link = StaffLink(key or url_name, label, url_name, order)
    section = _sections.get(section_key)
    target = section.links if section else _pending_links.setdefault(section_key, {})
    target[link.key] = link


def _url(url_name):
    try:
        return reverse(url_name)
    except NoReverseMatch:              # an app registered a link to a page not mounted
        return None


# Header links ordered in this range are the association's services: they fold under one
# "Services" menu so the header stays on one line (directory, events and symbiosis before,
# my company and management after).
SERVICES_ORDERS = range(40, 60)


# The header of each role combination, language and URL configuration, built once per
# process: the links are registered at start-up (a new registration clears it) and
# reversing a dozen URL names on every page cost more than the rest of the header.
_menus: dict[tuple, dict] = {}


def main_menu(*, is_member, is_member_admin, is_staff, is_board=False):
    """The header: {"before": [links], "services": [links], "after": [links]}; the same
    object for every page of the same roles and language (read it, never change it)."""
    from django.conf import settings
    from django.urls import get_script_prefix, get_urlconf
    from django.utils.translation import get_language

    key = (bool(is_member), bool(is_member_admin), bool(is_staff), bool(is_board),
           get_language(),
           get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)
    menu = _menus.get(key)
    if menu is None:
        menu = _menus[key] = _build_main_menu(is_member=is_member,
                                              is_member_admin=is_member_admin,
                                              is_staff=is_staff, is_board=is_board)
    return menu


def _build_main_menu(*, is_member, is_member_admin, is_staff, is_board=False):
    links = [{**link, "label": str(link["label"])} for link in main_links(
        is_member=is_member, is_member_admin=is_member_admin, is_staff=is_staff,
        is_board=is_board)]
    out = {"before": [], "services": [], "after": []}
    for link in links:
        if link["order"] in SERVICES_ORDERS:
            out["services"].append(link)
        else:
            out["before" if link["order"] < SERVICES_ORDERS.start else "after"].append(link)
    return out


def main_links(*, is_member, is_member_admin, is_staff, is_board=False):
    """The header's links the viewer may follow, in order: [{label, url, order}]."""
    allowed = {EVERYONE}
    if is_board and not is_staff:
        allowed.add(BOARD)
    if is_member:
        allowed.add(MEMBER)
    if is_member_admin:
        allowed.add(MEMBER_ADMIN)
    if is_staff:
        allowed.add(STAFF)
    out = []
    for link in sorted(_main.values(), key=lambda x: (x.order, x.key)):
        url = _url(link.url_name) if link.audience in allowed else None
        if url:
            out.append({"label": link.label, "url": url, "order": link.order})
    return out


def staff_navigation(path):
    """The staff navigation for a page: sections with their links, which one is current.

    A link is "page" on its own address and "true" below it (a company's file under
    Companies); a section is current when the path is under one of its links or prefixes.
    """
    sections, current = [], None
    for section in sorted(_sections.values(), key=lambda s: (s.order, s.key)):
        links = []
        for link in sorted(section.links.values(), key=lambda x: (x.order, x.key)):
            url = _url(link.url_name)
            if not url:
                continue
            state = "page" if path == url else ("true" if path.startswith(url) else "")
            links.append({"label": link.label, "url": url, "current": state})
        if not links:
            continue
        inside = any(link["current"] for link in links) or any(
            path.startswith(prefix) for prefix in section.prefixes)
        entry = {"key": section.key, "label": section.label, "url": links[0]["url"],
                 "links": links, "grouped": len(links) > 1, "current": ""}
        if inside:
            entry["current"] = "true" if entry["grouped"] or path != entry["url"] else "page"
            current = entry
        sections.append(entry)
    return {"sections": sections, "current": current}


# --- The footer: links that come from data (the public site's pages) -------------------

_footer_providers: dict[str, object] = {}


def register_footer_links(key, provider):
    """``provider()`` returns [{"label", "url"}] shown in every page's footer."""
    _footer_providers[key] = provider


def footer_links():
    out = []
    for _key, provider in sorted(_footer_providers.items()):
        out.extend(provider())
    return out
