"""Calls per second of the scoring engine and of the Excel functions.

    python benchmarks/bench_scoring.py [seconds-per-case]

Prints figures only; no thresholds (speed targets live here, not in tests).
"""

from __future__ import annotations

import sys
import time

from perfkit import scoring
from udfs import EXEC_SCORE, PERF_SCORE

CASES = [
    ("exec_score (Decimal core)", lambda: scoring.exec_score("1937189.02", "1959300")),
    ("EXEC_SCORE (UDF, floats)", lambda: EXEC_SCORE(1937189.02, 1959300.0, 10.0, "mof2020")),
    (
        "perf_score quantitative text",
        lambda: scoring.perf_score("新增党组织覆盖企业≥2家", "2家", 10),
    ),
    (
        "perf_score two targets in one cell",
        lambda: scoring.perf_score(
            "一年举办活动不少于 8 次，《福田工商联》杂志出版不少于 6 期",
            "开展活动 10 次，出版杂志 6 期",
            20,
        ),
    ),
    (
        "perf_score qualitative",
        lambda: scoring.perf_score("按时完成各项任务", "按季度完成了各项任务", 10),
    ),
    ("PERF_SCORE (UDF, Chinese numeral)", lambda: PERF_SCORE("满意度 \\geq 九十", "100%", 10.0)),
]


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    print(f"{'case':40s} {'calls/s':>12s}")
    for name, fn in CASES:
        fn()  # warm caches (profile loading)
        n, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            for _ in range(100):
                fn()
            n += 100
        rate = n / (time.perf_counter() - start)
        print(f"{name:40s} {rate:12,.0f}")


if __name__ == "__main__":
    main()
