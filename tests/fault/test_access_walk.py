"""Walk every URL pattern in the URLconf as each kind of visitor and compare what happens
with an explicit allow/deny table. A URL added without an entry fails the suite.

Visitors: anonymous; an entrepreneur (their own account, in Menteng); alice (centre staff of
Gambir, looking at Menteng's data); olga (an official: dashboard only); dina (dinas admin);
maya (a mentor of Gambir: her caseload only, and Menteng's people are not in it).
Objects in the URLs belong to Menteng, so alice must be kept out of every one of them.
"""

import re
from dataclasses import dataclass
from fnmatch import fnmatch
from html.parser import HTMLParser

import pytest
from django.apps import apps as django_apps
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.forms import ModelChoiceField
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from facilities.models import Center, Facility, Kecamatan, Kelurahan, Kota
from facilities.tests.factories import GAMBIR_KELURAHAN, MENTENG_KELURAHAN, ActivityFactory, center
from financing.models import ApplicationStep, ExportLog, FinancingApplication, FinancingProduct, ReferralBatch
from jakpreneur import scoping
from registrations.admin.actions import registered_actions
from registrations.models import Attendance, Business, Enrollment, Entrepreneur, User
from registrations.services import attendance_signup, enrollment_request
from registrations.tests.factories import BusinessFactory, EntrepreneurFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "entrepreneur", "alice", "olga", "dina", "maya")

# What a GET may end in.
OK = "ok"  # 200/204: the page itself
LOGIN = "login"  # 302 to a login page
DENIED = "denied"  # 403/404
METHOD = "method"  # 405: POST only
REDIRECT = "redirect"  # 302 elsewhere (e.g. the admin's old object URL to /change/)
ADMIN_HOME = "admin home"  # 302 to the admin index: "no such object" (out of scope) or already signed in


def row(anonymous, entrepreneur, alice, olga, dina, maya=None) -> dict[str, str]:
    """maya, a staff member of Gambir too, gets what alice gets unless the row says otherwise."""
    return dict(zip(ROLES, (anonymous, entrepreneur, alice, olga, dina, alice if maya is None else maya), strict=True))


PUBLIC = row(OK, OK, OK, OK, OK)
# Admin pages for a model nobody but a superuser may touch (none of our roles).
ADMIN_NOBODY = row(LOGIN, LOGIN, DENIED, LOGIN, DENIED)
# The admin's old-style object URL only redirects to .../change/, which then decides.
ADMIN_OBJECT_REDIRECT = row(LOGIN, LOGIN, REDIRECT, LOGIN, REDIRECT)
# Admin page every staff member may open (index, own password).
ADMIN_STAFF = row(LOGIN, LOGIN, OK, LOGIN, OK)
# Admin pages of the Dinas alone.
DINAS_ONLY = row(LOGIN, LOGIN, DENIED, LOGIN, OK)

ACTIONS = ("changelist", "add", "change", "history", "delete", "object", "simple_history")


def admin_model(
    label: str, alice: dict[str, str], dina: dict[str, str], maya: dict[str, str] | None = None
) -> list[tuple[str, dict[str, str]]]:
    """Table rows for every admin URL of one model. Only staff get past the admin's login, so
    the anonymous visitor, the entrepreneur and the official (not staff) are sent to it; the
    sample object is in Menteng, outside alice's Gambir. A mentor (maya) holds no permission on
    a model unless `maya` says so."""
    app_label, model_name = label.split(".")
    rows = []
    for action in ACTIONS:
        expected = row(LOGIN, LOGIN, alice[action], LOGIN, dina[action], (maya or NO_PERMISSION)[action])
        if action == "object":
            rows.append((f"admin/{app_label}/{model_name}/<path:object_id>/", expected))
        else:
            rows.append((f"admin:{app_label}_{model_name}_{action}", expected))
    return rows


def same(outcome: str, **overrides: str) -> dict[str, str]:
    return {action: overrides.get(action, outcome) for action in ACTIONS}


# The admin's old-style object URL redirects to .../change/ for any staff member; the change
# page then decides. Alice's scoped querysets do not contain Menteng's rows: 404.
OBJECT_PAGES = ("change", "history", "delete", "simple_history")
HIDDEN = dict.fromkeys(OBJECT_PAGES, DENIED)
NO_PERMISSION = same(DENIED, object=REDIRECT)
FULL = same(OK, object=REDIRECT)
READ_ONLY = same(OK, add=DENIED, delete=DENIED, object=REDIRECT)
# Rows that only change through services (actions, inlines, the registration): no add or
# delete pages, for anyone.
THROUGH_SERVICES = {"add": DENIED, "delete": DENIED}

