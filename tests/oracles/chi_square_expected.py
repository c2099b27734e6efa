#!/usr/bin/env python3
"""Independent oracle for the smallest expected count of `cohortcalc::stats::compare::chi_square`
(`Test::min_expected`, which the tables flag below 5, as R's `chisq.test` warns that "Chi-squared
approximation may be incorrect").

Reads the contingency tables of the chi-square cases in `tests/data/expected/compare.json` (written
by compare_oracle.py) and writes `tests/data/expected/chi_square_min_expected.json`, read by
`tests/it/oracle_compare.rs`: for each table, the smallest expected count E_ij = R_i C_j / N over
the table with its all-zero rows and columns dropped (as the core and R's tests on the reduced table
do), computed in exact rational arithmetic, or null when fewer than 2 rows or columns remain.

    python3 tests/oracles/chi_square_expected.py          # (re)write the JSON file
    python3 tests/oracles/chi_square_expected.py --check  # compare with the file

Python's standard library only.
"""
import json
import sys
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "tests/data/expected/compare.json"
OUT = ROOT / "tests/data/expected/chi_square_min_expected.json"


def min_expected(table):
    width = max((len(r) for r in table), default=0)
    rows = [r + [0] * (width - len(r)) for r in table if sum(r) > 0]
    cols = [j for j in range(width) if sum(r[j] for r in rows) > 0]
    if len(rows) < 2 or len(cols) < 2:
        return None
    row_tot = [sum(r[j] for j in cols) for r in rows]
    col_tot = [sum(r[j] for r in rows) for j in cols]
    n = sum(row_tot)
    return float(min(Fraction(a * b, n) for a in row_tot for b in col_tot))


def build():
    cases = json.loads(SOURCE.read_text())["chi_square"]
    # Besides the oracle's tables, the demo's Table 1 (Sex by WHO category: F, M) and a table with a
    # zero row and a zero column, which are dropped first.
    tables = [c["table"] for c in cases] + [[[37, 23], [22, 1], [7, 2]], [[5, 0, 3], [0, 0, 0], [2, 0, 9]]]
    return {
        "tool": f"Python {sys.version.split()[0]}, fractions.Fraction (exact)",
        "cases": [{"table": t, "min_expected": min_expected(t)} for t in tables],
    }


def main():
    doc = build()
    # One case a line.
    cases = ",\n  ".join(json.dumps(c) for c in doc["cases"])
    text = f'{{"tool": {json.dumps(doc["tool"])},\n "cases": [\n  {cases}\n ]}}\n'
    json.loads(text)
    if "--check" in sys.argv:
        if OUT.read_text() != text:
            sys.exit(f"{OUT} differs from what this script makes")
        print(f"{OUT}: as made")
        return
    OUT.write_text(text)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
