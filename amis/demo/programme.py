"""Demo data: the Belgian AMIF programme 2014-2020 as adopted (version 2) and a draft that moves money
within SO3; next to it the Belgian AMIF programme 2021-2027 (format 2, figures assumed where not public).

Used by `amis demo` and by the tests, so the tests see what a new user sees.
"""

from __future__ import annotations

from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.db import transaction

from amis.programme import reference_data, selectors, services
from amis.programme.exchange.yamlio import loads
from amis.programme.models import ProgrammeVersion

BELGIAN_CCI = "2014BE65AMNP001"
BELGIAN_FILE = settings.BASE_DIR / "data" / "programmes" / f"{BELGIAN_CCI}.yaml"
MOVED_IN_DRAFT = Decimal("250000.00")
BELGIAN_2021_CCI = "2021BE65AMPR001"
BELGIAN_2021_FILE = settings.BASE_DIR / "data" / "programmes" / f"{BELGIAN_2021_CCI}.yaml"


def belgian_document() -> dict:
    return loads(BELGIAN_FILE.read_text(encoding="utf-8"), BELGIAN_FILE.name)


def belgian_2021_document() -> dict:
    return loads(BELGIAN_2021_FILE.read_text(encoding="utf-8"), BELGIAN_2021_FILE.name)


@transaction.atomic
def load_belgian_programme(log=print) -> ProgrammeVersion:  # type: ignore[no-untyped-def]
    """Load version 2 and the demo draft, and the 2021-2027 programme, each only if missing; returns the
    latest version of the 2014-2020 programme."""
    reference_data.load(apps)  # idempotent; a flushed test database has lost the migration's rows
    if selectors.programme_get(BELGIAN_CCI) is None:
        version = services.programme_import(document=belgian_document(), actor_label="amis demo")
        log(f"Loaded {BELGIAN_CCI} version {version.number} from {BELGIAN_FILE.name}.")
    programme = selectors.programme_get(BELGIAN_CCI)
    assert programme is not None
    if programme.versions.count() == 1:
        adopted = programme.versions.get()
        draft = services.version_create_draft(source=adopted, actor_label="amis demo")
        plan = selectors.financing_plan_data(draft)
        so3 = next(so for so in plan["specific_objectives"] if so["code"] == "SO3")
        amounts: dict[str, Decimal | None] = {
            f"SO3.{no['code']}": Decimal(no["total"]) for no in so3["national_objectives"]
        }
        amounts["SO3.NO2"] = Decimal(amounts["SO3.NO2"] or 0) - MOVED_IN_DRAFT
        amounts["SO3.NO3"] = Decimal(amounts["SO3.NO3"] or 0) + MOVED_IN_DRAFT
        services.version_update_financing_plan(
            version=draft,
            expected_lock_version=draft.lock_version,
            amounts=amounts,
            technical_assistance=draft.technical_assistance,
            actor_label="amis demo",
        )
        log(
            f"Created draft version {draft.number}: EUR 250,000.00 moved from SO3.NO2 to SO3.NO3 "
            "(no new Commission decision needed)."
        )
    if selectors.programme_get(BELGIAN_2021_CCI) is None:
        version = services.programme_import(document=belgian_2021_document(), actor_label="amis demo")
        log(f"Loaded {BELGIAN_2021_CCI} version {version.number} from {BELGIAN_2021_FILE.name}.")
    latest = selectors.version_get(BELGIAN_CCI)
    assert latest is not None
    return latest