ADMIN_MODELS = [
    *admin_model("registrations.entrepreneur", alice=same(OK, **HIDDEN, object=REDIRECT), dina=FULL),
    *admin_model(
        "registrations.business",
        alice=same(OK, **{**HIDDEN, **THROUGH_SERVICES}, object=REDIRECT),
        dina=same(OK, **THROUGH_SERVICES, object=REDIRECT),
    ),
    *admin_model(
        "registrations.enrollment",
        alice=same(OK, **{**HIDDEN, **THROUGH_SERVICES}, object=REDIRECT),
        dina=same(OK, **THROUGH_SERVICES, object=REDIRECT),
    ),
    *admin_model(
        "registrations.attendance",
        alice=same(OK, **HIDDEN, object=REDIRECT),
        dina=same(OK, delete=DENIED, object=REDIRECT),
    ),
    *admin_model("facilities.activity", alice=same(OK, **HIDDEN, object=REDIRECT), dina=FULL),
    *admin_model("facilities.kota", alice=READ_ONLY, dina=READ_ONLY),
    *admin_model("facilities.kecamatan", alice=READ_ONLY, dina=READ_ONLY),
    *admin_model("facilities.kelurahan", alice=READ_ONLY, dina=READ_ONLY),
    *admin_model("facilities.center", alice=READ_ONLY, dina=same(OK, delete=DENIED, object=REDIRECT)),
    *admin_model("facilities.facility", alice=READ_ONLY, dina=same(OK, add=DENIED, delete=DENIED, object=REDIRECT)),
    *admin_model(
        "registrations.importjob",
        alice=same(DENIED, object=REDIRECT),
        dina=same(OK, add=DENIED, delete=DENIED, object=REDIRECT),
    ),
    # The reveal log: the Dinas reads it; nobody adds, changes or deletes a row.
    *admin_model("registrations.reveallog", alice=same(DENIED, object=REDIRECT), dina=READ_ONLY),
    # Deletion requests: the Dinas reads and handles them (actions); nobody adds, edits or deletes.
    *admin_model("privacy.deletionrequest", alice=same(DENIED, object=REDIRECT), dina=READ_ONLY),
    # Accounts: the Dinas manages them (only superusers grant superuser status); centre staff not.
    *admin_model("registrations.user", alice=same(DENIED, object=REDIRECT), dina=FULL),
    # Growth (P3, P6): the samples are a Menteng person in mark's caseload, so alice (Gambir)
    # and maya (a Gambir mentor) are kept out of every object page. Rows change through the
    # services and are never deleted; only mentors log sessions, only staff assign.
    *admin_model(
        "growth.monthlyreport",
        alice=same(OK, **HIDDEN, object=REDIRECT),
        dina=same(OK, delete=DENIED, object=REDIRECT),
        maya=same(OK, **HIDDEN, object=REDIRECT),
    ),
    *admin_model(
        "growth.mentoringsession",
        alice=same(OK, **HIDDEN, add=DENIED, object=REDIRECT),
        dina=same(OK, add=DENIED, delete=DENIED, object=REDIRECT),
        maya=same(OK, **HIDDEN, object=REDIRECT),
    ),
    *admin_model(
        "growth.mentorassignment",
        alice=same(OK, **HIDDEN, object=REDIRECT),
        dina=same(OK, delete=DENIED, object=REDIRECT),
        maya=same(OK, **HIDDEN, add=DENIED, object=REDIRECT),
    ),
    *admin_model(
        "growth.mentorprofile",
        alice=same(OK, **HIDDEN, add=DENIED, object=REDIRECT),
        dina=same(OK, delete=DENIED, object=REDIRECT),
        maya=same(OK, **HIDDEN, add=DENIED, object=REDIRECT),
    ),
    # P5: products and certificates are read-only; rounds are the Dinas's (centre staff read
    # published ones); submissions move only through actions.
    # A mentor (maya) reads her caseload's products and submissions (Menteng's are not in
    # it) and the published rounds.
    *admin_model(
        "marketing.product",
        alice=same(OK, **{**HIDDEN, **THROUGH_SERVICES}, object=REDIRECT),
        dina=same(OK, **THROUGH_SERVICES, object=REDIRECT),
        maya=same(OK, **{**HIDDEN, **THROUGH_SERVICES}, object=REDIRECT),
    ),
    *admin_model(
        "marketing.curationround",
        alice=READ_ONLY,
        dina=same(OK, delete=DENIED, object=REDIRECT),
        maya=READ_ONLY,
    ),
    *admin_model(
        "marketing.submission",
        alice=same(OK, **{**HIDDEN, **THROUGH_SERVICES}, object=REDIRECT),
        dina=same(OK, **THROUGH_SERVICES, object=REDIRECT),
        maya=same(OK, **{**HIDDEN, **THROUGH_SERVICES}, object=REDIRECT),
    ),
    *admin_model(
        "marketing.certificate", alice=same(DENIED, object=REDIRECT), dina=same(OK, **THROUGH_SERVICES, object=REDIRECT)
    ),
    # P7: products are reference data the Dinas edits (never deleted: close them instead);
    # applications are added on someone's behalf by staff and change through actions; batches
    # and their file log belong to the Dinas.
    *admin_model(
        "financing.financingproduct",
        alice=READ_ONLY,
        dina=same(OK, delete=DENIED, object=REDIRECT),
        maya=READ_ONLY,
    ),
    *admin_model(
        "financing.financingapplication",
        alice=same(OK, **HIDDEN, object=REDIRECT),
        dina=same(OK, delete=DENIED, object=REDIRECT),
        maya=same(OK, **HIDDEN, object=REDIRECT),
    ),
    *admin_model(
        "financing.referralbatch",
        alice=same(DENIED, object=REDIRECT),
        dina=same(OK, add=DENIED, delete=DENIED, object=REDIRECT),
    ),
    *admin_model(
        "financing.exportlog",
        alice=same(DENIED, object=REDIRECT),
        dina=same(OK, add=DENIED, delete=DENIED, object=REDIRECT),
    ),
]

