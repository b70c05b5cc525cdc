"""REST endpoints of this stage (filled in by the grants and reporting work)."""

from __future__ import annotations

from ninja import Router

router = Router()
