from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrowthConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "growth"
    verbose_name = _("Mentoring and monthly reports")

    def ready(self):
        from growth import personal_data as growth_personal_data
        from growth import selectors, work
        from growth.models import MentorAssignment, MentoringSession, MentorProfile, MonthlyReport, ReminderSent
        from jakpreneur import scoping
        from registrations import me_panels, personal_data
        from registrations.models import Entrepreneur, User

        # What a user may choose in a form (jakpreneur.scoping): a mentor also their caseload,
        # centre staff also the mentors of their kecamatan.
        scoping.register(Entrepreneur, selectors.growth_entrepreneurs_visible_to)
        scoping.register(User, selectors.mentors_visible_to)

        # What a user may choose in another app's form that points at these rows.
        for model, selector in {
            MonthlyReport: selectors.reports_visible_to,
            MentoringSession: selectors.sessions_visible_to,
            MentorAssignment: selectors.assignments_visible_to,
            MentorProfile: selectors.mentor_profiles_visible_to,
        }.items():
            scoping.register(model, selector)

        # A report carries its entrepreneur's kecamatan: it follows them when they move.
        from growth.services.reports import reports_follow_moves
        from registrations import moves

        moves.register("growth.reports", reports_follow_moves)

        work.register_panels()
        # "Assign to a mentor" on the entrepreneur list (registrations' extension point).
        from growth.admin import ASSIGN_TO_MENTOR
        from registrations.admin.actions import register_action

        register_action(Entrepreneur, "assign_mentor", ASSIGN_TO_MENTOR)
        # P6 is the monthly reports: its row on /me/ says how far the person is.
        me_panels.register_facility_note(
            me_panels.FacilityNote(facility="P6", template="growth/me_p6_note.html", context=selectors.me_p6_note)
        )
        me_panels.register(
            me_panels.Panel(
                key="growth.mentoring",
                template="growth/me_panel.html",
                context=selectors.me_panel_context,
                order=40,
                slot=me_panels.MAIN,
                annotations=selectors.me_panel_annotations,
            )
        )
        # The resident's copy of their data and its erasure (registrations/personal_data.py).
        personal_data.register(
            personal_data.Source(
                key="growth",
                label=_("Mentoring and monthly reports"),
                export=growth_personal_data.personal_data_export,
                erase=growth_personal_data.personal_data_erase,
                order=30,
                choices={
                    "mentoring_sessions.mode": MentoringSession.Mode,
                    "mentoring_sessions.topics": MentoringSession.Topic,
                    "monthly_reports.filed_by": MonthlyReport.FiledBy,
                    "monthly_reports.versions.filed_by": MonthlyReport.FiledBy,
                    "reminders.kind": ReminderSent.Kind,
                },
            )
        )
