"""Issue #14, item 12: the membership application shows each type with its price and what
it includes, marks required fields, sums up errors at the top (focused, each linked to its
field) and links to the privacy policy it cites."""

import re

from alliage.members.models import FeeBand, MembershipType
from tests.conftest import text
from tests.members.test_memberships import _apply


def test_each_public_type_shows_what_it_includes_and_its_prices(client, cast):
    partner = MembershipType.objects.create(
        code="partenaire", name_fr="Membre partenaire", name_en="Partner member",
        description_fr="Organismes de soutien, de financement et associations.",
        fee_rule=MembershipType.FeeRule.FLAT, flat_fee_cents=50000, taxable=False)
    MembershipType.objects.create(code="cache", name_fr="Adhésion interne", is_public=False)
    page = text(client.get("/devenir-membre/"))
    bands = FeeBand.objects.filter(membership_type=cast.regular).order_by("min_employees")
    first, last = bands.first(), bands.last()
    assert cast.regular.name_fr in page and "Membre partenaire" in page
    assert "Organismes de soutien, de financement et associations." in page
    assert "500,00\xa0$ par année" in page and "Sans taxes." in page
    high = f"{last.min_employees} employés et plus" if last.max_employees is None else \
        f"{last.min_employees} à {last.max_employees} employés"
    assert f"{first.min_employees} à {first.max_employees} employés :" in page and high in page
    assert "Plus TPS et TVQ." in page
    assert "Adhésion interne" not in page
    # Each type is a radio button described by its prices and what it includes.
    radio = re.search(rf'<input type="radio" name="membership_type" value="{partner.pk}" '
                      rf'id="(id_membership_type_\d)" required aria-describedby="([^"]+)"', page)
    assert radio and f'id="{radio.group(2)}"' in page
    assert f'<label for="{radio.group(1)}">Membre partenaire</label>' in page


def test_required_fields_are_marked_and_the_privacy_policy_is_linked(client, cast):
    page = text(client.get("/devenir-membre/"))
    mark = '<span class="required-mark" aria-hidden="true">*</span>'
    assert f"Nom légal de l'entreprise{mark}</label>" in page
    assert "Nom commercial (s'il diffère)</label>" in page                   # optional
    assert f"Type d'adhésion{mark}</legend>" in page
    assert "Les champs marqués d'un" in page
    assert '<a href="/confidentialite/">la politique de confidentialité' in page
    assert "Numéro d'entreprise du Québec (NEQ)" in page                      # capitalised


def test_errors_are_summed_up_at_the_top_with_links_to_their_fields(client, cast):
    page = text(_apply(client, cast, legal_name="", email="pas-un-courriel",
                       membership_type="", consent=""))
    summary = page.split('id="error-summary"')[1].split("</div>")[0]
    assert page.index('id="error-summary"') < page.index('name="legal_name"')   # at the top
    assert ('<div class="message message-error error-summary" role="alert" tabindex="-1" '
            'id="error-summary" autofocus') in page
    assert "Le formulaire contient 4 erreurs à corriger" in summary
    for anchor in ("#id_legal_name", "#id_email", "#id_membership_type_0", "#id_consent"):
        assert f'href="{anchor}"' in summary, anchor
    # The targets exist, and each invalid field names its message.
    for ident in ("id_legal_name", "id_email", "id_membership_type_0", "id_consent"):
        assert f'id="{ident}"' in page
    assert re.search(r'name="email"[^>]*aria-invalid="true"', page)
    # Nothing was created.
    from alliage.members.models import Organisation

    assert not Organisation.objects.filter(legal_name="").exists()


def test_a_valid_application_still_goes_through(client, cast):
    assert "Demande reçue" in text(_apply(client, cast))
