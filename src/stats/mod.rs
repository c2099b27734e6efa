//! Pure statistics on slices: no column names, no files, no allocation beyond what a method
//! needs. Conventions follow R (quantile type 7, `t.test`, `wilcox.test`, `binom.test`).
//!
//! Architecture invariant: nothing here knows about tables, mappings or strata.

pub mod compare;
pub mod describe;
pub mod normality;
pub mod survival;

use crate::report::{Estimable, Interval, Summary, TTest, Wilcoxon};
use statrs::distribution::{Beta, ContinuousCDF, Normal, StudentsT};
use statrs::function::beta::beta_reg;

/// Sum with Neumaier compensation: exact enough for NIST's NumAcc4.
pub(crate) fn sum(x: impl IntoIterator<Item = f64>) -> f64 {
    let (mut s, mut c) = (0.0f64, 0.0f64);
    for v in x {
        let t = s + v;
        if s.abs() >= v.abs() {
            c += (s - t) + v;
        } else {
            c += (v - t) + s;
        }
        s = t;
    }
    s + c
}

/// A running Neumaier-compensated sum.
#[derive(Default, Clone, Copy)]
struct Acc {
    s: f64,
    c: f64,
}

impl Acc {
    fn add(&mut self, v: f64) {
        let t = self.s + v;
        if self.s.abs() >= v.abs() {
            self.c += (self.s - t) + v;
        } else {
            self.c += (v - t) + self.s;
        }
        self.s = t;
    }
    fn total(self) -> f64 {
        self.s + self.c
    }
}

/// Mean and (for n ≥ 2) the sample SD by the corrected two-pass algorithm, with compensated
/// sums: two passes over the data in all.
pub(crate) fn mean_and_sd(x: &[f64]) -> Option<(f64, Option<f64>)> {
    if x.is_empty() {
        return None;
    }
    let n = x.len() as f64;
    let m0 = sum(x.iter().copied()) / n;
    let (mut dev, mut sq) = (Acc::default(), Acc::default());
    for &v in x {
        let d = v - m0;
        dev.add(d);
        sq.add(d * d);
    }
    let c = dev.total();
    let mean = m0 + c / n;
    let sd = (x.len() >= 2).then(|| ((sq.total() - c * c / n) / (n - 1.0)).max(0.0).sqrt());
    Some((mean, sd))
}

/// Mean by two passes (the second corrects the rounding of the first); `None` when empty.
pub fn mean(x: &[f64]) -> Option<f64> {
    mean_and_sd(x).map(|(m, _)| m)
}

/// Sample standard deviation (n − 1) by the corrected two-pass algorithm; `None` when n < 2.
pub fn sd(x: &[f64]) -> Option<f64> {
    mean_and_sd(x).and_then(|(_, s)| s)
}

/// Quantile of sorted data by R's default (type 7). `sorted` must be non-empty and ascending.
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// n, mean, SD, median, quartiles (type 7), min and max.
pub fn summary(x: &[f64]) -> Summary {
    if x.is_empty() {
        return Summary { n: 0, mean: None, sd: None, median: None, q1: None, q3: None, min: None, max: None };
    }
    let mut s = x.to_vec();
    s.sort_unstable_by(f64::total_cmp);
    let (m, sd) = mean_and_sd(x).map_or((None, None), |(m, s)| (Some(m), s));
    Summary {
        n: x.len(),
        mean: m,
        sd,
        median: Some(quantile_sorted(&s, 0.5)),
        q1: Some(quantile_sorted(&s, 0.25)),
        q3: Some(quantile_sorted(&s, 0.75)),
        min: s.first().copied(),
        max: s.last().copied(),
    }
}

pub(crate) fn students_t(df: f64) -> StudentsT {
    // df > 0 is checked by every caller; the fallback is never reached with valid df.
    StudentsT::new(0.0, 1.0, df).unwrap_or_else(|_| StudentsT::new(0.0, 1.0, 1.0).expect("df 1 is valid"))
}

pub(crate) fn std_normal() -> Normal {
    Normal::new(0.0, 1.0).expect("the standard normal is valid")
}

/// Mean, SD and n of data that must have n ≥ 2 and a finite SD, or the reason they don't.
fn mean_sd_n(x: &[f64]) -> Result<(f64, f64, f64), String> {
    match mean_and_sd(x) {
        Some((m, Some(s))) => Ok((m, s, x.len() as f64)),
        _ => Err(format!("needs at least 2 values, has {}", x.len())),
    }
}

