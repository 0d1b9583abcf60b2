from django import forms
from django.utils.translation import gettext_lazy as _


class EventFieldsMixin:
    """The event's own fields on a registration form: its sessions (when there are several)
    and its questions to attendees, and their answers."""

    def add_event_fields(self, event, questions, sessions=None):
        """``sessions``: the event's sessions when the caller has them already (no count)."""
        if (len(sessions) if sessions is not None else event.sessions.count()) > 1:
            self.fields["sessions"] = forms.ModelMultipleChoiceField(
                label=_("Sessions"), queryset=event.sessions.all(), required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=_("Leave empty to attend every session."))
        for i, question in enumerate(questions):
            self.fields[f"q{i}"] = forms.CharField(label=question, required=False,
                                                   max_length=500)

    def answers(self, questions):
        return {q: self.cleaned_data.get(f"q{i}", "") for i, q in enumerate(questions)}


class LoadedChoiceField(forms.ChoiceField):
    """A choice among objects the view has already loaded: the same select as a
    ModelChoiceField, without a query to render it or to clean the answer."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.objects = {}

    def set_objects(self, objects):
        self.objects = {str(o.pk): o for o in objects}
        self.choices = [(pk, str(o)) for pk, o in self.objects.items()]

    def to_python(self, value):
        value = super().to_python(value)        # an unknown id stays text: "not a choice"
        return self.objects.get(value, value) if value else None

    def valid_value(self, value):
        return value in self.objects.values()


class RegistrationForm(EventFieldsMixin, forms.Form):
    ticket_type = LoadedChoiceField(label=_("Ticket"))
    colleagues = forms.ModelMultipleChoiceField(
        label=_("Colleagues to register"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Registered on one order, invoiced to your company."))
    include_me = forms.BooleanField(label=_("Register me too"), required=False, initial=True)

    def __init__(self, *args, event, colleagues, questions, registered=False,
                 ticket_types=None, sessions=None, **kwargs):
        """``ticket_types``, ``sessions``: the event's, when the view has loaded them."""
        super().__init__(*args, **kwargs)
        self.fields["ticket_type"].set_objects(
            ticket_types if ticket_types is not None else event.ticket_types.all())
        self.fields["colleagues"].queryset = colleagues
        if not colleagues.exists():
            del self.fields["colleagues"]
            del self.fields["include_me"]
        elif registered:  # already holding a seat: only colleagues are added
            del self.fields["include_me"]
            self.fields["colleagues"].required = True
        self.add_event_fields(event, questions, sessions)


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
    from alliage.core.widgets import CentsField
    from alliage.events.models import Event, TicketType

    # Prices typed and shown in dollars, stored in cents (issue #14: no "(cents)" for staff).
    return forms.inlineformset_factory(
        Event, TicketType, fields=["name_fr", "name_en", "member_price_cents",
                                   "public_price_cents", "taxable", "quota", "members_only"],
        field_classes={"member_price_cents": CentsField, "public_price_cents": CentsField},
        labels={"member_price_cents": _("Member price ($)"),
                "public_price_cents": _("Non-member price ($)")},
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


def _guest_ticket_label(ticket):
    from alliage.core.money import format_money

    return f"{ticket.name} — {format_money(ticket.public_price_cents)}"


class GuestRegistrationForm(EventFieldsMixin, forms.Form):
    """A visitor without an account registers for a public event (non-member price)."""

    ticket_type = forms.ModelChoiceField(label=_("Ticket"), queryset=None, empty_label=None)
    first_name = forms.CharField(label=_("Your first name"), max_length=80, widget=forms.TextInput(
        attrs={"autocomplete": "given-name"}))
    last_name = forms.CharField(label=_("Your last name"), max_length=80, widget=forms.TextInput(
        attrs={"autocomplete": "family-name"}))
    email = forms.EmailField(label=_("Your email"), widget=forms.EmailInput(
        attrs={"autocomplete": "email"}),
        help_text=_("The confirmation and your access link go there."))
    phone = forms.CharField(label=_("Your phone"), max_length=30, required=False,
                            widget=forms.TextInput(attrs={"autocomplete": "tel"}))
    company = forms.CharField(label=_("Company"), max_length=200, widget=forms.TextInput(
        attrs={"autocomplete": "organization"}))
    neq = forms.CharField(label=_("Québec enterprise number (NEQ)"), max_length=10,
                          required=False, help_text=_("Optional; ten digits."))
    street = forms.CharField(label=_("Billing address"), max_length=200, widget=forms.TextInput(
        attrs={"autocomplete": "street-address"}))
    city = forms.CharField(label=_("City"), max_length=100, widget=forms.TextInput(
        attrs={"autocomplete": "address-level2"}))
    postal_code = forms.CharField(label=_("Postal code"), max_length=7, widget=forms.TextInput(
        attrs={"autocomplete": "postal-code"}))
    billing_email = forms.EmailField(label=_("Billing email"), required=False,
                                     help_text=_("Leave empty to receive the invoice yourself."))
    consent = forms.BooleanField(
        label=_("I agree that the association keeps these details to process the "
                "registration and its invoice, as described in its privacy policy."))

    def __init__(self, *args, event, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ticket_type"].queryset = event.ticket_types.filter(members_only=False)
        self.fields["ticket_type"].label_from_instance = _guest_ticket_label
        self.add_event_fields(event, questions)

    def clean_neq(self):
        from alliage.members.validators import validate_neq

        neq = self.cleaned_data.get("neq", "").replace(" ", "")
        if neq:
            validate_neq(neq)
        return neq

    def clean_phone(self):
        from alliage.members.validators import normalise_phone

        return normalise_phone(self.cleaned_data.get("phone", ""))

    def clean_postal_code(self):
        from alliage.members.validators import format_postal_code

        return format_postal_code(self.cleaned_data["postal_code"])

    def person(self, language):
        d = self.cleaned_data
        return {"first_name": d["first_name"].strip(), "last_name": d["last_name"].strip(),
                "email": d["email"].strip().lower(), "phone": d["phone"], "language": language}

    def company_data(self):
        d = self.cleaned_data
        return {"name": d["company"].strip(), "neq": d["neq"],
                "address": f"{d['street'].strip()}\n{d['city'].strip()} (Québec) "
                           f"{d['postal_code']}",
                "email": (d.get("billing_email") or "").strip().lower()}
