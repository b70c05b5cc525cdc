"""Demo organisations and one person per role, so every actor of the seed's management and control
system can log in. Enterprise numbers and IBANs are fictitious but pass the real checks; names are the
authorities and kinds of beneficiaries the Belgian programme names.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction

from amis.accounts import services as accounts
from amis.accounts.models import User
from amis.accounts.roles import AUTHORITY_ROLES, Role
from amis.organisations import services as organisations
from amis.organisations.models import Organisation

ORGANISATIONS = [
    {
        "key": "ra",
        "kind": "responsible_authority",
        "name": "FPS Home Affairs - European Funds Unit",
        "short_name": "FPS HA EFU",
        "enterprise_number": "0812345603",
        "street": "Leuvenseweg 1",
        "postcode": "1000",
        "city": "Brussels",
        "email": "amif-isf@ibz.eu",
    },
    {
        "key": "accounting",
        "kind": "accounting_unit",
        "name": "FPS Home Affairs - Accounting Unit",
        "short_name": "FPS HA ACC",
        "enterprise_number": "0456789034",
        "street": "Leuvenseweg 1",
        "postcode": "1000",
        "city": "Brussels",
        "iban": "BE08679020090013",
        "bic": "GEBABEBB",
    },
    {
        "key": "aa",
        "kind": "audit_authority",
        "name": "Inspectorate of Finance",
        "short_name": "IF",
        "enterprise_number": "0234567873",
        "street": "De Lignestraat 37",
        "postcode": "1000",
        "city": "Brussels",
    },
    {
        "key": "esf_fl",
        "kind": "delegated_authority",
        "name": "European Social Fund Agency Flanders",
        "short_name": "ESF Flanders",
        "enterprise_number": "0876543270",
        "street": "Koning Albert II-laan 35",
        "postcode": "1030",
        "city": "Brussels",
    },
    {
        "key": "esf_fsc",
        "kind": "delegated_authority",
        "name": "European Social Fund Agency French-speaking Community",
        "short_name": "FSE FWB",
        "enterprise_number": "0654321022",
        "street": "Rue Royale 136",
        "postcode": "1000",
        "city": "Brussels",
    },
    {
        "key": "mc",
        "kind": "monitoring_committee",
        "name": "AMIF Monitoring Committee",
        "short_name": "MC",
        "enterprise_number": "0345678997",
        "street": "Leuvenseweg 1",
        "postcode": "1000",
        "city": "Brussels",
    },
    {
        "key": "fedasil",
        "kind": "state_authority",
        "name": "Fedasil - Federal Agency for the Reception of Asylum Seekers",
        "short_name": "Fedasil",
        "enterprise_number": "0567890161",
        "street": "Kartuizersstraat 21",
        "postcode": "1000",
        "city": "Brussels",
        "iban": "BE71096123456769",
        "bic": "GKCCBEBB",
    },
    {
        "key": "pswc",
        "kind": "local_public_body",
        "name": "PSWC Antwerp (OCMW Antwerpen)",
        "short_name": "OCMW Antwerpen",
        "enterprise_number": "0789012351",
        "street": "Lange Gasthuisstraat 39",
        "postcode": "2000",
        "city": "Antwerp",
        "iban": "BE68539007547034",
        "bic": "BBRUBEBB",
    },
    {
        "key": "caritas",
        "kind": "ngo",
        "name": "Caritas International Belgium",
        "short_name": "Caritas",
        "enterprise_number": "0401234560",
        "street": "Liefdadigheidstraat 43",
        "postcode": "1210",
        "city": "Brussels",
        "iban": "BE62510007547061",
        "bic": "GEBABEBB",
    },
    {
        "key": "redcross",
        "kind": "red_cross",
        "name": "Red Cross Flanders (Rode Kruis-Vlaanderen)",
        "short_name": "Rode Kruis",
        "enterprise_number": "0623456711",
        "street": "Motstraat 40",
        "postcode": "2800",
        "city": "Mechelen",
        "iban": "BE43068999999501",
        "bic": "GKCCBEBB",
    },
    {
        "key": "iom",
        "kind": "international_organisation",
        "name": "International Organization for Migration - Belgium",
        "short_name": "IOM",
        "country": "BE",
        "street": "Rue Montoyer 40",
        "postcode": "1000",
        "city": "Brussels",
    },
]


@dataclass(frozen=True)
class DemoPerson:
    email: str
    role: Role
    organisation: str
    name: str
    scope: tuple[str, str, str] = ("", "", "")

    @property
    def password(self) -> str:
        return f"demo-{self.email.split('@')[0]}-2014"

    @property
    def totp_secret(self) -> str:
        """A fixed secret per demo person, so the printed secret works in an authenticator app."""
        return base64.b32encode(hashlib.sha256(self.email.encode()).digest()[:20]).decode()


PEOPLE = [
    DemoPerson("ra.manager@amis.example", Role.RA_MANAGER, "ra", "Anne Peeters"),
    DemoPerson("ra.officer@amis.example", Role.RA_OFFICER, "ra", "Marc Dubois"),
    DemoPerson("da.flanders@amis.example", Role.DA_OFFICER, "esf_fl", "Sofie Janssens", ("SO2", "NO2", "FL")),
    DemoPerson("assessor@amis.example", Role.ASSESSOR, "esf_fl", "Pieter Claes"),
    DemoPerson("assessor2@amis.example", Role.ASSESSOR, "esf_fl", "Els De Smet"),
    DemoPerson("verifier@amis.example", Role.VERIFIER, "ra", "Julie Lambert"),
    DemoPerson("accounting@amis.example", Role.ACCOUNTING_OFFICER, "accounting", "Luc Maes"),
    DemoPerson("auditor@amis.example", Role.AUDITOR, "aa", "Nathalie Leroy"),
    DemoPerson("mc.member@amis.example", Role.MC_MEMBER, "mc", "Koen Willems"),
    DemoPerson("beneficiary@caritas.example", Role.BENEFICIARY, "caritas", "Fatima El Amrani"),
    DemoPerson("beneficiary@redcross.example", Role.BENEFICIARY, "redcross", "Tom Wouters"),
]


@transaction.atomic
def load_people(log: Callable[[str], None] = print) -> list[DemoPerson]:
    by_key: dict[str, Organisation] = {}
    for data in ORGANISATIONS:
        fields = {k: v for k, v in data.items() if k != "key"}
        existing = Organisation.objects.filter(name=fields["name"]).first()
        by_key[data["key"]] = existing or organisations.organisation_create(actor=None, data=fields)
    for person in PEOPLE:
        user = User.objects.filter(email=person.email).first()
        if user is None:
            first, last = person.name.split(" ", 1)
            user = accounts.user_create(
                email=person.email,
                password=person.password,
                first_name=first,
                last_name=last,
                actor_label="amis demo",
            )
            so, no, scope = person.scope
            programme = None
            if so:
                from amis.programme.models import Programme

                programme = Programme.objects.filter(cci="2014BE65AMNP001").first()
            accounts.role_assign(
                user=user,
                role=person.role,
                organisation=by_key[person.organisation],
                programme=programme,
                specific_objective=so,
                national_objective=no,
                action_scope=scope,
                actor_label="amis demo",
            )
        if (
            person.role in AUTHORITY_ROLES
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            TOTP.activate(user, person.totp_secret)
    _pending_registration()
    return PEOPLE


REGISTRANT = DemoPerson("director@integration-ghent.example", Role.BENEFICIARY, "", "Ines Vermeulen")


def _pending_registration() -> None:
    """A self-registered NGO waiting in the responsible authority's queue."""
    if User.objects.filter(email=REGISTRANT.email).exists():
        return
    first, last = REGISTRANT.name.split(" ", 1)
    user = accounts.user_create(
        email=REGISTRANT.email,
        password=REGISTRANT.password,
        first_name=first,
        last_name=last,
        actor_label="amis demo",
    )
    organisations.organisation_register(
        user=user,
        data={
            "kind": "ngo",
            "name": "Integration Network Ghent",
            "short_name": "INGhent",
            "enterprise_number": "0512345684",
            "country": "BE",
            "street": "Sint-Pietersnieuwstraat 10",
            "postcode": "9000",
            "city": "Ghent",
            "email": "info@integration-ghent.example",
            "contact_name": REGISTRANT.name,
            "contact_function": "Director",
        },
    )
