from django.urls import path

from coproduce.events import views

app_name = "events"

urlpatterns = [
    path("services/<str:reference>/", views.service_events, name="service_events"),
    path("services/<str:reference>/calendar.ics", views.service_calendar, name="service_calendar"),
    path("<int:pk>/", views.event_detail, name="event"),
    path("<int:pk>/rsvp/", views.rsvp, name="rsvp"),
    path("<int:pk>/rsvp/cancel/", views.my_rsvp_cancel, name="my_rsvp_cancel"),
    path("replies/<str:token>/", views.rsvp_manage, name="rsvp_manage"),
    path("replies/<str:token>/cancel/", views.rsvp_cancel, name="rsvp_cancel"),
    path("manage/services/<str:reference>/", views.manage_service, name="manage_service"),
    path("manage/services/<str:reference>/new/", views.event_create, name="event_create"),
    path("manage/<int:pk>/", views.attendees, name="attendees"),
    path("manage/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("manage/<int:pk>/publish/", views.event_publish, name="event_publish"),
    path("manage/<int:pk>/cancel/", views.event_cancel, name="event_cancel"),
    path("manage/<int:pk>/check-in/", views.check_in, name="check_in"),
    path("manage/<int:pk>/walk-ins/", views.walk_ins, name="walk_ins"),
]
