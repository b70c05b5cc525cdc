"""Who may do what: one table, read by the service layer, the pages, the API, the docs and the tests.

`MATRIX` is the single source: `docs/permissions.md` is generated from it (`amis permissions doc`)
and `amis/accounts/tests/test_permission_matrix.py` walks it against every page and endpoint, so the
document, the code and the tests cannot drift apart. Checks return a reason the user is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied

from amis.accounts.roles import AUTHORITY_ROLES, Role

ANONYMOUS = "anonymous"
ALL_ROLES = frozenset(Role)


@dataclass(frozen=True)
class Permission:
    action: str
    description: str
    roles: frozenset[Role] = frozenset()
    public: bool = False
    # roles allowed only on their own organisation's objects (the object's `organisation_id` or its id)
    own_organisation: frozenset[Role] = frozenset()
    # any logged-in person, whatever their role (their own tokens, their own declarations)
    any_user: bool = False
    notes: str = ""

    def columns(self) -> dict[str, str]:
        cells: dict[str, str] = {ANONYMOUS: "yes" if self.public else ""}
        for role in Role:
            if self.public or self.any_user or role in self.roles:
                cells[role.value] = "yes"
            elif role in self.own_organisation:
                cells[role.value] = "own org"
            else:
                cells[role.value] = ""
        return cells


RA = frozenset({Role.RA_MANAGER, Role.RA_OFFICER})
READ_ALL = frozenset({Role.RA_MANAGER, Role.RA_OFFICER, Role.DA_OFFICER, Role.AUDITOR})

MATRIX: list[Permission] = [
    Permission(
        "home.view",
        "See the home page (one's tasks and figures; a welcome for visitors), privacy notice, accessibility",
        public=True,
    ),
    Permission(
        "programme.view", "See programmes, versions, tables, indicators, validation, diffs", public=True
    ),
    Permission("programme.export", "Download a programme as YAML, JSON or Excel", public=True),
    Permission(
        "programme.view_drafts",
        "See draft and submitted programme versions (the public sees adopted versions only)",
        roles=frozenset(AUTHORITY_ROLES),
    ),
    Permission("programme.edit", "Change the financing plan of a draft version", roles=RA),
    Permission("programme.new_draft", "Start a new draft version", roles=RA),
    Permission(
        "programme.change_status",
        "Submit a version, record its adoption or return it to draft",
        roles=frozenset({Role.RA_MANAGER}),
        notes="four eyes: not the person who last changed the draft",
    ),
    Permission("organisation.list", "List organisations", roles=READ_ALL),
    Permission(
        "organisation.view",
        "See an organisation, its contacts and bank details",
        roles=READ_ALL,
        own_organisation=frozenset({Role.BENEFICIARY}),
    ),
    Permission("organisation.create", "Create an organisation", roles=RA),
    Permission(
        "organisation.register",
        "Register one's own organisation (beneficiaries, from the public site)",
        any_user=True,
    ),
    Permission("organisation.mine", "See the organisations one works for", any_user=True),
    Permission(
        "organisation.update",
        "Change an organisation's details",
        roles=RA,
        own_organisation=frozenset({Role.BENEFICIARY}),
    ),
    Permission(
        "organisation.decide",
        "Approve or reject an organisation's registration",
        roles=RA,
        notes="not the person who registered it",
    ),
    Permission("user.list", "List people and their roles", roles=frozenset({Role.RA_MANAGER, Role.AUDITOR})),
    Permission("user.create", "Create a person", roles=frozenset({Role.RA_MANAGER})),
    Permission(
        "role.assign",
        "Give or take a role",
        roles=frozenset({Role.RA_MANAGER}),
        notes="never to oneself; audit and management roles never on one person",
    ),
    Permission(
        "audit.view",
        "Read the audit trail of any object or person",
        roles=frozenset({Role.RA_MANAGER, Role.AUDITOR}),
    ),
    Permission(
        "audit.export", "Export the audit trail (CSV, XLSX)", roles=frozenset({Role.RA_MANAGER, Role.AUDITOR})
    ),
    Permission("call.view", "See published calls (the public site)", public=True),
    Permission(
        "call.manage",
        "Create, publish and close calls",
        roles=frozenset({Role.RA_MANAGER, Role.RA_OFFICER, Role.DA_OFFICER}),
        notes="a delegated authority officer only within the part of the programme delegated to them",
    ),
    Permission("application.list", "List all applications to calls", roles=READ_ALL),
    Permission(
        "application.view",
        "See an application and what was submitted",
        roles=READ_ALL,
        own_organisation=frozenset({Role.BENEFICIARY}),
    ),
    Permission(
        "application.edit",
        "Draft, submit and withdraw an application for one's organisation",
        own_organisation=frozenset({Role.BENEFICIARY}),
    ),
    Permission(
        "application.check",
        "Check an application's admissibility and eligibility",
        roles=frozenset({Role.RA_MANAGER, Role.RA_OFFICER, Role.DA_OFFICER}),
    ),
    Permission(
        "application.assess",
        "Score an eligible application against the award criteria",
        roles=frozenset({Role.ASSESSOR}),
        notes="after declaring no conflict of interest; never the decider",
    ),
    Permission(
        "selection.manage",
        "Consolidate scores, rank, import other funds' projects, clear double-funding flags, "
        "plan committee meetings",
        roles=frozenset({Role.RA_MANAGER, Role.RA_OFFICER, Role.DA_OFFICER}),
    ),
    Permission(
        "integrity.view",
        "Read the double-funding check: the other funds' project lists with their errors and warnings, "
        "and each call's flags with their clearance",
        roles=frozenset({Role.RA_MANAGER, Role.RA_OFFICER, Role.DA_OFFICER, Role.AUDITOR}),
        notes="a delegated authority officer only the flags of the calls of their part; the audit "
        "authority reads them without acting on them",
    ),
    Permission(
        "committee.decide",
        "Record the Monitoring Committee's decision on proposed applications",
        roles=frozenset({Role.MC_MEMBER}),
        notes="never someone who assessed the application",
    ),
    Permission(
        "committee.view",
        "Read a Monitoring Committee meeting: its agenda, the proposed applications, the decisions "
        "and the minutes",
        roles=frozenset({Role.MC_MEMBER, Role.RA_MANAGER, Role.RA_OFFICER, Role.DA_OFFICER, Role.AUDITOR}),
        notes="a delegated authority officer only for the calls of their part",
    ),
    Permission(
        "project.view",
        "See a project: its grant agreement and versions, calendar, indicators, reports, financial picture",
        roles=frozenset(READ_ALL | {Role.VERIFIER, Role.ACCOUNTING_OFFICER}),
        own_organisation=frozenset({Role.BENEFICIARY}),
        notes="a delegated authority officer only the projects of the calls of their part",
    ),
    Permission(
        "agreement.prepare",
        "Prepare a grant agreement or an amendment as a draft, change or withdraw the draft, set the "
        "grant terms of a call",
        roles=frozenset({Role.RA_MANAGER, Role.RA_OFFICER, Role.DA_OFFICER}),
        notes="a delegated authority officer only within their part",
    ),
    Permission(
        "agreement.issue",
        "Issue a grant agreement version (approve an amendment) and sign it for the authority",
        roles=frozenset({Role.RA_MANAGER, Role.RA_OFFICER, Role.DA_OFFICER}),
        notes="four eyes: not the person who prepared the version",
    ),
    Permission(
        "agreement.sign",
        "Sign a grant agreement for one's organisation, upload the signed scan, ask for an amendment",
        own_organisation=frozenset({Role.BENEFICIARY}),
    ),
    Permission(
        "budget.transfer",
        "Move budget between cost categories within the agreement's tolerance",
        roles=frozenset({Role.RA_MANAGER, Role.RA_OFFICER, Role.DA_OFFICER}),
        own_organisation=frozenset({Role.BENEFICIARY}),
    ),
    Permission(
        "report.edit",
        "Fill in, import expenditure into and submit one's organisation's reports; justify duplicates",
        own_organisation=frozenset({Role.BENEFICIARY}),
    ),
    Permission(
        "report.review",
        "Return a submitted report to the beneficiary with comments",
        roles=frozenset({Role.RA_MANAGER, Role.RA_OFFICER, Role.DA_OFFICER, Role.VERIFIER}),
        notes="a delegated authority officer only the projects of the calls of their part",
    ),
    Permission(
        "report.list",
        "See the lists of the reports received (submitted, waiting for the authority) and overdue",
        roles=frozenset({Role.RA_MANAGER, Role.RA_OFFICER, Role.DA_OFFICER, Role.VERIFIER, Role.AUDITOR}),
        notes="a delegated authority officer only the projects of the calls of their part",
    ),
    Permission(
        "claim.verify",
        "Verify a submitted report: the checklist and a decision on every expenditure line",
        roles=frozenset({Role.VERIFIER, Role.RA_OFFICER, Role.DA_OFFICER}),
        notes="never someone who prepared the project's agreement, nor who orders its payment; "
        "a delegated authority officer only within their part",
    ),
    Permission(
        "verification.view",
        "Read the desk verifications of submitted reports: the checklist, the decision on every "
        "expenditure line, the totals, findings and AMIS's working",
        roles=frozenset({Role.VERIFIER, Role.RA_OFFICER, Role.DA_OFFICER, Role.AUDITOR}),
        notes="a delegated authority officer only within their part; the audit authority reads them "
        "without acting on them",
    ),
    Permission(
        "check.manage",
        "Select projects for on-the-spot checks, plan and record visits, findings, corrections and "
        "irregularities",
        roles=frozenset({Role.RA_MANAGER, Role.RA_OFFICER, Role.VERIFIER, Role.DA_OFFICER}),
        notes="a delegated authority officer only within their part",
    ),
    Permission(
        "check.view",
        "Read the on-the-spot checks: the selections with their weights and seed, the checks and "
        "visits, their findings, corrections and irregularities",
        roles=frozenset({Role.RA_MANAGER, Role.RA_OFFICER, Role.VERIFIER, Role.DA_OFFICER, Role.AUDITOR}),
        notes="a delegated authority officer only within their part; the audit authority reads them "
        "without acting on them",
    ),
    Permission(
        "payment.propose",
        "Propose a payment to a beneficiary (pre-financing, interim, balance) with AMIS's working, "
        "cancel a paid one, order a recovery",
        roles=frozenset({Role.RA_MANAGER, Role.RA_OFFICER}),
    ),
    Permission(
        "payment.view",
        "Read the payments to beneficiaries of the projects one sees, with AMIS's working",
        roles=frozenset({Role.RA_MANAGER, Role.RA_OFFICER, Role.AUDITOR}),
        notes="the audit authority reads them without acting on them",
    ),
    Permission(
        "payment.approve",
        "Approve or reject a proposed payment or cancellation (authorising officer), write off a "
        "recovery, close a project for payments",
        roles=frozenset({Role.RA_MANAGER}),
        notes="never the person who proposed it, nor the verifier of the report it pays; a recovery "
        "never written off by the person who ordered it",
    ),
    Permission(
        "payment.execute",
        "Batch approved payments, export the SEPA transfer file, record payments as paid (and the "
        "bank's return of a cancelled one), record money recovered",
        roles=frozenset({Role.ACCOUNTING_OFFICER}),
    ),
    Permission(
        "batch.view",
        "Read the payment batches: their payments, control sum, status and who exported them; download "
        "a batch as CSV",
        roles=frozenset({Role.ACCOUNTING_OFFICER, Role.AUDITOR}),
        notes="the audit authority reads them without acting on them; the SEPA transfer file for the "
        "bank stays with the accounting officer",
    ),
    Permission(
        "recovery.view",
        "Read the recovery orders of the projects one sees: what is due, received, offset or written off",
        roles=frozenset({Role.RA_MANAGER, Role.RA_OFFICER, Role.ACCOUNTING_OFFICER, Role.AUDITOR}),
    ),
    Permission(
        "declaration.view",
        "Read the payment applications to the Commission, the receipts from it, the annual accounts "
        "with their reconciliation and the decommitment risk; download them (XLSX, PDF)",
        roles=frozenset(
            {
                Role.RA_MANAGER,
                Role.RA_OFFICER,
                Role.DA_OFFICER,
                Role.ACCOUNTING_OFFICER,
                Role.AUDITOR,
                Role.MC_MEMBER,
            }
        ),  # fmt: skip
        notes="a delegated authority officer: only the items of the projects of their part",
    ),
    Permission(
        "declaration.prepare",
        "Draft a payment application to the Commission, hold items back and reintroduce them, record "
        "money received from the Commission, draft the annual accounts",
        roles=frozenset({Role.RA_MANAGER, Role.RA_OFFICER, Role.ACCOUNTING_OFFICER}),
    ),
    Permission(
        "declaration.submit",
        "Submit a payment application or the annual accounts to the Commission (frozen afterwards)",
        roles=frozenset({Role.RA_MANAGER, Role.ACCOUNTING_OFFICER}),
        notes="four eyes: never the person who prepared them",
    ),
    Permission(
        "sampling.view",
        "Read the audits of operations: a year's population, the samples drawn with their method, seed "
        "and working, the audited results and the projected error rates; export a sample (XLSX)",
        roles=frozenset({Role.AUDITOR}),
        notes="the audit authority's working papers (issue 19)",
    ),
    Permission(
        "sampling.manage",
        "Build the population of an accounting year, draw a sample, record the audit of each sampled "
        "item (value, error, type, auditee's reply, documents), project the errors",
        roles=frozenset({Role.AUDITOR}),
        notes="only the audit authority writes audit records; no other authority changes them",
    ),
    Permission(
        "evaluation.view",
        "Read the evaluation plans, evaluations, their reports and the follow-up of their recommendations",
        roles=frozenset({Role.RA_MANAGER, Role.RA_OFFICER, Role.DA_OFFICER, Role.AUDITOR, Role.MC_MEMBER}),
        notes="a delegated authority officer only the programmes of their assignments",
    ),
    Permission(
        "evaluation.manage",
        "Draft the evaluation plan and record its submission and approval by the Monitoring "
        "Committee; plan evaluations, their questions and reports; record recommendations, the "
        "authority's response and their follow-up",
        roles=RA,
    ),
    Permission(
        "public.view",
        "See the public website: the adopted programme, the calls' timetable, the list of operations "
        "and each operation (withheld operations and natural persons never shown)",
        public=True,
    ),
    Permission(
        "publication.manage",
        "Record where an operation takes place and whether its beneficiary is a natural person; "
        "propose, approve or withdraw the exclusion of an operation from publication",
        roles=RA,
        notes="four eyes: an exclusion is approved by another person than the one who proposed it",
    ),
    Permission(
        "publication.publish",
        "Publish the list of operations now (besides the schedule): built, validated, frozen or refused "
        "with the reasons",
        roles=RA,
    ),
    Permission(
        "dashboard.view",
        "Read the programme dashboard: the money per specific objective, group, call and project, "
        "and download its tables",
        roles=frozenset(
            {
                Role.RA_MANAGER,
                Role.RA_OFFICER,
                Role.DA_OFFICER,
                Role.ACCOUNTING_OFFICER,
                Role.AUDITOR,
                Role.MC_MEMBER,
            }
        ),  # fmt: skip
        notes="a delegated authority officer: the calls of the part delegated to them",
    ),
    Permission(
        "annual_report.view",
        "Read the annual reports to the Commission (implementation or performance reports): their "
        "tables, texts and steps, and download them as PDF or XLSX",
        roles=frozenset({Role.RA_MANAGER, Role.RA_OFFICER, Role.AUDITOR, Role.MC_MEMBER}),
        notes="the whole programme's report; a delegated authority officer does not read it",
    ),
    Permission(
        "annual_report.manage",
        "Draft the annual report of a year, write its texts, submit it to the Monitoring Committee "
        "and freeze it once approved",
        roles=RA,
    ),
    Permission(
        "annual_report.approve",
        "Record the Monitoring Committee's decision on an annual report: approved (its content "
        "frozen) or returned for changes",
        roles=frozenset({Role.MC_MEMBER}),
    ),
    Permission(
        "audit.view_records",
        "Read the audit authority's records: audit strategy, yearly plans and risk assessment, system "
        "audits, findings and their follow-up, annual control reports and opinions",
        roles=frozenset({Role.AUDITOR, Role.RA_MANAGER, Role.RA_OFFICER, Role.DA_OFFICER}),
        notes="a delegated authority officer only the system audits of their own body, its findings and "
        "recommendations (not another body's audit, the samples or the control reports)",
    ),
    Permission(
        "audit_report.view",
        "Read the audit authority's programme-wide conclusions: the system's assurance level from every "
        "body's audit, the annual control reports and audit opinions (PDF, XLSX)",
        roles=frozenset({Role.AUDITOR, Role.RA_MANAGER, Role.RA_OFFICER}),
        notes="not a delegated authority officer: a report holds every body's audit and the samples",
    ),
    Permission(
        "audit.plan",
        "Write the audit strategy and the yearly plan: the bodies to audit, their risk assessment and "
        "key requirements",
        roles=frozenset({Role.AUDITOR}),
    ),
    Permission(
        "audit.conduct",
        "Carry out system audits: assess each key requirement in category 1 to 4, complete the audit, "
        "record findings and recommendations and close them",
        roles=frozenset({Role.AUDITOR}),
    ),
    Permission(
        "audit.report",
        "Draft the annual control report and the audit opinion",
        roles=frozenset({Role.AUDITOR}),
    ),
    Permission(
        "audit.approve",
        "Approve the annual control report and opinion (frozen afterwards)",
        roles=frozenset({Role.AUDITOR}),
        notes="four eyes: another auditor than the one who drafted or last changed it",
    ),
    Permission(
        "audit_reply.submit",
        "Reply, as the audited authority, to a finding of the audit authority",
        roles=frozenset({Role.RA_MANAGER, Role.RA_OFFICER, Role.DA_OFFICER}),
        notes="the reply is the auditee's own record; the finding itself is unchanged",
    ),
    Permission("coi.declare", "Declare a conflict of interest with an organisation", any_user=True),
    Permission("token.manage", "Create and revoke one's own API tokens", any_user=True),
]
BY_ACTION = {p.action: p for p in MATRIX}

# Actions that only read (pages, lists, downloads): every other action writes. The audit authority's
# independence is checked against this split (accounts/tests/test_permission_matrix.py): auditors hold
# no write outside their records (AUDIT_RECORD_PREFIXES), and only auditors write those.
READ_ACTIONS = frozenset(
    {
        "home.view",
        "programme.view",
        "programme.export",
        "programme.view_drafts",
        "organisation.list",
        "organisation.view",
        "organisation.mine",
        "user.list",
        "audit.view",
        "audit.export",
        "audit.view_records",
        "audit_report.view",
        "call.view",
        "application.list",
        "application.view",
        "committee.view",
        "project.view",
        "recovery.view",
        "payment.view",
        "check.view",
        "verification.view",
        "report.list",
        "batch.view",
        "integrity.view",
        "declaration.view",
        "evaluation.view",
        "public.view",
        "dashboard.view",
        "annual_report.view",
        "sampling.view",
    }
)
# The audit authority's own records: its strategy, system audits, findings and control reports
# (`audit.*`, amis.audit) and its audits of operations — populations, samples, results
# (`sampling.*`, amis.sampling). Auditors write these and nothing else.
AUDIT_RECORD_PREFIXES = ("audit.", "sampling.")
# Writes of one's own personal records, open to any logged-in person (not programme data):
# organisation.register is refused to authority roles in its service (organisations/services.py).
PERSONAL_ACTIONS = frozenset({"coi.declare", "token.manage", "organisation.register"})


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""
    roles: frozenset[Role] = field(default_factory=frozenset)


def active_roles(user: Any) -> dict[Role, set[int | None]]:
    """{role: {organisation ids}} for the user's active assignments (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, "_amis_roles", None)
    if cached is None:
        cached = {}
        for assignment in user.role_assignments.filter(revoked_at__isnull=True):
            cached.setdefault(Role(assignment.role), set()).add(assignment.organisation_id)
        user._amis_roles = cached
    return cached


