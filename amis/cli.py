"""The `amis` console script: the management commands under one short name.

`amis demo`, `amis programme import FILE`, ... are Django management commands; this wrapper only
sets the settings module so that a user never has to type `python manage.py`.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amis.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    execute_from_command_line(["amis", *args])


if __name__ == "__main__":
    main()
