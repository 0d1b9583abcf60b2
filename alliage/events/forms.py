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
        for i, question in enumerate(questions):
            self.fields[f"q{i}"] = forms.CharField(label=question, required=False,
                                                   max_length=500)

    def answers(self, questions):
        return {q: self.cleaned_data.get(f"q{i}", "") for i, q in enumerate(questions)}
