"""Excel round trips of the validate()/clear() macros, counted on a fake
xlwings book (tests/test_validate_macros.py): they must not grow with the
number of rows; only notes (one per marked cell) grow with the findings.

    python benchmarks/bench_macros.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros import validation as mv  # noqa: E402
from perfkit.validate import Finding  # noqa: E402
from tests.test_validate_macros import fake_from_xlsx  # noqa: E402

EXAMPLE = ROOT / "examples" / "longgang2023_shanghui.xlsx"


def run(extra_rows: int = 0, findings: int | None = None) -> tuple[int, int, int]:
    """(validate calls, clear calls, findings) for one fake book."""
    book = fake_from_xlsx(EXAMPLE, extra_rows=extra_rows)
    original = mv.validate_form
    if findings is not None:
        fake = [
            Finding("SCORE_MISMATCH", "error", "自评表", f"J{100 + i}", f"测试 {i}")
            for i in range(findings)
        ]
        mv.validate_form = lambda form: fake
    try:
        book.calls.clear()
        found = mv.validate(book)
        v = book.calls.total
        book.calls.clear()
        mv.clear(book)
        c = book.calls.total
    finally:
        mv.validate_form = original
    return v, c, len(found)


def main() -> None:
    if not EXAMPLE.exists():
        sys.exit(f"{EXAMPLE} missing: run the examples build first")
    print("Excel round trips (fake xlwings book)")
    print(f"{'case':<36}{'validate()':>12}{'clear()':>10}{'findings':>10}")
    for rows in (10, 1000):
        v, c, n = run(extra_rows=rows)
        print(f"{f'{rows} extra rows, real findings':<36}{v:>12}{c:>10}{n:>10}")
    for n in (10, 1000):
        v, c, k = run(findings=n)
        print(f"{f'{n} findings (synthetic cells)':<36}{v:>12}{c:>10}{k:>10}")
    print(
        "rows: constant.  findings: +2 calls per marked cell to write its note, +4 to restore it;"
    )
    print("reads, colour rules, the marks store and the 校验结果 sheet are constant.")


if __name__ == "__main__":
    main()
