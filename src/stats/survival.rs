//! Time to event: Kaplan–Meier, the log-rank test and exact Poisson rate intervals, with the
//! conventions of R's `survival` package (3.x) and `stats::poisson.test`.
//!
//! * Times that differ by at most √ε (absolutely, or relative to the mean absolute time) are
//!   merged first, as `survfit` and `survdiff` do by default (`timefix = TRUE`, `aeqSurv`).
//! * A Kaplan–Meier row is reported at each distinct time with an event or a censoring; at a
//!   tied time, events come before censorings (the censored are still at risk).
//! * `std_err` is the Greenwood standard error **of S** (R's `summary(fit)$std.err`); the CI uses
//!   the Greenwood SE of log S (R's `fit$std.err`), exactly as `survfit(conf.type = …)`.
//! * At S = 0 the SE of log S is infinite: R reports `std.err` NaN there and no interval. Here the
//!   row gets `std_err` 0 (the limit S·SE(log S) with S = 0, no spread left) and `ci95` None.
//! * After the last time, a report's survival is 0 where the curve ended at 0 (R's
//!   `summary(extend = TRUE)`), and none where it ended above 0 ([`survival_reported_at`]).
//! * The median and its CI follow `print.survfit` (`survmean`): the first time a curve is below
//!   0.5 + √ε; if that curve value is 0.5 (within √ε) and the curve drops further later, the
//!   midpoint of that time and the time of the next drop. The lower bound of the median's CI comes
//!   from the lower CI curve, the upper from the upper curve; rows without a CI are skipped.

use super::std_normal;
use super::{Estimable, Interval, KaplanMeier, KmRow, Test};
use statrs::distribution::{ChiSquared, Continuous, ContinuousCDF, Gamma};
use statrs::function::gamma::gamma_lr;
use std::borrow::Cow;

/// √ε: R's tolerance for tied times (`aeqSurv`) and for "S equals 0.5" (`survmean`).
const TOL: f64 = 1.490_116_119_384_765_6e-8;

/// How the Kaplan–Meier confidence interval is built (R's `conf.type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CiTransform {
    /// exp(log S ± z·se(log S)), the upper bound capped at 1 (R's default).
    Log,
    /// S^exp(±z·se(log S)/log S) (complementary log-log).
    LogLog,
}

impl CiTransform {
    /// The name stored in [`KaplanMeier::ci_transform`]: "log" or "log-log".
    pub fn name(self) -> &'static str {
        match self {
            CiTransform::Log => "log",
            CiTransform::LogLog => "log-log",
        }
    }
}

fn check_level(level: f64) -> Result<(), String> {
    if level > 0.0 && level < 1.0 {
        Ok(())
    } else {
        Err(format!("confidence level {level} is not between 0 and 1"))
    }
}

fn check_times(time: &[f64], others: usize) -> Result<(), String> {
    if time.len() != others {
        return Err(format!("{} times but {} other values: lengths differ", time.len(), others));
    }
    if time.is_empty() {
        return Err("no patients".into());
    }
    if time.iter().any(|t| !t.is_finite()) {
        return Err("a time is missing or not finite".into());
    }
    Ok(())
}

/// R's `aeqSurv`: times closer than √ε (absolutely or relative to the mean absolute distinct
/// time) are replaced by the smallest time of their run. `time` must be finite; `ascending` says
/// it is in ascending order already. Borrowed where no times are merged (no copy of a million).
fn merge_near_ties(time: &[f64], ascending: bool) -> Cow<'_, [f64]> {
    let y = if ascending {
        // Already in order (the common case: callers sort once): the distinct times in one pass.
        let mut y: Vec<f64> = Vec::new();
        for &v in time {
            if y.last() != Some(&v) {
                y.push(v);
            }
        }
        y
    } else {
        let mut y = time.to_vec();
        y.sort_unstable_by(f64::total_cmp);
        y.dedup();
        y
    };
    if y.len() < 2 {
        return Cow::Borrowed(time);
    }
    let mean_abs = super::mean(&y.iter().map(|v| v.abs()).collect::<Vec<_>>()).unwrap_or(0.0);
    let tied: Vec<bool> = y
        .windows(2)
        .map(|w| {
            let dy = w[1] - w[0];
            dy <= TOL || dy / mean_abs <= TOL
        })
        .collect();
    if !tied.iter().any(|&t| t) {
        return Cow::Borrowed(time);
    }
    let cuts: Vec<f64> =
        std::iter::once(y[0]).chain(y[1..].iter().zip(&tied).filter(|(_, &t)| !t).map(|(v, _)| *v)).collect();
    // The largest cut ≤ x (every x ≥ cuts[0]).
    let largest_cut = |i: usize| cuts[i.saturating_sub(1)];
    if ascending {
        let mut i = 0;
        return time
            .iter()
            .map(|&x| {
                while i < cuts.len() && cuts[i] <= x {
                    i += 1;
                }
                largest_cut(i)
            })
            .collect();
    }
    time.iter().map(|&x| largest_cut(cuts.partition_point(|&c| c <= x))).collect()
}

