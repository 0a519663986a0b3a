from django.contrib import admin
from django.urls import include, path

from jakpreneur import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("registrations.auth_urls")),
    path("", include("registrations.urls")),
    path("", include("facilities.urls")),
    path("", include("reports.urls")),
]
