"""Forms of the growth app: they validate (with growth.rules, through the services' checks)
and never save; the views and the admin call the services."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from growth import selectors, services
from growth.models import (
    DEFAULT_RECRUITMENT_TARGET,
    MentorAssignment,
    MentoringSession,
    MentorProfile,
    MonthlyReport,
)
from registrations.rules import clean_name_text, clean_phone

AMOUNT_HELP = _("In rupiah, e.g. 1.500.000")


def _amount_field(label):
    return forms.CharField(
        label=label,
        max_length=40,
        help_text=AMOUNT_HELP,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class FiguresFieldsMixin:
    """turnover, assets and workers as people type them; checked by the report rules."""

    def figures(self) -> services.ReportFigures:
        data = self.cleaned_data
        return services.ReportFigures(data["turnover"], data["assets"], data["workers"])

    def check_figures(self, *, period, started_year, today) -> dt.date | None:
        data = self.cleaned_data
        if not all(name in data for name in ("turnover", "assets", "workers")):
            return None
        figures = services.ReportFigures(data["turnover"], data["assets"], data["workers"])
        try:
            period, figures = services.check_report(
                period=period, figures=figures, started_year=started_year, today=today
            )
        except ValidationError as error:
            for field, errors in error.error_dict.items():
                target = field if field in self.fields else None
                for e in errors:
                    self.add_error(target, e)
            return None
        data.update(turnover=figures.turnover, assets=figures.assets, workers=figures.workers)
        return period


class ReportForm(FiguresFieldsMixin, forms.Form):
    """/me/reports/: a new month's report (period as YYYY-MM)."""

    period = forms.CharField(
        label=_("Month"),
        max_length=10,
        help_text=_("YYYY-MM, e.g. 2026-01"),
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-01"}),
    )
    turnover = _amount_field(_("Turnover (omzet) that month"))
    assets = _amount_field(_("Assets (modal usaha, excluding land and buildings)"))
    workers = forms.CharField(
        label=_("Workers besides you"),
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, entrepreneur, **kwargs):
        super().__init__(*args, **kwargs)
        self.entrepreneur = entrepreneur
        self.duplicate: MonthlyReport | None = None

    def clean(self):
        cleaned = super().clean()
        if "period" not in cleaned:
            return cleaned
        period = self.check_figures(
            period=cleaned["period"],
            started_year=services.started_year_of(self.entrepreneur),
            today=timezone.localdate(),
        )
        if period is not None:
            cleaned["period"] = period
            self.duplicate = MonthlyReport.objects.filter(entrepreneur=self.entrepreneur, period=period).first()
            if self.duplicate is not None:
                self.add_error("period", services.duplicate_error(period).error_dict["period"][0])
        return cleaned


