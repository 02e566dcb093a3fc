from django.urls import path

from . import views

app_name = "volunteering"

urlpatterns = [
    path("services/<str:reference>/", views.roles, name="roles"),
    path("roles/<int:pk>/apply/", views.apply, name="apply"),
    path("my-shifts/", views.my_shifts, name="my_shifts"),
    path("shifts/<int:pk>/book/", views.book, name="book"),
    path("bookings/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("bookings/<int:pk>/swap/", views.swap, name="swap"),
    path("hours/", views.log_hours, name="log_hours"),
    path("manage/services/<str:reference>/", views.manage, name="manage"),
    path("manage/services/<str:reference>/roles/new/", views.role_new, name="role_new"),
    path("manage/roles/<int:pk>/shifts/new/", views.pattern_new, name="pattern_new"),
    path("manage/applications/<int:pk>/", views.application_review, name="application_review"),
    path("manage/hours/<int:pk>/", views.hours_review, name="hours_review"),
    path("manage/bookings/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("manage/services/<str:reference>/capability/", views.capability, name="capability"),
    path("manage/services/<str:reference>/closures/", views.closures, name="closures"),
    path("manage/services/<str:reference>/closures.csv", views.closures_csv, name="closures_csv"),
]
