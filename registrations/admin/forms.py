"""Forms of the back office. They validate with the same rules as the public registration
form (registrations/validators.py); saving is done by the services."""

import contextlib
import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from facilities.models import Facility
from registrations.forms import (
    clean_address_input,
    clean_birth_date_input,
    clean_full_name_input,
    clean_nik_input,
    clean_phone_input,
)
from registrations.models import Business, Enrollment, Entrepreneur
from registrations.validators import check_nik_consistency, validate_nib

STAFF_TOO_YOUNG = _("Entrepreneurs register from the age of %(age)s.")


def _check_nik_matches(form, cleaned, nik):
    birth_date, gender = cleaned.get("birth_date"), cleaned.get("gender")
    if nik and birth_date and gender:
        try:
            check_nik_consistency(nik, birth_date=birth_date, gender=gender)
        except ValidationError as error:
            form.add_error("nik" if "nik" in form.fields else "birth_date", error)


class PersonFieldsMixin:
    """The public registration form's rules for the person's fields (registrations/forms.py)."""

    def clean_full_name(self):
        return clean_full_name_input(self.cleaned_data.get("full_name") or "")

    def clean_birth_date(self):
        return clean_birth_date_input(self.cleaned_data["birth_date"], too_young_message=STAFF_TOO_YOUNG)

    def clean_phone(self):
        return clean_phone_input(self.cleaned_data.get("phone"))

    def clean_address(self):
        return clean_address_input(self.cleaned_data.get("address") or "")

    def clean_email(self):
        return (self.cleaned_data.get("email") or "").strip().lower()


class WalkInForm(PersonFieldsMixin, forms.ModelForm):
    """Staff-assisted registration of a walk-in: the public form's fields and rules."""

    business_name = forms.CharField(label=_("Business name"), max_length=150, required=False)
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", "---------"), *Business.Sector.choices], required=False)
    facilities = forms.MultipleChoiceField(
        label=_("Facilities wanted"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )
    consent = forms.BooleanField(
        label=_("The entrepreneur agreed to the processing of their personal data (UU 27/2022)"),
        required=True,
    )

    class Meta:
        model = Entrepreneur
        fields = ["nik", "full_name", "birth_date", "gender", "phone", "email", "kelurahan", "address", "track"]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilities"].choices = [
            (f.code, str(f)) for f in Facility.objects.filter(active=True).exclude(code="P1")
        ]

    def clean_nik(self):
        return clean_nik_input(self.cleaned_data.get("nik") or "")

    def clean(self):
        cleaned = super().clean()
        _check_nik_matches(self, cleaned, cleaned.get("nik"))
        return cleaned

    def _post_clean(self):
        # The denormalised kecamatan and the home centre are set by the service; skip the
        # model's own validation of them (the rest is checked above and by the database).
        self._validate_unique = False
        with contextlib.suppress(KeyError, AttributeError):
            self.instance.kecamatan_id = self.cleaned_data["kelurahan"].kecamatan_id
        super()._post_clean()


class EntrepreneurChangeForm(PersonFieldsMixin, forms.ModelForm):
    """Staff corrections; the NIK and the status are not editable here."""

    class Meta:
        model = Entrepreneur
        fields = ["full_name", "birth_date", "gender", "phone", "email", "kelurahan", "address", "track"]

    def clean(self):
        cleaned = super().clean()
        if "birth_date" in self.fields:
            _check_nik_matches(self, cleaned, self.instance.nik)
        return cleaned


class BusinessInlineForm(forms.ModelForm):
    class Meta:
        model = Business
        fields = ["name", "sector", "started_year", "nib", "workers", "turnover_band", "asset_band"]

    def clean_nib(self):
        nib = (self.cleaned_data.get("nib") or "").replace(" ", "")
        if nib:
            validate_nib(nib)
        return nib

    def clean_started_year(self):
        year = self.cleaned_data.get("started_year")
        if year is not None and not 1900 <= year <= dt.date.today().year:
            raise ValidationError(_("Enter a year between 1900 and this year."), code="started_year")
        return year


class EnrolForm(forms.Form):
    facility = forms.ModelChoiceField(
        label=_("Facility"), queryset=Facility.objects.filter(active=True).exclude(code="P1"), empty_label=None
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class CompleteEnrollmentForm(forms.Form):
    """Outcome fields: each applies to the enrolments of its facility only."""

    permit_type = forms.ChoiceField(
        label=_("Permit type (P4)"), choices=[("", "---------"), *Enrollment.PermitType.choices], required=False
    )
    permit_number = forms.CharField(label=_("Permit number (P4)"), max_length=60, required=False)
    curation_grade = forms.ChoiceField(
        label=_("Curation grade (P5)"), choices=[("", "---------"), *Enrollment.CurationGrade.choices], required=False
    )
    financing_amount = forms.DecimalField(
        label=_("Financing amount in Rp (P7)"), max_digits=14, decimal_places=0, min_value=1, required=False
    )
    financing_provider = forms.CharField(label=_("Financing provider (P7)"), max_length=100, required=False)
    reason = forms.CharField(label=_("Note"), required=False, max_length=2000)

    OUTCOMES = {
        "P4": ("permit_type", "permit_number"),
        "P5": ("curation_grade",),
        "P7": ("financing_amount", "financing_provider"),
    }

    def outcome_for(self, facility_code: str) -> dict:
        """The outcome fields for one enrolment; raises ValidationError when one is missing."""
        names = self.OUTCOMES.get(facility_code, ())
        outcome = {name: self.cleaned_data.get(name) for name in names}
        missing = [str(self.fields[name].label) for name, value in outcome.items() if value in (None, "")]
        if missing:
            raise ValidationError(
                _("%(code)s needs: %(fields)s.") % {"code": facility_code, "fields": ", ".join(missing)},
                code="outcome_required",
            )
        return outcome


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (.csv or .xlsx)"),
        help_text=_("Columns as described in docs/IMPORT.md; the first row holds the column names."),
    )
    dry_run = forms.BooleanField(label=_("Dry run: check the file without saving"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise ValidationError(_("Upload a .csv or .xlsx file."), code="file_type")
        return upload
