#!/usr/bin/env python3
"""Independent oracle for `cohortcalc::stats::compare` (between-strata tests) and
`cohortcalc::stats::normality` (Shapiro–Wilk, skewness).

Writes `tests/data/expected/compare.json` (read by `tests/it/oracle_compare.rs`) and
`tests/data/expected/normality.json` (read by `tests/it/oracle_normality.rs`).

    python3 tests/oracles/compare_oracle.py            # (re)write both JSON files
    python3 tests/oracles/compare_oracle.py --check    # regenerate in memory, diff against the files

Needs R (>= 4.2, base `stats` only; Debian package r-base-core) on PATH as `Rscript`, and the
Python packages pinned in tests/oracles/requirements.txt.

Deterministic: every random vector comes from one seeded numpy Generator and is rounded to a few
decimals (so its shortest decimal representation has at most 15 significant digits and any JSON
parser reads back the same double). R reads the inputs bit-exactly (little-endian float64 file).

Recorded values: for Shapiro–Wilk, R's (scipy's implementation is single precision); for
everything else, the Python computation (exact rationals / 60-digit Decimal for the statistics,
scipy's distribution functions for p-values and quantiles), which must agree with R (the
functions are specified "as R's ...") to relative 1e-11 (1e-10 for t and F; scale-aware floors
near 0) and p absolute 1e-10, or the script aborts. R's float arithmetic loses ~1e-11 on the
large-offset cases, which is why the exact values are the ones recorded.

* shapiro_wilk: R `shapiro.test` (Royston 1995, AS R94, double precision). Cross-checked
  against scipy.stats.shapiro, which implements the same algorithm but agrees only to ~3e-9
  relative (W) / ~1e-7 absolute (p) (some of its constants are single precision); checked to
  1e-8 / 5e-7. The Rust implementation reproduces R to ~5e-15 (W) / ~3e-11 (p).
  Not estimable (null): n < 3, n > 5000, all values equal (R's errors).
* skewness: G1 = g1 * sqrt(n(n-1))/(n-2), g1 = m3/m2^1.5 from the exact rational central
  moments of the double data (fractions.Fraction, then 60-digit Decimal), rounded once.
  Cross-checked against scipy.stats.skew(bias=False). Null: n < 3 or all values equal.
* welch_t: R t.test(x, y, conf.level = level) (Welch). Cross-checked against exact-rational
  means/variances with scipy's t distribution and scipy.stats.ttest_ind(equal_var=False).
  Null where R stops: n < 2 in a group, or "data are essentially constant".
* mann_whitney: R wilcox.test(x, y) defaults (exact if n_x < 50, n_y < 50 and no ties, else
  normal approximation with tie and continuity correction). W = rank sum of x - n_x(n_x+1)/2.
  Cross-checked against a direct implementation (exact null distribution as Gaussian-binomial
  coefficients in Python integers) and scipy.stats.mannwhitneyu with the method forced to R's
  choice (scipy's own "auto" rule differs from R's). Null: an empty group, or every value tied
  (R's p is NaN).
* anova_oneway: R anova(lm(y ~ g)) (= aov). Cross-checked against the exact-rational F with
  scipy's F distribution, scipy.stats.f_oneway, and R oneway.test(var.equal = TRUE) wherever the
  latter runs (it refuses any group with fewer than 2 values; aov does not: such cases keep aov's
  value and carry "note"). Null: fewer than 2 groups, no residual df (N = k), or zero
  within-group variation (F infinite or undefined).
* kruskal_wallis: R kruskal.test(list(...)) (tie-corrected H, df = k - 1). Cross-checked against
  the exact-rational H with scipy's chi-square and scipy.stats.kruskal. Null: fewer than 2 groups
  or all values tied.
* fisher_exact: R fisher.test two-sided p (tables with probability <= observed * (1 + 1e-7)).
  Cross-checked against the exact rational hypergeometric sum with the same rule and
  scipy.stats.fisher_exact. R returns p = 1 for tables with a zero margin (even all zeros); so
  does the oracle.
* newcombe_difference: p1 - p2 in percent points with Newcombe (1998) method 10 (Wilson score
  intervals of each proportion, no continuity correction), in R with qnorm. Cross-checked against
  a 60-digit Decimal computation and statsmodels confint_proportions_2indep(method="newcomb").
  Null: n1 = 0 or n2 = 0.
* chi_square: rows and columns with zero totals dropped first; then R chisq.test(table)
  (Pearson; Yates correction exactly when the reduced table is 2 x 2, with R's
  min(0.5, |O - E|); like R's method string, the test is named "... with Yates correction" only
  when that correction is non-zero, i.e. not for a 2 x 2 table with O = E). Cross-checked against exact rationals with scipy's chi-square and
  scipy.stats.chi2_contingency(correction=True). Null: total 0 or fewer than 2 rows or columns
  left (R would switch to a goodness-of-fit test there).
"""

from __future__ import annotations

import argparse
import math
import shutil
import struct
import subprocess
import sys
import tempfile
import warnings
from decimal import Decimal, getcontext
from fractions import Fraction
from pathlib import Path

import numpy as np
import scipy
import statsmodels
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep

sys.path.insert(0, str(Path(__file__).resolve().parent))  # common.py, whatever the working directory
from common import dumps, write_or_check  # noqa: E402

getcontext().prec = 60
# scipy warns about its own float cancellation on the large-offset cases; the tolerances below
# account for it, and the recorded values do not come from scipy.
warnings.filterwarnings("ignore", category=RuntimeWarning, module="scipy")

SEED = 20250611
HERE = Path(__file__).resolve().parent
R_SCRIPT = HERE / "compare_oracle.R"
OUT_COMPARE = HERE.parent / "data" / "expected" / "compare.json"
OUT_NORMALITY = HERE.parent / "data" / "expected" / "normality.json"
EXACT = "exact"
NORMAL = "normal approximation with continuity correction"

