from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "registrations"
    verbose_name = _("Entrepreneurs and enrolments")

    def ready(self) -> None:
        register_choice_scopes()
        from registrations import personal_data, selectors, work
        from registrations.services.privacy import personal_data_erase

        # Registrations' own part of a person's data: first in the export, erased last.
        personal_data.register(
            personal_data.Source(
                key="registrations",
                label=_("Registration, business, enrolments and attendance"),
                export=selectors.entrepreneur_personal_data,
                erase=personal_data_erase,
                order=0,
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
