"""Writes for calls: launching a draft within the authority's delegated scope, changing it while it
is a draft, and moving it through its lifecycle; each in one transaction with its audit entry."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amis.accounts.permissions import active_roles, check, require
from amis.accounts.roles import Role
from amis.calls.models import Call
from amis.core import audit, messages, parsing
from amis.core.errors import ApplicationError, ForbiddenError, StaleObjectError
from amis.core.money import is_whole_cents
from amis.core.transactions import atomic, lock_for_update
from amis.organisations.models import Organisation
from amis.programme import selectors as programme_selectors
from amis.programme.models import AllocationLine, Programme
from amis.programme.rules import parameters
from amis.programme.rules.annex_v import ALLOCATIONS_TABLE, CEILING_OF

SPECIFIC_ACTION_RATE = Decimal("0.90")
STANDARD_RATE = Decimal("0.75")


def _in_scope(
    user: Any,
    call_so: str,
    call_nos: list[str],
    organisation: Organisation,
    programme_id: int | None = None,
    type_of_action: str = "",
) -> bool:
    """RA roles launch any call; a delegated authority officer only within the part delegated to it:
    its organisation, the programme its assignment names (if any), the specific objective and, for a
    2014-2020 call, the national objective. A delegation of one national objective does not cover a
    2021-2027 call, which draws on a whole allocation line of the specific objective."""
    roles = active_roles(user)
    if set(roles) & {Role.RA_MANAGER, Role.RA_OFFICER}:
        return True
    for assignment in user.role_assignments.filter(role=Role.DA_OFFICER, revoked_at__isnull=True):
        if assignment.organisation_id != organisation.pk:
            continue
        if programme_id is not None and assignment.programme_id not in (None, programme_id):
            continue
        if assignment.specific_objective and assignment.specific_objective != call_so:
            continue
        if assignment.national_objective and (
            type_of_action or any(no != assignment.national_objective for no in call_nos)
        ):
            continue
        return True
    return False


def _call_in_scope(user: Any, call: Call) -> bool:
    return _in_scope(
        user,
        call.specific_objective,
        call.national_objectives,
        call.managing_organisation,
        call.programme_id,
        call.type_of_action,
    )


def free_in_financing_plan(call: Call) -> tuple[Decimal, Decimal]:
    """(programmed for the call's objectives, already put in other calls): a call may not over-commit.

    2014-2020: the amounts of the call's national objectives (or its specific action) in Table 1.
    2021-2027: the EU contribution of the call's allocation line (specific objective and type of
    action, Regulation (EU) 2021/1060 Annex V financing table 2). Other calls count once published."""
    others = (
        Call.objects.filter(programme=call.programme, specific_objective=call.specific_objective)
        .exclude(pk=call.pk)
        .exclude(status=Call.Status.DRAFT)
    )
    if call.type_of_action:
        return (
            allocation_line_eu(call.programme, call.specific_objective, call.type_of_action)
            or Decimal("0.00"),
            sum(
                (c.budget for c in others.filter(type_of_action=call.type_of_action)),
                Decimal("0.00"),
            ),
        )
    version = programme_selectors.version_get(call.programme.cci)
    plan = programme_selectors.version_financing_plan(version) if version else None
    programmed = Decimal("0.00")
    so = plan.objective(call.specific_objective) if plan else None
    if so is not None:
        lines = so.specific_actions if call.specific_action else so.national_objectives
        wanted = {call.specific_action} if call.specific_action else set(call.national_objectives)
        programmed = sum(
            (line.amount or Decimal("0") for line in lines if line.code in wanted), Decimal("0.00")
        )
    committed = sum(
        (
            c.budget
            for c in others.filter(type_of_action="")
            if set(c.national_objectives) & set(call.national_objectives)
            or (call.specific_action and c.specific_action == call.specific_action)
        ),
        Decimal("0.00"),
    )
    return programmed, committed


def allocation_line_eu(programme: Programme, so_code: str, type_of_action: str) -> Decimal | None:
    """The EU contribution of one allocation line of the programme's latest version; None if it has
    no such line."""
    version = programme_selectors.version_get(programme.cci)
    line = (
        AllocationLine.objects.filter(
            version=version, specific_objective=so_code, type_of_action=type_of_action
        ).first()
        if version
        else None
    )
    return line.eu_contribution if line else None


def _line_name(call: Call) -> str:
    return f"{call.specific_objective}, {AllocationLine.TypeOfAction(call.type_of_action).label}"


def _over_free_message(call: Call, programmed: Decimal, committed: Decimal) -> str:
    return _(
        "The budget of %(budget)s is more than the %(free)s still free in the EU contribution of "
        "%(line)s (%(programmed)s allocated, %(committed)s in other published calls; %(basis)s)."
    ) % {
        "budget": messages.amount(call.budget),
        "free": messages.amount(programmed - committed),
        "line": _line_name(call),
        "programmed": messages.amount(programmed),
        "committed": messages.amount(committed),
        "basis": ALLOCATIONS_TABLE,
    }


def call_budget_warning(call: Call) -> str | None:
    programmed, committed = free_in_financing_plan(call)
    free = programmed - committed
    if call.budget > free:
        if call.type_of_action:
            return _over_free_message(call, programmed, committed)
        return (
            f"This call's budget of {call.budget:,.2f} is more than the {free:,.2f} still free for "
            f"{call.specific_objective} {', '.join(call.national_objectives or [call.specific_action])} "
            f"in the financing plan ({programmed:,.2f} programmed, {committed:,.2f} in other calls)."
        )
    return None


def _refuse_over_free(call: Call) -> None:
    """A 2021-2027 call may not ask more than its allocation line still has free: refused (400)."""
    if not call.type_of_action:
        return
    programmed, committed = free_in_financing_plan(call)
    if call.budget > programmed - committed:
        raise parsing.fields_error({"budget": _over_free_message(call, programmed, committed)})


CALL_FIELDS = (
    "code",
    "title",
    "description",
    "languages",
    "specific_objective",
    "national_objectives",
    "specific_action",
    "actions",
    "type_of_action",
    "budget",
    "max_eu_rate",
    "min_grant",
    "max_grant",
    "eligible_kinds",
    "eligible_start",
    "eligible_end",
    "target_groups",
    "indicators",
    "eligibility_criteria",
    "award_criteria",
    "pass_mark",
    "opens_at",
    "closes_at",
    "direct_award_justification",
    "procedure",
)


LANGUAGES = ("nl", "fr", "de", "en")
CALL_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")


def _clean_languages(values: dict[str, Any], problems: dict[str, str]) -> None:
    """A call is published in one or more of the four languages and has its title in each of them."""
    title = values.get("title") or {}
    if not isinstance(title, dict):
        problems["title"] = "The title is a text per language."
        return
    languages = values.get("languages") or [lang for lang in LANGUAGES if lang in title]
    unknown = [lang for lang in languages if lang not in LANGUAGES]
    if unknown:
        problems["languages"] = f"AMIS publishes calls in nl, fr, de and en, not in {', '.join(unknown)}."
        return
    if not languages:
        problems["languages"] = _("Publish the call in at least one language.")
        return
    values["languages"] = list(languages)
    missing = [lang for lang in languages if not str(title.get(lang, "")).strip()]
    if title and missing:
        problems["title"] = _("The call is published in %(languages)s: give its title in %(missing)s.") % {
            "languages": ", ".join(languages),
            "missing": ", ".join(missing),
        }


def _clean_criteria(values: dict[str, Any], problems: dict[str, str]) -> None:
    """Criteria have a unique code and a text; award criteria a weight (their maximum points, adding
    up to 100) and a minimum score within that weight."""
    for key in ("eligibility_criteria", "award_criteria"):
        seen: set[str] = set()
        for c in values.get(key, []):
            code = str(c.get("code", "")).strip()
            if not code or not str(c.get("text", "")).strip():
                problems[key] = _("Every criterion needs a code and a text.")
            elif code in seen:
                problems[key] = _("Two criteria have the code %(code)s.") % {"code": code}
            seen.add(code)
    weights = []
    for c in values.get("award_criteria", []):
        weight = parsing.decimal(c.get("weight"), "award_criteria", problems)
        least = parsing.decimal(c.get("min_score", 0), "award_criteria", problems)
        if weight is None or weight <= 0:
            problems.setdefault(
                "award_criteria", _("Criterion %(code)s needs a positive weight.") % {"code": c.get("code")}
            )
            continue
        if least is not None and not Decimal("0") <= least <= weight:
            problems.setdefault(
                "award_criteria",
                _("The minimum score of %(code)s lies between 0 and its weight %(weight)s.")
                % {"code": c.get("code"), "weight": messages.figure(weight, None)},
            )
        weights.append(weight)
    if weights and sum(weights) != 100:
        problems.setdefault(
            "award_criteria",
            _("The award criteria's weights add up to %(sum)s, not 100.")
            % {"sum": messages.figure(sum(weights), None)},
        )


TITLE_MAX = 300  # a call's title in one language, as on the page
TEXT_MAX = 20000  # a description, a justification, a criterion's text
SHORT_MAX = 300  # a target group, an indicator or criterion code
LIST_MAX = 100  # objectives, actions, groups, criteria: far beyond any real call
_TEXTS = {
    "code": 40,
    "specific_objective": 10,
    "specific_action": 10,
    "type_of_action": 40,
    "direct_award_justification": TEXT_MAX,
}
_LISTS = ("languages", "national_objectives", "actions", "eligible_kinds", "target_groups", "indicators")


def _text_problem(value: Any, limit: int) -> str | None:
    if not isinstance(value, str):
        return "Give a text."
    if len(value) > limit:
        return f"At most {limit:,} characters (this has {len(value):,})."
    return None


def _list_problem(key: str, value: Any) -> str | None:
    """Lists hold texts (codes, groups, languages), or action numbers; never more than LIST_MAX."""
    if not isinstance(value, list):
        return "Give a list."
    if len(value) > LIST_MAX:
        return f"At most {LIST_MAX} items."
    if key == "actions":
        ok = all(isinstance(v, int) and not isinstance(v, bool) and 0 < v < 10_000 for v in value)
        return None if ok else "Give the action numbers."
    if not all(isinstance(v, str) and len(v) <= SHORT_MAX for v in value):
        return f"Give texts of at most {SHORT_MAX} characters."
    return None


def _criteria_problem(value: Any) -> str | None:
    if not isinstance(value, list) or len(value) > LIST_MAX:
        return f"Give a list of at most {LIST_MAX} criteria."
    for criterion in value:
        if not isinstance(criterion, dict):
            return "A criterion is a code, a text and, for award criteria, a weight and a minimum score."
        if _text_problem(criterion.get("code", ""), 10) or _text_problem(criterion.get("text", ""), TEXT_MAX):
            return f"A criterion has a code of at most 10 characters and a text of at most {TEXT_MAX:,}."
    return None


def _shape_problems(values: dict[str, Any]) -> dict[str, str]:
    """What has the wrong type or length, before any rule reads it: the rules may then assume that
    texts are texts and lists are lists, and what is saved fits its column."""
    problems: dict[str, str] = {}
    for key, limit in _TEXTS.items():
        problem = _text_problem(values[key], limit) if values.get(key) is not None else None
        if problem:
            problems[key] = problem
    for key in ("title", "description"):
        texts = values.get(key)
        if texts is None:
            continue
        limit = TITLE_MAX if key == "title" else TEXT_MAX
        if not isinstance(texts, dict) or not all(
            lang in LANGUAGES and _text_problem(text, limit) is None for lang, text in texts.items()
        ):
            problems[key] = f"Give a text of at most {limit:,} characters per language (nl, fr, de, en)."
    for key in _LISTS:
        problem = _list_problem(key, values[key]) if key in values else None
        if problem:
            problems[key] = problem
    for key in ("eligibility_criteria", "award_criteria"):
        problem = _criteria_problem(values[key]) if key in values else None
        if problem:
            problems[key] = problem
    if "procedure" in values and values["procedure"] not in Call.Procedure.values:
        problems["procedure"] = f"The procedure is one of {', '.join(Call.Procedure.values)}."
    return problems


def _clean_amounts(values: dict[str, Any], problems: dict[str, str]) -> None:
    """Budget and grants in euro (whole cents, within NUMERIC(15, 2)), the rate and the pass mark."""
    for key in ("budget", "min_grant", "max_grant", "max_eu_rate", "pass_mark"):
        if key in values:
            values[key] = parsing.decimal(values[key], key, problems)
    if values.get("budget") is None or values["budget"] <= 0 or not is_whole_cents(values["budget"]):
        problems.setdefault("budget", _("The budget must be a positive amount with at most two decimals."))
    for key in ("min_grant", "max_grant"):
        grant = values.get(key)
        if grant is not None and (grant < 0 or not is_whole_cents(grant)):
            problems.setdefault(key, _("A grant is an amount of zero or more with at most two decimals."))
    mark = values.get("pass_mark")
    if mark is not None and not (0 <= mark <= 100 and mark == mark.quantize(Decimal("0.01"))):
        problems.setdefault(
            "pass_mark", _("The pass mark lies between 0 and 100, with at most two decimals.")
        )


def _clean_national_objectives(values: dict[str, Any], so: dict[str, Any], problems: dict[str, str]) -> None:
    """2014-2020: the national objectives (and their actions) or the specific action of the SO."""
    nos = {no["code"]: no for no in so.get("national_objectives", [])}
    for code in values.get("national_objectives", []):
        if code not in nos:
            problems["national_objectives"] = _("%(so)s has no national objective '%(code)s'.") % {
                "so": so["code"],
                "code": code,
            }
    numbers = {
        a["number"]
        for code in values.get("national_objectives", [])
        if code in nos
        for a in nos[code].get("actions", [])
    }
    for number in values.get("actions", []):
        if number not in numbers:
            problems["actions"] = _(
                "Action %(number)s does not belong to the chosen national objectives."
            ) % {"number": number}
    sa_codes = {sa["code"] for sa in so.get("specific_actions", [])}
    if values.get("specific_action") and values["specific_action"] not in sa_codes:
        problems["specific_action"] = _("%(so)s has no specific action '%(code)s'.") % {
            "so": so["code"],
            "code": values["specific_action"],
        }
    if not values.get("national_objectives") and not values.get("specific_action"):
        problems["national_objectives"] = _(
            "Choose the national objectives (or the specific action) the call serves."
        )


NOT_IN_2021 = gettext_lazy(
    "A 2021-2027 programme has no national objectives, specific-action codes or numbered actions: "
    "choose the specific objective and the type of action (allocation line) the call draws on."
)


def _clean_allocation_line(
    values: dict[str, Any],
    so: dict[str, Any] | None,
    doc: dict[str, Any],
    programme: Any,
    problems: dict[str, str],
) -> tuple[Decimal, str]:
    """2021-2027 (format 2): the call draws on one allocation line of its specific objective (Annex V
    financing table 2). Returns the co-financing ceiling of the line's type of action and the article
    of the period that sets it."""
    for key in ("national_objectives", "specific_action", "actions"):
        if values.get(key):
            problems[key] = str(NOT_IN_2021)
    values["national_objectives"], values["specific_action"], values["actions"] = [], "", []
    kind = values.get("type_of_action") or ""
    if so is None:
        return Decimal("1.00"), ALLOCATIONS_TABLE
    lines = [
        line["type_of_action"]
        for line in doc.get("allocations", [])
        if line["specific_objective"] == so["code"] and line["type_of_action"] != "technical_assistance"
    ]
    if not kind:
        problems["type_of_action"] = _(
            "Choose the type of action (allocation line) of %(so)s the call draws on."
        ) % {"so": so["code"]}
        return Decimal("1.00"), ALLOCATIONS_TABLE
    if kind not in lines:
        problems["type_of_action"] = _(
            "%(so)s has no allocation line '%(kind)s' in the financing table; it has: %(lines)s."
        ) % {"so": so["code"], "kind": parsing.shown(kind), "lines": ", ".join(lines) or "—"}
        return Decimal("1.00"), ALLOCATIONS_TABLE
    return type_of_action_ceiling(programme, kind)


def type_of_action_ceiling(programme: Any, kind: str) -> tuple[Decimal, str]:
    """The maximum EU co-financing rate of a project under a type of action, and its article, from
    the period's rules (data/reference/period-rules.yaml; AMIF 2021-2027: Regulation (EU) 2021/1147
    Art. 15). Resettlement, admission and transfers are paid as lump sums per person (AMIF Art. 19
    and 20), not co-financed: up to 100 %, citing the lump sums' article."""
    rules = parameters.rules_for(programme.fund.code, programme.period.code)
    entry = CEILING_OF.get(kind)
    cited = rules.citations.get(f"co_financing.{entry}") if entry else None
    if cited is not None:
        return Decimal(cited.value), cited.reference
    references = list(dict.fromkeys(ls.reference for ls in rules.lump_sums))
    return Decimal("1.00"), "; ".join(references) if references and not entry else ALLOCATIONS_TABLE


