from django.urls import path

from . import value_views, views

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
    # Social value and the cost of engagement (issue #7, points 4 and 5)
    path("organisations/<slug:slug>/proxies/", value_views.proxies, name="proxies"),
    path("organisations/<slug:slug>/proxies/new/", value_views.proxy_new, name="proxy_new"),
    path("proxies/<int:pk>/", value_views.proxy_edit, name="proxy_edit"),
    path("organisations/<slug:slug>/price-index/", value_views.price_index, name="price_index"),
    path("organisations/<slug:slug>/hour-rates/", value_views.hour_rates, name="hour_rates"),
    path("services/<str:reference>/costs/", value_views.cost_page, name="costs"),
    path("services/<str:reference>/income/", value_views.income, name="income"),
    path("services/<str:reference>/social-value/", value_views.social_value, name="social_value"),
    path(
        "services/<str:reference>/social-value/<int:year>/rate/",
        value_views.analysis_settings,
        name="analysis_settings",
    ),
    path(
        "services/<str:reference>/social-value/<int:year>/outcomes/new/",
        value_views.valuation_new,
        name="valuation_new",
    ),
    path("valuations/<int:pk>/", value_views.valuation_edit, name="valuation_edit"),
]
