"""The working in the reader's language: every step the rules can write is known to the catalogue
(`amis.sampling.working_i18n`) and translated into Dutch, French and German; numbers are written
as each language writes them; what stays in English is marked lang="en"; the sampling pages and the
annual control report show it so."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal as D
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import trans_real
from openpyxl import load_workbook

from amis.accounts.models import User
from amis.audit import exports as audit_exports
from amis.audit import rules as audit_rules
from amis.audit import services as audit_services
from amis.audit.tests import helpers as audit_helpers
from amis.sampling import periods, services, subsamples, working_i18n
from amis.sampling.rules import combined, methods, projection, selection, tables
from amis.sampling.rules.methods import Unit
from amis.sampling.rules.projection import ANOMALOUS, SYSTEMIC, Result
from amis.sampling.tests.builders import AUDITOR, YEAR, declared, lines_behind

LANGUAGES = ("nl", "fr", "de")


def _units(prefix: str, count: int, value: str) -> list[Unit]:
    return [Unit(f"{prefix}{i:03}", D(value)) for i in range(count)]


def _rule_steps() -> list[dict[str, str]]:
    """The working of every rule over a few small inputs: each method's size, design, selection and
    projection, the sub-sample and the residual rate (inputs as in test_formulas.py)."""
    steps: list[Any] = []
    te, step = methods.tolerable_error(D("3146433.12"))
    steps.append(step)
    steps += methods.mus_standard_n(D("10000000"), D("0.05"), D("200000"), D("50000"), 80).working
    steps += methods.mus_conservative_n(D("1000000"), D("20000"), D("5000"), 90).working
    for estimator in ("mean", "ratio", "difference"):
        steps += methods.srs_n(1000, D("100"), D("20000"), D("0"), 95, estimator=estimator).working
    high = [Unit("L", D("50000")), *_units("S", 9, "1000")]
    design = methods.mus_standard_design(high, D("0.02"), D("1180"), D("0"), 90, minimum=1)
    steps += design.working
    steps += methods.mus_standard_design(_units("S", 12, "1000"), D("0.02"), D("240"), D("0"), 60).working
    steps += methods.mus_conservative_design(high, D("1180"), D("0"), 90, minimum=1).working
    strata = {"a": _units("a", 60, "1000"), "b": _units("b", 40, "1000")}
    steps += methods.mus_stratified_design(
        strata, {"a": D("0.2"), "b": D("0.1")}, D("2000"), D("0"), 80
    ).working
    steps += methods.two_period_design(
        D("600000"), D("400000"), D("0.1"), D("0.1"), D("20000"), D("0"), 80
    ).working
    steps += methods.non_statistical_size(_units("u", 120, "10"), 2).working
    steps += methods.subsample_size(500).working
    steps += selection.build_population(
        [("a", D("10")), ("a", D("5")), ("b", D("-3")), ("c", D("7"))]
    ).working
    steps += selection.systematic_pps(design.high_value, design.rest, design.n_sampled, 7).working
    steps += selection.simple_random(_units("u", 20, "10"), 5, 3).working

    mus = [
        Result("H", D("200000"), D("2000"), stratum="high"),
        Result("s1", D("10000"), D("1000")),
        Result("s2", D("20000"), D("0")),
        Result("s3", D("5000"), D("500"), kind=SYSTEMIC),
        Result("s4", D("40000"), D("300"), kind=ANOMALOUS),
    ]
    steps += projection.mus_standard(mus, D("1000000"), D("800000"), 80).working
    steps += projection.mus_standard(mus, D("1000000"), D("800000"), 80, systemic_extent=D("90000")).working
    steps += projection.mus_standard(mus[1:3], D("100000"), D("100000"), 80).working  # no 100 % stratum
    strata_of = {"s1": "a", "s2": "a", "s3": "b", "s4": "b"}
    steps += projection.mus_stratified(
        mus, strata_of, D("1000000"), {"a": D("500000"), "b": D("300000")}, 80
    ).working
    steps += projection.mus_conservative(mus, D("1000000"), D("800000"), 10, 95).working
    steps += projection.mus_conservative(mus[:1], D("1000000"), D("0"), 0, 95).working
    for estimator in ("mean", "ratio", "difference"):
        steps += projection.simple_random(mus, 100, D("1000000"), 90, estimator=estimator).working
    steps += projection.simple_random(mus[:1], 100, D("1000000"), 90).working  # nothing sampled
    steps += projection.non_statistical(mus, D("1000000")).working
    steps += projection.subsample([(D("100"), D("10")), (D("300"), D("0"))], D("20000")).working
    steps += projection.residual_rate(D("42000"), D("12000"), D("1000000")).working
    steps += projection.residual_rate(D("1000"), D("5000"), D("1000000")).working
    steps += _new_rule_steps()
    return [s.as_dict() for s in steps]


def _new_rule_steps() -> list[Any]:
    """The rules added with the Regulations' articles, two-period sampling, sub-sampling and the
    year's samples combined: the 2021-2027 cap of 50 units and per-stratum floor of 3, the
    non-statistical size by period, the second period's size and a period's points, the sub-sample
    and the combination (with a precision brought to another confidence level)."""
    steps: list[Any] = []
    wide = [Unit("L", D("50000")), *_units("S", 99, "1000")]
    uncapped = methods.mus_standard_design(wide, D("0.5"), D("1180"), D("0"), 90, minimum=1)
    assert uncapped.n > 50
    capped = methods.capped_design(uncapped, 1, "2021-2027")
    assert capped.n == 50
    steps += capped.working
    small = {"a": _units("a", 60, "1000"), "b": _units("b", 4, "10")}
    floor = methods.mus_stratified_design(
        small, {"a": D("0.2"), "b": D("0.1")}, D("2000"), D("0"), 80, period="2021-2027"
    ).working
    assert any(s.label == "At least 3 units in each random stratum" for s in floor)
    steps += floor
    steps += methods.non_statistical_size(_units("u", 120, "10"), 2, "2014-2020").working
    steps += methods.non_statistical_size(_units("u", 120, "10"), 2, "2021-2027").working
    steps += methods.two_period_second(
        D("600000"), D("400000"), D("0.1"), D("0.1"), D("20000"), D("0"), 80, 10
    ).working
    steps += methods.two_period_design(
        D("6000"), D("4000"), D("0.1"), D("0.1"), D("20000"), D("0"), 80, minimum=30
    ).working
    steps += methods.fixed_points_design(
        [Unit("H", D("900")), *_units("p", 20, "100")], 5, "Period 1"
    ).working
    steps += methods.subsample_size(12).working
    steps += selection.simple_random(_units("line", 12, "100"), 5, 99).working
    parts = [
        combined.Part(
            1,
            10,
            "mus_standard",
            70,
            D("900000"),
            30,
            D("5000"),
            D("3000"),
            D("1000"),
            D("0"),
            D("3000"),
            D("9000"),
            D("2000"),
        ),
        combined.Part(
            2,
            20,
            "mus_conservative",
            60,
            D("100000"),
            12,
            D("0"),
            D("2000"),
            D("0"),
            D("1000"),
            D("4000"),
            D("3000"),
        ),
        combined.Part(
            3, 30, "mus_standard", 80, D("100000"), 30, D("0"), D("0"), D("0"), D("0"), D("1000"), D("0")
        ),
    ]
    year = combined.combine(parts)
    labels = {s.label for s in year.working}
    assert {"Samples combined", "Precision of sample 1 at 80 %", "Precision of sample 2 at 80 %"} <= labels
    steps += year.working
    return steps


def test_every_step_the_rules_write_is_known_to_the_catalogue():
    steps = _rule_steps()
    labels = {s["label"] for s in steps}
    assert {"MUS: cut-off, round 2", "MUS conservative: cut-off, round 1", "Stratum a"} <= labels
    with translation.override("en"):
        unknown = {(name, step[name]) for step in steps for name in working_i18n.untranslated(step)}
    assert unknown == set()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_has_its_translation(language):
    """Each fixed text and pattern of the catalogue is translated (the compiled catalogue has it, not
    empty), so a step the first test maps to an entry reads in the reader's language."""
    catalogue = trans_real.translation(language)._catalog  # type: ignore[attr-defined]
    for msgid in working_i18n.FIXED.values():
        assert catalogue.get(msgid), (language, msgid)
    patterns = (
        *working_i18n.LABEL_PATTERNS,
        *working_i18n.TEXT_PATTERNS,
        working_i18n.BODY,
        working_i18n.SECTION,
    )
    for pattern in patterns:
        key = (pattern.message, 0) if pattern.plural else pattern.message
        assert catalogue.get(key), (language, pattern.message)
    with translation.override(language):
        shown = [working_i18n.step_text(step) for step in _rule_steps()]
    assert all(s["label"] for s in shown)
    different = sum(s["label"] != step["label"] for s, step in zip(shown, _rule_steps(), strict=True))
    assert different > len(shown) * 0.9  # a few labels read the same ("Population" in French)


