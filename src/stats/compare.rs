//! Tests between strata: Welch t, Mann–Whitney, one-way ANOVA, Kruskal–Wallis, Fisher's exact,
//! Newcombe's risk difference, Pearson chi-square — each as R computes it by default.
//!
//! Architecture invariant: pure functions of numbers and counts.

use super::{continuity_corrected_p, mean, mean_and_sd, mean_of, rank_sums_of, students_t, sum, wilson};
use super::{Estimable, Interval, MannWhitney, RiskDifference, Test, WelchT};
use statrs::distribution::{ChiSquared, ContinuousCDF, FisherSnedecor};
use statrs::function::factorial::ln_binomial;

/// Welch's two-sample t-test of mean(x) − mean(y), as R's `t.test(x, y)`.
pub fn welch_t(x: &[f64], y: &[f64], level: f64) -> Estimable<WelchT> {
    let (Some((mx, Some(sx))), Some((my, Some(sy)))) = (mean_and_sd(x), mean_and_sd(y)) else {
        return Estimable::not("each group needs at least 2 values");
    };
    let (nx, ny) = (x.len() as f64, y.len() as f64);
    let (vx, vy) = (sx * sx / nx, sy * sy / ny);
    let se = (vx + vy).sqrt();
    if se == 0.0 {
        return Estimable::not("both groups have SD 0");
    }
    let df = (vx + vy).powi(2) / (vx * vx / (nx - 1.0) + vy * vy / (ny - 1.0));
    let difference = mx - my;
    let t = difference / se;
    let dist = students_t(df);
    let p = (2.0 * dist.sf(t.abs())).min(1.0);
    let h = dist.inverse_cdf(0.5 + level / 2.0) * se;
    Estimable::Value(WelchT { difference, ci95: Interval { lower: difference - h, upper: difference + h }, t, df, p })
}

/// P(W ≤ w) for the rank-sum statistic W (Mann–Whitney U of x) with m and n untied values.
fn pwilcox_lower(w: usize, m: usize, n: usize) -> f64 {
    // counts[k][u]: ways to choose k of the values seen so far with U-contribution u.
    let max_u = m * n;
    let mut counts = vec![vec![0.0f64; max_u + 1]; m + 1];
    counts[0][0] = 1.0;
    for j in 0..(m + n) {
        for k in (1..=m.min(j + 1)).rev() {
            // Choosing value j (0-based) as the k-th of x adds (j − (k − 1)) values of y below it.
            let add = j + 1 - k;
            if add > n {
                continue;
            }
            for u in (add..=max_u).rev() {
                counts[k][u] += counts[k - 1][u - add];
            }
        }
    }
    let total = sum(counts[m].iter().copied());
    sum(counts[m][..=w.min(max_u)].iter().copied()) / total
}

/// Wilcoxon rank-sum (Mann–Whitney) test as R's `wilcox.test(x, y)`.
pub fn mann_whitney(x: &[f64], y: &[f64]) -> Estimable<MannWhitney> {
    if x.is_empty() || y.is_empty() {
        return Estimable::not("each group needs at least 1 value");
    }
    let (sums, ties) = rank_sums_of(&[x, y]);
    let (m, n) = (x.len(), y.len());
    let (mf, nf) = (m as f64, n as f64);
    let w = sums[0] - mf * (mf + 1.0) / 2.0;
    if m < 50 && n < 50 && ties.is_empty() {
        let wi = w.round() as usize;
        let p = if w > mf * nf / 2.0 {
            1.0 - if wi == 0 { 0.0 } else { pwilcox_lower(wi - 1, m, n) }
        } else {
            pwilcox_lower(wi, m, n)
        };
        return Estimable::Value(MannWhitney { w, p: (2.0 * p).min(1.0), method: "exact".into() });
    }
    let big_n = mf + nf;
    let tie_sum: f64 = ties.iter().map(|&t| (t * t * t - t) as f64).sum();
    let var = mf * nf / 12.0 * ((big_n + 1.0) - tie_sum / (big_n * (big_n - 1.0)));
    if var <= 0.0 {
        return Estimable::not("all values are tied");
    }
    let p = continuity_corrected_p(w - mf * nf / 2.0, var);
    Estimable::Value(MannWhitney { w, p, method: "normal approximation with continuity correction".into() })
}