# Python-vs-R agreement demanded before anything is written (much tighter than the Rust test's
# 1e-9 relative / 1e-7 absolute).
XREL = 1e-11
XP = 1e-10


def require(cond: bool, what: str) -> None:
    if not cond:
        raise SystemExit(f"cross-check failed: {what}")


def close(a: float, b: float, rel: float, abs_: float = 0.0) -> bool:
    return abs(a - b) <= max(rel * max(abs(a), abs(b)), abs_)


def dec(q: Fraction) -> Decimal:
    return Decimal(q.numerator) / Decimal(q.denominator)


def upper_prob(level: float) -> float:
    """1 - (1 - level)/2 from the decimal level as written (0.95 -> 0.975)."""
    return float(1 - (1 - Decimal(repr(level))) / 2)


def check_readable(v: float) -> None:
    """Every input must be read back bit-exactly by any JSON parser: at most 15 significant
    digits (integer significand below 2^53) and a decimal exponent within +-22."""
    s = repr(v)
    mant, _, exp = s.partition("e")
    digits = mant.replace("-", "").replace(".", "").lstrip("0")
    require(len(digits) <= 15, f"input {s} has too many digits")
    frac = len(mant.partition(".")[2]) - (int(exp) if exp else 0)
    require(-22 <= frac <= 22, f"input {s} has too large an exponent")


# ------------------------------------------------------------------------------------------------
# data


class Data:
    """Seeded generator of rounded vectors."""

    def __init__(self, seed: int):
        self.rng = np.random.default_rng(seed)

    @staticmethod
    def _r(a, d: int) -> list[float]:
        out = [float(v) for v in np.round(np.asarray(a, dtype=float), d)]
        for v in out:
            check_readable(v)
        return out

    def normal(self, n, mu=0.0, sd=1.0, d=4):
        return self._r(self.rng.normal(mu, sd, n), d)

    def lognormal(self, n, sigma=1.0, d=4):
        return self._r(self.rng.lognormal(0.0, sigma, n), d)

    def uniform(self, n, lo=0.0, hi=1.0, d=4):
        return self._r(self.rng.uniform(lo, hi, n), d)

    def exponential(self, n, scale=1.0, d=4):
        return self._r(self.rng.exponential(scale, n), d)

    def t3(self, n, d=4):
        return self._r(self.rng.standard_t(3, n), d)

    def ints(self, n, lo, hi):
        return [float(v) for v in self.rng.integers(lo, hi + 1, n)]

    def bimodal(self, n, d=4):
        z = self.rng.normal(0.0, 1.0, n) + np.where(self.rng.random(n) < 0.5, -2.5, 2.5)
        return self._r(z, d)

    def distinct(self, n, mu=0.0, sd=1.0):
        """Normal values with no ties (6 decimals, re-drawn until distinct)."""
        while True:
            x = self.normal(n, mu, sd, 6)
            if len(set(x)) == n:
                return x


# ------------------------------------------------------------------------------------------------
# R


class R:
    """Batches cases for one Rscript run."""

    def __init__(self):
        self.values: list[float] = []
        self.lines: list[str] = []
        self.result: dict[str, tuple[str, dict | str]] = {}

    def vec(self, x: list[float]) -> list[int]:
        off = len(self.values)
        self.values.extend(x)
        return [off, len(x)]

    def add(self, kind: str, cid: str, args: list) -> str:
        self.lines.append("\t".join([kind, cid] + [repr(a) if isinstance(a, float) else str(a) for a in args]))
        return cid

    def run(self) -> None:
        if shutil.which("Rscript") is None:
            raise SystemExit("Rscript not found (install R, e.g. apt-get install r-base-core)")
        with tempfile.TemporaryDirectory() as tmp:
            t = Path(tmp)
            (t / "values.bin").write_bytes(struct.pack(f"<{len(self.values)}d", *self.values))
            (t / "cases.tsv").write_text("\n".join(self.lines) + "\n")
            subprocess.run(
                ["Rscript", "--vanilla", str(R_SCRIPT), str(t / "values.bin"), str(t / "cases.tsv"), str(t / "out.tsv")],
                check=True,
            )
            for line in (t / "out.tsv").read_text().splitlines():
                cid, status, *rest = line.split("\t")
                if status == "ok":
                    kv = {}
                    for item in rest:
                        k, _, v = item.partition("=")
                        kv[k] = float(v)
                    self.result[cid] = ("ok", kv)
                else:
                    self.result[cid] = ("error", " ".join(rest))

    def get(self, cid: str):
        return self.result[cid]

    def version(self) -> str:
        out = subprocess.run(["Rscript", "--vanilla", "-e", "cat(R.version.string)"], check=True,
                             capture_output=True, text=True)
        return out.stdout.strip()


def finite(kv: dict, *keys) -> bool:
    return all(math.isfinite(kv[k]) for k in keys)


# ------------------------------------------------------------------------------------------------
# normality


def skewness_exact(x: list[float]):
    n = len(x)
    if n < 3:
        return None
    xs = [Fraction(v) for v in x]
    m = sum(xs, Fraction(0)) / n
    m2 = sum(((v - m) ** 2 for v in xs), Fraction(0)) / n
    m3 = sum(((v - m) ** 3 for v in xs), Fraction(0)) / n
    if m2 == 0:
        return None
    g1 = dec(m3) / (dec(m2) * dec(m2).sqrt())
    g = float(g1 * (Decimal(n * (n - 1))).sqrt() / Decimal(n - 2))
    sp = float(stats.skew(np.asarray(x), bias=False))
    # scipy's float moments lose ~|x|/sd digits to cancellation (the large-offset case)
    cond = max(abs(v) for v in x) / float(dec(m2).sqrt())
    require(close(g, sp, 1e-9, 1e-13 * cond), f"skewness {x[:4]}: {g} vs scipy {sp}")
    return g


