#!/usr/bin/env python3
"""Writes the synthetic cohorts that cohortcalc ships and tests against.

    python3 tests/oracles/make_demo.py

Deterministic (fixed seeds, no clock, no network). Writes, relative to the repository root:

* ``tests/data/demo.csv`` and ``tests/data/demo.mapping.json``: a synthetic chart review of
  134 basivertebral-nerve-ablation patients, kept as a clinic would keep it (DEXA T-scores,
  ISO dates). It is built so that its headline figures equal those published by
  Bellow et al. 2025 (Interventional Pain Medicine 4(3):100624): N = 134, 23 osteopenia +
  9 osteoporosis = 32 reduced bone density, VAS 7.04 -> 3.78 overall and 6.75 -> 4.13 in
  reduced bone density, functional improvement 79.1 % / 78.1 %, no vertebral compression
  fracture, mean follow-up 18.07 months. No real patient is in it.
* ``tests/data/second.csv`` and ``tests/data/second.mapping.json``: a different, smaller
  synthetic study (strata from a clinic column, follow-up in months, one-decimal pain scores,
  missing and junk cells, zero differences, ties, fracture events) so that tests do not fit
  one file only.

Every headline figure is asserted (reading the CSV text back with pandas) before any file is
written. The expected statistics themselves come from ``tests/oracles/file_oracle.py``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import rankdata

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"

DEMO_COLUMNS = [
    "Record ID", "Age", "Sex", "DEXA T-score", "Procedure date", "Last follow-up",
    "VAS baseline", "VAS 6 wk", "Functional improvement", "VCF", "VCF date",
]
SECOND_COLUMNS = [
    "Patient", "Clinic", "Pain before", "Pain after", "Improved", "Months followed", "Fracture",
]

DEMO_MAPPING = {
    "id": "Record ID",
    "strata": {"tscore": "DEXA T-score"},
    "compare": [["Reduced bone density", "Normal"]],
    "paired": [{"name": "VAS", "before": "VAS baseline", "after": "VAS 6 wk"}],
    "binary": [{"name": "Functional improvement", "column": "Functional improvement"}],
    "followup": {"start": "Procedure date", "end": "Last follow-up"},
    "events": [{"name": "VCF", "column": "VCF", "date": "VCF date"}],
    "covariates": ["Age", "Sex"],
}
SECOND_MAPPING = {
    "id": "Patient",
    "strata": {"column": "Clinic"},
    "compare": [["Riverside", "Hillcrest"]],
    "paired": [{"name": "Pain", "before": "Pain before", "after": "Pain after"}],
    "binary": [{"name": "Improved", "column": "Improved"}],
    "followup": {"months": "Months followed"},
    "events": [{"name": "Fracture", "column": "Fracture"}],
}

PROC_FIRST = dt.date(2019, 11, 1)
PROC_LAST = dt.date(2025, 1, 31)
FOLLOWUP_CUTOFF = dt.date(2025, 6, 30)
DAYS_PER_YEAR = 365.25


def round_half_away(x: float, digits: int) -> str:
    """Rounds as people expect (4.125 -> 4.13), from the shortest decimal form of x."""
    q = Decimal(1).scaleb(-digits)
    d = Decimal(repr(float(x))).quantize(q, rounding=ROUND_HALF_UP)
    return f"{d:.{digits}f}"


def to_csv_text(columns: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(columns)
    w.writerows(rows)
    return buf.getvalue()


def adjust_sum(rng, values, target, lo, hi, frozen=()):
    """Nudges integer values by ±1 (within [lo[i], hi[i]]) until they sum to target."""
    values = np.array(values, dtype=int)
    lo = np.broadcast_to(np.asarray(lo), values.shape)
    hi = np.broadcast_to(np.asarray(hi), values.shape)
    free = np.array([i for i in range(len(values)) if i not in set(frozen)])
    guard = 0
    while values.sum() != target:
        guard += 1
        if guard > 1_000_000:
            raise RuntimeError("cannot reach target sum")
        i = rng.choice(free)
        if values.sum() < target and values[i] < hi[i]:
            values[i] += 1
        elif values.sum() > target and values[i] > lo[i]:
            values[i] -= 1
    return values


# --------------------------------------------------------------------------------------------
# Demo cohort
# --------------------------------------------------------------------------------------------

def make_demo() -> tuple[str, dict]:
    rng = np.random.default_rng(20250814)
    n = 134

    # Bone density categories: 23 osteopenia, 9 osteoporosis, 60 normal, 42 without DEXA.
    cats = ["Osteopenia"] * 23 + ["Osteoporosis"] * 9 + ["Normal"] * 60 + ["Unknown"] * 42
    cats = np.array(cats)
    reduced = np.isin(cats, ["Osteopenia", "Osteoporosis"])

    # T-scores in tenths, with the WHO boundaries present on purpose.
    tscore = np.full(n, np.nan)
    idx_pen = np.flatnonzero(cats == "Osteopenia")
    idx_por = np.flatnonzero(cats == "Osteoporosis")
    idx_nor = np.flatnonzero(cats == "Normal")
    pen = rng.integers(-24, -10, size=len(idx_pen))  # -2.4 .. -1.1
    pen[:3] = [-11, -11, -24]
    por = rng.integers(-39, -24, size=len(idx_por))  # -3.9 .. -2.5
    por[:2] = [-25, -25]
    nor = np.round(rng.normal(-0.3, 0.8, size=4 * len(idx_nor)) * 10).astype(int)
    nor = nor[(nor >= -10) & (nor <= 22)][: len(idx_nor)]  # truncated normal, T >= -1.0
    nor[:3] = [-10, -10, 0]
    tscore[idx_pen] = pen / 10
    tscore[idx_por] = por / 10
    tscore[idx_nor] = nor / 10

    # Demography: older and more often women when bone density is reduced.
    age = np.where(
        reduced,
        np.clip(np.round(rng.normal(72, 8, n)), 52, 88),
        np.clip(np.round(rng.normal(64, 10, n)), 45, 88),
    ).astype(int)
    age[0], age[1] = 45, 88
    female = np.where(reduced, rng.random(n) < 0.84, rng.random(n) < 0.62)
    sex = np.where(female, "F", "M")

    # VAS: exact sums per group (reduced: 216 -> 132; the other 102: 727 -> 374).
    base = np.zeros(n, dtype=int)
    after = np.zeros(n, dtype=int)
    for mask, bsum, asum, n_same, n_worse in [(reduced, 216, 132, 2, 1), (~reduced, 727, 374, 3, 2)]:
        ix = np.flatnonzero(mask)
        m = len(ix)
        b = np.clip(np.round(rng.normal(bsum / m, 1.3, m)), 4, 10).astype(int)
        b = adjust_sum(rng, b, bsum, 4, 10)
        same = list(range(n_same))
        worse = list(range(n_same, n_same + n_worse))
        imp = np.round(rng.normal((bsum - asum) / m + 0.2, 2.0, m)).astype(int)
        a = np.clip(b - np.maximum(imp, 1), 0, 9)
        for j in same:
            a[j] = min(b[j], 9)
            if a[j] != b[j]:  # baseline 10 cannot stay 10 within 0..9; lower it
                b[j] -= 1
        for j in worse:
            if b[j] > 8:
                b[j] = 8
            a[j] = b[j] + 1
        # Re-balance baseline after the forced cases, touching only the other patients.
        frozen = set(same) | set(worse)
        b = adjust_sum(rng, b, bsum, 4, 10, frozen)
        # After values of improved patients stay within 0 .. baseline − 1.
        a = np.where([j in frozen for j in range(m)], a, np.minimum(a, b - 1))
        a = adjust_sum(rng, a, asum, 0, np.minimum(b - 1, 9), frozen)
        base[ix] = b
        after[ix] = a

    # Functional improvement: the patients whose pain fell most (with noise) say yes.
    fi = np.zeros(n, dtype=bool)
    for mask, k in [(reduced, 25), (~reduced, 81)]:
        ix = np.flatnonzero(mask)
        score = (base[ix] - after[ix]) + rng.normal(0, 1.5, len(ix))
        fi[ix[np.argsort(-score)[:k]]] = True

    # Dates: procedure uniformly over Nov 2019 .. Jan 2025; follow-up until 30 Jun 2025 at most.
    span = (PROC_LAST - PROC_FIRST).days
    proc_off = rng.integers(0, span + 1, n)
    proc = [PROC_FIRST + dt.timedelta(days=int(o)) for o in proc_off]
    avail = np.array([(FOLLOWUP_CUTOFF - p).days for p in proc])
    min_fu = 35  # everybody came to the 4-6 week visit
    frac = rng.beta(1.3, 1.4, n)
    fu = np.round(min_fu + (avail - min_fu) * frac).astype(int)
    target_days = round(18.07 * n * DAYS_PER_YEAR / 12)
    scale = target_days / fu.sum()
    fu = np.clip(np.round(fu * scale), min_fu, avail).astype(int)
    fu = adjust_sum(rng, fu, target_days, min_fu, avail)
    last = [p + dt.timedelta(days=int(d)) for p, d in zip(proc, fu)]

    # Record IDs in order of procedure date, as a chart review is usually numbered.
    order = sorted(range(n), key=lambda i: (proc[i], i))
    rows = []
    for k, i in enumerate(order, start=1):
        t = "" if np.isnan(tscore[i]) else f"{tscore[i]:.1f}"
        if t == "-0.0":
            t = "0.0"
        rows.append([
            f"BVN-{k:03d}", str(age[i]), sex[i], t, proc[i].isoformat(), last[i].isoformat(),
            str(base[i]), str(after[i]), "Yes" if fi[i] else "No", "No", "",
        ])
    text = to_csv_text(DEMO_COLUMNS, rows)
    return text, check_demo(text)


def who_category(t: float) -> str:
    if np.isnan(t):
        return "Unknown"
    if t >= -1.0:
        return "Normal"
    if t > -2.5:
        return "Osteopenia"
    return "Osteoporosis"


def check_demo(text: str) -> dict:
    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert list(df.columns) == DEMO_COLUMNS, df.columns
    assert len(df) == 134
    assert df["Record ID"].tolist() == [f"BVN-{k:03d}" for k in range(1, 135)]
    age = df["Age"].astype(int)
    assert age.between(45, 88).all()
    assert set(df["Sex"]) == {"F", "M"} and (df["Sex"] == "F").sum() > 67
    t = pd.to_numeric(df["DEXA T-score"].replace("", np.nan))
    assert all(s == "" or (len(s.split(".")[1]) == 1) for s in df["DEXA T-score"])
    cat = t.map(who_category)
    counts = cat.value_counts().to_dict()
    assert counts["Osteopenia"] == 23 and counts["Osteoporosis"] == 9, counts
    assert counts["Normal"] > counts["Unknown"] and counts["Normal"] + counts["Unknown"] == 102
    for v in ["-1.0", "-2.5", "-1.1"]:
        assert v in set(df["DEXA T-score"]), v
    reduced = cat.isin(["Osteopenia", "Osteoporosis"])
    assert reduced.sum() == 32

    proc = pd.to_datetime(df["Procedure date"], format="%Y-%m-%d")
    last = pd.to_datetime(df["Last follow-up"], format="%Y-%m-%d")
    assert proc.min() >= pd.Timestamp(PROC_FIRST) and proc.max() <= pd.Timestamp(PROC_LAST)
    assert (last > proc).all() and last.max() <= pd.Timestamp(FOLLOWUP_CUTOFF)
    months = (last - proc).dt.days * 12 / DAYS_PER_YEAR
    assert abs(months.mean() - 18.07) <= 0.002, months.mean()
    assert round_half_away(months.mean(), 2) == "18.07"

    b = df["VAS baseline"].astype(int)
    a = df["VAS 6 wk"].astype(int)
    assert b.between(0, 10).all() and a.between(0, 10).all()
    assert b.sum() == 943 and a.sum() == 506, (b.sum(), a.sum())
    assert b[reduced].sum() == 216 and a[reduced].sum() == 132
    assert round_half_away(b.mean(), 2) == "7.04" and round_half_away(a.mean(), 2) == "3.78"
    assert round_half_away(b[reduced].mean(), 2) == "6.75"
    assert round_half_away(a[reduced].mean(), 2) == "4.13"
    assert (a > b).sum() >= 1 and (a == b).sum() >= 1

    fi = df["Functional improvement"]
    assert set(fi) == {"Yes", "No"}
    assert (fi == "Yes").sum() == 106 and (fi[reduced] == "Yes").sum() == 25
    assert round_half_away(100 * 106 / 134, 1) == "79.1"
    assert round_half_away(100 * 25 / 32, 1) == "78.1"
    d = b - a
    assert d[fi == "Yes"].mean() > d[fi == "No"].mean() + 1  # improvement goes with pain relief

    assert (df["VCF"] == "No").all() and (df["VCF date"] == "").all()

    from scipy.stats import ttest_rel, wilcoxon
    for name, m in [("overall", slice(None)), ("reduced", reduced)]:
        assert ttest_rel(a[m], b[m]).pvalue < 0.001, name
        assert wilcoxon(a[m] - b[m], zero_method="wilcox", correction=True, method="approx").pvalue < 0.001

    return {
        "N": len(df),
        "Osteopenia": counts["Osteopenia"],
        "Osteoporosis": counts["Osteoporosis"],
        "Normal": counts["Normal"],
        "Unknown": counts["Unknown"],
        "Reduced bone density": int(reduced.sum()),
        "VAS overall": f"{round_half_away(b.mean(), 2)} -> {round_half_away(a.mean(), 2)}",
        "VAS reduced": f"{round_half_away(b[reduced].mean(), 2)} -> {round_half_away(a[reduced].mean(), 2)}",
        "Functional improvement overall %": round_half_away(100 * (fi == 'Yes').mean(), 1),
        "Functional improvement reduced %": round_half_away(100 * (fi[reduced] == 'Yes').mean(), 1),
        "VCF": int((df["VCF"] == "Yes").sum()),
        "Mean follow-up months": f"{round_half_away(months.mean(), 2)} (raw {months.mean():.6f})",
        "VAS worse / unchanged": f"{int((a > b).sum())} / {int((a == b).sum())}",
    }


# --------------------------------------------------------------------------------------------
# Second cohort
# --------------------------------------------------------------------------------------------

def make_second() -> tuple[str, dict]:
    rng = np.random.default_rng(7_2024)
    clinics = ["Riverside"] * 36 + ["Hillcrest"] * 30 + ["Lakeview"] * 12
    n = len(clinics)

    before = np.clip(np.round(rng.normal(6.6, 1.4, n) * 10), 20, 100).astype(int)  # tenths
    after = np.zeros(n, dtype=int)
    seen: dict[int, float] = {}  # |d| in tenths -> |d| as float64 from the written strings
    lake_absd: set[int] = set()

    def float_absd(b10: int, a10: int) -> float:
        return abs(float(f"{a10 / 10:.1f}") - float(f"{b10 / 10:.1f}"))

    for i in range(n):
        for _ in range(10_000):
            imp = int(np.round(rng.normal(2.4, 1.9) * 10))
            a10 = int(np.clip(before[i] - imp, 0, 100))
            d10 = a10 - before[i]
            if d10 == 0:
                continue  # zero differences are placed on purpose below
            fd = float_absd(before[i], a10)
            # The tie structure must be the same whether |d| is computed in decimal or in
            # float64 (R, numpy and Rust subtract in float64 without rounding).
            if abs(d10) in seen and seen[abs(d10)] != fd:
                continue
            if clinics[i] == "Lakeview" and abs(d10) in lake_absd:
                continue  # Lakeview: no ties, no zeros -> exact Wilcoxon p
            break
        else:
            raise RuntimeError("could not draw a pain score")
        seen.setdefault(abs(d10), fd)
        if clinics[i] == "Lakeview":
            lake_absd.add(abs(d10))
        after[i] = a10
    lake = [i for i in range(n) if clinics[i] == "Lakeview"]

    after_s = [f"{v / 10:.1f}" for v in after]
    before_s = [f"{v / 10:.1f}" for v in before]
    # Zero differences (Riverside 2, Hillcrest 1) and missing/junk after values.
    for i in (3, 17, 40):
        after_s[i] = before_s[i]
    after_s[9] = ""          # Riverside, blank
    after_s[52] = ""         # Hillcrest, blank
    after_s[25] = "7,5a"     # Riverside, junk (quoted in the CSV because of the comma)
    # One Lakeview patient worse off (so V is not trivially 0), with a |d| unused in Lakeview.
    j = lake[4]
    for k in range(1, 40):
        a10 = before[j] + k
        if a10 <= 100 and k not in lake_absd - {abs(after[j] - before[j])}:
            fd = float_absd(before[j], a10)
            if k in seen and seen[k] != fd:
                continue
            lake_absd.discard(abs(after[j] - before[j]))
            lake_absd.add(k)
            after[j] = a10
            after_s[j] = f"{a10 / 10:.1f}"
            break

    # Improved (1/0): pain fell by 2 points or more, with a little noise; one blank.
    improved = []
    for i in range(n):
        try:
            d = float(after_s[i]) - float(before_s[i])
        except ValueError:
            d = -2.5
        p = 0.85 if d <= -2.0 else 0.2
        improved.append("1" if rng.random() < p else "0")
    improved[60] = ""

    # Months followed, one decimal; one blank (Hillcrest, no fracture).
    months = np.clip(np.round(rng.gamma(2.2, 6.5, n) * 10), 15, 600).astype(int)
    months_s = [f"{v / 10:.1f}" for v in months]
    months_s[45] = ""

    fracture = ["no" if i % 7 == 3 else "No" for i in range(n)]
    fracture[12] = "Yes"        # Riverside
    fracture[lake[7]] = "yes"   # Lakeview

    order = rng.permutation(n)
    rows = []
    for k, i in enumerate(order, start=1):
        rows.append([f"P{k:02d}", clinics[i], before_s[i], after_s[i], improved[i], months_s[i], fracture[i]])
    text = to_csv_text(SECOND_COLUMNS, rows)
    return text, check_second(text)


def check_second(text: str) -> dict:
    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert list(df.columns) == SECOND_COLUMNS
    assert 60 <= len(df) <= 90
    assert df["Patient"].is_unique
    assert set(df["Clinic"]) == {"Riverside", "Hillcrest", "Lakeview"}
    assert "7,5a" in set(df["Pain after"]) and '"7,5a"' in text
    b = pd.to_numeric(df["Pain before"], errors="coerce")
    a = pd.to_numeric(df["Pain after"], errors="coerce")
    assert b.notna().all()
    assert (df["Pain after"] == "").sum() == 2 and a.isna().sum() == 3
    d = (a - b).dropna()
    assert (d == 0).sum() == 3
    absd = d[d != 0].abs()
    assert absd.duplicated().any()  # ties overall
    # Tie structure identical in float64 and in exact tenths.
    tenths = ((a * 10).round() - (b * 10).round()).dropna()
    tenths = tenths[tenths != 0].abs()
    assert (rankdata(absd) == rankdata(tenths)).all()
    lake = (df["Clinic"] == "Lakeview") & a.notna()
    dl = (a - b)[lake]
    assert (dl != 0).all() and not dl.abs().duplicated().any() and (dl > 0).sum() >= 1
    imp = df["Improved"]
    assert set(imp) == {"1", "0", ""} and (imp == "").sum() == 1
    mo = pd.to_numeric(df["Months followed"], errors="coerce")
    assert mo.isna().sum() == 1 and (mo.dropna() > 0).all()
    fr = df["Fracture"].str.lower()
    assert set(fr) == {"yes", "no"} and (fr == "yes").sum() == 2
    assert mo[fr == "yes"].notna().all()
    assert len(df) != 134 and abs(b.mean() - 943 / 134) > 0.01
    return {
        "N": len(df),
        "clinics": df["Clinic"].value_counts().to_dict(),
        "pairs": int(d.size),
        "zero differences": int((d == 0).sum()),
        "Pain": f"{round_half_away(b[a.notna()].mean(), 2)} -> {round_half_away(a.mean(), 2)}",
        "Improved %": round_half_away(100 * (imp == "1").sum() / (imp != "").sum(), 1),
        "Fractures": int((fr == "yes").sum()),
        "Mean months": round_half_away(mo.mean(), 2),
    }


def main() -> int:
    demo_text, demo_fig = make_demo()
    second_text, second_fig = make_second()
    DATA.mkdir(parents=True, exist_ok=True)
    (DATA / "demo.csv").write_text(demo_text, encoding="utf-8", newline="")
    (DATA / "demo.mapping.json").write_text(json.dumps(DEMO_MAPPING, indent=2) + "\n", encoding="utf-8")
    (DATA / "second.csv").write_text(second_text, encoding="utf-8", newline="")
    (DATA / "second.mapping.json").write_text(json.dumps(SECOND_MAPPING, indent=2) + "\n", encoding="utf-8")
    print("demo.csv:")
    for k, v in demo_fig.items():
        print(f"  {k}: {v}")
    print("second.csv:")
    for k, v in second_fig.items():
        print(f"  {k}: {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
