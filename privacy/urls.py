from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("privacy/", views.policy, name="policy"),
    path("me/data/", views.me_data, name="me_data"),
    path("me/data/download.json", views.me_data_download, name="me_data_download"),
    path("me/data/consent/withdraw/", views.me_consent_withdraw, name="me_consent_withdraw"),
    path("me/data/deletion/", views.me_deletion_request, name="me_deletion_request"),
]
