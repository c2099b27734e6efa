#!/usr/bin/env python3
"""Independent expected values for the shipped cohorts, from pandas / scipy / statsmodels.

    python3 tests/oracles/file_oracle.py

Reads ``tests/data/{demo,second}.csv`` with their ``*.mapping.json`` and writes
``tests/data/expected/{demo,second}.json``. Nothing here reimplements the Rust core: every
statistic comes from the libraries pinned in ``tests/oracles/requirements.txt``, following R's
conventions (see the brief in each function). Numbers are written at full float precision;
proportions and their intervals are in percent (0-100), intervals are 95 %. A statistic that is
undefined for a stratum is written as null.

Conventions
-----------
* Difference = after - before. SD with n - 1. Quantiles R type 7 (numpy "linear").
* Paired t two-sided (scipy.stats.ttest_rel); CI = mean +- t(0.975, n-1) sd / sqrt(n);
  dz = mean difference / SD of differences.
* Wilcoxon signed-rank as R ``wilcox.test(after, before, paired = TRUE)``: zero differences
  dropped; V = sum of the (average) ranks of positive differences; exact p when fewer than 50
  non-zero differences, no ties and no zeros dropped, else the normal approximation with tie
  and continuity correction. scipy's p is checked against R's formulas (exact null
  distribution by counting; z formula) and the formula's value is written if they differ.
* Wilson: statsmodels proportion_confint(method="wilson"); Clopper-Pearson: method="beta".
* Rule of three: 300 / n percent, only when there are no events.
* Follow-up months = days x 12 / 365.25 (dates) or the months column. Person-years = sum of
  event times in months / 12 over patients with a known time; the event time is the event date
  - start when an event date is given, else the follow-up.
* Missing: blank or non-numeric cells; yes codes Yes/Y/1/TRUE, no codes No/N/0/FALSE
  (case-insensitive, surrounding blanks ignored); anything else is missing.
"""

from __future__ import annotations

import json
import math
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import scipy
import scipy.stats as st
import statsmodels
from statsmodels.stats.proportion import proportion_confint

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
OUT = DATA / "expected"

YES = {"yes", "y", "1", "true"}
NO = {"no", "n", "0", "false"}
WHO_LEVELS = ["Normal", "Osteopenia", "Osteoporosis", "Unknown"]
REDUCED = "Reduced bone density"
DAYS_PER_YEAR = 365.25

PINNED = {"scipy": "1.17.1", "statsmodels": "0.15.0", "pandas": "2.3.3"}


# ----------------------------------------------------------------------------------- parsing

def to_number(cell: str) -> float:
    s = cell.strip()
    if not s:
        return math.nan
    try:
        x = float(s)
    except ValueError:
        return math.nan
    return x if math.isfinite(x) else math.nan


def to_yes_no(cell: str) -> float:
    s = cell.strip().lower()
    if s in YES:
        return 1.0
    if s in NO:
        return 0.0
    return math.nan


def to_date(cell: str):
    s = cell.strip()
    if not s:
        return pd.NaT
    return pd.to_datetime(s, format="%Y-%m-%d", errors="coerce")


def who(t: float) -> str:
    if math.isnan(t):
        return "Unknown"
    if t >= -1.0:
        return "Normal"
    if t > -2.5:
        return "Osteopenia"
    return "Osteoporosis"


# ------------------------------------------------------------------------------- statistics

def fnum(x) -> float | None:
    """A JSON number, or None for NaN/inf/None."""
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def describe(x: np.ndarray) -> dict:
    n = len(x)
    if n == 0:
        return {"n": 0, "mean": None, "sd": None, "median": None, "q1": None, "q3": None}
    q1, med, q3 = np.percentile(x, [25, 50, 75], method="linear")
    return {
        "n": n,
        "mean": fnum(np.mean(x)),
        "sd": fnum(np.std(x, ddof=1)) if n >= 2 else None,
        "median": fnum(med),
        "q1": fnum(q1),
        "q3": fnum(q3),
    }


