"""The key requirements of the management and control systems, per programming period: the reference
data a system audit assesses each body against (plain data, no Django).

Sources (cited per requirement in `source`), the labels being the texts' own wording (English versions):

- 2021-2027: Regulation (EU) 2021/1060 (CPR), Annex XI, Table 1 ("Key requirements of management
  and control systems and their classification"; column "Bodies/authorities concerned") and Table 2 (the
  four categories). Verified against the consolidated text (legalize-dev/legalize-eu, eu/32021R1060.md,
  markdown of http://data.europa.eu/eli/reg/2021/1060/oj); see docs/audit-authority.md "Sources, and
  what was checked".
- 2014-2020: Commission Delegated Regulation (EU) No 480/2014, Annex IV, Table 1 (key requirements 1 to
  18; Art. 30(1) bases the assessment on them) and Table 2 (categories). Verified against
  eu/32014R0480.md of the same repository (http://data.europa.eu/eli/reg_del/2014/480/oj). The
  Commission's EGESIF_14-0010-final guidance (18.12.2014) builds on that Annex; it was not read. For
  AMIF/ISF (Reg. (EU) No 514/2014) the responsible authority carries the managing functions and the
  certifying-type functions (KR9-KR13); delegated authorities carry the delegated part of the managing
  functions.

Functions: each requirement's "Bodies/authorities concerned". In 2021-2027 KR9 ("confirming that the
expenditure entered into the accounts is legal and regular") is the managing authority's, and KR10
("payment applications and accounts") the managing authority's or the body carrying out the accounting
function — AMIS files KR10 under the accounting function, so that a body carrying only that function is
audited against it and a managing authority that also keeps the accounts is given both functions.
"""

from __future__ import annotations

from dataclasses import dataclass

# the functions a body carries; a body's kind says which key requirements apply to it
MANAGEMENT = "management"
ACCOUNTING = "accounting"
AUDIT = "audit"


@dataclass(frozen=True)
class KeyRequirement:
    code: str  # "KR1" ...
    label: str  # English, the text's wording (see the module's note)
    function: str  # MANAGEMENT, ACCOUNTING or AUDIT
    source: str
    paraphrased: bool = True  # False once the label is checked word for word against its source


CPR = "Regulation (EU) 2021/1060, Annex XI, Table 1"
DELEGATED_2014 = "Delegated Regulation (EU) No 480/2014, Annex IV, Table 1"
# the period's source, for the docs and the pages
SOURCES = {"2021-2027": CPR, "2014-2020": DELEGATED_2014}

# Regulation (EU) 2021/1060 Annex XI Table 1, word for word
_2021 = [
    ("KR1", "Appropriate separation of functions and written arrangements for reporting, supervising and "
     "monitoring of delegated tasks to an intermediate body", MANAGEMENT),
    ("KR2", "Appropriate criteria and procedures for the selection of operations", MANAGEMENT),
    ("KR3", "Appropriate information to beneficiaries on applicable conditions for support for the selected "
     "operations", MANAGEMENT),
    ("KR4", "Appropriate management verifications, including appropriate procedures for checking fulfilment "
     "of conditions for financing not linked to costs and for simplified cost options", MANAGEMENT),
    ("KR5", "Effective system to ensure that all documents necessary for the audit trail are held",
     MANAGEMENT),
    ("KR6", "Reliable electronic system (including links with electronic data exchange systems with "
     "beneficiaries) for recording and storing data for monitoring, evaluation, financial management, "
     "verifications and audits, including appropriate processes to ensure the security, integrity and "
     "confidentiality of the data and the authentication of users", MANAGEMENT),
    ("KR7", "Effective implementation of proportionate anti-fraud measures", MANAGEMENT),
    ("KR8", "Appropriate procedures for drawing up the management declaration", MANAGEMENT),
    ("KR9", "Appropriate procedures for confirming that the expenditure entered into the accounts is legal "
     "and regular", MANAGEMENT),
    ("KR10", "Appropriate procedures for drawing up and submission of payment applications and of accounts "
     "and confirming completeness, accuracy and veracity of the accounts", ACCOUNTING),
    ("KR11", "Appropriate separation of functions and functional independence between the audit authority "
     "(and any body carrying out audit work under the responsibility of the audit authority on which the "
     "audit authority relies and supervises, if applicable) and the other programme authorities and audit "
     "work carried out in accordance with internationally accepted audit standards", AUDIT),
    ("KR12", "Appropriate system audits", AUDIT),
    ("KR13", "Appropriate audits of operations", AUDIT),
    ("KR14", "Appropriate audits of accounts", AUDIT),
    ("KR15", "Appropriate procedures for providing a reliable audit opinion and for preparing the annual "
     "control report", AUDIT),
]  # fmt: skip

