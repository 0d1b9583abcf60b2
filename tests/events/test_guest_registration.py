"""Issue #13: a visitor from a non-member company registers for a public event without an
account, at the non-member price, invoiced to their company, and manages it through the
signed link of the confirmation email. Company admins see and cancel their company's
registrations on the event page."""

import pytest

from alliage.core.models import Email
from alliage.events import guest
from alliage.events.models import Registration
from alliage.members.models import Contact, MemberStatus, Organisation
from tests.conftest import login, text
from tests.events.conftest import make_event

GOLF = "/activites/cinq-a-sept/inscription/"


def _form(**changes):
    data = {"first_name": "Nadia", "last_name": "Fortin", "email": "nadia@soudure.example",
            "phone": "418 555 0199", "company": "Soudure Nadia inc.", "neq": "",
            "street": "12, rue des Pionniers", "city": "Alma", "postal_code": "g8b1a1",
            "billing_email": "", "consent": "on"}
    data.update(changes)
    return data


@pytest.fixture
def event(cast):
    event = make_event()
    data = _form()
    data["ticket_type"] = event.ticket_types.get().pk
    event.form = data
    return event


def _link(email_to):
    """The signed link: sent in the mail, never stored in its copy (SECRET_CONTEXT)."""
    from alliage.events.models import Order

    stored = Email.objects.filter(to=email_to, template="guest_order").get().body_text
    assert "/activites/commande/" not in stored
    return guest.order_url(Order.objects.get(buyer__email=email_to))


def test_a_visitor_registers_at_the_public_price_and_a_prospect_is_created(client, event,
                                                                          mailoutbox):
    response = client.post(GOLF, event.form)
    assert response.status_code == 302
    registration = Registration.objects.get(event=event)
    assert registration.price_cents == 6000  # the non-member price
    org = registration.order.organisation
    assert org.legal_name == "Soudure Nadia inc." and org.member_status == MemberStatus.NONE
    assert org.affiliations.get().contact == registration.contact
    invoice = registration.order.invoice
    invoice.refresh_from_db()
    assert invoice.organisation == org and invoice.subtotal_cents == 6000
    assert "12, rue des Pionniers" in invoice.bill_to_address
    assert invoice.bill_to_email == "nadia@soudure.example"
    # The confirmation mail holds the signed link; the redirect goes there too.
    link = _link("nadia@soudure.example")
    assert response["Location"] == link
    sent = next(m for m in mailoutbox if m.to == ["nadia@soudure.example"]
                and "Inscription" in m.subject)
    assert link in sent.body
    page = client.get(link)
    assert page.status_code == 200 and "Nadia Fortin" in text(page)
    assert "no-store" in page["Cache-Control"] or "no-cache" in page["Cache-Control"]


def test_a_known_company_is_matched_but_pays_the_public_price(client, cast, event):
    client.post(GOLF, {**event.form, "company": "  usinage précision ACME inc. "})
    registration = Registration.objects.get(event=event)
    assert registration.order.organisation == cast.acme  # a member company...
    assert registration.price_cents == 6000  # ...but a visitor proves no tie to it
    assert not cast.acme.affiliations.filter(contact=registration.contact).exists()
    assert Organisation.objects.count() == 3


def test_a_stranger_never_puts_an_invoice_on_a_known_companys_account(client, cast, event):
    """Review #11, attack 2, M2: typing a member's public name (or NEQ) issued an invoice
    on its account. Its draft now waits, unnumbered and unseen, until staff say who pays."""
    from alliage.billing.models import Invoice

    client.post(GOLF, {**event.form, "company": "Usinage Précision Acme inc."})
    order = Registration.objects.get(event=event).order
    assert order.billing_review and order.invoice.is_draft
    assert not Invoice.objects.issued().filter(organisation=cast.acme).exists()
    link = guest.order_url(order)
    assert "vérifié qui paie" in text(client.get(link))
    login(client, cast.alice)
    assert order.invoice.number is None
    assert "Payer en ligne" not in text(client.get(f"/mon-entreprise/{cast.acme.pk}/facturation/"))
    # Staff: bill the visitor's own (new) company; the order and its invoice move there.
    client.logout()
    login(client, cast.sam)
    page = text(client.get("/gestion/activites/cinq-a-sept/inscriptions/"))
    assert "qui paie" in page
    client.post(f"/gestion/activites/cinq-a-sept/commandes/{order.pk}/facturation/",
                {"bill": "visitor"})
    order.refresh_from_db()
    order.invoice.refresh_from_db()
    assert not order.billing_review and order.organisation != cast.acme
    assert order.invoice.organisation == order.organisation and order.invoice.number
    assert order.organisation.affiliations.get().contact == order.buyer