def normality_cases(data: Data, r: R):
    specs: list[tuple[str, list[float]]] = []
    for n in (3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 20, 30, 49, 50, 100, 500, 1000, 5000):
        specs.append((f"normal n={n}", data.normal(n, 50.0, 10.0, 3)))
    for n in (3, 5, 11, 12, 25, 50, 200, 2000, 5000):
        specs.append((f"lognormal n={n}", data.lognormal(n, 0.8, 4)))
    for n in (4, 11, 12, 40, 300, 4999):
        specs.append((f"uniform n={n}", data.uniform(n, 0.0, 10.0, 4)))
    for n in (8, 60):
        specs.append((f"exponential n={n}", data.exponential(n, 12.0, 3)))
    for n in (15, 150):
        specs.append((f"t3 n={n}", data.t3(n, 4)))
    for n in (6, 11, 12, 30, 80, 400):
        specs.append((f"VAS integers with ties n={n}", data.ints(n, 0, 10)))
    for n in (40, 1000):
        specs.append((f"bimodal n={n}", data.bimodal(n, 4)))
    specs += [
        ("n=3 equally spaced (W = 1)", [1.0, 2.0, 3.0]),
        ("n=3 two equal (W = 0.75, p = 0)", [1.0, 1.0, 2.0]),
        ("n=3 two equal high", [5.0, 7.5, 7.5]),
        ("n=3 skewed", [1.0, 2.0, 10.0]),
        ("n=4 two pairs", [0.0, 0.0, 1.0, 1.0]),
        ("n=20 two values", [0.0] * 13 + [1.0] * 7),
        ("n=10 one outlier", [5.0, 5.1, 4.9, 5.2, 4.8, 5.0, 5.1, 4.9, 5.0, 25.0]),
        ("tiny scale n=30", [float(f"{v!r}e-12") for v in data.normal(30, 0.0, 1.0, 4)]),
        ("large offset n=25", data.normal(25, 1.0e6, 1.0, 4)),
        ("negative n=17", data.normal(17, -300.0, 40.0, 2)),
        ("n=0", []),
        ("n=1", [3.0]),
        ("n=2", [1.0, 2.0]),
        ("constant n=10", [7.5] * 10),
        ("n=5001", data.normal(5001, 0.0, 1.0, 4)),
    ]
    for _, x in specs:
        for v in x:
            check_readable(v)

    cases = []
    for i, (name, x) in enumerate(specs):
        cid = f"sw{i}"
        n = len(x)
        if 3 <= n <= 5000:
            r.add("shapiro", cid, r.vec(x))
        cases.append((cid, name, x))
    return cases


def normality_finish(cases, r: R) -> list[dict]:
    out = []
    for cid, name, x in cases:
        n = len(x)
        sw = None
        reason = None
        if n < 3 or n > 5000:
            reason = f"n = {n} outside 3..5000"
        else:
            status, kv = r.get(cid)
            if status == "ok":
                sw = {"w": kv["w"], "p": kv["p"]}
                sp = stats.shapiro(np.asarray(x))
                require(close(sw["w"], float(sp.statistic), 1e-8), f"{name}: W {sw['w']} vs scipy {sp.statistic}")
                require(abs(sw["p"] - float(sp.pvalue)) <= 5e-7, f"{name}: p {sw['p']} vs scipy {sp.pvalue}")
            else:
                reason = f"R: {kv}"
                require(max(x) == min(x), f"{name}: R refused ({kv}) but the values differ")
        out.append({
            "name": name,
            "n": n,
            "x": x,
            "shapiro_wilk": sw,
            **({"reason": reason} if reason else {}),
            "skewness": skewness_exact(x),
        })
    return out


# ------------------------------------------------------------------------------------------------
# two-sample tests


def welch_python(x, y, level):
    nx, ny = len(x), len(y)
    fx = [Fraction(v) for v in x]
    fy = [Fraction(v) for v in y]
    mx, my = sum(fx, Fraction(0)) / nx, sum(fy, Fraction(0)) / ny
    vx = sum(((v - mx) ** 2 for v in fx), Fraction(0)) / (nx - 1)
    vy = sum(((v - my) ** 2 for v in fy), Fraction(0)) / (ny - 1)
    se2 = vx / nx + vy / ny
    if se2 == 0:
        return None
    se = dec(se2).sqrt()
    diff = mx - my
    t = float(dec(diff) / se)
    df = float(se2 ** 2 / ((vx / nx) ** 2 / (nx - 1) + (vy / ny) ** 2 / (ny - 1)))
    p = float(min(1.0, 2 * stats.t.sf(abs(t), df)))
    q = Decimal(float(stats.t.ppf(upper_prob(level), df)))
    lower, upper = float(dec(diff) - q * se), float(dec(diff) + q * se)
    sp = stats.ttest_ind(np.asarray(x), np.asarray(y), equal_var=False)
    # scipy works in floats (cancellation at large offsets): a looser check than Python-vs-R
    require(close(t, float(sp.statistic), 1e-9, 1e-12), f"welch t vs scipy {t} {sp.statistic}")
    require(abs(p - float(sp.pvalue)) <= 1e-9, f"welch p vs scipy {p} {sp.pvalue}")
    return {"difference": float(diff), "ci95": {"lower": lower, "upper": upper}, "t": t, "df": df, "p": p}


def gaussian_binomial(m: int, n: int) -> list[int]:
    """Coefficients of [m+n choose m]_q: counts of the Mann–Whitney U = 0..mn."""
    poly = [1]
    for i in range(1, m + 1):
        # multiply by (1 - q^(n+i)), then divide by (1 - q^i)
        new = poly + [0] * (n + i)
        for j in range(len(poly)):
            new[j + n + i] -= poly[j]
        for j in range(i, len(new)):
            new[j] += new[j - i]
        while len(new) > 1 and new[-1] == 0:
            new.pop()
        poly = new
    require(len(poly) == m * n + 1, "gaussian binomial degree")
    return poly


