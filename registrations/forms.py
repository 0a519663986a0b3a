"""Forms of the public site: self-registration, the entrepreneur's own edits on /me/, login.

Forms validate only, with the rules of registrations/rules.py (through the fields of
registrations/form_fields.py); views hand the cleaned data to the services, which write.
"""

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from facilities import cache as reference
from facilities.models import Facility
from registrations import form_fields, rules, services
from registrations.models import Business, Entrepreneur, User

NIK_WIDGET_ATTRS = {"inputmode": "numeric", "autocomplete": "off", "maxlength": "19", "spellcheck": "false"}
PHONE_WIDGET_ATTRS = {"type": "tel", "inputmode": "numeric", "autocomplete": "tel", "maxlength": "20"}


def kelurahan_choices() -> tuple[list, list[tuple[str, str]]]:
    """All kelurahan grouped by kecamatan, plus the kota list for the chained selects, from the
    cached reference data (facilities/cache.py: no query while cached).

    The grouped <select> is what a browser without JavaScript shows; register.js turns it
    into kota → kecamatan → kelurahan.
    """
    groups, kota = reference.kelurahan_choice_groups()
    return [("", _("Choose your kelurahan")), *groups], list(kota)


class KelurahanField(forms.ChoiceField):
    """A kelurahan by Kemendagri code; cleans to the Kelurahan (with its kecamatan), read from
    the cached reference data."""

    default_error_messages = {
        "invalid_choice": _("Choose your kelurahan from the list."),
        "required": _("Choose your kelurahan."),
    }

    def clean(self, value):
        code = super().clean(value)
        if not code:
            return None
        kelurahan = reference.kelurahan_get(code)
        if kelurahan is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return kelurahan


def add_nik_mismatch_errors(form: forms.Form, nik: str | None, *, field: str = "nik") -> None:
    """The NIK against the birth date and gender, once all three passed their own rules."""
    cleaned = form.cleaned_data
    try:
        rules.check_nik_matches(nik, birth_date=cleaned.get("birth_date"), gender=cleaned.get("gender"))
    except ValidationError as error:
        form.add_error(field, error)


