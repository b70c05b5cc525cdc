"""Project-level checks: migrations match the models, translations are complete, the demo is repeatable."""

from __future__ import annotations

import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from amis.core.models import AuditEntry
from amis.programme.models import Programme, ProgrammeVersion

LOCALE = Path(settings.BASE_DIR) / "amis" / "locale"


@pytest.mark.django_db
def test_models_and_migrations_agree() -> None:
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_every_interface_string_is_translated(language: str) -> None:
    po = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    assert _untranslated(po) == []


def test_every_catalogue_is_compiled_from_its_po_file(tmp_path: Path) -> None:
    """The .mo Django reads is exactly what msgfmt makes of the .po today (not judged by file times,
    which a checkout or another test may change)."""
    for language in ("nl", "fr", "de"):
        folder = LOCALE / language / "LC_MESSAGES"
        compiled = tmp_path / f"{language}.mo"
        subprocess.run(
            ["msgfmt", "--check-format", "-o", str(compiled), str(folder / "django.po")], check=True
        )
        assert compiled.read_bytes() == (folder / "django.mo").read_bytes(), language


def _untranslated(po_text: str) -> list[str]:
    entries = po_text.split("\n\n")[1:]
    return [e for e in entries if "#, fuzzy" in e or e.rstrip().endswith('msgstr ""')]


def test_no_interface_string_is_missing_from_the_catalogues(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Re-extract the strings into a copy of the catalogues: nothing new may come out untranslated."""
    copy = tmp_path / "locale"
    shutil.copytree(LOCALE, copy)
    monkeypatch.chdir(settings.BASE_DIR)
    with override_settings(LOCALE_PATHS=[copy]):
        call_command(
            "makemessages",
            locale=["nl", "fr", "de"],
            ignore_patterns=[".venv", "var", "tests", "test-artifacts", "amis/locale", "amis/templates/mfa"],
            verbosity=0,
        )
    for language in ("nl", "fr", "de"):
        po = (copy / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
        assert _untranslated(po) == [], language


def test_translations_are_loaded() -> None:
    expected = {"nl": "Financieringsplan", "fr": "Plan de financement", "de": "Finanzierungsplan"}
    for language, text in expected.items():
        with translation.override(language):
            assert translation.gettext("Financing plan") == text


@pytest.mark.django_db
def test_demo_prepare_only_twice_is_safe() -> None:
    out = StringIO()
    call_command("demo", "--prepare-only", stdout=out)
    entries_after_first_run = AuditEntry.objects.exclude(action="update", object_type="accounts.User").count()
    call_command("demo", "--prepare-only", stdout=out)
    text = out.getvalue()
    assert text.count("Loaded 2014BE65AMNP001 version 2") == 1
    assert text.count("Admin login: admin@amis.example / amis-demo-2014") == 2
    assert text.count("Loaded 2021BE65AMPR001 version 1") == 1
    assert Programme.objects.count() == 2  # 2014-2020 and 2021-2027
    assert list(
        ProgrammeVersion.objects.filter(programme__cci="2014BE65AMNP001").values_list("number", "status")
    ) == [(2, "adopted"), (3, "draft")]
    assert list(
        ProgrammeVersion.objects.filter(programme__cci="2021BE65AMPR001").values_list("number", "status")
    ) == [(1, "adopted")]
    assert (
        AuditEntry.objects.filter(actor_label="amis demo", object_type="programme.ProgrammeVersion").count()
        == 4
    )
    assert (
        AuditEntry.objects.exclude(action="update", object_type="accounts.User").count()
        == entries_after_first_run
    )
    assert text.count("beneficiary@caritas.example") == 2  # the demo people are printed each time
