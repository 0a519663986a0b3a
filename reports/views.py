from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from facilities.models import Facility
from growth.outcomes import DEFINITIONS, HEADLINE_DEFINITIONS
from jakpreneur import spreadsheets
from jakpreneur.celery import enqueue_on_commit
from reports import exports, selectors
from reports.disclosure import SMALL, SUPPRESS_BELOW, WITHHELD
from reports.public import open_data_tables
from reports.tables import dashboard_tables
from reports.tasks import compute_progress

OPEN_DATA_LICENCE = "CC BY 4.0"
OPEN_DATA_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


@require_safe
def landing(request: HttpRequest) -> HttpResponse:
    """The public front page: what the programme is, the seven facilities, headline progress."""
    return render(
        request,
        "reports/landing.html",
        {
            "facilities": Facility.objects.filter(active=True).order_by("order"),
            "outcome_definitions": HEADLINE_DEFINITIONS,
            **selectors.landing_context(),
        },
    )


def _require_dashboard(request: HttpRequest) -> None:
    if not request.user.has_perm("reports.view_dashboard"):
        raise PermissionDenied


def _csv_response(table: selectors.Table, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so that spreadsheet programs read UTF-8
    writer = spreadsheets.csv_writer(response)  # neutralises formula-like text, keeps numbers
    writer.writerow(table.headers)
    writer.writerows(table.rows)
    return response


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    """Officials' dashboard: progress against the targets, by area, facility and group."""
    _require_dashboard(request)
    can_recompute = request.user.has_perm("reports.recompute_progress")
    context = selectors.dashboard_context(
        kota=request.GET.get("kota", ""), kecamatan=request.GET.get("kecamatan", ""), params=request.GET
    )
    if context is None:
        return render(request, "reports/dashboard_empty.html", {"can_recompute": can_recompute})
    context["can_recompute"] = can_recompute
    context["outcome_definitions"] = DEFINITIONS  # the P6 indicators' words (growth.outcomes: one home)
    template = "reports/dashboard_kecamatan.html" if context["kecamatan"] else "reports/dashboard.html"
    return render(request, template, context, status=400 if context["kota_error"] else 200)


@login_required
@require_safe
def dashboard_csv(request: HttpRequest, table: str) -> HttpResponse:
    _require_dashboard(request)
    snapshot = selectors.latest_snapshot()
    if snapshot is None:
        raise Http404(_("No figures have been computed yet."))
    kota, error = selectors.kota_from_param(snapshot.data, request.GET.get("kota", ""))
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    tables = dashboard_tables(snapshot.data, kota)
    if table not in tables:
        raise Http404(_("There is no such table."))
    suffix = f"-{kota}" if kota else ""
    return _csv_response(tables[table], f"jakpreneur-{table}{suffix}-{snapshot.computed_at:%Y%m%d-%H%M}.csv")


EXPORTS = {
    "pdf": ("application/pdf", exports.dashboard_pdf),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exports.dashboard_xlsx),
}


@login_required
@require_safe
def dashboard_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The dashboard as on screen (scope, the kecamatan table's filters and order) as PDF or
    XLSX, with the snapshot time and the definitions."""
    _require_dashboard(request)
    if fmt not in EXPORTS:
        raise Http404(_("There is no such format."))
    context = selectors.dashboard_context(
        kota=request.GET.get("kota", ""), kecamatan=request.GET.get("kecamatan", ""), params=request.GET
    )
    if context is None:
        raise Http404(_("No figures have been computed yet."))
    if context["kota_error"]:
        return HttpResponse(context["kota_error"], status=400, content_type="text/plain; charset=utf-8")
    content_type, build = EXPORTS[fmt]
    response = HttpResponse(build(context), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(context, fmt)}"'
    return response


@login_required
@require_POST
def dashboard_recompute(request: HttpRequest) -> HttpResponse:
    """Queue a recomputation now (dinas admin); the beat schedule does it regularly anyway."""
    if not request.user.has_perm("reports.recompute_progress"):
        raise PermissionDenied
    enqueue_on_commit(compute_progress)
    messages.success(request, _("The figures are being recomputed; reload this page in a moment."))
    return redirect("reports:dashboard")


@require_safe
def open_data(request: HttpRequest) -> HttpResponse:
    """Public aggregate tables, small counts suppressed, under an open licence."""
    return render(
        request,
        "reports/open_data.html",
        {
            **selectors.open_data_context(),
            "licence": OPEN_DATA_LICENCE,
            "licence_url": OPEN_DATA_LICENCE_URL,
            "suppress_below": SUPPRESS_BELOW,
            "small": SMALL,
            "withheld": WITHHELD,
        },
    )


def _open_data_payload(snapshot, tables: dict) -> dict:
    return {
        "publisher": "Dinas PPKUKM Provinsi DKI Jakarta — JakPreneur",
        "licence": OPEN_DATA_LICENCE,
        "licence_url": OPEN_DATA_LICENCE_URL,
        "computed_at": snapshot.computed_at.isoformat(),
        "note": (
            f'Counts below {SUPPRESS_BELOW} are published as "{SMALL}" (0 to {SUPPRESS_BELOW - 1}). "{WITHHELD}" is a '
            f"count of {SUPPRESS_BELOW} or more, withheld so that no small count can be worked out by subtracting "
            "published figures from a published total, in any table or across tables and the landing page."
        ),
        "tables": {slug: table.as_records() for slug, table in tables.items()},
    }


@require_safe
def open_data_download(request: HttpRequest, table: str, fmt: str) -> HttpResponse:
    snapshot = selectors.latest_snapshot()
    if snapshot is None:
        raise Http404(_("No figures have been published yet."))
    tables = open_data_tables(snapshot.data)
    if table != "all" and table not in tables:
        raise Http404(_("There is no such table."))
    if fmt == "json":
        chosen = tables if table == "all" else {table: tables[table]}
        response = JsonResponse(_open_data_payload(snapshot, chosen), json_dumps_params={"ensure_ascii": False})
        response["Access-Control-Allow-Origin"] = "*"
        return response
    if table == "all":
        raise Http404(_("Download the tables one by one as CSV, or all of them as JSON."))
    response = _csv_response(tables[table], f"jakpreneur-open-data-{table}-{snapshot.computed_at:%Y%m%d}.csv")
    response["Access-Control-Allow-Origin"] = "*"
    return response