/// One-way ANOVA with equal variances (R `oneway.test(var.equal = TRUE)`, `aov`). Empty groups are dropped.
pub fn anova_oneway(groups: &[&[f64]]) -> Estimable<Test> {
    let groups: Vec<&[f64]> = groups.iter().copied().filter(|g| !g.is_empty()).collect();
    let k = groups.len();
    let n: usize = groups.iter().map(|g| g.len()).sum();
    if k < 2 || n <= k {
        return Estimable::not("needs at least 2 groups and more values than groups");
    }
    let grand = mean_of(|| groups.iter().flat_map(|g| g.iter().copied()), n);
    let mut ssb = 0.0;
    let mut ssw = 0.0;
    for g in &groups {
        let m = mean(g).unwrap_or(0.0);
        ssb += g.len() as f64 * (m - grand) * (m - grand);
        ssw += sum(g.iter().map(|v| (v - m) * (v - m)));
    }
    if ssw == 0.0 {
        return Estimable::not("no variation within groups");
    }
    let (df1, df2) = ((k - 1) as f64, (n - k) as f64);
    let f = (ssb / df1) / (ssw / df2);
    let p = FisherSnedecor::new(df1, df2).map_or(f64::NAN, |d| d.sf(f));
    Estimable::Value(Test {
        test: "one-way ANOVA".into(),
        statistic: f,
        df: df1,
        df2: Some(df2),
        p,
        min_expected: None,
    })
}

fn chi_square_sf(x: f64, df: f64) -> f64 {
    ChiSquared::new(df).map_or(f64::NAN, |d| d.sf(x))
}

/// Kruskal–Wallis rank-sum test with tie correction (R `kruskal.test`). Empty groups are dropped.
pub fn kruskal_wallis(groups: &[&[f64]]) -> Estimable<Test> {
    let groups: Vec<&[f64]> = groups.iter().copied().filter(|g| !g.is_empty()).collect();
    let k = groups.len();
    if k < 2 {
        return Estimable::not("needs at least 2 groups with values");
    }
    let n = groups.iter().map(|g| g.len()).sum::<usize>() as f64;
    let (sums, ties) = rank_sums_of(&groups);
    let mut h = 0.0;
    for (g, r) in groups.iter().zip(sums) {
        h += r * r / g.len() as f64;
    }
    h = 12.0 / (n * (n + 1.0)) * h - 3.0 * (n + 1.0);
    let tie_sum: f64 = ties.iter().map(|&t| (t * t * t - t) as f64).sum();
    let correction = 1.0 - tie_sum / (n * n * n - n);
    if correction <= 0.0 {
        return Estimable::not("all values are tied");
    }
    h /= correction;
    let df = (k - 1) as f64;
    Estimable::Value(Test {
        test: "Kruskal–Wallis".into(),
        statistic: h,
        df,
        df2: None,
        p: chi_square_sf(h, df),
        min_expected: None,
    })
}

/// Fisher's exact test, two-sided, of the 2×2 table [[a, b], [c, d]] as R's `fisher.test`.
///
/// R sums the hypergeometric probabilities, scaled by the largest, over the whole support; a term
/// whose log is more than 800 below the largest's is 0 once scaled (`exp` underflows)
/// and adds nothing to either sum. The distribution is unimodal, so the terms that count are one
/// run of the support around its mode: only those are computed (with a million patients the
/// support is half a million terms, the run a few thousand), and the sums are those R's would give,
/// term for term in the same order.
pub fn fisher_exact(a: usize, b: usize, c: usize, d: usize) -> Estimable<f64> {
    let (m, n, k) = ((a + c) as u64, (b + d) as u64, (a + b) as u64);
    if m + n == 0 {
        // R's fisher.test gives p = 1 for an empty table.
        return Estimable::Value(1.0);
    }
    let (lo, hi) = (k.saturating_sub(n), k.min(m));
    let log_d = |x: u64| ln_binomial(m, x) + ln_binomial(n, k - x);
    let (mode, max) = hypergeometric_mode(lo, hi, (k + 1) as f64 * (m + 1) as f64 / (m + n + 2) as f64, log_d);
    let counts = |v: f64| v - max >= -NEGLIGIBLE;
    let first = (lo..mode).rev().take_while(|&x| counts(log_d(x))).last().unwrap_or(mode);
    let last = (mode + 1..=hi).take_while(|&x| counts(log_d(x))).last().unwrap_or(mode);
    let d: Vec<f64> = (first..=last).map(|x| log_d(x) - max).collect();
    let observed = log_d(a as u64) - max;
    let rel = (1.0f64 + 1e-7).ln();
    let total = sum(d.iter().map(|v| v.exp()));
    let tail = sum(d.iter().filter(|&&v| v <= observed + rel).map(|v| v.exp()));
    Estimable::Value((tail / total).min(1.0))
}

