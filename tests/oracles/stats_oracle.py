#!/usr/bin/env python3
"""Independent oracle for the pure statistics functions of `cohortcalc::stats`.

Writes `tests/data/expected/stats.json`, read by `tests/it/oracle_stats.rs`.

    python3 tests/oracles/stats_oracle.py            # (re)write the JSON
    python3 tests/oracles/stats_oracle.py --check    # regenerate in memory, diff against the file

Deterministic: every random vector comes from one seeded numpy Generator, and the output does
not depend on the machine (all reference numbers are computed exactly or in high precision and
cross-checked against scipy / statsmodels; the script aborts if a cross-check disagrees).

How each reference value is obtained (independently of the Rust code):

* summary: exact rational arithmetic (fractions.Fraction) on the double values as given;
  sd = sqrt of the exact n-1 variance, taken in 60-digit Decimal; quantiles are R type 7
  computed exactly. Each value is then rounded once to the nearest double.
  Cross-checked against numpy (mean, std(ddof=1), percentile(method="linear")).
* mean_ci: mean +/- t_{1-(1-level)/2, n-1} * sd / sqrt(n), the quantile from scipy, the rest in
  60-digit Decimal. Cross-checked against scipy.stats.t.interval.
* t: one-sample t of the values against 0, t = mean / (sd / sqrt n) in Decimal, two-sided p from
  scipy.stats.t.sf. Cross-checked against scipy.stats.ttest_1samp.
* dz: mean / sd in Decimal.
* wilcoxon: a direct implementation of R's wilcox.test(x, y, paired = TRUE) (x = the vector,
  y = 0): zeros dropped, V = sum of average ranks of |d| over d > 0; exact two-sided p from the
  exact null distribution (subset-sum counts in Python integers) when n_nonzero < 50, no ties
  and no zeros; otherwise the normal approximation with tie and continuity correction. The
  p-value is cross-checked against scipy.stats.wilcoxon (method "exact" or "approx",
  correction=True, zero_method="wilcox"), and the exact distribution against brute-force
  enumeration for small n.
* wilson: score interval in 60-digit Decimal, z from scipy.stats.norm.ppf; cross-checked against
  statsmodels proportion_confint(method="wilson").
* clopper_pearson: statsmodels proportion_confint(method="beta") (k = 0 -> lower 0, k = n ->
  upper 1), checked against scipy.stats.beta.ppf and its defining property with
  scipy.stats.binom (P(X >= k | lower) = alpha/2, P(X <= k | upper) = alpha/2); for k = 0 and
  k = n the closed form 1 - (alpha/2)^(1/n) resp. (alpha/2)^(1/n) (60-digit Decimal) is used.
* rule_of_three: 3 / n.

NIST StRD univariate data sets appear twice: as ordinary vectors (reference = exact values of
the double data) and with their CERTIFIED mean and sd (section "nist"). NumAcc1-4 are built
here from their definition; PiDigits, Lottery, Lew, Mavro and Michelso are read from
`tests/data/nist/<name>.dat` (NIST's data values with a header naming where they came from and
the certified values, which are read from that header). Before use, each file is checked: the
number of values, and the exact rational mean and n-1 sd of its DECIMAL values rounded to 15
significant digits must equal the certified ones; PiDigits must equal the first 5000 digits of
pi (Machin's formula in Python integers) except NIST's digit 957 (3 in NIST's file, 8 in pi).
Decimal data that are not representable in binary (NumAcc3/4, Mavro, Michelso) make the sd of
the double data differ from the certified value (NumAcc3/4 by 3.5e-10 / 5.6e-9 relative, the
others by < 1e-12); each NIST entry therefore carries the relative tolerance that the
representation error allows (`sd_rel_tol`, `mean_rel_tol`), see `nist_tolerance`.
"""

from __future__ import annotations

import argparse
import json
import math
import struct
import sys
from decimal import Decimal, getcontext
from fractions import Fraction
from itertools import product
from pathlib import Path

import numpy as np
import scipy
import statsmodels
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

sys.path.insert(0, str(Path(__file__).resolve().parent))  # common.py, whatever the working directory
from common import dumps, write_or_check  # noqa: E402