def _clean_call(data: dict[str, Any], programme: Any) -> dict[str, Any]:
    values: dict[str, Any] = {k: data[k] for k in CALL_FIELDS if k in data}
    problems = _shape_problems(values)
    if problems:
        raise parsing.fields_error(problems)
    code = str(values.get("code", "")).strip()
    if not code:
        problems["code"] = _("A call needs a code.")
    elif not CALL_CODE.fullmatch(code) or code.lower() == "new":
        problems["code"] = _(
            "A call code has letters, digits, '-', '_' or '.' only (it is part of web addresses)."
        )
    if not values.get("title"):
        problems["title"] = _("A call needs a title in at least one language.")
    version = programme_selectors.version_get(programme.cci)
    doc = programme_selectors.version_document(version, with_control_totals=False) if version else {}
    sos = {so["code"]: so for so in doc.get("specific_objectives", [])}
    so = sos.get(values.get("specific_objective", ""))
    if so is None:
        problems["specific_objective"] = _("The programme has no specific objective '%(code)s'.") % {
            "code": values.get("specific_objective")
        }
    if version is not None and version.file_format == 2:
        ceiling, reference = _clean_allocation_line(values, so, doc, programme, problems)
        _clean_amounts(values, problems)
        rate = values.get("max_eu_rate") or min(STANDARD_RATE, ceiling)
        if not Decimal("0") < rate <= ceiling:
            problems["max_eu_rate"] = _(
                "The EU co-financing rate can be at most %(rate)s %% for this type of action (%(reference)s)."
            ) % {"rate": messages.figure(ceiling * 100, 0), "reference": reference}
    else:
        if values.get("type_of_action"):
            problems["type_of_action"] = _(
                "A call of a 2014-2020 programme serves national objectives or a specific action, "
                "not a type of action."
            )
        if so is not None:
            _clean_national_objectives(values, so, problems)
        _clean_amounts(values, problems)
        ceiling = SPECIFIC_ACTION_RATE if values.get("specific_action") else STANDARD_RATE
        rate = values.get("max_eu_rate") or STANDARD_RATE
        if not Decimal("0") < rate <= ceiling:
            problems["max_eu_rate"] = _(
                "The EU co-financing rate can be at most %(rate)s %% for this call "
                "(Regulation (EU) No 514/2014 Art. 16; 90 %% only for specific actions)."
            ) % {"rate": messages.figure(ceiling * 100, 0)}
    values["max_eu_rate"] = rate
    for key in ("eligible_start", "eligible_end"):
        values[key] = parsing.date(values.get(key), key, problems)
        if values[key] is None:
            problems.setdefault(key, _("Required."))
    if (
        values.get("eligible_start")
        and values.get("eligible_end")
        and values["eligible_end"] < values["eligible_start"]
    ):
        problems["eligible_end"] = _("The eligible period ends before it starts.")
    for key in ("opens_at", "closes_at"):
        value = values.get(key)
        if isinstance(value, str):
            try:
                value = dt.datetime.fromisoformat(value)
            except ValueError:
                problems[key] = f"'{parsing.shown(value)}' is not a date and time."
                value = None
        if value is not None and not isinstance(value, dt.datetime):
            problems[key] = f"'{parsing.shown(value)}' is not a date and time."
            value = None
        if isinstance(value, dt.datetime) and timezone.is_naive(value):
            value = timezone.make_aware(value)  # Europe/Brussels, the project's time zone
        values[key] = value
        if value is None:
            problems.setdefault(key, _("Required."))
    if values.get("opens_at") and values.get("closes_at") and values["closes_at"] <= values["opens_at"]:
        problems["closes_at"] = _("The call must close after it opens.")
    _clean_languages(values, problems)
    _clean_criteria(values, problems)
    if (
        values.get("procedure") == Call.Procedure.DIRECT_AWARD
        and not str(values.get("direct_award_justification", "")).strip()
    ):
        problems["direct_award_justification"] = _(
            "A direct award needs the justification (legal or de facto monopoly, programme section 6.7.2)."
        )
    if problems:
        raise parsing.fields_error(problems)
    return values


