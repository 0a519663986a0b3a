"""The staff member's work on the admin index (jakpreneur.work_panels), for registrations:
registrations waiting for verification, and today's and this week's activities, each counted
in the member's own scope and linked to the admin list filtered to those rows."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jakpreneur.work_panels import WorkItem, WorkPanel, item, register
from registrations import selectors
from registrations.models import Entrepreneur


def verification_items(request) -> list[WorkItem]:
    waiting = selectors.entrepreneurs_visible_to(request.user).filter(status=Entrepreneur.Status.SUBMITTED)
    url = reverse("admin:registrations_entrepreneur_changelist") + f"?status__exact={Entrepreneur.Status.SUBMITTED}"
    return [item(_("Registrations waiting for verification"), waiting, url)]


def activity_items(request) -> list[WorkItem]:
    activities = selectors.activities_visible_to(request.user)
    url = reverse("admin:facilities_activity_changelist")
    return [
        item(_("Activities today"), selectors.activities_in_period(activities, "today"), f"{url}?when=today"),
        item(_("Activities this week"), selectors.activities_in_period(activities, "week"), f"{url}?when=week"),
    ]


def register_panels() -> None:
    register(
        WorkPanel(
            key="registrations.verification",
            title=gettext_lazy("Verification"),
            items=verification_items,
            order=10,
            permission="registrations.change_entrepreneur",
        )
    )
    register(
        WorkPanel(
            key="registrations.activities",
            title=gettext_lazy("Activities"),
            items=activity_items,
            order=20,
            permission="facilities.view_activity",
        )
    )
