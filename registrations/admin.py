"""The back office. Every admin here is scoped through registrations.selectors (deny by
default) and writes through registrations.services, so history and the status log are kept
whatever screen a change comes from.

The Activity admin lives here rather than in facilities/admin.py because its participant
list and actions need registrations (facilities must not import registrations)."""

import re

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from facilities.models import Activity, Facility, Kota
from registrations import exports, imports, selectors, services
from registrations.admin_base import (
    ReasonForm,
    ScopedAdmin,
    ScopedHistoryAdmin,
    action_form_page,
    run_per_row,
    too_many_rows,
)
from registrations.admin_forms import (
    BusinessInlineForm,
    CompleteEnrollmentForm,
    EnrolForm,
    EntrepreneurChangeForm,
    ImportForm,
    WalkInForm,
)
from registrations.models import Attendance, Business, Enrollment, Entrepreneur, StatusChange, User
from registrations.validators import normalize_phone

NIK_SEARCH_RE = re.compile(r"^[0-9]{16}$")
IMPORT_REPORT_SESSION_KEY = "jakpreneur_import_report"
IMPORT_REPORT_MAX_ROWS = 20_000


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "first_name", "last_name"]
    filter_horizontal = ["groups", "user_permissions", "kecamatan_scope"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "kecamatan_scope")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    # Dinas admins manage staff accounts, but only superusers may grant superuser status or
    # individual permissions, or touch a superuser's account.
    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(is_superuser=False)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "user_permissions"]
        return fields

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        selectors.forget_scope(form.instance)


# --- list filters ----------------------------------------------------------------------------


class CheckedValueFilter(admin.SimpleListFilter):
    """A list filter whose value must match `value_pattern`; anything else (letters for an
    id, a NUL byte PostgreSQL refuses) is the admin's "incorrect lookup" (?e=1), not a 500."""

    value_pattern = re.compile(r"^[\w.-]{1,40}$")

    def value(self):
        value = super().value()
        if value and not self.value_pattern.match(value):
            raise IncorrectLookupParameters(value)
        return value


class KotaFilter(CheckedValueFilter):
    value_pattern = re.compile(r"^\d{2}\.\d{2}$")
    title = _("kota")
    parameter_name = "kota"

    def lookups(self, request, model_admin):
        return [(k.code, k.short_name) for k in Kota.objects.all()]

    def queryset(self, request, queryset):
        return queryset.filter(kecamatan__kota_id=self.value()) if self.value() else queryset


class KecamatanFilter(CheckedValueFilter):
    value_pattern = re.compile(r"^\d{2}\.\d{2}\.\d{2}$")
    title = _("kecamatan")
    parameter_name = "kecamatan"

    def lookups(self, request, model_admin):
        kecamatan = selectors.kecamatan_visible_to(request.user)
        if KotaFilter.value_pattern.match(request.GET.get("kota", "")):
            kecamatan = kecamatan.filter(kota_id=request.GET["kota"])
        return [(k.code, k.name) for k in kecamatan]

    def queryset(self, request, queryset):
        return queryset.filter(kecamatan_id=self.value()) if self.value() else queryset


class SectorFilter(CheckedValueFilter):
    value_pattern = re.compile(r"^[a-z_-]{1,40}$")
    title = _("sector")
    parameter_name = "sector"

    def lookups(self, request, model_admin):
        return Business.Sector.choices

    def queryset(self, request, queryset):
        return queryset.filter(business__sector=self.value()) if self.value() else queryset


class CompletedFacilityFilter(CheckedValueFilter):
    value_pattern = re.compile(r"^P\d$")
    title = _("completed facility")
    parameter_name = "completed"

    def lookups(self, request, model_admin):
        return [(f.code, str(f)) for f in Facility.objects.all()]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        completed = Enrollment.objects.filter(
            entrepreneur=OuterRef("pk"), facility_id=self.value(), state=Enrollment.State.COMPLETED
        )
        return queryset.filter(Exists(completed))


class CenterFilter(CheckedValueFilter):
    value_pattern = re.compile(r"^\d{1,18}$")
    title = _("centre")
    parameter_name = "center"

    def lookups(self, request, model_admin):
        return [(c.pk, c.name) for c in selectors.centers_visible_to(request.user)]

    def queryset(self, request, queryset):
        return queryset.filter(center_id=self.value()) if self.value() else queryset