# Keyed by URL name, or by route for unnamed patterns; fnmatch patterns allowed ONLY where a
# whole family is deliberately alike. Order matters: the first match wins.
EXPECTED: list[tuple[str, dict[str, str]]] = [
    ("healthz", PUBLIC),
    # GET changes nothing; it sends the browser back where it came from.
    ("set_language", row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT)),
    ("reports:landing", PUBLIC),
    ("facilities:center_list", PUBLIC),
    ("facilities:kecamatan_options", PUBLIC),
    ("facilities:kelurahan_options", PUBLIC),
    # --- accounts ---
    ("login", row(OK, REDIRECT, ADMIN_HOME, REDIRECT, ADMIN_HOME)),  # signed in: sent home (staff: the admin)
    ("logout", row(METHOD, METHOD, METHOD, METHOD, METHOD)),  # POST only
    ("password_change", row(LOGIN, OK, OK, OK, OK)),
    ("password_change_done", row(LOGIN, OK, OK, OK, OK)),
    ("password_reset", PUBLIC),
    ("password_reset_done", PUBLIC),
    ("password_reset_confirm", PUBLIC),  # a made-up token: "this link is no longer valid"
    ("password_reset_complete", PUBLIC),
    # --- the entrepreneur's own pages ---
    ("registrations:register", row(OK, REDIRECT, REDIRECT, REDIRECT, REDIRECT)),  # signed in: sent to /me/
    ("registrations:me", row(LOGIN, OK, OK, OK, OK)),  # no record: "you are not registered" page
    ("registrations:me_contact", row(LOGIN, OK, REDIRECT, REDIRECT, REDIRECT)),
    ("registrations:me_business", row(LOGIN, OK, REDIRECT, REDIRECT, REDIRECT)),
    ("registrations:me_request_facility", row(LOGIN, METHOD, METHOD, METHOD, METHOD)),
    ("registrations:me_cancel_enrollment", row(LOGIN, METHOD, METHOD, METHOD, METHOD)),
    ("registrations:me_activity_signup", row(LOGIN, METHOD, METHOD, METHOD, METHOD)),
    ("registrations:me_activity_cancel", row(LOGIN, METHOD, METHOD, METHOD, METHOD)),
    # --- P5: the entrepreneur's products and curation; the public e-katalog and certificate check ---
    ("marketing:product_list", row(LOGIN, OK, REDIRECT, REDIRECT, REDIRECT)),
    ("marketing:product_add", row(LOGIN, OK, REDIRECT, REDIRECT, REDIRECT)),
    ("marketing:product_edit", row(LOGIN, OK, REDIRECT, REDIRECT, REDIRECT)),
    ("marketing:product_withdraw", row(LOGIN, METHOD, METHOD, METHOD, METHOD)),
    ("marketing:photo_delete", row(LOGIN, METHOD, METHOD, METHOD, METHOD)),
    ("marketing:round_submit", row(LOGIN, METHOD, METHOD, METHOD, METHOD)),
    ("marketing:certificate_download", row(LOGIN, OK, REDIRECT, REDIRECT, REDIRECT)),
    ("marketing:katalog", PUBLIC),
    ("marketing:katalog_product", PUBLIC),  # a curated product of the Menteng entrepreneur
    ("marketing:verify", PUBLIC),  # a certificate of someone else: it shows their name
    ("admin:marketing_submission_export_grade_a", row(LOGIN, LOGIN, DENIED, LOGIN, OK)),
    ("financing:home", row(LOGIN, OK, REDIRECT, REDIRECT, REDIRECT)),
    ("financing:application", row(LOGIN, OK, REDIRECT, REDIRECT, REDIRECT)),  # the entrepreneur's own
    ("financing:withdraw", row(LOGIN, METHOD, METHOD, METHOD, METHOD)),
    # --- personal data (UU 27/2022): the privacy notice, the resident's copy and requests ---
    ("privacy:policy", PUBLIC),
    ("privacy:me_data", row(LOGIN, OK, REDIRECT, REDIRECT, REDIRECT)),
    ("privacy:me_data_download", row(LOGIN, OK, REDIRECT, REDIRECT, REDIRECT)),
    ("privacy:me_consent_withdraw", row(LOGIN, METHOD, METHOD, METHOD, METHOD)),
    ("privacy:me_deletion_request", row(LOGIN, METHOD, METHOD, METHOD, METHOD)),
    # Monthly reports (growth): their own only; accounts without a record are sent to /me/.
    ("growth:me_reports", row(LOGIN, OK, REDIRECT, REDIRECT, REDIRECT)),
    ("growth:me_report_correct", row(LOGIN, OK, REDIRECT, REDIRECT, REDIRECT)),  # their own 2026-01
    # --- progress: officials and the Dinas; open data for everyone ---
    ("reports:dashboard", row(LOGIN, DENIED, DENIED, OK, OK)),
    ("reports:dashboard_csv", row(LOGIN, DENIED, DENIED, OK, OK)),
    ("reports:dashboard_pdf", row(LOGIN, DENIED, DENIED, OK, OK)),
    ("reports:dashboard_xlsx", row(LOGIN, DENIED, DENIED, OK, OK)),
    ("reports:dashboard_recompute", row(LOGIN, METHOD, METHOD, METHOD, METHOD)),  # POST only
    ("reports:open_data", PUBLIC),
    ("reports:open_data_csv", PUBLIC),
    ("reports:open_data_json", PUBLIC),
    # --- admin: the site itself ---
    ("admin:index", ADMIN_STAFF),
    ("admin:login", row(OK, OK, ADMIN_HOME, OK, ADMIN_HOME)),
    ("admin:logout", row(ADMIN_HOME, ADMIN_HOME, METHOD, ADMIN_HOME, METHOD)),
    ("admin:password_change", ADMIN_STAFF),
    ("admin:password_change_done", ADMIN_STAFF),
    ("admin:jsi18n", ADMIN_STAFF),
    ("admin:autocomplete", row(LOGIN, LOGIN, DENIED, LOGIN, DENIED)),  # without a valid field: 403
    ("admin:view_on_site", row(LOGIN, LOGIN, DENIED, LOGIN, DENIED)),
    ("admin:app_list", row(LOGIN, LOGIN, DENIED, LOGIN, OK)),  # sample app: axes (the Dinas unlocks accounts)
    ("admin/(?P<url>.*)$", row(LOGIN, LOGIN, DENIED, LOGIN, DENIED)),
    # --- admin: the back office's own pages ---
    # Scoped: her kecamatan only. A mentor has no permission on the registrations tables.
    ("admin:registrations_entrepreneur_export", row(LOGIN, LOGIN, OK, LOGIN, OK, DENIED)),
    ("admin:registrations_entrepreneur_import", row(LOGIN, LOGIN, DENIED, LOGIN, OK)),
    # Import jobs: the Dinas follows every upload (centre staff only their own, and only if
    # the Dinas let them import); "run again" is POST only.
    ("admin:registrations_importjob_report", row(LOGIN, LOGIN, DENIED, LOGIN, OK)),
    ("admin:registrations_importjob_run", row(LOGIN, LOGIN, METHOD, LOGIN, METHOD)),
    # A referral batch's file for its bank, and the bank's decision file: the Dinas only.
    ("admin:financing_referralbatch_export", row(LOGIN, LOGIN, DENIED, LOGIN, OK)),
    ("admin:financing_referralbatch_decisions", row(LOGIN, LOGIN, DENIED, LOGIN, OK)),
    # Full NIK and phone: the reason form (the export is scoped to her kecamatan; the person
    # revealed is in Menteng, out of alice's scope). A mentor may not export.
    ("admin:registrations_entrepreneur_export_full", row(LOGIN, LOGIN, OK, LOGIN, OK, DENIED)),
    ("admin:registrations_entrepreneur_reveal", row(LOGIN, LOGIN, DENIED, LOGIN, OK)),
    # Without an import in progress there is no report to show: back to the import page.
    ("admin:registrations_entrepreneur_import_report", row(LOGIN, LOGIN, DENIED, LOGIN, REDIRECT)),
    ("admin:registrations_entrepreneur_duplicates", row(LOGIN, LOGIN, OK, LOGIN, OK, DENIED)),
    # Caseloads: a mentor's own; centre staff and the Dinas start from the mentors' overview.
    ("admin:growth_mentorassignment_caseload", row(LOGIN, LOGIN, REDIRECT, LOGIN, REDIRECT, OK)),
    ("admin:growth_mentorassignment_mentors", row(LOGIN, LOGIN, OK, LOGIN, OK, REDIRECT)),
    # The monthly sheet: staff with the upload permission; no upload yet, so no report.
    ("admin:growth_monthlyreport_upload", row(LOGIN, LOGIN, OK, LOGIN, OK, OK)),
    ("admin:growth_monthlyreport_upload_report", row(LOGIN, LOGIN, REDIRECT, LOGIN, REDIRECT, REDIRECT)),
    # --- admin: models ---
    *ADMIN_MODELS,
    # The Dinas manages targets (jakpreneur/access.py); centre staff do not.
    ("admin:reports_target_*", DINAS_ONLY),
    ("admin/reports/target/<path:object_id>/", ADMIN_OBJECT_REDIRECT),
    ("admin:reports_progresssnapshot_recompute", row(LOGIN, LOGIN, METHOD, LOGIN, METHOD)),
    ("admin:reports_progresssnapshot_add", ADMIN_NOBODY),  # snapshots come from the job only
    ("admin:reports_progresssnapshot_delete", ADMIN_NOBODY),
    ("admin:reports_progresssnapshot_*", DINAS_ONLY),  # read-only for the Dinas
    ("admin/reports/progresssnapshot/<path:object_id>/", ADMIN_OBJECT_REDIRECT),
    ("admin:auth_group_*", ADMIN_NOBODY),
    ("admin/auth/group/<path:object_id>/", ADMIN_OBJECT_REDIRECT),
    # The Dinas reads login attempts and unlocks accounts (deletes an attempt); nobody adds them.
    ("admin:axes_accessattempt_add", ADMIN_NOBODY),
    ("admin:axes_accessattempt_*", DINAS_ONLY),
    ("admin:axes_accesslog_add", ADMIN_NOBODY),
    ("admin:axes_accesslog_delete", ADMIN_NOBODY),
    ("admin:axes_accesslog_*", DINAS_ONLY),
    ("admin:axes_*", ADMIN_NOBODY),
    ("admin/axes/*/<path:object_id>/", ADMIN_OBJECT_REDIRECT),
    ("admin:auth_user_password_change", row(LOGIN, LOGIN, DENIED, LOGIN, OK)),
    # Background jobs (outbox): read-only for the Dinas; nobody adds or deletes them.
    ("admin:outbox_job_add", ADMIN_NOBODY),
    ("admin:outbox_job_delete", ADMIN_NOBODY),
    ("admin:outbox_job_*", DINAS_ONLY),
    ("admin/outbox/job/<path:object_id>/", ADMIN_OBJECT_REDIRECT),
]


