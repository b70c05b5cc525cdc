"""The roles of the management and control system, as stable codes (never translated names).

Which role may do what is in `amis.accounts.permissions.MATRIX`; which roles need two-factor
authentication and which exclude each other is here.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RA_MANAGER = "ra_manager", _("Responsible authority manager")
    RA_OFFICER = "ra_officer", _("Responsible authority officer")
    DA_OFFICER = "da_officer", _("Delegated authority officer")
    ASSESSOR = "assessor", _("Assessor")
    VERIFIER = "verifier", _("Verifier (controller)")
    ACCOUNTING_OFFICER = "accounting_officer", _("Accounting officer")
    AUDITOR = "auditor", _("Audit authority auditor")
    MC_MEMBER = "mc_member", _("Monitoring committee member")
    BENEFICIARY = "beneficiary", _("Beneficiary user")


# Every role that acts for an authority must log in with a second factor (TOTP).
AUTHORITY_ROLES = frozenset(
    {
        Role.RA_MANAGER,
        Role.RA_OFFICER,
        Role.DA_OFFICER,
        Role.ASSESSOR,
        Role.VERIFIER,
        Role.ACCOUNTING_OFFICER,
        Role.AUDITOR,
        Role.MC_MEMBER,
    }
)

# The audit authority is functionally independent of the responsible and delegated authorities
# (Reg. 514/2014 Art. 25; Del. Reg. 1042/2014 Annex): one person never holds roles on both sides.
AUDIT_SIDE = frozenset({Role.AUDITOR})
MANAGEMENT_SIDE = frozenset(
    {Role.RA_MANAGER, Role.RA_OFFICER, Role.DA_OFFICER, Role.ASSESSOR, Role.VERIFIER, Role.ACCOUNTING_OFFICER}
)
# A beneficiary's staff cannot also act for an authority that funds or checks it.
BENEFICIARY_SIDE = frozenset({Role.BENEFICIARY})

# Roles whose assignment must name the organisation the person acts for.
ORGANISATION_SCOPED = frozenset({Role.BENEFICIARY, Role.DA_OFFICER})