class CorrectionForm(FiguresFieldsMixin, forms.Form):
    """A month already reported, corrected (its history keeps the previous figures)."""

    turnover = _amount_field(_("Turnover (omzet) that month"))
    assets = _amount_field(_("Assets (modal usaha, excluding land and buildings)"))
    workers = forms.CharField(label=_("Workers besides you"), max_length=10)

    def __init__(self, *args, report: MonthlyReport, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report

    def clean(self):
        cleaned = super().clean()
        self.check_figures(
            period=self.report.period, started_year=None, today=max(self.report.period, timezone.localdate())
        )
        return cleaned


class AdminReportForm(FiguresFieldsMixin, forms.ModelForm):
    """The admin's report form: a new report (entrepreneur, month) or a correction."""

    period = forms.CharField(label=_("Month"), max_length=10, help_text=_("YYYY-MM, e.g. 2026-01"), required=False)
    turnover = _amount_field(_("Turnover (Rp)"))
    assets = _amount_field(_("Assets (Rp)"))
    workers = forms.CharField(label=_("Workers"), max_length=10)

    class Meta:
        model = MonthlyReport
        fields = ["entrepreneur"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("turnover", "assets", "workers"):
                self.initial.setdefault(name, getattr(self.instance, name))
            self.fields.pop("period", None)
            self.fields.pop("entrepreneur", None)
        else:
            self.fields["period"].required = True

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            self.check_figures(
                period=self.instance.period, started_year=None, today=max(self.instance.period, timezone.localdate())
            )
            return cleaned
        entrepreneur = cleaned.get("entrepreneur")
        if entrepreneur is None or "period" not in cleaned:
            return cleaned
        period = self.check_figures(
            period=cleaned["period"], started_year=services.started_year_of(entrepreneur), today=timezone.localdate()
        )
        if period is not None:
            cleaned["period"] = period
            if MonthlyReport.objects.filter(entrepreneur=entrepreneur, period=period).exists():
                self.add_error("period", services.duplicate_error(period).error_dict["period"][0])
        return cleaned

    def _post_clean(self):
        # The service writes the row; the model's own validation would want every field.
        pass


class SessionForm(forms.ModelForm):
    """A mentoring session in a few taps: today, how, which topics, the next step."""

    topics = forms.MultipleChoiceField(
        label=_("Topics"),
        choices=MentoringSession.Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = MentoringSession
        fields = ["entrepreneur", "date", "mode", "topics", "next_step", "next_step_due", "notes"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "next_step_due": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "mode": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields.pop("entrepreneur", None)
        else:
            self.initial.setdefault("date", timezone.localdate())

    def clean(self):
        cleaned = super().clean()
        if all(name in cleaned for name in ("date", "mode")):
            try:
                services.check_session(self.session_data(), today=timezone.localdate())
            except ValidationError as error:
                for field, errors in error.error_dict.items():
                    for e in errors:
                        self.add_error(field if field in self.fields else None, e)
        return cleaned

    def session_data(self) -> services.SessionData:
        data = self.cleaned_data
        return services.SessionData(
            date=data["date"],
            mode=data["mode"],
            topics=list(data.get("topics") or []),
            notes=data.get("notes", ""),
            next_step=data.get("next_step", ""),
            next_step_due=data.get("next_step_due"),
        )

    def _post_clean(self):
        pass


class AssignmentForm(forms.ModelForm):
    class Meta:
        model = MentorAssignment
        fields = ["entrepreneur", "mentor"]

    def clean(self):
        cleaned = super().clean()
        entrepreneur, mentor = cleaned.get("entrepreneur"), cleaned.get("mentor")
        of_kecamatan = entrepreneur and selectors.mentors_of_kecamatan(entrepreneur.kecamatan_id)
        if mentor and of_kecamatan is not None and not of_kecamatan.filter(pk=mentor.pk).exists():
            self.add_error("mentor", _("This mentor does not work for the entrepreneur's kecamatan."))
        return cleaned

    def _post_clean(self):
        pass


class MentorProfileForm(forms.ModelForm):
    class Meta:
        model = MentorProfile
        fields = ["user", "display_name", "phone", "recruitment_target"]

    def clean_phone(self):
        phone = self.cleaned_data.get("phone", "")
        return clean_phone(phone) if phone else ""

    def clean_display_name(self):
        name = self.cleaned_data.get("display_name", "")
        return clean_name_text(name, max_length=150) if name else ""


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File (.csv or .xlsx)"),
        help_text=_("Columns: nik, period (YYYY-MM), turnover, assets, workers; the first row holds the names."),
    )
    dry_run = forms.BooleanField(label=_("Dry run: check the file without saving"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise ValidationError(_("Upload a .csv or .xlsx file."), code="file_type")
        return upload


class AssignMentorForm(forms.Form):
    """The entrepreneur list's "assign to a mentor" action: one mentor of the selected
    people's kecamatan, among those the user may see (`mentors`, with their caseload size
    annotated as `active`)."""

    mentor = forms.ModelChoiceField(label=_("Mentor"), queryset=MentorProfile.objects.none(), empty_label=None)

    def __init__(self, data=None, *, mentors):
        super().__init__(data)
        field = self.fields["mentor"]
        field.queryset = mentors
        field.label_from_instance = self.label

    @staticmethod
    def label(mentor) -> str:
        profile = getattr(mentor, "mentor_profile", None)
        target = profile.recruitment_target if profile else DEFAULT_RECRUITMENT_TARGET
        return _("%(name)s (caseload %(active)s, target %(target)s)") % {
            "name": selectors.mentor_name(mentor),
            "active": mentor.active,
            "target": target,
        }