def test_the_catalogue_follows_the_sources_the_rules_cite():
    """The sources are written out in the catalogue (makemessages reads literals only): each must be
    the rules' constant as it is, or the citation would fall back to English."""
    for source in (
        tables.DELEGATED,
        tables.MATERIALITY_SOURCE,
        tables.Z_SOURCE,
        tables.FACTORS_SOURCE,
        tables.CONFIDENCE_SOURCE,
        tables.NON_STATISTICAL_SOURCE,
        tables.SUBSAMPLE_SOURCE,
        methods.MINIMUM_SOURCE,
        projection.TREATMENT_SOURCE,
        projection.TER_SOURCE,
        tables.STATISTICAL_MINIMUM_SOURCE,
        tables.CAPPED_SOURCE,
        combined.SOURCE,
        periods.PERIOD_SOURCE,
    ):
        with translation.override("nl"):
            assert not any(p.english for p in working_i18n.citation(source)), source
    assert audit_rules.SYSTEM_RULE in working_i18n.FIXED
    for level in tables.CONFIDENCE_BY_CATEGORY.values():
        assert level.assessment in working_i18n.FIXED and level.assurance in working_i18n.FIXED


def test_numbers_are_written_as_the_reader_writes_them():
    step = methods.tolerable_error(D("3146433.12"))[1].as_dict()
    expected = {
        "nl": ("0,02 × 3.146.433,12", "62.928,66"),
        "de": ("0,02 × 3.146.433,12", "62.928,66"),
        "fr": ("0,02 × 3\u202f146\u202f433,12", "62\u202f928,66"),
        "en": ("0.02 × 3,146,433.12", "62,928.66"),
    }
    for language, (substituted, result) in expected.items():
        with translation.override(language):
            shown = working_i18n.step_text(step)
        assert (shown["substituted"], shown["result"]) == (substituted, result), language
    with translation.override("nl"):
        # a decimal comma: arguments are separated by semicolons; names keep their digits
        assert working_i18n.plain(working_i18n.value("min(max(12, 30), 45)")) == "min(max(12; 30); 45)"
        assert working_i18n.plain(working_i18n.value("SO1: 3, SO2: 1234")) == "SO1: 3; SO2: 1.234"
        seed = working_i18n.plain(working_i18n.value("seed 1234567"))
        assert seed.endswith(" 1234567")  # a seed is a name: not grouped


