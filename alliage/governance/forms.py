"""Forms of governance: assemblies, attendance, proxies, resolutions, elections, ballots."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from alliage.governance.models import (
    Assembly,
    BoardMember,
    Bylaws,
    Candidate,
    Election,
    Resolution,
)
from alliage.members.models import Contact, Organisation

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class BylawsForm(forms.ModelForm):
    class Meta:
        model = Bylaws
        fields = ["notice_days", "quorum_percent", "max_proxies", "tie_rule"]

    def clean_quorum_percent(self):
        value = self.cleaned_data["quorum_percent"]
        if not 1 <= value <= 100:
            raise forms.ValidationError(_("A percentage from 1 to 100."))
        return value


class AssemblyForm(forms.ModelForm):
    class Meta:
        model = Assembly
        fields = ["kind", "title_fr", "title_en", "starts_at", "place", "online_url",
                  "agenda_fr", "agenda_en"]
        widgets = {"starts_at": DATETIME, "agenda_fr": forms.Textarea(attrs={"rows": 6}),
                   "agenda_en": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].input_formats = DATETIME_FORMATS


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.legal_name


def _members():
    return Organisation.objects.members().order_by("legal_name")


class AttendanceForm(forms.Form):
    organisation = MemberChoiceField(queryset=_members(), label=_("Member organisation"))
    representative = forms.ModelChoiceField(
        queryset=Contact.objects.none(), required=False, label=_("Representative"),
        help_text=_("One person of that organisation."))
    mode = forms.ChoiceField(choices=[("in_person", _("In person")), ("online", _("Online"))],
                             label=_("Attendance"))

    def __init__(self, *args, assembly, **kwargs):
        super().__init__(*args, **kwargs)
        present = assembly.attendances.values("organisation")
        self.fields["organisation"].queryset = _members().exclude(pk__in=present)
        self.fields["representative"].queryset = Contact.objects.filter(
            affiliations__organisation__in=_members(), affiliations__ended_on__isnull=True
        ).distinct().order_by("last_name", "first_name")


class ProxyForm(forms.Form):
    giver = MemberChoiceField(queryset=_members(), label=_("Member giving its vote"))
    holder = MemberChoiceField(queryset=_members(), label=_("Member holding the proxy"))

    def __init__(self, *args, giver=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["giver"].queryset = _members()
        self.fields["holder"].queryset = _members()
        if giver is not None:
            self.fields["giver"].queryset = _members().filter(pk=giver.pk)
            self.fields["giver"].initial = giver.pk
            self.fields["giver"].widget = forms.HiddenInput()
            self.fields["holder"].queryset = _members().exclude(pk=giver.pk)


class ResolutionForm(forms.ModelForm):
    class Meta:
        model = Resolution
        fields = ["title_fr", "text_fr", "majority"]
        widgets = {"text_fr": forms.Textarea(attrs={"rows": 3})}


class VoteCountForm(forms.Form):
    votes_for = forms.IntegerField(min_value=0, max_value=100000, label=_("Votes for"))
    votes_against = forms.IntegerField(min_value=0, max_value=100000, label=_("Against"))
    abstentions = forms.IntegerField(min_value=0, max_value=100000, label=_("Abstentions"),
                                     initial=0)


class ElectionForm(forms.ModelForm):
    class Meta:
        model = Election
        fields = ["title_fr", "title_en", "assembly", "seats", "nominations_close",
                  "opens_at", "closes_at"]
        widgets = {"opens_at": DATETIME, "closes_at": DATETIME, "nominations_close": DATETIME}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("opens_at", "closes_at", "nominations_close"):
            self.fields[name].input_formats = DATETIME_FORMATS
        self.fields["seats"].min_value = 1
        self.fields["seats"].widget.attrs["min"] = 1

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and \
                data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("The vote must close after it opens."))
        if data.get("nominations_close") and data.get("opens_at") and \
                data["nominations_close"] > data["opens_at"]:
            self.add_error("nominations_close", _("Nominations close before the vote opens."))
        if data.get("seats") is not None and data["seats"] < 1:
            self.add_error("seats", _("At least one seat."))
        return data


class CandidateForm(forms.ModelForm):
    organisation = MemberChoiceField(queryset=_members(), required=False,
                                     label=_("Organisation"))

    class Meta:
        model = Candidate
        fields = ["full_name", "organisation", "statement_fr", "statement_en"]
        widgets = {"statement_fr": forms.Textarea(attrs={"rows": 3}),
                   "statement_en": forms.Textarea(attrs={"rows": 3})}


class BallotForm(forms.Form):
    organisation = MemberChoiceField(queryset=Organisation.objects.none(),
                                     label=_("Voting for"), empty_label=None)
    candidates = forms.ModelMultipleChoiceField(queryset=Candidate.objects.none(),
                                                widget=forms.CheckboxSelectMultiple,
                                                label=_("Your choices"))

    def __init__(self, *args, election, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.election = election
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].initial = organisations.first().pk
        self.fields["candidates"].queryset = election.candidates.filter(approved=True)
        self.fields["candidates"].help_text = _("Up to %(n)s.") % {"n": election.seats}

    def clean_candidates(self):
        chosen = self.cleaned_data["candidates"]
        if len(chosen) > self.election.seats:
            raise forms.ValidationError(ngettext("Choose at most %(n)s candidate.",
                                                 "Choose at most %(n)s candidates.",
                                                 self.election.seats)
                                        % {"n": self.election.seats})
        return chosen


class BoardMemberForm(forms.ModelForm):
    organisation = MemberChoiceField(queryset=_members(), required=False,
                                     label=_("Organisation"))

    class Meta:
        model = BoardMember
        fields = ["full_name", "organisation", "role", "term_start", "term_end", "election"]
        widgets = {"term_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "term_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def clean(self):
        data = super().clean()
        if data.get("term_start") and data.get("term_end") and \
                data["term_end"] <= data["term_start"]:
            self.add_error("term_end", _("A term ends after it starts."))
        return data


class CandidacyForm(forms.Form):
    statement_fr = forms.CharField(label=_("Your statement (French)"), max_length=3000,
                                   widget=forms.Textarea(attrs={"rows": 5}))
    statement_en = forms.CharField(label=_("Your statement (English)"), max_length=3000,
                                   required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AssemblyDocumentForm(forms.ModelForm):
    """A convocation document: PDF, Word or Excel, 10 MB at most, its properties (author,
    company) removed before it is stored (``alliage.core.uploads``)."""

    class Meta:
        from alliage.governance.models import AssemblyDocument

        model = AssemblyDocument
        fields = ["kind", "title", "file"]

    def clean_file(self):
        from alliage.core.uploads import clean_document

        return clean_document(self.cleaned_data["file"])
