"""Findings, the registry of checks, and ``validate_form``.

Every check is a small function registered once with :func:`check`, together
with the documentation of each code it may report (:class:`CodeDoc`).  The
table in ``docs/findings.md`` is generated from this registry
(:func:`perfkit.validate.docs.render`) and a test keeps the two equal.

Checks never stop early: ``validate_form`` runs them all and returns every
finding (pandera's ``lazy=True``).  A check that crashes is itself reported
(``CHECK_FAILED``) instead of hiding the other findings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from ..model import Loc
from ..profiles import Profile, load
from ..values import UNKNOWN, read_number  # noqa: F401  (UNKNOWN: also core.UNKNOWN)

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)
SEVERITY_RANK = {ERROR: 0, WARNING: 1, INFO: 2}
SEVERITY_LABELS = {ERROR: "错误", WARNING: "警告", INFO: "提示"}
# Fill colours used to mark cells, in Excel and in marked copies (RGB): red,
# orange, blue.  Each differs in hue from the templates' input yellow (FFF2CC)
# and, printed in grey, in lightness from it and from each other (luminance
# 242 for FFF2CC; 211 info, 176 warning, 139 error); black text stays legible.
SEVERITY_COLORS = {ERROR: (229, 115, 115), WARNING: (244, 164, 96), INFO: (189, 215, 238)}


@dataclass(frozen=True)
class Finding:
    """One inconsistency: a stable code, its severity, the cell to look at and
    a Chinese message saying what was expected."""

    code: str
    severity: str
    sheet: str
    cell: str
    message: str

    @property
    def where(self) -> str:
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet

    def as_dict(self) -> dict[str, str]:
        return {
            "sheet": self.sheet,
            "cell": self.cell,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
        }


@dataclass(frozen=True)
class CodeDoc:
    """Documentation of one finding code (a row of docs/findings.md)."""

    code: str
    severity: str
    title: str  # what it means
    example: str  # a real case
    fix: str  # how to fix it


@dataclass(frozen=True)
class Check:
    name: str
    forms: tuple[str, ...]  # model form kinds it applies to
    codes: tuple[CodeDoc, ...]
    func: Callable[[Context], Iterable[Finding]] = field(repr=False)
    doc: str = ""


REGISTRY: dict[str, Check] = {}
CODES: dict[str, CodeDoc] = {}


def code(code: str, severity: str, title: str, example: str, fix: str) -> CodeDoc:
    """Declare a finding code once (module level, beside its check)."""
    if severity not in SEVERITIES:
        raise ValueError(f"unknown severity {severity!r}")
    if code in CODES:
        raise ValueError(f"finding code {code} declared twice")
    doc = CodeDoc(code, severity, title, example, fix)
    CODES[code] = doc
    return doc


def check(*forms: str, codes: Iterable[CodeDoc]):
    """Register a check function ``f(ctx) -> iterable of Finding``."""

    def deco(func: Callable[[Context], Iterable[Finding]]):
        name = func.__name__
        if name in REGISTRY:
            raise ValueError(f"check {name} registered twice")
        REGISTRY[name] = Check(name, tuple(forms), tuple(codes), func, (func.__doc__ or "").strip())
        return func

    return deco


def checks_for(form_kind: str) -> list[Check]:
    return [c for c in REGISTRY.values() if form_kind in c.forms]


class Context:
    """What a check gets: the form, its profile, and helpers that turn raw cell
    values into numbers while reporting cells that are not numbers."""

    def __init__(self, form: Any, profile: Profile):
        self.form = form
        self.profile = profile
        self.layout = getattr(form, "layout", None)
        self.sheet = getattr(form, "sheet", "") or (self.layout.sheet if self.layout else "")
        self.cache: dict[str, Any] = {}
        self._assessment = None
        self._bad_cells: set[tuple[str, str]] = set()
        self.pending: list[Finding] = []  # findings raised by helpers (not-a-number …)

    @property
    def assessment(self):
        """The form's :class:`~perfkit.assess.Assessment` under the profile, made once."""
        if self._assessment is None:
            from ..assess import assess

            self._assessment = assess(self.form, self.profile)
        return self._assessment

    # -- locations ---------------------------------------------------------
    def loc(self, obj: Any, name: str) -> Loc:
        """Cell of field *name* of *obj* (a form, a fund row or an indicator):
        where the reader found it; the sheet alone when it has no cell."""
        locs = getattr(obj, "locs", None) or {}
        if name in locs:
            return locs[name]
        return Loc(self.sheet, "")

    # -- findings ----------------------------------------------------------
    def finding(self, code_: str, loc: Loc, message: str, severity: str | None = None) -> Finding:
        doc = CODES[code_]
        return Finding(code_, severity or doc.severity, loc.sheet, loc.cell, message)

    # -- numbers -----------------------------------------------------------
    def number(self, obj: Any, name: str, label: str = "") -> Any:
        """The number in field *name*: Decimal, None (blank) or UNKNOWN.

        Text that is not a number and formula error values are reported once
        per cell (``NOT_A_NUMBER`` / ``FORMULA_ERROR``) and give UNKNOWN."""
        value, problem = read_number(getattr(obj, name))
        if problem is not None:
            self.not_a_number(obj, name, problem, label)
        return value

    def not_a_number(self, obj: Any, name: str, problem: tuple[str, str], label: str = "") -> None:
        """Report *problem* (from :func:`read_number`) of field *name* of *obj*,
        once per cell: :meth:`number` for callers that read the value
        themselves and make the label only when there is a problem."""
        loc = self.loc(obj, name)
        key = (loc.sheet, loc.cell or f"{id(obj)}:{name}")
        if key not in self._bad_cells:
            self._bad_cells.add(key)
            code_, msg = problem
            what = label or name
            self.pending.append(self.finding(code_, loc, msg.format(what=what)))


