from django.urls import path

from registrations import views

app_name = "registrations"

urlpatterns = [
    path("register/", views.register, name="register"),
    path("me/", views.me, name="me"),
    path("me/contact/", views.me_contact, name="me_contact"),
    path("me/business/", views.me_business, name="me_business"),
    path("me/facilities/request/", views.me_request_facility, name="me_request_facility"),
    path("me/enrollments/<int:pk>/cancel/", views.me_cancel_enrollment, name="me_cancel_enrollment"),
    path("me/activities/", views.me_activities, name="me_activities"),
    path("me/activities/<int:pk>/signup/", views.me_activity_signup, name="me_activity_signup"),
    path("me/activities/<int:pk>/cancel/", views.me_activity_cancel, name="me_activity_cancel"),
]
