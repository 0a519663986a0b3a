"""Forms of the back office. They validate with the rules of the public registration form
(registrations/rules.py, through the fields of registrations/form_fields.py); saving is done
by the services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from facilities.models import Facility
from registrations import form_fields, rules, services
from registrations.forms import BusinessFieldsMixin, add_nik_mismatch_errors
from registrations.models import Business, Enrollment, Entrepreneur

# The person's text fields are the rules' fields; labels stay the model's.
PERSON_FIELD_CLASSES = {
    "nik": form_fields.NikField,
    "full_name": form_fields.FullNameField,
    "phone": form_fields.PhoneField,
    "email": form_fields.EmailAddressField,
    "address": form_fields.AddressField,
}


class WalkInForm(BusinessFieldsMixin, forms.ModelForm):
    """Staff-assisted registration of a walk-in: the public form's fields and rules."""

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
        field_classes = PERSON_FIELD_CLASSES
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilities"].choices = [
            (f.code, str(f)) for f in Facility.objects.filter(active=True).exclude(code="P1")
        ]

    def clean_nik(self):
        nik = self.cleaned_data["nik"]
        services.nik_ensure_free(nik=nik)
        return nik

    def clean_birth_date(self):
        return rules.clean_birth_date(self.cleaned_data["birth_date"])

    def clean(self):
        cleaned = super().clean()
        add_nik_mismatch_errors(self, cleaned.get("nik"))
        if cleaned.get("track") == Entrepreneur.Track.NAIK_KELAS:
            self.require_business_fields()
        return cleaned

    def _post_clean(self):
        # The denormalised kecamatan and the home centre are set by the service: the model's
        # own validation (the rest is checked above, and by the database) leaves them out.
        self._validate_unique = False
        kelurahan = self.cleaned_data.get("kelurahan")
        if kelurahan is not None:
            self.instance.kecamatan_id = kelurahan.kecamatan_id
        super()._post_clean()

    def entrepreneur_data(self) -> services.EntrepreneurData:
        data = self.cleaned_data
        return services.EntrepreneurData(
            **{name: data[name] for name in ("nik", "full_name", "birth_date", "gender", "phone", "kelurahan")},
            address=data["address"],
            track=data["track"],
            email=data.get("email", ""),
            business=self.business_data() if self.has_business_answers() else None,
            facilities=list(data.get("facilities") or []),
        )


class EntrepreneurChangeForm(forms.ModelForm):
    """Staff corrections; the NIK and the status are not editable here. A birth date is
    checked against the day the person registered; the email is the login address of an
    entrepreneur who has an account."""

    class Meta:
        model = Entrepreneur
        fields = ["full_name", "birth_date", "gender", "phone", "email", "kelurahan", "address", "track"]
        field_classes = PERSON_FIELD_CLASSES

    def clean_birth_date(self):
        on = timezone.localtime(self.instance.registered_at).date()
        return rules.clean_birth_date(self.cleaned_data["birth_date"], on=on)

    def clean_email(self):
        email = self.cleaned_data["email"]
        if self.instance.user_id is not None:
            services.email_ensure_free(email=email, user=self.instance.user)
        return email

    def clean(self):
        cleaned = super().clean()
        if "birth_date" in self.fields:
            add_nik_mismatch_errors(self, self.instance.nik, field="birth_date")
        return cleaned


class BusinessInlineForm(forms.ModelForm):
    class Meta:
        model = Business
        fields = ["name", "sector", "started_year", "nib", "workers", "turnover_band", "asset_band"]
        field_classes = {
            "name": form_fields.BusinessNameField,
            "started_year": form_fields.StartedYearField,
            "nib": form_fields.NibField,
            "workers": form_fields.WorkersField,
        }


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


class RevealForm(forms.Form):
    """Why a staff member needs to see one person's full NIK or phone number (logged)."""

    fields = forms.MultipleChoiceField(
        label=_("Reveal"),
        choices=[("nik", _("NIK")), ("phone", _("mobile phone"))],
        widget=forms.CheckboxSelectMultiple,
        initial=["nik", "phone"],
    )
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("E.g. “checking the KTP at the desk”, “calling about the class of 12 May”. It is logged."),
        min_length=5,
        max_length=500,
    )

    def clean_reason(self):
        return rules.refuse_hidden_characters(self.cleaned_data["reason"])


class ExportRevealForm(forms.Form):
    """Why an export needs full NIK and phone numbers (logged with the filters and row count)."""

    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("E.g. “list for the Bank DKI referral batch of May”. It is logged."),
        min_length=5,
        max_length=500,
    )

    def clean_reason(self):
        return rules.refuse_hidden_characters(self.cleaned_data["reason"])
