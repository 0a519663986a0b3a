"""Bulk actions that call a service once per selected row, with or without a form.

Every such action in the back office is a `RowAction` declared on its ModelAdmin, and so are
those of the apps built on registrations. Examples: EntrepreneurAdmin.verify (no form),
EntrepreneurAdmin.reject and EnrollmentAdmin.cancel (a reason: ReasonForm),
EnrollmentAdmin.complete (an outcome form, read per row).

The rows are the admin's scoped queryset, so an action never reaches a row its user may not
see; the service checks its own rules and refuses a row with a ValidationError.
"""

from collections.abc import Callable, Sequence

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Per-row actions call a service for each row; past this many rows use an import instead.
MAX_ACTION_ROWS = 1000
# The intermediate page lists this many of the selected rows.
ROWS_SHOWN = 50


class ReasonForm(forms.Form):
    """The form of actions that need only a reason (reject, cancel)."""

    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class RowAction:
    """An admin action: `call(request, row, form)` for each selected row.

    - More than MAX_ACTION_ROWS rows selected: refused with a message, nothing changes.
    - With a `form_class`: the first click shows an intermediate page (`title`, `intro`, the
      rows and the form); its Confirm button posts `apply`, and only then is the form bound.
      An invalid form shows the page again with its errors; a valid one is passed to `call`.
      Without a form, `form` is None and the rows are processed at once.
    - A row whose call raises ValidationError is reported as "<row>: <message>" and the
      others go on; the rows done are counted in one success message, `done_message` with
      `%(n)s`.

    Declare it as a class attribute of a ModelAdmin and name it in `actions`; the attribute's
    name is the action's name. `permissions` are the admin's has_<name>_permission checks,
    as in `@admin.action`.
    """

    template_name = "admin/registrations/action_form.html"

    def __init__(
        self,
        *,
        description: str,
        call: Callable,
        done_message: str,
        form_class: type[forms.Form] | None = None,
        title: str = "",
        intro: str = "",
        permissions: Sequence[str] = ("change",),
        select_related: Sequence[str] = (),
        form_kwargs: Callable | None = None,
        precheck: Callable | None = None,
        allowed: Callable | None = None,
    ):
        # The attributes Django's admin reads from an action (see @admin.action).
        self.short_description = description
        self.allowed_permissions = tuple(permissions)
        self.call = call
        self.done_message = done_message
        self.form_class = form_class
        self.title = title
        self.intro = intro
        self.select_related = tuple(select_related)
        # form_kwargs(request, queryset) -> the form's keyword arguments (choices that depend
        # on the user or the rows); precheck(request, queryset) -> a refusal message or None,
        # before any page; allowed(request) -> whether the user is offered the action at all
        # (besides `permissions`).
        self.form_kwargs = form_kwargs
        self.precheck = precheck
        self.allowed = allowed
        self.name = ""

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __call__(self, model_admin, request, queryset):
        if queryset.count() > MAX_ACTION_ROWS:
            model_admin.message_user(
                request,
                gettext("Select at most %(n)s rows for this action.") % {"n": MAX_ACTION_ROWS},
                messages.ERROR,
            )
            return None
        if self.allowed is not None and not self.allowed(request):
            raise PermissionDenied
        if self.precheck is not None:
            refusal = self.precheck(request, queryset)
            if refusal:
                model_admin.message_user(request, refusal, messages.ERROR)
                return None
        form = None
        if self.form_class is not None:
            form = self.make_form(request, queryset)
            if not (form.is_bound and form.is_valid()):
                return self.form_page(model_admin, request, queryset, form)
        self.run(model_admin, request, queryset, form)
        return None

    def make_form(self, request, queryset) -> forms.Form:
        """The action's form, bound only when the intermediate page was confirmed."""
        kwargs = self.form_kwargs(request, queryset) if self.form_kwargs else {}
        return self.form_class(request.POST if "apply" in request.POST else None, **kwargs)

    def run(self, model_admin, request, queryset, form) -> None:
        rows = queryset.select_related(*self.select_related) if self.select_related else queryset
        done = 0
        for row in rows:
            try:
                self.call(request, row, form)
            except ValidationError as error:
                model_admin.message_user(request, f"{row}: {' '.join(error.messages)}", messages.ERROR)
            else:
                done += 1
        if done:
            model_admin.message_user(request, str(self.done_message) % {"n": done}, messages.SUCCESS)

    def form_page(self, model_admin, request, queryset, form) -> TemplateResponse:
        """The intermediate page: what the action will apply to, and its form."""
        opts = model_admin.model._meta
        context = {
            **model_admin.admin_site.each_context(request),
            "title": self.title,
            "intro": self.intro,
            "form": form,
            "action": self.name,
            "objects": queryset[:ROWS_SHOWN],
            "count": queryset.count(),
            "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "opts": opts,
            "app_label": opts.app_label,
            "media": model_admin.media + form.media,
        }
        return TemplateResponse(request, self.template_name, context)


class BulkAction(RowAction):
    """An action whose service takes all the selected rows at once, all or none:
    `call(request, rows, form)` returns the success message; a ValidationError is shown as
    one error message and nothing has changed."""

    def run(self, model_admin, request, queryset, form) -> None:
        rows = list(queryset.select_related(*self.select_related) if self.select_related else queryset)
        try:
            message = self.call(request, rows, form)
        except ValidationError as error:
            model_admin.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            model_admin.message_user(request, message, messages.SUCCESS)


# --- actions added by the apps above registrations ---------------------------------------------
# registrations may not import them (jakpreneur/tests/test_dependencies.py), so an app that
# adds an action to one of registrations' admins (growth's "assign to a mentor" on the
# entrepreneur list) registers it from its AppConfig.ready(); admins with
# RegisteredActionsMixin offer it like their own, to the users it allows.

_REGISTERED: dict[type, dict[str, RowAction]] = {}


def register_action(model: type, name: str, action: RowAction) -> None:
    """Offer `action` (a RowAction or BulkAction) as `name` on the admin list of `model`."""
    action.name = name
    _REGISTERED.setdefault(model, {})[name] = action


def registered_actions(model: type) -> dict[str, RowAction]:
    return dict(_REGISTERED.get(model, {}))


class RegisteredActionsMixin:
    """Adds the actions other apps registered for this admin's model to get_actions (the
    action menu, and the lookup of the action a POST names): each needs its `permissions`
    (has_<name>_permission of this admin) and its own `allowed(request)`."""

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.actions is None or IS_POPUP_VAR in request.GET:
            return actions
        for name, action in registered_actions(self.model).items():
            permitted = all(getattr(self, f"has_{p}_permission")(request) for p in action.allowed_permissions)
            if permitted and (action.allowed is None or action.allowed(request)):
                actions[name] = (action, name, str(action.short_description))
        return actions
