"""Walk-through #14: markup axe flagged on every page with a message and on action columns."""

from alliage.accounts.models import Invitation
from alliage.core.models import Email
from tests.conftest import login, text


def test_messages_list_sits_in_a_status_region_not_a_list_with_a_role(client, cast):
    login(client, cast.bob)
    client.post("/compte/profil/", {"first_name": "Bob", "last_name": "B", "language": "fr-ca"})
    page = text(client.get("/compte/profil/"))
    assert '<div role="status"><ul class="messages">' in page
    assert '<ul class="messages" role=' not in page
    assert '<li class="message message-success">' in page


def test_outbox_table_is_a_named_region_with_labelled_cells_and_an_actions_header(client,
                                                                                  cast):
    Email.objects.create(key="k1", to="x@example.org", subject="Bonjour", body_text="b",
                         attempts=2, error="timeout")
    login(client, cast.sam)
    page = text(client.get("/gestion/courriels/"))
    assert 'tabindex="0" role="region" aria-labelledby="outbox-heading"' in page
    assert '<h1 id="outbox-heading">' in page
    assert '<th><span class="visually-hidden">Actions</span></th>' in page
    assert 'data-label="Destinataire">x@example.org' in page
    assert '<td class="cell-actions"><form' in page


def test_invitation_table_has_an_actions_header_and_a_named_region(client, cast):
    from alliage.accounts import services

    services.invitation_create(inviter=cast.sam, email="new@example.org",
                               role=Invitation.Role.STAFF)
    login(client, cast.sam)
    page = text(client.get("/compte/invitations/"))
    assert 'tabindex="0" role="region" aria-labelledby="invitations-heading"' in page
    assert '<th><span class="visually-hidden">Actions</span></th>' in page
    assert "<th></th>" not in page


def test_every_scrolling_table_box_is_a_named_focusable_region():
    """axe scrollable-region-focusable: a keyboard must reach a table box that scrolls
    sideways. Boxes holding form fields (formsets) are reached through their fields."""
    import re
    from pathlib import Path

    from django.conf import settings

    missing = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        source = path.read_text()
        for match in re.finditer(r'<div class="table-wrap[^"]*"([^>]*)>', source):
            attributes = match.group(1)
            following = source[match.end():match.end() + 400]
            if "field.label_tag" in following:
                continue
            if not ('tabindex="0"' in attributes and 'role="region"' in attributes and
                    "aria-label" in attributes):
                missing.append(f"{path.name}:{source[:match.start()].count(chr(10)) + 1}")
    assert not missing, missing


def test_invitation_pages_carry_the_staff_navigation_for_staff_only(client, cast):
    """Issue #14 leftover: staff reach the invitations from the grouped navigation and keep
    it there; a company admin inviting colleagues sees no staff menu."""
    login(client, cast.sam)
    for path in ("/compte/invitations/", "/compte/invitations/nouvelle/"):
        page = text(client.get(path))
        assert '<nav class="staff-nav" aria-label="Gestion">' in page, path
        assert 'aria-current="page">Invitations</a>' in page or path.endswith("nouvelle/")
    login(client, cast.alice)
    assert 'class="staff-nav"' not in text(client.get("/compte/invitations/"))
