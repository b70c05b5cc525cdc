"""The programme and the demo's authorities and people, made by the application's own services.

Going through the services (not raw rows) means the officers have their real roles and TOTP devices,
and the audit chain starts the way production starts it; the bulk rows are appended after it.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.hashers import make_password

from amis.accounts.models import RoleAssignment, User
from amis.accounts.roles import Role
from amis.demo.people import load_people
from amis.demo.programme import BELGIAN_CCI, load_belgian_programme
from amis.organisations.models import Organisation
from amis.programme import reference_data
from amis.programme.models import Programme
from bench.gen import names
from bench.gen.context import Context
from bench.gen.insert import STAMP, insert


def load_demo(ctx: Context) -> None:
    reference_data.load(apps)
    load_belgian_programme(log=lambda _message: None)
    people = load_people(log=lambda _message: None)
    ctx.programme_id = Programme.objects.get(cci=BELGIAN_CCI).pk
    ctx.users = {p.email: User.objects.get(email=p.email).pk for p in people}
    ctx.authorities = dict(Organisation.objects.values_list("short_name", "pk"))


def organisations(ctx: Context) -> int:
    """Beneficiaries: NGOs and local public bodies all over Belgium, approved, with bank details."""
    count = ctx.scale.organisations
    first = ctx.ids.take(Organisation, count)
    rows = []
    for i in range(count):
        data = names.organisation(ctx.rnd, i)
        number = names.kbo(i)
        rows.append(
            {
                "id": first + i,
                "kind": data["kind"],
                "name": data["name"],
                "short_name": data["short_name"],
                "enterprise_number": number,
                "street": data["street"],
                "postcode": data["postcode"],
                "city": data["city"],
                "country": "BE",
                "email": f"info{i}@beneficiary{i}.example",
                "iban": names.iban(i),
                "bic": "GEBABEBB",
                "status": "approved",
                "decided_by_id": ctx.users["ra.officer@amis.example"],
                "decided_at": STAMP,
            }
        )
        ctx.organisations.append((first + i, data["name"], number))
    return insert(Organisation, rows)


def beneficiary_users(ctx: Context) -> int:
    """People who draft and submit applications, each a beneficiary of one organisation."""
    count = ctx.scale.beneficiary_users
    first = ctx.ids.take(User, count)
    unusable = make_password(None)  # they never log in during the bench
    users, roles = [], []
    first_role = ctx.ids.take(RoleAssignment, count)
    for i in range(count):
        given, family = names.person(ctx.rnd)
        org_id = ctx.organisations[i % len(ctx.organisations)][0]
        users.append(
            {
                "id": first + i,
                "password": unusable,
                "email": f"{given.lower()}.{family.lower()}.{i}@beneficiary.example",
                "first_name": given,
                "last_name": family,
                "is_active": True,
                "date_joined": STAMP,
                "preferred_language": ctx.rnd.choice(["nl", "fr", "en"]),
            }
        )
        roles.append(
            {
                "id": first_role + i,
                "user_id": first + i,
                "role": Role.BENEFICIARY.value,
                "organisation_id": org_id,
                "granted_at": STAMP,
            }
        )
        ctx.beneficiary_users.append(first + i)
    insert(User, users)
    insert(RoleAssignment, roles)
    return count