@atomic
def call_create(
    *, actor: Any, programme: Any, organisation: Organisation, data: dict[str, Any]
) -> tuple[Call, list[str]]:
    """Create a draft call; returns it with warnings (over-commitment of the financing plan). A
    2021-2027 call above what its allocation line still has free is refused."""
    require(actor, "call.manage")
    values = _clean_call(data, programme)
    if not _in_scope(
        actor,
        values["specific_objective"],
        values.get("national_objectives", []),
        organisation,
        programme.pk,
        values.get("type_of_action", ""),
    ):
        _refuse_out_of_scope(actor, "call.manage", organisation)
    if Call.objects.filter(code=values["code"]).exists():
        raise parsing.fields_error(
            {"code": _("A call with code %(code)s already exists.") % {"code": values["code"]}}
        )
    invited = _invited(data.get("invited_organisation"), values.get("procedure"))
    call = Call.objects.create(
        programme=programme,
        managing_organisation=organisation,
        created_by=actor,
        invited_organisation=invited,
        **values,
    )
    _refuse_over_free(call)  # rolls the call back with the transaction
    audit.record(actor=actor, action="create", obj=call, after={k: str(v) for k, v in values.items()})
    warning = call_budget_warning(call)
    return call, [warning] if warning else []


def _invited(invited: Any, procedure: str | None) -> Organisation | None:
    if invited in (None, ""):
        invited = None
    elif not isinstance(invited, Organisation):
        invited = Organisation.objects.filter(pk=invited, status=Organisation.Status.APPROVED).first()
        if invited is None:
            raise parsing.fields_error({"invited_organisation": _("Invite an approved organisation.")})
    if procedure == Call.Procedure.DIRECT_AWARD and invited is None:
        raise parsing.fields_error({"invited_organisation": _("A direct award invites one beneficiary.")})
    return invited if procedure == Call.Procedure.DIRECT_AWARD else None


