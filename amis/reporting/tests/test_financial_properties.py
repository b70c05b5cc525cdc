"""Properties of the financial picture on the database (hypothesis, few examples): with a signed
agreement and a signed amendment, transfers under the version in force and lines in reports of any
status, the picture takes its budget from the version in force only, counts every declared line
once, and reconciles to the cent; `amis projects list` shows the same totals."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from amis.core.money import ZERO
from amis.projects import rules as project_rules
from amis.projects import services
from amis.projects.models import AgreementVersion, BudgetTransfer, Project
from amis.projects.selectors import version_budget, version_in_force
from amis.projects.tests.builders import (
    CARITAS,
    DA,
    PDF,
    RA_OFFICER,
    selected_project,
    signed_agreement,
    user,
)
from amis.reporting.management.commands.projects import project_rows
from amis.reporting.models import ExpenditureLine, Report
from amis.reporting.selectors import DECLARED_STATUSES, declared_by_category, financial_picture

CATEGORIES = ("staff", "travel", "other")
STATUSES = [s.value for s in Report.Status]


def _amended(project: Project) -> tuple[AgreementVersion, AgreementVersion]:
    """Version 1 signed, then an amendment moving EUR 5,000 from staff to travel, prepared by the DA
    officer, issued by the RA officer and signed by both sides with the scan."""
    v1 = signed_agreement(project)
    draft = services.amendment_prepare(actor=user(DA), project=project, reason="More visits to employers.")
    budget = [dict(b) for b in draft.terms["budget"]]
    moved = False
    for line in budget:
        if not moved and line["category"] == "staff":
            line["amount"] = str(Decimal(line["amount"]) - Decimal("5000.00"))
            moved = True
    next(b for b in budget if b["category"] == "travel")["amount"] = str(
        Decimal(next(b for b in budget if b["category"] == "travel")["amount"]) + Decimal("5000.00")
    )
    draft = services.version_update_terms(
        actor=user(DA), version=draft, expected_lock_version=draft.lock_version, changes={"budget": budget}
    )
    issued = services.version_issue(
        actor=user(RA_OFFICER), version=draft, expected_lock_version=draft.lock_version
    )
    today = timezone.localdate()
    half = services.version_sign(
        actor=user(RA_OFFICER),
        version=issued,
        expected_lock_version=issued.lock_version,
        side="authority",
        signatory="Marc Dubois",
        signed_on=today,
    )
    v2 = services.version_sign(
        actor=user(CARITAS),
        version=half,
        expected_lock_version=half.lock_version,
        side="beneficiary",
        signatory="Fatima El Amrani",
        signed_on=today,
        scan=("amendment-signed.pdf", PDF),
    )
    return v1, v2


line_amounts = st.decimals(min_value=Decimal("-900.00"), max_value=Decimal("25000.00"), places=2).filter(
    lambda d: d != 0
)
lines_strategy = st.lists(
    st.tuples(st.sampled_from([1, 2]), st.sampled_from([*CATEGORIES, "equipment"]), line_amounts),
    max_size=40,
)


def test_the_picture_uses_the_version_in_force_and_counts_each_line_once(belgian: object, db: Any) -> None:
    project = selected_project(code="FL-PROP")
    v1, v2 = _amended(project)
    assert version_in_force(project) == v2
    v1_budget, v2_budget = version_budget(v1), version_budget(v2)
    assert v2_budget["travel"] == v1_budget["travel"] + Decimal("5000.00")
    reports = {r.number: r for r in Report.objects.filter(project=project)}
    # report 1 was submitted under version 1, report 2 reads version 2: lines bound to either version
    Report.objects.filter(pk=reports[1].pk).update(agreement_version=v1)
    Report.objects.filter(pk=reports[2].pk).update(agreement_version=v2)
    officer = user(DA)

    @settings(max_examples=10, deadline=None)
    @given(
        lines=lines_strategy,
        statuses=st.tuples(st.sampled_from(STATUSES), st.sampled_from(STATUSES)),
        transfer=st.decimals(min_value=Decimal("0.00"), max_value=Decimal("3000.00"), places=2),
    )
    def check(lines: list[tuple[int, str, Decimal]], statuses: tuple[str, str], transfer: Decimal) -> None:
        with transaction.atomic():
            Report.objects.filter(pk=reports[1].pk).update(status=statuses[0])
            Report.objects.filter(pk=reports[2].pk).update(status=statuses[1])
            if transfer:
                BudgetTransfer.objects.create(
                    version=v2,
                    from_category="staff",
                    to_category="other",
                    amount=transfer,
                    reason="Within the tolerance.",
                    made_by=officer,
                )
            expected: dict[str, Decimal] = {}
            for position, (number, category, amount) in enumerate(lines, start=1):
                ExpenditureLine.objects.create(
                    report=reports[number],
                    position=position,
                    category=category,
                    supplier_name="Drukkerij Van Damme bv",
                    invoice_number=f"DVD-{position}",
                    invoice_date=project.start_date,
                    amount_declared=amount,
                    credit_note_for="DVD-0" if amount < 0 else "",
                )
                if (statuses[0] if number == 1 else statuses[1]) in DECLARED_STATUSES:
                    expected[category] = expected.get(category, ZERO) + amount

            picture = financial_picture(Project.objects.get(pk=project.pk))
            budget = version_budget(v2)
            # the budget: of the version in force only, after its transfers; the total unchanged
            assert {r.category: r.budget for r in picture.rows if r.category in budget} == budget
            assert picture.totals["budget"] == sum(budget.values(), ZERO) == sum(v2_budget.values(), ZERO)
            # declared: each line of a submitted or accepted report, once
            assert declared_by_category(project) == {c: v for c, v in expected.items()}
            for row in picture.rows:
                assert row.declared == expected.get(row.category, ZERO)
                assert row.remaining == row.budget - row.verified + row.corrected
            assert picture.totals["declared"] == sum(expected.values(), ZERO)
            for column in project_rules.COLUMNS:
                assert picture.totals[column] == sum((getattr(r, column) for r in picture.rows), ZERO)
            assert picture.totals["remaining"] == picture.totals["budget"]  # nothing verified here
            # `amis projects list` agrees
            (listed,) = project_rows(Project.objects.filter(pk=project.pk))
            assert Decimal(listed["budget"]) == picture.totals["budget"]
            assert Decimal(listed["declared"]) == picture.totals["declared"]
            assert listed["agreement"]["version"] == 2
            transaction.set_rollback(True)

    check()