def expected_for(key: str) -> dict[str, str] | None:
    for pattern, expected in EXPECTED:
        if key == pattern or fnmatch(key, pattern):
            return expected
    return None


# --- enumerating the URLconf -------------------------------------------------------------


def walk(resolver=None, prefix="", namespace=None):
    """(route, name, pattern) for every URL pattern, with routes and namespaces joined."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield prefix + str(pattern.pattern), name, pattern


def key_of(route: str, name: str | None) -> str:
    return name or route


def admin_model_of(route: str):
    match = re.match(r"^admin/(\w+)/(\w+)/", route)
    if not match:
        return None
    for model in admin.site._registry:
        if (model._meta.app_label, model._meta.model_name) == match.groups():
            return model
    return None


def fill(route: str, samples: dict) -> str:
    """A concrete path for `route`: converters and regex groups get sample values."""
    model = admin_model_of(route)

    def value(name: str, converter: str | None) -> str:
        if name == "object_id" and model is not None:
            return str(samples["objects"][model].pk)
        if name in samples["named"]:
            return str(samples["named"][name])
        if converter == "int":
            return "1"
        raise KeyError(f"no sample value for <{converter}:{name}> in {route}")

    regex_samples = {"app_label": "axes", "url": "no-such-page/"}
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: regex_samples[m.group(1)], route)
    if "/history/([^/]+)/" in path:  # django-simple-history: an object and one of its versions
        instance = samples["objects"][model]
        version = instance.history.order_by("history_id").first().history_id
        path = path.replace("^([^/]+)/history/([^/]+)/", f"{instance.pk}/history/{version}/")
    path = path.replace("^", "").replace("$", "")
    path = re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: value(m.group(2), m.group(1)), path)
    return "/" + path


QUERY = {
    "facilities:kecamatan_options": "?kota=31.71",
    "facilities:kelurahan_options": "?kecamatan=31.71.06",
}


# --- the cast and their data ---------------------------------------------------------------


@pytest.fixture(autouse=True)
def _fast_hashing(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"  # the sample product's photo


@pytest.fixture
def menteng_entrepreneur():
    return EntrepreneurFactory(
        kelurahan_code=MENTENG_KELURAHAN,
        user=UserFactory(email="warga.menteng@example.id"),
    )


@pytest.fixture
def samples(menteng_entrepreneur, dina):
    from django.contrib.auth.models import Group

    from registrations.models import User
    from reports.services import progress_snapshot_create

    activity = ActivityFactory(center=center("31.71.06"))
    progress_snapshot_create()  # the dashboard and open data have figures to show
    enrollment = enrollment_request(
        entrepreneur=menteng_entrepreneur, facility=Facility.objects.get(code="P2"), actor=dina
    )
    application, batch, export_log = _financing_samples(menteng_entrepreneur, dina)
    marketing = _marketing_samples(menteng_entrepreneur, dina)
    menteng_objects = {
        **marketing["objects"],
        FinancingApplication: application,
        ReferralBatch: batch,
        ExportLog: export_log,
        Business: BusinessFactory(entrepreneur=menteng_entrepreneur),
        Enrollment: enrollment,
        Attendance: attendance_signup(activity=activity, entrepreneur=menteng_entrepreneur, actor=None),
        Center: center("31.71.06"),
        Kota: Kota.objects.get(pk="31.71"),
        Kecamatan: Kecamatan.objects.get(pk="31.71.06"),
        Kelurahan: Kelurahan.objects.get(pk=MENTENG_KELURAHAN),
        Facility: Facility.objects.get(code="P2"),
    }
    objects = {}
    for model in admin.site._registry:
        if model is Entrepreneur:
            objects[model] = menteng_entrepreneur
        elif model in menteng_objects:
            objects[model] = menteng_objects[model]
        elif model is User:
            objects[model] = menteng_entrepreneur.user
        elif model is Group:
            objects[model] = Group.objects.get(name="center_staff")
        elif model._meta.model_name == "activity":
            objects[model] = activity
        else:
            instance = model.objects.order_by("pk").first()
            if instance is None:
                instance = _make(model, menteng_entrepreneur)
            objects[model] = instance
    return {
        "objects": objects,
        "named": {
            "content_type_id": ContentType.objects.get_for_model(Entrepreneur).pk,
            "object_id": menteng_entrepreneur.pk,
            "id": menteng_entrepreneur.user_id,
            "pk": activity.pk,
            "application_id": application.pk,
            "batch_id": batch.pk,
            "table": "kota",
            "fmt": "csv",
            "uidb64": "MQ",
            "token": "set-password",
            "month": "2026-01",  # the Menteng entrepreneur's sample report
            **marketing["named"],
        },
    }


def _marketing_samples(entrepreneur, dina):
    """A curated product of the Menteng entrepreneur with a photo, a published round, a graded
    submission with its certificate; and the certificate of someone else for /verify/."""
    from django.utils import timezone

    from marketing import services
    from marketing.models import Certificate, CurationRound, Product, Submission
    from marketing.tests.factories import CurationRoundFactory, ProductFactory, image_bytes, upload

    product = ProductFactory(entrepreneur=entrepreneur, catalogue_grade="A", catalogue_since=timezone.now())
    photo = services.photo_add(product=product, entrepreneur=entrepreneur, file=upload(image_bytes()))
    curation_round = CurationRoundFactory()
    submission = Submission.objects.create(
        round=curation_round, product=product, status="graded", grade="A", graded_at=timezone.now()
    )
    certificate = services.certificate_issue(submission=submission)
    someone_else = ProductFactory()
    other = services.certificate_issue(
        submission=Submission.objects.create(
            round=curation_round, product=someone_else, status="graded", grade="B", graded_at=timezone.now()
        )
    )
    return {
        "objects": {Product: product, CurationRound: curation_round, Submission: submission, Certificate: certificate},
        "named": {
            "product_id": product.pk,
            "photo_id": photo.pk,
            "round_id": curation_round.pk,
            "certificate_id": certificate.pk,
            "code": other.code,
        },
    }


def _financing_samples(entrepreneur, dina):
    """A referred application of the Menteng entrepreneur, in a batch exported once."""
    product = FinancingProduct.objects.get(name="Kredit Monas Pemula")
    batch = ReferralBatch.objects.create(provider=product.provider, created_by=dina)
    application = FinancingApplication.objects.create(
        entrepreneur=entrepreneur,
        product=product,
        amount=5_000_000,
        tenor_months=12,
        purpose="Modal",
        batch=batch,
        status=FinancingApplication.Status.REFERRED,
    )
    ApplicationStep.objects.create(application=application, to_status="submitted")
    return application, batch, ExportLog.objects.create(batch=batch, kind=ExportLog.Kind.EXPORT, user=dina, rows=1)


def _make(model, entrepreneur):
    """An instance of an admin-registered model that no fixture made, tied to Menteng."""
    label = model._meta.label_lower
    if label == "axes.accessattempt":
        return model.objects.create(username="x@example.id", ip_address="203.0.113.1", failures_since_start=1)
    if label == "axes.accesslog":
        return model.objects.create(username="x@example.id", ip_address="203.0.113.1")
    if label == "axes.accessfailurelog":
        return model.objects.create(username="x@example.id", ip_address="203.0.113.1", locked_out=False)
    if label == "registrations.importjob":
        return model.objects.create(filename="legacy.csv", file="imports/legacy.csv", status="failed", message="x")
    if label == "registrations.reveallog":
        return model.objects.create(
            user=User.objects.get(email="dina@jakpreneur.test"),
            entrepreneur=entrepreneur,
            field="nik",
            reason="KTP check",
        )
    if label == "privacy.deletionrequest":
        return model.objects.create(entrepreneur=entrepreneur, reason="Saya pindah ke luar Jakarta.")
    if label.startswith("growth."):
        return _growth_sample(label, entrepreneur)
    if label == "outbox.job":
        return model.objects.create(task_name="registrations.tasks.send_registration_confirmation", args=[1])
    raise LookupError(f"add a sample {label} to tests/fault/test_access_walk.py")


def _growth_sample(label, entrepreneur):
    """Menteng's mentor, the entrepreneur in his caseload, a session and a report."""
    import datetime as dt

    from django.contrib.auth.models import Group

    from growth.models import MentorAssignment, MentoringSession, MentorProfile, MonthlyReport
    from registrations.models import User

    mentor, created = User.objects.get_or_create(email="mentor.menteng@jakpreneur.test", defaults={"is_staff": True})
    if created:
        mentor.groups.add(Group.objects.get(name="pendamping"))
        mentor.kecamatan_scope.set(["31.71.06"])
    if label == "growth.mentorprofile":
        return MentorProfile.objects.get_or_create(user=mentor)[0]
    assignment = MentorAssignment.objects.filter(entrepreneur=entrepreneur).first()
    if assignment is None:
        assignment = MentorAssignment.objects.create(entrepreneur=entrepreneur, mentor=mentor)
    if label == "growth.mentorassignment":
        return assignment
    if label == "growth.mentoringsession":
        return MentoringSession.objects.create(entrepreneur=entrepreneur, mentor=mentor, date=dt.date(2026, 1, 5))
    return MonthlyReport.objects.create(
        entrepreneur=entrepreneur, period=dt.date(2026, 1, 1), turnover=1, assets=1, workers=0
    )


