from django.urls import path

from . import views

app_name = "deliberation"

urlpatterns = [
    path("", views.index, name="index"),
    path("services/<str:reference>/", views.service_consultations, name="service_consultations"),
    path("services/<str:reference>/new/", views.consultation_new, name="consultation_new"),
    path("<str:code>/", views.consultation, name="consultation"),
    path("<str:code>/open-data.json", views.open_data, name="open_data"),
    path("<str:code>/documents/<int:pk>/", views.document, name="document"),
    path("<str:code>/comment/", views.comment, name="comment"),
    path("<str:code>/propose/", views.propose, name="propose"),
    path("<str:code>/proposals/<int:pk>/", views.proposal, name="proposal"),
    path("<str:code>/proposals/<int:pk>/support/", views.support, name="support"),
    path("<str:code>/difference/", views.difference, name="difference"),
    path("<str:code>/manage/", views.manage, name="manage"),
    path("<str:code>/edit/", views.consultation_edit, name="edit"),
    path("<str:code>/publish/", views.publish, name="publish"),
    path("<str:code>/moderate/<str:kind>/<int:pk>/", views.moderate, name="moderate"),
    path("<str:code>/documents/", views.document_upload, name="document_upload"),
    path("<str:code>/themes/", views.theme, name="theme"),
    path("<str:code>/outcome/", views.outcome, name="outcome"),
]