/// How far (natural log) below the largest a hypergeometric term may be and still count: `exp` of
/// anything below −745.2 is 0 in `f64`.
const NEGLIGIBLE: f64 = 800.0;

/// The mode of a unimodal distribution on `lo..=hi` whose log-probability is `log_d`, and that
/// log-probability: found by climbing from `guess` (the textbook mode, which rounding may put a
/// step away).
fn hypergeometric_mode(lo: u64, hi: u64, guess: f64, log_d: impl Fn(u64) -> f64) -> (u64, f64) {
    let mut x = (guess.floor().max(0.0) as u64).clamp(lo, hi);
    let mut here = log_d(x);
    while x > lo && log_d(x - 1) > here {
        x -= 1;
        here = log_d(x);
    }
    while x < hi && log_d(x + 1) > here {
        x += 1;
        here = log_d(x);
    }
    (x, here)
}

/// Risk difference p1 − p2 (percent points) with Newcombe's hybrid score interval (method 10).
pub fn newcombe_difference(k1: usize, n1: usize, k2: usize, n2: usize, level: f64) -> Estimable<RiskDifference> {
    let (Some(w1), Some(w2)) = (wilson(k1, n1, level).value().copied(), wilson(k2, n2, level).value().copied()) else {
        return Estimable::not("each group needs at least 1 patient");
    };
    let (p1, p2) = (k1 as f64 / n1 as f64, k2 as f64 / n2 as f64);
    let diff = p1 - p2;
    let lower = diff - ((p1 - w1.lower).powi(2) + (w2.upper - p2).powi(2)).sqrt();
    let upper = diff + ((w1.upper - p1).powi(2) + (p2 - w2.lower).powi(2)).sqrt();
    Estimable::Value(RiskDifference {
        difference: diff * 100.0,
        ci95: Interval { lower: lower * 100.0, upper: upper * 100.0 },
    })
}

