"""Writes for calls, each in one transaction with its audit entry: `call` (launch a draft within
the authority's delegated scope, change it while a draft, move it through its life) and `documents`
(the call's own documents)."""

from amis.calls.services.call import (
    CALL_FIELDS,
    LANGUAGES,
    NO_GUIDE,
    TRANSITIONS,
    assert_in_scope,
    assert_may_manage,
    call_budget_warning,
    call_create,
    call_transition,
    call_update,
    call_values,
    free_in_financing_plan,
    may_manage,
    publication_problem,
)
from amis.calls.services.documents import document_add, document_remove, visible_to_public

__all__ = [
    "CALL_FIELDS",
    "LANGUAGES",
    "NO_GUIDE",
    "TRANSITIONS",
    "assert_in_scope",
    "assert_may_manage",
    "call_budget_warning",
    "call_create",
    "call_transition",
    "call_update",
    "call_values",
    "document_add",
    "document_remove",
    "free_in_financing_plan",
    "may_manage",
    "publication_problem",
    "visible_to_public",
]
