#!/usr/bin/env python3
"""Times cohortcalc against pandas + scipy on the same generated 1 M-row cohort, in one run.

Generates the cohort CSV of `benches/ingest.rs` and `benches/analysis.rs` (the same bytes: the
same xorshift generator), then times
  * pandas: `read_csv` (dates parsed) and the same analysis as the demo mapping asks for —
    WHO T-score strata plus Overall and Reduced bone density; per stratum the paired t-test and
    Wilcoxon signed-rank test of VAS, the proportion improved with its Wilson interval,
    follow-up months, VCF events and person-years;
  * the release CLI: `cohortcalc analyze FILE --mapping tests/data/demo.mapping.json --format json`,
and prints both times, their ratio, each one's peak memory, and checks that a few figures agree.

Run from the repository root (builds the release CLI if needed):
    python3 tests/oracles/pandas_compare.py [--rows 1000000] [--keep FILE]
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
M = (1 << 64) - 1


def cohort_csv(n):
    """The bytes `cohort_csv(n)` of benches/ingest.rs writes."""
    state = 0x2545_F491_4F6C_DD1D

    def nxt(m):
        nonlocal state
        state ^= (state << 13) & M
        state ^= state >> 7
        state ^= (state << 17) & M
        return state % m

    out = ["Record ID,Age,Sex,DEXA T-score,Procedure date,Last follow-up,VAS baseline,VAS 6 wk,"
           "Functional improvement,VCF,VCF date\n"]
    for i in range(n):
        t = nxt(50) / 10.0 - 4.0
        base = 4 + nxt(7)
        after = max(base - nxt(6), 0)
        y, m, d = 2019 + nxt(5), 1 + nxt(12), 1 + nxt(28)
        months = 1 + nxt(40)
        end_m = (m - 1 + months) % 12 + 1
        end_y = y + (m - 1 + months) // 12
        vcf = nxt(50) == 0
        age = 45 + nxt(40)
        sex = "M" if nxt(4) == 0 else "F"
        improved = "No" if nxt(5) == 0 else "Yes"
        vcf_date = f"{end_y}-{end_m:02}-{d:02}" if vcf else ""
        out.append(f"P{i},{age},{sex},{t:.1f},{y}-{m:02}-{d:02},{end_y}-{end_m:02}-{d:02},{base},{after},"
                   f"{improved},{'Yes' if vcf else 'No'},{vcf_date}\n")
    return "".join(out).encode()


def pandas_analysis(path):
    df = pd.read_csv(path, parse_dates=["Procedure date", "Last follow-up", "VCF date"])
    t = df["DEXA T-score"]
    who = pd.Series(np.where(t >= -1.0, "Normal", np.where(t > -2.5, "Osteopenia", "Osteoporosis")), index=df.index)
    who[t.isna()] = "Unknown"
    months = (df["Last follow-up"] - df["Procedure date"]).dt.days * 12 / 365.25
    strata = {"Overall": np.ones(len(df), bool)}
    for level in ["Normal", "Osteopenia", "Osteoporosis"]:
        strata[level] = (who == level).to_numpy()
    strata["Reduced bone density"] = strata["Osteopenia"] | strata["Osteoporosis"]
    out = {}
    for name, mask in strata.items():
        s = df[mask]
        before, after = s["VAS baseline"], s["VAS 6 wk"]
        ok = before.notna() & after.notna()
        tt = stats.ttest_rel(after[ok], before[ok])
        w = stats.wilcoxon(after[ok], before[ok], correction=True, method="approx")
        improved = (s["Functional improvement"] == "Yes").sum()
        n_imp = s["Functional improvement"].notna().sum()
        lo, hi = proportion_confint(improved, n_imp, method="wilson")
        vcf = (s["VCF"] == "Yes").sum()
        out[name] = {
            "n": int(mask.sum()),
            "diff_mean": float((after[ok] - before[ok]).mean()),
            "t": float(tt.statistic),
            "p_t": float(tt.pvalue),
            "p_wilcoxon": float(w.pvalue),
            "improved_percent": 100 * improved / n_imp,
            "wilson": (100 * lo, 100 * hi),
            "followup_mean": float(months[mask].mean()),
            "vcf": int(vcf),
            "person_years": float(months[mask].sum() / 12),
        }
    return out


def run_measured(cmd):
    """Runs cmd; returns (seconds, peak RSS in bytes or None, stdout). The peak comes from GNU
    time (`/usr/bin/time -f %M`): the child's own rusage would count this Python process's
    pages it shares between fork and exec."""
    timed = os.path.exists("/usr/bin/time")
    with tempfile.NamedTemporaryFile("r", suffix=".txt") as rss:
        full = ["/usr/bin/time", "-f", "%M", "-o", rss.name] + cmd if timed else cmd
        start = time.perf_counter()
        p = subprocess.run(full, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT)
        took = time.perf_counter() - start
        if p.returncode != 0:
            sys.exit(f"failed: {' '.join(cmd)}")
        peak = int(rss.read().split()[-1]) * 1024 if timed else None
    return took, peak, p.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--keep", help="write the generated file here and keep it")
    args = ap.parse_args()

    print("building the release CLI …", flush=True)
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "cohortcalc"], cwd=ROOT, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    cli = os.path.join(ROOT, target, "release", "cohortcalc")

    data = cohort_csv(args.rows)
    path = args.keep or tempfile.mktemp(suffix=".csv")
    with open(path, "wb") as f:
        f.write(data)
    size = len(data)
    print(f"cohort: {args.rows} rows, {size / 1e6:.1f} MB at {path}")
    try:
        mapping = os.path.join(ROOT, "tests", "data", "demo.mapping.json")
        cc_times, cc_peak, cc_out = [], 0, b""
        pd_times = []
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        for _ in range(3):
            took, peak, cc_out = run_measured([cli, "analyze", path, "--mapping", mapping, "--format", "json"])
            cc_times.append(took)
            cc_peak = max(cc_peak, peak or 0)
            start = time.perf_counter()
            ours = pandas_analysis(path)
            pd_times.append(time.perf_counter() - start)
        pd_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        cc, pdt = min(cc_times), min(pd_times)
        peak = f"peak RSS {cc_peak / 1e6:.0f} MB = {cc_peak / size:.1f}x the file" if cc_peak else "peak RSS not measured"
        print(f"cohortcalc analyze (release CLI, whole run): {cc:.2f} s, {peak}")
        print(f"pandas read_csv + scipy/statsmodels analysis: {pdt:.2f} s, peak RSS of Python "
              f"{pd_peak / 1e6:.0f} MB (was {rss_before / 1e6:.0f} MB before)")
        print(f"ratio: pandas takes {pdt / cc:.1f}x the time of cohortcalc (best of 3 each)")

        report = json.loads(cc_out)["report"]
        by_name = {s["name"]: s for s in report["strata"]}
        worst = 0.0
        for name, want in ours.items():
            got = by_name[name]
            paired = got["paired"]["VAS"]
            pairs = [
                (got["n"], want["n"]),
                (paired["difference"]["mean"], want["diff_mean"]),
                (paired["t_test"]["t"], want["t"]),
                (got["binary"]["Functional improvement"]["percent"], want["improved_percent"]),
                (got["followup_months"]["mean"], want["followup_mean"]),
                (got["events"]["VCF"]["events"], want["vcf"]),
                (got["events"]["VCF"]["person_years"], want["person_years"]),
            ]
            for g, w in pairs:
                worst = max(worst, abs(g - w) / max(abs(w), 1e-12))
        print(f"agreement: largest relative difference over n, mean difference, t, percent improved, "
              f"follow-up, events, person-years in {len(ours)} strata: {worst:.1e}")
        if worst > 1e-9:
            sys.exit("cohortcalc and pandas disagree")
    finally:
        if not args.keep:
            os.unlink(path)


if __name__ == "__main__":
    main()