def ranks_and_ties(v: list[float]):
    order = sorted(range(len(v)), key=lambda i: v[i])
    ranks = [Fraction(0)] * len(v)
    ties = []
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and v[order[j + 1]] == v[order[i]]:
            j += 1
        r = Fraction(i + 1 + j + 1, 2)
        for k in order[i:j + 1]:
            ranks[k] = r
        if j > i:
            ties.append(j - i + 1)
        i = j + 1
    return ranks, ties


def mann_whitney_python(x, y):
    m, n = len(x), len(y)
    if m == 0 or n == 0:
        return None
    ranks, ties = ranks_and_ties(x + y)
    w = sum(ranks[:m], Fraction(0)) - Fraction(m * (m + 1), 2)
    if m < 50 and n < 50 and not ties:
        counts = gaussian_binomial(m, n)
        total = sum(counts)
        wi = int(w)
        if w > Fraction(m * n, 2):
            p = Fraction(sum(counts[wi:]), total)
        else:
            p = Fraction(sum(counts[:wi + 1]), total)
        p = float(min(2 * p, Fraction(1)))
        method = EXACT
        sp = stats.mannwhitneyu(x, y, alternative="two-sided", method="exact")
    else:
        nn = m + n
        tie_sum = sum(t ** 3 - t for t in ties)
        var = Fraction(m * n, 12) * ((nn + 1) - Fraction(tie_sum, nn * (nn - 1)))
        if var == 0:
            return None
        z0 = w - Fraction(m * n, 2)
        corr = Fraction(1, 2) * ((z0 > 0) - (z0 < 0))
        z = float(dec(z0 - corr) / dec(var).sqrt())
        p = float(min(1.0, 2 * min(stats.norm.cdf(z), stats.norm.sf(z))))
        method = NORMAL
        sp = stats.mannwhitneyu(x, y, alternative="two-sided", method="asymptotic", use_continuity=True)
    require(float(sp.statistic) == float(w), f"MW U vs scipy {w} {sp.statistic}")
    require(abs(p - float(sp.pvalue)) <= 1e-12, f"MW p vs scipy {p} {sp.pvalue} ({method})")
    return {"w": float(w), "p": p, "method": method}


def two_sample_specs(data: Data):
    d = data
    specs = []
    for nx, ny in ((1, 5), (5, 1), (1, 1), (0, 4), (2, 2), (2, 5), (3, 3), (3, 10), (10, 10), (10, 49),
                   (49, 49), (49, 50), (50, 49), (50, 50), (50, 80), (80, 80), (80, 3)):
        specs.append((f"normal {nx} vs {ny}", d.distinct(nx, 5.0, 2.0) if nx else [],
                      d.distinct(ny, 4.0, 3.0), 0.95))
    for nx, ny in ((3, 3), (10, 10), (49, 49), (50, 50), (80, 49), (2, 3)):
        specs.append((f"VAS ties {nx} vs {ny}", d.ints(nx, 0, 10), d.ints(ny, 1, 10), 0.95))
    same = d.distinct(10, 3.0, 1.0)
    specs.append(("identical groups n=10", same, list(same), 0.95))
    same = d.ints(50, 0, 10)
    specs.append(("identical groups with ties n=50", same, list(same), 0.95))
    specs += [
        ("x constant, y varies", [4.0, 4.0, 4.0], d.distinct(10, 5.0, 1.0), 0.95),
        ("y constant, x varies", d.distinct(10, 5.0, 1.0), [6.5] * 6, 0.95),
        ("both constant, equal", [2.0] * 5, [2.0] * 5, 0.95),
        ("both constant, different", [2.0] * 5, [3.0] * 4, 0.95),
        ("complete separation 10 vs 10", d.distinct(10, 0.0, 1.0), d.distinct(10, 100.0, 1.0), 0.95),
        ("complete separation 30 vs 30", d.distinct(30, 100.0, 1.0), d.distinct(30, 0.0, 1.0), 0.95),
        ("complete separation 80 vs 80", d.distinct(80, 0.0, 1.0), d.distinct(80, 100.0, 1.0), 0.95),
        ("skewed 12 vs 40", d.lognormal(12, 1.0, 4), d.lognormal(40, 0.5, 4), 0.95),
        ("large offset 20 vs 25", d.normal(20, 1.0e5, 1.0, 4), d.normal(25, 1.0e5 + 0.5, 1.5, 4), 0.95),
        ("level 0.90, 15 vs 12", d.distinct(15, 1.0, 1.0), d.distinct(12, 0.0, 2.0), 0.90),
        ("level 0.99, 30 vs 8", d.distinct(30, -2.0, 1.0), d.distinct(8, -1.0, 0.5), 0.99),
        ("level 0.80, 4 vs 4", [1.0, 2.5, 3.0, 4.5], [2.0, 2.0, 5.0, 7.0], 0.80),
        ("n=2 vs n=2 exact", [1.0, 3.0], [2.0, 5.0], 0.95),
        ("one value tied across groups", [1.0, 2.0, 3.0, 4.0], [4.0, 5.0, 6.0], 0.95),
    ]
    return specs


# ------------------------------------------------------------------------------------------------
# k-sample tests


