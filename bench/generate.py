"""`python -m bench.generate --scale full`: fill the database DATABASE_URL names with generated data.

Deterministic (one seeded random source, fixed timestamps), so two runs at the same scale and seed
measure the same data. Refuses a database that already holds bench data unless told to `--reset` it,
because generating twice would double the rows and silently change what the targets are measured on.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable

from bench import environment
from bench.scales import Scale, get


def generate(
    scale: Scale, seed: int = 2014, log: Callable[[str], None] = print, only: list[str] | None = None
) -> dict[str, int]:
    """Generate everything into the current (migrated, empty) database; returns rows per table.
    `only`: run just these steps (by their short name in ADDABLE) on a database generated before
    they existed, leaving the rest as it is."""
    from django.db import transaction

    from amis.accounts.models import RoleAssignment, User
    from amis.applications.models import Application, BudgetLine
    from amis.calls.models import Call
    from amis.core.models import AuditEntry
    from amis.declarations.models import PaymentApplication, PaymentApplicationItem
    from amis.integrity.models import OtherFundProject
    from amis.organisations.models import Organisation
    from amis.payments.models import Payment, Recovery
    from amis.projects.models import AgreementVersion, GrantAgreement, Project
    from amis.public.models import PublicationDetails, PublicationExclusion
    from amis.reporting.models import ExpenditureLine, Report, ReportSubmission
    from amis.selection.models import Assessment, EligibilityCheck
    from amis.verification.models import Verification
    from bench.gen import applications, audit, calls, declarations, money, other_funds, people, publication
    from bench.gen.context import Context
    from bench.gen.insert import reset_sequences

    ctx = Context(scale=scale, rnd=random.Random(seed))
    counts: dict[str, int] = {}
    steps: list[tuple[str, Callable[[Context], object]]] = [
        ("demo programme and people", people.load_demo),
        ("organisations", people.organisations),
        ("beneficiary users", people.beneficiary_users),
        ("calls", calls.calls),
        ("applications", applications.applications),
        ("other-fund projects", other_funds.other_fund_projects),
        ("reports, expenditure lines, verifications, payments", money.money),
        ("payment applications to the Commission", declarations.declarations),
        ("signed agreements, locations and change stamps of the public list", publication.publication),
        ("audit entries", audit.audit_entries),
    ]
    if only:
        chosen = {ADDABLE[name] for name in only}
        steps = [(name, step) for name, step in steps if name in chosen]
    with transaction.atomic():
        for name, step in steps:
            started = time.perf_counter()
            result = step(ctx)
            if isinstance(result, dict):
                counts.update(result)
            elif isinstance(result, int):
                counts[name] = result
            shown = "done" if result is None else result
            log(f"  {name}: {shown} ({time.perf_counter() - started:.1f} s)")
        reset_sequences(
            [Organisation, User, RoleAssignment, Call, Application, BudgetLine, EligibilityCheck]
            + [Assessment, Project, OtherFundProject, AuditEntry, Report, ReportSubmission, ExpenditureLine]
            + [Verification, Payment, Recovery, PaymentApplication, PaymentApplicationItem]
            + [GrantAgreement, AgreementVersion, PublicationDetails, PublicationExclusion]
        )
    _analyze()
    return counts


# Steps that can be added to a database generated before they existed (`--add NAME`).
ADDABLE = {"publication": "signed agreements, locations and change stamps of the public list"}


def _analyze() -> None:
    """Fresh statistics, as autovacuum would have them on a live database, or plans would be guesses."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def prepare(reset: bool, adding: bool = False) -> None:
    """Migrate; with `reset`, empty every table first; `adding` steps to bench data already there."""
    from django.core.management import call_command

    from amis.calls.models import Call

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    if reset:
        call_command("flush", interactive=False, verbosity=0)
    elif adding:
        if not Call.objects.filter(code__startswith="BENCH-").exists():
            raise SystemExit("--add needs a database that already holds bench data.")
    elif Call.objects.filter(code__startswith="BENCH-").exists():
        raise SystemExit("This database already holds bench data: run again with --reset to regenerate it.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="small", help="small (seconds), medium, or full (the targets')")
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--reset", action="store_true", help="empty the database first")
    parser.add_argument(
        "--add",
        nargs="+",
        choices=sorted(ADDABLE),
        help="only add these steps' data to a database generated before they existed",
    )
    args = parser.parse_args(argv)
    scale = get(args.scale)
    environment.setup()
    environment.refuse_sqlite(scale.name)
    prepare(args.reset, adding=bool(args.add))
    started = time.perf_counter()
    print(f"Generating scale '{scale.name}' (seed {args.seed}) into {environment.vendor_version()}:")
    counts = generate(scale, args.seed, only=args.add)
    print(
        f"Done in {time.perf_counter() - started:.0f} s: "
        + ", ".join(f"{k} {v:,}" for k, v in counts.items())
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
