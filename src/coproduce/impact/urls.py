from django.urls import path

from . import views

app_name = "impact"

urlpatterns = [
    path("services/<str:reference>/", views.framework, name="framework"),
    path("services/<str:reference>/outcomes/new/", views.outcome_new, name="outcome_new"),
    path("outcomes/<int:pk>/", views.outcome_edit, name="outcome_edit"),
    path("outcomes/<int:pk>/indicators/new/", views.indicator_new, name="indicator_new"),
    path("services/<str:reference>/instruments/<slug:slug>/", views.switch_on, name="switch_on"),
    path(
        "services/<str:reference>/instruments/<slug:slug>/licence/",
        views.licence,
        name="licence",
    ),
    path("wave-forms/<int:pk>/enter/", views.enter, name="enter"),
    path("services/<str:reference>/results/", views.results, name="results"),
]
