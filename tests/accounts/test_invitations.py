from datetime import timedelta

from django.utils import timezone

from alliage.accounts.models import Invitation, User
from alliage.accounts.services import invitation_create
from alliage.core.roles import Role, roles_of
from alliage.members.models import Affiliation
from tests.conftest import login


def _accept_link(mail):
    return next(line.strip() for line in mail.body.splitlines() if "/compte/invitation/" in line)


def test_member_admin_invites_a_colleague_who_joins_the_company(client, cast, mailoutbox):
    login(client, cast.alice)
    response = client.post("/compte/invitations/nouvelle/", {
        "email": "eve@acme.example", "role": "contact", "organisation": cast.acme.pk,
        "language": "fr-ca", "first_name": "Ève"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1 and "Précision Acme" in mailoutbox[0].subject
    path = _accept_link(mailoutbox[0]).split("127.0.0.1:8000")[-1]
    client.logout()
    accepted = client.post(path, {"first_name": "Ève", "last_name": "Lavoie",
                                  "password1": "une-phrase-secrete-longue",
                                  "password2": "une-phrase-secrete-longue"})
    assert accepted.status_code == 302
    eve = User.objects.get(email="eve@acme.example")
    assert Affiliation.objects.filter(contact=eve.contact, organisation=cast.acme,
                                      is_admin=False).exists()
    assert Role.MEMBER_CONTACT in roles_of(eve)
    # The link works once.
    assert client.get(path).status_code == 404


def test_member_admin_cannot_invite_into_another_company(client, cast):
    login(client, cast.alice)
    response = client.post("/compte/invitations/nouvelle/", {
        "email": "x@rival.example", "role": "contact", "organisation": cast.rival.pk,
        "language": "fr-ca"})
    # The other company is not even offered in the form.
    assert response.status_code == 200
    assert Invitation.objects.count() == 0


def test_member_admin_cannot_invite_staff(cast):
    import pytest
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        invitation_create(inviter=cast.alice, email="x@y.example", role="staff")


def test_plain_contact_cannot_open_invitations(client, cast):
    login(client, cast.bob)
    assert client.get("/compte/invitations/nouvelle/").status_code == 403


def test_staff_invites_a_colleague_to_the_team(client, cast, mailoutbox):
    login(client, cast.sam)
    client.post("/compte/invitations/nouvelle/", {"email": "new@alliage.example",
                                                  "role": "staff", "language": "fr-ca"})
    invitation = Invitation.objects.get()
    assert invitation.role == "staff" and invitation.organisation is None


def test_expired_invitation_is_refused(client, cast, mailoutbox):
    invitation, token = invitation_create(inviter=cast.sam, email="late@acme.example",
                                          role="contact", organisation=cast.acme)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(f"/compte/invitation/{token}/")
    assert response.status_code == 404
    assert "Invitation non valide" in response.content.decode()


def test_weak_password_is_refused_in_french(client, cast):
    _invitation, token = invitation_create(inviter=cast.sam, email="weak@acme.example",
                                           role="contact", organisation=cast.acme)
    response = client.post(f"/compte/invitation/{token}/", {
        "first_name": "W", "last_name": "K", "password1": "123", "password2": "123"})
    assert response.status_code == 200
    assert "trop court" in response.content.decode()
    assert not User.objects.filter(email="weak@acme.example").exists()