/// t-interval of the mean at confidence `level` (e.g. 0.95).
pub fn mean_ci(x: &[f64], level: f64) -> Estimable<Interval> {
    match mean_sd_n(x) {
        Err(e) => Estimable::not(e),
        Ok((m, s, n)) => {
            let q = students_t(n - 1.0).inverse_cdf(0.5 + level / 2.0);
            let h = q * s / n.sqrt();
            Estimable::Value(Interval { lower: m - h, upper: m + h })
        }
    }
}

/// One-sample t-test of differences against 0 (the paired t-test), two-sided.
pub fn paired_t(d: &[f64]) -> Estimable<TTest> {
    match mean_sd_n(d) {
        Err(e) => Estimable::not(e),
        Ok((_, 0.0, _)) => Estimable::not("all differences are equal (SD 0)"),
        Ok((m, s, n)) => {
            let t = m / (s / n.sqrt());
            let df = n - 1.0;
            let p = (2.0 * students_t(df).sf(t.abs())).min(1.0);
            Estimable::Value(TTest { t, df, p })
        }
    }
}

/// Cohen's dz: mean difference over SD of differences.
pub fn cohen_dz(d: &[f64]) -> Estimable<f64> {
    match mean_sd_n(d) {
        Err(e) => Estimable::not(e),
        Ok((_, 0.0, _)) => Estimable::not("all differences are equal (SD 0)"),
        Ok((m, s, _)) => Estimable::Value(m / s),
    }
}

/// Average ranks (1-based) of `v` and the sizes of tie groups.
pub(crate) fn average_ranks(v: &[f64]) -> (Vec<f64>, Vec<usize>) {
    // Sorting (value, index) pairs in place is much faster than sorting indices through `v`.
    let mut order: Vec<(f64, usize)> = v.iter().copied().zip(0..).collect();
    order.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let mut ranks = vec![0.0; v.len()];
    let mut ties = Vec::new();
    let mut i = 0;
    while i < order.len() {
        let mut j = i + 1;
        while j < order.len() && order[j].0 == order[i].0 {
            j += 1;
        }
        let r = (i + j + 1) as f64 / 2.0; // average of ranks i+1 ..= j
        for &(_, k) in &order[i..j] {
            ranks[k] = r;
        }
        if j - i > 1 {
            ties.push(j - i);
        }
        i = j;
    }
    (ranks, ties)
}

/// P(V ≤ v) for the signed-rank statistic with n untied, non-zero differences.
fn psignrank_lower(v: usize, n: usize) -> f64 {
    let max = n * (n + 1) / 2;
    let mut counts = vec![0.0f64; max + 1];
    counts[0] = 1.0;
    for k in 1..=n {
        for s in (k..=k * (k + 1) / 2).rev() {
            counts[s] += counts[s - k];
        }
    }
    let total = 2f64.powi(n as i32);
    sum(counts[..=v.min(max)].iter().copied()) / total
}

/// Two-sided p of a rank statistic's deviation `z0` from its mean, with variance `var`, by the normal
/// approximation with continuity correction, as R's `wilcox.test` computes it.
pub(crate) fn continuity_corrected_p(z0: f64, var: f64) -> f64 {
    // R's sign(): 0 for 0 (Rust's signum gives 1).
    let sign = if z0 > 0.0 {
        1.0
    } else if z0 < 0.0 {
        -1.0
    } else {
        0.0
    };
    let z = (z0 - 0.5 * sign) / var.sqrt();
    let nd = std_normal();
    (2.0 * nd.cdf(z).min(nd.sf(z))).min(1.0)
}

/// Wilcoxon signed-rank test of differences as R's `wilcox.test(x, y, paired = TRUE)`:
/// zeros dropped; exact p when fewer than 50 pairs remain and there are no ties and no zeros,
/// else the normal approximation with tie and continuity correction.
pub fn wilcoxon_signed_rank(d: &[f64]) -> Estimable<Wilcoxon> {
    let nz: Vec<f64> = d.iter().copied().filter(|v| *v != 0.0).collect();
    let zeros = d.len() - nz.len();
    let n = nz.len();
    if n == 0 {
        return Estimable::not(if d.is_empty() { "no pairs" } else { "all differences are zero" });
    }
    let abs: Vec<f64> = nz.iter().map(|v| v.abs()).collect();
    let (ranks, ties) = average_ranks(&abs);
    let v = sum(nz.iter().zip(&ranks).filter(|(d, _)| **d > 0.0).map(|(_, r)| *r));
    let nf = n as f64;
    let centre = nf * (nf + 1.0) / 4.0;
    if n < 50 && ties.is_empty() && zeros == 0 {
        let vi = v.round() as usize;
        let p = if v > centre {
            1.0 - if vi == 0 { 0.0 } else { psignrank_lower(vi - 1, n) }
        } else {
            psignrank_lower(vi, n)
        };
        return Estimable::Value(Wilcoxon {
            v,
            p: (2.0 * p).min(1.0),
            method: "exact".into(),
            n_nonzero: n,
            zeros,
            ties: false,
        });
    }
    let tie_term: f64 = ties.iter().map(|&t| (t * t * t - t) as f64).sum::<f64>() / 48.0;
    let var = nf * (nf + 1.0) * (2.0 * nf + 1.0) / 24.0 - tie_term;
    if var <= 0.0 {
        return Estimable::not("all differences are tied");
    }
    let p = continuity_corrected_p(v - centre, var);
    Estimable::Value(Wilcoxon {
        v,
        p,
        method: "normal approximation with continuity correction".into(),
        n_nonzero: n,
        zeros,
        ties: !ties.is_empty(),
    })
}