def anova_python(groups):
    k = len(groups)
    nn = sum(len(g) for g in groups)
    if k < 2 or nn - k < 1 or any(len(g) == 0 for g in groups):
        return None
    fg = [[Fraction(v) for v in g] for g in groups]
    means = [sum(g, Fraction(0)) / len(g) for g in fg]
    grand = sum((sum(g, Fraction(0)) for g in fg), Fraction(0)) / nn
    ssb = sum((len(g) * (m - grand) ** 2 for g, m in zip(fg, means)), Fraction(0))
    ssw = sum((sum(((v - m) ** 2 for v in g), Fraction(0)) for g, m in zip(fg, means)), Fraction(0))
    if ssw == 0:
        return None
    f = (ssb / (k - 1)) / (ssw / (nn - k))
    fv = float(f)
    p = float(stats.f.sf(fv, k - 1, nn - k))
    sp = stats.f_oneway(*[np.asarray(g) for g in groups])
    require(close(fv, float(sp.statistic), 1e-8, 1e-12), f"anova F vs scipy {fv} {sp.statistic}")
    if ssb == 0:
        require(p == 1.0, "anova: F = 0 must give p = 1")  # scipy's float F can come out NaN here
    else:
        require(abs(p - float(sp.pvalue)) <= 1e-10, f"anova p vs scipy {p} {sp.pvalue}")
    return {"test": "one-way ANOVA", "statistic": fv, "df": float(k - 1), "df2": float(nn - k), "p": p}


def kruskal_python(groups):
    k = len(groups)
    if k < 2 or any(len(g) == 0 for g in groups):
        return None
    allv = [v for g in groups for v in g]
    nn = len(allv)
    ranks, ties = ranks_and_ties(allv)
    h = Fraction(0)
    pos = 0
    for g in groups:
        rs = sum(ranks[pos:pos + len(g)], Fraction(0))
        h += rs * rs / len(g)
        pos += len(g)
    h = Fraction(12, nn * (nn + 1)) * h - 3 * (nn + 1)
    corr = 1 - Fraction(sum(t ** 3 - t for t in ties), nn ** 3 - nn)
    if corr == 0:
        return None
    h /= corr
    hv = float(h)
    p = float(stats.chi2.sf(hv, k - 1))
    sp = stats.kruskal(*groups)
    require(close(hv, float(sp.statistic), 1e-9, 1e-12), f"KW H vs scipy {hv} {sp.statistic}")
    if h == 0:
        # scipy's float H is ~1e-14 here, and for df = 1 the p-value moves like sqrt(H)
        require(p == 1.0, "KW: H = 0 must give p = 1")
    else:
        require(abs(p - float(sp.pvalue)) <= 1e-12, f"KW p vs scipy {p} {sp.pvalue}")
    return {"test": "Kruskal–Wallis", "statistic": hv, "df": float(k - 1), "p": p}


def k_sample_specs(data: Data):
    d = data
    specs = []
    for sizes in ((3, 3), (10, 10), (49, 50), (80, 80), (3, 10, 49), (50, 50, 50), (80, 10, 3, 49),
                  (5, 5, 5, 5, 5), (3, 3, 3), (2, 2), (2, 3, 4), (20, 30, 40, 50, 60)):
        mus = [0.0, 0.6, -0.4, 1.0, 0.2]
        specs.append((f"normal sizes {sizes}", [d.normal(n, 10.0 + mus[i], 2.0, 3) for i, n in enumerate(sizes)]))
    for sizes in ((3, 3), (10, 10, 10), (49, 50, 20), (80, 80, 80, 80), (5, 5, 5, 5, 5)):
        specs.append((f"VAS ties sizes {sizes}", [d.ints(n, 0, 10) for n in sizes]))
    for sizes in ((12, 15, 9), (40, 40)):
        specs.append((f"skewed sizes {sizes}", [d.lognormal(n, 1.0, 4) for n in sizes]))
    g = d.normal(12, 3.0, 1.0, 3)
    specs.append(("identical groups x3", [g, list(g), list(g)]))
    g = d.ints(20, 0, 5)
    specs.append(("identical groups with ties x2", [g, list(g)]))
    specs += [
        ("one group (k = 1)", [d.normal(10, 0.0, 1.0, 3)]),
        ("a group of size 1", [[4.2], d.normal(8, 5.0, 1.0, 3), d.normal(6, 5.5, 1.0, 3)]),
        ("two groups of size 1 and 2", [[1.0], [2.0, 3.5]]),
        ("all groups of size 1", [[1.0], [2.0], [4.0]]),
        ("all values equal", [[3.0, 3.0], [3.0, 3.0, 3.0], [3.0]]),
        ("constant within, different between", [[1.0, 1.0, 1.0], [2.0, 2.0], [4.0, 4.0, 4.0]]),
        ("complete separation x3", [d.normal(10, 0.0, 1.0, 3), d.normal(10, 50.0, 1.0, 3), d.normal(10, 100.0, 1.0, 3)]),
        ("large offset x3", [d.normal(n, 1.0e5 + s, 1.0, 4) for n, s in ((10, 0.0), (12, 0.3), (9, 1.0))]),
        ("binary outcome x4", [d.ints(n, 0, 1) for n in (15, 20, 25, 30)]),
    ]
    return specs


# ------------------------------------------------------------------------------------------------
# tables


def fisher_python(a, b, c, d):
    n = a + b + c + d
    r1, c1 = a + b, a + c
    lo, hi = max(0, r1 - (n - c1)), min(r1, c1)
    denom = math.comb(n, r1)
    probs = {x: Fraction(math.comb(c1, x) * math.comb(n - c1, r1 - x), denom) for x in range(lo, hi + 1)}
    obs = probs[a]
    p = float(min(Fraction(1), sum((q for q in probs.values() if q <= obs * (1 + Fraction(1, 10 ** 7))), Fraction(0))))
    if n > 0:
        sp = stats.fisher_exact([[a, b], [c, d]], alternative="two-sided")
        require(abs(p - float(sp.pvalue)) <= 1e-12, f"fisher {a,b,c,d}: {p} vs scipy {sp.pvalue}")
    return p


