from django.urls import path

from coproduce.audit import views

app_name = "audit"

urlpatterns = [
    path("<slug:slug>/", views.audit, name="audit"),
    path("<slug:slug>/changes.csv", views.audit_csv, name="audit_csv"),
]
