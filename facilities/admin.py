"""Reference data in the admin: regions are read-only (they come from the Kemendagri list in
migrations); centres and facilities are maintained by the Dinas. Activities are registered
in registrations/admin/activities.py because their participant list needs registrations.
Every choice in these forms is scoped (ScopedChoicesMixin, jakpreneur.scoping)."""

from django.contrib import admin

from facilities.models import Center, Facility, Kecamatan, Kelurahan, Kota
from jakpreneur.admin import ReadOnlyMixin, ScopedChoicesMixin


class ReadOnlyAdmin(ReadOnlyMixin, ScopedChoicesMixin, admin.ModelAdmin):
    """Regions: the Kemendagri list, loaded by migrations."""


@admin.register(Kota)
class KotaAdmin(ReadOnlyAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Kecamatan)
class KecamatanAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kota"]
    list_select_related = ["kota"]
    list_filter = ["kota"]
    search_fields = ["code", "name"]


@admin.register(Kelurahan)
class KelurahanAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kecamatan"]
    list_select_related = ["kecamatan"]
    list_filter = ["kecamatan__kota"]
    search_fields = ["code", "name"]


@admin.register(Center)
class CenterAdmin(ScopedChoicesMixin, admin.ModelAdmin):
    list_display = ["name", "kecamatan", "phone", "email", "active"]
    list_select_related = ["kecamatan"]
    list_filter = ["active", "kecamatan__kota"]
    search_fields = ["name", "kecamatan__name"]
    readonly_fields = ["kecamatan"]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Facility)
class FacilityAdmin(ScopedChoicesMixin, admin.ModelAdmin):
    list_display = ["code", "name_id", "name_en", "active"]
    readonly_fields = ["code", "order"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
