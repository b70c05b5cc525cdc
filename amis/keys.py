"""Where AMIS's secret key comes from (it signs sessions, CSRF tokens, password-reset and e-mail links).

1. `AMIS_SECRET_KEY`, always, when it is set: production sets it (keep it out of the repository and
   out of the process list; e.g. the service manager's environment file, readable by AMIS only).
2. Otherwise, only when a demo entry asks for it: `AMIS_DEMO=1` or `AMIS_DEBUG=1`. The demo and the
   test suite ask through `amis.settings_demo` (`amis demo`, pytest and mypy load it, see
   `amis/cli.py` and pyproject.toml). A random key is generated once and kept in the data directory
   (`var/secret_key`, readable by its owner only), so demo logins survive a restart and no two
   installations share a key.
3. Otherwise AMIS refuses to start and says what to set. There is no built-in key: a key in the
   source code is known to everyone who can read it, who could then forge sessions and reset links.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

KEY_FILE = "secret_key"
MISSING = (
    "AMIS_SECRET_KEY is not set. Set it to a long random value, kept secret and the same for every "
    "process of this installation (e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(50))'). "
    "Only the demo and the tests may generate one (AMIS_DEMO=1 or AMIS_DEBUG=1): see docs/security.md."
)


def secret_key(data_dir: Path, *, debug: bool) -> str:
    given = os.environ.get("AMIS_SECRET_KEY", "")
    if given:
        return given
    if debug or os.environ.get("AMIS_DEMO") == "1":
        return demo_key(data_dir)
    raise ImproperlyConfigured(MISSING)


def demo_key(data_dir: Path) -> str:
    """The key kept in `data_dir`, made on first use.

    Written to a temporary file and linked into place, which fails if another process (the demo's
    worker, a second test worker) was first: then that key is read, so all share one.
    """
    path = data_dir / KEY_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        temporary = data_dir / f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(50))
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return path.read_text().strip()
