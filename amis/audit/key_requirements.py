"""The key requirements of the management and control systems, per programming period: the reference
data a system audit assesses each body against (plain data, no Django).

Sources (cited per requirement in `source`):

- 2021-2027: Regulation (EU) 2021/1060 (CPR), Annex XI, Table 1 ("Key requirements of management
  and control systems and their classification") and Table 2 (the four categories).
- 2014-2020: the Commission's "Guidance for the Commission and Member States on a common methodology
  for the assessment of management and control systems in the Member States" (EGESIF_14-0010-final,
  18.12.2014), Annex I, key requirements 1 to 18. For AMIF/ISF (Reg. (EU) No 514/2014) the
  responsible authority carries the managing functions and the certifying-type functions that
  EGESIF_14-0010 lists under the certifying authority; delegated authorities carry the delegated
  part of the managing functions.

Honesty about the labels: the search of the stored public texts available when this file was
written found no copy of either annex, so every label below is PARAPHRASED from the regulation and
the guidance as the author knows them (`paraphrased: True`), and the numbering of the 2021-2027
accounting-function and audit-authority requirements must be checked against the Official Journal
(OJ L 231, 30.6.2021) before the data is relied on. The categories' wording follows CPR Annex XI
Table 2 and EGESIF_14-0010 section 3 (the same four categories in both periods).
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
    label: str  # English, paraphrased (see the module's note)
    function: str  # MANAGEMENT, ACCOUNTING or AUDIT
    source: str
    paraphrased: bool = True


CPR = "Regulation (EU) 2021/1060, Annex XI, Table 1"
EGESIF = "EGESIF_14-0010-final, Annex I"

_2021 = [
    ("KR1", "Adequate separation of functions and adequate systems for reporting and monitoring where "
     "the managing authority entrusts tasks to another body", MANAGEMENT),
    ("KR2", "Appropriate selection of operations", MANAGEMENT),
    ("KR3", "Adequate information to beneficiaries", MANAGEMENT),
    ("KR4", "Appropriate management verifications", MANAGEMENT),
    ("KR5", "Effective system to ensure that all documents required for the audit trail are held",
     MANAGEMENT),
    ("KR6", "Reliable electronic system for recording and storing data for monitoring, evaluation, "
     "financial management, verification and audit, with security, integrity and confidentiality of "
     "data and authentication of users", MANAGEMENT),
    ("KR7", "Effective implementation of proportionate anti-fraud measures", MANAGEMENT),
    ("KR8", "Appropriate procedures for drawing up the management declaration", MANAGEMENT),
    ("KR9", "Appropriate procedures for drawing up and submitting payment applications", ACCOUNTING),
    ("KR10", "Appropriate procedures for drawing up the accounts and ensuring their completeness, "
     "accuracy and veracity", ACCOUNTING),
    ("KR11", "Adequate separation of functions and systems ensuring that any other body auditing under "
     "the audit strategy is functionally independent and follows international audit standards", AUDIT),
    ("KR12", "Adequate system audits", AUDIT),
    ("KR13", "Adequate audits of operations", AUDIT),
    ("KR14", "Adequate audits of accounts", AUDIT),
    ("KR15", "Appropriate procedures for providing a reliable audit opinion and for preparing the "
     "annual control report", AUDIT),
]  # fmt: skip

_2014 = [
    ("KR1", "Adequate separation of functions and adequate systems for reporting and monitoring where "
     "the responsible authority entrusts tasks to another body", MANAGEMENT),
    ("KR2", "Appropriate selection of operations", MANAGEMENT),
    ("KR3", "Adequate information to beneficiaries on the applicable conditions for the selected "
     "operations", MANAGEMENT),
    ("KR4", "Adequate management verifications", MANAGEMENT),
    ("KR5", "Effective system to ensure that all documents on expenditure and audits are held for an "
     "adequate audit trail", MANAGEMENT),
    ("KR6", "Reliable system for collecting, recording and storing data for monitoring, evaluation, "
     "financial management, verification and audit", MANAGEMENT),
    ("KR7", "Effective implementation of proportionate anti-fraud measures", MANAGEMENT),
    ("KR8", "Appropriate procedures for drawing up the management declaration and the annual summary "
     "of final audit reports and controls", MANAGEMENT),
    ("KR9", "Adequate separation of functions and adequate systems for reporting and monitoring "
     "(certifying functions)", ACCOUNTING),
    ("KR10", "Appropriate procedures for drawing up and submitting payment applications", ACCOUNTING),
    ("KR11", "Appropriate computerised records of the expenditure declared and of the corresponding "
     "public contribution", ACCOUNTING),
    ("KR12", "Appropriate and complete accounts of amounts recoverable, recovered and withdrawn", ACCOUNTING),
    ("KR13", "Appropriate procedures for drawing up and certifying the completeness, accuracy and "
     "veracity of the annual accounts", ACCOUNTING),
    ("KR14", "Adequate separation of functions and systems ensuring that any other body auditing under "
     "the audit strategy is functionally independent and follows international audit standards", AUDIT),
    ("KR15", "Adequate system audits", AUDIT),
    ("KR16", "Adequate audits of operations", AUDIT),
    ("KR17", "Adequate audits of accounts", AUDIT),
    ("KR18", "Adequate procedures for providing a reliable audit opinion and for preparing the annual "
     "control report", AUDIT),
]  # fmt: skip

KEY_REQUIREMENTS: dict[str, list[KeyRequirement]] = {
    "2021-2027": [KeyRequirement(c, label, f, f"{CPR}, {c}") for c, label, f in _2021],
    "2014-2020": [KeyRequirement(c, label, f, f"{EGESIF}, {c}") for c, label, f in _2014],
}

# CPR Annex XI Table 2; EGESIF_14-0010 section 3 (same four categories)
CATEGORIES: dict[int, str] = {
    1: "Works well. No or only minor improvement(s) needed",
    2: "Works. Some improvement(s) needed",
    3: "Works partially. Substantial improvement(s) needed",
    4: "Essentially does not work",
}

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
