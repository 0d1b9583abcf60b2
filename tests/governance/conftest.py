from datetime import timedelta

import pytest
from django.utils import timezone

from alliage.governance.models import Assembly, Candidate, Election
from alliage.members.models import Affiliation, Contact, Organisation


def make_assembly(**changes):
    values = {"title_fr": "AGA 2026", "starts_at": timezone.now() + timedelta(days=30),
              "place": "Chicoutimi", "agenda_fr": "1. Ouverture\n2. Élections",
              "status": "convened"}
    values.update(changes)
    return Assembly.objects.create(**values)


def make_election(seats=2, names=("Ana Roy", "Ben Fortin", "Cléo Lavoie"), **changes):
    now = timezone.now()
    values = {"title_fr": "Élection du conseil", "seats": seats, "status": "open",
              "opens_at": now - timedelta(hours=1), "closes_at": now + timedelta(days=1)}
    values.update(changes)
    election = Election.objects.create(**values)
    election.c = [Candidate.objects.create(election=election, full_name=n) for n in names]
    return election


def member(slug, admin_email=None, status="active"):
    """Another member company (with an admin contact when ``admin_email``)."""
    org = Organisation.objects.create(legal_name=f"{slug.title()} inc.", slug=slug,
                                      member_status=status)
    if admin_email:
        contact = Contact.objects.create(first_name="Ad", last_name=slug, email=admin_email)
        Affiliation.objects.create(contact=contact, organisation=org, is_admin=True)
    return org


@pytest.fixture
def assembly(cast):
    return make_assembly()


@pytest.fixture
def election(cast):
    return make_election()


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def make_document(assembly, title="États financiers 2025", kind="financial"):
    from django.core.files.base import ContentFile

    from alliage.governance.models import AssemblyDocument

    return AssemblyDocument.objects.create(assembly=assembly, title=title, kind=kind,
                                           file=ContentFile(PDF, name="etats.pdf"))
