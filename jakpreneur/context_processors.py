"""Template context shared by every page of the public site."""

from django.http import HttpRequest

DASHBOARD_PERMISSION = "reports.view_dashboard"
# Session key of the remembered answer: [user id, may see the dashboard].
NAV_DASHBOARD = "jp_nav_dashboard"


def navigation(request: HttpRequest) -> dict:
    """`show_dashboard_link`: whether the menu offers the officials' dashboard.

    Asking the permission system costs two queries (the user's and their groups'
    permissions), on every page, for every signed-in person, almost all of whom are
    entrepreneurs without any. The answer is remembered in the session, keyed by user, the
    way the staff flag is (jakpreneur.middleware): a role changed mid-session shows or hides
    the link at the next sign-in. It is only the link: the dashboard checks the permission
    itself on every request.
    """

    def show_dashboard_link() -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        session = getattr(request, "session", None)
        if session is None:
            return user.has_perm(DASHBOARD_PERMISSION)
        remembered = session.get(NAV_DASHBOARD)
        if not (isinstance(remembered, list) and len(remembered) == 2 and remembered[0] == user.pk):
            remembered = [user.pk, user.has_perm(DASHBOARD_PERMISSION)]
            session[NAV_DASHBOARD] = remembered
        return bool(remembered[1])

    return {"show_dashboard_link": show_dashboard_link}
