//! Pure statistics on slices: no column names, no files, no allocation beyond what a method
//! needs. Conventions follow R (quantile type 7, `t.test`, `wilcox.test`, `binom.test`).
//!
//! Architecture invariant: nothing here knows about tables, mappings or strata.

pub mod compare;
pub mod describe;
pub mod normality;
pub mod survival;
mod tally;
mod types;

use statrs::distribution::{Beta, ContinuousCDF, Normal, StudentsT};
use statrs::function::beta::beta_reg;
pub use types::{
    Estimable, Interval, KaplanMeier, KmRow, MannWhitney, RiskDifference, ShapiroWilk, Summary, TTest, Test, WelchT,
    Wilcoxon,
};

/// Sum with Neumaier compensation: exact enough for NIST's NumAcc4.
pub(crate) fn sum(x: impl IntoIterator<Item = f64>) -> f64 {
    let mut acc = Acc::default();
    for v in x {
        acc.add(v);
    }
    acc.total()
}

/// A running Neumaier-compensated sum.
#[derive(Default, Clone, Copy)]
struct Acc {
    s: f64,
    c: f64,
}

impl Acc {
    #[inline]
    fn add(&mut self, v: f64) {
        let t = self.s + v;
        // Both corrections, then a choice without a branch: which is larger in magnitude is
        // unpredictable for sums near zero (deviations from the mean), where a branch mispredicts.
        let (big_s, big_v) = ((self.s - t) + v, (v - t) + self.s);
        self.c += if self.s.abs() >= v.abs() { big_s } else { big_v };
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
    Some(corrected(x.len(), m0, dev, sq))
}

/// The mean of the `n` values that `each()` yields (the same values at every call), exactly as
/// [`mean`] gives it of them gathered in a slice: without gathering them.
pub(crate) fn mean_of<I: Iterator<Item = f64>>(each: impl Fn() -> I, n: usize) -> f64 {
    let m0 = sum(each()) / n as f64;
    let mut dev = Acc::default();
    for v in each() {
        dev.add(v - m0);
    }
    m0 + dev.total() / n as f64
}

/// The mean and SD from the first pass's mean `m0` and the second pass's sums of deviations and
/// of their squares.
fn corrected(len: usize, m0: f64, dev: Acc, sq: Acc) -> (f64, Option<f64>) {
    let n = len as f64;
    let c = dev.total();
    let mean = m0 + c / n;
    let sd = (len >= 2).then(|| ((sq.total() - c * c / n) / (n - 1.0)).max(0.0).sqrt());
    (mean, sd)
}

/// The mean and SD of a sample, computed once (by `mean_and_sd`'s two passes) for the several
/// figures that need them: the `*_with` functions give exactly what their plain versions give.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moments {
    n: usize,
    mean_sd: Option<(f64, Option<f64>)>,
}

impl Moments {
    /// The moments of `x`.
    pub fn of(x: &[f64]) -> Self {
        Moments { n: x.len(), mean_sd: mean_and_sd(x) }
    }
    /// The moments of three samples of one length (before, after and their differences), each
    /// exactly as [`Moments::of`] gives it, in one loop per pass instead of three.
    pub fn of_three(x: &[f64], y: &[f64], z: &[f64]) -> [Self; 3] {
        let len = x.len();
        if len == 0 || y.len() != len || z.len() != len {
            return [Moments::of(x), Moments::of(y), Moments::of(z)];
        }
        let mut sums = [Acc::default(); 3];
        for ((&a, &b), &c) in x.iter().zip(y).zip(z) {
            sums[0].add(a);
            sums[1].add(b);
            sums[2].add(c);
        }
        let m0 = sums.map(|s| s.total() / len as f64);
        let (mut dev, mut sq) = ([Acc::default(); 3], [Acc::default(); 3]);
        for ((&a, &b), &c) in x.iter().zip(y).zip(z) {
            for (k, v) in [a, b, c].into_iter().enumerate() {
                let d = v - m0[k];
                dev[k].add(d);
                sq[k].add(d * d);
            }
        }
        [0, 1, 2].map(|k| Moments { n: len, mean_sd: Some(corrected(len, m0[k], dev[k], sq[k])) })
    }
    /// The mean; `None` when empty.
    pub fn mean(&self) -> Option<f64> {
        self.mean_sd.map(|(m, _)| m)
    }
    /// Mean, SD and n when n ≥ 2 (with a finite SD), or the reason they are not.
    fn mean_sd_n(&self) -> Result<(f64, f64, f64), String> {
        match self.mean_sd {
            Some((m, Some(s))) => Ok((m, s, self.n as f64)),
            _ => Err(format!("needs at least 2 values, has {}", self.n)),
        }
    }
}

