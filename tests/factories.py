"""factory_boy factories for the people and companies of tests (the named cast in
``tests/people.py`` is built with them). A test that needs more than the cast writes
``OrganisationFactory(member_status="active")`` or ``PersonFactory(organisation=org,
admin=True)`` instead of a helper of its own; every value not given is unique and plausible.
"""

import factory
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from alliage.accounts.models import User
from alliage.members.models import Affiliation, Contact, Organisation

PASSWORD = "correct-horse-battery-42"


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    legal_name = factory.Sequence(lambda n: f"Entreprise {n} inc.")
    slug = factory.LazyAttribute(lambda o: slugify(o.legal_name)[:200])


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    first_name = "Personne"
    last_name = factory.Sequence(lambda n: f"Test {n}")
    email = factory.Sequence(lambda n: f"personne{n}@test.example")


class AffiliationFactory(DjangoModelFactory):
    class Meta:
        model = Affiliation

    contact = factory.SubFactory(ContactFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class UserFactory(DjangoModelFactory):
    """A login (password ``PASSWORD``), through ``User.objects.create_user``."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"compte{n}@test.example")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        password = kwargs.pop("password", PASSWORD)
        return model_class.objects.create_user(kwargs.pop("email"), password, **kwargs)


def person(*, email, first_name, last_name, organisation=None, admin=False, login=True):
    """A person (Contact) working for ``organisation`` (admin: also its billing contact),
    with a login by default: returns the User, or the Contact when ``login`` is False."""
    contact = ContactFactory(first_name=first_name, last_name=last_name, email=email)
    if organisation is not None:
        AffiliationFactory(contact=contact, organisation=organisation, is_admin=admin,
                           is_billing=admin)
    if not login:
        return contact
    return UserFactory(email=email, first_name=first_name, last_name=last_name,
                       contact=contact)
