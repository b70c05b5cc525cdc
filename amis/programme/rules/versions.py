"""What changed between two versions, and whether the change needs a new Commission decision.

SFC2014 rule 2.15: for versions above 1 a new Commission decision is needed when fields belonging to
the decision change. Those are all fields except the authorities and the management and control
system text. In the financing plan:

- 2014-2020: amounts may move between the national objectives of one specific objective without a
  new decision as long as their total stays the same. Specific actions are a separate allocation
  (Regulation (EU) No 514/2014, Art. 14(9); Regulation (EU) No 516/2014, Art. 16 and Annex II), so
  changing a specific action's amount, or moving money between it and a national objective, needs one.
- 2021-2027: amounts may move within a specific objective (the financing table fixes the allocation
  per specific objective, Regulation (EU) 2021/1060, Art. 22(3)(g)); and under Art. 24(5) the Member
  State may transfer up to 5 % of the initial allocation of a priority, and no more than 4 % of the
  programme budget, to another priority of the same fund without a Commission decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from amis.core.messages import gettext as _
from amis.programme.rules.annex_v import AnnexVTables, tables_from_document
from amis.programme.rules.financing import FinancingPlan, plan_from_document

# Lists whose items have a natural key, so that a diff says "NO2 changed", not "item 1 changed".
LIST_KEYS = {
    "specific_objectives": "code",
    "national_objectives": "code",
    "specific_actions": "code",
    "actions": "number",
    "indicators": "code",
    "types": "code",
    "annual_commitments": "code",
    "beneficiary_types": "code",
}
# Format 2 lists keyed by two fields: an allocation line by SO and type of action, a type of intervention
# by dimension and code.
PAIR_KEYS = {
    "allocations": ("specific_objective", "type_of_action"),
    "interventions": ("dimension", "code"),
}
# Allocation lines financed from the thematic facility are awarded by the Commission: a change is a decision.
THEMATIC_TYPES = ("specific_actions", "emergency_assistance", "resettlement_admission_transfers")
# Parts of the document that describe the version itself or are derived, not programme content.
NOT_CONTENT = {"format", "version", "control_totals"}
OUTSIDE_DECISION = ("authorities", "management_and_control_system")
SEPARATE_ALLOCATION = (
    "Regulation (EU) No 514/2014, Art. 14(9); Regulation (EU) No 516/2014, Art. 16 and Annex II"
)
TRANSFER_REFERENCE = "Regulation (EU) 2021/1060, Art. 24(5)"
PRIORITY_SHARE = Decimal("0.05")  # of the priority's initial allocation
PROGRAMME_SHARE = Decimal("0.04")  # of the programme budget


@dataclass(frozen=True)
class Change:
    path: str
    before: Any
    after: Any
    needs_decision: bool
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "before": self.before,
            "after": self.after,
            "needs_decision": self.needs_decision,
            "reason": self.reason,
        }


def flatten(value: Any, path: str = "", parent_key: str = "") -> dict[str, Any]:
    """Turn a document into {path: leaf value}; keyed lists use their keys in the path."""
    out: dict[str, Any] = {}
    if isinstance(value, dict):
        if not value and path:
            out[path] = {}
        for key, child in value.items():
            out.update(flatten(child, f"{path}.{key}" if path else str(key), str(key)))
    elif isinstance(value, list) and parent_key in PAIR_KEYS:
        first, second = PAIR_KEYS[parent_key]
        for index, item in enumerate(value):
            key = f"{item.get(first)}.{item.get(second)}" if isinstance(item, dict) else index
            out.update(flatten(item, f"{path}[{key}]", ""))
    elif isinstance(value, list) and parent_key in LIST_KEYS:
        key_name = LIST_KEYS[parent_key]
        for index, item in enumerate(value):
            key = item.get(key_name, index) if isinstance(item, dict) else index
            out.update(flatten(item, f"{path}[{key}]", ""))
    elif isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        for index, item in enumerate(value):
            out.update(flatten(item, f"{path}[{index}]", ""))
    else:
        out[path] = value
    return out


def _content(doc: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in doc.items() if key not in NOT_CONTENT}


def _so_of_amount_path(path: str) -> str | None:
    """'specific_objectives[SO1].national_objectives[NO2].amount' -> 'SO1'."""
    if not path.startswith("specific_objectives[") or not path.endswith(".amount"):
        return None
    parts = path.split(".")
    if len(parts) != 3 or not parts[1].startswith(("national_objectives[", "specific_actions[")):
        return None
    return parts[0][len("specific_objectives[") : -1]


def _line_kind(path: str) -> str:
    return "specific_actions" if ".specific_actions[" in path else "national_objectives"


def transfer_within_flexibility(initial: FinancingPlan, old: FinancingPlan, new: FinancingPlan) -> str | None:
    """Why the moves between specific objectives (the priorities) from `old` to `new` need no
    Commission decision under Art. 24(5), or None when they exceed it. The limits hold over the
    programming period, so what each priority has lost is counted from the `initial` version."""

    def totals(plan: FinancingPlan) -> dict[str, Decimal]:
        return {so.code: so.total for so in plan.specific_objectives}

    return _within_flexibility(totals(initial), initial.total, totals(new), old.total, new.total)


def _priority_totals(tables: AnnexVTables) -> dict[str, Decimal]:
    return {code: tables.objective_eu(code) for code in tables.objectives}


def _within_flexibility(
    initial: dict[str, Decimal],
    initial_total: Decimal,
    new: dict[str, Decimal],
    old_total: Decimal,
    new_total: Decimal,
) -> str | None:
    if new_total != old_total:
        return None
    decreases: dict[str, Decimal] = {}
    for code, first in initial.items():
        change = new.get(code, Decimal("0.00")) - first
        if change < 0:
            decreases[code] = -change
    moved = sum(decreases.values(), Decimal("0.00"))
    if moved == 0 or moved > PROGRAMME_SHARE * initial_total:
        return None
    for code, amount in decreases.items():
        if amount > PRIORITY_SHARE * initial[code]:
            return None
    return _(
        "Transfer between specific objectives of the same fund within %(reference)s: at most 5 %% of a "
        "priority's initial allocation and 4 %% of the programme budget; no Commission decision."
    ) % {"reference": TRANSFER_REFERENCE}


def _allocation_change(
    path: str, a: Any, b: Any, old: AnnexVTables, new: AnnexVTables, transfer: str | None
) -> Change | None:
    """A change of a format-2 allocation line (`allocations[SO1.regular].eu_contribution`), or None when
    the path is no allocation amount."""
    if not path.startswith("allocations["):
        return None
    key, _sep, field = path[len("allocations[") :].partition("].")
    so_code, _sep, type_of_action = key.partition(".")
    if field in ("total", "co_financing_rate"):
        return Change(path, a, b, False, _("Derived from the contributions of the line (see their changes)."))
    if field != "eu_contribution":
        return Change(path, a, b, True, _decision_field())
    if type_of_action in THEMATIC_TYPES:
        return Change(
            path,
            a,
            b,
            True,
            _("%(objective)s: an allocation of the thematic facility is awarded by the Commission.")
            % {"objective": so_code},
        )
    if old.objective_eu(so_code) == new.objective_eu(so_code):
        return Change(path, a, b, False, _moved_within(so_code))
    if transfer is not None:
        return Change(path, a, b, False, transfer)
    return Change(path, a, b, True, _total_changes(so_code))


def _moved_within(so_code: str) -> str:
    return _("Amount moved within %(objective)s; its total is unchanged.") % {"objective": so_code}


def _total_changes(so_code: str) -> str:
    return _("The total of %(objective)s changes.") % {"objective": so_code}


def _decision_field() -> str:
    return _("Field belongs to the Commission decision.")


def diff(old: dict[str, Any], new: dict[str, Any], initial: dict[str, Any] | None = None) -> list[Change]:
    """Changes from `old` to `new`. `initial` is the first adopted version (2021-2027 transfer limits
    are shares of its allocations); without it, `old` stands in for it."""
    before = flatten(_content(old))
    after = flatten(_content(new))
    old_plan, new_plan = plan_from_document(old), plan_from_document(new)
    initial_plan = plan_from_document(initial) if initial is not None else old_plan
    period = (new.get("programme") or {}).get("period", "")
    transfer = None
    if period == "2021-2027":
        transfer = transfer_within_flexibility(initial_plan, old_plan, new_plan)
    old_tables, new_tables = tables_from_document(old), tables_from_document(new)
    tables_transfer = None
    if new_tables.allocations:  # format 2: the priorities' EU contributions are the allocation lines'
        first = tables_from_document(initial) if initial is not None else old_tables
        tables_transfer = _within_flexibility(
            _priority_totals(first),
            first.eu_total,
            _priority_totals(new_tables),
            old_tables.eu_total,
            new_tables.eu_total,
        )
    changes = []
    for path in sorted(set(before) | set(after)):
        a, b = before.get(path), after.get(path)
        if a == b:
            continue
        if path.startswith(OUTSIDE_DECISION):
            changes.append(
                Change(
                    path,
                    a,
                    b,
                    False,
                    _(
                        "Authorities and the management and control system are not part of the "
                        "Commission decision."
                    ),
                )
            )
            continue
        allocation = _allocation_change(path, a, b, old_tables, new_tables, tables_transfer)
        if allocation is not None:
            changes.append(allocation)
            continue
        so_code = _so_of_amount_path(path)
        if so_code is not None:
            old_so, new_so = old_plan.objective(so_code), new_plan.objective(so_code)
            if period == "2014-2020" and _line_kind(path) == "specific_actions":
                changes.append(
                    Change(
                        path,
                        a,
                        b,
                        True,
                        _("A specific action of %(objective)s is a separate allocation (%(reference)s).")
                        % {"objective": so_code, "reference": SEPARATE_ALLOCATION},
                    )
                )
            elif period == "2014-2020":
                unchanged = (
                    old_so is not None
                    and new_so is not None
                    and old_so.national_total == new_so.national_total
                )
                changes.append(
                    Change(
                        path,
                        a,
                        b,
                        True,
                        _("The national objectives of %(objective)s change in total.")
                        % {"objective": so_code},
                    )
                    if not unchanged
                    else Change(
                        path,
                        a,
                        b,
                        False,
                        _(
                            "Amount moved between national objectives of %(objective)s; their total "
                            "is unchanged."
                        )
                        % {"objective": so_code},
                    )
                )
            elif old_so is not None and new_so is not None and old_so.total == new_so.total:
                changes.append(Change(path, a, b, False, _moved_within(so_code)))
            elif transfer is not None:
                changes.append(Change(path, a, b, False, transfer))
            else:
                changes.append(Change(path, a, b, True, _total_changes(so_code)))
            continue
        changes.append(Change(path, a, b, True, _decision_field()))
    return changes


def needs_new_decision(changes: list[Change]) -> bool:
    return any(change.needs_decision for change in changes)