/// Mean by two passes (the second corrects the rounding of the first); `None` when empty.
pub fn mean(x: &[f64]) -> Option<f64> {
    mean_and_sd(x).map(|(m, _)| m)
}

/// Sample standard deviation (n − 1) by the corrected two-pass algorithm; `None` when n < 2.
pub fn sd(x: &[f64]) -> Option<f64> {
    mean_and_sd(x).and_then(|(_, s)| s)
}

/// The indices of `keys` in ascending [`f64::total_cmp`] order (tied keys in index order),
/// found by counting; `None` where counting does not pay (few keys, many distinct ones or a NaN):
/// sort then.
pub fn order_by_count(keys: &[f64]) -> Option<Vec<u32>> {
    tally::order(keys, tally::CAP)
}

/// Quantile of sorted data by R's default (type 7). `sorted` must be non-empty and ascending.
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// n, mean, SD, median, quartiles (type 7), min and max.
///
/// The order statistics come from selection, not a sort: the values a sort would put at the
/// few positions type 7 needs (see `order_statistics`), so the figures are those of
/// [`quantile_sorted`] on the sorted data, in linear time.
pub fn summary(x: &[f64]) -> Summary {
    summary_with(x, &Moments::of(x))
}

/// [`summary`] of `x` with its [`Moments`] computed already.
pub fn summary_with(x: &[f64], moments: &Moments) -> Summary {
    summary_in_place(&mut x.to_vec(), moments)
}

/// [`summary`] of `x` with its [`Moments`] computed already, without a copy: `x` is left in
/// another order (the order statistics are selected in place).
pub fn summary_in_place(x: &mut [f64], moments: &Moments) -> Summary {
    if x.is_empty() {
        return Summary { n: 0, mean: None, sd: None, median: None, q1: None, q3: None, min: None, max: None };
    }
    let n = x.len();
    let around = |p: f64| {
        let lo = ((n - 1) as f64 * p).floor() as usize;
        [lo, (lo + 1).min(n - 1)]
    };
    let (q1, q2, q3) = (around(0.25), around(0.5), around(0.75));
    let positions = [0, q1[0], q1[1], q2[0], q2[1], q3[0], q3[1], n - 1];
    let at = order_statistics(x, &positions);
    // Type 7 as `quantile_sorted`, with the two order statistics around `h` found above.
    let quantile = |p: f64, [lo, hi]: [f64; 2]| {
        let h = (n - 1) as f64 * p;
        lo + (h - h.floor()) * (hi - lo)
    };
    let (m, sd) = moments.mean_sd.map_or((None, None), |(m, s)| (Some(m), s));
    Summary {
        n,
        mean: m,
        sd,
        median: Some(quantile(0.5, [at[3], at[4]])),
        q1: Some(quantile(0.25, [at[1], at[2]])),
        q3: Some(quantile(0.75, [at[5], at[6]])),
        min: Some(at[0]),
        max: Some(at[7]),
    }
}

/// The values at `positions` (each `< v.len()`) that sorting `v` by [`f64::total_cmp`] would put
/// there, found by selection: `v` is only partly ordered afterwards.
pub(crate) fn order_statistics<const N: usize>(v: &mut [f64], positions: &[usize; N]) -> [f64; N] {
    if let Some(t) = tally::Tally::of(v, tally::CAP) {
        return t.at(positions);
    }
    let mut wanted: Vec<usize> = positions.to_vec();
    wanted.sort_unstable();
    wanted.dedup();
    select_all(v, 0, &wanted);
    positions.map(|p| v[p])
}

/// Puts the elements of `v` (the slice of the whole starting at `offset`) at the sorted
/// positions `wanted` (ascending, within the slice) in their sorted places: the middle one first,
/// then each side within its part.
fn select_all(v: &mut [f64], offset: usize, wanted: &[usize]) {
    if wanted.is_empty() || v.is_empty() {
        return;
    }
    let mid = wanted.len() / 2;
    let k = wanted[mid] - offset;
    let (left, _, right) = v.select_nth_unstable_by(k, f64::total_cmp);
    select_all(left, offset, &wanted[..mid]);
    select_all(right, offset + k + 1, &wanted[mid + 1..]);
}

pub(crate) fn students_t(df: f64) -> StudentsT {
    // df > 0 is checked by every caller; the fallback is never reached with valid df.
    StudentsT::new(0.0, 1.0, df).unwrap_or_else(|_| StudentsT::new(0.0, 1.0, 1.0).expect("df 1 is valid"))
}

