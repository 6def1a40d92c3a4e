"""The validator: stable finding codes, a registry of small checks, and
``validate_form(form, profile) -> list[Finding]`` (lazy: every finding).

Used by the Excel macro (``macros/validation.py``) and the batch command
(``perfkit validate``): one core, two surfaces.
"""

from __future__ import annotations

from . import (  # noqa: F401  (register the checks)
    codes,
    evaltable,
    platform,
    selfeval,
)
from .core import (
    CODES,
    ERROR,
    INFO,
    REGISTRY,
    SEVERITY_COLORS,
    SEVERITY_LABELS,
    WARNING,
    CodeDoc,
    Finding,
    count_by_severity,
    has_errors,
    sort_findings,
    validate_form,
)

__all__ = [
    "CODES",
    "ERROR",
    "INFO",
    "REGISTRY",
    "SEVERITY_COLORS",
    "SEVERITY_LABELS",
    "WARNING",
    "CodeDoc",
    "Finding",
    "count_by_severity",
    "has_errors",
    "sort_findings",
    "validate_form",
]
