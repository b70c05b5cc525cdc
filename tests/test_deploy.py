"""Running AMIS safely (issue 10, §4.3): the secret key, `check --deploy`, the client address behind
proxies, password-reset codes and the Content-Security-Policy header."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory, override_settings

from amis.core.client_ip import client_ip
from amis.keys import secret_key

ROOT = Path(settings.BASE_DIR)
# What production sets (docs/security.md): a key of its own, HTTPS behind a proxy that says so.
PRODUCTION = {
    "AMIS_SECRET_KEY": "k" * 10 + "x9Qz-7vLr2_pWm4TnB8cYd1eFg6hJs3Ka5uXo0iVbNqRtZ",
    "AMIS_ALLOWED_HOSTS": "amis.example.org",
    "AMIS_HTTPS": "1",
    "AMIS_PROXY_SSL_HEADER": "X-Forwarded-Proto",
    "AMIS_TRUSTED_PROXIES": "1",
}


def _manage(*args: str, env: dict[str, str], data_dir: Path) -> subprocess.CompletedProcess[str]:
    """`manage.py ...` with the production settings and only the environment given (no AMIS_DEMO)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AMIS_", "DJANGO_"))}
    clean |= {"DJANGO_SETTINGS_MODULE": "amis.settings", "AMIS_DATA_DIR": str(data_dir), **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_with_the_production_environment_warns_of_nothing(tmp_path: Path) -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION, data_dir=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_without_a_secret_key_production_refuses_to_start(tmp_path: Path) -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != "AMIS_SECRET_KEY"}
    result = _manage("check", env=env, data_dir=tmp_path)
    assert result.returncode != 0
    assert "AMIS_SECRET_KEY is not set" in result.stderr
    assert not (tmp_path / "secret_key").exists()


def test_without_a_secret_key_the_settings_module_refuses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AMIS_SECRET_KEY", raising=False)
    monkeypatch.delenv("AMIS_DEMO", raising=False)
    with pytest.raises(ImproperlyConfigured, match="AMIS_SECRET_KEY is not set"):
        secret_key(tmp_path, debug=False)


def test_the_demo_generates_one_key_and_keeps_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AMIS_SECRET_KEY", raising=False)
    monkeypatch.setenv("AMIS_DEMO", "1")
    first = secret_key(tmp_path, debug=False)
    assert len(first) >= 50 and secret_key(tmp_path, debug=False) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    monkeypatch.setenv("AMIS_SECRET_KEY", "given")
    assert secret_key(tmp_path, debug=False) == "given"


def test_the_demo_entry_needs_no_key(tmp_path: Path) -> None:
    """`amis demo` loads the demo settings (amis/cli.py): a key is made in its data directory."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AMIS_", "DJANGO_"))}
    env["AMIS_DATA_DIR"] = str(tmp_path)
    code = "from amis.cli import main; main(['demo', '--help'])"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "secret_key").exists()


def _request(remote: str = "10.0.0.2", **headers: str):  # type: ignore[no-untyped-def]
    return RequestFactory().get("/", REMOTE_ADDR=remote, headers=headers)


def test_the_client_address_ignores_forwarded_for_unless_a_proxy_is_trusted() -> None:
    spoofed = _request(**{"X-Forwarded-For": "203.0.113.9"})
    assert client_ip(spoofed) == "10.0.0.2"
    with override_settings(AMIS_TRUSTED_PROXIES=1):
        # the client wrote the first entry itself; the proxy appended the address it was reached from
        assert client_ip(_request(**{"X-Forwarded-For": "1.2.3.4, 198.51.100.7"})) == "198.51.100.7"
        assert client_ip(_request()) == "10.0.0.2"  # not through the proxy
    with override_settings(AMIS_TRUSTED_PROXIES=2):
        assert client_ip(_request(**{"X-Forwarded-For": "1.2.3.4, 198.51.100.7, 10.0.0.1"})) == "198.51.100.7"
    with override_settings(AMIS_TRUSTED_CLIENT_IP_HEADER="X-Real-IP"):
        assert (
            client_ip(_request(**{"X-Real-IP": "198.51.100.8", "X-Forwarded-For": "1.2.3.4"}))
            == "198.51.100.8"
        )
    assert client_ip(_request(remote="not an address")) is None


def _failed_login(client: Client, forwarded_for: str) -> bytes:
    response = client.post(
        "/accounts/login/",
        {"login": "nobody@example.org", "password": "wrong password"},
        headers={"X-Forwarded-For": forwarded_for},
    )
    return response.content


@pytest.mark.django_db
def test_login_rate_limits_and_audit_count_the_client_behind_the_trusted_proxy(client: Client) -> None:
    from django.core.cache import cache

    from amis.core.models import AuditEntry

    cache.clear()
    with override_settings(AMIS_TRUSTED_PROXIES=1, ACCOUNT_RATE_LIMITS={"login_failed": "2/m/ip"}):
        for _ in range(2):
            assert b"Too many failed login attempts" not in _failed_login(client, "198.51.100.7")
        assert b"Too many failed login attempts" in _failed_login(client, "198.51.100.7")
        # another client behind the same proxy is not locked out with the first
        assert b"Too many failed login attempts" not in _failed_login(client, "198.51.100.8")
    addresses = set(AuditEntry.objects.filter(action="login_failed").values_list("remote_addr", flat=True))
    assert addresses == {"198.51.100.7", "198.51.100.8"}
    cache.clear()


def test_pages_carry_a_content_security_policy_without_inline_code(client: Client) -> None:
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert "unsafe" not in policy
    assert directives["frame-ancestors"] == "'none'"


TEMPLATES = [*ROOT.glob("amis/templates/**/*.html"), *ROOT.glob("amis/*/templates/**/*.html")]


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_has_inline_script_or_style(template: Path) -> None:
    """Scripts live in static files; event-handler attributes and style attributes are not used. (The
    PDF receipt's stylesheet is read by WeasyPrint, never by a browser; JSON data blocks are inert.)"""
    import re

    text = template.read_text(encoding="utf-8")
    if template.name == "receipt.html":
        return
    scripts = re.findall(r"<script\b(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", text)
    assert scripts == []
    assert re.findall(r"\son[a-z]+\s*=", text) == []
    assert re.findall(r"\sstyle\s*=", text) == []