/// The indices of times in ascending time order: `None` where they are already in order.
struct Order(Option<Vec<usize>>);

impl Order {
    /// The index of the `i`-th time in order.
    #[inline]
    fn at(&self, i: usize) -> usize {
        self.0.as_ref().map_or(i, |idx| idx[i])
    }
}

/// Indices of `time` in ascending time order, and the merged times.
fn ordered(time: &[f64]) -> (Cow<'_, [f64]>, Order) {
    let ascending = time.windows(2).all(|w| w[0].total_cmp(&w[1]).is_le());
    let t = merge_near_ties(time, ascending);
    if ascending {
        // Merging near ties keeps the order; a stable sort would keep every index in place.
        return (t, Order(None));
    }
    // Sorting (time, index) pairs in place: the order of a stable sort by time, much faster.
    let mut pairs: Vec<(f64, usize)> = t.iter().copied().zip(0..).collect();
    pairs.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let idx = pairs.into_iter().map(|(_, i)| i).collect();
    (t, Order(Some(idx)))
}

/// The CI of S at one row, or `None` where R's is NA.
fn km_ci(s: f64, se_log: f64, z: f64, transform: CiTransform) -> Option<Interval> {
    if !se_log.is_finite() {
        return None;
    }
    let i = match transform {
        CiTransform::Log => {
            if s <= 0.0 {
                return None;
            }
            let h = z * se_log;
            Interval { lower: (s.ln() - h).exp(), upper: (s.ln() + h).exp().min(1.0) }
        }
        CiTransform::LogLog => {
            if s <= 0.0 || s >= 1.0 {
                return None;
            }
            let h = z * se_log / s.ln();
            let c = (-s.ln()).ln();
            Interval { lower: (-(c - h).exp()).exp(), upper: (-(c + h).exp()).exp() }
        }
    };
    (i.lower.is_finite() && i.upper.is_finite()).then_some(i)
}

/// `survmean`'s `minmin`: the time a step curve first falls below 0.5 (within √ε), with the
/// midpoint rule when it sits at exactly 0.5. Points without a value are skipped.
fn curve_median(points: impl Iterator<Item = (f64, Option<f64>)>) -> Option<f64> {
    let kept: Vec<(f64, f64)> = points.filter_map(|(x, y)| y.map(|y| (x, y))).filter(|&(_, y)| y < 0.5 + TOL).collect();
    let &(x1, y1) = kept.first()?;
    if (y1 - 0.5).abs() < TOL {
        if let Some(&(x2, _)) = kept.iter().find(|&&(_, y)| y < y1) {
            return Some((x1 + x2) / 2.0);
        }
    }
    Some(x1)
}

