"""Issue #14, item 15: a count shown next to a noun goes through ngettext /
{% blocktranslate count %}, never "(s)" nor a fixed plural ("1 adresses exclues")."""
import re
from pathlib import Path

from babel.messages.pofile import read_po
from django.utils import translation

from alliage.core.templatetags.alliage import de_name, de_name_text

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"

# Placeholders that hold a number of things. Left out: years/months (retention settings, two or
# more by policy) and minutes/km (followed by the invariable units "min" and "km").
COUNTS = r"n|count|counter|total|k|left|asked|new|updated|unchanged|p|e|cap|devices|hours|" \
         r"low|high|t|c|d"
# A count followed by a word; "of/in/and…" and "taxes" (after an amount) are not nouns counted.
COUNT_THEN_WORD = re.compile(r"%\((?:" + COUNTS + r")\)s\s+(?!(?:of|in|en|de|sur|taxes|and|et|"
                             r"to|au)\b)(?:[a-zéèà]\w*)")
# A counted string that is legitimately not plural, with the reason.
ALLOWED = {
    "At most %(n)s rows per file.": "n is the constant MAX_ROWS (in the thousands)",
    "%(what)s (%(count)s lines)": "only used when an invoice has two lines or more",
    "%(t)s t diverted from landfill · %(c)s t CO2e avoided · %(d)s $ saved":
        "units (t, $) are invariable; totals, not counts of things",
    "Also recovered: %(label)s, %(t)s t (%(c)s t CO2e avoided).":
        "the unit t is invariable; tonnes with one decimal, not a count of things",
    "Too many attempts. Wait %(minutes)s min, then try again.": "the unit “min” is invariable",
    "less than %(km)s km": "the unit “km” is invariable",
    "between %(low)s and %(high)s km": "the unit “km” is invariable",
    "more than %(km)s km": "the unit “km” is invariable",
    "Import done: %(new)s created, %(updated)s updated.":
        "English participles do not agree; French labels each count (“Créées : n”)",
    "Congratulations! Your certificate for %(title)s (%(hours)s hours) is ready:":
        "hours may be fractional (1.5); French uses the invariable unit “h”",
    "attended %(title)s for %(hours)s hours":
        "hours may be fractional (1.5); French uses the invariable unit “h”",
    "Genuine certificate: %(name)s attended %(title)s for %(hours)s hours (issued %(date)s).":
        "hours may be fractional (1.5); French uses the invariable unit “h”",
    "shown only after answer no. %(n)s of an earlier question":
        "n is an ordinal (answer no. 3), not a count",
    # Amounts of money and invariable units, not counts of things (issues #15-#19).
    "%(p)s km in this order (%(e)s km in the order the companies joined).":
        "the unit “km” is invariable",
    "%(h)s h per employee, %(s)s h per spouse, %(c)s h per child":
        "the unit “h” is invariable",
    "%(resource)s — %(month)s — %(hours)s h": "the unit “h” is invariable",
    "%(c)s a month, split by the hours booked": "c is an amount of money",
    "%(c)s per hour": "c is an amount of money",
    "%(p)s per employee per year, before taxes.": "p is an amount of money",
    "%(p)s per year, before taxes.": "p is an amount of money",
    "list price %(p)s per %(unit)s": "p is an amount of money",
    "The group purchase %(title)s is closed. The order of %(org)s with %(supplier)s: %(q)s "
    "%(unit)s at %(p)s each (list price %(l)s), a saving of %(s)s before taxes.":
        "q counts the unit staff name (litres, boxes…), written as they typed it",
}
# French forms whose number is a value after a label or an invariable unit.
FRENCH_LABELLED = re.compile(r"%\((?:" + COUNTS + r")\)s\s+(?:h|min|km|t|\$|mois|sur)\b")


def _catalog():
    with PO.open("rb") as handle:
        return read_po(handle)


def test_no_french_or_english_message_writes_a_plural_as_s_in_brackets():
    bad = []
    for message in _catalog():
        if not message.id:
            continue
        texts = [*(message.id if isinstance(message.id, tuple) else (message.id,)),
                 *(message.string if isinstance(message.string, tuple) else (message.string,))]
        if message.id not in ALLOWED and any(re.search(r"\w\((?:s|e|es)\)", text)
                                             for text in texts):
            bad.append(message.id)
    assert bad == []


def test_no_source_string_writes_a_plural_as_s_in_brackets():
    bad = []
    for path in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("templates/**/*.txt"),
                 *ROOT.glob("alliage/**/*.py")]:
        text = path.read_text(encoding="utf-8")
        for hit in re.finditer(r"""(?:_|gettext\w*|translate)\(?\s*["'][^"'\n]*\w\(s\)""", text):
            if not any(allowed.startswith(hit.group(0).split("\"")[-1].split("'")[-1][:20])
                       for allowed in ALLOWED):
                bad.append(f"{path.relative_to(ROOT)}: {hit.group(0)[:60]}")
    assert bad == []


def test_every_count_next_to_a_noun_is_a_plural_message():
    bad = []
    for message in _catalog():
        if not message.id or message.pluralizable or message.id in ALLOWED:
            continue
        if COUNT_THEN_WORD.search(message.id):
            bad.append(message.id)
            continue
        french = COUNT_THEN_WORD.findall(FRENCH_LABELLED.sub("", message.string))
        if french:
            bad.append(message.id)
    assert bad == [], "use ngettext / {% blocktranslate count %}: " + repr(bad[:10])


def test_allow_list_holds_only_live_messages():
    ids = {m.id for m in _catalog()}
    assert set(ALLOWED) <= ids


def test_plural_messages_pick_the_french_form_by_number():
    from django.template import Context, Template

    template = Template("{% load i18n %}{% blocktranslate count n=n %}{{ n }} suppressed address "
                        "(bounces, complaints).{% plural %}{{ n }} suppressed addresses (bounces, "
                        "complaints).{% endblocktranslate %}")
    with translation.override("fr"):
        assert template.render(Context({"n": 1})).startswith("1 adresse exclue ")
        assert template.render(Context({"n": 0})).startswith("0 adresse exclue ")
        assert template.render(Context({"n": 3})).startswith("3 adresses exclues ")
    with translation.override("en"):
        assert template.render(Context({"n": 1})).startswith("1 suppressed address ")


def test_de_name_elides_before_a_vowel_or_h():
    with translation.override("fr"):
        assert de_name_text("Alliage 02") == "d'Alliage 02"
        assert de_name_text("Hydro-Sherbrooke") == "d'Hydro-Sherbrooke"
        assert de_name_text("Écocentre") == "d'Écocentre"
        assert de_name_text("Recyclage Estrie") == "de Recyclage Estrie"
        assert de_name_text("Le Groupe Roy") == "du Groupe Roy"
        assert de_name_text("Les Ateliers") == "des Ateliers"
        assert de_name("A & B") == "d'A &amp; B"
    with translation.override("en"):
        assert de_name_text("Alliage 02") == "of Alliage 02"


def test_the_subscribe_page_and_invitation_read_d_alliage():
    from django.template import Context, Template

    with translation.override("fr"):
        html = Template("{% load i18n alliage %}{% blocktranslate with of_name=name|de_name %}"
                        "I agree to receive the communications {{ of_name }} on the chosen lists. "
                        "I can unsubscribe at any time.{% endblocktranslate %}"
                        ).render(Context({"name": "Alliage 02"}))
        assert "les communications d'Alliage 02 sur" in html
        assert "de Alliage" not in html


def test_offer_and_need_kind_reads_type():
    with translation.override("fr"):
        assert translation.gettext("kind") == "type"
