from django.urls import path

from marketing import views

app_name = "marketing"

urlpatterns = [
    path("me/products/", views.product_list, name="product_list"),
    path("me/products/add/", views.product_add, name="product_add"),
    path("me/products/<int:pk>/edit/", views.product_edit, name="product_edit"),
    path("me/products/<int:pk>/withdraw/", views.product_withdraw, name="product_withdraw"),
    path("me/products/<int:pk>/photos/<int:photo_pk>/delete/", views.photo_delete, name="photo_delete"),
    path("me/rounds/<int:pk>/submit/", views.round_submit, name="round_submit"),
    path("me/certificates/<int:pk>/", views.certificate_download, name="certificate_download"),
    path("katalog/", views.katalog, name="katalog"),
    path("katalog/<int:product_id>/", views.katalog_product, name="katalog_product"),
    path("verify/<str:code>/", views.verify, name="verify"),
]