def test_what_no_entry_knows_stays_in_english_and_says_so():
    old = {
        "label": "A step of an older AMIS",
        "formula": "x = y, the old way",
        "substituted": "1234.5 × 2",
        "result": "2469.00",
        "citation": "Some guidance, page 3",
    }
    with translation.override("fr"):
        shown = working_i18n.step_html(old)
    assert shown["label"] == '<span lang="en">A step of an older AMIS</span>'
    assert shown["formula"] == '<span lang="en">x = y; the old way</span>'
    assert shown["substituted"] == "1\u202f234,5 × 2" and shown["result"] == "2\u202f469,00"
    assert shown["citation"] == '<span lang="en">Some guidance, page 3</span>'
    with translation.override("en"):
        assert working_i18n.step_html(old)["label"] == "A step of an older AMIS"  # the page is English


# -- the pages ----------------------------------------------------------------------------------------

AMOUNTS = {
    "OP-A": ["400000.00", "100000.00"],
    **{f"OP-{i:02}": ["10000.00"] for i in range(1, 41)},
}


@pytest.fixture
def projected_sample(db: Any) -> Any:
    programme = declared(AMOUNTS)
    audit_helpers.completed_year(year=YEAR)
    auditor = User.objects.get(email=AUDITOR)
    population = services.population_build(
        actor=auditor, programme=programme, year=YEAR, unit_kind="operation"
    )
    sample = services.sample_draw(
        actor=auditor,
        population=population,
        method="mus_standard",
        sigma=D("0.05"),
        anticipated_error=D("0"),
        seed=12345,
    )
    for item in sample.items.select_related("unit").order_by("position"):
        services.item_record(
            actor=auditor,
            item=item,
            expected_lock_version=item.lock_version,
            audited_value=None,
            irregular=D("5000") if item.unit.key == "OP-A" else D("0"),
            error_kind="random" if item.unit.key == "OP-A" else "",
        )
    sample.refresh_from_db()
    return services.sample_project(
        actor=auditor, sample=sample, expected_lock_version=sample.lock_version, corrections=D("2000")
    )


