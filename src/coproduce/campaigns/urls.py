from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    # The short link printed on posters and leaflets: public, counted, cookie-free.
    path("c/<str:code>/", views.go, name="go"),
    path("services/<str:reference>/", views.service_campaign_list, name="service_campaigns"),
    path("services/<str:reference>/new/", views.campaign_new, name="campaign_create"),
    path("links/<str:code>/qr.svg", views.link_qr_svg, name="link_qr_svg"),
    path("links/<str:code>/qr.png", views.link_qr_png, name="link_qr_png"),
    path("links/<str:code>/poster/", views.link_poster, name="link_poster"),
    path("<str:reference>/", views.campaign_page, name="campaign"),
    path("<str:reference>/links/add/", views.link_add, name="link_add"),
]