pub(crate) fn std_normal() -> Normal {
    Normal::new(0.0, 1.0).expect("the standard normal is valid")
}

/// t-interval of the mean at confidence `level` (e.g. 0.95).
pub fn mean_ci(x: &[f64], level: f64) -> Estimable<Interval> {
    mean_ci_with(&Moments::of(x), level)
}

/// [`mean_ci`] from the sample's [`Moments`].
pub fn mean_ci_with(moments: &Moments, level: f64) -> Estimable<Interval> {
    match moments.mean_sd_n() {
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
    paired_t_with(&Moments::of(d))
}

/// [`paired_t`] from the differences' [`Moments`].
pub fn paired_t_with(moments: &Moments) -> Estimable<TTest> {
    match moments.mean_sd_n() {
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
    cohen_dz_with(&Moments::of(d))
}

/// [`cohen_dz`] from the differences' [`Moments`].
pub fn cohen_dz_with(moments: &Moments) -> Estimable<f64> {
    match moments.mean_sd_n() {
        Err(e) => Estimable::not(e),
        Ok((_, 0.0, _)) => Estimable::not("all differences are equal (SD 0)"),
        Ok((m, s, _)) => Estimable::Value(m / s),
    }
}

/// The sum of the average ranks (1-based) of each group's values in the pooled data, and the
/// sizes of the tie groups (in ascending order of value): what the rank tests need.
///
/// The pooled values are ranked in [`f64::total_cmp`] order, runs of values equal by `==` (to
/// the run's first) sharing their average rank. Each group is counted (few distinct values, see
/// `tally`) or sorted on its own and the groups merged, so no rank is stored per value. Average
/// ranks are multiples of ½, so the sums are exact (below 2⁵³, i.e. for fewer than about 10⁸
/// values) whatever order they are added in.
pub(crate) fn rank_sums(groups: Vec<Vec<f64>>) -> (Vec<f64>, Vec<usize>) {
    let borrowed: Vec<&[f64]> = groups.iter().map(Vec::as_slice).collect();
    match rank_sums_by_count(&borrowed) {
        Some(r) => r,
        None => rank_sums_sorted(groups),
    }
}

/// [`rank_sums`] of groups held elsewhere: copied only where they are to be sorted.
pub(crate) fn rank_sums_of(groups: &[&[f64]]) -> (Vec<f64>, Vec<usize>) {
    match rank_sums_by_count(groups) {
        Some(r) => r,
        None => rank_sums_sorted(groups.iter().map(|g| g.to_vec()).collect()),
    }
}

/// Few distinct values (scores, ages) in many: each group's counts, merged in place of its
/// values; `None` otherwise.
fn rank_sums_by_count(groups: &[&[f64]]) -> Option<(Vec<f64>, Vec<usize>)> {
    if groups.iter().map(|g| g.len()).sum::<usize>() < tally::MIN_LEN {
        return None;
    }
    let tallies: Option<Vec<tally::Tally>> = groups.iter().map(|g| tally::Tally::count(g, tally::CAP)).collect();
    tallies.map(|t| rank_sums_counted(&t))
}

/// [`rank_sums`] by sorting each group.
fn rank_sums_sorted(mut groups: Vec<Vec<f64>>) -> (Vec<f64>, Vec<usize>) {
    for g in &mut groups {
        g.sort_unstable_by(f64::total_cmp);
    }
    rank_sums_counted(&groups.iter().map(|g| tally::Tally::runs(g)).collect::<Vec<_>>())
}

/// [`rank_sums`] of groups given as their distinct values in ascending order with their counts
/// (a tally, or the runs of sorted values): the groups are merged value by value.
fn rank_sums_counted(groups: &[tally::Tally]) -> (Vec<f64>, Vec<usize>) {
    let mut head = vec![0usize; groups.len()];
    let mut in_run = vec![0usize; groups.len()];
    let mut sums = vec![0.0f64; groups.len()];
    let mut ties = Vec::new();
    // Values ranked so far.
    let mut i = 0;
    // The smallest head opens each run; every value equal to it (by `==`, so never a NaN: each
    // NaN is a run of its own) joins it: in total_cmp order those come right after it, at the heads.
    while let Some((opener, first)) = groups
        .iter()
        .zip(&head)
        .enumerate()
        .filter_map(|(g, (t, &h))| t.values.get(h).map(|&v| (g, v)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
    {
        let mut j = i;
        for (g, ((t, h), c)) in groups.iter().zip(&mut head).zip(&mut in_run).enumerate() {
            *c = 0;
            if g == opener {
                *c += t.counts[*h];
                *h += 1;
            }
            while t.values.get(*h).is_some_and(|&v| v == first) {
                *c += t.counts[*h];
                *h += 1;
            }
            j += *c;
        }
        let r = (i + j + 1) as f64 / 2.0; // average of ranks i+1 ..= j
        for (sum, &c) in sums.iter_mut().zip(&in_run) {
            if c > 0 {
                *sum += c as f64 * r;
            }
        }
        if j - i > 1 {
            ties.push(j - i);
        }
        i = j;
    }
    (sums, ties)
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
    // V: the rank sum of the positive differences among the absolute non-zero differences.
    let ((sums, ties), n) = match tally::Tally::of(d, tally::CAP) {
        // Few distinct differences (whole scores): the signs' counts from the differences' counts.
        Some(t) => {
            let (mut positive, mut negative) = (tally::Tally::default(), tally::Tally::default());
            for (&v, &c) in t.values.iter().zip(&t.counts) {
                if v > 0.0 {
                    positive.values.push(v);
                    positive.counts.push(c);
                } else if v != 0.0 {
                    negative.values.push(v.abs());
                    negative.counts.push(c);
                }
            }
            // Ascending absolute values: the negatives' order turned round.
            negative.values.reverse();
            negative.counts.reverse();
            let n = positive.counts.iter().chain(&negative.counts).sum::<usize>();
            (if n == 0 { Default::default() } else { rank_sums_counted(&[positive, negative]) }, n)
        }
        None => {
            let (mut positive, mut negative) = (Vec::new(), Vec::new());
            for &v in d {
                if v > 0.0 {
                    positive.push(v.abs());
                } else if v != 0.0 {
                    negative.push(v.abs());
                }
            }
            let n = positive.len() + negative.len();
            (if n == 0 { Default::default() } else { rank_sums(vec![positive, negative]) }, n)
        }
    };
    let zeros = d.len() - n;
    if n == 0 {
        return Estimable::not(if d.is_empty() { "no pairs" } else { "all differences are zero" });
    }
    let v = sums[0];
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

    /// The ranking the rank tests used before `rank_sums`: sort (value, index) pairs.
    fn average_ranks(v: &[f64]) -> (Vec<f64>, Vec<usize>) {
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
            let r = (i + j + 1) as f64 / 2.0;
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

    /// `n` numbers from a xorshift generator started at `seed`, each made a value by `value`:
    /// deterministic test data.
    pub(crate) fn generated(n: usize, seed: u64, mut value: impl FnMut(u64) -> f64) -> Vec<f64> {
        let mut state = seed | 1;
        (0..n)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                value(state)
            })
            .collect()
    }

    /// Deterministic test data with ties, both zeros, infinities and (if `nan`) NaNs.
    fn awkward(n: usize, seed: u64, nan: bool) -> Vec<f64> {
        generated(n, seed, |state| match state % 23 {
            0 if nan => f64::NAN,
            1 if nan => -f64::NAN,
            0 | 1 => f64::NEG_INFINITY,
            2 => -0.0,
            3 => 0.0,
            4 => f64::INFINITY,
            k if k < 14 => (state % 7) as f64 - 3.0,
            _ => (state % 100_000) as f64 / 977.0 - 40.0,
        })
    }

    #[test]
    fn mean_of_values_not_gathered_is_the_mean_of_them_gathered() {
        for seed in 0..30 {
            let groups: Vec<Vec<f64>> =
                (0..3).map(|k| awkward(50 + seed as usize * 37 * k, seed * 3 + k as u64, false)).collect();
            let all = groups.concat();
            let got = mean_of(|| groups.iter().flat_map(|g| g.iter().copied()), all.len());
            assert_eq!(got.to_bits(), mean(&all).unwrap().to_bits(), "seed {seed}");
        }
    }

    #[test]
    fn rank_sums_equal_the_sums_of_average_ranks() {
        // Small samples (sorted), large ones of few distinct values (counted, see `tally`) and
        // large ones of many (sorted).
        let large = [[2000, 1500, 0], [3000, 10, 1], [20_000, 15_000, 1]];
        for seed in 1..43u64 {
            let sizes = match seed {
                40.. => large[seed as usize - 40],
                _ => [seed as usize % 5, (seed as usize * 7) % 60, 1 + (seed as usize * 13) % 90],
            };
            let groups: Vec<Vec<f64>> = sizes.iter().zip(1..).map(|(&n, k)| awkward(n, seed * 31 + k, false)).collect();
            // (With NaNs, which of several identical NaNs gets which rank is up to the sort.)
            let pooled: Vec<f64> = groups.concat();
            let (ranks, ties) = average_ranks(&pooled);
            let (sums, got_ties) = rank_sums(groups.clone());
            assert_eq!(ties, got_ties, "seed {seed}");
            let borrowed: Vec<&[f64]> = groups.iter().map(Vec::as_slice).collect();
            assert_eq!(rank_sums_of(&borrowed), (sums.clone(), got_ties.clone()), "seed {seed}");
            let mut start = 0;
            for (g, got) in groups.iter().zip(&sums) {
                let want = sum(ranks[start..start + g.len()].iter().copied());
                assert_eq!(want.to_bits(), got.to_bits(), "seed {seed}");
                start += g.len();
            }
        }
    }

    #[test]
    fn order_statistics_equal_a_sort() {
        for seed in 1..43u64 {
            // Small samples (sorted), a large one of few distinct values (counted) and large
            // ones of many (selected); with NaNs, never counted.
            let n = [1 + (seed as usize * 37) % 300, 3000, 20_000][(seed.saturating_sub(39) as usize).min(2)];
            let x = awkward(n, seed, seed < 40 || seed == 41);
            let mut sorted = x.clone();
            sorted.sort_unstable_by(f64::total_cmp);
            let positions = [n - 1, 0, n / 2, n / 4, (n / 4 + 1).min(n - 1), n / 3, 0, (3 * n) / 4];
            let got = order_statistics(&mut x.clone(), &positions);
            for (p, g) in positions.iter().zip(got) {
                assert_eq!(sorted[*p].to_bits(), g.to_bits(), "seed {seed}, position {p}");
            }
            let finite: Vec<f64> = x.into_iter().filter(|v| v.is_finite()).collect();
            if !finite.is_empty() {
                let mut s = finite.clone();
                s.sort_unstable_by(f64::total_cmp);
                let got = summary(&finite);
                assert_eq!(got.median, Some(quantile_sorted(&s, 0.5)));
                assert_eq!(got.q1, Some(quantile_sorted(&s, 0.25)));
                assert_eq!(got.q3, Some(quantile_sorted(&s, 0.75)));
                assert_eq!((got.min, got.max), (s.first().copied(), s.last().copied()));
            }
        }
    }

    #[test]
    fn moments_of_three_are_each_ones() {
        for (n, seed) in [(0, 1), (1, 2), (2, 3), (57, 4), (3000, 5)] {
            let [x, y, z] = [awkward(n, seed, false), awkward(n, seed + 10, false), awkward(n, seed + 20, false)];
            let finite = |v: Vec<f64>| v.into_iter().map(|v| if v.is_finite() { v } else { 1.5 }).collect::<Vec<_>>();
            let (x, y, z) = (finite(x), finite(y), finite(z));
            assert_eq!(Moments::of_three(&x, &y, &z), [Moments::of(&x), Moments::of(&y), Moments::of(&z)], "n {n}");
        }
        let (x, y) = ([1.0, 2.0], [3.0]);
        assert_eq!(Moments::of_three(&x, &y, &x), [Moments::of(&x), Moments::of(&y), Moments::of(&x)]);
    }

    #[test]
    fn signed_rank_sums_of_counted_differences_are_the_ranked_ones() {
        // Large samples of few distinct differences, both zeros among them, are counted (see
        // `tally`); V is the sum of the average ranks of the positive ones among |d| ≠ 0.
        for seed in 1..8u64 {
            let d: Vec<f64> = awkward(3000 + seed as usize * 111, seed, false)
                .into_iter()
                .map(|v| if v.is_finite() { (v * 2.0).round() / 2.0 } else { 0.0 })
                .collect();
            let nonzero: Vec<f64> = d.iter().copied().filter(|&v| v != 0.0).collect();
            let (ranks, ties) = average_ranks(&nonzero.iter().map(|v| v.abs()).collect::<Vec<_>>());
            let v = sum(nonzero.iter().zip(&ranks).filter(|(d, _)| **d > 0.0).map(|(_, r)| *r));
            let Estimable::Value(w) = wilcoxon_signed_rank(&d) else { panic!("seed {seed}: not estimable") };
            assert_eq!(w.v.to_bits(), v.to_bits(), "seed {seed}");
            assert_eq!((w.n_nonzero, w.zeros, w.ties), (nonzero.len(), d.len() - nonzero.len(), !ties.is_empty()));
        }
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
