"""Support's amounts are typed in dollars and kept in cents through core.widgets.CentsField
(issue #21): French and English spellings, no negative, no word, nothing beyond 100 M$."""

import pytest
from django.utils import translation

from alliage.support.forms import CaseCloseForm, ProgramForm, ProjectForm
from alliage.support.models import FundingProgram

pytestmark = pytest.mark.django_db

PROJECT = {"title": "Robot", "theme": "automation", "starts_on": "2027-02-01"}


@pytest.mark.parametrize("typed,cents", [("400000", 40_000_000), ("40 000,50", 4_000_050),
                                         ("1 250.75 $", 125_075), ("0", 0)])
def test_a_budget_typed_in_dollars_is_kept_in_cents(typed, cents):
    form = ProjectForm({**PROJECT, "budget": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_for_service()["budget_cents"] == cents


@pytest.mark.parametrize("typed", ["-5", "beaucoup", "100000000,01", "1e12", "", "1e400",
                                   "Infinity", "-Infinity", "NaN", "9" * 60])
def test_a_wrong_budget_is_refused_in_french(typed):
    with translation.override("fr-ca"):
        form = ProjectForm({**PROJECT, "budget": typed})
        assert not form.is_valid()
        message = form.errors["budget"][0]
    assert message in ("Le montant ne peut pas être négatif.",
                       "Saisissez un montant en dollars, p. ex. 40 ou 39,95.",
                       "Au plus 100 000 000 $ : vérifiez le montant.",
                       "Ce champ est obligatoire.")


def test_a_program_shows_its_amounts_in_dollars_and_saves_them_in_cents(cast):
    program = FundingProgram.objects.create(name_fr="Fonds", funder="F", level="regional",
                                            objectives_fr="x", themes=["export"],
                                            max_amount_cents=5_000_000)
    with translation.override("fr-ca"):
        html = str(ProgramForm(instance=program)["max_amount"])
    assert 'value="50000,00"' in html
    data = {"name_fr": "Fonds", "funder": "F", "level": "regional", "objectives_fr": "x",
            "themes": ["export"], "max_amount": "75 000", "min_budget": "", "is_active": "on"}
    form = ProgramForm(data, instance=program)
    assert form.is_valid(), form.errors
    saved = form.save()
    assert (saved.max_amount_cents, saved.min_budget_cents) == (7_500_000, None)


def test_financing_obtained_needs_an_amount_above_zero():
    assert not CaseCloseForm({"outcome": "financing", "amount": "0"}).is_valid()
    form = CaseCloseForm({"outcome": "financing", "amount": "75 000 $"})
    assert form.is_valid() and form.cleaned_data["amount"] == 7_500_000
