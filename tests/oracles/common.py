"""Helpers shared by the oracle scripts in this folder (imported as ``common``; each script puts
its own folder on ``sys.path`` first, so ``python3 tests/oracles/X.py`` works from anywhere)."""

from __future__ import annotations

import json
from pathlib import Path


def dumps(doc: dict, *, ensure_ascii: bool = True) -> str:
    """An expected-values document as JSON text, one case a line (readable diffs, no 5000-line
    arrays): each top-level value that is a non-empty list of objects is written one item a line,
    every other top-level value on one line. Floats are written with repr (shortest round-trip,
    i.e. full precision); NaN/inf are refused. ``ensure_ascii`` as for ``json.dumps``."""

    def one(v) -> str:
        return json.dumps(v, ensure_ascii=ensure_ascii, allow_nan=False)

    items = list(doc.items())
    lines = ["{"]
    for i, (key, value) in enumerate(items):
        sep = "," if i + 1 < len(items) else ""
        if isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f" {one(key)}: [")
            lines += [f"  {one(c)}{',' if j + 1 < len(value) else ''}" for j, c in enumerate(value)]
            lines.append(f" ]{sep}")
        else:
            lines.append(f" {one(key)}: {one(value)}{sep}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_or_check(outputs: list[tuple[Path, str]], check: bool) -> bool:
    """Writes each ``(path, text)`` of ``outputs`` (making its folder) and returns True; with
    ``check``, writes nothing: exits with an error naming every file that is missing or differs
    from its fresh ``text``, else prints that the files are up to date and returns False."""
    if check:
        bad = [str(p) for p, text in outputs if not p.exists() or p.read_text() != text]
        if bad:
            raise SystemExit(f"out of date (differs from a fresh run): {', '.join(bad)}")
        print(f"up to date: {', '.join(str(p) for p, _ in outputs)}")
        return False
    for path, text in outputs:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return True
