from django.urls import path

from financing import views

app_name = "financing"

urlpatterns = [
    path("me/financing/", views.financing_home, name="home"),
    path("me/financing/<int:application_id>/", views.application_detail, name="application"),
    path("me/financing/<int:application_id>/withdraw/", views.application_withdraw, name="withdraw"),
]
