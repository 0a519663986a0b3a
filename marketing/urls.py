from django.urls import path

from marketing import views

app_name = "marketing"

urlpatterns = [
    path("me/products/", views.product_list, name="product_list"),
    path("me/products/add/", views.product_add, name="product_add"),
    path("me/products/<int:product_id>/edit/", views.product_edit, name="product_edit"),
    path("me/products/<int:product_id>/withdraw/", views.product_withdraw, name="product_withdraw"),
    path("me/products/<int:product_id>/photos/<int:photo_id>/delete/", views.photo_delete, name="photo_delete"),
    path("me/curation/", views.me_curation, name="me_curation"),
    path("me/rounds/<int:round_id>/submit/", views.round_submit, name="round_submit"),
    path("me/certificates/<int:certificate_id>/", views.certificate_download, name="certificate_download"),
    path("katalog/", views.katalog, name="katalog"),
    path("katalog/<int:product_id>/", views.katalog_product, name="katalog_product"),
    path("verify/<str:code>/", views.verify, name="verify"),
]
