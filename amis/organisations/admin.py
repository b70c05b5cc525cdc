"""Read-only admin views of organisations, for support staff.

Changes go through the organisation pages and API, whose services validate identifiers, check
locks and segregation of duties, and write the audit trail; the admin would bypass all of that.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from amis.organisations.models import ContactPerson, Organisation


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ContactInline(ReadOnly, admin.TabularInline):
    model = ContactPerson
    fields = ("name", "function", "email", "phone")
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("name", "kind", "status", "enterprise_number", "vat_number", "city", "country")
    list_filter = ("status", "kind", "country")
    search_fields = ("name", "short_name", "enterprise_number", "vat_number", "city")
    inlines = (ContactInline,)


@admin.register(ContactPerson)
class ContactPersonAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("name", "function", "email", "organisation")
    search_fields = ("name", "email", "organisation__name")
    list_select_related = ("organisation",)
