"""What the growth admins share: amounts in rupiah, the entrepreneur search (NIK or name), the
choices narrowed by the growth selectors, and saving through a service that may refuse."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from growth import selectors
from registrations.admin.filters import NIK_SEARCH_RE


def rupiah(value) -> str:
    return f"Rp {number_format(value, force_grouping=True)}" if value is not None else "–"


class EntrepreneurSearchMixin:
    search_fields = ["entrepreneur__full_name"]
    search_help_text = _("NIK of the entrepreneur (exact) or part of their name.")

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        if NIK_SEARCH_RE.match(term):
            return queryset.filter(entrepreneur__nik=term), False
        return queryset.filter(entrepreneur__full_name__icontains=term), False


def growth_choice(model_admin, db_field, request, selector, order: str, kwargs):
    """A choice narrowed by a growth selector. The generic choice scope of the related model
    (jakpreneur.scoping: registrations' entrepreneurs and accounts) is the wrong one here: a
    mentor sees no one through it, and centre staff see no mentor accounts. The growth
    selectors are deny-by-default too, and the services check the scope again."""
    kwargs["queryset"] = selector(request.user).order_by(order)
    return admin.ModelAdmin.formfield_for_foreignkey(model_admin, db_field, request, **kwargs)


class CaseloadEntrepreneurMixin:
    """The entrepreneur to pick: a mentor chooses from their caseload (a short list); centre
    staff and the Dinas search (autocomplete, scoped by the registrations selectors)."""

    def get_autocomplete_fields(self, request):
        return () if selectors.is_mentor(request.user) else ("entrepreneur",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "entrepreneur":
            # The growth scope (a mentor's caseload), not registrations': see growth_choice.
            return growth_choice(
                self, db_field, request, selectors.growth_entrepreneurs_visible_to, "full_name", kwargs
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ServiceSaveMixin:
    """The form validated; the service may still refuse (a concurrent change): then the page
    says why and goes back to the list instead of claiming success."""

    def refused(self, request, obj, error: ValidationError) -> None:
        obj._service_refused = " ".join(error.messages)

    @staticmethod
    def saved(obj, row) -> None:
        """The admin goes on with the object it built: make it the row the service wrote."""
        obj.__dict__.update(row.__dict__)

    def log_addition(self, request, obj, message):
        if not hasattr(obj, "_service_refused"):
            return super().log_addition(request, obj, message)
        return None

    def log_change(self, request, obj, message):
        if not hasattr(obj, "_service_refused"):
            return super().log_change(request, obj, message)
        return None

    def response_add(self, request, obj, post_url_continue=None):
        return self._refused_response(request, obj) or super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        return self._refused_response(request, obj) or super().response_change(request, obj)

    def _refused_response(self, request, obj):
        message = getattr(obj, "_service_refused", None)
        if message is None:
            return None
        self.message_user(request, message, messages.ERROR)
        return self.response_post_save_change(request, obj)
