from django.urls import path

from growth import views

app_name = "growth"

urlpatterns = [
    path("me/reports/", views.me_reports, name="me_reports"),
    path("me/mentoring/", views.me_mentoring, name="me_mentoring"),
    path("me/reports/<str:month>/correct/", views.me_report_correct, name="me_report_correct"),
]