class ActivityFilter(CheckedValueFilter):
    value_pattern = re.compile(r"^\d{1,18}$")
    title = _("activity")
    parameter_name = "activity"

    def lookups(self, request, model_admin):
        activities = selectors.activities_visible_to(request.user).order_by("-starts_at")[:30]
        return [(a.pk, f"{a.title} ({timezone.localtime(a.starts_at):%d-%m-%Y})") for a in activities]

    def queryset(self, request, queryset):
        return queryset.filter(activity_id=self.value()) if self.value() else queryset


# --- inlines ---------------------------------------------------------------------------------


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EnrollmentInline(ReadOnlyInline):
    model = Enrollment
    fields = ["facility", "state", "center", "requested_at", "completed_at", "permit_number", "curation_grade"]
    readonly_fields = fields
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("facility", "center", "entrepreneur")


class AttendanceInlineForEntrepreneur(ReadOnlyInline):
    model = Attendance
    fields = ["activity", "status", "signed_up_at", "marked_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("activity", "entrepreneur")


class StatusChangeInline(ReadOnlyInline):
    model = StatusChange
    fields = ["changed_at", "enrollment", "from_status", "to_status", "changed_by", "reason"]
    readonly_fields = fields
    verbose_name_plural = _("status log")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by", "enrollment__entrepreneur")


class BusinessInline(admin.StackedInline):
    model = Business
    form = BusinessInlineForm
    extra = 0
    max_num = 1
    can_delete = False


# --- entrepreneurs ---------------------------------------------------------------------------


@admin.register(Entrepreneur)
class EntrepreneurAdmin(ScopedHistoryAdmin):
    scope = staticmethod(selectors.entrepreneurs_visible_to)
    list_display = ["full_name", "nik", "kecamatan", "track", "status", "sector", "registered_at"]
    list_select_related = ["kecamatan", "business"]
    list_filter = [
        KotaFilter,
        KecamatanFilter,
        "status",
        "track",
        SectorFilter,
        CompletedFacilityFilter,
        "source",
    ]
    # The search is written by hand (get_search_results); the field only turns the box on.
    search_fields = ["full_name"]
    search_help_text = _("NIK (16 digits, exact), mobile number, email or part of the name.")
    sortable_by = ["registered_at"]
    list_per_page = 50
    actions = ["verify", "reject", "enrol", "export_csv", "export_xlsx"]
    change_list_template = "admin/registrations/entrepreneur/change_list.html"
    readonly_change_fields = [
        "nik",
        "nik_masked",
        "status",
        "status_changed_at",
        "status_changed_by",
        "status_reason",
        "kecamatan",
        "home_center",
        "source",
        "legacy_id",
        "consent_at",
        "registered_at",
        "user",
    ]

    # -- permissions

    def has_export_permission(self, request):
        return request.user.has_perm(selectors.EXPORT_PERMISSION)

    def has_import_permission(self, request):
        return request.user.has_perm(selectors.IMPORT_PERMISSION)

    # -- list

    # Masked variants for users without registrations.view_personal_data; the choice is
    # made per request in get_list_display / get_fieldsets (the admin instance is shared).
    @admin.display(description=_("NIK"))
    def nik_masked(self, obj):
        return obj.masked_nik

    @admin.display(description=_("mobile phone"))
    def phone_masked(self, obj):
        return obj.masked_phone

    @admin.display(description=_("birth year"))
    def birth_year(self, obj):
        return obj.birth_date.year

    @admin.display(description=_("sector"))
    def sector(self, obj):
        business = getattr(obj, "business", None)
        return business.get_sector_display() if business else "–"

    def get_list_display(self, request):
        if selectors.can_see_personal_data(request.user):
            return self.list_display
        return [("nik_masked" if name == "nik" else name) for name in self.list_display]

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        compact = re.sub(r"[\s.\-]", "", term)
        if NIK_SEARCH_RE.match(compact):
            return queryset.filter(nik=compact), False
        if "@" in term:
            return queryset.filter(email__iexact=term), False
        if compact.lstrip("+").isdigit():
            try:
                return queryset.filter(phone=normalize_phone(term)), False
            except ValidationError:
                return queryset.none(), False
        # On PostgreSQL this LIKE is answered by the trigram index on UPPER(full_name)
        # (migration 0002); on SQLite it scans, which is fine at SQLite's sizes.
        return queryset.filter(full_name__icontains=term), False

    # -- change / add forms

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = WalkInForm
        else:
            kwargs["form"] = EntrepreneurChangeForm
        form = super().get_form(request, obj, change=change, **kwargs)
        if "kelurahan" in form.base_fields:
            field = form.base_fields["kelurahan"]
            field.queryset = selectors.kelurahan_visible_to(request.user)
            field.label_from_instance = lambda k: f"{k.kecamatan.name} – {k.name} ({k.code})"
        return form

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return (
                (_("Person"), {"fields": ["nik", "full_name", "birth_date", "gender", "phone", "email"]}),
                (_("Domicile"), {"fields": ["kelurahan", "address"]}),
                (_("Programme"), {"fields": ["track", "facilities"]}),
                (_("Business"), {"fields": [*WalkInForm.BUSINESS_FIELDS]}),
                (_("Consent"), {"fields": ["consent"]}),
            )
        personal = selectors.can_see_personal_data(request.user)
        if personal:
            person = ["nik", "full_name", "birth_date", "gender", "phone", "email"]
        else:
            person = ["nik_masked", "full_name", "birth_year", "gender", "phone_masked"]
        return (
            (_("Person"), {"fields": person}),
            (_("Domicile"), {"fields": ["kelurahan", "address", "kecamatan", "home_center"]}),
            (_("Programme"), {"fields": ["track", "source", "legacy_id", "registered_at", "consent_at", "user"]}),
            (
                _("Status (changed with the Verify / Reject actions)"),
                {"fields": ["status", "status_changed_at", "status_changed_by", "status_reason"]},
            ),
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        fields = list(self.readonly_change_fields)
        if not selectors.can_see_personal_data(request.user):
            fields += ["birth_year", "phone_masked"]
        if not self.has_change_permission(request, obj):
            fields += ["full_name", "birth_date", "gender", "phone", "email", "kelurahan", "address", "track"]
        return fields

    def get_inlines(self, request, obj):
        if obj is None:
            return []
        return [BusinessInline, EnrollmentInline, AttendanceInlineForEntrepreneur, StatusChangeInline]

    def get_object(self, request, object_id, from_field=None):
        queryset = self.get_queryset(request).select_related(
            "kecamatan", "kelurahan__kecamatan", "home_center", "status_changed_by", "user"
        )
        try:
            return queryset.get(pk=object_id)
        except (Entrepreneur.DoesNotExist, ValidationError, ValueError):
            return None

    def save_model(self, request, obj, form, change):
        if change:
            editable = set(services.ENTREPRENEUR_EDITABLE_FIELDS)
            changes = {name: form.cleaned_data[name] for name in form.changed_data if name in editable}
            if changes:
                services.entrepreneur_update(entrepreneur=obj, actor=request.user, changes=changes)
            return
        entrepreneur = services.entrepreneur_register(
            data=form.entrepreneur_data(),
            source=Entrepreneur.Source.STAFF,
            actor=request.user,
            consent_at=timezone.now(),
        )
        obj.pk = entrepreneur.pk
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        # Business edits go through the service; the other inlines are read-only.
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            if formset.model is not Business:
                continue
            for inline_form in formset.forms:
                if not inline_form.has_changed() or not inline_form.cleaned_data:
                    continue
                cleaned = inline_form.cleaned_data
                services.business_upsert(
                    entrepreneur=form.instance,
                    actor=request.user,
                    data=services.BusinessData(
                        **{name: cleaned.get(name) for name in services.BUSINESS_FIELDS if name in cleaned}
                    ),
                )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            # Lost a race (the same NIK registered, the same email taken, in the meantime):
            # the service refused and nothing was saved.
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.path)

    # -- actions

    @admin.action(description=_("Verify selected registrations"), permissions=["change"])
    def verify(self, request, queryset):
        if too_many_rows(self, request, queryset):
            return None
        run_per_row(
            self,
            request,
            queryset,
            lambda e: services.entrepreneur_verify(entrepreneur=e, actor=request.user),
            done_message=gettext("%(n)s registration(s) verified."),
        )
        return None

    @admin.action(description=_("Reject selected registrations (with a reason)…"), permissions=["change"])
    def reject(self, request, queryset):
        if too_many_rows(self, request, queryset):
            return None
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            reason = form.cleaned_data["reason"]
            run_per_row(
                self,
                request,
                queryset,
                lambda e: services.entrepreneur_reject(entrepreneur=e, actor=request.user, reason=reason),
                done_message=gettext("%(n)s registration(s) rejected."),
            )
            return None
        return action_form_page(
            self,
            request,
            queryset,
            form=form,
            action="reject",
            title=gettext("Reject registrations"),
            intro=gettext("The reason is recorded and shown to the entrepreneur."),
        )

    @admin.action(description=_("Enrol selected entrepreneurs into a facility…"), permissions=["change"])
    def enrol(self, request, queryset):
        if too_many_rows(self, request, queryset):
            return None
        form = EnrolForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            facility, note = form.cleaned_data["facility"], form.cleaned_data["note"]
            run_per_row(
                self,
                request,
                queryset,
                lambda e: services.enrollment_request(entrepreneur=e, facility=facility, actor=request.user, note=note),
                done_message=gettext("%(n)s enrolment(s) requested."),
            )
            return None
        return action_form_page(
            self, request, queryset, form=form, action="enrol", title=gettext("Enrol into a facility")
        )

    @admin.action(description=_("Export selected to CSV"), permissions=["export"])
    def export_csv(self, request, queryset):
        return exports.csv_response(queryset.order_by(*self.model._meta.ordering), user=request.user)

    @admin.action(description=_("Export selected to XLSX"), permissions=["export"])
    def export_xlsx(self, request, queryset):
        try:
            return exports.xlsx_response(queryset.order_by(*self.model._meta.ordering), user=request.user)
        except exports.TooManyRows as error:
            self.message_user(request, str(error), messages.ERROR)
            return None

    # -- extra pages: export of the filtered list, import, duplicate candidates

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path("export/<str:fmt>/", wrap(self.export_view), name="{}_{}_export".format(*info)),
            path("import/", wrap(self.import_view), name="{}_{}_import".format(*info)),
            path("import/report/", wrap(self.import_report_view), name="{}_{}_import_report".format(*info)),
            path("duplicates/", wrap(self.duplicates_view), name="{}_{}_duplicates".format(*info)),
            *super().get_urls(),
        ]

    def changelist_url(self):
        return reverse("admin:registrations_entrepreneur_changelist", current_app=self.admin_site.name)

    def export_view(self, request, fmt):
        if fmt not in ("csv", "xlsx") or not self.has_export_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            self.message_user(request, gettext("The filters are not valid."), messages.ERROR)
            return redirect(self.changelist_url())
        queryset = changelist.get_queryset(request)
        if fmt == "csv":
            return exports.csv_response(queryset, user=request.user)
        try:
            return exports.xlsx_response(queryset, user=request.user)
        except exports.TooManyRows as error:
            self.message_user(request, str(error), messages.ERROR)
            query = request.GET.urlencode()
            return redirect(f"{self.changelist_url()}?{query}" if query else self.changelist_url())

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        result = None
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = imports.import_entrepreneurs(
                    file=upload.file,
                    filename=upload.name,
                    actor=request.user,
                    dry_run=form.cleaned_data["dry_run"],
                    allowed_kecamatan=selectors.kecamatan_codes_for(request.user),
                )
            except imports.ImportFileError as error:
                form.add_error("file", str(error))
            else:
                request.session[IMPORT_REPORT_SESSION_KEY] = [
                    [e.line, e.nik, e.field, e.message] for e in result.errors[:IMPORT_REPORT_MAX_ROWS]
                ]
                level = messages.WARNING if result.errors else messages.SUCCESS
                self.message_user(
                    request,
                    gettext(
                        "%(total)s rows read: %(created)s new, %(updated)s updated, %(unchanged)s unchanged, "
                        "%(errors)s rejected."
                    )
                    % {
                        "total": result.total,
                        "created": result.created,
                        "updated": result.updated,
                        "unchanged": result.unchanged,
                        "errors": len({e.line for e in result.errors}),
                    }
                    + (" " + gettext("Dry run: nothing was saved.") if result.dry_run else ""),
                    level,
                )
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Import entrepreneurs"),
            "opts": self.opts,
            "form": form,
            "result": result,
            "errors": result.errors[:200] if result else [],
            "columns": imports.COLUMNS,
            "required": imports.REQUIRED,
        }
        return TemplateResponse(request, "admin/registrations/entrepreneur/import.html", context)

    def import_report_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        rows = request.session.get(IMPORT_REPORT_SESSION_KEY)
        if rows is None:
            self.message_user(request, gettext("There is no import report to download."), messages.WARNING)
            return redirect(reverse("admin:registrations_entrepreneur_import"))
        result = imports.ImportResult(errors=[imports.RowError(*row) for row in rows])
        response = HttpResponse(result.error_report_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="import-errors.csv"'
        return response

    def duplicates_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        groups = selectors.duplicate_candidates(request.user)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Duplicate candidates"),
            "opts": self.opts,
            "groups": groups,
            "personal": selectors.can_see_personal_data(request.user),
        }
        return TemplateResponse(request, "admin/registrations/entrepreneur/duplicates.html", context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_export": self.has_export_permission(request),
            "can_import": self.has_import_permission(request),
        }
        return super().changelist_view(request, extra_context)


