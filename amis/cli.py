"""The `amis` console script: the management commands under one short name.

`amis demo`, `amis programme import FILE`, ... are Django management commands; this wrapper only
sets the settings module so that a user never has to type `python manage.py`. `amis demo` loads
`amis.settings_demo` (a secret key generated and kept in `var/`); every other command loads the
production settings, which refuse to start without AMIS_SECRET_KEY (`amis/keys.py`).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["demo"]:
        os.environ["DJANGO_SETTINGS_MODULE"] = "amis.settings_demo"
        os.environ.setdefault("AMIS_REQUEST_LOG", "0")  # runserver prints its own line per request
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amis.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["amis", *args])


if __name__ == "__main__":
    main()
