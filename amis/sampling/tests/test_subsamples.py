"""Sub-sampling within a sampled item: the lines behind the item (the verifier's line decisions of
its declared verifications), m = min(M, 30) drawn from a recorded seed (the same seed, the same
lines), frozen; each drawn line audited; the item's error projected from them with the ratio
estimator and recorded as its irregular amount. Numbers worked out by hand; every refusal audited;
the pages answer 400 with nothing saved, 403 to other authorities and 409 on a stale lock version."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from amis.accounts.models import User
from amis.core.audit import AuditEntry
from amis.core.errors import ApplicationError, StaleObjectError
from amis.sampling import services, subsamples
from amis.sampling.models import AuditPopulation, SampledItem, Subsample, SubsampledLine
from amis.sampling.tests.builders import AUDITOR, RA_OFFICER, YEAR, declared, lines_behind

pytestmark = pytest.mark.django_db

AMOUNTS = {
    "OP-X": ["50000.00"],  # 40 lines of 1 000 verified, 50 000 declared (a flat rate on top)
    **{f"OP-{i:02}": ["10000.00"] for i in range(1, 41)},
}


def _auditor() -> User:
    return User.objects.get(email=AUDITOR)


def _refusals() -> int:
    return AuditEntry.objects.filter(action="change_refused").count()


def _item(unit_kind: str = "operation") -> SampledItem:
    programme = declared(AMOUNTS)
    lines_behind("OP-X", ["1000.00"] * 40)
    population = services.population_build(
        actor=_auditor(), programme=programme, year=YEAR, unit_kind=unit_kind
    )
    sample = services.sample_draw(
        actor=_auditor(),
        population=population,
        method="mus_standard",
        sigma=D("0.05"),
        anticipated_error=D("0"),
        category=2,
        seed=12345,
    )
    # BV = 450 000, TE = 9 000; n = (1.036 × 450 000 × 0.05 / 9 000)² = 2.59² = 6.71 → 7, raised to
    # 30; cut-off 450 000 / 30 = 15 000: OP-X (50 000) goes to the 100 % stratum
    return sample.items.get(unit__key__startswith="OP-X")


def _record(line: SubsampledLine, error: str) -> SubsampledLine:
    return subsamples.subsample_line_record(
        actor=_auditor(),
        line=line,
        expected_lock_version=line.lock_version,
        audited_value=None,
        error=D(error),
    )


def test_lines_behind_the_item_by_operation_and_by_claim() -> None:
    item = _item()
    lines = subsamples.unit_lines(item)
    assert len(lines) == 40 and sum(v for _k, _l, v, _id in lines) == D("40000.00")
    assert lines[0][0].endswith("·L00001") and "INV-001" in lines[0][1]
    by_claim = services.population_build(
        actor=_auditor(), programme=item.sample.population.programme, year=YEAR, unit_kind="claim"
    )
    claim_sample = services.sample_draw(
        actor=_auditor(),
        population=by_claim,
        method="mus_standard",
        sigma=D("0.05"),
        anticipated_error=D("0"),
        category=2,
        seed=1,
    )
    claim = claim_sample.items.get(unit__key__startswith="OP-X·V")
    assert [k for k, *_ in subsamples.unit_lines(claim)] == [k for k, *_ in lines]


def test_subsample_drawn_frozen_reproducible_and_projected() -> None:
    item = _item()
    subsample = subsamples.subsample_draw(actor=_auditor(), item=item, seed=99)
    # M = 40 lines, m = min(40, 30) = 30
    assert (subsample.lines, subsample.size, subsample.seed) == (40, 30, 99)
    assert subsample.lines_value == D("40000.00")
    assert subsample.picked.count() == 30
    labels = [s["label"] for s in subsample.working]
    assert labels == ["Expenditure lines behind the item", "Sub-sample size", "Random selection"]
    keys = list(subsample.picked.order_by("position").values_list("key", flat=True))
    # the same seed over the same 40 lines gives the same 30 (what another auditor re-runs)
    from amis.sampling.rules import methods, selection

    again = selection.simple_random(
        [methods.Unit(k, v) for k, _l, v, _id in subsamples.unit_lines(item)], 30, 99
    )
    assert again.keys == keys
    before = _refusals()
    with pytest.raises(ApplicationError):  # frozen: drawn once
        subsamples.subsample_draw(actor=_auditor(), item=item, seed=100)
    assert Subsample.objects.count() == 1
    lines = list(subsample.picked.order_by("position"))
    with pytest.raises(ApplicationError):  # not every line audited
        subsamples.subsample_project(actor=_auditor(), subsample=subsample, expected_lock_version=1)
    with pytest.raises(ApplicationError):  # more than the line's 1 000
        _record(lines[0], "1000.01")
    _record(lines[0], "500")
    recorded = subsamples.subsample_line_record(
        actor=_auditor(), line=lines[1], expected_lock_version=1, audited_value=D("750"), error=None
    )
    assert recorded.error == D("250.00")  # 1 000 − 750
    with pytest.raises(StaleObjectError):
        _record(lines[1], "0")  # the line we hold is stale now
    for line in lines[2:]:
        _record(line, "0")
    with pytest.raises(ApplicationError):  # an error needs its type
        subsamples.subsample_project(actor=_auditor(), subsample=subsample, expected_lock_version=1)
    with pytest.raises(ApplicationError):  # anomalous needs its justification
        subsamples.subsample_project(
            actor=_auditor(), subsample=subsample, expected_lock_version=1, error_kind="anomalous"
        )
    assert _refusals() == before + 6
    projected = subsamples.subsample_project(
        actor=_auditor(), subsample=subsample, expected_lock_version=1, error_kind="random"
    )
    # E = Σ e_j / Σ bv_j × BV_op = (500 + 250) / 30 000 × 50 000 = 0.025 × 50 000 = 1 250.00
    assert projected.error == D("1250.00")
    assert projected.projection[0]["formula"] == "E_op = Σ e_j / Σ bv_j × BV_op"
    assert projected.projection[0]["substituted"] == "750.00 / 30000.00 × 50000.00"
    item.refresh_from_db()
    assert item.audited and item.irregular == D("1250.00") and item.audited_value == D("48750.00")
    assert item.error_kind == "random"
    entry = (
        AuditEntry.objects.filter(object_type="sampling.SampledItem", object_id=str(item.pk), action="update")
        .order_by("pk")
        .last()
    )
    assert entry is not None and entry.after is not None and entry.after["subsample"] == subsample.pk
    with pytest.raises(StaleObjectError):
        subsamples.subsample_project(
            actor=_auditor(), subsample=subsample, expected_lock_version=1, error_kind="random"
        )
    with pytest.raises(PermissionDenied):
        subsamples.subsample_draw(actor=User.objects.get(email=RA_OFFICER), item=item)


def test_an_item_without_lines_is_refused() -> None:
    programme = declared(AMOUNTS)
    population = services.population_build(
        actor=_auditor(), programme=programme, year=YEAR, unit_kind="operation"
    )
    sample = services.sample_draw(
        actor=_auditor(),
        population=population,
        method="mus_standard",
        sigma=D("0.05"),
        anticipated_error=D("0"),
        category=2,
        seed=3,
    )
    before = _refusals()
    with pytest.raises(ApplicationError):
        subsamples.subsample_draw(actor=_auditor(), item=sample.items.order_by("position")[0], seed=1)
    assert _refusals() == before + 1 and not Subsample.objects.exists()


def _client(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def test_the_pages_of_a_subsample() -> None:
    item = _item()
    auditor, officer = _client(AUDITOR), _client(RA_OFFICER)
    page = auditor.get(f"/sampling/items/{item.pk}/")
    assert page.status_code == 200 and f"/sampling/items/{item.pk}/subsample/" in page.content.decode()
    assert auditor.post(f"/sampling/items/{item.pk}/subsample/", {"seed": "-1"}).status_code == 400
    assert officer.post(f"/sampling/items/{item.pk}/subsample/", {"seed": "5"}).status_code == 403
    assert not Subsample.objects.exists()
    drawn = auditor.post(f"/sampling/items/{item.pk}/subsample/", {"seed": "5"})
    assert drawn.status_code == 302
    subsample = Subsample.objects.get()
    assert subsample.seed == 5
    text = auditor.get(f"/sampling/subsamples/{subsample.pk}/").content.decode()
    assert "m = min(M, 30)" in text and "min(40, 30)" in text
    assert officer.get(f"/sampling/subsamples/{subsample.pk}/").status_code == 403
    again = auditor.post(f"/sampling/items/{item.pk}/subsample/", {"seed": "6"})
    assert again.status_code == 400 and Subsample.objects.count() == 1
    lines = list(subsample.picked.order_by("position"))
    first = lines[0]
    assert auditor.get(f"/sampling/subsample-lines/{first.pk}/").status_code == 200
    bad = auditor.post(f"/sampling/subsample-lines/{first.pk}/", {"lock_version": "1", "error": "lots"})
    assert bad.status_code == 400 and not SubsampledLine.objects.get(pk=first.pk).audited
    too_much = auditor.post(f"/sampling/subsample-lines/{first.pk}/", {"lock_version": "1", "error": "2000"})
    assert too_much.status_code == 400 and not SubsampledLine.objects.get(pk=first.pk).audited
    assert (
        officer.post(
            f"/sampling/subsample-lines/{first.pk}/", {"lock_version": "1", "error": "0"}
        ).status_code
        == 403
    )
    ok = auditor.post(f"/sampling/subsample-lines/{first.pk}/", {"lock_version": "1", "error": "300"})
    assert ok.status_code == 302
    stale = auditor.post(f"/sampling/subsample-lines/{first.pk}/", {"lock_version": "1", "error": "0"})
    assert stale.status_code == 409
    for line in lines[1:]:
        assert (
            auditor.post(
                f"/sampling/subsample-lines/{line.pk}/", {"lock_version": "1", "error": "0"}
            ).status_code
            == 302
        )
    untyped = auditor.post(f"/sampling/subsamples/{subsample.pk}/project/", {"lock_version": "1"})
    assert untyped.status_code == 400 and not SampledItem.objects.get(pk=item.pk).audited
    assert (
        officer.post(
            f"/sampling/subsamples/{subsample.pk}/project/", {"lock_version": "1", "error_kind": "random"}
        ).status_code
        == 403
    )
    done = auditor.post(
        f"/sampling/subsamples/{subsample.pk}/project/", {"lock_version": "1", "error_kind": "systemic"}
    )
    assert done.status_code == 302
    stale = auditor.post(
        f"/sampling/subsamples/{subsample.pk}/project/", {"lock_version": "1", "error_kind": "systemic"}
    )
    assert stale.status_code == 409
    item.refresh_from_db()
    # 300 / 30 000 × 50 000 = 500.00
    assert item.irregular == D("500.00") and item.error_kind == "systemic"
    text = auditor.get(f"/sampling/items/{item.pk}/").content.decode()
    # the working through the catalogue (amis.sampling.working_i18n): numbers in the reader's format
    assert "E_op = Σ e_j / Σ bv_j × BV_op" in text and "300.00 / 30,000.00 × 50,000.00" in text
    assert AuditPopulation.objects.count() == 1