def signrank_exact_p(v: float, n: int) -> float:
    """R's psignrank-based two-sided exact p-value, by counting subsets of 1..n."""
    total = n * (n + 1) // 2
    counts = np.zeros(total + 1, dtype=object)  # exact integers
    counts[0] = 1
    for k in range(1, n + 1):
        counts[k:] = counts[k:] + counts[: total + 1 - k].copy()
    denom = 2 ** n
    vi = int(round(v))
    if v > n * (n + 1) / 4:
        p = sum(counts[vi:]) / denom  # P(V >= v)
    else:
        p = sum(counts[: vi + 1]) / denom  # P(V <= v)
    return float(min(1.0, 2 * p))


def wilcoxon_r(d: np.ndarray) -> tuple[dict, list[str]]:
    """V, p and method as R's wilcox.test(after, before, paired = TRUE); notes on scipy."""
    notes: list[str] = []
    zeros = int(np.sum(d == 0))
    dn = d[d != 0]
    n = len(dn)
    if n == 0:
        return {"wilcoxon_v": None, "wilcoxon_p": None, "wilcoxon_method": None}, notes
    r = st.rankdata(np.abs(dn))  # average ranks for ties
    v = float(np.sum(r[dn > 0]))
    _, tie_counts = np.unique(np.abs(dn), return_counts=True)
    ties = bool(np.any(tie_counts > 1))
    if n < 50 and not ties and zeros == 0:
        method = "exact"
        p_formula = signrank_exact_p(v, n)
        p_scipy = float(st.wilcoxon(dn, zero_method="wilcox", method="exact").pvalue)
    else:
        method = "normal"
        mu = n * (n + 1) / 4
        sigma = math.sqrt(n * (n + 1) * (2 * n + 1) / 24 - np.sum(tie_counts**3 - tie_counts) / 48)
        z = (v - mu - 0.5 * np.sign(v - mu)) / sigma
        p_formula = float(2 * min(st.norm.cdf(z), st.norm.sf(z)))
        p_scipy = float(
            st.wilcoxon(d, zero_method="wilcox", correction=True, method="asymptotic").pvalue
        )
    if not math.isclose(p_scipy, p_formula, rel_tol=1e-9, abs_tol=1e-300):
        notes.append(f"scipy Wilcoxon p {p_scipy!r} != R formula {p_formula!r}; formula written")
    return {"wilcoxon_v": v, "wilcoxon_p": p_formula, "wilcoxon_method": method}, notes


def paired_stats(before: np.ndarray, after: np.ndarray, n_stratum: int) -> tuple[dict, list[str]]:
    ok = ~np.isnan(before) & ~np.isnan(after)
    b, a = before[ok], after[ok]
    d = a - b
    n = int(ok.sum())
    out: dict = {"pairs": n, "missing": n_stratum - n}
    for prefix, x in (("before", b), ("after", a), ("diff", d)):
        s = describe(x)
        out[f"{prefix}_mean"] = s["mean"]
        out[f"{prefix}_sd"] = s["sd"]
        if prefix != "diff":
            out[f"{prefix}_median"] = s["median"]
            out[f"{prefix}_q1"] = s["q1"]
            out[f"{prefix}_q3"] = s["q3"]
    sd = out["diff_sd"]
    notes: list[str] = []
    if n >= 2 and sd is not None and sd > 0:
        tt = st.ttest_rel(a, b)
        half = st.t.ppf(0.975, n - 1) * sd / math.sqrt(n)
        ci = tt.confidence_interval(0.95)
        if not (math.isclose(ci.low, out["diff_mean"] - half, rel_tol=1e-12)
                and math.isclose(ci.high, out["diff_mean"] + half, rel_tol=1e-12)):
            notes.append("scipy ttest_rel CI differs from mean +- t sd / sqrt(n)")
        out.update({
            "diff_ci_lower": fnum(out["diff_mean"] - half),
            "diff_ci_upper": fnum(out["diff_mean"] + half),
            "t": fnum(tt.statistic),
            "df": float(n - 1),
            "p_t": fnum(tt.pvalue),
        })
        dz = out["diff_mean"] / sd
    else:
        out.update({"diff_ci_lower": None, "diff_ci_upper": None, "t": None, "df": None, "p_t": None})
        dz = None
    w, wnotes = wilcoxon_r(d)
    out.update(w)
    out["dz"] = fnum(dz)
    return out, notes + wnotes


