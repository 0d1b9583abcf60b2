"""The newsletter's rich text: what the composer may store, and its plain-text twin.

The composer (static/js/composer.js, the ProseMirror editor vendored from
django-prose-editor) posts HTML. The server never trusts it: `clean` keeps only the tags
a newsletter uses, links and images on http(s) (mailto for links), the `mail-button`
class and nothing else, and puts each block on its own line (a mail line must stay under
SMTP's 998 characters, and the sender's prebuilt message needs short lines). Campaigns
written before the editor hold Markdown: `is_html` tells them apart, `for_editor` turns
Markdown into HTML the first time such a campaign is opened, and `as_text` gives the
text part of the email from either.
"""

import re
from html import unescape
from html.parser import HTMLParser

import nh3

TAGS = {"p", "br", "strong", "em", "a", "h2", "h3", "ul", "ol", "li", "blockquote", "hr",
        "img"}
ATTRIBUTES = {"a": {"href", "title", "class"}, "img": {"src", "alt", "width"}}
BLOCKS = ("p", "h2", "h3", "ul", "ol", "li", "blockquote", "hr", "img")
_START = re.compile(r"\s*<(p|h[1-6]|ul|ol|blockquote|hr|img|div|table|pre)[\s>/]", re.I)


def _attribute(tag, name, value):
    """Only the composer's button class survives; a width must be a number."""
    if name == "class":
        return "mail-button" if "mail-button" in value.split() else None
    if name == "width":
        return value if value.isdigit() and int(value) <= 1200 else None
    return value


def clean(html):
    """The composer's HTML, sanitised: allowed tags and attributes only, one block a line."""
    html = nh3.clean(html or "", tags=TAGS, attributes=ATTRIBUTES,
                     url_schemes={"http", "https", "mailto"}, attribute_filter=_attribute,
                     link_rel="noopener noreferrer")
    html = re.sub(r"<p>(\s|<br\s*/?>)*</p>", "", html)         # empty paragraphs
    # A list item holding one paragraph is the item itself (tighter lists in mail).
    html = re.sub(r"<li>\s*<p>((?:(?!</?p>).)*)</p>\s*</li>", r"<li>\1</li>", html, flags=re.S)
    html = re.sub(r"\s*(<(?:p|h2|h3|ul|ol|li|blockquote|hr)[\s>/]|</(?:ul|ol|blockquote)>)",
                  r"\n\1", html)
    return re.sub(r"\n{2,}", "\n", html).strip()


def is_html(body):
    """True for a body the composer wrote (it opens with a block tag); False for Markdown."""
    return bool(body and _START.match(body))


def for_editor(body):
    """The body as the editor loads it: HTML as it is, Markdown converted (and cleaned)."""
    if not body or is_html(body):
        return body or ""
    from alliage.mailing.render import markdown_html

    return clean(markdown_html(body, inline=False))


class _Text(HTMLParser):
    """HTML → readable text: paragraphs apart, headings underlined by their words, list
    items with a dash or number, links as 'text (address)', images by their description."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out, self.lists, self.href, self.link_text = [], [], None, []
        self.item_opened = False          # a <p> right after a list marker adds no space

    def _newlines(self, n=2):
        text = "".join(self.out).rstrip(" ")
        self.out = [text + "\n" * max(0, n - (len(text) - len(text.rstrip("\n"))))] \
            if text else []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        opened, self.item_opened = self.item_opened, tag == "li"
        if tag == "p" and opened:
            return
        if tag in ("p", "h2", "h3", "blockquote", "ul", "ol"):
            self._newlines(2 if not self.lists else 1)
        if tag in ("ul", "ol"):
            self.lists.append(0 if tag == "ol" else None)
        elif tag == "li":
            self._newlines(1)
            if self.lists and self.lists[-1] is not None:
                self.lists[-1] += 1
                self.out.append("  " * (len(self.lists) - 1) + f"{self.lists[-1]}. ")
            else:
                self.out.append("  " * max(0, len(self.lists) - 1) + "- ")
        elif tag == "br":
            self.out.append("\n")
        elif tag == "hr":
            self._newlines(2)
            self.out.append("----------\n\n")
        elif tag == "a":
            self.href, self.link_text = attrs.get("href"), []
        elif tag == "img" and attrs.get("alt"):
            self.out.append(f"[{attrs['alt']}]")

    def handle_endtag(self, tag):
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self._newlines(2 if not self.lists else 1)
        elif tag in ("p", "h2", "h3", "blockquote"):
            self._newlines(2 if not self.lists else 1)
        elif tag == "a" and self.href is not None:
            words = "".join(self.link_text).strip()
            if self.href.startswith("mailto:") or self.href == words:
                pass
            else:
                self.out.append(f" ({self.href})" if words else self.href)
            self.href = None

    def handle_data(self, data):
        data = re.sub(r"\s+", " ", data)
        if not data.strip() and (not self.out or self.out[-1].endswith(("\n", "- ", ". "))):
            return                        # the newlines between blocks are not text
        self.item_opened = False
        if self.href is not None:
            self.link_text.append(data)
        self.out.append(data)


def as_text(body):
    """The text part of a message: Markdown stays as written (it reads as text), HTML is
    turned into text."""
    if not is_html(body):
        return body or ""
    parser = _Text()
    parser.feed(body)
    parser.close()
    text = unescape("".join(parser.out))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in text.split("\n"))
                  ).strip() + "\n"
