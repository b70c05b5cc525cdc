"""Batch jobs an officer starts and waits for: ranking, the double-funding check, audit verification."""

from __future__ import annotations

from amis.calls.models import Call
from amis.core.audit import verify_chain
from amis.integrity import services as integrity
from amis.selection import services as selection
from bench.scenarios.base import Fixture, Scenario, ScenarioFailed, rolled_back


def _rank(f: Fixture) -> int:
    call = Call.objects.get(code=f.big_call)
    ranking = rolled_back(lambda: selection.rank_and_propose(actor=f.officer_user, call=call))
    return len(ranking.rows)  # type: ignore[attr-defined]


def _double_funding(f: Fixture) -> object:
    call = Call.objects.get(code=f.big_call)
    return rolled_back(lambda: integrity.refresh_double_funding_flags(actor=f.officer_user, call=call))


def _double_funding_twice(f: Fixture) -> object:
    """The check run twice: the second checks every flag the first raised again (issue 16 §3)."""
    call = Call.objects.get(code=f.big_call)

    def twice() -> object:
        first = integrity.check_call(actor=f.officer_user, call=call)
        second = integrity.check_call(actor=f.officer_user, call=call)
        if first["new"] == 0 or second["new"] != 0:
            raise ScenarioFailed(f"The second check should only recheck: {first} then {second}.")
        return second

    return rolled_back(twice)


def _verify(_f: Fixture) -> int:
    report = verify_chain()
    if not report.ok:
        raise ScenarioFailed(f"The audit chain is broken: {report.problem}")
    return report.checked


SCENARIOS = [
    Scenario("rank_big_call", "Rank and propose the big call (rolled back)", _rank),
    Scenario(
        "double_funding_big_call",
        "Double-funding flags of the big call vs other funds (rolled back)",
        _double_funding,
    ),
    Scenario(
        "double_funding_recheck_big_call",
        "The big call checked twice: flags raised, then every standing flag checked again (rolled back)",
        _double_funding_twice,
    ),
    Scenario("audit_verify", "verify_chain over the whole audit trail", _verify),
]
