from django.conf import settings
from django.conf.urls.static import static
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
    path("", include("marketing.urls")),
    path("", include("reports.urls")),
]

# `make run` (DEBUG, files in MEDIA_ROOT) serves uploaded product photos itself; in production
# the web server in front or the S3 bucket serves them (README, "Product photos").
if settings.DEBUG and settings.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage":
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