@pytest.fixture
def as_role(client, menteng_entrepreneur, alice, olga, dina, maya):
    users = {
        "anonymous": None,
        "entrepreneur": menteng_entrepreneur.user,
        "alice": alice,
        "olga": olga,
        "dina": dina,
        "maya": maya,
    }

    def login(role: str):
        client.logout()
        if users[role] is not None:
            client.force_login(users[role])
        return client

    return login


def outcome(response) -> str:
    status = response.status_code
    if status in (200, 204):
        return OK
    if status == 405:
        return METHOD
    if status in (403, 404):
        return DENIED
    if status in (301, 302):
        location = response["Location"]
        if "/login/" in location:
            return LOGIN
        if location.split("?")[0] in ("/admin/", "/admin"):
            return ADMIN_HOME
        return REDIRECT
    return f"HTTP {status}"


# --- the tests -----------------------------------------------------------------------------


def test_every_url_pattern_has_an_entry_in_the_access_table():
    missing = sorted(key_of(route, name) for route, name, _ in walk() if expected_for(key_of(route, name)) is None)
    assert missing == [], "add these URLs to EXPECTED in tests/fault/test_access_walk.py"


@pytest.mark.parametrize("role", ROLES)
def test_each_visitor_gets_exactly_the_access_the_table_allows(role, as_role, samples, menteng_entrepreneur):
    client = as_role(role)
    client.raise_request_exception = False
    # Who must never see the Menteng entrepreneur's personal data, on any page. The Dinas sees
    # her name, but her NIK and phone number only masked until revealed with a reason.
    person = menteng_entrepreneur
    full_ids = [person.nik, person.phone, "0" + person.phone[3:]]
    secrets = {"entrepreneur": [], "dina": full_ids}.get(role, [*full_ids, person.full_name])
    mismatches = []
    for route, name, _ in walk():
        key = key_of(route, name)
        expected = expected_for(key)
        assert expected is not None, key
        path = fill(route, samples) + QUERY.get(key, "")
        response = client.get(path)
        got = outcome(response)
        if got != expected[role]:
            mismatches.append(f"{path} ({key}): expected {expected[role]}, got {got}")
        # Whatever answers GET answers HEAD the same way (uptime monitors, link checkers).
        head = client.head(path)
        if outcome(head) != got:
            mismatches.append(f"HEAD {path} ({key}): expected {got} as for GET, got {outcome(head)}")
        body = b"".join(response) if response.streaming else response.content
        for secret in secrets:
            if secret.encode() in body:
                mismatches.append(f"{path} ({key}): shows {secret!r} to {role}")
    assert not mismatches, "\n".join(mismatches)