def test_staff_may_bill_the_named_company_after_confirming(client, cast, event):
    client.post(GOLF, {**event.form, "neq": cast.acme.neq, "company": "Autre nom"})
    order = Registration.objects.get(event=event).order
    login(client, cast.sam)
    path = f"/gestion/activites/cinq-a-sept/commandes/{order.pk}/facturation/"
    assert "Veuillez confirmer" in text(client.post(path, {"bill": "company"}))
    client.post(path, {"bill": "company", "confirmed": "1"})
    order.invoice.refresh_from_db()
    assert order.invoice.organisation == cast.acme and order.invoice.number


def test_cancelling_a_seat_whose_billing_waits_deletes_its_draft(client, cast, event):
    from alliage.billing.models import Invoice

    client.post(GOLF, {**event.form, "company": "Usinage Précision Acme inc."})
    registration = Registration.objects.get(event=event)
    client.post(f"{guest.order_url(registration.order)}annuler/{registration.pk}/",
                {"confirmed": "1"})
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    assert not Invoice.objects.filter(organisation=cast.acme).exists()


def test_a_typed_neq_is_never_stored_on_a_new_company(client, event):
    """Review #11, attack 2, L3: NEQs are public; a stranger's would block the real
    company's own application (the NEQ is unique)."""
    client.post(GOLF, {**event.form, "neq": "1166666666"})
    org = Registration.objects.get(event=event).order.organisation
    assert org.neq == ""


def test_a_known_email_is_never_attached_to_the_known_person(client, cast, event):
    client.post(GOLF, {**event.form, "email": "bob@acme.example"})
    registration = Registration.objects.get(event=event)
    assert registration.contact != cast.bob.contact
    assert registration.contact.possible_duplicate_of == cast.bob.contact
    assert not Registration.objects.filter(contact=cast.bob.contact).exists()


def test_a_members_only_event_takes_no_visitor(client, cast):
    make_event(slug="reserve", members_only=True)
    assert client.get("/activites/reserve/inscription/").status_code == 404
    assert client.post("/activites/reserve/inscription/", _form()).status_code == 404


def test_bad_input_is_a_french_form_error_and_changes_nothing(client, event):
    response = client.post(GOLF, {**event.form, "email": "pas-un-courriel", "neq": "123",
                                  "postal_code": "zzz"})
    assert response.status_code == 200
    assert "Veuillez corriger les champs suivants" in text(response)
    assert 'href="#id_email"' in response.content.decode()  # the summary links each field
    assert not Registration.objects.exists() and Organisation.objects.count() == 3
    no_consent = {k: v for k, v in event.form.items() if k != "consent"}
    assert client.post(GOLF, no_consent).status_code == 200
    assert not Registration.objects.exists()


def test_a_full_event_refuses_and_changes_nothing(client, event):
    event.capacity = 0
    event.save()
    response = client.post(GOLF, event.form)
    assert response.status_code == 200 and not Registration.objects.exists()
    assert not Contact.objects.filter(email="nadia@soudure.example").exists()


def test_the_link_holder_cancels_and_gets_a_credit_note(client, event):
    client.post(GOLF, event.form)
    link = _link("nadia@soudure.example")
    registration = Registration.objects.get()
    page = client.get(link)
    assert "data-confirm" in page.content.decode()
    question = client.post(f"{link}annuler/{registration.pk}/")  # without JavaScript
    assert "Annuler l'inscription de Nadia Fortin?" in text(question)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    response = client.post(f"{link}annuler/{registration.pk}/", {"confirmed": "1"})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    assert registration.order.invoice.credit_notes.count() == 1


def test_an_altered_link_or_another_orders_registration_is_not_found(client, cast, event):
    client.post(GOLF, event.form)
    link = _link("nadia@soudure.example")
    assert client.get(link[:-3] + "xx/").status_code == 404
    assert client.get("/activites/commande/1/").status_code == 404
    from alliage.events import services

    other = services.order_create(event=event, ticket_type=event.ticket_types.get(),
                                  buyer=cast.bob.contact, attendees=[cast.bob.contact],
                                  organisation=cast.acme)
    other_reg = other.registrations.get()
    client.post(f"{link}annuler/{other_reg.pk}/", {"confirmed": "1"})
    other_reg.refresh_from_db()
    assert other_reg.status == Registration.Status.CONFIRMED


def test_the_invoice_pdf_is_reached_by_the_link_only(client, event):
    client.post(GOLF, event.form)
    link = _link("nadia@soudure.example")
    response = client.get(f"{link}facture.pdf")
    assert response.status_code in (200, 202)


def test_create_my_account_sends_an_invitation_to_that_address(client, event):
    client.post(GOLF, event.form)
    link = _link("nadia@soudure.example")
    client.post(f"{link}compte/")
    from alliage.accounts.models import Invitation

    invitation = Invitation.objects.get(email="nadia@soudure.example")
    # Never into a company (review #11, attack 2, M1): a visitor who created a prospect by
    # typing a name must not administer it; staff link people to companies.
    assert invitation.organisation is None
    assert invitation.role == Invitation.Role.MEMBER_CONTACT
    assert Email.objects.filter(to="nadia@soudure.example", template="invitation").exists()


