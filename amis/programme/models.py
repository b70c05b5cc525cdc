"""The national programme as the SFC2014/SFC2021 model structures it.

A `Programme` is identified by its CCI; each `ProgrammeVersion` is a complete snapshot of the
programme's content (authorities, objectives, actions, tables, indicators, texts), because the
Commission adopts versions as wholes and the product must show any version exactly as it was.
Totals are never stored: they are derived from the parts (see `amis.programme.rules.financing`).
Texts are language maps (`{"en": "...", "fr": "..."}`) so each text lives in the languages it exists in.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amis.core.fields import money_field


class Fund(models.Model):
    """AMIF, ISF, BMVI... Reference data, maintained in the admin."""

    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class ProgrammingPeriod(models.Model):
    code = models.CharField(max_length=9, unique=True, help_text="e.g. 2014-2020")
    start_year = models.PositiveSmallIntegerField()
    end_year = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["start_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_year__lt=models.F("end_year")), name="period_start_before_end"
            )
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))


class MemberState(models.Model):
    code = models.CharField(
        max_length=2, unique=True, help_text="ISO 3166-1 alpha-2 (EL for Greece as the EU uses)"
    )
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class CommonIndicator(models.Model):
    """The regulation's catalogue of common indicators, per fund and period.

    2014-2020: 516/2014 Annex IV (no output/result split: `kind` is blank). 2021-2027: the fund
    regulation's annex of common output and result indicators (AMIF 2021/1147 Annex VIII).
    """

    class Kind(models.TextChoices):
        OUTPUT = "output", _("output")
        RESULT = "result", _("result")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT)
    period = models.ForeignKey(ProgrammingPeriod, on_delete=models.PROTECT)
    specific_objective = models.CharField(max_length=10)
    code = models.CharField(max_length=20)
    kind = models.CharField(max_length=6, choices=Kind.choices, blank=True, default="")
    name = models.TextField()
    unit = models.CharField(max_length=10)

    class Meta:
        ordering = ["fund", "period", "specific_objective", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "period", "specific_objective", "code"], name="unique_common_indicator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.fund} {self.period} {self.specific_objective} {self.code}"


class InterventionDimension(models.Model):
    """A dimension of the "type of intervention" of a fund and period (e.g. AMIF 2021/1147 Annex VI:
    intervention field, type of action, implementation modality, special intervention themes)."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT)
    period = models.ForeignKey(ProgrammingPeriod, on_delete=models.PROTECT)
    code = models.CharField(max_length=40, help_text="e.g. intervention_field")
    name = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    reference = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["fund", "period", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "period", "code"], name="unique_intervention_dimension")
        ]

    def __str__(self) -> str:
        return f"{self.fund} {self.period} {self.name}"


class InterventionCode(models.Model):
    """A code of an intervention dimension, with its label in English."""

    dimension = models.ForeignKey(InterventionDimension, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(max_length=10)
    label = models.TextField()
    specific_objective = models.CharField(
        max_length=10, blank=True, help_text="for codes that belong to one specific objective"
    )

    class Meta:
        ordering = ["dimension", "specific_objective", "code"]
        constraints = [
            # AMIF 2021/1147 Annex VI Table 1 numbers the intervention fields from 001 in each
            # specific objective: a code is unique within its dimension and specific objective
            models.UniqueConstraint(
                fields=["dimension", "specific_objective", "code"], name="unique_intervention_code_per_so"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dimension} {self.code}"


class Programme(models.Model):
    cci = models.CharField("CCI", max_length=20, unique=True)
    member_state = models.ForeignKey(MemberState, on_delete=models.PROTECT)
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT)
    period = models.ForeignKey(ProgrammingPeriod, on_delete=models.PROTECT)
    title = models.JSONField(default=dict)
    languages = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cci"]

    def __str__(self) -> str:
        return self.cci


class ProgrammeVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        ADOPTED = "adopted", _("adopted")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    decision_reference = models.CharField(max_length=60, blank=True, default="")
    decision_date = models.DateField(blank=True, null=True)
    note = models.TextField(blank=True)
    technical_assistance = money_field(null=True, blank=True)
    management_and_control_system = models.JSONField(default=dict)
    pledging_periods = models.JSONField(default=list)
    special_cases_justification = models.JSONField(default=dict)
    file_format = models.PositiveSmallIntegerField(
        default=1, help_text="amis-programme format version the version was written in (1 or 2)"
    )
    lock_version = models.PositiveIntegerField(default=1, help_text="Optimistic locking counter.")
    # a draft the officer has finished and handed to the manager (who is notified) for review
    ready_for_review_at = models.DateTimeField(null=True, blank=True)
    ready_for_review_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="unique_version_number"),
            models.CheckConstraint(
                condition=Q(technical_assistance__gte=0) | Q(technical_assistance__isnull=True),
                name="ta_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.cci} v{self.number}"


class Authority(models.Model):
    class Kind(models.TextChoices):
        RESPONSIBLE = "responsible", _("Responsible authority")
        AUDIT = "audit", _("Audit authority")
        DELEGATED = "delegated", _("Delegated authority")
        # 2021-2027: Regulation (EU) 2021/1060, Art. 71 and Annex V, table 13
        MANAGING = "managing", _("Managing authority")
        BODY_RECEIVING_PAYMENTS = "body_receiving_payments", _("Body which receives payments")

    version = models.ForeignKey(ProgrammeVersion, on_delete=models.CASCADE, related_name="authorities")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=30, choices=Kind.choices)
    name = models.CharField(max_length=300)
    person_responsible = models.CharField(max_length=300, blank=True)
    address = models.CharField(max_length=300, blank=True)
    email = models.CharField(max_length=254, blank=True)
    designation_date = models.DateField(null=True, blank=True)
    delegated_activities = models.TextField(blank=True)

    class Meta:
        ordering = ["version", "position"]

    def __str__(self) -> str:
        return self.name


