"""Issue #14, item 13: every form drawn one way (core/forms_renderer.py), an image field
with a preview (core/widgets.py), one icon set (Heroicons, core/templatetags/icons.py)."""

import re
from html.parser import HTMLParser

import pytest
from django import forms
from django.template import Context, Template

from alliage.core.widgets import ImagePreviewInput
from tests.conftest import login, text


class Sample(forms.Form):
    name = forms.CharField(label="Nom légal", help_text="Tel qu'au registre.")
    website = forms.URLField(label="Site Web", required=False)
    listed = forms.BooleanField(label="Inscrite au répertoire", required=False)
    consent = forms.BooleanField(label="J'accepte")
    level = forms.ChoiceField(label="Qui voit", choices=[("public", "Public"),
                                                          ("staff", "Personnel")])
    kind = forms.ChoiceField(label="Type", choices=[("", "---"), ("a", "A")])
    lists = forms.MultipleChoiceField(label="Listes", choices=[("a", "A"), ("b", "B")],
                                      widget=forms.CheckboxSelectMultiple)


def test_labels_have_no_colon_and_required_fields_a_mark_screen_readers_skip():
    form = Sample()
    mark = '<span class="required-mark" aria-hidden="true">*</span>'
    assert str(form["name"].label_tag()) == f'<label for="id_name">Nom légal{mark}</label>'
    assert str(form["website"].label_tag()) == '<label for="id_website">Site Web</label>'
    assert mark in str(form["consent"].label_tag()) and mark in str(form["kind"].label_tag())
    # A select with no empty choice cannot be left empty: no mark.
    assert mark not in str(form["level"].label_tag())
    # The input itself says "required" to assistive technology.
    assert "required" in str(form["name"])


def test_a_model_select_is_judged_without_a_query(django_assert_num_queries, db):
    from alliage.core.models import Municipality

    class WithPlace(forms.Form):
        place = forms.ModelChoiceField(Municipality.objects.all(), label="Municipalité")

    form = WithPlace()
    with django_assert_num_queries(0):
        assert "required-mark" in str(form["place"].label_tag())


def test_form_draws_checkboxes_beside_labels_groups_in_fieldsets_and_ties_help_and_errors():
    html = str(Sample(data={"name": "", "lists": ["z"]}))
    # A checkbox first, then its label, on one line.
    assert re.search(r'<div class="checkbox-line"><input type="checkbox" name="listed"[^>]*>'
                     r' <label for="id_listed">Inscrite au répertoire</label></div>', html)
    # A list of checkboxes is a fieldset named by its legend.
    assert re.search(r'<fieldset class="choice-group"[^>]*>\s*<legend[^>]*>Listes<span '
                     r'class="required-mark"', html)
    # Help text and errors exist under the ids the input points to.
    described = re.search(r'<input type="text" name="name"[^>]*aria-describedby="([^"]+)"',
                          html).group(1).split()
    for ident in described:
        assert f'id="{ident}"' in html, ident
    assert set(described) == {"id_name_helptext", "id_name_error"}
    assert 'aria-invalid="true"' in html


def test_image_field_shows_the_current_image_and_previews_the_chosen_one():
    class Logo:
        url = "/media/logos/acme.png"

        def __str__(self):
            return "logos/acme.png"

    html = ImagePreviewInput().render("logo", Logo(), {"id": "id_logo"})
    assert '<img class="image-preview" data-preview-for="id_logo"' in html
    assert 'src="/media/logos/acme.png"' in html and 'alt="L\'image actuelle"' in html or \
        'alt="L&#x27;image actuelle"' in html
    assert 'data-image-preview' in html and 'accept="image/png,image/jpeg' in html
    assert re.search(r'<label for="logo-clear_id"><input type="checkbox" name="logo-clear" '
                     r'id="logo-clear_id"> Retirer l', html)
    assert 'src="/static/js/image-preview.js"' in html
    # No image yet: the preview waits hidden, without a broken src.
    empty = ImagePreviewInput().render("logo", None, {"id": "id_logo"})
    assert 'alt="" hidden' in empty and "src=" not in empty.split("<input")[0]


def test_icons_come_from_one_set_as_decoration():
    html = Template('{% load icons %}{% icon "arrow-left" size=16 %}').render(Context())
    assert html.startswith("<svg") and 'aria-hidden="true"' in html
    assert 'focusable="false"' in html and 'class="icon"' in html and 'width="16"' in html
    import heroicons

    with pytest.raises(heroicons.IconDoesNotExist):
        Template('{% load icons %}{% icon "no-such-icon" %}').render(Context())


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.described = set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if attrs.get("aria-describedby"):
            self.described += attrs["aria-describedby"].split()


@pytest.mark.parametrize("who,path", [
    ("alice", "/mon-entreprise/{acme}/"), ("sam", "/gestion/association/"),
    ("sam", "/gestion/entreprises/{acme}/modifier/"), ("sam", "/gestion/infolettres/nouvelle/"),
    (None, "/devenir-membre/"), (None, "/infolettre/")])
def test_every_described_by_points_at_text_on_the_page(client, cast, who, path):
    if who:
        login(client, getattr(cast, who))
    page = text(client.get(path.format(acme=cast.acme.pk)))
    found = _Ids()
    found.feed(page)
    assert "<form" in page
    assert not [i for i in found.described if i not in found.ids]


def test_profile_form_has_the_logo_preview_and_the_required_note(client, cast):
    login(client, cast.alice)
    page = text(client.get(f"/mon-entreprise/{cast.acme.pk}/"))
    assert 'data-preview-for="id_logo"' in page
    assert "sont obligatoires" in page
    assert "<p><label" not in page.split('id="profile-form"')[1]     # fields in divs