/// Pearson chi-square test of independence as R's `chisq.test` (Yates correction for 2×2).
/// Rows and columns with zero totals are dropped first.
pub fn chi_square(table: &[Vec<usize>]) -> Estimable<Test> {
    let ncol = table.iter().map(Vec::len).max().unwrap_or(0);
    let cell = |r: &Vec<usize>, c: usize| r.get(c).copied().unwrap_or(0) as f64;
    let rows: Vec<&Vec<usize>> = table.iter().filter(|r| r.iter().sum::<usize>() > 0).collect();
    let cols: Vec<usize> = (0..ncol).filter(|&c| rows.iter().map(|r| cell(r, c)).sum::<f64>() > 0.0).collect();
    if rows.len() < 2 || cols.len() < 2 {
        return Estimable::not("needs at least 2 rows and 2 columns with counts");
    }
    let row_tot: Vec<f64> = rows.iter().map(|r| cols.iter().map(|&c| cell(r, c)).sum()).collect();
    let col_tot: Vec<f64> = cols.iter().map(|&c| rows.iter().map(|r| cell(r, c)).sum()).collect();
    let n: f64 = row_tot.iter().sum();
    let expected = |i: usize, j: usize| row_tot[i] * col_tot[j] / n;
    // R: YATES <- min(0.5, abs(x - E)), one number for the whole 2×2 table.
    let correction = if rows.len() == 2 && cols.len() == 2 {
        (0..2)
            .flat_map(|i| (0..2).map(move |j| (i, j)))
            .fold(0.5f64, |m, (i, j)| m.min((cell(rows[i], cols[j]) - expected(i, j)).abs()))
    } else {
        0.0
    };
    let yates = correction > 0.0;
    let mut stat = 0.0;
    let mut min_expected = f64::INFINITY;
    for (i, r) in rows.iter().enumerate() {
        for (j, &c) in cols.iter().enumerate() {
            let e = expected(i, j);
            min_expected = min_expected.min(e);
            let dev = (cell(r, c) - e).abs() - correction;
            stat += dev * dev / e;
        }
    }
    let df = ((rows.len() - 1) * (cols.len() - 1)) as f64;
    let test = if yates { "Pearson chi-square with Yates correction" } else { "Pearson chi-square" };
    Estimable::Value(Test {
        test: test.into(),
        statistic: stat,
        df,
        df2: None,
        p: chi_square_sf(stat, df),
        min_expected: Some(min_expected),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pwilcox_matches_r_small_values() {
        // R: pwilcox(2, 3, 4) = 0.1142857
        assert!((pwilcox_lower(2, 3, 4) - 4.0 / 35.0).abs() < 1e-15);
        assert!((pwilcox_lower(12, 3, 4) - 1.0).abs() < 1e-15);
    }

    #[test]
    fn fisher_tea_tasting_matches_r() {
        // R: fisher.test(matrix(c(3, 1, 1, 3), 2)) p-value = 0.4857
        let p = *fisher_exact(3, 1, 1, 3).value().unwrap();
        assert!((p - 0.485_714_285_714_285_7).abs() < 1e-12);
    }

    /// Fisher's test as R computes it, over the whole support.
    fn fisher_whole_support(a: usize, b: usize, c: usize, d: usize) -> f64 {
        let (m, n, k) = ((a + c) as u64, (b + d) as u64, (a + b) as u64);
        let lo = k.saturating_sub(n);
        let logd: Vec<f64> = (lo..=k.min(m)).map(|x| ln_binomial(m, x) + ln_binomial(n, k - x)).collect();
        let max = logd.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let d: Vec<f64> = logd.iter().map(|l| l - max).collect();
        let observed = d[(a as u64 - lo) as usize];
        let rel = (1.0f64 + 1e-7).ln();
        let total = sum(d.iter().map(|v| v.exp()));
        let tail = sum(d.iter().filter(|&&v| v <= observed + rel).map(|v| v.exp()));
        (tail / total).min(1.0)
    }

    #[test]
    fn fisher_sums_the_terms_that_count_as_over_the_whole_support() {
        // Small tables (every term counts), large ones (most do not), skewed margins, the observed
        // table far in a tail (p underflows to 0), and a table of a million patients.
        let tables = [
            (3, 1, 1, 3),
            (0, 10, 10, 0),
            (1, 99, 0, 100),
            (5000, 5000, 5200, 4800),
            (5000, 5000, 5000, 5000),
            (20, 19980, 45, 19955),
            (10_000, 0, 0, 10_000),
            (0, 3000, 2999, 1),
            (49_000, 1000, 30, 20),
            (411_000, 89_000, 395_500, 104_500),
        ];
        for (a, b, c, d) in tables {
            let got = *fisher_exact(a, b, c, d).value().unwrap();
            let want = fisher_whole_support(a, b, c, d);
            assert_eq!(got.to_bits(), want.to_bits(), "({a}, {b}, {c}, {d}): {got} vs {want}");
            // The same table transposed has the same p (to rounding: ln_binomial of other numbers).
            let transposed = *fisher_exact(a, c, b, d).value().unwrap();
            assert!((transposed - want).abs() <= 1e-9 * want, "({a}, {b}, {c}, {d}) transposed: {transposed}");
        }
        assert_eq!(fisher_exact(10_000, 0, 0, 10_000).value(), Some(&0.0));
    }

    #[test]
    fn degenerate_inputs_are_not_estimable() {
        assert!(welch_t(&[1.0], &[1.0, 2.0], 0.95).value().is_none());
        assert!(mann_whitney(&[], &[1.0]).value().is_none());
        assert!(anova_oneway(&[&[1.0, 1.0], &[2.0, 2.0]]).value().is_none());
        assert!(kruskal_wallis(&[&[1.0, 1.0], &[1.0]]).value().is_none());
        assert!(chi_square(&[vec![1, 0], vec![2, 0]]).value().is_none());
        assert_eq!(fisher_exact(0, 0, 0, 0).value(), Some(&1.0));
        assert!(newcombe_difference(0, 0, 1, 2, 0.95).value().is_none());
    }
}
