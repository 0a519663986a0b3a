"""Forms of /me/data/: validation only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from registrations import rules


class ConsentWithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I withdraw my consent: send me no more reminders, invitations or news."), required=True
    )


class DeletionRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you want your data deleted? (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    confirm = forms.BooleanField(
        label=_(
            "I understand that my name, NIK, contact data and account will be erased and that I will no longer "
            "be able to sign in."
        ),
        required=True,
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"]
        for line in reason.splitlines():
            rules.refuse_hidden_characters(line)
        return reason