def _organisation_id(obj: Any) -> int | None:
    if obj is None:
        return None
    if obj._meta.label == "organisations.Organisation":
        return int(obj.pk)
    return getattr(obj, "organisation_id", None)


def check(user: Any, action: str, obj: Any = None) -> Decision:
    permission = BY_ACTION[action]
    if permission.public:
        return Decision(True)
    if not getattr(user, "is_authenticated", False):
        return Decision(False, "Log in first.")
    if permission.any_user:
        return Decision(True)
    roles = active_roles(user)
    if set(roles) & permission.roles:
        return Decision(True, roles=frozenset(set(roles) & permission.roles))
    own_org_id = _organisation_id(obj)
    for role in set(roles) & permission.own_organisation:
        if obj is None or own_org_id in roles[role]:
            return Decision(True, roles=frozenset({role}))
    if set(roles) & permission.own_organisation:
        return Decision(False, "This belongs to another organisation than yours.")
    needed = ", ".join(str(r.label) for r in Role if r in permission.roles | permission.own_organisation)
    return Decision(False, f"'{permission.description}' needs one of these roles: {needed}.")


def require(user: Any, action: str, obj: Any = None) -> Decision:
    """Raise PermissionDenied with the reason (and record the refusal) unless `user` may do `action`."""
    decision = check(user, action, obj)
    if not decision.allowed:
        from amis.core.audit import record_security_event

        record_security_event(
            user=user,
            event="permission_refused",
            detail={"action": action, "reason": decision.reason, "object": repr(obj)[:200] if obj else None},
        )
        raise PermissionDenied(decision.reason)
    return decision


