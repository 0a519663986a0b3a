"""Entrepreneurs: the scoped list with its NIK / phone / email / name search, the walk-in
registration and staff corrections (through the services), and the verify, reject and enrol
actions. The export, import and duplicates pages are in entrepreneur_pages.py."""

import re

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from facilities import cache as reference_cache
from registrations import selectors, services
from registrations.admin.actions import ReasonForm, RegisteredActionsMixin, RowAction
from registrations.admin.base import ScopedHistoryAdmin
from registrations.admin.entrepreneur_pages import EntrepreneurPagesMixin
from registrations.admin.filters import (
    NIK_SEARCH_RE,
    CompletedFacilityFilter,
    KecamatanFilter,
    KotaFilter,
    SectorFilter,
    TrackFilter,
)
from registrations.admin.forms import EnrolForm, EntrepreneurChangeForm, WalkInForm
from registrations.admin.inlines import (
    AttendanceInlineForEntrepreneur,
    BusinessInline,
    EnrollmentInline,
    StatusChangeInline,
)
from registrations.admin.reveal import RevealMixin, is_revealed
from registrations.admin.search import NAME_SEARCH_MIN_LENGTH, CappedSearchChangeList, matching_ids
from registrations.models import Business, Entrepreneur
from registrations.validators import normalize_phone


def _is_identifier_search(term: str) -> bool:
    """NIK, phone and email searches: everything that is not a name."""
    compact = re.sub(r"[\s.\-]", "", term)
    return "@" in term or compact.lstrip("+").isdigit()


@admin.register(Entrepreneur)
class EntrepreneurAdmin(RegisteredActionsMixin, RevealMixin, EntrepreneurPagesMixin, ScopedHistoryAdmin):
    scope = staticmethod(selectors.entrepreneurs_visible_to)
    # NIK and phone are masked on every list; one person's are revealed with a reason.
    list_display = ["full_name", "nik_masked", "kecamatan", "track_short", "status", "sector", "registered_at"]
    list_select_related = ["kecamatan", "business"]
    list_filter = [
        KotaFilter,
        KecamatanFilter,
        "status",
        TrackFilter,
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
        "phone_masked",
        "reveal_link",
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

    # -- list

    # Masked variants, shown unless this session revealed the person with a reason
    # (registrations/admin/reveal.py); the choice is made per request in get_fieldsets (the
    # admin instance is shared).
    @admin.display(description=_("NIK"))
    def nik_masked(self, obj):
        return obj.masked_nik

    @admin.display(description=_("mobile phone"))
    def phone_masked(self, obj):
        return obj.masked_phone

    @admin.display(description=_("birth year"))
    def birth_year(self, obj):
        return obj.birth_date.year

    @admin.display(description=_("track"), ordering="track")
    def track_short(self, obj):
        return Entrepreneur.TRACK_SHORT_LABELS.get(obj.track, obj.track)

    @admin.display(description=_("sector"))
    def sector(self, obj):
        business = getattr(obj, "business", None)
        return business.get_sector_display() if business else "–"

    def get_changelist(self, request, **kwargs):
        return CappedSearchChangeList

    def search_match_ids(self, request, queryset, term: str, limit: int, *, unsearched=None) -> list[int]:
        """The ids of at most `limit` matches of a searched list (registrations/admin/search.py).

        A name is first looked for at the start of a word, in the kecamatan the user sees
        (B-tree ranges that stop at the limit: the same cost at 10k and 1M rows); when those
        alone reach the limit, the list has "more than the cap" and is done. Otherwise the
        bounded probes of `unsearched` (the list before its search) settle it or find every
        match; the substring search through the trigram index is the last resort, finding
        every match, inside words too ("estari" finds "Lestari")."""
        if self.search_too_short(term):
            return []
        if _is_identifier_search(term):
            return matching_ids(queryset, limit)
        codes = selectors.kecamatan_codes_for(request.user)
        every = {row.kecamatan_code for row in reference_cache.kelurahan_rows()}
        return matching_ids(
            queryset, limit, name=term, kecamatan=sorted(every if codes is None else codes), unsearched=unsearched
        )

    @staticmethod
    def search_too_short(term: str) -> bool:
        """A name search of fewer letters than a trigram: no index can answer it. The list
        refuses it (search_match_ids); the autocomplete widgets, which ask from the first
        letter, still search as before."""
        term = term.strip()
        return bool(term) and not _is_identifier_search(term) and len(term) < NAME_SEARCH_MIN_LENGTH

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
        # (migration 0002), after word-start ranges on PostgreSQL (search.matching_ids); on
        # SQLite it scans, which is fine at SQLite's sizes.
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
        if personal and is_revealed(request, obj.pk):
            person = ["nik", "full_name", "birth_date", "gender", "phone", "email"]
        elif personal:
            # The phone is corrected after a reveal, when its full value is on the page.
            person = ["nik_masked", "reveal_link", "full_name", "birth_date", "gender", "phone_masked", "email"]
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
            fields += ["birth_year"]
        if not self.has_change_permission(request, obj):
            fields += ["full_name", "birth_date", "gender", "phone", "email", "kelurahan", "address", "track"]
        return fields

    def get_urls(self):
        return [*self.reveal_urls(), *super().get_urls()]

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

    verify = RowAction(
        description=_("Verify selected registrations"),
        call=lambda request, entrepreneur, form: services.entrepreneur_verify(
            entrepreneur=entrepreneur, actor=request.user
        ),
        done_message=_("%(n)s registration(s) verified."),
    )
    reject = RowAction(
        description=_("Reject selected registrations (with a reason)…"),
        form_class=ReasonForm,
        call=lambda request, entrepreneur, form: services.entrepreneur_reject(
            entrepreneur=entrepreneur, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        done_message=_("%(n)s registration(s) rejected."),
        title=_("Reject registrations"),
        intro=_("The reason is recorded and shown to the entrepreneur."),
    )
    enrol = RowAction(
        description=_("Enrol selected entrepreneurs into a facility…"),
        form_class=EnrolForm,
        call=lambda request, entrepreneur, form: services.enrollment_request(
            entrepreneur=entrepreneur,
            facility=form.cleaned_data["facility"],
            actor=request.user,
            note=form.cleaned_data["note"],
        ),
        done_message=_("%(n)s enrolment(s) requested."),
        title=_("Enrol into a facility"),
    )
