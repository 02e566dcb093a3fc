from django.contrib import admin
from django.urls import include, path

from coproduce.core.views import choose_language

# Django tries these in order: the organisations' pages, which have no prefix of their
# own, come last, so that a request for another app's page is not first tried on theirs.
urlpatterns = [
    path("account/", include("coproduce.accounts.urls")),
    path("engagement/", include("coproduce.engagement.urls")),
    path("campaigns/", include("coproduce.campaigns.urls")),
    path("events/", include("coproduce.events.urls")),
    path("forums/", include("coproduce.forums.urls")),
    path("consultations/", include("coproduce.consultations.urls")),
    path("votes/", include("coproduce.votes.urls")),
    path("have-your-say/", include("coproduce.deliberation.urls")),
    path("volunteering/", include("coproduce.volunteering.urls")),
    path("measurement/", include("coproduce.measurement.urls")),
    path("impact/", include("coproduce.impact.urls")),
    path("reports/", include("coproduce.reports.urls")),
    path("audit/", include("coproduce.audit.urls")),
    path("language/<str:code>/", choose_language, name="choose_language"),
    path("admin/", admin.site.urls),
    path("", include("coproduce.organisations.urls")),
]
