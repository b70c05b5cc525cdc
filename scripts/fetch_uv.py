"""Fetch uv, the one tool AMIS needs before its own environment exists, with nothing but the
standard library: on Debian 12 / Ubuntu 24.04 the distribution's python3 refuses `pip install`
(PEP 668) and may have neither pip nor venv; uv then builds the project's environment itself.

The wheel of a pinned uv release is taken from PyPI's JSON simple index, checked against the
SHA-256 PyPI publishes, and its `uv` binary unpacked into the target path. Usage:
    python3 scripts/fetch_uv.py .tools/uv
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
import stat
import sys
import urllib.request
import zipfile
from pathlib import Path

VERSION = "0.13.9"  # the uv the project is tested with; uv.lock is read by any recent uv
INDEX = os.environ.get("AMIS_UV_INDEX", "https://pypi.org/simple/uv/")
ARCH = {"x86_64": "x86_64", "amd64": "x86_64", "aarch64": "aarch64", "arm64": "aarch64"}


def _wheel(files: list[dict], machine: str) -> dict:
    for entry in files:
        name = entry["filename"]
        if name.startswith(f"uv-{VERSION}-") and "manylinux" in name and f"_{machine}" in name:
            return entry
    raise SystemExit(f"No uv {VERSION} wheel for Linux on {machine} in {INDEX}.")


def main(target: str) -> None:
    if platform.system() != "Linux":
        raise SystemExit("Install uv first (https://docs.astral.sh/uv/), then run this command again.")
    machine = ARCH.get(platform.machine().lower())
    if machine is None:
        raise SystemExit(f"No uv wheel for this machine ({platform.machine()}); install uv first.")
    print(f"Fetching uv {VERSION} from {INDEX} (the distribution's python3 cannot pip install) ...", flush=True)
    request = urllib.request.Request(INDEX, headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310 - a fixed https URL
        entry = _wheel(json.load(answer)["files"], machine)
    with urllib.request.urlopen(entry["url"], timeout=300) as answer:  # noqa: S310
        data = answer.read()
    if hashlib.sha256(data).hexdigest() != entry["hashes"]["sha256"]:
        raise SystemExit(f"{entry['filename']}: checksum does not match PyPI's; not used.")
    with zipfile.ZipFile(io.BytesIO(data)) as wheel:
        binary = wheel.read(f"uv-{VERSION}.data/scripts/uv")
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    partial.write_bytes(binary)
    partial.chmod(partial.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    partial.replace(path)
    print(f"uv {VERSION} is in {path}.", flush=True)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".tools/uv")
