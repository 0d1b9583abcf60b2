"""Bilingual data fields (``*_fr`` / ``*_en``)."""

from django.utils.translation import get_language


def pick(fr, en):
    """The English text when the interface is English and one exists, else the French."""
    if (get_language() or "fr").startswith("en") and en:
        return en
    return fr or en


class translated:
    """A model's bilingual attribute: ``title = translated()`` reads ``title_fr`` and
    ``title_en`` and gives the one for the interface's language (``pick``). One descriptor
    instead of the same three-line property written in every bilingual model."""

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        return pick(getattr(obj, f"{self.name}_fr"), getattr(obj, f"{self.name}_en"))
