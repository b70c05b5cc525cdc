"""The programme dashboard (issue 17 §1) at full scale: 20,000 projects, 2,000,000 expenditure lines.
The page must answer in under 300 ms and take no more than twice as long as one hand-written SQL
aggregate of the same figures over the same data (`dashboard_sql_reference`, measured beside it).
The page reads the stored summary (`amis.dashboard.services`); `dashboard_refresh` measures what
computing it again costs the worker after a change (it must be a small part of the minute in which a
change has to show)."""

from __future__ import annotations

from django.db import connection, models

from amis.calls.models import Call
from amis.demo.programme import BELGIAN_CCI
from amis.payments.models import Payment, Recovery
from amis.programme.models import Programme
from amis.projects.models import Project
from amis.reporting.models import Report, ReportSubmission
from amis.verification.models import Verification
from bench.scenarios.base import Fixture, Scenario, ScenarioFailed, ok


def _page(f: Fixture) -> int:
    return ok(f.reader.get(f"/dashboard/{BELGIAN_CCI}/"), "programme dashboard")


def _api(f: Fixture) -> int:
    return ok(f.reader.get(f"/api/v1/dashboard/{BELGIAN_CCI}"), "dashboard API")


def _t(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def reference_sql() -> str:
    """Per specific objective: grants, declared (each report's latest round), verified and its EU
    share, paid and recovered — the dashboard's figures, written by hand in one statement."""
    application = "applications_application"
    return f"""
    SELECT c.specific_objective, SUM(x.grants), SUM(x.declared), SUM(x.verified), SUM(x.eu_verified),
           SUM(x.paid), SUM(x.recovered)
    FROM (
      SELECT a.call_id, p.eu_contribution AS grants, 0 AS declared, 0 AS verified, 0 AS eu_verified,
             0 AS paid, 0 AS recovered
        FROM {_t(Project)} p JOIN {application} a ON a.id = p.application_id
      UNION ALL
      SELECT a.call_id, 0, s.declared, 0, 0, 0, 0
        FROM {_t(ReportSubmission)} s JOIN {_t(Report)} r ON r.id = s.report_id
        JOIN {_t(Project)} p ON p.id = r.project_id JOIN {application} a ON a.id = p.application_id
       WHERE NOT EXISTS (SELECT 1 FROM {_t(ReportSubmission)} l WHERE l.report_id = s.report_id
                          AND l.round > s.round)
      UNION ALL
      SELECT a.call_id, 0, 0, v.verified, v.eu_share, 0, 0
        FROM {_t(Verification)} v JOIN {_t(Report)} r ON r.id = v.report_id
        JOIN {_t(Project)} p ON p.id = r.project_id JOIN {application} a ON a.id = p.application_id
       WHERE v.status = 'completed'
      UNION ALL
      SELECT a.call_id, 0, 0, 0, 0, pay.amount + pay."offset", 0
        FROM {_t(Payment)} pay JOIN {_t(Project)} p ON p.id = pay.project_id
        JOIN {application} a ON a.id = p.application_id
       WHERE pay.status = 'paid'
      UNION ALL
      SELECT a.call_id, 0, 0, 0, 0, 0, rec.received + rec."offset"
        FROM {_t(Recovery)} rec JOIN {_t(Project)} p ON p.id = rec.project_id
        JOIN {application} a ON a.id = p.application_id
    ) x JOIN {_t(Call)} c ON c.id = x.call_id
    WHERE c.programme_id = %s AND c.status <> 'draft'
    GROUP BY c.specific_objective ORDER BY c.specific_objective
    """


def _refresh(_f: Fixture) -> int:
    """What `amis worker` does when the sources changed: the programme's summary computed again."""
    from amis.dashboard import services

    programme = Programme.objects.get(cci=BELGIAN_CCI)
    return int(services.refresh(programme.pk).took_ms)


def _sql(_f: Fixture) -> int:
    programme = Programme.objects.get(cci=BELGIAN_CCI)
    with connection.cursor() as cursor:
        cursor.execute(reference_sql(), [programme.pk])
        rows = cursor.fetchall()
    if not rows:
        raise ScenarioFailed("The reference aggregate found no money: generate the data first.")
    return len(rows)


SCENARIOS = [
    Scenario("dashboard_programme", "Programme dashboard page, whole programme (auditor)", _page),
    Scenario("dashboard_api", "Programme dashboard in the API (auditor)", _api),
    Scenario("dashboard_refresh", "The worker computes the programme's summary after a change", _refresh),
    Scenario("dashboard_sql_reference", "The same figures by one hand-written SQL aggregate", _sql),
]
