"""Pages of this stage (filled in by the grants and reporting work)."""

from __future__ import annotations

from django.urls import URLPattern, path

app_name = "expenditure_import"
urlpatterns: list[URLPattern] = []
__all__ = ["path"]
