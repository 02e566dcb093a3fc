from django.urls import path

from coproduce.forums import views

app_name = "forums"

urlpatterns = [
    path("mine/", views.my_meetings, name="my_meetings"),
    path("services/<str:reference>/you-said-we-did/", views.board, name="board"),
    path("services/<str:reference>/", views.service_forums, name="service_forums"),
    path("services/<str:reference>/new/", views.forum_create, name="forum_create"),
    path("services/<str:reference>/actions/", views.action_log, name="action_log"),
    path("services/<str:reference>/actions/new/", views.action_create, name="action_create"),
    path("<int:forum_id>/", views.forum_detail, name="forum"),
    path("<int:forum_id>/schedule/", views.forum_schedule, name="forum_schedule"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:meeting_id>/minutes/", views.meeting_minutes, name="meeting_minutes"),
    path("meetings/<int:meeting_id>/check-in/", views.meeting_check_in, name="meeting_check_in"),
    path(
        "meetings/<int:meeting_id>/unregistered/",
        views.meeting_unregistered,
        name="meeting_unregistered",
    ),
    path("meetings/<int:meeting_id>/raise/", views.meeting_raise, name="meeting_raise"),
    path("actions/<int:action_id>/", views.action_detail, name="action"),
    path("actions/<int:action_id>/publish/", views.action_publish, name="action_publish"),
]
