"""Forms of the financing app: they validate, they do not save (the services do)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from financing import rules
from financing.models import FinancingApplication, FinancingProduct, RepaymentStatus


class RupiahField(forms.CharField):
    """A whole rupiah amount typed as people do: 1500000, 1.500.000, Rp 1.500.000."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "numeric")
        self.widget.attrs.setdefault("placeholder", "Rp 5.000.000")

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        return rules.parse_rupiah(value)


class PurposeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3, "maxlength": rules.PURPOSE_MAX_LENGTH}))
        super().__init__(**kwargs)

    def clean(self, value):
        return rules.clean_purpose(super().clean(value))


class ApplicationForm(forms.Form):
    """/me/financing/: `product`, `amount`, `tenor_months`, `purpose`. The product's rules are
    checked by the service, which keys its refusals by these fields."""

    product = forms.ModelChoiceField(
        label=_("Financing product"), queryset=FinancingProduct.objects.active(), empty_label=_("Choose a product")
    )
    amount = RupiahField(label=_("Amount (Rp)"), help_text=_("For example 5.000.000 or Rp 5.000.000."))
    tenor_months = forms.IntegerField(label=_("Tenor (months)"), min_value=1, max_value=360)
    purpose = PurposeField(
        label=_("What the money is for"), help_text=_("For example: a second stove and stock for Ramadan.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tenor_months"].widget.attrs["inputmode"] = "numeric"


class StaffApplicationForm(forms.ModelForm):
    """The admin's "apply on behalf" (a mentor or centre staff): the same fields and service."""

    amount = RupiahField(label=_("Amount (Rp)"))
    purpose = PurposeField(label=_("What the money is for"))

    class Meta:
        model = FinancingApplication
        fields = ["entrepreneur", "product", "amount", "tenor_months", "purpose"]

    def __init__(self, *args, entrepreneurs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if entrepreneurs is not None and "entrepreneur" in self.fields:
            self.fields["entrepreneur"].queryset = entrepreneurs
        if "product" in self.fields:
            self.fields["product"].queryset = FinancingProduct.objects.active()

    def _post_clean(self):
        # The service validates and writes: the ModelForm's instance checks would run the
        # database constraints a second time, against an unsaved instance.
        pass


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Bank's decision"), choices=[("approved", _("Approved")), ("rejected", _("Rejected"))]
    )
    approved_amount = RupiahField(label=_("Approved amount (Rp)"), required=False)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=1000, widget=forms.Textarea({"rows": 2}))


class DisbursementForm(forms.Form):
    disbursed_amount = RupiahField(label=_("Disbursed amount (Rp)"))
    disbursed_on = forms.DateField(label=_("Disbursed on"), widget=forms.DateInput(attrs={"type": "date"}))


class RepaymentForm(forms.Form):
    month = forms.DateField(
        label=_("Month"), help_text=_("Any day of the month."), widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(label=_("Repayment status"), choices=RepaymentStatus.Status.choices)


class BatchNoteForm(forms.Form):
    note = forms.CharField(label=_("Note for the batch"), required=False, max_length=255)


class DecisionFileForm(forms.Form):
    file = forms.FileField(label=_("Decision file (CSV or XLSX)"))
    dry_run = forms.BooleanField(label=_("Check only (write nothing)"), required=False, initial=True)
