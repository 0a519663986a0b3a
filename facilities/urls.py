from django.urls import path

from facilities import views

app_name = "facilities"

urlpatterns = [
    path("centers/", views.center_list, name="center_list"),
    path("api/regions/kecamatan/", views.kecamatan_options, name="kecamatan_options"),
    path("api/regions/kelurahan/", views.kelurahan_options, name="kelurahan_options"),
]
