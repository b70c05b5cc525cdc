"""Many people writing at once, on PostgreSQL: no deadlock reaches anyone, nothing is lost, the audit
chain stays whole with exactly one entry per change.

Each thread has its own database connection, as gunicorn's threads do. The first test is the
scenario that deadlocked before the locking rules of docs/architecture.md ("Locking"): one
beneficiary uploading documents to its drafts while starting applications in the same call. The
second mixes the writing services; the third makes PostgreSQL break a real deadlock and checks that
the service is run again instead of failing.

These tests need PostgreSQL's row locks and deadlock detection; SQLite has neither (one writer at
a time), so they run where DATABASE_URL names PostgreSQL, as `.ci/run` does.
"""

from __future__ import annotations

import functools
import logging
import random
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection, connections

from amis.accounts import services as accounts
from amis.accounts.models import User
from amis.applications import services as applications
from amis.applications.models import Application
from amis.calls import services as calls
from amis.calls.models import Call
from amis.core.audit import verify_chain
from amis.core.errors import ApplicationError, StaleObjectError
from amis.core.models import AuditEntry
from amis.core.transactions import atomic
from amis.demo.calls import CODE, load_calls
from amis.demo.people import load_people
from amis.demo.programme import load_belgian_programme
from amis.organisations import services as organisations
from amis.organisations.models import Organisation

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks; .ci/run runs it"
    ),
]
PDF = b"%PDF-1.4\n% a supporting document\n"


@pytest.fixture
def world() -> dict[str, Any]:
    load_belgian_programme(log=lambda m: None)
    load_people(log=lambda m: None)
    load_calls(log=lambda m: None)
    caritas = User.objects.get(email="beneficiary@caritas.example")
    organisation = Organisation.objects.get(short_name="Caritas")
    call = Call.objects.get(code=CODE)
    drafts = [
        applications.application_create(
            actor=caritas, call=call, organisation=organisation, title=f"Draft {i}"
        )
        for i in range(8)
    ]
    return {
        "caritas": caritas,
        "organisation": organisation,
        "call": call,
        "drafts": drafts,
        "da": User.objects.get(email="da.flanders@amis.example"),
    }


def _run(jobs: list[Callable[[], str]], threads: int) -> tuple[Counter[str], list[str]]:
    """Run the jobs on `threads` threads, each with its own connection; count what each job did and
    collect every failure that is not a business refusal (which a user would see as a 500)."""
    done: Counter[str] = Counter()
    failures: list[str] = []
    lock = threading.Lock()

    def one(job: Callable[[], str]) -> None:
        try:
            outcome = job()
        except StaleObjectError:
            outcome = "stale"  # a parallel edit refused by optimistic locking: a 409, by design
        except ApplicationError as error:
            outcome = f"refused: {error.code}"
        except Exception as error:  # noqa: BLE001 - this is what the test is looking for
            with lock:
                failures.append(f"{type(error).__name__}: {error}")
            return
        finally:
            connections.close_all()
        with lock:
            done[outcome] += 1

    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(one, jobs))
    return done, failures


def test_uploads_and_new_applications_in_one_call_never_deadlock(world: dict[str, Any]) -> None:
    caritas, organisation, call, drafts = (
        world["caritas"],
        world["organisation"],
        world["call"],
        world["drafts"],
    )
    before = AuditEntry.objects.count()

    def upload(i: int) -> Callable[[], str]:
        def job() -> str:
            app = Application.objects.get(pk=drafts[i % len(drafts)].pk)
            applications.attachment_add(actor=caritas, application=app, name=f"doc-{i}.pdf", data=PDF)
            return "uploaded"

        return job

    def create(i: int) -> Callable[[], str]:
        def job() -> str:
            applications.application_create(
                actor=caritas, call=call, organisation=organisation, title=f"New {i}"
            )
            return "created"

        return job

    jobs = [upload(i) if i % 2 else create(i) for i in range(200)]
    done, failures = _run(jobs, threads=16)

    assert failures == []
    assert done == Counter({"uploaded": 100, "created": 100})
    report = verify_chain()
    assert report.ok, report.problem
    assert AuditEntry.objects.count() == before + 200  # one entry per change, none lost, none twice
    assert call.applications.filter(title__startswith="New ").count() == 100
    references = list(call.applications.values_list("reference", flat=True))
    assert len(references) == len(set(references))


