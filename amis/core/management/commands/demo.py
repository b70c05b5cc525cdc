"""`amis demo`: prepare the demo database and serve AMIS on http://127.0.0.1:8000.

Safe to run again: migrations are idempotent, the Belgian programme and the demo draft are loaded
only when missing, and the admin's demo password is set again and printed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from amis.programme import selectors, services
from amis.programme.exchange.yamlio import loads

BELGIAN_CCI = "2014BE65AMNP001"
DEMO_ADMIN = ("admin", "admin@amis.example", "amis-demo-2014")


class Command(BaseCommand):
    help = "Prepare the demo database (migrate, load the Belgian AMIF programme) and serve AMIS."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--prepare-only", action="store_true", help="Prepare the database, do not serve.")
        parser.add_argument("--addr", default="127.0.0.1:8000", help="Address and port to serve on.")

    def handle(self, *args: Any, **options: Any) -> None:
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        self.load_programme()
        self.create_admin()
        if options["prepare_only"]:
            self.stdout.write("Demo database ready.")
            return
        self.stdout.write(f"Serving AMIS on http://{options['addr']}/ (Ctrl+C stops it).")
        call_command("runserver", options["addr"], use_reloader=False, insecure_serving=True)

    def load_programme(self) -> None:
        if selectors.programme_get(BELGIAN_CCI) is None:
            path = settings.BASE_DIR / "data" / "programmes" / f"{BELGIAN_CCI}.yaml"
            document = loads(path.read_text(encoding="utf-8"), path.name)
            version = services.programme_import(document=document, actor_label="amis demo")
            self.stdout.write(f"Loaded {BELGIAN_CCI} version {version.number} from {path.name}.")
        programme = selectors.programme_get(BELGIAN_CCI)
        assert programme is not None
        if programme.versions.count() == 1:
            self.create_demo_draft(programme.versions.get())

    @transaction.atomic
    def create_demo_draft(self, adopted: Any) -> None:
        """A draft that moves money within SO3, which needs no new Commission decision (rule 2.15)."""
        draft = services.version_create_draft(source=adopted, actor_label="amis demo")
        plan = selectors.financing_plan_data(draft)
        so3 = next(so for so in plan["specific_objectives"] if so["code"] == "SO3")
        amounts = {f"SO3.{no['code']}": Decimal(no["total"]) for no in so3["national_objectives"]}
        moved = Decimal("250000.00")
        amounts["SO3.NO2"] -= moved
        amounts["SO3.NO3"] += moved
        services.version_update_financing_plan(
            version=draft, expected_lock_version=draft.lock_version, amounts=amounts,
            technical_assistance=draft.technical_assistance, actor_label="amis demo",
        )
        self.stdout.write(f"Created draft version {draft.number}: EUR 250,000.00 moved from SO3.NO2 to SO3.NO3.")

    def create_admin(self) -> None:
        username, email, password = DEMO_ADMIN
        user, _ = get_user_model().objects.get_or_create(username=username, defaults={"email": email})
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        self.stdout.write(f"Admin login: {username} / {password}  (http://127.0.0.1:8000/admin/)")
