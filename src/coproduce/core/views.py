"""Views of the whole site that belong to no app."""

from typing import Literal, cast

from django.conf import settings
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

SameSite = Literal["Lax", "Strict", "None", False] | None


@require_GET
def choose_language(request: HttpRequest, code: str) -> HttpResponseRedirect:
    """Show the site in another language: keep the choice in the language cookie and go
    back to the page (``next``), or to the home page if ``next`` is not one of ours.

    A plain link, not a form: choosing a language changes nothing but how pages read,
    so it needs no CSRF token, and public pages set no CSRF cookie for it (fewer cookies
    on a shared device; pages that can be kept in a cache).
    """
    if code not in dict(settings.LANGUAGES):
        raise Http404(_("There is no such language."))
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=cast(SameSite, settings.LANGUAGE_COOKIE_SAMESITE),
    )
    return response


def form_page(
    request: HttpRequest, form: Form, *, title: str, caption: str, back_url: str
) -> HttpResponse:
    """A page holding one form: its title, a caption (such as the service's name) and a
    way back without saving."""
    context = {"form": form, "title": title, "caption": caption, "back_url": back_url}
    return render(request, "core/form_page.html", context)
