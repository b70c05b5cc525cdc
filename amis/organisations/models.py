"""Organisations of the management and control system and the beneficiaries they fund."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    class Kind(models.TextChoices):
        RESPONSIBLE_AUTHORITY = "responsible_authority", _("Responsible authority")
        ACCOUNTING_UNIT = "accounting_unit", _("Accounting unit")
        AUDIT_AUTHORITY = "audit_authority", _("Audit authority")
        DELEGATED_AUTHORITY = "delegated_authority", _("Delegated authority")
        MONITORING_COMMITTEE = "monitoring_committee", _("Monitoring committee")
        STATE_AUTHORITY = "state_authority", _("State (federal or regional) authority")
        LOCAL_PUBLIC_BODY = "local_public_body", _("Local public body")
        NGO = "ngo", _("Non-governmental organisation")
        INTERNATIONAL_ORGANISATION = "international_organisation", _("International public organisation")
        RED_CROSS = "red_cross", _("National Red Cross")
        PARTNER = "partner", _("Partner (other)")

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    kind = models.CharField(max_length=30, choices=Kind.choices)
    name = models.CharField(max_length=300)
    short_name = models.CharField(max_length=40, blank=True)
    enterprise_number = models.CharField(
        max_length=10, blank=True, help_text="Belgian KBO/BCE number, 10 digits, stored without dots"
    )
    vat_number = models.CharField(
        max_length=20, blank=True, help_text="Foreign EU VAT number with country prefix"
    )
    street = models.CharField(max_length=200, blank=True)
    postcode = models.CharField(max_length=20, blank=True)
    city = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=2, default="BE", help_text="ISO 3166-1 alpha-2")
    email = models.EmailField(blank=True)
    iban = models.CharField(max_length=34, blank=True)
    bic = models.CharField(max_length=11, blank=True)
    # A new bank account of an approved organisation waits for a second person's confirmation:
    # payments keep going to `iban` until then (a changed account is a classic payment fraud).
    pending_iban = models.CharField(max_length=34, blank=True)
    pending_bic = models.CharField(max_length=11, blank=True)
    bank_change_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    bank_change_requested_at = models.DateTimeField(null=True, blank=True)
    # So does a new legal name: grant agreements, payments and the bank's name check follow the name,
    # and a hijacked login renaming the organisation is as much a fraud as a new account.
    pending_name = models.CharField(max_length=300, blank=True)
    name_change_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name_change_requested_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    status_reason = models.TextField(blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise_number"],
                condition=~Q(enterprise_number=""),
                name="unique_enterprise_number",
            ),
            models.UniqueConstraint(
                fields=["vat_number"], condition=~Q(vat_number=""), name="unique_vat_number"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def bank_change_pending(self) -> bool:
        return self.bank_change_requested_at is not None

    @property
    def name_change_pending(self) -> bool:
        return self.name_change_requested_at is not None

    @property
    def is_authority(self) -> bool:
        return self.kind in AUTHORITY_KINDS

    @property
    def is_beneficiary(self) -> bool:
        return self.kind in BENEFICIARY_KINDS


AUTHORITY_KINDS = frozenset(
    {
        Organisation.Kind.RESPONSIBLE_AUTHORITY,
        Organisation.Kind.ACCOUNTING_UNIT,
        Organisation.Kind.AUDIT_AUTHORITY,
        Organisation.Kind.DELEGATED_AUTHORITY,
        Organisation.Kind.MONITORING_COMMITTEE,
    }
)
BENEFICIARY_KINDS = frozenset(set(Organisation.Kind) - AUTHORITY_KINDS)


class ContactPerson(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    function = models.CharField(max_length=200, blank=True)
    email = models.EmailField()
    phone = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["organisation", "name"]

    def __str__(self) -> str:
        return self.name