def test_the_event_page_offers_both_ways_to_register(client, cast, event):
    page = text(client.get("/activites/cinq-a-sept/"))
    assert "Vous inscrire sans compte" in page and "prix membre" in page
    login_page = text(client.get("/compte/connexion/"))
    assert "Devenir membre" in login_page and "Pas encore de compte" in login_page


def test_a_company_admin_sees_and_cancels_colleagues_registrations(client, cast, event):
    from alliage.events import services

    order = services.order_create(event=event, ticket_type=event.ticket_types.get(),
                                  buyer=cast.bob.contact, attendees=[cast.bob.contact],
                                  organisation=cast.acme)
    bob_reg = order.registrations.get()
    login(client, cast.alice)
    page = client.get("/activites/cinq-a-sept/")
    assert "Déjà inscrits de votre entreprise" in text(page) and "Bob Gagnon" in text(page)
    client.post(f"/activites/cinq-a-sept/inscriptions/{bob_reg.pk}/annuler/",
                {"confirmed": "1"})
    bob_reg.refresh_from_db()
    assert bob_reg.status == Registration.Status.CANCELLED


def test_no_one_else_cancels_a_companys_registration(client, cast, event):
    from alliage.events import services

    order = services.order_create(event=event, ticket_type=event.ticket_types.get(),
                                  buyer=cast.bob.contact, attendees=[cast.bob.contact],
                                  organisation=cast.acme)
    bob_reg = order.registrations.get()
    for user in (cast.carol, cast.bob, None):
        client.logout()
        login(client, user)
        response = client.post(f"/activites/cinq-a-sept/inscriptions/{bob_reg.pk}/annuler/",
                               {"confirmed": "1"})
        assert response.status_code in (302, 404)
        if user is not None:
            assert response.status_code == 404
    bob_reg.refresh_from_db()
    assert bob_reg.status == Registration.Status.CONFIRMED
    assert "Bob Gagnon" not in text(client.get("/activites/cinq-a-sept/"))


def test_guest_registrations_are_throttled(client, event, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES,
                               "guest_registration": {"ip": (2, 3600), "address": (5, 3600)}}
    for n in range(2):
        client.post(GOLF, {**event.form, "email": f"n{n}@soudure.example"})
    response = client.post(GOLF, {**event.form, "email": "n9@soudure.example"})
    assert response.status_code == 429
    assert not Contact.objects.filter(email="n9@soudure.example").exists()


def test_colleagues_already_registered_are_not_offered_again(client, cast, event):
    from alliage.events import services

    services.order_create(event=event, ticket_type=event.ticket_types.get(),
                          buyer=cast.bob.contact, attendees=[cast.bob.contact],
                          organisation=cast.acme)
    login(client, cast.alice)
    page = client.get("/activites/cinq-a-sept/")
    form = page.context["form"]
    assert "colleagues" not in form.fields or \
        cast.bob.contact not in form.fields["colleagues"].queryset


@pytest.mark.parametrize("typed", ["USINAGE PRECISION ACME INC.", "Précision  Acme",
                                   "usinage précision acme inc."])
def test_a_company_is_matched_whatever_its_accents_case_and_spaces(cast, typed):
    assert guest.match_organisation(name=typed) == cast.acme


@pytest.mark.parametrize("typed", ["Acme", "Précision Acme ltée", "", "ac"])
def test_only_an_exact_name_matches(cast, typed):
    assert guest.match_organisation(name=typed) is None


def test_the_neq_matches_first(cast):
    assert guest.match_organisation(name="Autre nom", neq=cast.acme.neq) == cast.acme


def test_a_person_of_a_member_and_a_prospect_company_registers_for_the_member(client, cast,
                                                                               event):
    """Review #11, attack 2, L1: the order of statuses put the non-member company first."""
    from alliage.members.models import Affiliation

    prospect = cast.prospect
    Affiliation.objects.create(contact=cast.bob.contact, organisation=prospect)
    from alliage.events import selectors

    _contact, organisation, _colleagues = selectors.registration_context(cast.bob, event)
    assert organisation == cast.acme


def test_a_registered_admin_still_registers_colleagues_seen_first(client, cast, event):
    """Walk of #13: once registered, the admin lost the form; the company's seats come
    before any form."""
    from alliage.events import services

    services.order_create(event=event, ticket_type=event.ticket_types.get(),
                          buyer=cast.alice.contact, attendees=[cast.alice.contact],
                          organisation=cast.acme)
    login(client, cast.alice)
    page = client.get("/activites/cinq-a-sept/").content.decode()
    assert page.index("Déjà inscrits de votre entreprise") < page.index("Inscrire des collègues")
    client.post("/activites/cinq-a-sept/", {"ticket_type": event.ticket_types.get().pk,
                                            "colleagues": [cast.bob.contact_id]})
    assert Registration.objects.filter(event=event, contact=cast.bob.contact).exists()
    assert Registration.objects.filter(event=event).count() == 2
