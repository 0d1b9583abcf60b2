"""No template line is longer than 200 characters (issue #21), so templates stay readable
and reviewable in a diff.

A line is wrapped without changing what is rendered: between an HTML tag's attributes, at
a space that was already there, inside a ``{% blocktranslate trimmed %}`` text (trimmed
joins the lines with one space: same msgid, same output), or by moving a translated
sentence of a plain-text mail into a variable (``{% blocktranslate ... asvar name %}``)
ahead of the subject line, whose leading blank lines ``core.mail.queue_email`` strips.
Django's template lexer does not allow a tag to span lines.

The only lines allowed over the limit are the few below: each is one translated sentence of
a plain-text mail, alone on its line, where a line break would change the mail's text or
the sentence's msgid (and so orphan its French translation).
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX = 200
TEMPLATE_DIRS = [ROOT / "templates", *sorted((ROOT / "alliage").glob("*/templates"))]

# (template, start of the sentence): why the line cannot be broken.
MAIL_SENTENCE = ("one translated sentence of a plain-text mail: a line break inside it would "
                 "show in the mail or change its msgid")
ALLOWED = {
    ("templates/email/advantages_purchase_closed.txt",
     "The group purchase {{ title }} is closed."): MAIL_SENTENCE,
    ("templates/email/introduction_suggested.txt",
     "Our industrial symbiosis facilitator found"): MAIL_SENTENCE,
    ("templates/email/showcase_rfq_sent.txt",
     "Your request “{{ title }}” was sent to {{ n }} supplier"): MAIL_SENTENCE,
    ("templates/email/stream_expiry.txt",
     "Your listing “{{ title }}” on the symbiosis exchange"): MAIL_SENTENCE,
    ("templates/email/two_factor_backup_code_used.txt",
     "A backup code was used to log in"): MAIL_SENTENCE,
}

# One {% blocktranslate %} ... {% endblocktranslate %} and nothing else on the line
# ({% plural %} inside it is part of the same sentence).
ONE_SENTENCE = re.compile(r"\{% blocktranslate(?: [^%]*)? %\}"
                          r"(?:[^{]|\{\{ \w+ \}\}|\{% plural %\})*"
                          r"\{% endblocktranslate %\}")


def template_files():
    for folder in TEMPLATE_DIRS:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in {".html", ".txt", ".xml"}:
                yield path


def long_lines(text, limit=MAX):
    """(line number, line) of each line longer than ``limit``."""
    return [(n, line) for n, line in enumerate(text.splitlines(), 1) if len(line) > limit]


def allowance(relative, line):
    """The allow-list entry that covers ``line``, or None."""
    for (template, start), _reason in ALLOWED.items():
        if template == relative and start in line and ONE_SENTENCE.fullmatch(line):
            return template, start
    return None


def test_no_template_line_is_longer_than_200_characters():
    offending, used = [], set()
    for path in template_files():
        relative = path.relative_to(ROOT).as_posix()
        for number, line in long_lines(path.read_text(encoding="utf-8")):
            entry = allowance(relative, line)
            if entry is None:
                offending.append(f"{relative}:{number} ({len(line)} characters)")
            else:
                used.add(entry)
    assert not offending, "template lines over 200 characters:\n" + "\n".join(offending)
    stale = set(ALLOWED) - used
    assert not stale, f"allowed lines that are no longer over the limit: {sorted(stale)}"


def test_the_check_finds_a_long_line_and_allows_only_a_lone_mail_sentence():
    text = "short\n" + "x" * 201 + "\n" + "y" * 200
    assert long_lines(text) == [(2, "x" * 201)]
    sentence = ("{% blocktranslate with title=stream.title %}Our industrial symbiosis facilitator "
                "found {{ title }}.{% endblocktranslate %}")
    assert allowance("templates/email/introduction_suggested.txt", sentence)
    # The same sentence with another tag on its line, or in another template, is not allowed.
    assert allowance("templates/email/introduction_suggested.txt",
                     sentence + "{% if note %}") is None
    assert allowance("templates/email/stream_expiry.txt", sentence) is None


def test_the_scan_reads_every_template_folder():
    names = {path.relative_to(ROOT).as_posix() for path in template_files()}
    assert "templates/base.html" in names
    assert "templates/email/guest_order.txt" in names
    assert "alliage/core/templates/forms/field.html" in names
    assert "templates/pages/sitemap.xml" in names
