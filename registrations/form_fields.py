"""Form fields whose validation is one rule of registrations/rules.py and nothing else.

The public forms and the back office's forms declare these (ModelForms through
`Meta.field_classes`), so that a value is accepted or refused, with the same error code, on
every way in. A field's own checks (the model's max_length, Django's NUL check, the email
validator) would otherwise run first, with other codes and other limits: a NIK typed with
spaces is 19 characters, a phone typed as "+62 812 3456 7890" is 17.
"""

from collections.abc import Callable

from django import forms

from registrations import rules


class RuleField(forms.CharField):
    """Text that `rule` cleans (`input_max_length` is a hint for the browser only)."""

    rule: Callable  # a function of registrations/rules.py, set by each subclass
    input_max_length: int | None = None

    def __init__(self, *, empty_value="", **kwargs):
        for name in ("max_length", "min_length", "min_value", "max_value", "step_size"):
            kwargs.pop(name, None)  # given by a model field's formfield(); the rule decides
        super().__init__(max_length=self.input_max_length, empty_value=empty_value, **kwargs)
        self.validators = []

    def clean(self, value):
        value = self.to_python(value)
        self.validate(value)
        if value in self.empty_values:
            return self.empty_value
        return self.rule(value)

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        return ("" if initial is None else str(initial)) != self.to_python(data)


class NikField(RuleField):
    rule = staticmethod(rules.clean_nik)
    input_max_length = 19  # 16 digits and three separators


class FullNameField(RuleField):
    rule = staticmethod(rules.clean_full_name)
    input_max_length = rules.FULL_NAME_MAX


class PhoneField(RuleField):
    rule = staticmethod(rules.clean_phone)
    input_max_length = 20


class EmailAddressField(RuleField):
    rule = staticmethod(rules.clean_email)
    input_max_length = rules.EMAIL_MAX
    widget = forms.EmailInput


class AddressField(RuleField):
    rule = staticmethod(rules.clean_address)
    input_max_length = rules.ADDRESS_MAX


class BusinessNameField(RuleField):
    rule = staticmethod(rules.clean_business_name)
    input_max_length = rules.BUSINESS_NAME_MAX


class NibField(RuleField):
    rule = staticmethod(rules.clean_nib)
    input_max_length = 20


class StartedYearField(RuleField):
    rule = staticmethod(rules.clean_started_year)
    input_max_length = 4
    widget = forms.NumberInput

    def __init__(self, **kwargs):
        super().__init__(empty_value=None, **kwargs)


class WorkersField(StartedYearField):
    rule = staticmethod(rules.clean_workers)
    input_max_length = None
