"""Refresh the generated tables of docs/profiles.md from the schema.

    python -m perfkit.profiles docs/profiles.md

Without a path, prints the key table.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from . import keys_markdown, profiles_markdown


def _refresh(text: str, block: str, body: str) -> str:
    pattern = re.compile(rf"(<!-- {block}:begin -->)\n.*?(<!-- {block}:end -->)", re.S)
    if not pattern.search(text):
        raise SystemExit(f"没有找到 <!-- {block}:begin --> … <!-- {block}:end -->")
    return pattern.sub(lambda m: f"{m.group(1)}\n{body}\n{m.group(2)}", text)


def main(argv: list[str]) -> int:
    if not argv:
        print(keys_markdown())
        return 0
    path = Path(argv[0])
    text = path.read_text(encoding="utf-8")
    text = _refresh(text, "keys", keys_markdown())
    text = _refresh(text, "profiles", profiles_markdown())
    path.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