/// Kaplan–Meier with Greenwood SE and a CI at `level` as R `survfit(conf.type = "log" | "log-log")`.
pub fn kaplan_meier(time: &[f64], event: &[bool], level: f64, transform: CiTransform) -> Estimable<KaplanMeier> {
    if let Err(e) = check_times(time, event.len()).and_then(|_| check_level(level)) {
        return Estimable::not(e);
    }
    let z = std_normal().inverse_cdf(1.0 - (1.0 - level) / 2.0);
    let (t, order) = ordered(time);
    let n = t.len();
    let mut table = Vec::new();
    let mut at_risk = t.len();
    let (mut s, mut greenwood) = (1.0f64, 0.0f64);
    let mut i = 0;
    while i < n {
        let now = t[order.at(i)];
        let (mut d, mut c) = (0usize, 0usize);
        while i < n && t[order.at(i)] == now {
            if event[order.at(i)] {
                d += 1;
            } else {
                c += 1;
            }
            i += 1;
        }
        if d > 0 {
            let (n, dd) = (at_risk as f64, d as f64);
            s *= (n - dd) / n;
            greenwood = if d == at_risk { f64::INFINITY } else { greenwood + dd / (n * (n - dd)) };
        }
        let se_log = greenwood.sqrt();
        let std_err = if s > 0.0 { s * se_log } else { 0.0 };
        table.push(KmRow {
            time: now,
            at_risk,
            events: d,
            censored: c,
            survival: s,
            std_err,
            ci95: km_ci(s, se_log, z, transform),
        });
        at_risk -= d + c;
    }
    let median = curve_median(table.iter().map(|r| (r.time, Some(r.survival))));
    let lower = curve_median(table.iter().map(|r| (r.time, r.ci95.map(|c| c.lower))));
    let upper = curve_median(table.iter().map(|r| (r.time, r.ci95.map(|c| c.upper))));
    Estimable::Value(KaplanMeier { ci_transform: transform.name().into(), table, median, median_ci95: (lower, upper) })
}

/// Survival and its CI at time `t`, as R's `summary(fit, times = t, extend = FALSE)`: the row at
/// the last time ≤ t; before the first time S = 1 with the interval (1, 1); `None` after the
/// last observed time (event or censoring) or for a non-finite `t`.
///
/// A report gives [`survival_reported_at`], which is 0 after a curve ended at 0.
///
/// One R quirk is not copied: when the first time is ≤ 0 (no row is prepended at time 0), R's
/// `summary` answers a `t` before it with that first row; here it is S = 1.
pub fn survival_at(km: &KaplanMeier, t: f64) -> Option<(f64, Option<Interval>)> {
    let last = km.table.last()?;
    if !t.is_finite() || t > last.time {
        return None;
    }
    match km.table.partition_point(|r| r.time <= t) {
        0 => Some((1.0, Some(Interval { lower: 1.0, upper: 1.0 }))),
        i => {
            let r = &km.table[i - 1];
            Some((r.survival, r.ci95))
        }
    }
}

/// Survival and its CI at time `t` as a report gives it: [`survival_at`] up to the last observed
/// time, and after it 0 (no interval) where the curve ended at 0 — the last patients at risk had
/// the event, so nobody is left event-free, as R's `summary(fit, times = t, extend = TRUE)` gives
/// (`surv` 0, `std.err` NaN, no CI).
///
/// After a last time with S > 0 (the last patients at risk were censored, or some of them) it is
/// `None`, as [`survival_at`]: R with `extend = TRUE` carries the last S and its CI on for ever,
/// but nobody was followed that long and the curve says nothing there.
pub fn survival_reported_at(km: &KaplanMeier, t: f64) -> Option<(f64, Option<Interval>)> {
    match km.table.last() {
        Some(last) if t.is_finite() && t > last.time && last.survival == 0.0 => Some((0.0, None)),
        _ => survival_at(km, t),
    }
}