def test_a_mix_of_every_writing_service_stays_whole(world: dict[str, Any]) -> None:
    caritas, organisation, call, drafts = (
        world["caritas"],
        world["organisation"],
        world["call"],
        world["drafts"],
    )
    da = world["da"]
    before = AuditEntry.objects.count()
    rng = random.Random(20261130)

    def edit(i: int) -> str:
        app = Application.objects.get(pk=drafts[i % len(drafts)].pk)
        applications.application_update(
            actor=caritas,
            application=app,
            data={"summary": f"Summary {i}", "expected_participants": 10 + i},
            expected_lock_version=app.lock_version,
        )
        return "edited"

    def upload(i: int) -> str:
        app = Application.objects.get(pk=drafts[i % len(drafts)].pk)
        applications.attachment_add(actor=caritas, application=app, name=f"mix-{i}.pdf", data=PDF)
        return "uploaded"

    def create(i: int) -> str:
        applications.application_create(actor=caritas, call=call, organisation=organisation, title=f"Mix {i}")
        return "created"

    def contact(i: int) -> str:
        organisations.contact_add(
            organisation=organisation,
            actor=caritas,
            data={"name": f"Contact {i}", "email": f"c{i}@caritas.example"},
        )
        return "contact"

    def token(i: int) -> str:
        accounts.token_create(user=caritas, name=f"tool {i}")
        return "token"

    def document(i: int) -> str:
        calls.document_add(
            actor=da,
            call=Call.objects.get(pk=call.pk),
            title=f"FAQ {i}",
            language="",
            name=f"faq-{i}.pdf",
            data=PDF,
        )
        return "document"

    kinds = [edit, upload, create, contact, token, document]
    chosen = [rng.choice(kinds) for _ in range(180)]
    jobs = [functools.partial(kind, i) for i, kind in enumerate(chosen)]
    done, failures = _run(jobs, threads=12)

    assert failures == []
    assert not [outcome for outcome in done if outcome.startswith("refused")], done
    changes = sum(n for outcome, n in done.items() if outcome != "stale")
    assert changes + done["stale"] == 180
    report = verify_chain()
    assert report.ok, report.problem
    assert AuditEntry.objects.count() == before + changes  # a refused stale edit writes nothing


def test_a_deadlock_the_database_breaks_is_run_again_not_shown(
    world: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    """Two services take the same two rows in opposite orders (what the locking rules forbid); both
    wait at a barrier in between, so PostgreSQL must pick a victim. The victim is run again and both
    changes are saved."""
    first, second = world["drafts"][0].pk, world["drafts"][1].pk
    barrier = threading.Barrier(2, timeout=10)
    attempts: Counter[str] = Counter()

    def crossing(name: str, a: int, b: int) -> Callable[[], str]:
        @atomic
        def service() -> str:
            attempts[name] += 1
            Application.objects.select_for_update().get(pk=a)
            if attempts[name] == 1:
                barrier.wait()  # both hold their first row now
            Application.objects.select_for_update().get(pk=b)
            Application.objects.filter(pk__in=[a, b]).update(summary=f"changed by {name}")
            return name

        return service

    with caplog.at_level(logging.WARNING, logger="amis.core.transactions"):
        done, failures = _run([crossing("one", first, second), crossing("two", second, first)], threads=2)

    assert failures == []
    assert done == Counter({"one": 1, "two": 1})
    assert sorted(attempts.values()) == [1, 2]  # the victim ran twice, the other once
    assert "deadlock detected" in caplog.text