class BusinessFieldsMixin(forms.Form):
    """The business questions, asked for naik kelas and optional for pemula."""

    business_name = form_fields.BusinessNameField(
        label=_("Business name"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", _("Choose a sector")), *Business.Sector.choices], required=False
    )
    started_year = form_fields.StartedYearField(
        label=_("Year the business started"),
        required=False,
        widget=forms.NumberInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "min": str(rules.EARLIEST_BUSINESS_YEAR)}
        ),
    )
    workers = form_fields.WorkersField(
        label=_("Number of workers (besides you)"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off", "min": "0"}),
    )
    turnover_band = forms.ChoiceField(
        label=_("Monthly turnover (omzet)"),
        choices=[("", _("Choose a range")), *Business.TurnoverBand.choices],
        required=False,
    )
    nib = form_fields.NibField(
        label=_("NIB (if you have one)"),
        required=False,
        help_text=_("Nomor Induk Berusaha from OSS: 13 digits. Leave empty if you do not have one yet."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    BUSINESS_REQUIRED = ("business_name", "sector", "started_year", "workers", "turnover_band")
    BUSINESS_FIELDS = (*BUSINESS_REQUIRED, "nib")

    def require_business_fields(self) -> None:
        for name in self.BUSINESS_REQUIRED:
            if name in self.errors:
                continue
            if self.cleaned_data.get(name) in (None, ""):
                self.add_error(name, ValidationError(_("This is required for naik kelas."), code="required_naik_kelas"))

    def has_business_answers(self) -> bool:
        return any(self.cleaned_data.get(name) not in (None, "") for name in self.BUSINESS_FIELDS)

    def business_data(self) -> services.BusinessData:
        data = self.cleaned_data
        return services.BusinessData(
            name=data.get("business_name") or "",
            sector=data.get("sector") or Business.Sector.OTHER,
            started_year=data.get("started_year"),
            nib=data.get("nib") or "",
            workers=data.get("workers") or 0,
            turnover_band=data.get("turnover_band") or Business.TurnoverBand.NONE,
        )


def sequential_mode() -> bool:
    return bool(settings.JAKPRENEUR_SEQUENTIAL_FACILITIES)


class RegistrationForm(BusinessFieldsMixin):
    """Self-registration: the account and the entrepreneur record in one form.

    Field names are a contract (docs/ARCHITECTURE.md).
    """

    email = form_fields.EmailAddressField(
        label=_("Email address"),
        help_text=_("You log in with this address; we send your confirmation here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_("At least 8 characters, not only digits and not a common password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    nik = form_fields.NikField(
        label=_("NIK (Nomor Induk Kependudukan)"),
        help_text=_("The 16 digits on your KTP."),
        widget=forms.TextInput(attrs=NIK_WIDGET_ATTRS),
    )
    full_name = form_fields.FullNameField(
        label=_("Full name (as on your KTP)"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    birth_date = forms.DateField(
        label=_("Birth date"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Enter the date as YYYY-MM-DD, e.g. 1990-08-17.")},
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "autocomplete": "bday"}),
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=Entrepreneur.Gender.choices, widget=forms.RadioSelect)
    phone = form_fields.PhoneField(
        label=_("Mobile phone number"),
        help_text=_("For example 0812 3456 7890."),
        widget=forms.TextInput(attrs=PHONE_WIDGET_ATTRS),
    )
    kelurahan = KelurahanField(
        label=_("Kelurahan where you live"),
        help_text=_("Your JakPreneur centre is the one in your kecamatan."),
    )
    address = form_fields.AddressField(
        label=_("Address"),
        help_text=_("Street, house number, RT/RW."),
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "street-address"}),
    )
    track = forms.ChoiceField(
        label=_("Which describes you?"),
        choices=Entrepreneur.Track.choices,
        initial=Entrepreneur.Track.PEMULA,
        widget=forms.RadioSelect,
    )
    facilities = forms.MultipleChoiceField(
        label=_("Facilities you would like"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("%(value)s cannot be chosen now.")},
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that Dinas PPKUKM DKI Jakarta processes my personal data for the JakPreneur programme "
            "as described above."
        ),
        error_messages={"required": _("Your consent is needed to register.")},
    )

    field_order = [
        "email",
        "password1",
        "password2",
        "nik",
        "full_name",
        "birth_date",
        "gender",
        "phone",
        "kelurahan",
        "address",
        "track",
        "business_name",
        "sector",
        "started_year",
        "workers",
        "turnover_band",
        "nib",
        "facilities",
        "consent",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices, self.kota_choices = kelurahan_choices()
        self.fields["kelurahan"].choices = choices
        facilities = [f for f in reference.facilities() if f.active and f.code != "P1"]
        if sequential_mode():
            facilities = [f for f in facilities if f.code == "P2"]
            self.fields["facilities"].help_text = _(
                "Facilities are taken in order: start with P2 (training). Each next facility can be "
                "requested on your page once the previous one is completed."
            )
        else:
            self.fields["facilities"].help_text = _(
                "P1 (registration) is this form. Choose any of the others now; you can add more later."
            )
        self.fields["facilities"].choices = [(f.code, f"{f.code} {f.name} — {f.summary}") for f in facilities]
        today = timezone.localdate()
        self.fields["birth_date"].widget.attrs.update(
            {
                "max": today.replace(year=today.year - settings.JAKPRENEUR_MINIMUM_AGE).isoformat(),
                "min": f"{rules.EARLIEST_BIRTH_YEAR}-01-01",
            }
        )
        self.fields["started_year"].widget.attrs["max"] = str(today.year)

    def clean_email(self):
        email = self.cleaned_data["email"]
        services.email_ensure_free(email=email)
        return email

    def clean_nik(self):
        nik = self.cleaned_data["nik"]
        services.nik_ensure_free(nik=nik)
        return nik

    def clean_birth_date(self):
        return rules.clean_birth_date(self.cleaned_data["birth_date"])

    def clean(self):
        cleaned = super().clean()
        add_nik_mismatch_errors(self, cleaned.get("nik"))
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", ValidationError(_("The two passwords differ."), code="password_mismatch"))
        elif password1:
            candidate = User(email=cleaned.get("email") or "", first_name=(cleaned.get("full_name") or "")[:150])
            try:
                password_validation.validate_password(password1, user=candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        if cleaned.get("track") == Entrepreneur.Track.NAIK_KELAS:
            self.require_business_fields()
        return cleaned

    def entrepreneur_data(self) -> services.EntrepreneurData:
        data = self.cleaned_data
        business = None
        if data["track"] == Entrepreneur.Track.NAIK_KELAS or self.has_business_answers():
            business = self.business_data()
        return services.EntrepreneurData(
            nik=data["nik"],
            full_name=data["full_name"],
            birth_date=data["birth_date"],
            gender=data["gender"],
            phone=data["phone"],
            kelurahan=data["kelurahan"],
            address=data["address"],
            track=data["track"],
            email=data["email"],
            business=business,
            facilities=list(data.get("facilities") or []),
        )


class ContactForm(forms.Form):
    """The contact data an entrepreneur may change on /me/."""

    phone = RegistrationForm.base_fields["phone"]
    email = form_fields.EmailAddressField(
        label=_("Email address"),
        help_text=_("You log in with this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    kelurahan = KelurahanField(
        label=_("Kelurahan where you live"),
        help_text=_("Moving to another kecamatan moves you to that kecamatan's centre."),
    )
    address = RegistrationForm.base_fields["address"]

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        choices, self.kota_choices = kelurahan_choices()
        self.fields["kelurahan"].choices = choices

    def clean_email(self):
        email = self.cleaned_data["email"]
        services.email_ensure_free(email=email, user=self.user)
        return email


class BusinessForm(BusinessFieldsMixin):
    """The business data an entrepreneur may change on /me/."""

    def __init__(self, *args, track: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.track = track
        self.fields["started_year"].widget.attrs["max"] = str(timezone.localdate().year)

    def clean(self):
        cleaned = super().clean()
        if self.track == Entrepreneur.Track.NAIK_KELAS:
            self.require_business_fields()
        elif not self.has_business_answers():
            raise ValidationError(_("Fill in at least the name of your business."), code="empty")
        return cleaned

    @staticmethod
    def initial_for(business: Business | None) -> dict:
        if business is None:
            return {}
        return {
            "business_name": business.name,
            "sector": business.sector,
            "started_year": business.started_year,
            "workers": business.workers,
            "turnover_band": business.turnover_band,
            "nib": business.nib,
        }


class FacilityRequestForm(forms.Form):
    facility = forms.ModelChoiceField(
        queryset=Facility.objects.filter(active=True).exclude(code="P1"),
        to_field_name="code",
        error_messages={"invalid_choice": _("Choose one of the facilities P2 to P7.")},
    )


class EmailAuthenticationForm(AuthenticationForm):
    """Django's login form, labelled for an email address."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Email address")
        self.fields["username"].widget = forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"

    def clean_username(self):
        # Accounts store email addresses in lower case; phones like to capitalise the first letter.
        return (self.cleaned_data.get("username") or "").strip().lower()
