"""What changed between two versions, and whether the change needs a new Commission decision.

SFC2014 rule 2.15: for versions above 1 a new Commission decision is needed when fields belonging to
the decision change. Those are all fields except the authorities and the management and control
system text; in the financing plan, amounts may move within a specific objective without a new
decision as long as the total of that specific objective stays the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from amis.programme.rules.financing import plan_from_document

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
# Parts of the document that describe the version itself or are derived, not programme content.
NOT_CONTENT = {"format", "version", "control_totals"}
OUTSIDE_DECISION = ("authorities", "management_and_control_system")


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


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    before = flatten(_content(old))
    after = flatten(_content(new))
    old_plan, new_plan = plan_from_document(old), plan_from_document(new)
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
                    "Authorities and the management and control system are "
                    "not part of the Commission decision.",
                )
            )
            continue
        so_code = _so_of_amount_path(path)
        if so_code is not None:
            old_so, new_so = old_plan.objective(so_code), new_plan.objective(so_code)
            if old_so is not None and new_so is not None and old_so.total == new_so.total:
                changes.append(
                    Change(path, a, b, False, f"Amount moved within {so_code}; its total is unchanged.")
                )
            else:
                changes.append(Change(path, a, b, True, f"The total of {so_code} changes."))
            continue
        changes.append(Change(path, a, b, True, "Field belongs to the Commission decision."))
    return changes


def needs_new_decision(changes: list[Change]) -> bool:
    return any(change.needs_decision for change in changes)
