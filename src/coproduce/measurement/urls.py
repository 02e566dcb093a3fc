from django.urls import path

from coproduce.measurement import views

app_name = "measurement"

urlpatterns = [
    path("areas/<str:code>/", views.area, name="area"),
    path("areas/<str:code>/trend.csv", views.area_trend_csv, name="area_trend_csv"),
    path("services/<str:reference>/", views.service, name="service"),
    path("services/<str:reference>/trend.csv", views.service_trend_csv, name="service_trend_csv"),
    path("waves/<int:pk>/", views.wave, name="wave"),
    path("waves/<int:pk>/recompute/", views.wave_recompute, name="wave_recompute"),
    path("waves/<int:pk>/<slug:block>.csv", views.wave_csv, name="wave_csv"),
]