def newcombe_python(k1, n1, k2, n2, level):
    if n1 == 0 or n2 == 0:
        return None
    z = Decimal(float(stats.norm.ppf(upper_prob(level))))

    def wilson(k, n):
        p = Fraction(k, n)
        z2 = z * z
        denom = 1 + z2 / n
        centre = (dec(p) + z2 / (2 * n)) / denom
        half = z / denom * (dec(p * (1 - p)) / n + z2 / (4 * n * n)).sqrt()
        return centre - half, centre + half

    p1, p2 = dec(Fraction(k1, n1)), dec(Fraction(k2, n2))
    l1, u1 = wilson(k1, n1)
    l2, u2 = wilson(k2, n2)
    diff = p1 - p2
    lower = diff - ((p1 - l1) ** 2 + (u2 - p2) ** 2).sqrt()
    upper = diff + ((u1 - p1) ** 2 + (p2 - l2) ** 2).sqrt()
    out = {"difference": float(100 * diff), "ci95": {"lower": float(100 * lower), "upper": float(100 * upper)}}
    lo_sm, up_sm = confint_proportions_2indep(k1, n1, k2, n2, method="newcomb", compare="diff", alpha=1 - level)
    require(close(out["ci95"]["lower"], 100 * float(lo_sm), 1e-9, 1e-11), f"newcombe lower vs statsmodels {out} {lo_sm}")
    require(close(out["ci95"]["upper"], 100 * float(up_sm), 1e-9, 1e-11), f"newcombe upper vs statsmodels {out} {up_sm}")
    return out


def reduce_table(t: list[list[int]]) -> list[list[int]]:
    rows = [r for r in t if sum(r) > 0]
    if not rows:
        return []
    cols = [j for j in range(len(rows[0])) if sum(r[j] for r in rows) > 0]
    return [[r[j] for j in cols] for r in rows]


def chisq_python(t):
    red = reduce_table(t)
    if len(red) < 2 or len(red[0]) < 2:
        return None, red
    nr, nc = len(red), len(red[0])
    n = sum(map(sum, red))
    rs = [sum(r) for r in red]
    cs = [sum(red[i][j] for i in range(nr)) for j in range(nc)]
    e = [[Fraction(rs[i] * cs[j], n) for j in range(nc)] for i in range(nr)]
    dev = [[abs(red[i][j] - e[i][j]) for j in range(nc)] for i in range(nr)]
    yates = nr == 2 and nc == 2
    cc = min(Fraction(1, 2), min(min(r) for r in dev)) if yates else Fraction(0)
    stat = sum(((dev[i][j] - cc) ** 2 / e[i][j] for i in range(nr) for j in range(nc)), Fraction(0))
    df = (nr - 1) * (nc - 1)
    sv = float(stat)
    p = float(stats.chi2.sf(sv, df))
    sp = stats.chi2_contingency(np.asarray(red), correction=True)
    require(close(sv, float(sp.statistic), 1e-9, 1e-12), f"chisq {red}: {sv} vs scipy {sp.statistic}")
    require(abs(p - float(sp.pvalue)) <= 1e-12 and int(sp.dof) == df, f"chisq {red}: p {p} vs scipy {sp.pvalue}")
    # R names the correction only when it is non-zero (min |O - E| > 0), as here
    name = "Pearson chi-square with Yates correction" if cc > 0 else "Pearson chi-square"
    return {"test": name, "statistic": sv, "df": float(df), "p": p}, red


def fisher_specs(data: Data):
    fixed = [
        (0, 0, 0, 0), (0, 5, 0, 5), (0, 0, 3, 5), (5, 0, 0, 5), (0, 10, 10, 0), (1, 0, 0, 1), (0, 1, 1, 0),
        (3, 1, 1, 3), (1, 9, 11, 3), (10, 10, 10, 10), (20, 80, 35, 65), (2, 47, 9, 40), (0, 12, 4, 8),
        (7, 0, 3, 4), (1, 1, 1, 1), (5, 5, 5, 6), (0, 49, 1, 48), (12, 5, 29, 2), (3, 0, 0, 0),
        (0, 7, 0, 0), (100, 50, 60, 90), (45, 5, 40, 10), (1, 99, 0, 100), (0, 30, 6, 24), (9, 1, 3, 7),
        (6, 2, 2, 6), (4, 4, 4, 4), (2, 7, 8, 2), (33, 17, 25, 25), (0, 3, 3, 0),
        # Large tables, where most of the support underflows (the Rust code sums only the run of
        # terms that count), and one whose observed table is that far in a tail (p = 0 in doubles).
        (5000, 5000, 5200, 4800), (20, 19980, 45, 19955), (0, 3000, 2999, 1), (2000, 0, 0, 2000),
    ]
    rng = data.rng
    for _ in range(25):
        n1, n2 = int(rng.integers(1, 120)), int(rng.integers(1, 120))
        k1 = int(rng.binomial(n1, rng.uniform(0.05, 0.95)))
        k2 = int(rng.binomial(n2, rng.uniform(0.05, 0.95)))
        fixed.append((k1, n1 - k1, k2, n2 - k2))
    return fixed


def newcombe_specs(data: Data):
    fixed = [
        (0, 10, 0, 10, 0.95), (10, 10, 0, 10, 0.95), (0, 10, 10, 10, 0.95), (5, 10, 5, 10, 0.95),
        (0, 0, 3, 10, 0.95), (3, 10, 0, 0, 0.95), (0, 0, 0, 0, 0.95), (1, 1, 0, 1, 0.95), (56, 70, 48, 80, 0.95),
        (9, 10, 3, 10, 0.95), (0, 20, 1, 20, 0.95), (1, 3, 2, 3, 0.95), (49, 50, 50, 50, 0.95),
        (5, 56, 0, 29, 0.95), (9, 10, 3, 10, 0.90), (56, 70, 48, 80, 0.99), (1, 1, 1, 1, 0.95),
        (0, 1, 1, 1, 0.95), (30, 80, 12, 49, 0.95), (2, 3, 0, 50, 0.95),
    ]
    rng = data.rng
    for _ in range(20):
        n1, n2 = int(rng.integers(1, 150)), int(rng.integers(1, 150))
        fixed.append((int(rng.binomial(n1, rng.uniform(0.0, 1.0))), n1,
                      int(rng.binomial(n2, rng.uniform(0.0, 1.0))), n2, 0.95))
    return fixed


