"""The shared cast of tests: named people and companies, built once per test (with the
factories of ``tests/factories.py``, which a test uses for anyone beyond the cast).

- ``acme``: a member manufacturer in Chicoutimi (Haut-Saguenay park); ``alice`` is its
  admin, ``bob`` a plain contact.
- ``rival``: another member company in Alma; ``carol`` is its admin.
- ``prospect``: a non-member company listed nowhere; ``dan`` is its admin.
- ``sam``: association staff. ``bea``: board member without a company.
"""

from datetime import date

from alliage.core.seed import seed_association, seed_places
from alliage.members.models import FeeBand, MembershipType, MemberStatus, Sector
from alliage.members.seed import seed_sectors
from tests.factories import PASSWORD, OrganisationFactory, UserFactory, person

__all__ = ["PASSWORD", "Cast"]


class Cast:
    def __init__(self):
        seed_association()
        seed_places()
        seed_sectors()
        self.regular = MembershipType.objects.create(
            code="regulier-test", name_fr="Membre régulier", name_en="Regular member",
            fee_rule=MembershipType.FeeRule.BANDS, period_kind="fiscal", fiscal_start_month=7,
            grace_days=60)
        FeeBand.objects.create(membership_type=self.regular, min_employees=1, max_employees=19,
                               fee_cents=27500)
        FeeBand.objects.create(membership_type=self.regular, min_employees=20, max_employees=None,
                               fee_cents=65000)
        metal = Sector.objects.get(code="332")
        engineering = Sector.objects.get(code="5413")
        self.acme = OrganisationFactory(
            legal_name="Usinage Précision Acme inc.", trade_name="Précision Acme",
            slug="precision-acme", neq="1100000011", primary_sector=metal, employees=45,
            municipality_id=self._town("chicoutimi"), park_id=self._park("haut-saguenay"),
            street="100, rue Manic", postal_code="G7K 1A1", phone="418-555-0100",
            email="info@acme.example", website="https://acme.example",
            description_fr="Usinage CNC de précision.", member_status=MemberStatus.ACTIVE,
            member_since=date(2020, 7, 1))
        self.rival = OrganisationFactory(
            legal_name="Génie Rival ltée", slug="genie-rival", primary_sector=engineering,
            employees=12, municipality_id=self._town("alma"), email="info@rival.example",
            member_status=MemberStatus.ACTIVE)
        self.prospect = OrganisationFactory(
            legal_name="Prospect Transport inc.", slug="prospect-transport",
            municipality_id=self._town("jonquiere"), member_status=MemberStatus.NONE)
        self.alice = self._person("alice@acme.example", "Alice", "Tremblay", self.acme, admin=True)
        self.bob = self._person("bob@acme.example", "Bob", "Gagnon", self.acme)
        self.carol = self._person("carol@rival.example", "Carol", "Simard", self.rival, admin=True)
        self.dan = self._person("dan@prospect.example", "Dan", "Savard", self.prospect,
                                admin=True)
        self.sam = UserFactory(email="sam@alliage.example", first_name="Sam",
                               last_name="Staff", is_staff=True)
        self.bea = UserFactory(email="bea@alliage.example", first_name="Bea",
                               is_board_member=True)

    @staticmethod
    def _town(slug):
        from alliage.core.models import Municipality

        return Municipality.objects.get(slug=slug).pk

    @staticmethod
    def _park(slug):
        from alliage.core.models import Park

        return Park.objects.get(slug=slug).pk

    @staticmethod
    def _person(email, first, last, org, admin=False):
        return person(email=email, first_name=first, last_name=last, organisation=org,
                      admin=admin)

    def user(self, name):
        """A cast member by name; "anonymous" gives None."""
        return None if name == "anonymous" else getattr(self, name)
