from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/recompute/", views.dashboard_recompute, name="dashboard_recompute"),
    path("dashboard/<slug:table>.csv", views.dashboard_csv, name="dashboard_csv"),
    path("dashboard/export.pdf", views.dashboard_export, {"fmt": "pdf"}, name="dashboard_pdf"),
    path("dashboard/export.xlsx", views.dashboard_export, {"fmt": "xlsx"}, name="dashboard_xlsx"),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/<slug:table>.csv", views.open_data_download, {"fmt": "csv"}, name="open_data_csv"),
    path("open-data/<slug:table>.json", views.open_data_download, {"fmt": "json"}, name="open_data_json"),
]
