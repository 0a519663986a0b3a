"""The scope check every growth service makes first: staff act only on the entrepreneurs their
growth scope shows them (growth.selectors)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from growth import selectors
from registrations.models import Entrepreneur, User


def out_of_scope() -> ValidationError:
    return ValidationError(_("This entrepreneur is not in your scope."), code="out_of_scope")


def ensure_in_scope(*, entrepreneur: Entrepreneur, actor: User) -> None:
    """Staff may act only on the entrepreneurs their growth scope shows them."""
    if not selectors.growth_entrepreneurs_visible_to(actor).filter(pk=entrepreneur.pk).exists():
        raise out_of_scope()
