from django.urls import path

from . import views

app_name = "votes"

urlpatterns = [
    path("services/<str:reference>/", views.service_ballots, name="service_ballots"),
    path("services/<str:reference>/new/", views.ballot_new, name="ballot_new"),
    path("<str:code>/", views.ballot, name="ballot"),
    path("<str:code>/results.csv", views.results_csv, name="results_csv"),
    path("<str:code>/results.json", views.results_json, name="results_json"),
    path("<str:code>/manage/", views.manage, name="manage"),
    path("<str:code>/edit/", views.ballot_edit, name="edit"),
    path("<str:code>/publish/", views.publish, name="publish"),
    path("<str:code>/codes/", views.codes, name="codes"),
    path("<str:code>/paper/", views.paper, name="paper"),
]
