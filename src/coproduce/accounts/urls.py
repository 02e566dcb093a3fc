from django.contrib.auth import views as auth_views
from django.urls import path

from coproduce.accounts import views
from coproduce.accounts.forms import SignInForm
from coproduce.core.ratelimit import rate_limited

app_name = "accounts"

urlpatterns = [
    path(
        "sign-in/",
        rate_limited("sign_in")(
            auth_views.LoginView.as_view(
                template_name="accounts/sign_in.html", authentication_form=SignInForm
            )
        ),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("create/", views.sign_up, name="sign_up"),
    path("", views.profile, name="profile"),
]
