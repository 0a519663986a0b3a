"""The access table: for every URL pattern (by name, or route for unnamed ones), what each
visitor's GET must end in. A URL without an entry here fails the walk (test_get.py)."""

from fnmatch import fnmatch

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
    ("registrations:me_activities", row(LOGIN, OK, REDIRECT, REDIRECT, REDIRECT)),
    ("registrations:me_business", row(LOGIN, OK, REDIRECT, REDIRECT, REDIRECT)),
    ("registrations:me_request_facility", row(LOGIN, METHOD, METHOD, METHOD, METHOD)),
    ("registrations:me_cancel_enrollment", row(LOGIN, METHOD, METHOD, METHOD, METHOD)),
    ("registrations:me_activity_signup", row(LOGIN, METHOD, METHOD, METHOD, METHOD)),
    ("registrations:me_activity_cancel", row(LOGIN, METHOD, METHOD, METHOD, METHOD)),
    # --- P5: the entrepreneur's products and curation; the public e-katalog and certificate check ---
    ("marketing:product_list", row(LOGIN, OK, REDIRECT, REDIRECT, REDIRECT)),
    ("marketing:me_curation", row(LOGIN, OK, REDIRECT, REDIRECT, REDIRECT)),
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
    ("growth:me_mentoring", row(LOGIN, OK, REDIRECT, REDIRECT, REDIRECT)),
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