OUT_OF_SCOPE = "This call is outside the part of the programme delegated to you."


def _refuse_out_of_scope(actor: Any, action: str, obj: Any) -> None:
    audit.record_security_event(
        user=actor, event="permission_refused", obj=obj, detail={"action": action, "reason": OUT_OF_SCOPE}
    )
    raise ForbiddenError(OUT_OF_SCOPE)


def assert_in_scope(actor: Any, call: Call, action: str) -> None:
    """`action`, and for a delegated authority officer only on the calls of the part of the programme
    delegated to them (their organisation, specific and national objective): every service that
    reads or changes a call's applications, ranking or meetings asks this, not only the role."""
    require(actor, action)
    if not _call_in_scope(actor, call):
        _refuse_out_of_scope(actor, action, call)


def assert_may_manage(actor: Any, call: Call) -> None:
    """call.manage, and for a delegated authority only the calls of the part delegated to it."""
    assert_in_scope(actor, call, "call.manage")


def may_manage(actor: Any, call: Call) -> bool:
    """Whether the page should offer this person the call's management buttons (a question, not
    an attempt: nothing is recorded as refused)."""
    return check(actor, "call.manage").allowed and _call_in_scope(actor, call)


def call_values(call: Call) -> dict[str, Any]:
    """The call's editable values in the shape call_create takes (the edit form starts from these)."""
    values = {k: getattr(call, k) for k in CALL_FIELDS}
    values["invited_organisation"] = call.invited_organisation_id
    return values


