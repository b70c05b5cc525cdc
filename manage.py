#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    if sys.argv[1:2] == ["demo"]:
        os.environ["DJANGO_SETTINGS_MODULE"] = "amis.settings_demo"  # as `amis demo` (amis/cli.py)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amis.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
