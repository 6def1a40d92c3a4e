"""Rebuild the filled example workbooks from their JSON (``perfkit fill``).

Run from the repository root:  python examples/build_examples.py
Each ``examples/<name>.json`` becomes ``examples/<name>.xlsx``; the output is
deterministic, so a rebuild of unchanged data gives identical bytes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from perfkit.writers.fill import fill  # noqa: E402


def main() -> int:
    for data_path in sorted(HERE.glob("*.json")):
        data = json.loads(data_path.read_text(encoding="utf-8"))
        out = fill(data, data_path.with_suffix(".xlsx"), source=str(data_path))
        print(f"已生成 {out.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