def _page(path: str, language: str) -> str:
    client = Client(headers={"accept-language": language})
    client.force_login(User.objects.get(email=AUDITOR))
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def _rows(page: str) -> list[str]:
    return re.findall(r'<th scope="row">(.*?)</th>', page)


def test_the_services_steps_are_known_too(projected_sample):
    sample = projected_sample
    steps = [*sample.population.working, *sample.working, *sample.projection["working"]]
    assert any(s["label"] == "Confidence level" for s in steps)
    with translation.override("en"):
        assert [
            (s["label"], working_i18n.untranslated(s)) for s in steps if working_i18n.untranslated(s)
        ] == []


def test_the_sample_page_in_dutch_and_french(projected_sample):
    sample = projected_sample
    path = f"/sampling/samples/{sample.pk}/"
    dutch = _page(path, "nl")
    rows = _rows(dutch)
    assert "Toelaatbare fout" in rows and "Betrouwbaarheidsniveau" in rows
    assert "Steekproefomvang (MUS, standaardbenadering)" in rows
    assert "MUS: afkapwaarde, ronde 1" in rows
    assert "Tolerable error" not in dutch and "unit(s) above" not in dutch
    assert "<strong>18.000,00</strong>" in dutch  # TE = 2 % × 900 000
    assert "0,02 × 900.000" in dutch
    assert "categorie 2: werkt, maar er zijn enkele verbeteringen nodig" in dutch
    assert "EGESIF_16-0014-01 (tabel van de z-coëfficiënten per betrouwbaarheidsniveau)" in dutch
    assert "62928" not in dutch and "18000.00" not in dutch

    french = _page(path, "fr")
    rows = _rows(french)
    assert "Erreur tolérable" in rows and "Niveau de confiance" in rows
    assert "Erreur totale projetée" in rows
    assert "<strong>18\u202f000,00</strong>" in french
    assert "Règlement délégué (UE) 2023/67" in french
    tables = re.findall(r'<table class="table table-sm working">.*?</table>', french, re.DOTALL)
    assert len(tables) == 2 and not any('lang="en"' in t for t in tables)  # every step is known


def test_the_overview_translates_the_categories(projected_sample):
    page = _page("/sampling/", "de")
    assert "funktioniert gut, nur geringfügige Verbesserungen erforderlich" in page
    assert "Delegierte Verordnung (EU) 2023/67" in page


def test_the_control_report_shows_the_sampling_results_in_the_readers_format(projected_sample):
    sample = projected_sample
    audit_services.report_create(
        actor=User.objects.get(email=AUDITOR), programme=sample.population.programme, year=YEAR
    )
    path = f"/audit-authority/reports/{sample.population.programme.cci}/{YEAR}/"
    dutch = _page(path, "nl")
    section = dutch[dutch.index('id="sec-sampling-h"') :]
    assert "€\u00a0900.000,00" in section  # the population
    assert "70%" in section  # the confidence level
    assert "900000.00" not in section
    french = _page(path, "fr")
    section = french[french.index('id="sec-sampling-h"') :]
    assert "900\u202f000,00\u00a0€" in section and "70\u00a0%" in section


def test_the_xlsx_working_reads_as_the_page(projected_sample):
    client = Client(headers={"accept-language": "de"})
    client.force_login(User.objects.get(email=AUDITOR))
    answer = client.get(f"/sampling/samples/{projected_sample.pk}/?format=xlsx")
    sheet = load_workbook(io.BytesIO(answer.content)).worksheets[-1]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    first = rows[1]
    assert first[0] == "Tolerierbarer Fehler" and first[2] == "0,02 × 900.000,00" and first[3] == "18.000,00"
    assert any(row[0] == "Konfidenzniveau" for row in rows)


