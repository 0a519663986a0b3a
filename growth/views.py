"""The entrepreneur's monthly reports (/me/reports/) and their corrections; their mentor and
mentoring sessions (/me/mentoring/)."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from growth import rules, selectors, services
from growth.forms import CorrectionForm, ReportForm
from growth.models import MonthlyReport
from registrations.models import Entrepreneur
from registrations.views import entrepreneur_view


def _add_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def chart_series(reports: list[MonthlyReport]) -> dict:
    """What static/js/growth-reports.js draws: every month from the first report to the last,
    a month not reported as null (no bar: the gap shows, rather than two months side by side
    that are not), with its turnover and assets (Rp) and workers."""
    by_month = {r.period: r for r in reports}
    months = []
    if reports:
        month, last = reports[0].period, reports[-1].period
        while month <= last:
            months.append(month)
            month = selectors.add_months(month, 1)
    return {
        "labels": [f"{month:%Y-%m}" for month in months],
        "turnover": [by_month[m].turnover if m in by_month else None for m in months],
        "assets": [by_month[m].assets if m in by_month else None for m in months],
        "workers": [by_month[m].workers if m in by_month else None for m in months],
    }


@entrepreneur_view(methods=["GET", "POST"])
def me_reports(request: HttpRequest, entrepreneur: Entrepreneur) -> HttpResponse:
    form = ReportForm(request.POST or None, entrepreneur=entrepreneur)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_file(
                entrepreneur=entrepreneur,
                actor=request.user,
                period=form.cleaned_data["period"],
                figures=form.figures(),
                filed_by=MonthlyReport.FiledBy.SELF,
            )
        except ValidationError as error:
            _add_service_errors(form, error)
            if any(e.code == "duplicate" for e in error.error_dict.get("period", [])):
                form.duplicate = selectors.reports_of(entrepreneur).filter(period=form.cleaned_data["period"]).first()
        else:
            messages.success(
                request, _("Your report for %(month)s has been saved.") % {"month": f"{report.period:%Y-%m}"}
            )
            return redirect("growth:me_reports")
    reports = selectors.me_reports(entrepreneur)
    return render(
        request,
        "growth/me_reports.html",
        {
            "entrepreneur": entrepreneur,
            "form": form,
            "reports": list(reversed(reports)),
            "series": chart_series(reports),
            "duplicate": form.duplicate,
            "correct_url": correction_url(form.duplicate) if form.duplicate else "",
        },
    )


def _own_report(entrepreneur: Entrepreneur, month: str) -> MonthlyReport:
    try:
        period = rules.parse_period(month)
    except ValidationError:
        raise Http404(_("Not found.")) from None
    report = selectors.reports_of(entrepreneur).filter(period=period).first()
    if report is None:
        raise Http404(_("Not found."))
    return report


@entrepreneur_view(methods=["GET", "POST"])
def me_report_correct(request: HttpRequest, entrepreneur: Entrepreneur, month: str) -> HttpResponse:
    report = _own_report(entrepreneur, month)
    initial = {"turnover": report.turnover, "assets": report.assets, "workers": report.workers}
    form = CorrectionForm(request.POST or None, initial=initial, report=report)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.report_correct(
                report=report, actor=request.user, figures=form.figures(), filed_by=MonthlyReport.FiledBy.SELF
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            if changed:
                messages.success(
                    request, _("Your report for %(month)s has been corrected.") % {"month": month_label(report.period)}
                )
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("growth:me_reports")
    history = list(
        report.history.order_by("-history_date", "-history_id").values(
            "history_date", "turnover", "assets", "workers", "filed_by"
        )[:24]
    )
    return render(
        request,
        "growth/me_report_correct.html",
        {"entrepreneur": entrepreneur, "form": form, "report": report, "history": history},
    )


def month_label(period: dt.date) -> str:
    return f"{period:%Y-%m}"


def correction_url(report: MonthlyReport) -> str:
    return reverse("growth:me_report_correct", args=[month_label(report.period)])


@entrepreneur_view(methods=["GET"])
def me_mentoring(request: HttpRequest, entrepreneur: Entrepreneur) -> HttpResponse:
    """The mentor's contact and the latest sessions (never the mentor's internal notes)."""
    return render(
        request,
        "growth/me_mentoring.html",
        {
            "entrepreneur": entrepreneur,
            **selectors.me_mentor(entrepreneur),
            "sessions": selectors.me_sessions(entrepreneur),
        },
    )