getcontext().prec = 60

SEED = 20250425
OUT = Path(__file__).resolve().parents[1] / "data" / "expected" / "stats.json"
NIST_DIR = Path(__file__).resolve().parents[1] / "data" / "nist"
NIST_FILES = ["PiDigits", "Lottery", "Lew", "Mavro", "Michelso"]
EXACT_METHOD = "exact"
NORMAL_METHOD = "normal approximation with continuity correction"


# --------------------------------------------------------------------------------------------
# helpers


def dec(q: Fraction) -> Decimal:
    return Decimal(q.numerator) / Decimal(q.denominator)


def fl(v) -> float:
    """Round a Fraction/Decimal once to the nearest double (both conversions are correctly rounded)."""
    return float(v)


def bits(x: list[float]) -> list[int]:
    """IEEE-754 bit patterns: serde_json's default float parser is not correctly rounded (it is
    off by one ulp for a few % of values), which matters for ill-conditioned inputs such as
    1e7 + 1e-3 noise; the Rust test reads the inputs from these integers."""
    return [struct.unpack("<Q", struct.pack("<d", v))[0] for v in x]


def upper_prob(level: float) -> float:
    """1 - (1 - level)/2 from the decimal level as written (0.95 -> 0.975)."""
    return float(1 - (1 - Decimal(repr(level))) / 2)


def close(a: float, b: float, rel: float, abs_: float = 0.0) -> bool:
    return abs(a - b) <= max(rel * max(abs(a), abs(b)), abs_)


def require(cond: bool, what: str) -> None:
    if not cond:
        raise SystemExit(f"cross-check failed: {what}")


# --------------------------------------------------------------------------------------------
# descriptive statistics, t, CI, dz


def exact_moments(x: list[float]):
    n = len(x)
    if n == 0:
        return None, None
    xs = [Fraction(v) for v in x]
    mean = sum(xs, Fraction(0)) / n
    if n < 2:
        return mean, None
    ss = sum(((v - mean) ** 2 for v in xs), Fraction(0))
    return mean, ss / (n - 1)


def quantile7(sorted_x: list[float], p: Fraction) -> Fraction:
    n = len(sorted_x)
    h = (n - 1) * p
    lo = math.floor(h)
    hi = math.ceil(h)
    a = Fraction(sorted_x[lo])
    b = Fraction(sorted_x[hi])
    return a + (h - lo) * (b - a)


def summary(x: list[float]) -> dict:
    n = len(x)
    if n == 0:
        return {"n": 0} | {k: None for k in ("mean", "sd", "median", "q1", "q3", "min", "max")}
    mean, var = exact_moments(x)
    s = sorted(x)
    out = {
        "n": n,
        "mean": fl(mean),
        "sd": fl(dec(var).sqrt()) if var is not None else None,
        "median": fl(quantile7(s, Fraction(1, 2))),
        "q1": fl(quantile7(s, Fraction(1, 4))),
        "q3": fl(quantile7(s, Fraction(3, 4))),
        "min": s[0],
        "max": s[-1],
    }
    # cross-check with numpy
    a = np.asarray(x, dtype=float)
    scale = max(abs(v) for v in x)
    require(close(out["mean"], float(np.mean(a)), 1e-12, 1e-15 * scale), f"mean {x[:5]}")
    for key, p in (("median", 50), ("q1", 25), ("q3", 75)):
        require(close(out[key], float(np.percentile(a, p, method="linear")), 1e-12, 1e-15 * scale),
                f"{key} {x[:5]}")
    if n >= 2:
        # numpy's two-pass sd is accurate unless the data are constant at a large offset
        require(close(out["sd"], float(np.std(a, ddof=1)), 1e-6, 1e-14 * scale), f"sd {x[:5]}")
    return out