def test_the_control_reports_view_writes_days_and_figures_as_the_reader_does():
    content = {
        "findings": [
            {"status": "closed", "priority": "high", "deadline": "2027-01-30", "closed_on": "2026-11-26"}
        ],
        "sampling": {
            "population": "3146432.75",
            "total_error_rate": "0.15",
            "confidence_level": "70 %",
            "sample_size": 1234,
            "seed": 190019,
            "total_error_rate_above_materiality": False,
        },
        "assurance": {"rule": audit_rules.SYSTEM_RULE},
    }
    with translation.override("nl"):
        shown = audit_exports.view(content)
    [finding] = shown["findings"]
    assert (finding["deadline_label"], finding["closed_on_label"]) == ("30-01-2027", "26-11-2026")
    values = [row["value"] for row in shown["sampling"]]
    assert values == ["70%", "€\u00a03.146.432,75", "1.234", "0,15", 190019, "niet boven 2 %"]
    cells = [row["cell"] for row in shown["sampling"]]
    assert cells[1] == D("3146432.75") and cells[2] == D(1234)  # numbers in the XLSX
    assert shown["assurance_rule"]["lang"] == "" and shown["assurance_rule"]["text"].startswith("De algemene")
    with translation.override("fr"):
        shown = audit_exports.view({**content, "assurance": {"rule": "A rule no catalogue knows."}})
    assert shown["assurance_rule"] == {"text": "A rule no catalogue knows.", "lang": "en"}
    assert shown["findings"][0]["deadline_label"] == "30/01/2027"


def test_a_translation_that_does_not_fit_falls_back_to_english(monkeypatch):
    """A translation with a stray % or a wrong placeholder never breaks the page: the English text,
    marked lang="en"."""
    monkeypatch.setattr(working_i18n, "gettext", lambda msgid: "50 % kapot %(oops)s")
    monkeypatch.setattr(working_i18n, "ngettext", lambda s, p, n: "%(wrong)s")
    with translation.override("nl"):
        assert (
            working_i18n.html(working_i18n.label("Tolerable error"))
            == '<span lang="en">Tolerable error</span>'
        )
        round_ = working_i18n.html(working_i18n.label("MUS: cut-off, round 2"))
        assert round_ == '<span lang="en">MUS: cut-off, round </span>2'
        above = working_i18n.html(working_i18n.value("3 unit(s) above"))
        assert above == '3<span lang="en"> units above</span>'


def test_the_population_is_summed_to_the_cent():
    """A sum read from the database may carry the column's every decimal: the population's BV and
    its step are an amount, to the cent."""
    built = selection.build_population(
        [("a", D("3146400.5000000000")), ("a", D("32.2500000000")), ("b", D("-3.1000000000"))]
    )
    assert built.bv == D("3146432.75") and built.bv.as_tuple().exponent == -2
    [step] = built.working
    assert step.result == "3146432.75" and step.substituted.endswith("left out (-3.10)")
    with translation.override("nl"):
        assert working_i18n.step_text(step.as_dict())["result"] == "3.146.432,75"


@pytest.mark.django_db
def test_the_two_period_plan_and_its_pages_read_in_the_readers_language():
    """Every step the two-period services write (the plan, period 1's and period 2's draws) is known
    to the catalogue; the plan's page and a period's sample page show them in Dutch."""
    programme = declared({f"OP-{i:02}": ["10000.00"] for i in range(1, 41)}, submitted_on=dt.date(YEAR, 3, 1))
    auditor = User.objects.get(email=AUDITOR)
    plan = periods.plan_create(
        actor=auditor,
        programme=programme,
        year=YEAR,
        unit_kind="operation",
        cutoff_date=dt.date(YEAR, 3, 31),
        sigma_r1=D("0.10"),
        sigma_r2=D("0.20"),
        bv2_forecast=D("600000"),
        anticipated_error=D("0"),
        category=2,
        seed=4242,
        today=dt.date(YEAR, 4, 15),
    )
    declared({f"OP-{i:02}": ["10000.00"] for i in range(41, 60)}, submitted_on=dt.date(YEAR, 5, 1))
    second = periods.plan_draw_second(actor=auditor, plan=plan, expected_lock_version=1, seed=77)
    first = periods.period(plan, 1)
    assert first is not None
    plan.refresh_from_db()
    steps = [*plan.working, *first.working, *second.working, *first.population.working]
    labels = {s["label"] for s in steps}
    assert {"Book value of the year (planned)", "Period 1", "Period 2", "Points of the period"} <= labels
    with translation.override("en"):
        assert [
            (s["label"], working_i18n.untranslated(s)) for s in steps if working_i18n.untranslated(s)
        ] == []
    dutch = _page(f"/sampling/plans/{plan.pk}/", "nl")
    tables_ = re.findall(r'<table class="table table-sm working">.*?</table>', dutch, re.DOTALL)
    assert tables_ and not any('lang="en"' in t for t in tables_)
    assert "Boekwaarde van het jaar (gepland)" in _rows(dutch)
    sample_page = _page(f"/sampling/samples/{first.pk}/", "nl")
    assert "Periode 1" in _rows(sample_page)
    assert f"afsluitdatum 31-03-{YEAR}" in sample_page


