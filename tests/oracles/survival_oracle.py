#!/usr/bin/env python3
"""Oracle for `cohortcalc::stats::survival`: R's survival package, cross-checked with lifelines.

Writes `tests/data/expected/survival.json`, read by `tests/it/oracle_survival.rs`.

    python3 tests/oracles/survival_oracle.py            # (re)write the JSON
    python3 tests/oracles/survival_oracle.py --check    # regenerate in memory, diff against the file

Needs `Rscript` with the `survival` package (Debian: apt-get install r-base-core r-cran-survival;
R 4.2.2 / survival 3.5-3 made the committed file) and the Python packages pinned in
requirements.txt (lifelines, scipy, numpy, pandas).

The reference numbers are R's, computed by `survival_oracle.R`; every number crosses the
Python/R boundary as a hexadecimal float, so inputs and outputs are bit-exact:

* kaplan_meier: `survfit(Surv(time, status) ~ 1, conf.type = "log" | "log-log", conf.int = level)`;
  the table is every row of the fit (time, n.risk, n.event, n.censor, surv); `std_err` is
  `summary(fit, censored = TRUE)$std.err` (the SE of S, NaN -> null at S = 0), `lower`/`upper`
  are `fit$lower`/`fit$upper` (NA -> null). The median and its CI are print.survfit's
  (`survival:::survmean(fit, rmean = "none")`); quantile.survfit's are kept as `quantile_rule`
  for information (they differ only when S stays at exactly 0.5 to the last time).
* survival_at: `summary(fit, times = query, extend = FALSE)`; a query time R drops (beyond the
  last time) is stored with `surv` null. `at_extend`: `summary(..., extend = TRUE)`, every query
  time with R's n.risk, surv, std.err (NaN -> null) and CI (NA -> null). Query times are never before a first time <= 0 (where
  R's survfit0 has a quirk that cohortcalc does not copy).
* logrank: `survdiff(Surv(time, status) ~ group)`; df = number of groups with expected > 0
  minus 1; p = pchisq(chisq, df, lower.tail = FALSE). Where R stops with an error (one group, a
  singular variance) or df < 1 (nobody at risk at an event time in two groups), the case has
  `chisq` null and `r_says` tells why.
* poisson: `poisson.test(events, person_time, conf.level = level)$conf.int`.

Cross-checks (the script aborts if one fails): lifelines' KaplanMeierFitter (survival, the
log-log "exponential Greenwood" CI, the median where no exact 0.5 is involved) and
multivariate_logrank_test (statistic and p where every group has expected > 0); the Poisson
bounds against scipy.stats.chi2.ppf(., 2k) / 2 / T; the published NCCTG lung figures (KM median
310 days, 95% CI 285-363; log-rank by sex chisq 10.3 on 1 df, p = 0.001) and aml / ovarian
(chisq 3.4 and 1.1 on 1 df).

Random cohorts come from one seeded numpy Generator.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import lifelines
import numpy as np
import pandas as pd
import scipy
from lifelines import KaplanMeierFitter
from lifelines.datasets import load_lung
from lifelines.statistics import multivariate_logrank_test
from scipy.stats import chi2

sys.path.insert(0, str(Path(__file__).resolve().parent))  # common.py, whatever the working directory
from common import dumps, write_or_check  # noqa: E402

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "data" / "expected" / "survival.json"
R_SCRIPT = HERE / "survival_oracle.R"
SEED = 20250917


# ---------------------------------------------------------------------------------------------
# Talking to R

def hx(x: float) -> str:
    return float(x).hex()


def hlist(xs) -> str:
    return ",".join(hx(x) for x in xs)


def parse_value(s: str):
    if s in ("NA", "NaN"):
        return None
    if s in ("Inf", "-Inf"):
        return math.inf if s == "Inf" else -math.inf
    return float.fromhex(s)


def run_r(jobs: list[list[str]]) -> dict[str, dict[str, object]]:
    """Runs the R script on `jobs`; returns {name: {field: list of floats/None, or text}}."""
    if shutil.which("Rscript") is None:
        raise SystemExit("Rscript not found: apt-get install r-base-core r-cran-survival")
    with tempfile.TemporaryDirectory() as tmp:
        inp, outp = Path(tmp) / "in.tsv", Path(tmp) / "out.tsv"
        inp.write_text("".join("\t".join(j) + "\n" for j in jobs))
        subprocess.run(["Rscript", "--vanilla", str(R_SCRIPT), str(inp), str(outp)], check=True)
        res: dict[str, dict[str, object]] = {}
        for line in outp.read_text().splitlines():
            name, field, vals = line.split("\t")
            if name == "versions" or field == "error":
                res.setdefault(name, {})[field] = vals
            else:
                res.setdefault(name, {})[field] = [] if vals == "" else [parse_value(v) for v in vals.split(",")]
    return res


# ---------------------------------------------------------------------------------------------
# Inputs

def rnd(x, step):
    """Rounds to a multiple of `step` (0.1 -> one decimal: the short decimal literal's double)."""
    if step == 1:
        return [float(v) for v in np.round(x)]
    digits = round(-math.log10(step))
    return [float(round(float(v), digits)) for v in x]


def cohort(rng, n, mean_event, mean_censor, step, max_follow=None):
    """Exponential event and censoring times; time = min, rounded to `step` (ties!), >= step."""
    ev = rng.exponential(mean_event, n)
    ce = rng.exponential(mean_censor, n) if mean_censor else np.full(n, np.inf)
    if max_follow is not None:
        ce = np.minimum(ce, max_follow)
    t = np.minimum(ev, ce)
    times = [max(v, step) for v in rnd(t, step)]
    events = [bool(e <= c) for e, c in zip(ev, ce)]
    return times, events


def km_cases(rng, data):
    cases = []

    def add(name, time, event, level=0.95):
        cases.append({"name": name, "level": level, "time": [float(t) for t in time],
                      "event": [bool(e) for e in event]})

    lung = data["lung"]
    add("lung", lung["time"], lung["event"])
    add("aml", data["aml"]["time"], data["aml"]["event"])
    add("ovarian", data["ovarian"]["time"], data["ovarian"]["event"])
    add("n1_event", [7.0], [True])
    add("n1_censored", [7.0], [False])
    add("n2_event_censored", [3.0, 5.5], [True, False])
    add("n2_tied_events", [4.0, 4.0], [True, True])
    add("n2_tied_event_and_censoring", [4.0, 4.0], [False, True])
    add("n5_mixed", *cohort(rng, 5, 20, 30, 0.1))
    add("n5_all_censored", *(rnd(rng.uniform(1, 40, 5), 1), [False] * 5))
    add("n5_all_events", *(rnd(rng.uniform(1, 40, 5), 0.1), [True] * 5))
    add("n20_integer_months", *cohort(rng, 20, 18, 30, 1))
    add("n20_one_decimal", *cohort(rng, 20, 18, 30, 0.1))
    add("n20_level90", *cohort(rng, 20, 18, 30, 1), level=0.90)
    t = [3.0, 12.0, 12.0, 12.0, 15.0, 24.0, 24.0, 24.0, 30.0, 6.0, 9.0, 18.0, 20.0, 26.0, 40.0]
    e = [True, True, False, True, True, True, False, False, True, False, True, False, True, True, False]
    add("n15_events_at_12_and_24", t, e)
    add("n100_integer_months", *cohort(rng, 100, 30, 60, 1))
    add("n100_heavy_censoring", *cohort(rng, 100, 60, 15, 0.1))
    add("n100_all_events", *(cohort(rng, 100, 20, None, 1)))
    add("n100_level99", *cohort(rng, 100, 30, 60, 0.5), level=0.99)
    add("n100_admin_censoring_36", *cohort(rng, 100, 25, 200, 1, max_follow=36.0))
    add("n1000_integer_months", *cohort(rng, 1000, 30, 50, 1))
    add("n1000_one_decimal", *cohort(rng, 1000, 40, 50, 0.1, max_follow=60.0))
    add("n1000_all_events_ties", *(cohort(rng, 1000, 12, None, 1)))
    add("exact_half_midpoint", [float(i) for i in range(1, 11)], [True] * 10)
    add("exact_half_then_censored_to_end", [1.0, 2.0, 3.0, 4.0], [True, True, False, False])
    add("exact_half_tied", [2.0, 2.0, 5.0, 7.0, 7.0, 9.0, 11.0, 11.0], [True] * 8)
    add("near_ties_merged", [1.0, 1.0 + 1e-12, 2.0, 2.0 + 3e-9, 3.0, 3.0 + 1e-7, 5.0, 8.0],
        [True, True, False, True, True, True, False, True])
    add("time_zero", [0.0, 0.0, 0.0, 1.5, 2.0, 4.0, 7.0, 7.0], [True, False, True, True, False, True, True, False])
    add("n50_last_censored_after_drop", *cohort(rng, 50, 10, 100, 0.5))
    # The last patient at risk has the event (S ends at 0): survival after the last time is 0.
    add("last_at_risk_dies_after_censorings", [1.0, 2.0, 3.0, 4.0, 6.0, 8.5], [True, False, True, False, False, True])
    add("last_two_at_risk_die_together", [0.5, 3.0, 7.0, 7.0, 9.0, 9.0], [False, True, False, True, True, True])
    # The last time has events and a censoring: S stays above 0.
    add("last_time_events_and_censoring", [2.0, 5.0, 11.0, 11.0, 11.0], [True, False, True, True, False])
    return cases


def queries(time):
    """12 and 24 months, plus the first and last times, the last + 1, 0 and a midpoint."""
    lo, hi = min(time), max(time)
    q = {12.0, 24.0, lo, hi, hi + 1.0, (lo + hi) / 2}
    if lo > 0:
        q.add(0.0)
    return sorted(q)


def logrank_cases(rng, data):
    cases = []

    def add(name, time, event, group):
        cases.append({"name": name, "time": [float(t) for t in time], "event": [bool(e) for e in event],
                      "group": [int(g) for g in group]})

    for d in ("lung", "aml", "ovarian"):
        add(f"{d}_by_{ {'lung': 'sex', 'aml': 'x', 'ovarian': 'rx'}[d] }", data[d]["time"], data[d]["event"],
            data[d]["group"])

    def groups_cohort(name, sizes, means, step, labels=None, mean_censor=50):
        time, event, group = [], [], []
        for g, (n, m) in enumerate(zip(sizes, means)):
            t, e = cohort(rng, n, m, mean_censor, step)
            time += t
            event += e
            group += [labels[g] if labels else g] * n
        perm = rng.permutation(len(time))
        add(name, [time[i] for i in perm], [event[i] for i in perm], [group[i] for i in perm])

    groups_cohort("g2_n5", [2, 3], [10, 20], 1)
    groups_cohort("g2_n20_ties", [10, 10], [12, 24], 1)
    groups_cohort("g2_n20_one_decimal", [8, 12], [15, 15], 0.1)
    groups_cohort("g2_n100", [50, 50], [20, 35], 1)
    groups_cohort("g2_n100_unbalanced", [85, 15], [30, 10], 0.1)
    groups_cohort("g2_n1000", [500, 500], [30, 33], 1)
    groups_cohort("g3_n20", [6, 7, 7], [10, 20, 30], 1)
    groups_cohort("g3_n100", [30, 30, 40], [20, 25, 30], 0.5)
    groups_cohort("g3_n1000", [300, 300, 400], [30, 30, 36], 1)
    groups_cohort("g4_n100", [25, 25, 25, 25], [10, 20, 30, 40], 1)
    groups_cohort("g4_n1000_labels_gapped", [250, 250, 250, 250], [24, 24, 30, 18], 0.1, labels=[0, 2, 5, 9])
    groups_cohort("g2_n1000_identical", [400, 600], [30, 30], 1)
    add("g2_n2", [3.0, 5.0], [True, True], [0, 1])
    add("g2_ties_across_groups", [1, 1, 2, 2, 2, 3, 3, 4, 4, 5], [True, True, True, False, True, True, True, False, True, True],
        [0, 1, 0, 1, 1, 0, 1, 0, 1, 1])
    add("g3_one_group_censored_before_first_event", [0.5, 0.5, 1, 2, 3, 4, 5, 6], [False, False, True, True, False, True, True, True],
        [2, 2, 0, 1, 0, 1, 0, 1])
    add("g2_all_censored", [1, 2, 3, 4], [False] * 4, [0, 1, 0, 1])
    add("g2_everyone_dies_at_once", [5, 5, 5, 5], [True] * 4, [0, 1, 0, 1])
    add("g1_only", [1, 2, 3], [True, True, False], [1, 1, 1])
    add("g2_near_ties_merged", [1.0, 1.0 + 1e-12, 2.0, 2.0 + 3e-9, 3.0, 4.0], [True, True, True, True, False, True],
        [0, 1, 1, 0, 1, 0])
    return cases


def poisson_cases():
    pairs = [(0, 1.0), (0, 12.5), (0, 0.25), (0, 1e4), (1, 1.0), (1, 7.3), (2, 3.5), (3, 100.0), (4, 0.5),
             (5, 57.25), (7, 41.0), (10, 10.0), (12, 250.8), (20, 1.0), (25, 1234.5), (50, 300.0), (100, 100.0),
             (137, 2543.7), (500, 12000.0), (1000, 3.0), (10000, 9876.5), (1, 1e-3), (2, 1e6)]
    cases = [{"name": f"k{k}_t{t}", "events": k, "person_time": t, "level": 0.95} for k, t in pairs]
    for k, t, lv in [(0, 10.0, 0.90), (3, 10.0, 0.90), (3, 10.0, 0.99), (40, 55.5, 0.99), (0, 2.0, 0.99)]:
        cases.append({"name": f"k{k}_t{t}_level{lv}", "events": k, "person_time": t, "level": lv})
    return cases


# ---------------------------------------------------------------------------------------------
# Cross-checks

def close(a, b, rel):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= rel * max(abs(a), abs(b)) or a == b


def fail(msg):
    raise SystemExit(f"cross-check failed: {msg}")


def check_km_with_lifelines(case, fit):
    if case["name"].startswith("near_ties"):
        return  # lifelines does not merge near-tied times as survfit does
    kmf = KaplanMeierFitter(alpha=1 - case["level"]).fit(case["time"], case["event"])
    sf = kmf.survival_function_.iloc[:, 0]
    ci = kmf.confidence_interval_
    ll = fit["log-log"]
    for i, t in enumerate(ll["time"]):
        if not close(float(sf.loc[t]), ll["surv"][i], 1e-12):
            fail(f"{case['name']}: lifelines S({t}) = {sf.loc[t]} vs R {ll['surv'][i]}")
        if ll["lower"][i] is not None:
            lo, up = float(ci.loc[t].iloc[0]), float(ci.loc[t].iloc[1])
            if not (close(lo, ll["lower"][i], 1e-9) and close(up, ll["upper"][i], 1e-9)):
                fail(f"{case['name']}: lifelines log-log CI at {t} = {lo}, {up} vs R {ll['lower'][i]}, {ll['upper'][i]}")
    surv = ll["surv"]
    if all(abs(s - 0.5) >= 1.5e-8 for s in surv):
        m = kmf.median_survival_time_
        r = ll["median"]
        if (r is None and not math.isinf(m)) or (r is not None and m != r):
            fail(f"{case['name']}: lifelines median {m} vs R {r}")


def check_logrank_with_lifelines(case, res):
    if res["chisq"] is None or res["df"] != len(set(case["group"])) - 1 or "near_ties" in case["name"]:
        return
    r = multivariate_logrank_test(case["time"], case["group"], case["event"])
    if not close(float(r.test_statistic), res["chisq"], 1e-9) or abs(float(r.p_value) - res["p"]) > 1e-10:
        fail(f"{case['name']}: lifelines {r.test_statistic}, {r.p_value} vs R {res['chisq']}, {res['p']}")


def check_poisson(case, res):
    k, t, lv = case["events"], case["person_time"], case["level"]
    a = (1 - lv) / 2
    lo = 0.0 if k == 0 else chi2.ppf(a, 2 * k) / 2 / t
    up = chi2.ppf(1 - a, 2 * k + 2) / 2 / t
    if not (close(lo, res["lower"], 1e-10) and close(up, res["upper"], 1e-10)):
        fail(f"{case['name']}: scipy {lo}, {up} vs R {res['lower']}, {res['upper']}")


# ---------------------------------------------------------------------------------------------

def build() -> dict:
    rng = np.random.default_rng(SEED)
    raw = run_r([["VERSIONS"], ["DATA", "lung"], ["DATA", "aml"], ["DATA", "ovarian"]])
    data = {}
    for d in ("lung", "aml", "ovarian"):
        data[d] = {"time": raw[d]["time"], "event": [s == 1.0 for s in raw[d]["status"]],
                   "group": [int(g) for g in raw[d]["group"]]}
    ll = load_lung()
    if not (list(ll["time"].astype(float)) == data["lung"]["time"]
            and [bool(s) for s in ll["status"]] == data["lung"]["event"]
            and [int(s) - 1 for s in ll["sex"]] == data["lung"]["group"]):
        fail("lifelines' lung data differ from R's")

    km = km_cases(rng, data)
    lr = logrank_cases(rng, data)
    po = poisson_cases()
    jobs = []
    for c in km:
        c["query"] = queries(c["time"])
        jobs.append(["KM", c["name"], hx(c["level"]), hlist(c["time"]), ",".join("1" if e else "0" for e in c["event"]),
                     hlist(c["query"])])
    for c in lr:
        jobs.append(["LR", c["name"], hlist(c["time"]), ",".join("1" if e else "0" for e in c["event"]),
                     hlist(c["group"])])
    for c in po:
        jobs.append(["PO", c["name"], str(c["events"]), hx(c["person_time"]), hx(c["level"])])
    names = [c["name"] for c in km] + [c["name"] for c in lr] + [c["name"] for c in po]
    if len(set(names)) != len(names):
        fail("duplicate case names")
    r = run_r(jobs)

    for c in km:
        res = r[c["name"]]
        for ct in ("log", "log-log"):
            g = lambda f: res[f"{ct}.{f}"]  # noqa: E731
            n_rows = len(g("time"))
            for f in ("n.risk", "n.event", "n.censor", "surv", "std.err", "lower", "upper"):
                if len(g(f)) != n_rows:
                    fail(f"{c['name']} {ct}: {f} has {len(g(f))} values for {n_rows} rows")
            at_t = g("at.time")
            at = []
            for q in c["query"]:
                if q in at_t:
                    j = at_t.index(q)
                    at.append({"t": q, "surv": g("at.surv")[j], "lower": g("at.lower")[j], "upper": g("at.upper")[j]})
                else:
                    if q <= max(g("time")):
                        fail(f"{c['name']}: R dropped query time {q} within the data")
                    at.append({"t": q, "surv": None, "lower": None, "upper": None})
            # extend = TRUE: one row per query time, in order.
            if g("ext.time") != c["query"]:
                fail(f"{c['name']} {ct}: extend = TRUE answered times {g('ext.time')} for {c['query']}")
            at_extend = [
                {"t": q, "n_risk": int(g("ext.n.risk")[j]), "surv": g("ext.surv")[j], "std_err": g("ext.std.err")[j],
                 "lower": g("ext.lower")[j], "upper": g("ext.upper")[j]}
                for j, q in enumerate(c["query"])
            ]
            med = g("median")
            c[ct] = {
                "time": g("time"),
                "n_risk": [int(v) for v in g("n.risk")],
                "n_event": [int(v) for v in g("n.event")],
                "n_censor": [int(v) for v in g("n.censor")],
                "surv": g("surv"),
                "std_err": g("std.err"),
                "lower": g("lower"),
                "upper": g("upper"),
                "median": med[0],
                "median_lower": med[1],
                "median_upper": med[2],
                "quantile_rule": g("quantile"),
                "at": at,
                "at_extend": at_extend,
            }
            for v in c[ct]["surv"] + [x for x in c[ct]["std_err"] + c[ct]["lower"] + c[ct]["upper"] if x is not None]:
                if not math.isfinite(v):
                    fail(f"{c['name']}: non-finite value {v}")
            # std.err is NaN (null) exactly where S = 0; the CI is NA where S = 0 (and S = 1 for log-log).
            for s, se, lo in zip(c[ct]["surv"], c[ct]["std_err"], c[ct]["lower"]):
                if (se is None) != (s == 0.0):
                    fail(f"{c['name']}: std.err NA pattern")
                undefined = s == 0.0 or (ct == "log-log" and s == 1.0)
                if (lo is None) != undefined:
                    fail(f"{c['name']} {ct}: CI NA pattern")
        if c["log"]["median"] != c["log-log"]["median"] or c["log"]["surv"] != c["log-log"]["surv"]:
            fail(f"{c['name']}: transforms disagree on S")
        check_km_with_lifelines(c, {ct: c[ct] for ct in ("log", "log-log")})

    for c in lr:
        res = r[c["name"]]
        if "error" in res:
            c.update(chisq=None, df=None, p=None, r_says=f"survdiff error: {res['error']}")
        elif res["df"][0] < 1:
            c.update(chisq=None, df=None, p=None,
                     r_says=f"survdiff: chisq {res['chisq'][0]} on {int(res['df'][0])} df (fewer than 2 groups with expected > 0)")
        else:
            c.update(chisq=res["chisq"][0], df=int(res["df"][0]), p=res["p"][0],
                     observed=res["observed"], expected=res["expected"])
            check_logrank_with_lifelines(c, c)

    for c in po:
        lo, up = r[c["name"]]["conf.int"]
        c.update(lower=lo, upper=up)
        check_poisson(c, c)

    # Published figures.
    lung = next(c for c in km if c["name"] == "lung")["log"]
    if not (lung["median"] == 310 and lung["median_lower"] == 285 and lung["median_upper"] == 363):
        fail(f"lung median {lung['median']} ({lung['median_lower']}, {lung['median_upper']}) is not 310 (285, 363)")
    pub = {"lung_by_sex": (10.3, 0.001), "aml_by_x": (3.4, 0.07), "ovarian_by_rx": (1.1, 0.3)}
    for name, (x2, p) in pub.items():
        c = next(c for c in lr if c["name"] == name)
        if round(c["chisq"], 1) != x2 or c["df"] != 1 or float(f"{c['p']:.1g}") != p:
            fail(f"{name}: chisq {c['chisq']} p {c['p']} vs published {x2}, {p}")

    versions = raw["versions"]
    return {
        "generator": "tests/oracles/survival_oracle.py + survival_oracle.R",
        "versions": {
            "R": versions["R"],
            "survival": versions["survival"],
            "python": platform.python_version(),
            "lifelines": lifelines.__version__,
            "scipy": scipy.__version__,
            "numpy": np.__version__,
            "pandas": pd.__version__,
        },
        "seed": SEED,
        "notes": [
            "km: R survfit rows; std_err = summary(fit, censored = TRUE)$std.err (SE of S), null where R has NaN (S = 0; cohortcalc reports 0 there); lower/upper null where R has NA",
            "km median/median_lower/median_upper: print.survfit (survmean); quantile_rule = quantile.survfit(probs = 0.5) [median, lower, upper], informational",
            "km at: summary(fit, times = t, extend = FALSE); surv null = not reported by R (t after the last time)",
            "km at_extend: summary(fit, times = t, extend = TRUE): after the last time R carries the last S (0 with std_err null and no CI once S is 0; cohortcalc reports only that 0, and nothing after a last time with S > 0)",
            "logrank: survdiff rho = 0, df = groups with expected > 0 minus 1; chisq null = R gives no test (r_says)",
            "poisson: poisson.test(events, person_time, conf.level = level)$conf.int",
            "published: lung KM median 310 (285, 363) days; log-rank lung by sex 10.3 on 1 df p = 0.001; aml by x 3.4 p = 0.07; ovarian by rx 1.1 p = 0.3",
        ],
        "published": {
            "lung_km_median": [310, 285, 363],
            "lung_by_sex": {"chisq_1dp": 10.3, "df": 1, "p_3dp": 0.001},
            "aml_by_x": {"chisq_1dp": 3.4, "df": 1, "p_2dp": 0.07},
            "ovarian_by_rx": {"chisq_1dp": 1.1, "df": 1, "p_1dp": 0.3},
        },
        "km": km,
        "logrank": lr,
        "poisson": po,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare with the existing file instead of writing")
    args = ap.parse_args()
    text = dumps(build())
    if not write_or_check([(OUT, text)], args.check):
        return
    doc = json.loads(text)
    print(f"wrote {OUT}: {len(doc['km'])} Kaplan-Meier cohorts, {len(doc['logrank'])} log-rank cases, "
          f"{len(doc['poisson'])} Poisson intervals", file=sys.stderr)


if __name__ == "__main__":
    main()
