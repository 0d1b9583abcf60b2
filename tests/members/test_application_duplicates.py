"""An application naming an existing person's email attaches nobody by itself: staff decide
(issue #11, item 9)."""

from alliage.core.models import AuditLog
from alliage.members.models import Affiliation, Contact, Membership, Organisation
from tests.conftest import login, text
from tests.members.test_memberships import _apply


def _applied(client, cast):
    response = _apply(client, cast, email="BOB@acme.example", first_name="Robert",
                      last_name="Imposteur")
    assert "Demande reçue" in text(response)
    org = Organisation.objects.get(legal_name="Soudure Nouvelle inc.")
    return org, org.memberships.get()


def test_application_with_an_existing_email_attaches_that_person_to_nothing(client, cast):
    org, _membership = _applied(client, cast)
    assert not Affiliation.objects.filter(contact=cast.bob.contact, organisation=org).exists()
    assert org not in Organisation.objects.administered_by(cast.bob)
    pending = Contact.objects.get(affiliations__organisation=org)
    assert pending.pk != cast.bob.contact_id and pending.last_name == "Imposteur"
    assert pending.possible_duplicate_of_id == cast.bob.contact_id
    # The existing person's own record is untouched.
    bob = Contact.objects.get(pk=cast.bob.contact_id)
    assert (bob.first_name, bob.last_name) == ("Bob", "Gagnon")


def test_staff_see_that_the_email_exists_with_a_link(client, cast):
    org, _membership = _applied(client, cast)
    login(client, cast.sam)
    html = text(client.get(f"/gestion/entreprises/{org.pk}/"))
    assert "Ce courriel existe déjà" in html
    assert f'href="/gestion/personnes/{cast.bob.contact_id}/"' in html
    assert "Courriel déjà connu" in text(client.get("/gestion/adhesions/demandes/"))


def test_staff_attach_the_existing_person(client, cast):
    org, membership = _applied(client, cast)
    pending = Contact.objects.get(affiliations__organisation=org)
    login(client, cast.sam)
    response = client.post(f"/gestion/entreprises/{org.pk}/personnes/{pending.pk}/doublon/",
                           {"decision": "attach"})
    assert response.status_code == 302
    affiliation = Affiliation.objects.get(organisation=org)
    assert affiliation.contact_id == cast.bob.contact_id and affiliation.is_admin
    assert not Contact.objects.filter(pk=pending.pk).exists()
    assert AuditLog.objects.filter(action="contact.duplicate_attach").exists()
    # Now the application can be decided.
    client.post(f"/gestion/entreprises/{org.pk}/adhesions/{membership.pk}/decision/",
                {"decision": "approve", "message": ""})
    assert Membership.objects.get(pk=membership.pk).status == "invoiced"


def test_staff_keep_the_applicant_as_a_new_person(client, cast):
    org, _membership = _applied(client, cast)
    pending = Contact.objects.get(affiliations__organisation=org)
    login(client, cast.sam)
    client.post(f"/gestion/entreprises/{org.pk}/personnes/{pending.pk}/doublon/",
                {"decision": "keep"})
    pending.refresh_from_db()
    assert pending.possible_duplicate_of is None
    assert not Affiliation.objects.filter(contact=cast.bob.contact, organisation=org).exists()
    assert AuditLog.objects.filter(action="contact.duplicate_keep").exists()


def test_approval_waits_for_the_decision_about_the_person(client, cast):
    org, membership = _applied(client, cast)
    login(client, cast.sam)
    response = client.post(
        f"/gestion/entreprises/{org.pk}/adhesions/{membership.pk}/decision/",
        {"decision": "approve", "message": ""}, follow=True)
    assert "Décidez d'abord" in text(response)
    assert Membership.objects.get(pk=membership.pk).status == "applied"


def test_a_bad_duplicate_decision_changes_nothing(client, cast):
    org, _membership = _applied(client, cast)
    pending = Contact.objects.get(affiliations__organisation=org)
    login(client, cast.sam)
    url = f"/gestion/entreprises/{org.pk}/personnes/{pending.pk}/doublon/"
    response = client.post(url, {"decision": "merge-everything"}, follow=True)
    assert response.status_code == 200 and "Choisissez" in text(response)
    pending.refresh_from_db()
    assert pending.possible_duplicate_of_id == cast.bob.contact_id
    # Another company's person, or someone without a pending question: 404.
    assert client.post(f"/gestion/entreprises/{cast.acme.pk}/personnes/{pending.pk}/doublon/",
                       {"decision": "keep"}).status_code == 404
    assert client.post(
        f"/gestion/entreprises/{cast.acme.pk}/personnes/{cast.bob.contact_id}/doublon/",
        {"decision": "keep"}).status_code == 404


def test_an_invitation_to_that_email_links_the_known_person_not_the_applicant(client, cast):
    from alliage.accounts import services as accounts

    known = Contact.objects.create(first_name="Zoé", last_name="Connue",
                                   email="zoe@acme.example")
    Affiliation.objects.create(contact=known, organisation=cast.acme)
    _apply(client, cast, email="zoe@acme.example", first_name="Zoé", last_name="Abeille")
    applicant = Contact.objects.get(last_name="Abeille")
    assert applicant.possible_duplicate_of_id == known.pk
    invitation, _token = accounts.invitation_create(inviter=cast.alice, email="zoe@acme.example",
                                                    role="member", organisation=cast.acme)
    user = accounts.invitation_accept(invitation=invitation, first_name="Zoé",
                                      last_name="Connue", password="un-mot-de-passe-42")
    assert user.contact_id == known.pk
