"""Caseloads in the back office: mentor assignments (with the "end" RowAction), a mentor's
caseload page and the mentors' summaries, and the mentors' profiles."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from growth import caseloads, outcomes, selectors, services
from growth.admin.base import (
    EntrepreneurSearchMixin,
    ServiceSaveMixin,
    growth_choice,
)
from growth.forms import AssignmentForm, AssignMentorForm, MentorProfileForm
from growth.models import MentorAssignment, MentorProfile
from registrations.admin.actions import BulkAction, RowAction
from registrations.admin.base import ScopedAdmin
from registrations.models import User


def end_assignment(request, assignment, form):
    services.mentor_unassign(assignment=assignment, actor=request.user)


@admin.register(MentorAssignment)
class MentorAssignmentAdmin(ServiceSaveMixin, EntrepreneurSearchMixin, ScopedAdmin):
    scope = staticmethod(selectors.assignments_visible_to)
    form = AssignmentForm
    list_display = ["entrepreneur", "mentor", "assigned_at", "ended_at", "assigned_by"]
    list_select_related = ["entrepreneur", "mentor", "assigned_by"]
    autocomplete_fields = ["entrepreneur"]
    sortable_by = ["assigned_at"]
    ordering = ["-assigned_at", "-id"]
    list_per_page = 50
    actions = ["end"]

    end = RowAction(
        description=_("End the selected assignments"),
        call=end_assignment,
        done_message=_("%(n)s assignments ended."),
        select_related=["entrepreneur"],
    )

    def get_readonly_fields(self, request, obj=None):
        if obj:
            return ("entrepreneur", "mentor", "assigned_by", "assigned_at", "ended_at", "ended_by")
        return ()

    # --- caseload pages -------------------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path("caseload/", wrap(self.caseload_view), name="{}_{}_caseload".format(*info)),
            path("mentors/", wrap(self.mentors_view), name="{}_{}_mentors".format(*info)),
            *super().get_urls(),
        ]

    def has_caseload_permission(self, request) -> bool:
        return request.user.has_perm("growth.view_caseload")

    def caseload_view(self, request):
        """A mentor's own caseload; centre staff and the Dinas pass ?mentor=<id> (in scope)."""
        if not self.has_caseload_permission(request):
            raise PermissionDenied
        mentor_id = request.GET.get("mentor", "")
        if mentor_id:
            if not mentor_id.isdigit():
                raise Http404(gettext("Not found."))
            mentor = selectors.mentors_visible_to(request.user).filter(pk=int(mentor_id)).first()
        elif selectors.is_mentor(request.user):
            mentor = request.user
        else:
            return redirect("admin:growth_mentorassignment_mentors")
        if mentor is None:
            raise Http404(gettext("Not found."))
        caseload = caseloads.caseload_of(mentor)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Caseload of %(mentor)s") % {"mentor": selectors.mentor_name(mentor)},
            "caseload": caseload,
            "is_own": mentor.pk == request.user.pk,
            "definitions": outcomes.DEFINITIONS,
        }
        return TemplateResponse(request, "admin/growth/caseload.html", context)

    def mentors_view(self, request):
        """The mentors in the user's scope: target, caseload and their caseload's outcomes."""
        if not self.has_caseload_permission(request):
            raise PermissionDenied
        if selectors.is_mentor(request.user):
            return redirect("admin:growth_mentorassignment_caseload")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Mentors and their caseloads"),
            "summaries": caseloads.mentor_summaries(request.user),
            "definitions": outcomes.DEFINITIONS,
        }
        return TemplateResponse(request, "admin/growth/mentors.html", context)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "mentor":
            return growth_choice(self, db_field, request, selectors.mentors_visible_to, "email", kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        try:
            row = services.mentor_assign(
                entrepreneur=form.cleaned_data["entrepreneur"], mentor=form.cleaned_data["mentor"], actor=request.user
            )
            self.saved(obj, row)
        except ValidationError as error:
            self.refused(request, obj, error)

    def save_related(self, request, form, formsets, change):
        pass


@admin.register(MentorProfile)
class MentorProfileAdmin(ServiceSaveMixin, ScopedAdmin):
    scope = staticmethod(selectors.mentor_profiles_visible_to)
    form = MentorProfileForm
    list_display = ["user", "display_name", "phone", "recruitment_target"]
    list_select_related = ["user"]
    fields = ["user", "display_name", "phone", "recruitment_target"]
    ordering = ["user__email"]

    def get_readonly_fields(self, request, obj=None):
        return ("user",) if obj else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            return growth_choice(self, db_field, request, selectors.mentors_visible_to, "email", kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            services.mentor_profile_save(profile=obj, actor=request.user)
        except ValidationError as error:
            self.refused(request, obj, error)


# --- "assign to a mentor" on registrations' entrepreneur list ------------------------------
# Registered from GrowthConfig.ready() (registrations.admin.actions.register_action):
# registrations may not import growth.


def _selected_kecamatan(queryset) -> list[str]:
    return list(queryset.order_by().values_list("kecamatan_id", flat=True).distinct()[:2])


def _assignable_mentors(request, kecamatan_id: str):
    """The mentors of that kecamatan the user may see, with their current caseload size."""
    return (
        User.objects.filter(pk__in=selectors.mentors_visible_to(request.user).values("pk"))
        .filter(pk__in=selectors.mentors_of_kecamatan(kecamatan_id).values("pk"))
        .select_related("mentor_profile")
        .annotate(active=Count("mentor_assignments", filter=Q(mentor_assignments__ended_at__isnull=True)))
        .order_by("email")
    )


def assign_mentor_precheck(request, queryset) -> str | None:
    kecamatan = _selected_kecamatan(queryset)
    if len(kecamatan) > 1:
        return gettext("Select entrepreneurs of one kecamatan: a mentor works for one kecamatan.")
    if kecamatan and not _assignable_mentors(request, kecamatan[0]).exists():
        return gettext("No mentor works for this kecamatan yet: nothing was changed.")
    return None


def assign_mentor_form_kwargs(request, queryset) -> dict:
    kecamatan = _selected_kecamatan(queryset)
    return {"mentors": _assignable_mentors(request, kecamatan[0]) if kecamatan else User.objects.none()}


def assign_mentor(request, rows, form) -> str:
    mentor = form.cleaned_data["mentor"]
    done = services.mentor_assign_many(entrepreneurs=rows, mentor=mentor, actor=request.user)
    return gettext(
        "%(assigned)s entrepreneurs put in the caseload of %(mentor)s; %(unchanged)s were already in it."
    ) % {"assigned": done.assigned, "unchanged": done.unchanged, "mentor": selectors.mentor_name(mentor)}


def may_assign(request) -> bool:
    return request.user.has_perm("growth.add_mentorassignment") and services.may_assign_mentors(request.user)


ASSIGN_TO_MENTOR = BulkAction(
    description=_("Assign selected entrepreneurs to a mentor…"),
    call=assign_mentor,
    done_message="",
    form_class=AssignMentorForm,
    form_kwargs=assign_mentor_form_kwargs,
    precheck=assign_mentor_precheck,
    allowed=may_assign,
    permissions=("view",),
    title=_("Assign to a mentor"),
    intro=_(
        "The selected people join the chosen mentor's caseload. Anyone who had another mentor leaves that "
        "mentor's caseload; the earlier assignment is kept as history."
    ),
)