@pytest.mark.django_db
def test_the_subsample_page_reads_in_the_readers_language():
    programme = declared({"OP-X": ["50000.00"], **{f"OP-{i:02}": ["10000.00"] for i in range(1, 41)}})
    lines_behind("OP-X", ["1000.00"] * 40)
    auditor = User.objects.get(email=AUDITOR)
    population = services.population_build(
        actor=auditor, programme=programme, year=YEAR, unit_kind="operation"
    )
    sample = services.sample_draw(
        actor=auditor,
        population=population,
        method="mus_standard",
        sigma=D("0.05"),
        anticipated_error=D("0"),
        category=2,
        seed=12345,
    )
    item = sample.items.get(unit__key__startswith="OP-X")
    subsample = subsamples.subsample_draw(actor=auditor, item=item, seed=99)
    with translation.override("en"):
        assert [s["label"] for s in subsample.working if working_i18n.untranslated(s)] == []
    french = _page(f"/sampling/subsamples/{subsample.pk}/", "fr")
    tables_ = re.findall(r'<table class="table table-sm working">.*?</table>', french, re.DOTALL)
    assert tables_ and not any('lang="en"' in t for t in tables_)
    assert any(r.startswith("Lignes de dépenses derrière") for r in _rows(french))
    assert "40 lignes, Σ éligible = 40\u202f000,00" in french


@pytest.mark.django_db
def test_the_control_report_shows_the_years_samples_in_the_readers_format(projected_sample):
    """The combination's per-sample rows and its working on the report's page, PDF and XLSX: amounts,
    rates and counts in the reader's format on the page, real numbers in the XLSX, the working through
    the same catalogue as the sampling pages."""
    sample = projected_sample
    programme = sample.population.programme
    audit_services.report_create(actor=User.objects.get(email=AUDITOR), programme=programme, year=YEAR)
    path = f"/audit-authority/reports/{programme.cci}/{YEAR}/"
    dutch = _page(path, "nl")
    samples = re.search(r'<table class="table table-sm" id="sampling-samples">.*?</table>', dutch, re.DOTALL)
    working = re.search(r'<table class="table table-sm" id="sampling-working">.*?</table>', dutch, re.DOTALL)
    assert samples and working
    assert "€\u00a0900.000,00" in samples.group(0) and "900000.00" not in samples.group(0)
    assert "70%" in samples.group(0)
    assert "Samengevoegde steekproeven" in working.group(0) and "Totale geprojecteerde fout" in working.group(
        0
    )
    assert 'lang="en"' not in working.group(0) and "900000.00" not in working.group(0)
    assert "900.000,00" in working.group(0)
    client = Client(headers={"accept-language": "de"})
    client.force_login(User.objects.get(email=AUDITOR))
    book = load_workbook(io.BytesIO(client.get(path + "export.xlsx").content))
    rows = [r for r in book.worksheets[-1].iter_rows(values_only=True)]
    [row] = [r for r in rows if r and r[0] == sample.pk]
    assert row[3] == 900000 and isinstance(row[3], int | float)  # a real number in the spreadsheet
    assert any(r and r[0] == "Zusammengefasste Stichproben" for r in rows)
    pdf = client.get(path + "export.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