def _growth_rows() -> list[tuple]:
    from growth.models import MentorAssignment, MentoringSession, MentorProfile, MonthlyReport

    return [
        *MonthlyReport.objects.order_by("pk").values_list("pk", "entrepreneur_id", "period", "turnover", "assets"),
        *MentoringSession.objects.order_by("pk").values_list("pk", "entrepreneur_id", "date", "mode", "notes"),
        *MentorAssignment.objects.order_by("pk").values_list("pk", "entrepreneur_id", "mentor_id", "ended_at"),
        *MentorProfile.objects.order_by("pk").values_list("pk", "phone", "recruitment_target"),
    ]


@pytest.mark.parametrize("role", ["alice", "maya", "entrepreneur", "olga"])
def test_growth_posts_with_out_of_scope_ids_change_nothing(role, as_role, samples, menteng_entrepreneur):
    """Forms posted by people outside Menteng, naming Menteng's rows: refused, nothing written."""
    from django.urls import reverse

    from growth.models import MentorAssignment, MentoringSession, MentorProfile, MonthlyReport

    objects = samples["objects"]
    report, session = objects[MonthlyReport], objects[MentoringSession]
    assignment, profile = objects[MentorAssignment], objects[MentorProfile]
    client = as_role(role)
    client.raise_request_exception = False
    before = _growth_rows()
    figures = {"turnover": "9", "assets": "9", "workers": "9"}
    posts = [
        (reverse("admin:growth_monthlyreport_change", args=[report.pk]), figures),
        (
            reverse("admin:growth_monthlyreport_add"),
            {**figures, "entrepreneur": menteng_entrepreneur.pk, "period": "2026-02"},
        ),
        (reverse("admin:growth_mentoringsession_change", args=[session.pk]), {"date": "2026-01-06", "mode": "phone"}),
        (
            reverse("admin:growth_mentoringsession_add"),
            {"entrepreneur": menteng_entrepreneur.pk, "date": "2026-01-06", "mode": "visit"},
        ),
        (reverse("admin:growth_mentorassignment_changelist"), {"action": "end", "_selected_action": [assignment.pk]}),
        # growth's action on registrations' entrepreneur list, confirmed with the row's mentor.
        (
            reverse("admin:registrations_entrepreneur_changelist"),
            {
                "action": "assign_mentor",
                "_selected_action": [menteng_entrepreneur.pk],
                "index": "0",
                "apply": "1",
                "mentor": assignment.mentor_id,
            },
        ),
        (
            reverse("admin:growth_mentorassignment_add"),
            {"entrepreneur": menteng_entrepreneur.pk, "mentor": assignment.mentor_id},
        ),
        (reverse("admin:growth_mentorprofile_change", args=[profile.pk]), {"recruitment_target": "1", "phone": ""}),
    ]
    for path, data in posts:
        response = client.post(path, data)
        assert response.status_code in (200, 302, 403, 404), (path, response.status_code)
    assert _growth_rows() == before


# --- POST: every admin add form, change form and action, as each role, out of its scope ------
#
# Enumerated from the admin site's registry, so a new admin is walked without an entry here
# (an add form whose valid data the walk cannot guess asks for one in ADD_DATA). Each role
# submits what a browser would send from the page as a superuser sees it, with ids outside
# the role's scope: alice (Gambir) gets Menteng's rows and every other kecamatan's, the Dinas
# ids that do not exist or that she may not see (superusers' accounts). Every submission must
# leave every table as it was, and none may give a 500. `test_the_submissions_are_valid_but_for_their_scope`
# has a superuser send alice's very data and sees it accepted: the walk's refusals are the
# scope's, not a form left half empty.

