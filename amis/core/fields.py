"""Model fields shared by every app: one definition of how money is stored."""

from __future__ import annotations

from typing import Any

from django.db import models


def money_field(**kwargs: Any) -> models.DecimalField:
    """An amount in euro: NUMERIC(15, 2) in the database, `Decimal` in Python (never float)."""
    return models.DecimalField(max_digits=15, decimal_places=2, **kwargs)


def rate_field(**kwargs: Any) -> models.DecimalField:
    """A share between 0 and 1 with four decimals (0.7500 is 75 %)."""
    return models.DecimalField(max_digits=5, decimal_places=4, **kwargs)