fn proportion_checks(k: usize, n: usize) -> Option<String> {
    if n == 0 {
        Some("no patients".into())
    } else if k > n {
        Some(format!("{k} events among {n} patients"))
    } else {
        None
    }
}

/// Wilson score interval for k of n (proportion scale).
pub fn wilson(k: usize, n: usize, level: f64) -> Estimable<Interval> {
    if let Some(e) = proportion_checks(k, n) {
        return Estimable::not(e);
    }
    let z = std_normal().inverse_cdf(0.5 + level / 2.0);
    let (kf, nf) = (k as f64, n as f64);
    let p = kf / nf;
    let z2 = z * z;
    let denom = 1.0 + z2 / nf;
    let centre = (p + z2 / (2.0 * nf)) / denom;
    let half = z / denom * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt();
    Estimable::Value(Interval { lower: (centre - half).max(0.0), upper: (centre + half).min(1.0) })
}

/// Quantile of Beta(a, b), polished by Newton steps on the regularized incomplete beta so that it
/// is accurate to near machine precision.
fn beta_quantile(a: f64, b: f64, p: f64) -> f64 {
    let dist = match Beta::new(a, b) {
        Ok(d) => d,
        Err(_) => return f64::NAN,
    };
    let mut x = dist.inverse_cdf(p);
    for _ in 0..8 {
        if !(x > 0.0 && x < 1.0) {
            break;
        }
        let f = beta_reg(a, b, x) - p;
        let dens = statrs::distribution::Continuous::pdf(&dist, x);
        if dens <= 0.0 || !dens.is_finite() {
            break;
        }
        let step = f / dens;
        let next = (x - step).clamp(x / 2.0, x + (1.0 - x) / 2.0);
        if (next - x).abs() <= 1e-16 * x {
            x = next;
            break;
        }
        x = next;
    }
    x
}

/// Clopper–Pearson ("exact") interval for k of n (proportion scale), as R's `binom.test`.
pub fn clopper_pearson(k: usize, n: usize, level: f64) -> Estimable<Interval> {
    if let Some(e) = proportion_checks(k, n) {
        return Estimable::not(e);
    }
    let alpha = 1.0 - level;
    let (kf, nf) = (k as f64, n as f64);
    let lower = if k == 0 { 0.0 } else { beta_quantile(kf, nf - kf + 1.0, alpha / 2.0) };
    let upper = if k == n { 1.0 } else { beta_quantile(kf + 1.0, nf - kf, 1.0 - alpha / 2.0) };
    Estimable::Value(Interval { lower, upper })
}

/// Rule of three: the approximate 95% upper bound 3/n of a proportion when no event was seen.
pub fn rule_of_three(n: usize) -> Option<f64> {
    (n > 0).then(|| 3.0 / n as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_type7_matches_r_on_1_to_4() {
        // R: quantile(1:4) -> 1.00 1.75 2.50 3.25 4.00
        let s = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile_sorted(&s, 0.25), 1.75);
        assert_eq!(quantile_sorted(&s, 0.5), 2.5);
        assert_eq!(quantile_sorted(&s, 0.75), 3.25);
    }

    #[test]
    fn signrank_distribution_sums_to_one() {
        for n in 1..30 {
            let max = n * (n + 1) / 2;
            assert!((psignrank_lower(max, n) - 1.0).abs() < 1e-15);
        }
        // R: psignrank(3, 5) = 0.15625
        assert!((psignrank_lower(3, 5) - 0.15625).abs() < 1e-15);
    }

    #[test]
    fn empty_and_single_values_are_not_estimable() {
        assert!(paired_t(&[]).value().is_none());
        assert!(paired_t(&[1.0]).value().is_none());
        assert!(paired_t(&[2.0, 2.0]).value().is_none());
        assert!(wilcoxon_signed_rank(&[0.0, 0.0]).value().is_none());
        assert!(wilson(0, 0, 0.95).value().is_none());
        assert_eq!(summary(&[]).mean, None);
    }
}