@atomic
def call_update(*, actor: Any, call: Call, data: dict[str, Any], expected_lock_version: int) -> Call:
    """Change a draft call. Once published its terms are what applicants answered: they stay fixed."""
    require(actor, "call.manage")
    current = lock_for_update(Call.objects.select_related("programme")).get(pk=call.pk)
    if current.lock_version != expected_lock_version:
        raise StaleObjectError(f"Call {current.code}")
    assert_may_manage(actor, current)
    if current.status != Call.Status.DRAFT:
        raise ApplicationError(
            f"Call {current.code} is {current.get_status_display()}; only a draft call can be changed."
        )
    merged = call_values(current) | {k: v for k, v in data.items() if k in CALL_FIELDS}
    values = _clean_call(merged, current.programme)
    if not _in_scope(
        actor,
        values["specific_objective"],
        values.get("national_objectives", []),
        current.managing_organisation,
        current.programme_id,
        values.get("type_of_action", ""),
    ):
        _refuse_out_of_scope(actor, "call.manage", current)
    if Call.objects.filter(code=values["code"]).exclude(pk=current.pk).exists():
        raise parsing.fields_error(
            {"code": _("A call with code %(code)s already exists.") % {"code": values["code"]}}
        )
    invited = _invited(
        data.get("invited_organisation", current.invited_organisation_id), values.get("procedure")
    )
    before = {k: str(getattr(current, k)) for k in values} | {
        "invited_organisation": str(current.invited_organisation_id)
    }
    for key, value in values.items():
        setattr(current, key, value)
    current.invited_organisation = invited
    current.lock_version += 1
    _refuse_over_free(current)
    current.save()
    current.refresh_from_db()  # compare stored forms: 0.75 and 0.7500 are the same rate
    after = {k: str(getattr(current, k)) for k in values} | {
        "invited_organisation": str(current.invited_organisation_id)
    }
    changed = {k for k in after if after[k] != before.get(k)}
    audit.record(
        actor=actor,
        action="update",
        obj=current,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
    )
    return current


