"""Settings of the demo, the tests and the type checker: the production settings, with one difference.

`AMIS_DEMO=1` lets `amis.keys.secret_key` generate the secret key and keep it in the data directory
(`var/secret_key`) when `AMIS_SECRET_KEY` is not set; with `amis.settings` alone AMIS refuses to start
without it. `amis demo` (`amis/cli.py`), pytest and mypy (pyproject.toml) load this module, so they
work without configuration, while production, which loads `amis.settings`, cannot fall back on a key
it was not given. The variable is set in the environment, not only here, so the processes these start
(the demo's worker, subprocesses of tests) make the same choice.
"""

import os

os.environ.setdefault("AMIS_DEMO", "1")

from amis.settings import *  # noqa: E402, F403