def binary_stats(x: np.ndarray, n_stratum: int) -> dict:
    ok = ~np.isnan(x)
    n = int(ok.sum())
    k = int(np.sum(x[ok] == 1))
    out = {"n": n, "events": k, "missing": n_stratum - n}
    if n == 0:
        out.update({"percent": None, "wilson_lower": None, "wilson_upper": None,
                    "cp_lower": None, "cp_upper": None})
        return out
    wl, wu = proportion_confint(k, n, alpha=0.05, method="wilson")
    cl, cu = proportion_confint(k, n, alpha=0.05, method="beta")
    out.update({
        "percent": 100 * k / n,
        "wilson_lower": fnum(100 * wl), "wilson_upper": fnum(100 * wu),
        "cp_lower": fnum(100 * cl), "cp_upper": fnum(100 * cu),
    })
    return out


def event_stats(x: np.ndarray, months: np.ndarray) -> dict:
    ok = ~np.isnan(x)
    n = int(ok.sum())
    k = int(np.sum(x[ok] == 1))
    out = {"n": n, "events": k}
    if n == 0:
        out.update({"percent": None, "cp_lower": None, "cp_upper": None})
    else:
        cl, cu = proportion_confint(k, n, alpha=0.05, method="beta")
        out.update({"percent": 100 * k / n, "cp_lower": fnum(100 * cl), "cp_upper": fnum(100 * cu)})
    out["rule_of_three_upper"] = 300 / n if (k == 0 and n > 0) else None
    known = ~np.isnan(months)
    out["person_years"] = float(np.sum(months[known]) / 12)
    return out


# ------------------------------------------------------------------------------ the cohorts

def load(name: str) -> tuple[pd.DataFrame, dict]:
    df = pd.read_csv(DATA / f"{name}.csv", dtype=str, keep_default_na=False, encoding="utf-8")
    mapping = json.loads((DATA / f"{name}.mapping.json").read_text(encoding="utf-8"))
    return df, mapping


def analyse(name: str) -> tuple[dict, list[str]]:
    df, m = load(name)
    n = len(df)
    notes: list[str] = []

    # Strata: Overall, then levels, then groups.
    strata_spec = m.get("strata", {})
    if "tscore" in strata_spec:
        t = df[strata_spec["tscore"]].map(to_number)
        level = t.map(who)
        levels = [lv for lv in WHO_LEVELS if (level == lv).any()]
        groups = {REDUCED: ["Osteopenia", "Osteoporosis"]}
    elif "column" in strata_spec:
        level = df[strata_spec["column"]]
        levels = list(dict.fromkeys(level))  # first appearance
        groups = {}
    else:
        level = pd.Series([""] * n)
        levels, groups = [], {}
    groups.update(m.get("groups", {}))
    masks = [("Overall", np.ones(n, dtype=bool))]
    masks += [(lv, (level == lv).to_numpy()) for lv in levels]
    masks += [(g, level.isin(members).to_numpy()) for g, members in groups.items()
              if level.isin(members).any()]

    # Follow-up months.
    fu = m.get("followup")
    start = None
    if fu is None:
        months = None
    elif "months" in fu:
        months = df[fu["months"]].map(to_number).to_numpy(dtype=float)
    else:
        start = df[fu["start"]].map(to_date)
        end = df[fu["end"]].map(to_date)
        months = ((end - start).dt.days * 12 / DAYS_PER_YEAR).to_numpy(dtype=float)

    # Event times.
    event_cols = {}
    for e in m.get("events", []):
        x = df[e["column"]].map(to_yes_no).to_numpy(dtype=float)
        if "event_value" in e:
            x = np.where(df[e["column"]].str.strip().to_numpy() == e["event_value"], 1.0,
                         np.where(df[e["column"]].str.strip() == "", np.nan, 0.0))
        if "time" in e:
            tm = df[e["time"]].map(to_number).to_numpy(dtype=float)
        else:
            tm = months.copy() if months is not None else np.full(n, np.nan)
            if "date" in e and start is not None:
                edate = df[e["date"]].map(to_date)
                emonths = ((edate - start).dt.days * 12 / DAYS_PER_YEAR).to_numpy(dtype=float)
                has = ~np.isnan(emonths)
                tm[has] = emonths[has]
        event_cols[e["name"]] = (x, tm)

    paired = {p["name"]: (df[p["before"]].map(to_number).to_numpy(dtype=float),
                          df[p["after"]].map(to_number).to_numpy(dtype=float))
              for p in m.get("paired", [])}
    binary = {b["name"]: df[b["column"]].map(to_yes_no).to_numpy(dtype=float)
              for b in m.get("binary", [])}

    strata = []
    for sname, mask in masks:
        ns = int(mask.sum())
        s: dict = {"name": sname, "n": ns, "paired": {}, "binary": {}, "events": {}}
        for pname, (b, a) in paired.items():
            s["paired"][pname], pn = paired_stats(b[mask], a[mask], ns)
            notes += [f"{name}/{sname}/{pname}: {x}" for x in pn]
        for bname, x in binary.items():
            s["binary"][bname] = binary_stats(x[mask], ns)
        for ename, (x, tm) in event_cols.items():
            s["events"][ename] = event_stats(x[mask], tm[mask])
        s["followup_months"] = None if months is None else describe(months[mask][~np.isnan(months[mask])])
        strata.append(s)

    tools = ", ".join(f"{k} {v}" for k, v in
                      (("scipy", scipy.__version__), ("statsmodels", statsmodels.__version__),
                       ("pandas", pd.__version__)))
    for mod, want in PINNED.items():
        have = {"scipy": scipy.__version__, "statsmodels": statsmodels.__version__,
                "pandas": pd.__version__}[mod]
        if have != want:
            notes.append(f"{mod} {have} is not the pinned {want}")
    return {"generated_by": "tests/oracles/file_oracle.py", "tools": tools,
            "file": f"{name}.csv", "strata": strata}, notes