AWAITING_COMMITTEE = ("proposed", "reserve", "assessed")  # application statuses (amis.applications)
TRANSITIONS = {
    Call.Status.DRAFT: {Call.Status.PUBLISHED},
    Call.Status.PUBLISHED: {Call.Status.CLOSED},
    Call.Status.CLOSED: {Call.Status.ASSESSED},
    Call.Status.ASSESSED: {Call.Status.DECIDED},
    Call.Status.DECIDED: set(),
}


def publication_problem(call: Call, *, no_documents: bool = False) -> str | None:
    """What would make publishing the call fail, asked before the page asks for the confirmation
    (no one is asked to confirm what cannot succeed): no guide for applicants and no confirmation
    that there is none; for a 2021-2027 call, a budget above what its allocation line still has free.
    `call_transition` checks the same again under its locks."""
    if call.status != Call.Status.DRAFT:
        return None
    if call.type_of_action:
        programmed, committed = free_in_financing_plan(call)
        if call.budget > programmed - committed:
            return _over_free_message(call, programmed, committed)
    if not no_documents and not call.documents.exists():
        return str(NO_GUIDE)
    return None


NO_GUIDE = gettext_lazy(
    "A call is published with its guide for applicants: add the guide to the call's documents, "
    "or confirm that this call has no documents for applicants."
)


