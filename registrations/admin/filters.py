"""List filters and the NIK search of the back office.

Every filter checks its value (`CheckedValueFilter`): a value that does not fit is the admin's
"incorrect lookup" page, never a 500; the choices offered are the user's scope."""

import re

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from facilities.models import Facility, Kota
from registrations import selectors
from registrations.models import Business, Enrollment, Entrepreneur

# A search term that is a NIK is looked up exactly (an index hit), not as part of a name.
NIK_SEARCH_RE = re.compile(r"^[0-9]{16}$")


class CheckedValueFilter(admin.SimpleListFilter):
    """A list filter whose value must match `value_pattern`; anything else (letters for an
    id, a NUL byte PostgreSQL refuses) is the admin's "incorrect lookup" (?e=1), not a 500.
    A chosen value keeps the rows whose `field_path` equals it."""

    value_pattern = re.compile(r"^[\w.-]{1,40}$")
    field_path = ""

    def value(self):
        value = super().value()
        if value and not self.value_pattern.match(value):
            raise IncorrectLookupParameters(value)
        return value

    def queryset(self, request, queryset):
        return queryset.filter(**{self.field_path: self.value()}) if self.value() else queryset


class SelectFilter(CheckedValueFilter):
    """Shown as one drop-down (templates/admin/filter_select.html, static/js/admin.js) instead
    of a line per choice: the kecamatan filter would otherwise be 44 lines of the sidebar."""

    template = "admin/filter_select.html"


class KotaFilter(CheckedValueFilter):
    value_pattern = re.compile(r"^\d{2}\.\d{2}$")
    title = _("kota")
    parameter_name = "kota"
    field_path = "kecamatan__kota_id"

    def lookups(self, request, model_admin):
        return [(k.code, k.short_name) for k in Kota.objects.all()]


class KecamatanFilter(SelectFilter):
    value_pattern = re.compile(r"^\d{2}\.\d{2}\.\d{2}$")
    title = _("kecamatan")
    parameter_name = "kecamatan"
    field_path = "kecamatan_id"

    def lookups(self, request, model_admin):
        kecamatan = selectors.kecamatan_visible_to(request.user)
        if KotaFilter.value_pattern.match(request.GET.get("kota", "")):
            kecamatan = kecamatan.filter(kota_id=request.GET["kota"])
        return [(k.code, k.name) for k in kecamatan]


class TrackFilter(CheckedValueFilter):
    """The entry track by its short name (the long explanations wrapped the sidebar)."""

    value_pattern = re.compile(r"^[a-z_]{1,20}$")
    title = _("track")
    parameter_name = "track__exact"  # the URL Django's own filter used: old links keep working
    field_path = "track"

    def lookups(self, request, model_admin):
        return list(Entrepreneur.TRACK_SHORT_LABELS.items())


class SectorFilter(CheckedValueFilter):
    value_pattern = re.compile(r"^[a-z_-]{1,40}$")
    title = _("sector")
    parameter_name = "sector"
    field_path = "business__sector"

    def lookups(self, request, model_admin):
        return Business.Sector.choices


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


class CenterFilter(SelectFilter):
    value_pattern = re.compile(r"^\d{1,18}$")
    title = _("centre")
    parameter_name = "center"
    field_path = "center_id"

    def lookups(self, request, model_admin):
        return [(c.pk, c.name) for c in selectors.centers_visible_to(request.user)]


class ActivityFilter(SelectFilter):
    value_pattern = re.compile(r"^\d{1,18}$")
    title = _("activity")
    parameter_name = "activity"
    field_path = "activity_id"

    def lookups(self, request, model_admin):
        activities = selectors.activities_visible_to(request.user).order_by("-starts_at")[:30]
        return [(a.pk, f"{a.title} ({timezone.localtime(a.starts_at):%d-%m-%Y})") for a in activities]


class WhenFilter(CheckedValueFilter):
    """Activities today, this week (Monday to Sunday) or upcoming: the admin index links here."""

    value_pattern = re.compile(r"^(today|week|upcoming)$")
    title = _("when")
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("today", _("Today")), ("week", _("This week")), ("upcoming", _("Upcoming"))]

    def queryset(self, request, queryset):
        return selectors.activities_in_period(queryset, self.value()) if self.value() else queryset
