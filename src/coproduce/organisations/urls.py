from django.urls import path

from coproduce.organisations.views import dashboard, public

app_name = "organisations"

urlpatterns = [
    path("", public.home, name="home"),
    path("areas/<str:code>/", public.area_detail, name="area"),
    path("organisations/<slug:slug>/", public.organisation_detail, name="organisation"),
    path("services/<str:reference>/", public.service_detail, name="service"),
    path("dashboard/", dashboard.dashboard_home, name="dashboard_home"),
    path("dashboard/<slug:slug>/", dashboard.dashboard, name="dashboard"),
    path("dashboard/<slug:slug>/members/", dashboard.members, name="members"),
    path(
        "dashboard/<slug:slug>/members/<int:membership_id>/remove/",
        dashboard.member_remove,
        name="member_remove",
    ),
]
