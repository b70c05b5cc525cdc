"""Django admin for the reference data: funds, periods, member states, indicator catalogues,
types of intervention.

Programme content is not edited here: it comes in through the import and the services, which
check it and write the audit trail.
"""

from django.contrib import admin

from amis.programme.models import (
    CommonIndicator,
    Fund,
    InterventionCode,
    InterventionDimension,
    MemberState,
    ProgrammingPeriod,
)


@admin.register(Fund)
class FundAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(ProgrammingPeriod)
class ProgrammingPeriodAdmin(admin.ModelAdmin):
    list_display = ["code", "start_year", "end_year"]


@admin.register(MemberState)
class MemberStateAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(CommonIndicator)
class CommonIndicatorAdmin(admin.ModelAdmin):
    list_display = ["fund", "period", "specific_objective", "code", "kind", "unit"]
    list_filter = ["fund", "period", "specific_objective", "kind"]
    search_fields = ["code", "name"]


class InterventionCodeInline(admin.TabularInline):
    model = InterventionCode
    extra = 0


@admin.register(InterventionDimension)
class InterventionDimensionAdmin(admin.ModelAdmin):
    list_display = ["fund", "period", "code", "name", "reference"]
    list_filter = ["fund", "period"]
    inlines = [InterventionCodeInline]
