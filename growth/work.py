"""The mentoring work on the admin index (jakpreneur.work_panels): agreed next steps whose date
has passed, counted in the member's own scope (a mentor: their caseload; centre staff: their
kecamatan; the Dinas: everyone) and linked to the sessions list filtered to exactly those."""

import datetime as dt

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from growth import selectors
from growth.models import MentoringSession
from jakpreneur.work_panels import WorkItem, WorkPanel, item, register

# The sessions list's filter parameter and value for "next step overdue".
OVERDUE_PARAMETER, OVERDUE = "next_step", "overdue"


def overdue_next_steps(sessions: QuerySet, *, today: dt.date | None = None) -> QuerySet:
    """Sessions whose agreed next step was due before today and that no later session of the
    same person has followed up: the caseload page's "next step overdue" flag, as rows."""
    today = today or timezone.localdate()
    later = MentoringSession.objects.filter(entrepreneur_id=OuterRef("entrepreneur_id"), date__gt=OuterRef("date"))
    return sessions.filter(next_step_due__lt=today).exclude(Exists(later))


def next_step_items(request) -> list[WorkItem]:
    sessions = selectors.sessions_visible_to(request.user)
    url = reverse("admin:growth_mentoringsession_changelist") + f"?{OVERDUE_PARAMETER}={OVERDUE}"
    return [item(_("Next steps overdue"), overdue_next_steps(sessions), url)]


def register_panels() -> None:
    register(
        WorkPanel(
            key="growth.next_steps",
            title=gettext_lazy("Mentoring"),
            items=next_step_items,
            order=30,
            permission="growth.view_mentoringsession",
        )
    )