# Delegated Regulation (EU) No 480/2014 Annex IV Table 1, word for word (final full stops dropped)
_2014 = [
    ("KR1", "Adequate separation of functions and adequate systems for reporting and monitoring in cases "
     "where the responsible authority entrusts execution of tasks to another body", MANAGEMENT),
    ("KR2", "Appropriate selection of operations", MANAGEMENT),
    ("KR3", "Adequate information to beneficiaries on applicable conditions for the selected operations",
     MANAGEMENT),
    ("KR4", "Adequate management verifications", MANAGEMENT),
    ("KR5", "Effective system in place to ensure that all documents regarding expenditure and audits are "
     "held to ensure an adequate audit trail", MANAGEMENT),
    ("KR6", "Reliable system for collecting, recording and storing data for monitoring, evaluation, "
     "financial management, verification and audit purposes, including links with electronic data "
     "exchange systems with beneficiaries", MANAGEMENT),
    ("KR7", "Effective implementation of proportionate anti-fraud measures", MANAGEMENT),
    ("KR8", "Appropriate procedures for drawing up the management declaration and annual summary of final "
     "audit reports and of controls carried out", MANAGEMENT),
    ("KR9", "Adequate separation of functions and adequate systems for reporting and monitoring in cases "
     "where the responsible authority entrusts execution of tasks to another body", ACCOUNTING),
    ("KR10", "Appropriate procedures for drawing up and submitting payment applications", ACCOUNTING),
    ("KR11", "Appropriate computerised records of expenditure declared and of the corresponding public "
     "contribution are maintained", ACCOUNTING),
    ("KR12", "Appropriate and complete account of amounts recoverable, recovered and withdrawn", ACCOUNTING),
    ("KR13", "Appropriate procedures for drawing up and certifying the completeness, accuracy and veracity "
     "of the annual accounts", ACCOUNTING),
    ("KR14", "Adequate separation of functions and adequate systems for ensuring that any other body that "
     "carries out audits in accordance with the programme audit strategy has the necessary functional "
     "independence and takes account of internationally accepted audit standards", AUDIT),
    ("KR15", "Adequate systems audits", AUDIT),
    ("KR16", "Adequate audits of operations", AUDIT),
    ("KR17", "Adequate audits of accounts", AUDIT),
    ("KR18", "Adequate procedures for providing a reliable audit opinion and for preparing the annual "
     "control report", AUDIT),
]  # fmt: skip

KEY_REQUIREMENTS: dict[str, list[KeyRequirement]] = {
    "2021-2027": [KeyRequirement(c, label, f, f"{CPR}, {c}", paraphrased=False) for c, label, f in _2021],
    "2014-2020": [
        KeyRequirement(c, label, f, f"{DELEGATED_2014}, {c}", paraphrased=False) for c, label, f in _2014
    ],
}

# Regulation (EU) 2021/1060 Annex XI Table 2, word for word
CATEGORIES: dict[int, str] = {
    1: "Works well. No or only minor improvement needed.",
    2: "Works. Some improvement needed.",
    3: "Works partially. Substantial improvement needed.",
    4: "Essentially does not work.",
}
# Delegated Regulation (EU) No 480/2014 Annex IV Table 2, word for word
CATEGORIES_2014: dict[int, str] = {
    1: "Works well. No, or only minor improvement(s) needed.",
    2: "Works. Some improvement(s) needed.",
    3: "Works partially. Substantial improvements needed.",
    4: "Essentially does not work.",
}
CATEGORIES_BY_PERIOD: dict[str, dict[int, str]] = {"2021-2027": CATEGORIES, "2014-2020": CATEGORIES_2014}

# which functions each kind of audited body carries (the kinds of amis.programme's Authority, plus
# the accounting function and an intermediate body)
FUNCTIONS_OF_KIND: dict[str, tuple[str, ...]] = {
    "responsible": (MANAGEMENT, ACCOUNTING),  # 2014-2020 AMIF/ISF: one authority, both functions
    "managing": (MANAGEMENT,),
    "delegated": (MANAGEMENT,),
    "intermediate": (MANAGEMENT,),
    "body_receiving_payments": (ACCOUNTING,),
    "accounting": (ACCOUNTING,),
    "audit": (AUDIT,),
}


def requirements_for(period: str) -> list[KeyRequirement]:
    return list(KEY_REQUIREMENTS.get(period, []))


def requirement(period: str, code: str) -> KeyRequirement | None:
    return next((kr for kr in KEY_REQUIREMENTS.get(period, []) if kr.code == code), None)


def default_codes(period: str, kind: str) -> list[str]:
    """The key requirements a body of this kind is audited against by default: those of its functions
    (the audit authority's own requirements are assessed by the Commission, not by itself)."""
    functions = FUNCTIONS_OF_KIND.get(kind, (MANAGEMENT,))
    return [kr.code for kr in requirements_for(period) if kr.function in functions and kr.function != AUDIT]
