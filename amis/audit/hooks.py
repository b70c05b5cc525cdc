"""Where the audits of operations come in: the sampling app (above this one in the layering, so never
imported from here) registers, in its `AppConfig.ready()`, a function that returns the year's sampling
results for the annual control report's section on audits of operations:

    from amis.audit import hooks
    hooks.register_sampling_results(my_function)   # my_function(programme, year) -> dict | None

The dict is stored as it is in the report's snapshot (amounts as strings); the keys the report shows
are listed in `SAMPLING_KEYS` (others are kept and exported). A value that is a dict or a list is
not a row of the section: `combination` (the year's samples, the working of their combination, the
samples not counted and the overlapping populations) is shown as tables (`exports._combination`).
Until a provider answers, the section says that the results are not available.

The steps of the combination's working are stored as the sampling rules write them (English, numbers
as Python writes them); the sampling app also registers how a step reads in the reader's language:

    hooks.register_working(step_html, step_text)   # each: step -> {"label": ..., "formula": ..., ...}

`step_html` gives the page's (and the PDF's) cells, escaped, `step_text` the XLSX's plain text. Without
it a step is shown as it is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

SamplingProvider = Callable[[Any, int], dict[str, Any] | None]
_providers: list[SamplingProvider] = []

SAMPLING_KEYS = (
    "method",
    "confidence_level",
    "population",
    "sample_size",
    "projected_random_error",
    "systemic_errors",
    "total_error_rate",
    "upper_limit_of_error",
    "residual_total_error_rate",
)


def register_sampling_results(provider: SamplingProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def unregister_sampling_results(provider: SamplingProvider) -> None:
    if provider in _providers:
        _providers.remove(provider)


def sampling_results(programme: Any, year: int) -> dict[str, Any] | None:
    """The first answer of the registered providers, or None."""
    for provider in _providers:
        found = provider(programme, year)
        if found is not None:
            return dict(found)
    return None


StepRenderer = Callable[[Mapping[str, Any]], Mapping[str, str]]
STEP_FIELDS = ("label", "formula", "substituted", "result", "citation")
_working: dict[str, StepRenderer] = {}


def register_working(html: StepRenderer, text: StepRenderer) -> None:
    _working["html"], _working["text"] = html, text


def _as_stored(step: Mapping[str, Any]) -> dict[str, str]:
    return {name: str(step.get(name) or "") for name in STEP_FIELDS}


def working_html(step: Mapping[str, Any]) -> Mapping[str, str]:
    """A step of the working as the page shows it (the registered renderer's safe HTML, or the step as
    stored, to be escaped by the template)."""
    renderer = _working.get("html")
    return renderer(step) if renderer else _as_stored(step)


def working_text(step: Mapping[str, Any]) -> Mapping[str, str]:
    """A step of the working as plain text in the reader's language (the XLSX)."""
    renderer = _working.get("text")
    return renderer(step) if renderer else _as_stored(step)