@atomic
def call_transition(
    *, actor: Any, call: Call, status: str, expected_lock_version: int, no_documents: bool = False
) -> Call:
    """Moves the call on. A 2021-2027 call is published only within what its allocation line still
    has free (other published calls counted). Publishing needs the guide for applicants among the
    call's documents, or the explicit confirmation `no_documents` (recorded in the audit entry):
    applicants must know the rules they apply under (Reg. 2021/1060 Art. 73(3) information to applicants)."""
    require(actor, "call.manage")
    current = lock_for_update(Call.objects).get(pk=call.pk)
    if current.lock_version != expected_lock_version:
        raise StaleObjectError(f"Call {current.code}")
    assert_may_manage(actor, current)
    if status not in TRANSITIONS[Call.Status(current.status)]:
        raise ApplicationError(f"A {current.get_status_display()} call cannot become {status}.")
    if status == Call.Status.DECIDED and current.applications.filter(status__in=AWAITING_COMMITTEE).exists():
        raise ApplicationError(
            f"Applications of {current.code} still wait for the Monitoring Committee's decision; the call "
            "is decided when the meeting that decides the last of them closes."
        )
    after: dict[str, Any] = {"status": status}
    if status == Call.Status.PUBLISHED and current.type_of_action:
        # one publication at a time per programme, so two drafts cannot both take the same free money
        lock_for_update(Programme.objects).get(pk=current.programme_id)
        _refuse_over_free(current)
    if status == Call.Status.PUBLISHED and not current.documents.exists():
        if not no_documents:
            raise ApplicationError(str(NO_GUIDE))
        after["no_documents_confirmed"] = True
    before = current.status
    current.status = status
    current.lock_version += 1
    current.save(update_fields=["status", "lock_version"])
    audit.record(actor=actor, action="transition", obj=current, before={"status": before}, after=after)
    return current
