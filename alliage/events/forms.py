from django import forms
from django.utils.translation import gettext_lazy as _


class RegistrationForm(forms.Form):
    ticket_type = forms.ModelChoiceField(label=_("Ticket"), queryset=None, empty_label=None)
    colleagues = forms.ModelMultipleChoiceField(
        label=_("Colleagues to register"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Registered on one order, invoiced to your company."))
    include_me = forms.BooleanField(label=_("Register me too"), required=False, initial=True)

    def __init__(self, *args, event, colleagues, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ticket_type"].queryset = event.ticket_types.all()
        self.fields["colleagues"].queryset = colleagues
        if not colleagues.exists():
            del self.fields["colleagues"]
            del self.fields["include_me"]
        if event.sessions.count() > 1:
            self.fields["sessions"] = forms.ModelMultipleChoiceField(
                label=_("Sessions"), queryset=event.sessions.all(), required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=_("Leave empty to attend every session."))
        for i, question in enumerate(questions):
            self.fields[f"q{i}"] = forms.CharField(label=question, required=False,
                                                   max_length=500)

    def answers(self, questions):
        return {q: self.cleaned_data.get(f"q{i}", "") for i, q in enumerate(questions)}


class EventForm(forms.ModelForm):
    class Meta:
        from alliage.events.models import Event

        model = Event
        fields = ["kind", "title_fr", "title_en", "status", "starts_at", "ends_at",
                  "description_fr", "description_en", "venue_name", "venue_address",
                  "municipality", "online_url", "capacity", "members_only", "requires_approval",
                  "registration_opens_at", "registration_closes_at", "cancellation_deadline",
                  "waitlist_offer_hours", "host_organisation", "safety_requirements",
                  "minimum_age", "trainer", "partner", "subsidy_program",
                  "attendance_threshold"]
        widgets = {f: forms.DateTimeInput(attrs={"type": "datetime-local"},
                                          format="%Y-%m-%dT%H:%M")
                   for f in ("starts_at", "ends_at", "registration_opens_at",
                             "registration_closes_at", "cancellation_deadline")}

    questions_text = forms.CharField(
        label=_("Questions to attendees"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One question per line, e.g. dietary needs, shirt size, golf handicap."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questions_text"].initial = "\n".join(self.instance.questions or [])
        self.fields["host_organisation"].queryset = self.fields[
            "host_organisation"].queryset.order_by("legal_name")

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The end comes before the start."))
        if data.get("kind") == "webinar" and not data.get("online_url"):
            self.add_error("online_url", _("A webinar needs its meeting link."))
        return data

    def save(self, commit=True):
        event = super().save(commit=False)
        event.questions = [q.strip() for q in self.cleaned_data.get("questions_text", "")
                           .splitlines() if q.strip()][:20]
        if commit:
            event.save()
        return event


def ticket_formset():
    from alliage.events.models import Event, TicketType

    return forms.inlineformset_factory(
        Event, TicketType, fields=["name_fr", "name_en", "member_price_cents",
                                   "public_price_cents", "taxable", "quota", "members_only"],
        extra=1, can_delete=True)


def session_formset():
    from alliage.events.models import Event, Session

    return forms.inlineformset_factory(
        Event, Session, fields=["title", "starts_at", "ends_at", "location", "capacity"], extra=1,
        can_delete=True, widgets={f: forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                         format="%Y-%m-%dT%H:%M")
                                  for f in ("starts_at", "ends_at")})


def sponsor_formset():
    from alliage.events.models import Event, Sponsor

    return forms.inlineformset_factory(
        Event, Sponsor, fields=["name", "organisation", "level", "logo", "website", "position"],
        extra=1, can_delete=True)
