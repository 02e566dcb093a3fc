from django.urls import path

from coproduce.engagement import views

app_name = "engagement"

urlpatterns = [
    path("services/<str:reference>/activities/", views.activities, name="activities"),
    path("services/<str:reference>/activities/new/", views.activity_new, name="activity_new"),
    path(
        "services/<str:reference>/activities/<int:pk>/",
        views.activity_detail,
        name="activity",
    ),
    path(
        "services/<str:reference>/activities/<int:pk>/edit/",
        views.activity_edit,
        name="activity_edit",
    ),
    path("services/<str:reference>/ladder/", views.ladder, name="ladder"),
    path("services/<str:reference>/ladder/<slug:block>.csv", views.ladder_csv, name="ladder_csv"),
    path("services/<str:reference>/reach/", views.reach, name="reach"),
    path("services/<str:reference>/reach/<slug:block>.csv", views.reach_csv, name="reach_csv"),
    path("areas/<str:code>/roll-up/", views.roll_up, name="roll_up"),
    path("areas/<str:code>/roll-up.csv", views.roll_up_csv, name="roll_up_csv"),
    path("organisations/<slug:slug>/network/", views.network, name="network"),
    path("organisations/<slug:slug>/network.csv", views.network_csv, name="network_csv"),
]