/// Solves the symmetric system `a x = b` by Gauss–Jordan with partial pivoting; `None` when `a`
/// is singular to working precision (reciprocal 1-norm condition number below ε, as R's `solve`).
fn solve(mut a: Vec<Vec<f64>>, b: &[f64]) -> Option<Vec<f64>> {
    let m = b.len();
    let norm_a = (0..m).map(|j| a.iter().map(|r| r[j].abs()).sum::<f64>()).fold(0.0, f64::max);
    // Augment with the identity to get the inverse (needed for the condition number).
    let mut inv: Vec<Vec<f64>> = (0..m).map(|i| (0..m).map(|j| f64::from(u8::from(i == j))).collect()).collect();
    for col in 0..m {
        let p = (col..m).max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs()))?;
        if a[p][col] == 0.0 || !a[p][col].is_finite() {
            return None;
        }
        a.swap(col, p);
        inv.swap(col, p);
        let piv = a[col][col];
        for j in 0..m {
            a[col][j] /= piv;
            inv[col][j] /= piv;
        }
        for r in 0..m {
            if r != col {
                let f = a[r][col];
                if f != 0.0 {
                    for j in 0..m {
                        a[r][j] -= f * a[col][j];
                        inv[r][j] -= f * inv[col][j];
                    }
                }
            }
        }
    }
    let norm_inv = (0..m).map(|j| inv.iter().map(|r| r[j].abs()).sum::<f64>()).fold(0.0, f64::max);
    let rcond = 1.0 / (norm_a * norm_inv);
    if rcond.is_nan() || rcond < f64::EPSILON {
        return None;
    }
    Some(inv.iter().map(|r| super::sum(r.iter().zip(b).map(|(x, y)| x * y))).collect())
}

/// Log-rank test across groups (`group[i]` is a 0-based group index), as R `survdiff` (rho = 0).
/// Groups with no expected events (nobody at risk at any event time) are left out of the
/// statistic and the degrees of freedom, as R does.
pub fn logrank(time: &[f64], event: &[bool], group: &[u32]) -> Estimable<Test> {
    if let Err(e) = check_times(time, event.len()) {
        return Estimable::not(e);
    }
    if group.len() != time.len() {
        return Estimable::not(format!("{} times but {} group labels: lengths differ", time.len(), group.len()));
    }
    // The distinct labels, ascending (groups are few: kept sorted as they are met).
    let mut labels: Vec<u32> = Vec::new();
    let mut last = None;
    for &x in group {
        if last != Some(x) {
            if let Err(i) = labels.binary_search(&x) {
                if labels.len() == 64 {
                    // Many groups after all: sort them.
                    labels = group.to_vec();
                    labels.sort_unstable();
                    labels.dedup();
                    break;
                }
                labels.insert(i, x);
            }
            last = Some(x);
        }
    }
    let k = labels.len();
    if k < 2 {
        return Estimable::not("needs at least 2 groups");
    }
    // Each time's group as its index among the labels (fewer than 2³² labels: they are `u32`s).
    let g: Vec<u32> = group.iter().map(|x| labels.partition_point(|l| l < x) as u32).collect();
    let (t, order) = ordered(time);
    let n = t.len();
    let mut risk = vec![0usize; k];
    for &gi in &g {
        risk[gi as usize] += 1;
    }
    let mut observed = vec![0.0f64; k];
    let mut expected = vec![0.0f64; k];
    let mut var = vec![vec![0.0f64; k]; k];
    let mut deaths = vec![0usize; k];
    let mut i = 0;
    while i < n {
        let now = t[order.at(i)];
        let start = i;
        deaths.iter_mut().for_each(|d| *d = 0);
        while i < n && t[order.at(i)] == now {
            if event[order.at(i)] {
                deaths[g[order.at(i)] as usize] += 1;
            }
            i += 1;
        }
        let d: usize = deaths.iter().sum();
        if d > 0 {
            let n: usize = risk.iter().sum();
            let (nf, df) = (n as f64, d as f64);
            for j in 0..k {
                observed[j] += deaths[j] as f64;
                expected[j] += df * risk[j] as f64 / nf;
            }
            if n > 1 {
                let f = df * (nf - df) / (nf * nf * (nf - 1.0));
                for a in 0..k {
                    let ra = risk[a] as f64;
                    var[a][a] += f * ra * (nf - ra);
                    for b in 0..k {
                        if b != a {
                            var[a][b] -= f * ra * risk[b] as f64;
                        }
                    }
                }
            }
        }
        for p in (start..i).map(|j| order.at(j)) {
            risk[g[p] as usize] -= 1;
        }
    }
    let kept: Vec<usize> = (0..k).filter(|&j| expected[j] > 0.0).collect();
    if kept.len() < 2 {
        return Estimable::not("fewer than 2 groups have anyone at risk at an event time");
    }
    let rest = &kept[1..];
    let oe: Vec<f64> = rest.iter().map(|&j| observed[j] - expected[j]).collect();
    let v: Vec<Vec<f64>> = rest.iter().map(|&a| rest.iter().map(|&b| var[a][b]).collect()).collect();
    let Some(x) = solve(v, &oe) else {
        return Estimable::not("the variance matrix is singular");
    };
    let chisq = super::sum(x.iter().zip(&oe).map(|(a, b)| a * b)).max(0.0);
    let df = (kept.len() - 1) as f64;
    let p = match ChiSquared::new(df) {
        Ok(d) => d.sf(chisq),
        Err(_) => return Estimable::not("invalid degrees of freedom"),
    };
    if !chisq.is_finite() || !p.is_finite() {
        return Estimable::not("the statistic is not finite");
    }
    Estimable::Value(Test {
        test: "log-rank".into(),
        statistic: chisq,
        df,
        df2: None,
        p: p.clamp(0.0, 1.0),
        min_expected: None,
    })
}

