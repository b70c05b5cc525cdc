"""Evaluations in the demo (issue 17, section 4), through the real services, by the responsible
authority's officer (Marc Dubois): the seed (section 6.3) foresees "the requested evaluations in 2017
and 2024", preferably "in-house, meaning specialized experts inside the administrations but outside
the RA".

- The 2014-2020 programme's plan, approved by the Monitoring Committee in 2016, with the interim
  evaluation due by 31 December 2017 (Reg. (EU) No 514/2014 Art. 57(1)(a)): its questions, its
  report delivered on 15 December 2017 and three recommendations — one closed, one in progress
  (moving the monitoring from the seed's Excel table into one electronic system, due in six months),
  one accepted with a deadline in 2019 and still open, so overdue.
- The 2021-2027 programme's plan, submitted within a year of the programme decision (Reg. (EU)
  2021/1060 Art. 44(6)) and approved, with the mid-term evaluation (due 31 March 2024) in progress
  and the impact evaluation (due 30 June 2029) planned.

Safe to run again: a programme that has its plan is left as it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from amis.accounts.models import User
from amis.evaluation import services
from amis.evaluation.models import EvaluationPlan
from amis.programme.models import Programme

OFFICER = "ra.officer@amis.example"
EVALUATOR = "FPS Home Affairs - Internal Audit and Evaluation Service"
INTERIM_TITLE = "Interim evaluation of the national programme AMIF 2014-2020"
MID_TERM_TITLE = "Mid-term evaluation of the AMIF programme 2021-2027"


def _report_pdf(title: str) -> bytes:
    """A one-page PDF standing for the evaluation report."""
    text = title.replace("(", "[").replace(")", "]")
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


@transaction.atomic
def load_evaluations(log: Callable[[str], None] = print) -> None:
    officer = User.objects.get(email=OFFICER)
    programme = Programme.objects.filter(cci="2014BE65AMNP001").first()
    if programme is not None and not EvaluationPlan.objects.filter(programme=programme).exists():
        _plan_2014(officer, programme)
        log("Evaluation plan of 2014BE65AMNP001: the 2017 interim evaluation with 3 recommendations.")
    programme = Programme.objects.filter(cci="2021BE65AMPR001").first()
    if programme is not None and not EvaluationPlan.objects.filter(programme=programme).exists():
        _plan_2021(officer, programme)
        log("Evaluation plan of 2021BE65AMPR001: the mid-term evaluation in progress.")


def _plan_2014(officer: User, programme: Programme) -> None:
    plan = services.plan_create(
        actor=officer,
        programme=programme,
        title="Evaluation plan AMIF 2014-2020",
        description=(
            "The evaluations Reg. (EU) No 514/2014 Art. 57 asks for, done in-house by specialised "
            "experts inside the administrations but outside the responsible authority; visits and "
            "interviews complement the data of the projects' reports (programme section 6.3)."
        ),
    )
    interim = services.evaluation_create(
        actor=officer,
        plan=plan,
        kind="interim",
        title=INTERIM_TITLE,
        subject="Implementation of the actions of the national programme 2014-2017: progress, "
        "the management and control system, the first results.",
        specific_objectives=["SO1", "SO2", "SO3"],
        evaluator_type="internal",
        evaluator=EVALUATOR,
        planned_start=dt.date(2017, 1, 9),
        planned_end=dt.date(2017, 12, 15),
    )
    for text, criterion in (
        ("To what extent have the actions reached the targets of the common indicators?", "effectiveness"),
        ("Were the results obtained at a reasonable cost, and the procedures proportionate?", "efficiency"),
        ("Do the national objectives still answer the needs of asylum, integration and return?", "relevance"),
        ("Does the programme complement the ESF and the national policies without overlaps?", "coherence"),
        ("What would not have been achieved without the Fund?", "eu_added_value"),
    ):
        services.question_add(actor=officer, evaluation=interim, text=text, criterion=criterion)
    plan = services.plan_status_change(
        actor=officer,
        plan=plan,
        expected_lock_version=plan.lock_version,
        status="submitted",
        on=dt.date(2016, 3, 15),
    )
    services.plan_status_change(
        actor=officer,
        plan=plan,
        expected_lock_version=plan.lock_version,
        status="approved",
        on=dt.date(2016, 4, 20),
        reference="Monitoring Committee meeting of 20 April 2016",
    )
    interim.refresh_from_db()
    interim = services.evaluation_status_change(
        actor=officer,
        evaluation=interim,
        expected_lock_version=interim.lock_version,
        status="in_progress",
        on=dt.date(2017, 1, 9),
    )
    services.report_upload(
        actor=officer, evaluation=interim, name="interim-evaluation-2017.pdf", data=_report_pdf(INTERIM_TITLE)
    )
    interim = services.evaluation_status_change(
        actor=officer,
        evaluation=interim,
        expected_lock_version=interim.lock_version,
        status="delivered",
        on=dt.date(2017, 12, 15),
    )
    today = timezone.localdate()
    closed = services.recommendation_add(
        actor=officer,
        evaluation=interim,
        text="Shorten the time between the close of a call and the signature of the grant agreements.",
        addressed_to="Responsible authority",
        priority="high",
    )
    closed = services.recommendation_respond(
        actor=officer,
        recommendation=closed,
        expected_lock_version=closed.lock_version,
        response="accepted",
        planned_action="A standard grant agreement per call, prepared while the applications are assessed.",
        deadline=dt.date(2018, 9, 30),
    )
    closed = services.recommendation_status_change(
        actor=officer, recommendation=closed, expected_lock_version=closed.lock_version, status="in_progress"
    )
    services.recommendation_status_change(
        actor=officer,
        recommendation=closed,
        expected_lock_version=closed.lock_version,
        status="closed",
        note="Standard agreements used since the 2018 calls: signature within 6 weeks of the decision.",
    )
    ongoing = services.recommendation_add(
        actor=officer,
        evaluation=interim,
        text="Move the monitoring data from the Excel table into one electronic system shared with the "
        "delegated authorities.",
        addressed_to="Responsible authority and delegated authorities",
        priority="medium",
    )
    ongoing = services.recommendation_respond(
        actor=officer,
        recommendation=ongoing,
        expected_lock_version=ongoing.lock_version,
        response="partly",
        reason="The delegated authorities keep their own systems; AMIS receives their data.",
        planned_action="Monitoring, reports and payments in AMIS; the delegated authorities' data imported.",
        deadline=today + dt.timedelta(days=182),
    )
    services.recommendation_status_change(
        actor=officer,
        recommendation=ongoing,
        expected_lock_version=ongoing.lock_version,
        status="in_progress",
    )
    late = services.recommendation_add(
        actor=officer,
        evaluation=interim,
        text="Agree with the partners of the return actions on common result indicators for reintegration.",
        addressed_to="Immigration Office",
        priority="medium",
    )
    services.recommendation_respond(
        actor=officer,
        recommendation=late,
        expected_lock_version=late.lock_version,
        response="accepted",
        planned_action="A working group with the partner Member States of the reintegration actions.",
        deadline=dt.date(2019, 6, 30),
    )


def _plan_2021(officer: User, programme: Programme) -> None:
    plan = services.plan_create(
        actor=officer,
        programme=programme,
        title="Evaluation plan AMIF 2021-2027",
        description="Reg. (EU) 2021/1060 Art. 44: the mid-term evaluation by 31 March 2024 and the "
        "impact evaluation by 30 June 2029, against effectiveness, efficiency, relevance, coherence "
        "and EU added value; every evaluation published.",
    )
    mid_term = services.evaluation_create(
        actor=officer,
        plan=plan,
        kind="mid_term",
        title=MID_TERM_TITLE,
        subject="The first years of the programme: calls, selection, first results per specific objective.",
        specific_objectives=["SO1", "SO2", "SO3", "SO4"],
        evaluator_type="internal",
        evaluator=EVALUATOR,
        planned_start=dt.date(2023, 6, 1),
        planned_end=dt.date(2024, 3, 15),
    )
    for text, criterion in (
        ("How far have the calls of 2022-2023 advanced the specific objectives?", "effectiveness"),
        ("Are the simplified cost options lowering the administrative burden?", "efficiency"),
    ):
        services.question_add(actor=officer, evaluation=mid_term, text=text, criterion=criterion)
    services.evaluation_create(
        actor=officer,
        plan=plan,
        kind="impact",
        title="Impact evaluation of the AMIF programme 2021-2027",
        specific_objectives=["SO2"],
        evaluator_type="external",
        evaluator="to be selected by public procurement",
        planned_start=dt.date(2028, 9, 1),
        planned_end=dt.date(2029, 5, 31),
    )
    plan = services.plan_status_change(
        actor=officer,
        plan=plan,
        expected_lock_version=plan.lock_version,
        status="submitted",
        on=dt.date(2023, 9, 20),
    )
    services.plan_status_change(
        actor=officer,
        plan=plan,
        expected_lock_version=plan.lock_version,
        status="approved",
        on=dt.date(2023, 10, 17),
        reference="Monitoring Committee meeting of 17 October 2023",
    )
    mid_term.refresh_from_db()
    services.evaluation_status_change(
        actor=officer,
        evaluation=mid_term,
        expected_lock_version=mid_term.lock_version,
        status="in_progress",
        on=dt.date(2023, 6, 12),
    )