@admin.register(Business)
class BusinessAdmin(ScopedHistoryAdmin):
    """Read-only list (with history); businesses are edited on the entrepreneur's page."""

    scope = staticmethod(selectors.businesses_visible_to)
    list_display = ["name", "entrepreneur", "sector", "workers", "turnover_band"]
    list_select_related = ["entrepreneur"]
    list_filter = ["sector", "turnover_band"]
    search_fields = ["name"]
    raw_id_fields = ["entrepreneur"]
    ordering = ["-id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- enrolments ------------------------------------------------------------------------------


@admin.register(Enrollment)
class EnrollmentAdmin(ScopedHistoryAdmin):
    scope = staticmethod(selectors.enrollments_visible_to)
    list_display = ["entrepreneur", "facility", "center", "state", "requested_at", "completed_at"]
    list_select_related = ["entrepreneur", "facility", "center"]
    list_filter = ["state", "facility", CenterFilter]
    search_fields = ["entrepreneur__full_name"]
    search_help_text = _("NIK of the entrepreneur (exact) or part of their name.")
    sortable_by = ["requested_at"]
    raw_id_fields = ["entrepreneur"]
    list_per_page = 50
    actions = ["start", "complete", "cancel"]
    readonly_fields = [
        "entrepreneur",
        "facility",
        "center",
        "state",
        "requested_at",
        "started_at",
        "completed_at",
        "cancelled_at",
        "handled_by",
        "note",
        "permit_type",
        "permit_number",
        "curation_grade",
        "financing_amount",
        "financing_provider",
    ]

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        if NIK_SEARCH_RE.match(term):
            return queryset.filter(entrepreneur__nik=term), False
        return queryset.filter(entrepreneur__full_name__icontains=term), False

    def get_object(self, request, object_id, from_field=None):
        queryset = self.get_queryset(request).select_related("entrepreneur", "facility", "center", "handled_by")
        try:
            return queryset.get(pk=object_id)
        except (Enrollment.DoesNotExist, ValidationError, ValueError):
            return None

    def has_add_permission(self, request):
        # Enrolments are requested through the service (the entrepreneurs' "Enrol" action).
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Start selected enrolments"), permissions=["change"])
    def start(self, request, queryset):
        if too_many_rows(self, request, queryset):
            return None
        run_per_row(
            self,
            request,
            queryset.select_related("entrepreneur"),
            lambda e: services.enrollment_start(enrollment=e, actor=request.user),
            done_message=gettext("%(n)s enrolment(s) started."),
        )
        return None

    @admin.action(description=_("Complete selected enrolments (with outcome)…"), permissions=["change"])
    def complete(self, request, queryset):
        if too_many_rows(self, request, queryset):
            return None
        form = CompleteEnrollmentForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():

            def complete_one(enrollment):
                outcome = form.outcome_for(enrollment.facility_id)
                services.enrollment_complete(
                    enrollment=enrollment, actor=request.user, reason=form.cleaned_data["reason"], **outcome
                )

            run_per_row(
                self,
                request,
                queryset.select_related("entrepreneur"),
                complete_one,
                done_message=gettext("%(n)s enrolment(s) completed."),
            )
            return None
        return action_form_page(
            self,
            request,
            queryset,
            form=form,
            action="complete",
            title=gettext("Complete enrolments"),
            intro=gettext("P4 needs the permit type and number, P5 the curation grade, P7 the amount and provider."),
        )

    @admin.action(description=_("Cancel selected enrolments (with a reason)…"), permissions=["change"])
    def cancel(self, request, queryset):
        if too_many_rows(self, request, queryset):
            return None
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            reason = form.cleaned_data["reason"]
            run_per_row(
                self,
                request,
                queryset.select_related("entrepreneur"),
                lambda e: services.enrollment_cancel(enrollment=e, actor=request.user, reason=reason),
                done_message=gettext("%(n)s enrolment(s) cancelled."),
            )
            return None
        return action_form_page(self, request, queryset, form=form, action="cancel", title=gettext("Cancel enrolments"))


# --- activities and attendance -----------------------------------------------------------------


class ParticipantInline(ReadOnlyInline):
    model = Attendance
    fields = ["entrepreneur", "status", "signed_up_at", "marked_by", "marked_at"]
    readonly_fields = fields
    verbose_name_plural = _("participants")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("entrepreneur", "activity", "marked_by")


@admin.register(Activity)
class ActivityAdmin(ScopedAdmin):
    scope = staticmethod(selectors.activities_visible_to)
    list_display = ["title", "facility", "center", "kind", "starts_at", "capacity", "taken", "published"]
    list_select_related = ["facility", "center"]
    list_filter = ["facility", "kind", "published", CenterFilter]
    search_fields = ["title"]
    ordering = ["-starts_at", "-id"]
    inlines = [ParticipantInline]
    actions = ["complete_facility_for_attendees"]
    fields = [
        "facility",
        "center",
        "kind",
        "title",
        "description",
        "location",
        "starts_at",
        "ends_at",
        "registration_deadline",
        "capacity",
        "published",
        "participants_link",
    ]
    readonly_fields = ["participants_link"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(taken_places=Count("attendances", filter=~Q(attendances__status=Attendance.Status.CANCELLED)))
        )

    @admin.display(description=_("taken"))
    def taken(self, obj):
        return obj.taken_places

    @admin.display(description=_("attendance"))
    def participants_link(self, obj):
        if not obj or not obj.pk:
            return "–"
        url = reverse("admin:registrations_attendance_changelist") + f"?activity={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, gettext("Mark attendance and add participants"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "center":
            kwargs["queryset"] = selectors.centers_visible_to(request.user)
            kwargs["required"] = not selectors.sees_everything(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.action(description=_("Complete the facility for participants who attended"), permissions=["change"])
    def complete_facility_for_attendees(self, request, queryset):
        for activity in queryset.select_related("facility", "center"):
            done, errors = services.activity_complete_facility_for_attendees(activity=activity, actor=request.user)
            for error in errors:
                self.message_user(request, error, messages.ERROR)
            self.message_user(
                request,
                gettext("%(activity)s: %(code)s completed for %(n)s participant(s).")
                % {"activity": activity, "code": activity.facility_id, "n": done},
                messages.SUCCESS,
            )


@admin.register(Attendance)
class AttendanceAdmin(ScopedAdmin):
    scope = staticmethod(selectors.attendance_visible_to)
    list_display = ["entrepreneur", "activity", "status", "signed_up_at", "marked_by"]
    list_select_related = ["entrepreneur", "activity", "marked_by"]
    list_filter = [ActivityFilter, "status"]
    search_fields = ["entrepreneur__full_name"]
    ordering = ["-signed_up_at", "-id"]
    autocomplete_fields = ["entrepreneur"]
    actions = ["mark_attended", "mark_absent"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["activity", "entrepreneur"]
        return ["activity", "entrepreneur", "status", "signed_up_at", "marked_by", "marked_at"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "activity":
            kwargs["queryset"] = selectors.activities_visible_to(request.user).select_related("center")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            return
        attendance = services.attendance_signup(activity=obj.activity, entrepreneur=obj.entrepreneur)
        obj.pk = attendance.pk
        obj._state.adding = False

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def has_delete_permission(self, request, obj=None):
        return False

    def _mark(self, request, queryset, status, done_message):
        if too_many_rows(self, request, queryset):
            return
        run_per_row(
            self,
            request,
            queryset,
            lambda a: services.attendance_mark(attendance=a, status=status, actor=request.user),
            done_message=done_message,
        )

    @admin.action(description=_("Mark selected as attended"), permissions=["change"])
    def mark_attended(self, request, queryset):
        self._mark(request, queryset, Attendance.Status.ATTENDED, gettext("%(n)s participant(s) marked attended."))

    @admin.action(description=_("Mark selected as absent"), permissions=["change"])
    def mark_absent(self, request, queryset):
        self._mark(request, queryset, Attendance.Status.ABSENT, gettext("%(n)s participant(s) marked absent."))
