"""What the generator steps share: the seeded random source, the scale, ids handed out so far."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from bench.gen.insert import Ids
from bench.scales import Scale

BIG_CALL = "BENCH-FL-INT-BIG"


@dataclass
class Context:
    scale: Scale
    rnd: random.Random
    ids: Ids = field(default_factory=Ids)
    programme_id: int = 0
    users: dict[str, int] = field(default_factory=dict)  # demo e-mail -> user id
    authorities: dict[str, int] = field(default_factory=dict)  # demo short name -> organisation id
    organisations: list[tuple[int, str, str]] = field(default_factory=list)  # (id, name, kbo)
    beneficiary_users: list[int] = field(default_factory=list)
    calls: list[dict] = field(default_factory=list)  # the call rows, as inserted
