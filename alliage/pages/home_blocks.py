"""The home page's blocks as staff choose them (issue #19): which of the apps' sections
(``core.home``) show and in which order, and a block of the site's pages marked "on the home
page". Registered from ``PagesConfig.ready``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from alliage.pages.models import HomeBlock, Page

LABELS = {
    "events": _("Upcoming events"),
    "news": _("Latest news"),
    "spotlight": _("A member company in the spotlight"),
    "symbiosis": _("Industrial symbiosis"),
    "pages": _("Pages of the site marked “on the home page”"),
}


def label(key):
    return LABELS.get(key, key)


def choose(keys):
    """``core.home``'s chooser: the shown keys in staff's order; without any choice saved,
    every block in its default order; a block added later comes last, shown."""
    rows = {r.key: r for r in HomeBlock.objects.all()}
    if not rows:
        return keys
    rank = {k: (rows[k].position, i) if k in rows else (10_000, i) for i, k in enumerate(keys)}
    return [k for k in sorted(keys, key=rank.__getitem__) if k not in rows or rows[k].shown]


def pages_section(request):
    """The published pages staff put on the home page, or None."""
    from alliage.pages.models import ContactTopic

    pages = list(Page.objects.filter(status=Page.Status.PUBLISHED, on_home=True))
    if not pages:
        return None
    return ("pages/_home.html", {"pages": pages, "contact": ContactTopic.objects.exists()})


class HomeBlocksForm(forms.Form):
    """One line per block: shown or not, its position."""

    def __init__(self, *args, keys, **kwargs):
        super().__init__(*args, **kwargs)
        rows = {r.key: r for r in HomeBlock.objects.all()}
        self.keys = keys
        for i, key in enumerate(keys, start=1):
            row = rows.get(key)
            self.fields[f"shown_{key}"] = forms.BooleanField(
                label=_("Show “%(block)s”") % {"block": label(key)}, required=False,
                initial=row.shown if row else True)
            self.fields[f"position_{key}"] = forms.IntegerField(
                label=_("Position of “%(block)s”") % {"block": label(key)}, min_value=1,
                max_value=99, initial=row.position if row else i)

    def lines(self):
        return [(label(k), self[f"shown_{k}"], self[f"position_{k}"]) for k in self.keys]

    def choices(self):
        return [(k, self.cleaned_data[f"shown_{k}"], self.cleaned_data[f"position_{k}"])
                for k in self.keys]