def has_role(user: Any, *roles: Role) -> bool:
    return bool(set(active_roles(user)) & set(roles))


def roles_text(action: str) -> str:
    """'Who may call this', for the OpenAPI description of an endpoint."""
    permission = BY_ACTION[action]
    if permission.public:
        return f"Permission `{action}`: public, no login needed."
    if permission.any_user:
        return f"Permission `{action}`: any logged-in person."
    parts = [r.value for r in Role if r in permission.roles]
    parts += [f"{r.value} (own organisation only)" for r in Role if r in permission.own_organisation]
    return f"Permission `{action}`: roles " + ", ".join(parts) + "."


def matrix_markdown() -> str:
    """docs/permissions.md, generated (`amis permissions doc`) so it always matches MATRIX and ROUTES."""
    from amis.accounts.routes import ROUTES

    roles = [ANONYMOUS, *[r.value for r in Role]]
    lines = [
        "# Permissions",
        "",
        "Generated by `amis permissions doc` from `amis/accounts/permissions.py` (MATRIX) and",
        "`amis/accounts/routes.py` (ROUTES); `amis/accounts/tests/test_permission_matrix.py` walks every",
        "route for every role and checks the answer matches this table. Do not edit by hand.",
        "",
        '"own org": only for objects of the person\'s own organisation. Refusals answer 403 with the',
        "reason (or a redirect to the login page for pages that need a login) and are written to the",
        "audit trail.",
        "",
        "## Roles x actions",
        "",
        "| action | what | " + " | ".join(roles) + " |",
        "| --- | --- | " + " | ".join("---" for _ in roles) + " |",
    ]
    for p in MATRIX:
        cells = p.columns()
        what = p.description + (f" ({p.notes})" if p.notes else "")
        lines.append(f"| `{p.action}` | {what} | " + " | ".join(cells[r] for r in roles) + " |")
    lines += ["", "## Pages and endpoints", "", "| method | path | action |", "| --- | --- | --- |"]
    for route in ROUTES:
        lines.append(f"| {route.method} | `{route.path}` | `{route.action}` |")
    lines += [
        "",
        "## Segregation of duties",
        "",
        "Enforced in the service layer (`amis/accounts/sod.py`, `amis/accounts/services.py`),",
        "whatever the page:",
        "",
        "- the person who prepared a programme version does not submit it or record its adoption",
        "  (four eyes);",
        "- the person who registered an organisation does not approve it;",
        "- the person who assessed an application does not take the decision on it; the person who",
        "  verified a claim does not order its payment;",
        "- a declared conflict of interest with an organisation rules out assessing, verifying,",
        "  deciding, paying and approving for that organisation;",
        "- nobody gives or takes their own roles; audit-authority and management roles never meet",
        "  on one person;",
        "  a beneficiary's staff hold no authority role.",
        "",
    ]
    return "\n".join(lines)