def chisq_specs(data: Data):
    t = [
        [[3, 1], [1, 3]], [[10, 10], [10, 10]], [[5, 6], [5, 5]], [[20, 80], [35, 65]], [[2, 47], [9, 40]],
        [[0, 12], [4, 8]], [[12, 5], [29, 2]], [[100, 50], [60, 90]], [[0, 10], [10, 0]], [[1, 0], [0, 1]],
        [[45, 5], [40, 10]], [[1, 99], [0, 100]],
        [[0, 5], [0, 5]], [[0, 0], [3, 5]], [[0, 0], [0, 0]], [[7, 0], [0, 0]],
        [[3, 4], [0, 0], [5, 1]], [[3, 0, 4], [5, 0, 1]], [[0, 0, 0], [2, 3, 4], [0, 0, 0]],
        [[10, 5], [8, 9], [2, 12]], [[1, 4], [3, 3], [6, 0], [2, 2]], [[15, 10], [12, 13], [9, 16], [20, 5], [11, 14]],
        [[30, 20], [25, 25], [20, 30]], [[0, 8], [3, 5], [6, 2]], [[10, 20, 30], [30, 20, 10]],
        [[5, 3, 2], [2, 5, 3], [3, 2, 5]], [[12, 7, 9, 4], [6, 11, 5, 10], [8, 8, 8, 8]],
        [[50, 50], [50, 50], [50, 50]],
    ]
    rng = data.rng
    for r in (2, 2, 2, 3, 3, 4, 4, 5, 5, 2, 3, 4):
        probs = rng.uniform(0.1, 0.9, r)
        sizes = rng.integers(3, 90, r)
        t.append([[int(k), int(n - k)] for k, n in ((rng.binomial(n, p), n) for n, p in zip(sizes, probs))])
    return t


# ------------------------------------------------------------------------------------------------
# assembling


def agree_estimate(name, field, r_value, py_value, rel=XREL, floor=1e-13):
    require(close(r_value, py_value, rel, floor), f"{name}: {field}: R {r_value!r} vs Python {py_value!r}")


def agree_p(name, field, r_value, py_value):
    require(abs(r_value - py_value) <= XP, f"{name}: {field}: R {r_value!r} vs Python {py_value!r}")


