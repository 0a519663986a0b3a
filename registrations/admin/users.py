"""Staff and entrepreneur accounts, and the roles (groups) superusers maintain."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from jakpreneur.admin import ScopedChoicesMixin
from registrations import selectors
from registrations.models import User


@admin.register(User)
class UserAdmin(ScopedChoicesMixin, BaseUserAdmin):
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
    # individual permissions, or touch a superuser's account (selectors.users_visible_to).
    def get_queryset(self, request):
        return selectors.users_visible_to(request.user, super().get_queryset(request))

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # As in ScopedAdmin: an account out of scope looks exactly like a missing one.
        raise Http404(_("Not found."))

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "user_permissions"]
        return fields

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        selectors.forget_scope(form.instance)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(ScopedChoicesMixin, BaseGroupAdmin):
    """Django's, with its permission choices scoped like every other choice."""