/// Quantile of Gamma(shape, rate 1), polished by Newton steps on the regularized incomplete gamma
/// so that it is accurate to near machine precision.
fn gamma_quantile(shape: f64, p: f64) -> Option<f64> {
    let dist = Gamma::new(shape, 1.0).ok()?;
    let mut x = dist.inverse_cdf(p);
    for _ in 0..8 {
        if !(x > 0.0 && x.is_finite()) {
            break;
        }
        let f = gamma_lr(shape, x) - p;
        let dens = dist.pdf(x);
        if dens <= 0.0 || !dens.is_finite() {
            break;
        }
        let next = (x - f / dens).max(x / 2.0);
        if (next - x).abs() <= 1e-16 * x {
            x = next;
            break;
        }
        x = next;
    }
    (x.is_finite() && x > 0.0).then_some(x)
}

/// Exact (Garwood) CI of a Poisson rate `events / person_time`, as R
/// `poisson.test(events, person_time, conf.level = level)$conf.int`:
/// lower = qgamma(α/2, events) / T (0 without events), upper = qgamma(1 − α/2, events + 1) / T.
pub fn poisson_rate_ci(events: usize, person_time: f64, level: f64) -> Estimable<Interval> {
    if let Err(e) = check_level(level) {
        return Estimable::not(e);
    }
    if !(person_time > 0.0 && person_time.is_finite()) {
        return Estimable::not(format!("person-time {person_time} is not a positive number"));
    }
    let alpha = (1.0 - level) / 2.0;
    let lower = if events == 0 { Some(0.0) } else { gamma_quantile(events as f64, alpha) };
    let upper = gamma_quantile(events as f64 + 1.0, 1.0 - alpha);
    match (lower, upper) {
        (Some(l), Some(u)) if (l / person_time).is_finite() && (u / person_time).is_finite() => {
            Estimable::Value(Interval { lower: l / person_time, upper: u / person_time })
        }
        _ => Estimable::not("the gamma quantile could not be computed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn km(time: &[f64], event: &[bool]) -> KaplanMeier {
        kaplan_meier(time, event, 0.95, CiTransform::Log).value().expect("estimable").clone()
    }

    #[test]
    fn empty_or_mismatched_input_is_not_estimable() {
        assert!(kaplan_meier(&[], &[], 0.95, CiTransform::Log).value().is_none());
        assert!(kaplan_meier(&[1.0], &[], 0.95, CiTransform::Log).value().is_none());
        assert!(kaplan_meier(&[f64::NAN], &[true], 0.95, CiTransform::Log).value().is_none());
        assert!(kaplan_meier(&[1.0], &[true], 1.0, CiTransform::Log).value().is_none());
        assert!(logrank(&[], &[], &[]).value().is_none());
        assert!(logrank(&[1.0, 2.0], &[true, true], &[0, 0]).value().is_none());
        assert!(logrank(&[1.0, 2.0], &[true, true], &[0]).value().is_none());
        assert!(poisson_rate_ci(1, 0.0, 0.95).value().is_none());
        assert!(poisson_rate_ci(1, f64::INFINITY, 0.95).value().is_none());
        assert!(poisson_rate_ci(1, 1.0, f64::NAN).value().is_none());
    }

    #[test]
    fn all_censored_has_no_median_and_survival_one() {
        let k = km(&[3.0, 4.0, 4.0], &[false, false, false]);
        assert_eq!(k.median, None);
        assert_eq!(k.median_ci95, (None, None));
        assert!(k.table.iter().all(|r| r.survival == 1.0 && r.std_err == 0.0));
        assert_eq!(survival_at(&k, 1.0).map(|a| a.0), Some(1.0));
        assert_eq!(survival_at(&k, 4.5), None);
        assert_eq!(survival_reported_at(&k, 4.5), None);
        let ll = kaplan_meier(&[3.0], &[false], 0.95, CiTransform::LogLog);
        assert_eq!(ll.value().map(|k| k.table[0].ci95), Some(None));
        assert!(logrank(&[1.0, 2.0, 3.0], &[false; 3], &[0, 1, 1]).value().is_none());
    }

    #[test]
    fn every_patient_an_event_ends_at_zero_without_ci() {
        for tr in [CiTransform::Log, CiTransform::LogLog] {
            let k = kaplan_meier(&[1.0, 2.0, 2.0, 5.0], &[true; 4], 0.95, tr);
            let k = k.value().expect("estimable");
            let last = k.table.last().expect("rows");
            assert_eq!(last.survival, 0.0);
            assert_eq!(last.std_err, 0.0);
            assert_eq!(last.ci95, None);
            assert_eq!(k.median, Some(2.0));
            assert_eq!(survival_at(k, 5.0), Some((0.0, None)));
            assert_eq!(survival_at(k, 5.5), None);
            // After the last death nobody is event-free (R: summary(extend = TRUE)).
            assert_eq!(survival_reported_at(k, 5.5), Some((0.0, None)));
            assert_eq!(survival_reported_at(k, 1e9), Some((0.0, None)));
            assert_eq!(survival_reported_at(k, f64::INFINITY), None);
            assert_eq!(survival_reported_at(k, 5.0), survival_at(k, 5.0));
            assert_eq!(survival_reported_at(k, 1.5), survival_at(k, 1.5));
        }
    }

    #[test]
    fn a_single_patient() {
        let k = km(&[7.0], &[true]);
        assert_eq!(k.table.len(), 1);
        assert_eq!((k.table[0].at_risk, k.table[0].events), (1, 1));
        assert_eq!(k.median, Some(7.0));
        // The only row has S = 0 and no CI, so neither curve reaches 0.5 (R: NA, NA).
        assert_eq!(k.median_ci95, (None, None));
    }

    #[test]
    fn events_precede_censorings_and_half_takes_the_midpoint() {
        // 4 patients: event at 1, censored at 2, event at 3 and 5 (tied censoring at 3).
        let k = km(&[1.0, 2.0, 3.0, 3.0, 5.0, 6.0], &[true, false, true, false, true, true]);
        assert_eq!(k.table[2].time, 3.0);
        assert_eq!((k.table[2].at_risk, k.table[2].events, k.table[2].censored), (4, 1, 1));
        // S = 5/6 · 3/4 = 0.625, then at 5: · 1/2 = 0.3125: no exact 0.5.
        assert_eq!(k.median, Some(5.0));
        let half = km(&[1.0, 2.0, 3.0, 4.0], &[true, true, true, true]);
        assert_eq!(half.median, Some(2.5));
        // Flat at 0.5 to the end: the time it reached 0.5 (print.survfit).
        let flat = km(&[1.0, 2.0, 3.0, 4.0], &[true, true, false, false]);
        assert_eq!(flat.median, Some(2.0));
    }

    #[test]
    fn near_tied_times_are_merged_like_aeqsurv() {
        let k = km(&[1.0, 1.0 + 1e-12, 2.0], &[true, true, false]);
        assert_eq!(k.table.len(), 2);
        assert_eq!(k.table[0].events, 2);
    }

    #[test]
    fn poisson_zero_events_has_lower_zero() {
        let i = *poisson_rate_ci(0, 10.0, 0.95).value().expect("estimable");
        assert_eq!(i.lower, 0.0);
        // qgamma(0.975, 1) = -ln(0.025)
        assert!((i.upper - (-(0.025f64).ln()) / 10.0).abs() < 1e-15);
    }
}