def mean_ci(x: list[float], level: float):
    n = len(x)
    if n < 2:
        return None
    mean, var = exact_moments(x)
    q = float(stats.t.ppf(upper_prob(level), n - 1))
    half = Decimal(q) * (dec(var) / n).sqrt()
    lower, upper = fl(dec(mean) - half), fl(dec(mean) + half)
    m, se = float(np.mean(x)), float(np.std(x, ddof=1)) / math.sqrt(n)
    if se > 0:
        lo2, up2 = stats.t.interval(level, n - 1, loc=m, scale=se)
        scale = max(abs(v) for v in x)
        require(close(lower, lo2, 1e-9, 1e-13 * scale) and close(upper, up2, 1e-9, 1e-13 * scale),
                f"mean_ci {x[:5]}: {(lower, upper)} vs {(lo2, up2)}")
    return {"lower": lower, "upper": upper}


def t_test(x: list[float]):
    n = len(x)
    if n < 2:
        return None
    mean, var = exact_moments(x)
    if var == 0:
        return None
    t = fl(dec(mean) / (dec(var) / n).sqrt())
    df = float(n - 1)
    p = float(2 * stats.t.sf(abs(t), df))
    r = stats.ttest_1samp(np.asarray(x), 0.0)
    require(close(p, float(r.pvalue), 1e-9, 1e-15), f"t p {x[:5]}: {p} vs {r.pvalue}")
    if float(np.std(x, ddof=1)) > 1e-6 * max(abs(v) for v in x):
        require(close(t, float(r.statistic), 1e-9), f"t {x[:5]}: {t} vs {r.statistic}")
    return {"t": t, "df": df, "p": p}


def cohen_dz(x: list[float]):
    n = len(x)
    if n < 2:
        return None
    mean, var = exact_moments(x)
    if var == 0:
        return None
    return fl(dec(mean) / dec(var).sqrt())


# --------------------------------------------------------------------------------------------
# Wilcoxon signed rank, R's convention


def signrank_counts(n: int) -> list[int]:
    """counts[s] = number of subsets of {1..n} with sum s (exact null distribution of V x 2^n)."""
    top = n * (n + 1) // 2
    c = [0] * (top + 1)
    c[0] = 1
    for k in range(1, n + 1):
        for s in range(top, k - 1, -1):
            c[s] += c[s - k]
    return c


