"""Symbiosis' personal data in the Law 25 registry: messages written in introductions.

Streams, matches, synergies and characterisations describe companies' materials, not
people; their exemptions say so.
"""

from django.utils.translation import gettext_lazy as _

from alliage.core import privacy
from alliage.symbiosis.models import (
    Characterisation,
    ImpactFactor,
    Match,
    Message,
    Stream,
    StreamFile,
)

iso = privacy.iso


def _export_messages(subject):
    return [{"introduction": m.introduction_id, "side": m.side, "written_at": iso(m.created_at),
             "message": m.body}
            for m in Message.objects.filter(author_id__in=subject.user_ids).order_by(
                "created_at")]


def _erase_messages(subject, actor):
    # The other company keeps the thread's shape (who wrote when), not the person's words.
    Message.objects.filter(author_id__in=subject.user_ids).update(body="")


def register():
    privacy.register(
        "symbiosis_messages", title=_("Symbiosis messages"),
        models=[Message], export=_export_messages,
        anonymise=_erase_messages,
        rule=_("Messages you wrote in a symbiosis introduction are erased with you; the "
               "conversation keeps only who wrote when."))
    privacy.exempt(Stream, "a company's offers and needs (material descriptions)")
    privacy.exempt(Match, "scores between two companies' streams")
    privacy.exempt(StreamFile, "documents about a company's material")
    privacy.exempt(Characterisation, "a company's waste characterisation; 'performed by' "
                                     "names the firm or facilitator in their professional "
                                     "role")
    privacy.exempt(ImpactFactor, "reference data with its public source")
