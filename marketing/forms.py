"""Forms of the marketing pages: they validate (with marketing.rules), they do not save."""

from django import forms
from django.utils.translation import gettext_lazy as _

from marketing import rules
from marketing.models import PHOTOS_MAX, Grade, Product
from marketing.photos import PHOTO_MAX_BYTES
from registrations.models import Business


class RuleCharField(forms.CharField):
    """Text cleaned by one rule of marketing.rules (which decides lengths and characters)."""

    def __init__(self, *, rule, **kwargs):
        self.rule = rule
        super().__init__(**kwargs)
        self.validators = []

    def clean(self, value):
        value = self.to_python(value)
        self.validate(value)
        return self.rule(value)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to PHOTOS_MAX files; each is decoded by the service, not trusted here."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(PhotosField, self).clean(item, initial) for item in files]


class ProductForm(forms.Form):
    name = RuleCharField(
        label=_("Product name"), rule=lambda v: rules.clean_line(v, max_length=rules.NAME_MAX, required=True)
    )
    category = forms.ChoiceField(label=_("Category"), choices=Business.Sector.choices)
    description = RuleCharField(
        label=_("Description"),
        rule=rules.clean_description,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    price = RuleCharField(
        label=_("Price (Rp)"),
        rule=rules.clean_price,
        help_text=_("For example 15.000 or Rp 1.500.000."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    unit = RuleCharField(
        label=_("Unit"),
        rule=lambda v: rules.clean_line(v, max_length=rules.UNIT_MAX, required=True),
        help_text=_("For example pcs, pack, kg, botol."),
    )
    pirt_number = RuleCharField(
        label=_("SPP-IRT / PIRT number"),
        rule=lambda v: rules.clean_line(v, max_length=rules.PERMIT_MAX),
        required=False,
    )
    halal_number = RuleCharField(
        label=_("Halal certificate number"),
        rule=lambda v: rules.clean_line(v, max_length=rules.PERMIT_MAX),
        required=False,
    )
    bpom_number = RuleCharField(
        label=_("BPOM registration number"),
        rule=lambda v: rules.clean_line(v, max_length=rules.PERMIT_MAX),
        required=False,
    )
    trademark = RuleCharField(
        label=_("Trademark"), rule=lambda v: rules.clean_line(v, max_length=rules.TRADEMARK_MAX), required=False
    )
    show_whatsapp = forms.BooleanField(
        label=_("Show my WhatsApp number in the e-katalog"),
        required=False,
        help_text=_("Only for products curated A or B; buyers can then chat with you."),
    )
    photos = PhotosField(
        label=_("Photos"),
        required=False,
        help_text=_("Up to %(max)s photos (JPEG, PNG or WebP, at most 5 MB each).") % {"max": PHOTOS_MAX},
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def __init__(self, *args, existing_photos: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_photos = existing_photos

    def clean_photos(self):
        photos = self.cleaned_data.get("photos") or []
        if len(photos) + self.existing_photos > PHOTOS_MAX:
            raise forms.ValidationError(
                _("A product has at most %(max)s photos."), code="too_many", params={"max": PHOTOS_MAX}
            )
        for photo in photos:
            if photo.size > PHOTO_MAX_BYTES:
                raise forms.ValidationError(_("The photo is larger than 5 MB. Choose a smaller one."), code="too_big")
        return photos

    def product_data(self) -> dict:
        return {field: self.cleaned_data[field] for field in self.fields if field != "photos"}

    @staticmethod
    def initial_for(product: Product) -> dict:
        initial = {field: getattr(product, field) for field in ProductForm.base_fields if field != "photos"}
        initial["price"] = f"{int(product.price):,}".replace(",", ".")
        return initial


class SubmitForm(forms.Form):
    product = forms.IntegerField(widget=forms.HiddenInput)


class GradeForm(forms.Form):
    grade = forms.ChoiceField(label=_("Grade"), choices=Grade.choices, widget=forms.RadioSelect)
    notes = RuleCharField(
        label=_("Notes for the entrepreneur"),
        rule=rules.clean_description,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReturnForm(forms.Form):
    reason = RuleCharField(
        label=_("Reason"), rule=rules.clean_description, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