def rnd(x: float | None, digits: int) -> str:
    if x is None:
        return "NA"
    q = Decimal(1).scaleb(-digits)
    return f"{Decimal(repr(float(x))).quantize(q, rounding=ROUND_HALF_UP):.{digits}f}"


def fmt_p(p: float | None) -> str:
    if p is None:
        return "NA"
    return "< 0.001" if p < 0.001 else rnd(p, 3)


def summary(result: dict) -> str:
    lines = [f"{result['file']}:"]
    for s in result["strata"]:
        parts = [f"  {s['name']} (n = {s['n']})"]
        for pn, p in s["paired"].items():
            parts.append(f"{pn} {rnd(p['before_mean'], 2)} -> {rnd(p['after_mean'], 2)} "
                         f"(pairs {p['pairs']}, t p {fmt_p(p['p_t'])}, "
                         f"Wilcoxon V {p['wilcoxon_v']} p {fmt_p(p['wilcoxon_p'])} {p['wilcoxon_method']})")
        for bn, b in s["binary"].items():
            parts.append(f"{bn} {b['events']}/{b['n']} = {rnd(b['percent'], 1)} %")
        for en, e in s["events"].items():
            extra = f", rule of three <= {rnd(e['rule_of_three_upper'], 2)} %" \
                if e["rule_of_three_upper"] is not None else ""
            parts.append(f"{en} {e['events']}/{e['n']} = {rnd(e['percent'], 1)} % "
                         f"(CP {rnd(e['cp_lower'], 1)}-{rnd(e['cp_upper'], 1)}{extra}; "
                         f"{rnd(e['person_years'], 1)} person-years)")
        f = s["followup_months"]
        if f is not None:
            parts.append(f"follow-up {rnd(f['mean'], 2)} months (n {f['n']})")
        lines.append(parts[0] + ": " + "; ".join(parts[1:]))
    return "\n".join(lines)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    all_notes = []
    for name in ("demo", "second"):
        result, notes = analyse(name)
        all_notes += notes
        (OUT / f"{name}.json").write_text(json.dumps(result, indent=2, allow_nan=False) + "\n",
                                          encoding="utf-8")
        print(summary(result))
    for x in all_notes:
        print("NOTE:", x, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
