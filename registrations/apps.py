from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# How the readable copy of a person's data names the kinds of change in their history.
CHANGE_KINDS = {"created": _("created"), "changed": _("changed"), "deleted": _("deleted")}
# Who made a change or a status step ("by"), as registrations.selectors.personal_data says it.
CHANGED_BY = {"self": _("you"), "staff": _("staff"), "system": _("the system (import or job)")}


class RegistrationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "registrations"
    verbose_name = _("Entrepreneurs and enrolments")

    def ready(self) -> None:
        register_choice_scopes()
        from registrations import personal_data, selectors, work
        from registrations.models import Attendance, Business, Enrollment, Entrepreneur
        from registrations.services.privacy import personal_data_erase

        # Registrations' own part of a person's data: first in the export, erased last.
        personal_data.register(
            personal_data.Source(
                key="registrations",
                label=_("Registration, business, enrolments and attendance"),
                export=selectors.entrepreneur_personal_data,
                erase=personal_data_erase,
                order=0,
                choices={
                    "person.gender": Entrepreneur.Gender,
                    "person.track": Entrepreneur.Track,
                    "person.status": Entrepreneur.Status,
                    "person.source": Entrepreneur.Source,
                    "business.sector": Business.Sector,
                    "business.turnover_band": Business.TurnoverBand,
                    "business.asset_band": Business.AssetBand,
                    "enrollments.state": Enrollment.State,
                    "enrollments.permit_type": Enrollment.PermitType,
                    "attendance.status": Attendance.Status,
                    # The fields each change set, in the person's and the business's history.
                    "change_history.person.fields.gender": Entrepreneur.Gender,
                    "change_history.person.fields.track": Entrepreneur.Track,
                    "change_history.person.fields.status": Entrepreneur.Status,
                    "change_history.person.fields.source": Entrepreneur.Source,
                    "change_history.business.fields.sector": Business.Sector,
                    "change_history.business.fields.turnover_band": Business.TurnoverBand,
                    "change_history.business.fields.asset_band": Business.AssetBand,
                    "change_history.person.by": CHANGED_BY,
                    "change_history.business.by": CHANGED_BY,
                    "status_history.by": CHANGED_BY,
                    "change_history.person.kind": CHANGE_KINDS,
                    "change_history.business.kind": CHANGE_KINDS,
                    # A person's status or an enrolment's state (their values differ).
                    "status_history.from": {**dict(Entrepreneur.Status.choices), **dict(Enrollment.State.choices)},
                    "status_history.to": {**dict(Entrepreneur.Status.choices), **dict(Enrollment.State.choices)},
                },
            )
        )
        # The staff member's work on the admin index (jakpreneur.work_panels).
        work.register_panels()


def register_choice_scopes() -> None:
    """What each user may choose in a form (jakpreneur.scoping): the people's tables, the
    accounts and roles, and the catalogue's rows scoped by kecamatan (their scoping lives in
    registrations.selectors, as for the lists); the facilities and the kota are public."""
    from django.contrib.auth.models import Group, Permission

    from facilities.models import Activity, Center, Facility, Kecamatan, Kelurahan, Kota
    from jakpreneur import scoping
    from registrations import selectors
    from registrations.models import Attendance, Business, Enrollment, Entrepreneur, ImportJob, StatusChange, User

    for model, selector in {
        Entrepreneur: selectors.entrepreneurs_visible_to,
        Business: selectors.businesses_visible_to,
        Enrollment: selectors.enrollments_visible_to,
        StatusChange: selectors.status_changes_visible_to,
        Attendance: selectors.attendance_visible_to,
        ImportJob: selectors.import_jobs_visible_to,
        Activity: selectors.activities_visible_to,
        Center: selectors.centers_visible_to,
        Kecamatan: selectors.kecamatan_visible_to,
        Kelurahan: selectors.kelurahan_visible_to,
        User: selectors.users_visible_to,
        Group: selectors.groups_visible_to,
        Permission: selectors.permissions_visible_to,
        Kota: scoping.PUBLIC,
        Facility: scoping.PUBLIC,
    }.items():
        scoping.register(model, selector)
