"""How services lock the rows they change (the rules are in docs/architecture.md, "Locking")."""

from __future__ import annotations

from typing import Any


def lock_for_update(queryset: Any) -> Any:
    """Lock only the rows of the queryset's own table, as FOR NO KEY UPDATE: other transactions may
    still insert rows that refer to them (their foreign-key checks take KEY SHARE, which this does
    not block). Use `select_for_update(of=("self",))` instead when the service deletes the row."""
    return queryset.select_for_update(of=("self",), no_key=True)
