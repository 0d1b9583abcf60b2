"""Governance's personal data in the Law 25 registry.

Ballots and voter marks hold no person by design (``docs/decisions/0010-secret-ballots.md``).
A representative at an assembly, a board seat and a candidacy name a person."""

from django.utils.translation import gettext_lazy as _

from alliage.core import privacy
from alliage.governance.models import (
    Assembly,
    Attendance,
    Ballot,
    BoardMember,
    Bylaws,
    Candidate,
    Resolution,
)


def _export_attendance(subject):
    return [{"assembly": a.assembly.title_fr, "date": privacy.iso(a.assembly.starts_at),
             "organisation": a.organisation.legal_name, "mode": a.mode}
            for a in Attendance.objects.filter(representative_id=subject.person_id)
            .select_related("assembly", "organisation")]


def _anonymise_attendance(subject, actor):
    # The organisation stays present (quorum and minutes); the person goes.
    Attendance.objects.filter(representative_id=subject.person_id).update(representative=None)


def _board_rows(subject):
    by_contact = BoardMember.objects.filter(contact_id=subject.person_id) \
        if subject.person_id else BoardMember.objects.none()
    return by_contact


def _export_board(subject):
    seats = [{"role": b.role, "from": privacy.iso(b.term_start), "to": privacy.iso(b.term_end)}
             for b in _board_rows(subject)]
    names = [n for n in subject.names if n]
    candidacies = [{"election": c.election.title_fr, "statement": c.statement_fr}
                   for c in Candidate.objects.filter(full_name__in=names)
                   .select_related("election")] if names else []
    return {"board_seats": seats, "candidacies": candidacies}


def _anonymise_candidacies(subject, actor):
    # The register of directors is kept (the law asks for it); an unelected candidacy loses
    # its name and statement, its votes stay counted.
    names = [n for n in subject.names if n]
    if names:
        elected = BoardMember.objects.values("full_name")
        Candidate.objects.filter(full_name__in=names).exclude(full_name__in=elected).update(
            full_name=f"[{subject.key}]", statement_fr="", statement_en="")


def register():
    privacy.register(
        "assembly_attendance", title=_("Assembly attendance"), models=[Attendance],
        export=_export_attendance, anonymise=_anonymise_attendance,
        rule=_("Your presence as your organisation's representative is kept with the "
               "assembly's minutes; erased, the organisation stays present without you."))
    privacy.register(
        "board_and_candidacies", title=_("Board and elections"),
        models=[BoardMember, Candidate], export=_export_board,
        anonymise=_anonymise_candidacies,
        rule=_("Board seats stay in the register of directors the law asks the association "
               "to keep; an unelected candidacy loses your name and statement on erasure."),
        kept=_("The register of directors (board seats and their terms)."))
    privacy.exempt(Ballot, "a ballot holds candidate ids and no voter, by design")
    privacy.exempt(Assembly, "an assembly's agenda written by the staff")
    privacy.exempt(Resolution, "a resolution's text written by the staff")
    privacy.exempt(Bylaws, "the by-laws' figures")
