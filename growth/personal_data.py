"""Growth's part of what the portal holds about one person (registrations/personal_data.py):
their mentors, mentoring sessions, monthly business reports (with corrections) and the
reminders sent to them, for the resident's copy (`/me/data/`) and for erasure."""

from growth.models import MentorAssignment, MentoringSession, MonthlyReport, ReminderSent
from growth.selectors import mentor_name
from registrations.personal_data import json_value


def personal_data_export(entrepreneur) -> dict:
    """As JSON values, in five queries whatever the person holds. Sessions include the
    mentor's internal notes: they are personal data about the resident, who has the right to
    a copy (UU 27/2022 Pasal 7), even though /me/ does not show them day to day."""
    assignments = MentorAssignment.objects.filter(entrepreneur=entrepreneur).select_related("mentor__mentor_profile")
    sessions = MentoringSession.objects.filter(entrepreneur=entrepreneur).select_related("mentor__mentor_profile")
    reports = MonthlyReport.objects.filter(entrepreneur=entrepreneur)
    versions: dict[int, list[dict]] = {}
    for h in MonthlyReport.history.filter(entrepreneur_id=entrepreneur.pk).order_by("history_date", "history_id"):
        versions.setdefault(h.id, []).append(
            {
                "at": json_value(h.history_date),
                "turnover": h.turnover,
                "assets": h.assets,
                "workers": h.workers,
                "filed_by": h.filed_by,
            }
        )
    reminders = ReminderSent.objects.filter(entrepreneur=entrepreneur)
    return {
        "mentors": [
            {
                "mentor": mentor_name(a.mentor),
                "assigned_at": json_value(a.assigned_at),
                "ended_at": json_value(a.ended_at),
            }
            for a in assignments.order_by("assigned_at", "id")
        ],
        "mentoring_sessions": [
            {
                "date": json_value(s.date),
                "mentor": mentor_name(s.mentor),
                "mode": s.mode,
                "topics": list(s.topics),
                "notes": s.notes,
                "next_step": s.next_step,
                "next_step_due": json_value(s.next_step_due),
            }
            for s in sessions.order_by("date", "id")
        ],
        "monthly_reports": [
            {
                "period": r.period.strftime("%Y-%m"),
                "turnover": r.turnover,
                "assets": r.assets,
                "workers": r.workers,
                "filed_by": r.filed_by,
                "filed_at": json_value(r.created_at),
                "versions": versions.get(r.pk, []),
            }
            for r in reports.order_by("period")
        ],
        "reminders": [
            {"kind": r.kind, "period": r.period.strftime("%Y-%m"), "sent_at": json_value(r.queued_at)}
            for r in reminders.order_by("queued_at", "id")
        ],
    }


def personal_data_erase(entrepreneur, *, actor) -> None:
    """Erase the free text written about the person (session notes and next steps). The
    reports' amounts, the sessions' dates, modes and topics, the assignments and the reminder
    records stay: the outcome figures and the mentors' caseload counts are made of them, and
    without the person's identity (erased by registrations) they identify nobody."""
    MentoringSession.objects.filter(entrepreneur=entrepreneur).update(notes="", next_step="")