def _check_counts_bruteforce() -> None:
    for n in range(0, 13):
        brute = [0] * (n * (n + 1) // 2 + 1)
        for signs in product((0, 1), repeat=n):
            brute[sum(i + 1 for i, s in enumerate(signs) if s)] += 1
        require(brute == signrank_counts(n), f"signrank distribution n={n}")


def average_ranks(values: list[float]) -> list[Fraction]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [Fraction(0)] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        r = Fraction(i + 1 + j + 1, 2)
        for k in range(i, j + 1):
            ranks[order[k]] = r
        i = j + 1
    return ranks


def wilcoxon(x: list[float]):
    zeros = sum(1 for v in x if v == 0)
    d = [v for v in x if v != 0]
    n = len(d)
    if n == 0:
        return None
    a = [abs(v) for v in d]
    r = average_ranks(a)
    v_stat = sum((rk for rk, v in zip(r, d) if v > 0), Fraction(0))
    groups: dict[float, int] = {}
    for v in a:
        groups[v] = groups.get(v, 0) + 1
    ties = any(t > 1 for t in groups.values())
    if n < 50 and not ties and zeros == 0:
        method = EXACT_METHOD
        c = signrank_counts(n)
        vi = int(v_stat)
        le = Fraction(sum(c[: vi + 1]), 2**n)
        ge = Fraction(sum(c[vi:]), 2**n)
        p = float(min(Fraction(1), 2 * min(le, ge)))
        sc = stats.wilcoxon(d, method="exact").pvalue
        require(close(p, float(sc), 1e-12, 1e-15), f"wilcoxon exact p {d[:4]}: {p} vs {sc}")
    else:
        method = NORMAL_METHOD
        mu = Fraction(n * (n + 1), 4)
        tie_sum = sum(t**3 - t for t in groups.values())
        var = Fraction(n * (n + 1) * (2 * n + 1), 24) - Fraction(tie_sum, 48)
        diff = v_stat - mu
        corr = Fraction(1, 2) * ((diff > 0) - (diff < 0))
        z = fl(dec(diff - corr) / dec(var).sqrt())
        p = float(2 * min(stats.norm.cdf(z), stats.norm.sf(z)))
        sc = stats.wilcoxon(d, method="approx", correction=True, zero_method="wilcox").pvalue
        require(close(p, float(sc), 1e-9, 1e-15), f"wilcoxon approx p {d[:4]}: {p} vs {sc}")
    return {
        "v": fl(v_stat),
        "p": p,
        "method": method,
        "n_nonzero": n,
        "zeros": zeros,
        "ties": ties,
    }


# --------------------------------------------------------------------------------------------
# proportions


def wilson(k: int, n: int, level: float):
    if n == 0:
        return None
    z = Decimal(float(stats.norm.ppf(upper_prob(level))))
    p = Decimal(k) / Decimal(n)
    z2 = z * z
    den = 1 + z2 / n
    centre = p + z2 / (2 * n)
    half = z * (p * (1 - p) / n + z2 / (4 * n * n)).sqrt()
    lower, upper = fl((centre - half) / den), fl((centre + half) / den)
    # mathematically exact at the ends (the Decimal formula leaves ~1e-60 there)
    if k == 0:
        lower = 0.0
    if k == n:
        upper = 1.0
    lo2, up2 = proportion_confint(k, n, alpha=1 - level, method="wilson")
    require(close(lower, float(lo2), 1e-9, 1e-15) and close(upper, float(up2), 1e-9, 1e-15),
            f"wilson {k}/{n}: {(lower, upper)} vs {(lo2, up2)}")
    return {"lower": lower, "upper": upper}


def clopper_pearson(k: int, n: int, level: float):
    if n == 0:
        return None
    alpha_dec = 1 - Decimal(repr(level))  # the decimal level as written, e.g. exactly 0.05
    alpha = float(alpha_dec)
    lo, up = proportion_confint(k, n, alpha=alpha, method="beta")
    lo, up = float(lo), float(up)
    if k == 0:
        lo = 0.0
        # closed form: upper = 1 - (alpha/2)^(1/n)
        closed = fl(1 - (alpha_dec / 2) ** (Decimal(1) / Decimal(n)))
        require(close(up, closed, 1e-12), f"cp upper closed form {k}/{n}: {up} vs {closed}")
        up = closed
    else:
        # own computation via the beta quantile, and the defining property
        lo_b = float(stats.beta.ppf(alpha / 2, k, n - k + 1))
        require(close(lo, lo_b, 1e-12, 1e-300), f"cp lower {k}/{n}")
        require(close(float(stats.binom.sf(k - 1, n, lo)), alpha / 2, 1e-7), f"cp lower property {k}/{n}")
    if k == n:
        up = 1.0
        # closed form: lower = (alpha/2)^(1/n)
        closed = fl((alpha_dec / 2) ** (Decimal(1) / Decimal(n)))
        require(close(lo, closed, 1e-12), f"cp lower closed form {k}/{n}: {lo} vs {closed}")
        lo = closed
    else:
        up_b = float(stats.beta.ppf(1 - alpha / 2, k + 1, n - k))
        require(close(up, up_b, 1e-12, 1e-300), f"cp upper {k}/{n}")
        require(close(float(stats.binom.cdf(k, n, up)), alpha / 2, 1e-7), f"cp upper property {k}/{n}")
    return {"lower": lo, "upper": up}


def rule_of_three(n: int):
    return None if n == 0 else 3.0 / n


# --------------------------------------------------------------------------------------------
# cases


def vector_cases(rng: np.random.Generator) -> list[tuple[str, list[float], float]]:
    cases: list[tuple[str, list[float], float]] = []

    def add(name, x, level=0.95):
        cases.append((name, [float(v) for v in x], level))

    sizes = [1, 2, 3, 5, 8, 10, 20, 49, 50, 51, 100, 1000]
    for n in sizes:
        add(f"normal_pos_n{n}", rng.normal(1.5, 2.0, n))
        add(f"normal_neg_n{n}", rng.normal(-0.8, 1.3, n))
        # VAS-like integer differences (after - before): ties and zeros
        add(f"vas_int_n{n}", rng.integers(-6, 4, n))
        add(f"one_decimal_n{n}", np.round(rng.normal(-1.0, 1.5, n), 1))
    for n in [2, 3, 10, 49, 50, 1000]:
        add(f"offset_1e7_n{n}", 1e7 + rng.normal(0.0, 0.5, n))
    add("offset_neg_1e7_small_noise_n20", -1e7 + rng.normal(0.0, 1e-3, 20))
    add("offset_1e9_n30", 1e9 + rng.normal(0.0, 10.0, 30))
    # constant vectors and all zeros
    add("constant_5_n2", [5.0] * 2)
    add("constant_neg3.25_n10", [-3.25] * 10)
    add("constant_0.1_n3", [0.1] * 3)
    add("constant_1e7+0.1_n50", [10000000.1] * 50)
    add("zeros_n1", [0.0])
    add("zeros_n5", [0.0] * 5)
    add("empty", [])
    # Wilcoxon corner cases
    add("symmetric_n4", [-2.0, -1.0, 1.0, 2.0])
    add("all_positive_n8", np.abs(rng.normal(0, 1, 8)) + 0.01)
    add("all_negative_n12", -np.abs(rng.normal(0, 1, 12)) - 0.01)
    xz = rng.normal(0.5, 1, 10)
    xz[3] = 0.0
    add("continuous_one_zero_n10", xz)
    xt = rng.normal(0.5, 1, 20)
    xt[7] = -xt[2]
    add("continuous_one_tie_n20", xt)
    add("continuous_n49_level90", rng.normal(0.3, 1, 49), 0.90)
    add("continuous_n30_level99", rng.normal(-0.3, 1, 30), 0.99)
    add("vas_int_n134_study_size", rng.integers(-7, 3, 134))
    add("vas_int_mostly_zero_n40", rng.choice([-1, 0, 0, 0, 0, 1, 2], 40))
    add("exponential_skewed_n30", rng.exponential(2.0, 30) - 0.5)
    add("heavy_tails_t2_n100", rng.standard_t(2, 100))
    add("tiny_scale_1e-6_n20", rng.normal(1e-6, 2e-6, 20))
    add("huge_scale_1e9_n10", rng.normal(0, 1e9, 10))
    add("single_nonzero_n1", [-2.5])
    add("two_values_mixed_sign", [-1.0, 3.0])
    add("exact_v_at_centre_n3", [-1.0, -2.0, 3.0])  # V = n(n+1)/4 = 3 -> exact p = 1
    add("negative_zero_counts_as_zero", [-0.0, 1.5, -2.5, 3.5, 4.5])
    # R's sleep data (Cushny & Peebles; Student 1908), d = extra[group 1] - extra[group 2]
    g1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    g2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    add("R_sleep_group1_minus_group2", [a - b for a, b in zip(g1, g2)])
    for name, x, _, _, _ in nist_cases():
        add(name, x)
    return cases


def pi_digits(n: int) -> str:
    """The first n decimal digits of pi ("31415..."), Machin's formula in exact integers."""
    def arctan_inv(k: int, one: int) -> int:
        term = total = one // k
        k2, i, sign = k * k, 1, -1
        while term:
            term //= k2
            i += 2
            total += sign * (term // i)
            sign = -sign
        return total

    guard = 20
    one = 10 ** (n - 1 + guard)
    pi = 4 * (4 * arctan_inv(5, one) - arctan_inv(239, one))
    digits = []
    while pi:  # str() of a 5000-digit int is limited by default in Python >= 3.11
        pi, d = divmod(pi, 10)
        digits.append(str(d))
    return "".join(reversed(digits))[:n]


def sig15(q: Fraction) -> Decimal:
    """q rounded to 15 significant digits (as NIST certifies), half even."""
    return Decimal(format(dec(q), ".14e"))


def read_nist_file(name: str) -> tuple[list[str], dict[str, str]]:
    """Decimal data values and the header's `# key: value` certificate lines of tests/data/nist/<name>.dat."""
    header: dict[str, str] = {}
    values: list[str] = []
    path = NIST_DIR / f"{name}.dat"
    for line in path.read_text().splitlines():
        if line.startswith("#"):
            key, sep, val = line[1:].partition(":")
            if sep and key.strip() in ("certified mean", "certified sd", "observations"):
                header[key.strip()] = val.split()[0]
        elif line.strip():
            values.append(line.strip())
    require(set(header) == {"certified mean", "certified sd", "observations"}, f"{path}: certificate lines")
    require(len(values) == int(header["observations"]), f"{path}: {len(values)} values")
    # the decimal data (not their doubles) reproduce the certificate to its 15 digits
    mean, var = exact_moments_dec(values)
    require(sig15(mean) == Decimal(header["certified mean"]), f"{name}: mean {dec(mean)} vs certificate")
    sd = Decimal(format(dec(var).sqrt(), ".14e"))  # sqrt in 60 digits, then 15 significant
    require(sd == Decimal(header["certified sd"]), f"{name}: sd {dec(var).sqrt()} vs certificate")
    return values, header


def exact_moments_dec(values: list[str]) -> tuple[Fraction, Fraction]:
    xs = [Fraction(v) for v in values]
    mean = sum(xs, Fraction(0)) / len(xs)
    return mean, sum(((v - mean) ** 2 for v in xs), Fraction(0)) / (len(xs) - 1)


def _check_pidigits(values: list[str]) -> None:
    """NIST's PiDigits are pi's first 5000 digits except digit 957 (3 where pi has 8); the
    certificate belongs to NIST's digits (mean 4.5348; pi's own first 5000 digits: 4.5358)."""
    pi = pi_digits(5000)
    require(pi.startswith("31415926535897932384626433832795028841971"), "Machin pi digits")
    diffs = [(i + 1, pi[i], v) for i, v in enumerate(values) if v != pi[i]]
    require(diffs == [(957, "8", "3")], f"PiDigits vs pi: {diffs}")


def nist_cases():
    """(name, data, certified mean, certified sd, source) of the NIST StRD Univariate data sets:
    NumAcc1-4 from their definition, the others from tests/data/nist/ (checked on reading)."""
    constructed = "constructed by stats_oracle.py from NIST's definition"
    cases = [
        ("NIST_NumAcc1", [10000001.0, 10000003.0, 10000002.0], 10000002.0, 1.0, constructed),
        ("NIST_NumAcc2", [1.2] + [1.1, 1.3] * 500, 1.2, 0.1, constructed),
        ("NIST_NumAcc3", [1000000.2] + [1000000.1, 1000000.3] * 500, 1000000.2, 0.1, constructed),
        ("NIST_NumAcc4", [10000000.2] + [10000000.1, 10000000.3] * 500, 10000000.2, 0.1, constructed),
    ]
    for name in NIST_FILES:
        values, cert = read_nist_file(name)
        if name == "PiDigits":
            _check_pidigits(values)
        cases.append((f"NIST_{name}", [float(v) for v in values], float(cert["certified mean"]),
                      float(cert["certified sd"]), f"tests/data/nist/{name}.dat"))
    return cases


def nist_tolerance(x: list[float], cert_mean: float, cert_sd: float) -> tuple[float, float]:
    """Relative tolerances vs the certified values: 1e-12 (mean) and 1e-9 (sd), widened to
    twice the deviation of the exact statistic of the *double* data from the certified value
    when the decimal data are not representable (only NumAcc3/4 need it: for Mavro and Michelso
    the representation error moves the sd by < 1e-12 relative)."""
    mean, var = exact_moments(x)
    sd = dec(var).sqrt()
    mean_dev = abs(float((dec(mean) - Decimal(repr(cert_mean))) / Decimal(repr(cert_mean))))
    sd_dev = abs(float((sd - Decimal(repr(cert_sd))) / Decimal(repr(cert_sd))))
    return max(1e-12, 2 * mean_dev), max(1e-9, 2 * sd_dev)


def proportion_cases(rng: np.random.Generator) -> list[tuple[int, int, float]]:
    fixed = [
        (0, 0), (0, 1), (1, 1), (0, 2), (1, 2), (2, 2), (0, 3), (1, 3), (3, 3), (0, 5), (2, 5),
        (5, 5), (0, 10), (1, 10), (5, 10), (9, 10), (10, 10), (7, 20), (0, 30), (15, 30),
        (29, 30), (12, 34), (0, 50), (3, 50), (25, 50), (1, 100), (50, 100), (99, 100),
        (100, 100), (0, 134), (17, 134), (67, 134), (134, 134), (0, 1000), (1, 1000),
        (500, 1000), (999, 1000), (0, 10000), (1, 10000), (123, 10000), (0, 100000),
        (5, 100000), (0, 1000000), (1, 1000000), (500000, 1000000), (999999, 1000000),
        (1000000, 1000000),
    ]
    cases = [(k, n, 0.95) for k, n in fixed]
    cases += [(3, 17, 0.90), (0, 7, 0.99), (40, 41, 0.99), (1, 2, 0.90), (0, 25, 0.90),
              (250, 300, 0.99)]
    for _ in range(12):
        n = int(round(10 ** rng.uniform(0.3, 6)))
        k = int(rng.integers(0, n + 1))
        cases.append((k, n, 0.95))
    return cases


# --------------------------------------------------------------------------------------------


def build() -> dict:
    _check_counts_bruteforce()
    rng = np.random.default_rng(SEED)
    vectors = []
    for name, x, level in vector_cases(rng):
        vectors.append({
            "name": name,
            "level": level,
            "x": x,
            "x_bits": bits(x),
            "summary": summary(x),
            "mean_ci": mean_ci(x, level),
            "t": t_test(x),
            "dz": cohen_dz(x),
            "wilcoxon": wilcoxon(x),
        })
    nist = []
    for name, x, cm, cs, source in nist_cases():
        mtol, stol = nist_tolerance(x, cm, cs)
        nist.append({"name": name, "source": source, "x": x, "x_bits": bits(x), "certified": True,
                     "mean": cm, "sd": cs, "mean_rel_tol": mtol, "sd_rel_tol": stol})
    proportions = []
    prng = np.random.default_rng(SEED + 1)
    for k, n, level in proportion_cases(prng):
        proportions.append({
            "k": k,
            "n": n,
            "level": level,
            "wilson": wilson(k, n, level),
            "clopper_pearson": clopper_pearson(k, n, level),
            "rule_of_three": rule_of_three(n),
        })
    # published values for the sleep data (R: t.test / wilcox.test paired)
    sleep = next(v for v in vectors if v["name"] == "R_sleep_group1_minus_group2")
    require(round(sleep["t"]["t"], 4) == -4.0621 and sleep["t"]["df"] == 9.0
            and round(sleep["t"]["p"], 6) == 0.002833, "sleep t vs published")
    require(sleep["wilcoxon"]["v"] == 0.0 and round(sleep["wilcoxon"]["p"], 6) == 0.009091
            and sleep["wilcoxon"]["method"] == NORMAL_METHOD, "sleep wilcoxon vs published")
    return {
        "generated_by": "tests/oracles/stats_oracle.py (seed %d)" % SEED,
        "tools": "scipy %s, statsmodels %s, numpy %s, python %s" % (
            scipy.__version__, statsmodels.__version__, np.__version__,
            ".".join(map(str, sys.version_info[:3]))),
        "conventions": {
            "summary": "n; mean; sd with n-1 (null when n < 2); median, q1, q3 R type 7; min; max; "
                       "all null when n = 0",
            "mean_ci": "t-interval at `level`; null when n < 2",
            "t": "one-sample t vs 0, two-sided; null when n < 2 or sd = 0",
            "dz": "mean / sd; null when n < 2 or sd = 0",
            "wilcoxon": "R wilcox.test(x, 0-vector, paired = TRUE); null when no non-zero value",
            "proportions": "wilson / clopper_pearson at `level` on the 0..1 scale, rule_of_three = 3/n; "
                           "null when n = 0",
        },
        "vectors": vectors,
        "nist": nist,
        "proportions": proportions,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare with the existing file instead of writing")
    args = ap.parse_args()
    text = dumps(build())
    if not write_or_check([(OUT, text)], args.check):
        return
    doc = json.loads(text)
    print(f"wrote {OUT}: {len(doc['vectors'])} vectors, {len(doc['nist'])} NIST, "
          f"{len(doc['proportions'])} proportions")


if __name__ == "__main__":
    main()