# The fields an add form needs to be valid besides its scoped choices (which the walk fills).
# None: no valid row can be added with the reference data (every kecamatan has its centre).
ADD_DATA: dict[str, dict | None] = {
    "registrations.entrepreneur": {
        "nik": "3171015708900003",  # 17-08-1990, a woman (day + 40)
        "full_name": "Warga Walk In",
        "birth_date": "1990-08-17",
        "gender": "P",
        "phone": "081298765432",
        "email": "",
        "address": "Jl. Walk In 1",
        "track": "pemula",
        "consent": "on",
    },
    "registrations.attendance": {},
    "registrations.user": {
        "email": "baru@jakpreneur.test",
        "password1": "a-long-enough-passphrase-42",
        "password2": "a-long-enough-passphrase-42",
        "usable_password": "true",
    },
    "facilities.activity": {
        "facility": "P2",
        "kind": "class",
        "title": "Kelas walk",
        "starts_at_0": "2099-01-10",
        "starts_at_1": "09:00:00",
        "ends_at_0": "2099-01-10",
        "ends_at_1": "12:00:00",
        "registration_deadline_0": "2099-01-09",
        "registration_deadline_1": "09:00:00",
        "capacity": "10",
        "published": "on",
    },
    "facilities.center": None,
    "reports.target": {
        "name": "Target walk",
        "metric": "registered",
        "value": "100",
        "period_start": "2030-01-01",
        "period_end": "2030-12-31",
        "active": "on",
    },
    "auth.group": {"name": "walk"},
    "growth.monthlyreport": {"period": "2026-02", "turnover": "1000000", "assets": "5000000", "workers": "2"},
    "growth.mentoringsession": {"date": "2026-01-06", "mode": "visit", "notes": "walk"},
    "growth.mentorassignment": {},
    "growth.mentorprofile": {"display_name": "Pendamping walk", "phone": "", "recruitment_target": "10"},
    "marketing.curationround": {
        "title": "Kurasi walk",
        "criteria": "Produk pangan olahan",
        "quota": "10",
        "submission_deadline_0": "2099-01-01",
        "submission_deadline_1": "09:00:00",
        "curation_date_0": "2099-02-01",
        "curation_date_1": "09:00:00",
        "curation_place": "Balai kota",
        "status": "draft",
    },
    "financing.financingproduct": {
        "name": "Kredit walk",
        "provider": "Bank walk",
        "min_amount": "1000000",
        "max_amount": "5000000",
        "interest_rate": "6",
        "tenor_min_months": "1",
        "tenor_max_months": "12",
        "min_reported_months": "0",
        "active": "on",
    },
    "financing.financingapplication": {"amount": "2000000", "tenor_months": "6", "purpose": "Modal kerja walk"},
}


# Forms whose choices carry their app's own rules besides the scope (only mentor accounts may
# be mentors; a session is for a mentor's caseload): a row from another scope is refused for a
# superuser too, so the control test cannot show their refusals are the scope's. The walk
# still submits them; growth's own test (test_growth_posts_with_out_of_scope_ids_change_nothing)
# covers their rules.
# A financing application also needs a product the person is eligible for (P1–P6 done,
# months of reports), which the walk's sample person is not.
NOT_CONTROLLED = {
    "growth.mentoringsession",
    "growth.mentorassignment",
    "growth.mentorprofile",
    "financing.financingapplication",
}


