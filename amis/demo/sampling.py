"""The audits of operations in the demo (issue 19), through the real services, by the Inspectorate of
Finance's auditor (Nathalie Leroy): the population of the 2021-2027 programme's last closed accounting
year — the year of `amis.demo.audit`'s system audits, whose expenditure `amis.demo.declarations`
declared to the Commission in its final payment application, from the projects of
`amis.demo.history` —, by payment claim (some sixty claims of the local integration projects and the
few large ones of the reception projects); a monetary unit sample (standard approach) drawn from a
recorded seed, its confidence level from the system audits' category (2 → 70 %): the large claims in
the 100 % stratum, thirty claims of the rest drawn by systematic PPS; every sampled claim audited,
one of the drawn ones with a systemic error (5 % of its declared expenditure:
staff costs charged without time sheets, the auditee's reply recorded), the others without error; and
the projection stored with its working, so that the draft annual control report shows the projected,
total and residual error rates against the 2 % materiality.

Loaded after `load_history`, `load_declarations` and `load_audit`; safe to run again: a population of
the year, once built, is left as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from amis.accounts.models import User
from amis.audit import selectors as audit_selectors
from amis.demo.audit import audit_year
from amis.demo.programme import BELGIAN_2021_CCI
from amis.programme.models import Programme
from amis.sampling import services
from amis.sampling.models import AuditPopulation, Sample

AUDITOR = "auditor@amis.example"
SEED = 190019  # recorded with the sample: the same seed and population give the same list
SIGMA = Decimal("0.10")  # anticipated standard deviation of the error rates (σr), from the plan
SYSTEMIC_SHARE = Decimal("0.05")
CENT = Decimal("0.01")


def load_sampling(log: Callable[[str], None] = print) -> None:
    programme = Programme.objects.select_related("period").filter(cci=BELGIAN_2021_CCI).first()
    if programme is None:
        return
    year = audit_year(programme, timezone.localdate())
    if AuditPopulation.objects.filter(programme=programme, year=year).exists():
        return
    if not services.declared_items(programme, year).exists():
        log(f"Audits of operations {programme.cci} {year}: no expenditure declared yet, no sample.")
        return
    if audit_selectors.system_assurance(programme, year).category is None:
        log(f"Audits of operations {programme.cci} {year}: no system audit completed yet, no sample.")
        return
    auditor = User.objects.get(email=AUDITOR)
    with transaction.atomic():
        population = services.population_build(
            actor=auditor, programme=programme, year=year, unit_kind=AuditPopulation.UnitKind.CLAIM
        )
        sample = services.sample_draw(
            actor=auditor,
            population=population,
            method=Sample.Method.MUS_STANDARD,
            sigma=SIGMA,
            anticipated_error=Decimal(0),
            seed=SEED,
        )
        items = list(sample.items.select_related("unit").order_by("position"))
        # the systemic error in the sampled part when there is one, else in the first unit
        flawed = next((i for i in items if i.stratum == "sample"), items[0])
        for item in items:
            if item.pk == flawed.pk:
                error = (item.book_value * SYSTEMIC_SHARE).quantize(CENT, rounding=ROUND_HALF_UP)
                services.item_record(
                    actor=auditor,
                    item=item,
                    expected_lock_version=item.lock_version,
                    audited_value=item.book_value - error,
                    irregular=error,
                    error_kind="systemic",
                    auditee_reply="De tijdsregistratie wordt voortaan maandelijks afgetekend (time sheets "
                    "are signed every month from now on).",
                    notes="Staff costs charged without signed time sheets; the same checklist is used for "
                    "every operation of the call, so the error is systemic.",
                )
            else:
                services.item_record(
                    actor=auditor,
                    item=item,
                    expected_lock_version=item.lock_version,
                    audited_value=item.book_value,
                    irregular=Decimal(0),
                )
        sample.refresh_from_db()
        sample = services.sample_project(
            actor=auditor, sample=sample, expected_lock_version=sample.lock_version
        )
    figures = sample.projection["figures"]
    log(
        f"Audits of operations {programme.cci} {year}: population of {population.units} payment claims "
        f"({population.book_value}), MUS sample of {sample.size} at {sample.confidence} % (seed {SEED}: "
        f"{sample.size - sample.sampled_size} high-value, {sample.sampled_size} drawn), "
        f"one systemic error, total error rate {figures['total_rate']}."
    )
