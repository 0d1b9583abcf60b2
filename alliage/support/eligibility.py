"""Which funding programs may fund a member's project, ranked and explained.

``assess`` checks one program against one project and its company, criterion by criterion
(kind of project, sector, size, region, budget, intake dates). Each criterion is *met*,
*uncertain* (the company's file does not say: its size, its sector...) or *failed*. A program
is eligible when nothing failed; eligible programs come first, the surest (fewest uncertain
criteria) and the largest estimated help before the others.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alliage.core.money import format_money

MET, UNCERTAIN, FAILED = "met", "uncertain", "failed"


@dataclass
class Assessment:
    program: object
    checks: list = field(default_factory=list)       # [(state, sentence)]
    estimate_cents: int | None = None

    @property
    def eligible(self):
        return all(state != FAILED for state, _text in self.checks)

    def _of(self, state):
        return [text for s, text in self.checks if s == state]

    @property
    def met(self):
        return self._of(MET)

    @property
    def uncertain(self):
        return self._of(UNCERTAIN)

    @property
    def failed(self):
        return self._of(FAILED)

    def sort_key(self):
        return (not self.eligible, len(self.uncertain), len(self.failed),
                -(self.estimate_cents or 0), str(self.program))


def _sector_codes(org):
    codes = []
    if org.primary_sector_id:
        codes.append(org.primary_sector.code)
    codes += [s.code for s in org.secondary_sectors.all()]
    return codes


def _day(value):
    return date_format(value, "j F Y")


def assess(program, project, org, *, today: date, program_sectors=None, program_regions=None):
    """The assessment of ``program`` for ``project`` of ``org`` on ``today``."""
    a = Assessment(program)
    labels = program.theme_labels()
    if project.theme in program.themes:
        a.checks.append((MET, _("It funds this kind of project (%(theme)s).") % {
            "theme": project.get_theme_display()}))
    else:
        a.checks.append((FAILED, _("It funds %(themes)s, not %(theme)s.") % {
            "themes": ", ".join(str(x) for x in labels) or "—",
            "theme": project.get_theme_display()}))

    sectors = program_sectors if program_sectors is not None else list(program.sectors.all())
    if not sectors:
        a.checks.append((MET, _("Every sector is eligible.")))
    else:
        codes = _sector_codes(org)
        hit = next((s for s in sectors for c in codes if c.startswith(s.code)), None)
        if hit:
            a.checks.append((MET, _("Your sector is eligible (%(sector)s).") % {"sector": hit}))
        elif not codes:
            a.checks.append((UNCERTAIN, _("Your company's file has no sector: the program "
                                          "is limited to some sectors.")))
        else:
            a.checks.append((FAILED, _("It is limited to other sectors (%(sectors)s).") % {
                "sectors": ", ".join(s.code for s in sectors)}))

    low, high = program.min_employees, program.max_employees
    if low is None and high is None:
        a.checks.append((MET, _("Companies of every size are eligible.")))
    elif org.employees is None:
        a.checks.append((UNCERTAIN, _("Your company's file does not give its number of "
                                      "employees.")))
    elif (low is None or org.employees >= low) and (high is None or org.employees <= high):
        a.checks.append((MET, ngettext("Your size (%(n)s employee) is eligible.",
                                       "Your size (%(n)s employees) is eligible.",
                                       org.employees) % {"n": org.employees}))
    else:
        a.checks.append((FAILED, ngettext(
            "It is for companies of %(low)s to %(high)s employees; yours has %(n)s employee.",
            "It is for companies of %(low)s to %(high)s employees; yours has %(n)s employees.",
            org.employees) % {
            "low": low if low is not None else 1, "high": high if high is not None else "∞",
            "n": org.employees}))

    regions = program_regions if program_regions is not None else list(program.regions.all())
    if not regions:
        a.checks.append((MET, _("Available everywhere in Québec.")))
    elif not org.municipality_id:
        a.checks.append((UNCERTAIN, _("Your company's file has no municipality: the program "
                                      "is limited to some regions.")))
    elif org.municipality.region_id in {r.pk for r in regions}:
        a.checks.append((MET, _("Your region is eligible (%(region)s).") % {
            "region": org.municipality.region}))
    else:
        a.checks.append((FAILED, _("It is limited to other regions (%(regions)s).") % {
            "regions": ", ".join(str(r) for r in regions)}))

    if program.min_budget_cents and project.budget_cents < program.min_budget_cents:
        a.checks.append((FAILED, _("It asks for a budget of at least %(min)s.") % {
            "min": format_money(program.min_budget_cents)}))

    if program.closes_on and program.closes_on < today:
        a.checks.append((FAILED, _("Its deadline has passed (%(day)s).") % {
            "day": _day(program.closes_on)}))
    elif program.opens_on and program.opens_on > today:
        a.checks.append((UNCERTAIN, _("Its next intake opens on %(day)s.") % {
            "day": _day(program.opens_on)}))
    elif program.closes_on:
        a.checks.append((MET, _("Apply before %(day)s.") % {"day": _day(program.closes_on)}))
    else:
        a.checks.append((MET, _("Applications are taken all year.")))

    estimates = []
    if program.rate_percent is not None:
        estimates.append(project.budget_cents * program.rate_percent // 100)
    if program.max_amount_cents is not None:
        estimates.append(program.max_amount_cents)
    a.estimate_cents = min(estimates) if estimates else None
    return a


def ranked(programs, project, org, *, today):
    """Every program's assessment, eligible ones first (see the module's docstring)."""
    out = [assess(p, project, org, today=today, program_sectors=list(p.sectors.all()),
                  program_regions=list(p.regions.all())) for p in programs]
    return sorted(out, key=lambda a: a.sort_key())
