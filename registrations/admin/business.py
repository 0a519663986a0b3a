"""Businesses: a read-only list with history; they are edited on the entrepreneur's page."""

from django.contrib import admin

from jakpreneur.admin import ReadOnlyMixin
from registrations import selectors
from registrations.admin.base import ScopedHistoryAdmin
from registrations.models import Business


@admin.register(Business)
class BusinessAdmin(ReadOnlyMixin, ScopedHistoryAdmin):
    scope = staticmethod(selectors.businesses_visible_to)
    list_display = ["name", "entrepreneur", "sector", "workers", "turnover_band"]
    list_select_related = ["entrepreneur"]
    list_filter = ["sector", "turnover_band"]
    search_fields = ["name"]
    raw_id_fields = ["entrepreneur"]
    ordering = ["-id"]
