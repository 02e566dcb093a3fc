from django.urls import path

from . import views

app_name = "reports"

report = "services/<str:reference>/<int:year>/"
urlpatterns = [
    path(f"{report}impact/", views.report, {"kind": "impact"}, name="impact"),
    path(f"{report}impact.pdf", views.report_pdf, {"kind": "impact"}, name="impact_pdf"),
    path(f"{report}council/", views.report, {"kind": "council"}, name="council"),
    path(f"{report}council.pdf", views.report_pdf, {"kind": "council"}, name="council_pdf"),
]