class FormScraper(HTMLParser):
    """The name/value pairs a browser would submit from the admin's form `<form id=…>`."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.pairs = form_id, False, []
        self.select = self.textarea = None
        self.multiple, self.selected, self.first_option, self.text = False, [], None, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.pairs.append((name, a.get("value") or ("on" if kind in ("checkbox", "radio") else "")))
        elif tag == "select" and name:
            self.select, self.multiple, self.selected, self.first_option = name, "multiple" in a, [], None
        elif tag == "option" and self.select:
            value = a.get("value") or ""
            self.first_option = value if self.first_option is None else self.first_option
            if "selected" in a:
                self.selected.append(value)
        elif tag == "textarea" and name:
            self.textarea, self.text = name, []

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            values = self.selected or ([] if self.multiple else [self.first_option or ""])
            self.pairs.extend((self.select, value) for value in values)
            self.select = None
        elif tag == "textarea" and self.textarea:
            text = "".join(self.text)
            self.pairs.append((self.textarea, text[1:] if text.startswith("\n") else text))
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.text.append(data)


def scrape(response, model) -> dict[str, list[str]]:
    scraper = FormScraper(f"{model._meta.model_name}_form")
    scraper.feed(response.content.decode())
    data: dict[str, list[str]] = {}
    for name, value in scraper.pairs:
        data.setdefault(name, []).append(value)
    return data


def scoped_choice_fields(response) -> list[tuple[str, type]]:
    """(posted name, related model) of every scoped choice on an admin form page, inlines
    included. (An inline's own row id is not a choice: its formset takes the parent's rows.)"""
    forms = [response.context["adminform"].form]
    try:
        inline_formsets = response.context["inline_admin_formsets"]
    except KeyError:
        inline_formsets = []
    for inline in inline_formsets:
        forms.extend(inline.formset.forms)
    fields = []
    for form in forms:
        for name, field in form.fields.items():
            model = getattr(getattr(field, "queryset", None), "model", None)
            row_id = form is not forms[0] and name == form._meta.model._meta.pk.name
            if isinstance(field, ModelChoiceField) and not scoping.is_public(model) and not row_id:
                fields.append((form.add_prefix(name), model))
    return fields


def missing_pk(model) -> str:
    return "987654321" if model._meta.pk.get_internal_type().endswith("AutoField") else "00.00.00.0000"


def pk_outside(model, visible) -> str:
    """A row of `model` outside `visible` (the role's rows), else an id that does not exist."""
    row = model._default_manager.exclude(pk__in=visible.values("pk")).order_by("pk").first()
    return str(row.pk) if row is not None else missing_pk(model)


def pk_inside(model, visible) -> str | None:
    row = visible.order_by("pk").first()
    return None if row is None else str(row.pk)


def role_request(user):
    request = RequestFactory().post("/admin/")
    request.user = user or AnonymousUser()
    return request


@dataclass
class Submission:
    what: str
    url: str
    data: dict
    form: str = ""  # "<label> add" / "<label> change" for a form with one choice set outside the scope


def variants(what: str, url: str, data: dict, fields, user, may: bool):
    """The submissions of one form for `user`: each scoped choice in turn set outside the
    user's scope, the others inside it. A role that may not use the form at all sends it once;
    a role that may, with no scoped choice on the form, has nothing out of its scope to send."""
    if not fields:
        if not may:
            yield Submission(what, url, data)
        return
    inside = {name: pk_inside(model, scoping.choices_for(model, user)) for name, model in fields}
    for name, model in fields:
        values = {**data}
        for other, value in inside.items():
            if value is not None:
                values[other] = [value]
        values[name] = [pk_outside(model, scoping.choices_for(model, user))]
        yield Submission(f"{what}, {name} outside", url, values, form=what)
        if not may:
            return  # one submission is enough for a role the form is closed to


def action_data(name: str, pk: str) -> dict:
    # Confirmed at once: the delete page's "post", a RowAction's "apply" with its form's fields
    # (the mentor of "assign to a mentor": any mentor account there is).
    mentor = User.objects.filter(groups__name="pendamping").values_list("pk", flat=True).first()
    return {
        "mentor": str(mentor or ""),
        "action": name,
        "_selected_action": [pk],
        "index": "0",
        "select_across": "0",
        "post": "yes",
        "apply": "1",
        "reason": "walk",
        "facility": "P3",
        "note": "walk",
    }


def submissions(role_user, root_client, root):
    """Every admin add form, change form and action of the registry, for one role."""
    request, root_request = role_request(role_user), role_request(root)
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        visible = model_admin.get_queryset(request)
        outside = pk_outside(model, visible)
        if model_admin.has_add_permission(root_request):
            if label not in ADD_DATA:
                raise LookupError(f"add valid data for the {label} add form to ADD_DATA")
            url = reverse(f"admin:{info}_add")
            page = root_client.get(url)
            data = {**scrape(page, model), **{k: [v] for k, v in (ADD_DATA[label] or {}).items()}}
            may = model_admin.has_add_permission(request)
            yield from variants(f"{label} add", url, data, scoped_choice_fields(page), role_user, may)
        if model_admin.has_change_permission(root_request):
            may = model_admin.has_change_permission(request)
            inside = pk_inside(model, visible)
            if inside is not None:
                url = reverse(f"admin:{info}_change", args=[inside])
                page = root_client.get(url)
                data = scrape(page, model)
                yield from variants(f"{label} change", url, data, scoped_choice_fields(page), role_user, may)
            url = reverse(f"admin:{info}_change", args=[outside])
            page = root_client.get(url)
            data = scrape(page, model) if page.status_code == 200 else {}
            yield Submission(f"{label} change of a row out of scope", url, data)
        # The site's actions, the admin's own and those other apps registered for it.
        names = [name for name, _action in admin.site.actions] + list(model_admin.actions or ())
        for name in names + list(registered_actions(model)):
            url = reverse(f"admin:{info}_changelist")
            yield Submission(f"{label} action {name}", url, action_data(name, outside))


# Tables requests write whatever they do: sessions (messages, login), login logs (axes).
UNWATCHED_APPS = {"sessions", "axes"}


def database_dump() -> dict:
    """Every row of every table (many-to-many tables included) but the unwatched ones."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in django_apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and model._meta.app_label not in UNWATCHED_APPS
    }


def changed_tables(before: dict, after: dict) -> list[str]:
    return [label for label in before if before[label] != after[label]]


@pytest.fixture
def root(db):
    from registrations.models import User

    return User.objects.create_superuser(email="root@jakpreneur.test", password="x")


@pytest.fixture
def gambir_rows():
    """Alice's own rows, for her to submit with choices outside her kecamatan."""
    person = EntrepreneurFactory(kelurahan_code=GAMBIR_KELURAHAN, user=None, full_name="Ani Gambir")
    BusinessFactory(entrepreneur=person)
    activity = ActivityFactory(center=center("31.71.01"))
    attendance_signup(activity=activity, entrepreneur=person, actor=None)
    enrollment_request(entrepreneur=person, facility=Facility.objects.get(code="P3"), actor=None)
    return person


@pytest.fixture
def root_client(root):
    from django.test import Client

    client = Client()
    client.force_login(root)
    return client


@pytest.mark.parametrize("role", ROLES)
def test_no_admin_form_or_action_changes_anything_outside_the_roles_scope(
    role, as_role, samples, gambir_rows, root, root_client, menteng_entrepreneur, alice, olga, dina, maya
):
    role_user = {
        "anonymous": None,
        "entrepreneur": menteng_entrepreneur.user,
        "alice": alice,
        "olga": olga,
        "dina": dina,
        "maya": maya,
    }[role]
    client = as_role(role)
    client.raise_request_exception = False
    todo = list(submissions(role_user, root_client, root))
    assert len(todo) >= 40
    before = database_dump()
    problems = []
    for submission in todo:
        response = client.post(submission.url, submission.data)
        if response.status_code >= 500:
            problems.append(f"{submission.what}: HTTP {response.status_code}")
        after = database_dump()
        if after != before:
            problems.append(f"{submission.what}: changed {', '.join(changed_tables(before, after))}")
            before = after
    assert problems == [], "\n".join(problems)


def test_the_submissions_are_valid_but_for_their_scope(alice, samples, gambir_rows, root, root_client):
    """A superuser sending alice's out-of-scope choices is obeyed: each refusal the walk sees
    for alice is her scope's. (Add forms marked None in ADD_DATA cannot be valid.)"""
    checked, problems = 0, []
    for submission in submissions(alice, root_client, root):
        if not submission.form:
            continue
        label, kind = submission.form.split(" ")
        if (kind == "add" and ADD_DATA.get(label) is None) or label in NOT_CONTROLLED:
            continue
        # Each in a savepoint rolled back: the next submissions are made from the same rows.
        with transaction.atomic():
            before = database_dump()
            response = root_client.post(submission.url, submission.data)
            checked += 1
            if response.status_code != 302 or database_dump() == before:
                errors = response.context["adminform"].form.errors if response.context else response.status_code
                problems.append(f"{submission.what}: not accepted ({errors})")
            transaction.set_rollback(True)
    assert checked >= 5
    assert problems == [], "\n".join(problems)
