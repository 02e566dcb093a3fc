"""Base models shared by every app."""

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class WebsiteField(models.URLField):
    """A web address; one typed without a scheme is taken to be https (Django 6's default)."""

    def formfield(self, **kwargs: Any) -> forms.Field | None:  # type: ignore[override]
        return super().formfield(**{"assume_scheme": "https", **kwargs})