def resolve_profile(form: Any, profile: Profile | str | None) -> Profile:
    if isinstance(profile, Profile):
        return profile
    return load(profile or getattr(form, "profile", None) or None)


def validate_form(
    form: Any, profile: Profile | str | None = None, assessment: Any = None
) -> list[Finding]:
    """Every finding of every registered check for *form* (never stops early).

    *profile*: a Profile, a profile name, or None for the form's own profile;
    *assessment*: the form's assessment under that profile, when the caller
    has it already (the summary does)."""
    from . import evaltable, platform, selfeval  # noqa: F401  (register the checks)

    prof = resolve_profile(form, profile)
    ctx = Context(form, prof)
    ctx._assessment = assessment
    out: list[Finding] = []
    for chk in checks_for(form.form):
        try:
            out.extend(chk.func(ctx))
        except Exception:  # a broken check must not hide the others
            out.append(
                ctx.finding(
                    "CHECK_FAILED",
                    Loc(ctx.sheet, ""),
                    f"检查 {chk.name} 无法完成（程序缺陷），其余检查不受影响；请把文件报告给 perfkit 维护者",
                )
            )
    out = ctx.pending + out
    return sort_findings(dedupe(out))


def dedupe(findings: Iterable[Finding]) -> list[Finding]:
    seen: set[Finding] = set()
    out = []
    for f in findings:
        if f not in seen:
            seen.add(f)
            out.append(f)
    return out


@lru_cache(maxsize=4096)
def _cell_key(cell: str) -> tuple[int, int]:
    letters = "".join(c for c in cell if c.isalpha())
    digits = "".join(c for c in cell if c.isdigit())
    col = 0
    for ch in letters.upper():
        col = col * 26 + (ord(ch) - 64)
    return (int(digits) if digits else 0, col)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """By sheet order of appearance, then row, column, severity."""
    items = list(findings)
    sheets: dict[str, int] = {}
    for f in items:
        sheets.setdefault(f.sheet, len(sheets))
    return sorted(
        items,
        key=lambda f: (
            sheets[f.sheet],
            _cell_key(f.cell),
            SEVERITY_RANK.get(f.severity, 9),
            f.code,
        ),
    )


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == ERROR for f in findings)


def count_by_severity(findings: Iterable[Finding]) -> dict[str, int]:
    out = dict.fromkeys(SEVERITIES, 0)
    for f in findings:
        out[f.severity] = out.get(f.severity, 0) + 1
    return out


def iter_codes() -> Iterator[CodeDoc]:
    from . import evaltable, platform, selfeval  # noqa: F401

    yield from CODES.values()


def diff_severity(diff: Decimal, profile: Profile) -> str | None:
    """Severity of a difference between a cell and what the rules give:
    None when equal, info when within the rounding tolerance, warning up to
    the error tolerance, error beyond."""
    d = abs(diff)
    if d == 0:
        return None
    if d <= profile.tol_rounding:
        return INFO
    if d <= profile.tol_error:
        return WARNING
    return ERROR


CHECK_FAILED = code(
    "CHECK_FAILED",
    ERROR,
    "某项检查因意外错误未能完成（程序缺陷），其他检查照常进行",
    "检查 selfeval_total 无法完成（程序缺陷），其余检查不受影响",
    "请把文件和这条信息报告给 perfkit 维护者；其余结果仍然有效",
)
