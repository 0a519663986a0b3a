"""The back office's admin site: Django's, with the per-address rate limit of the site login.

The admin login is a second door to the same accounts (and to staff accounts first of all),
so it counts against the same budget as /accounts/login/ (RATELIMIT_LOGIN, group "login"):
guessing passwords on both forms from one address does not double the attempts. The
lockout per account and address (django-axes) applies to both as well.
"""

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator

from jakpreneur import work_panels
from registrations.ratelimits import rate_limited


class AdminSite(admin.AdminSite):
    @method_decorator(rate_limited(group="login", setting="RATELIMIT_LOGIN"))
    def login(self, request, extra_context=None):
        # Django sends a signed-in staff member on to the index for GET only; HEAD answers
        # the same as GET everywhere on the site.
        if request.method == "HEAD" and self.has_permission(request):
            return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
        return super().login(request, extra_context)

    def index(self, request, extra_context=None):
        # The staff member's work first (jakpreneur.work_panels), then the apps.
        return super().index(request, {"work_panels": work_panels.panels_for(request), **(extra_context or {})})