def build():
    data = Data(SEED)
    r = R()

    sw_cases = normality_cases(data, r)

    ts = two_sample_specs(data)
    for i, (name, x, y, level) in enumerate(ts):
        r.add("welch", f"welch{i}", r.vec(x) + r.vec(y) + [level])
        r.add("mannwhitney", f"mw{i}", r.vec(x) + r.vec(y))

    ks = k_sample_specs(data)
    for i, (name, groups) in enumerate(ks):
        args = [len(groups)]
        for g in groups:
            args += r.vec(g)
        r.add("anova", f"anova{i}", args)
        r.add("kruskal", f"kw{i}", args)

    fs = fisher_specs(data)
    for i, tab in enumerate(fs):
        r.add("fisher", f"fisher{i}", list(tab))

    ns = newcombe_specs(data)
    for i, (k1, n1, k2, n2, level) in enumerate(ns):
        if n1 > 0 and n2 > 0:
            r.add("newcombe", f"newc{i}", [k1, n1, k2, n2, level])

    cs = chisq_specs(data)
    reduced = []
    for i, tab in enumerate(cs):
        red = reduce_table(tab)
        reduced.append(red)
        if len(red) >= 2 and len(red[0]) >= 2:
            r.add("chisq", f"chisq{i}", [len(red), len(red[0])] + [v for row in red for v in row])

    r.run()

    normality = normality_finish(sw_cases, r)

    welch, mw = [], []
    for i, (name, x, y, level) in enumerate(ts):
        status, kv = r.get(f"welch{i}")
        exp = None
        note = None
        if len(x) >= 2 and len(y) >= 2:
            py = welch_python(x, y, level)
        else:
            py = None
        if status == "ok" and finite(kv, "t", "df", "p", "lower", "upper"):
            require(py is not None, f"welch {name}: R estimable, Python not")
            exp = py
            # R's float means lose digits at large offsets: scale-aware floors
            scale = max(abs(v) for v in x + y)
            agree_estimate(name, "difference", kv["difference"], py["difference"], floor=1e-14 * scale)
            for f in ("lower", "upper"):
                agree_estimate(name, f, kv[f], py["ci95"][f], floor=1e-14 * scale)
            agree_estimate(name, "t", kv["t"], py["t"], rel=1e-10)
            agree_estimate(name, "df", kv["df"], py["df"], rel=1e-10)
            agree_p(name, "p", kv["p"], py["p"])
        else:
            note = f"R: {kv}" if status == "error" else f"R: non-finite {kv}"
            require(py is None, f"welch {name}: R not estimable ({note}) but Python gives {py}")
        welch.append({"name": name, "x": x, "y": y, "level": level, "expected": exp,
                      **({"reason": note} if note else {})})

        status, kv = r.get(f"mw{i}")
        py = mann_whitney_python(x, y)
        exp = None
        note = None
        if status == "ok" and finite(kv, "w", "p"):
            require(py is not None, f"MW {name}: R estimable, Python not")
            exp = py
            r_method = EXACT if kv["exact"] == 1.0 else NORMAL
            require(kv["w"] == py["w"] and r_method == py["method"], f"MW {name}: R {kv} vs {py}")
            agree_p(name, "MW p", kv["p"], py["p"])
        else:
            note = f"R: {kv}" if status == "error" else f"R: non-finite {kv}"
            require(py is None, f"MW {name}: R not estimable ({note}) but Python gives {py}")
        mw.append({"name": name, "x": x, "y": y, "expected": exp, **({"reason": note} if note else {})})

    anova, kw = [], []
    for i, (name, groups) in enumerate(ks):
        status, kv = r.get(f"anova{i}")
        py = anova_python(groups)
        exp = None
        note = None
        if py is not None:
            require(status == "ok", f"anova {name}: R failed: {kv}")
            exp = py
            agree_estimate(name, "F", kv["statistic"], py["statistic"], rel=1e-10)
            require(kv["df"] == py["df"] and kv["df2"] == py["df2"], f"anova {name}: df")
            agree_p(name, "anova p", kv["p"], py["p"])
            if "oneway_statistic" in kv:
                agree_estimate(name, "oneway.test F", kv["oneway_statistic"], py["statistic"], rel=1e-10)
                agree_p(name, "oneway.test p", kv["oneway_p"], py["p"])
            else:
                note = "R oneway.test refuses groups with fewer than 2 values ('not enough observations'); value from aov / anova(lm)"
        else:
            note = ("fewer than 2 groups" if len(groups) < 2 else
                    "no residual degrees of freedom" if sum(map(len, groups)) <= len(groups) else
                    "no within-group variation (F infinite or undefined)")
        anova.append({"name": name, "groups": groups, "expected": exp,
                      **({"reason": note} if exp is None else {"note": note} if note else {})})

        status, kv = r.get(f"kw{i}")
        py = kruskal_python(groups)
        exp = None
        note = None
        if status == "ok" and finite(kv, "statistic", "p"):
            require(py is not None, f"KW {name}: R estimable, Python not")
            exp = py
            agree_estimate(name, "H", kv["statistic"], py["statistic"], floor=1e-13)
            require(kv["df"] == py["df"], f"KW {name}: df")
            agree_p(name, "KW p", kv["p"], py["p"])
        else:
            note = f"R: {kv}" if status == "error" else f"R: non-finite {kv}"
            require(py is None, f"KW {name}: R not estimable ({note}) but Python gives {py}")
        kw.append({"name": name, "groups": groups, "expected": exp, **({"reason": note} if note else {})})

    fisher = []
    for i, (a, b, c, d) in enumerate(fs):
        status, kv = r.get(f"fisher{i}")
        require(status == "ok", f"fisher {a,b,c,d}: R failed: {kv}")
        py = fisher_python(a, b, c, d)
        agree_p(f"fisher {a,b,c,d}", "p", kv["p"], py)
        fisher.append({"table": [[a, b], [c, d]], "expected": py})

    newcombe = []
    for i, (k1, n1, k2, n2, level) in enumerate(ns):
        py = newcombe_python(k1, n1, k2, n2, level)
        exp = None
        if py is not None:
            status, kv = r.get(f"newc{i}")
            require(status == "ok", f"newcombe: R failed {kv}")
            exp = py
            nm = f"newcombe {k1}/{n1} vs {k2}/{n2}"
            agree_estimate(nm, "difference", kv["difference"], py["difference"], floor=1e-12)
            agree_estimate(nm, "lower", kv["lower"], py["ci95"]["lower"], floor=1e-12)
            agree_estimate(nm, "upper", kv["upper"], py["ci95"]["upper"], floor=1e-12)
        newcombe.append({"k1": k1, "n1": n1, "k2": k2, "n2": n2, "level": level, "expected": exp,
                         **({"reason": "a group with no patients"} if exp is None else {})})

    chisq = []
    for i, tab in enumerate(cs):
        py, red = chisq_python(tab)
        exp = None
        if py is not None:
            status, kv = r.get(f"chisq{i}")
            require(status == "ok" and finite(kv, "statistic", "p"), f"chisq {tab}: R {kv}")
            require(bool(kv["yates"]) == ("Yates" in py["test"]), f"chisq {tab}: Yates")
            exp = py
            agree_estimate(f"chisq {tab}", "statistic", kv["statistic"], py["statistic"], floor=1e-13)
            require(kv["df"] == py["df"], f"chisq {tab}: df")
            agree_p(f"chisq {tab}", "p", kv["p"], py["p"])
        chisq.append({"table": tab, "reduced": red, "expected": exp,
                      **({"reason": "fewer than 2 rows or columns with non-zero totals"} if exp is None else {})})

    versions = {
        "R": r.version(),
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "statsmodels": statsmodels.__version__,
    }
    common = {
        "generator": "tests/oracles/compare_oracle.py (+ compare_oracle.R)",
        "seed": SEED,
        "versions": versions,
    }
    compare_doc = {
        **common,
        "about": "Between-strata tests; reference values from R (see the generator's docstring), "
                 "null = not estimable.",
        "welch_t": welch,
        "mann_whitney": mw,
        "anova_oneway": anova,
        "kruskal_wallis": kw,
        "fisher_exact": fisher,
        "newcombe_difference": newcombe,
        "chi_square": chisq,
    }
    normality_doc = {
        **common,
        "about": "Shapiro–Wilk (R shapiro.test) and adjusted skewness G1 (exact); null = not estimable.",
        "cases": normality,
    }
    return compare_doc, normality_doc


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare with the existing files instead of writing")
    args = ap.parse_args()
    compare_doc, normality_doc = build()
    outputs = (
        (OUT_COMPARE, dumps(compare_doc, ensure_ascii=False)),
        (OUT_NORMALITY, dumps(normality_doc, ensure_ascii=False)),
    )
    if not write_or_check(outputs, args.check):
        return
    counts = {k: len(v) for k, v in compare_doc.items() if isinstance(v, list)}
    print(f"wrote {OUT_COMPARE} ({sum(counts.values())} cases: {counts})")
    print(f"wrote {OUT_NORMALITY} ({len(normality_doc['cases'])} cases)")


if __name__ == "__main__":
    main()