class ProgrammeText(models.Model):
    """A long text section (executive summary, baseline, ...) in one language."""

    version = models.ForeignKey(ProgrammeVersion, on_delete=models.CASCADE, related_name="texts")
    section = models.CharField(max_length=40)
    language = models.CharField(max_length=2)
    body = models.TextField(blank=True)

    class Meta:
        ordering = ["version", "section", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "section", "language"], name="unique_text_section_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.section} ({self.language})"


class BeneficiaryType(models.Model):
    version = models.ForeignKey(ProgrammeVersion, on_delete=models.CASCADE, related_name="beneficiary_types")
    position = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=40)
    name = models.JSONField(default=dict)

    class Meta:
        ordering = ["version", "position"]

    def __str__(self) -> str:
        return self.code


class SpecificObjective(models.Model):
    version = models.ForeignKey(
        ProgrammeVersion, on_delete=models.CASCADE, related_name="specific_objectives"
    )
    position = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=10)
    name = models.JSONField(default=dict)
    strategy = models.JSONField(default=dict)

    class Meta:
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="unique_so_code")]

    def __str__(self) -> str:
        return self.code


class NationalObjective(models.Model):
    specific_objective = models.ForeignKey(
        SpecificObjective, on_delete=models.CASCADE, related_name="national_objectives"
    )
    position = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=10)
    name = models.JSONField(default=dict)
    text = models.JSONField(default=dict)
    amount = money_field(null=True, blank=True, help_text="Table 1; blank = nothing programmed")

    class Meta:
        ordering = ["specific_objective", "position"]
        constraints = [
            models.UniqueConstraint(fields=["specific_objective", "code"], name="unique_no_code"),
            models.CheckConstraint(
                condition=Q(amount__gte=0) | Q(amount__isnull=True), name="no_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.specific_objective.code}.{self.code}"


class SpecificAction(models.Model):
    specific_objective = models.ForeignKey(
        SpecificObjective, on_delete=models.CASCADE, related_name="specific_actions"
    )
    position = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=10)
    name = models.JSONField(default=dict)
    text = models.JSONField(default=dict)
    amount = money_field(null=True, blank=True)

    class Meta:
        ordering = ["specific_objective", "position"]
        constraints = [
            models.UniqueConstraint(fields=["specific_objective", "code"], name="unique_sa_code"),
            models.CheckConstraint(
                condition=Q(amount__gte=0) | Q(amount__isnull=True), name="sa_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.specific_objective.code}.{self.code}"


class SpecificActionParticipation(models.Model):
    """The member state's part in one specific-action project (EU-FRANK, EUR-LO...)."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        PARTNER = "partner", _("Partner")

    specific_action = models.ForeignKey(
        SpecificAction, on_delete=models.CASCADE, related_name="participations"
    )
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=10, choices=Role.choices)
    lead_member_state = models.CharField(max_length=2, blank=True)
    description = models.JSONField(default=dict)

    class Meta:
        ordering = ["specific_action", "position"]

    def __str__(self) -> str:
        return self.name


class Action(models.Model):
    national_objective = models.ForeignKey(
        NationalObjective, on_delete=models.CASCADE, related_name="actions"
    )
    number = models.PositiveSmallIntegerField()
    title = models.JSONField(default=dict)
    scope = models.CharField(max_length=40, blank=True)
    example_actions = models.JSONField(default=dict)
    desired_outcomes = models.JSONField(default=dict)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"Action {self.number}"


class TimetableEntry(models.Model):
    version = models.ForeignKey(ProgrammeVersion, on_delete=models.CASCADE, related_name="timetable")
    position = models.PositiveSmallIntegerField()
    specific_objective = models.CharField(max_length=10)
    objective = models.CharField(max_length=10, help_text="NO or SA code within the specific objective")
    main_action = models.PositiveSmallIntegerField()
    action_number = models.PositiveSmallIntegerField(null=True, blank=True)
    name = models.JSONField(default=dict)
    planning_start = models.PositiveSmallIntegerField()
    implementation_start = models.PositiveSmallIntegerField()
    closing_start = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planning_start__lte=models.F("implementation_start"))
                & Q(implementation_start__lte=models.F("closing_start")),
                name="timetable_phases_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.specific_objective}.{self.objective} main action {self.main_action}"


class SpecialCaseType(models.Model):
    """A Table 2 row: resettlement, relocation under a decision, transfer, admission..."""

    class Category(models.TextChoices):
        RESETTLEMENT = "resettlement", _("Resettlement")
        TRANSFER = "transfer", _("Transfer")
        RELOCATION = "relocation", _("Relocation")
        ADMISSION = "admission", _("Admission")

    version = models.ForeignKey(ProgrammeVersion, on_delete=models.CASCADE, related_name="special_case_types")
    position = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=40)
    name = models.JSONField(default=dict)
    category = models.CharField(max_length=20, choices=Category.choices)
    legal_basis = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="unique_special_case_code")]

    def __str__(self) -> str:
        return self.code


class SpecialCaseAmount(models.Model):
    special_case = models.ForeignKey(SpecialCaseType, on_delete=models.CASCADE, related_name="annual_amounts")
    year = models.PositiveSmallIntegerField()
    amount = money_field()

    class Meta:
        ordering = ["special_case", "year"]
        constraints = [
            models.UniqueConstraint(fields=["special_case", "year"], name="unique_special_case_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="special_case_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.special_case.code} {self.year}"


class Pledge(models.Model):
    """A pledging-plan line: persons per pledging period, paid as a lump sum per person."""

    class Group(models.TextChoices):
        UNION_PRIORITIES = "union_priorities", _("Common Union resettlement priorities")
        OTHER = "other", _("Other")

    special_case = models.ForeignKey(SpecialCaseType, on_delete=models.CASCADE, related_name="pledges")
    position = models.PositiveSmallIntegerField()
    name = models.JSONField(default=dict)
    group = models.CharField(max_length=20, choices=Group.choices, default=Group.OTHER)
    from_country = models.CharField(max_length=2, blank=True, default="")
    to_country = models.CharField(max_length=2, blank=True, default="")
    lump_sum = money_field()
    persons = models.JSONField(default=dict, help_text="pledging period -> number of persons")

    class Meta:
        ordering = ["special_case", "position"]
        constraints = [models.CheckConstraint(condition=Q(lump_sum__gte=0), name="lump_sum_not_negative")]

    def __str__(self) -> str:
        return f"{self.special_case.code} pledge {self.position + 1}"


class AnnualCommitmentRow(models.Model):
    """A Table 3 row (e.g. 'Asylum and solidarity'); its amounts per year are `AnnualCommitment`s."""

    version = models.ForeignKey(ProgrammeVersion, on_delete=models.CASCADE, related_name="commitment_rows")
    position = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=40)
    name = models.JSONField(default=dict)

    class Meta:
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="unique_commitment_row")]

    def __str__(self) -> str:
        return self.code


class AnnualCommitment(models.Model):
    row = models.ForeignKey(AnnualCommitmentRow, on_delete=models.CASCADE, related_name="amounts")
    year = models.PositiveSmallIntegerField()
    amount = money_field()

    class Meta:
        ordering = ["row", "year"]
        constraints = [
            models.UniqueConstraint(fields=["row", "year"], name="unique_commitment_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="commitment_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.row.code} {self.year}"


class Indicator(models.Model):
    class Kind(models.TextChoices):
        COMMON = "common", _("Common")
        PROGRAMME_SPECIFIC = "programme_specific", _("Programme-specific")

    class Unit(models.TextChoices):
        NUMBER = "number", _("Number")
        PERCENT = "percent", _("%")
        EURO = "euro", _("EUR")

    specific_objective = models.ForeignKey(
        SpecificObjective, on_delete=models.CASCADE, related_name="indicators"
    )
    position = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=20)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.COMMON)
    name = models.JSONField(default=dict)

    class Type(models.TextChoices):
        OUTPUT = "output", _("output")
        RESULT = "result", _("result")

    unit = models.CharField(max_length=10, choices=Unit.choices)
    # 2021-2027 (Regulation (EU) 2021/1060, Art. 22(3)(d)(ii) and Annex V, tables 2 and 3)
    indicator_type = models.CharField(max_length=6, choices=Type.choices, blank=True, default="")
    baseline = models.DecimalField(max_digits=15, decimal_places=2)
    reference_year = models.PositiveSmallIntegerField(null=True, blank=True)
    milestone = models.DecimalField(max_digits=15, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(max_digits=15, decimal_places=2)
    source = models.JSONField(default=dict)

    class Meta:
        ordering = ["specific_objective", "position"]
        constraints = [
            models.UniqueConstraint(fields=["specific_objective", "code"], name="unique_indicator_code")
        ]

    def __str__(self) -> str:
        return f"{self.specific_objective.code} {self.code}"


# --- 2021-2027: the programme as the CPR Annex V template structures it (format version 2) ---------


class InterventionAllocation(models.Model):
    """Indicative breakdown of an SO's EU resources by type of intervention (Annex V, table 1/4):
    a dimension and a code of the fund's reference data (AMIF: Regulation (EU) 2021/1147, Annex VI)."""

    specific_objective = models.ForeignKey(
        SpecificObjective, on_delete=models.CASCADE, related_name="interventions"
    )
    position = models.PositiveSmallIntegerField()
    dimension = models.CharField(max_length=40)
    code = models.CharField(max_length=10)
    amount = money_field()

    class Meta:
        ordering = ["specific_objective", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["specific_objective", "dimension", "code"], name="unique_intervention_allocation"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="intervention_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.specific_objective.code} {self.dimension} {self.code}"


class Appropriation(models.Model):
    """Financial appropriations by year and type of allocation (Annex V, financing table 1)."""

    class AllocationType(models.TextChoices):
        INITIAL = "initial_allocation", _("Initial allocation")
        MID_TERM_REVIEW = "mid_term_review", _("Mid-term review")
        THEMATIC_FACILITY = "thematic_facility", _("Thematic facility")
        TRANSFER_IN = "transfer_in", _("Transfer (in)")
        TRANSFER_OUT = "transfer_out", _("Transfer (out)")

    version = models.ForeignKey(ProgrammeVersion, on_delete=models.CASCADE, related_name="appropriations")
    allocation_type = models.CharField(max_length=20, choices=AllocationType.choices)
    year = models.PositiveSmallIntegerField()
    amount = money_field()

    class Meta:
        ordering = ["version", "allocation_type", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "allocation_type", "year"], name="unique_appropriation"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="appropriation_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.allocation_type} {self.year}"


class AllocationLine(models.Model):
    """Total allocations by specific objective and type of action (Annex V, financing table 2/3).

    Stored are the three contributions; the total and the co-financing rate are derived from them
    (`rules.annex_v`), never stored (docs/decisions/0003-totals-are-derived.md)."""

    class TypeOfAction(models.TextChoices):
        REGULAR = "regular", _("Regular actions")
        ANNEX_IV = "annex_iv", _("Actions listed in Annex IV")
        OPERATING_SUPPORT = "operating_support", _("Operating support")
        EMERGENCY = "emergency_assistance", _("Emergency assistance")
        RESETTLEMENT = (
            "resettlement_admission_transfers",
            _("Resettlement, humanitarian admission and transfers (Art. 19 and 20)"),
        )
        TECHNICAL_ASSISTANCE = "technical_assistance", _("Technical assistance")
        SPECIFIC_ACTIONS = "specific_actions", _("Specific actions")

    class Basis(models.TextChoices):
        TOTAL = "total", _("Total")
        PUBLIC = "public", _("Public")

    version = models.ForeignKey(ProgrammeVersion, on_delete=models.CASCADE, related_name="allocation_lines")
    position = models.PositiveSmallIntegerField()
    specific_objective = models.CharField(max_length=10, help_text="SO code, or TA")
    type_of_action = models.CharField(max_length=40, choices=TypeOfAction.choices)
    basis = models.CharField(max_length=6, choices=Basis.choices, default=Basis.TOTAL)
    eu_contribution = money_field()
    national_public = money_field()
    national_private = money_field()

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "specific_objective", "type_of_action"], name="unique_allocation_line"
            ),
            models.CheckConstraint(
                condition=Q(eu_contribution__gte=0) & Q(national_public__gte=0) & Q(national_private__gte=0),
                name="allocation_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.specific_objective} {self.type_of_action}"


class FundTransfer(models.Model):
    """A transfer between funds or instruments (Regulation (EU) 2021/1060, Art. 26; Annex V)."""

    class Direction(models.TextChoices):
        OUT = "out", _("Transfer from this fund")
        IN = "in", _("Transfer to this fund")

    version = models.ForeignKey(ProgrammeVersion, on_delete=models.CASCADE, related_name="fund_transfers")
    position = models.PositiveSmallIntegerField()
    direction = models.CharField(max_length=3, choices=Direction.choices)
    counterpart = models.CharField(max_length=40, help_text="the other fund or instrument")
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    amount = money_field()

    class Meta:
        ordering = ["version", "position"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="fund_transfer_not_negative")]

    def __str__(self) -> str:
        return f"{self.direction} {self.counterpart}"


class ThematicFacilityLine(models.Model):
    """Appendix 3 of the template: contributions under the thematic facility."""

    class Modality(models.TextChoices):
        SPECIFIC_ACTION = "specific_action", _("Specific action")
        EMERGENCY = "emergency_assistance", _("Emergency assistance")
        RESETTLEMENT = (
            "resettlement_admission_transfers",
            _("Resettlement, humanitarian admission, transfers"),
        )
        UNION_ACTION = "union_action", _("Union action")

    version = models.ForeignKey(ProgrammeVersion, on_delete=models.CASCADE, related_name="thematic_facility")
    position = models.PositiveSmallIntegerField()
    specific_objective = models.CharField(max_length=10)
    modality = models.CharField(max_length=40, choices=Modality.choices)
    intervention_code = models.CharField(max_length=10, blank=True)
    eu_contribution = money_field()
    description = models.JSONField(default=dict)

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.CheckConstraint(condition=Q(eu_contribution__gte=0), name="thematic_facility_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.specific_objective} {self.modality}"


class SimplifiedCostOption(models.Model):
    """Appendix 1: Union contribution based on unit costs, lump sums and flat rates (CPR Art. 94)."""

    class Kind(models.TextChoices):
        UNIT_COST = "unit_cost", _("Unit cost")
        LUMP_SUM = "lump_sum", _("Lump sum")
        FLAT_RATE = "flat_rate", _("Flat rate")

    version = models.ForeignKey(ProgrammeVersion, on_delete=models.CASCADE, related_name="simplified_costs")
    position = models.PositiveSmallIntegerField()
    specific_objective = models.CharField(max_length=10)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    operation = models.JSONField(default=dict)
    indicator = models.JSONField(default=dict)
    unit = models.CharField(max_length=100, blank=True)
    amount = money_field(null=True, blank=True, help_text="unit cost or lump sum in EUR")
    rate = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, help_text="flat rate, %"
    )
    share = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, help_text="estimated % of the SO's allocation"
    )

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(amount__gte=0) | Q(amount__isnull=True))
                & (Q(rate__gte=0) | Q(rate__isnull=True)),
                name="sco_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.specific_objective} {self.kind}"


class NonCostFinancing(models.Model):
    """Appendix 2: Union contribution based on financing not linked to costs (CPR Art. 95)."""

    version = models.ForeignKey(ProgrammeVersion, on_delete=models.CASCADE, related_name="non_cost_financing")
    position = models.PositiveSmallIntegerField()
    specific_objective = models.CharField(max_length=10)
    operation = models.JSONField(default=dict)
    conditions = models.JSONField(default=dict)
    amount = money_field()

    class Meta:
        ordering = ["version", "position"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="non_cost_not_negative")]

    def __str__(self) -> str:
        return f"{self.specific_objective} financing not linked to costs"


class EnablingCondition(models.Model):
    """A horizontal enabling condition and whether it is fulfilled (CPR Art. 15, Annex III; Annex V)."""

    version = models.ForeignKey(
        ProgrammeVersion, on_delete=models.CASCADE, related_name="enabling_conditions"
    )
    position = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=40)
    name = models.JSONField(default=dict)
    fulfilled = models.BooleanField()
    criteria = models.JSONField(default=dict)
    justification = models.JSONField(default=dict)

    class Meta:
        ordering = ["version", "position"]

    def __str__(self) -> str:
        return self.code
