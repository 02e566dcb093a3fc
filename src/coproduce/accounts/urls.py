from django.contrib.auth import views as auth_views
from django.urls import path

from coproduce.accounts import privacy_views, views
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
    path("your-data/", privacy_views.privacy_data, name="privacy_data"),
    path("your-data/download/", privacy_views.privacy_download, name="privacy_download"),
    path("erase/", privacy_views.privacy_erase, name="privacy_erase"),
    path("two-factor/", views.two_factor_enrol, name="two_factor_enrol"),
    path("two-factor/code/", views.two_factor_verify_code, name="two_factor_verify"),
    path("passphrase/forgotten/", views.PassphraseResetView.as_view(), name="password_reset"),
    path(
        "passphrase/forgotten/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html"),
        name="password_reset_done",
    ),
    path(
        "passphrase/reset/<uidb64>/<token>/",
        views.NewPassphraseView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "passphrase/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
