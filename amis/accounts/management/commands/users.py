"""`amis users create EMAIL --role ROLE [--organisation NAME] [--password P]` and `amis users list`."""

from __future__ import annotations

import json
import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from amis.accounts import selectors, services
from amis.accounts.roles import Role
from amis.accounts.selectors import organisations
from amis.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Create people with their roles (set-up), and list them."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        p = sub.add_parser("create", help="Create a person and give them roles.")
        p.add_argument("email")
        p.add_argument("--role", action="append", default=[], choices=[r.value for r in Role])
        p.add_argument("--organisation", help="Name, short name or enterprise number of the organisation")
        p.add_argument("--password", help="Initial password (a random one is printed when omitted)")
        p.add_argument("--first-name", default="")
        p.add_argument("--last-name", default="")
        p = sub.add_parser("list", help="People and their active roles.")
        p.add_argument("--format", dest="fmt", choices=["table", "json"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"do_{options['action']}")(options)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc

    def _organisation(self, ref: str | None) -> Any:
        if not ref:
            return None
        digits = ref.replace(".", "").replace(" ", "")
        found = list(
            organisations().filter(name__iexact=ref)
            | organisations().filter(short_name__iexact=ref)
            | organisations().filter(enterprise_number=digits)
        )
        if len(found) != 1:
            raise CommandError(f"No single organisation matches '{ref}' ({len(found)} found).")
        return found[0]

    @transaction.atomic
    def do_create(self, options: dict[str, Any]) -> None:
        password = options["password"] or secrets.token_urlsafe(12)
        label = "amis users create"
        organisation = self._organisation(options["organisation"])
        user = services.user_create(
            email=options["email"],
            password=password,
            first_name=options["first_name"],
            last_name=options["last_name"],
            actor_label=label,
        )
        for role in options["role"]:
            services.role_assign(user=user, role=role, organisation=organisation, actor_label=label)
        roles = ", ".join(options["role"]) or "no role"
        self.stdout.write(f"Created {user.email} ({roles}); password: {password}")

    def do_list(self, options: dict[str, Any]) -> None:
        rows = [
            {"email": u.email, "roles": [str(a) for a in u.active_assignments]}  # type: ignore[attr-defined]
            for u in selectors.user_list()
        ]
        if options["fmt"] == "json":
            self.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        for row in rows:
            self.stdout.write(f"{row['email']:<40} {'; '.join(row['roles']) or '-'}")
