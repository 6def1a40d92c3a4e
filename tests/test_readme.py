"""The README's function table: every example evaluates to the result it shows."""

import csv
import re
from pathlib import Path

import udfs

README = Path(__file__).resolve().parents[1] / "README.md"
_CALL = re.compile(r"`=([A-Z_]+)\((.*?)\)`")


def _args(text: str) -> list:
    out = []
    for item in next(csv.reader([text], skipinitialspace=True)):
        item = item.strip()
        try:
            out.append(float(item))
        except ValueError:
            out.append(item)
    return out


def examples():
    for line in README.read_text(encoding="utf-8").splitlines():
        if not line.startswith("| `=") or "区域" in line.split("|")[3]:
            continue
        cells = [c.strip() for c in line.split("|")]
        calls = [m for m in _CALL.finditer(cells[3]) if "H" not in m.group(2)]
        results = [r.strip("`") for r in cells[4].split("<br>")]
        for call, result in zip(calls, results, strict=False):
            yield call.group(1), call.group(2), result


def test_readme_examples_evaluate_as_shown():
    seen = 0
    for name, args, result in examples():
        value = getattr(udfs, name)(*_args(args))
        shown = value if isinstance(value, str) else f"{value:g}"
        assert shown == result, f"{name}({args}) = {value!r}, README says {result}"
        seen += 1
    assert seen >= 11
