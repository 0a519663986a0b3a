from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from jakpreneur import views

admin.site.site_header = _("JakPreneur back office")
admin.site.site_title = _("JakPreneur back office")
admin.site.index_title = _("Registrations, enrolments, classes and progress")

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("registrations.auth_urls")),
    path("", include("registrations.urls")),
    path("", include("privacy.urls")),
    path("", include("growth.urls")),
    path("", include("facilities.urls")),
    path("", include("reports.urls")),
]
