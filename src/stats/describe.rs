//! Compact, deterministic descriptions of per-patient data for charts: histograms and a bounded
//! sample of before/after pairs, so that a report of a million rows stays small.
//!
//! Architecture invariant: pure functions of slices, like the rest of `stats`; the same input
//! always gives the same output (no randomness).

use serde::{Deserialize, Serialize};

/// Most pairs kept per stratum by [`sample_pairs`] in a report.
pub const SAMPLE_PAIRS: usize = 300;

/// Most bins a histogram made here has.
pub const MAX_BINS: usize = 200;

/// Counts in equal-width bins: bin `i` spans `lo + i·width` to `lo + (i + 1)·width`.
/// Which end of a bin is closed is said by the function that made it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    /// Lower edge of the first bin.
    pub lo: f64,
    /// Width of every bin (> 0).
    pub width: f64,
    /// Values in each bin.
    pub counts: Vec<usize>,
}

impl Histogram {
    /// All values counted.
    pub fn total(&self) -> usize {
        self.counts.iter().sum()
    }

    /// Upper edge of the last bin.
    pub fn hi(&self) -> f64 {
        self.edge(self.counts.len())
    }

    /// Edge `i` (edge 0 is `lo`).
    pub fn edge(&self, i: usize) -> f64 {
        self.lo + i as f64 * self.width
    }

    /// Each bin as (lower edge, upper edge, count).
    pub fn bins(&self) -> impl Iterator<Item = (f64, f64, usize)> + '_ {
        self.counts.iter().enumerate().map(|(i, &c)| (self.edge(i), self.edge(i + 1), c))
    }

    /// Whether the histogram can be drawn: at least one bin, a positive finite width, finite edges.
    pub fn is_drawable(&self) -> bool {
        !self.counts.is_empty()
            && self.width.is_finite()
            && self.width > 0.0
            && self.lo.is_finite()
            && self.hi().is_finite()
    }
}

/// The smallest of 1, 2, 5 × 10^k that is at least `raw` (> 0).
fn nice_step(raw: f64) -> f64 {
    let p = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * p).find(|&s| s >= raw * (1.0 - 1e-12)).unwrap_or(10.0 * p)
}

fn range(x: &[f64]) -> Option<(f64, f64)> {
    let (min, max) = x.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
    (min.is_finite() && max.is_finite()).then_some((min, max))
}

/// Counts `x` in bins of `width` from `lo`; `bin` gives a value's bin index (as a float, clamped
/// here so that rounding at the outer edges cannot lose a value).
fn count(x: &[f64], lo: f64, width: f64, bin: impl Fn(f64) -> f64) -> Option<Histogram> {
    count_weighted(x, None, lo, width, bin)
}

/// As [`count`], value `i` standing for `weights[i]` values when there are weights.
fn count_weighted(
    x: &[f64],
    weights: Option<&[usize]>,
    lo: f64,
    width: f64,
    bin: impl Fn(f64) -> f64,
) -> Option<Histogram> {
    if !(lo.is_finite() && width.is_finite() && width > 0.0) {
        return None;
    }
    let mut counts: Vec<usize> = Vec::new();
    for (k, &v) in x.iter().enumerate() {
        let i = bin(v);
        let i = if i > 0.0 { (i as usize).min(MAX_BINS) } else { 0 };
        if i >= counts.len() {
            counts.resize(i + 1, 0);
        }
        counts[i] += weights.map_or(1, |w| w[k]);
    }
    Some(Histogram { lo, width, counts })
}

/// Histogram of changes (after − before). Bins are centred on multiples of the width (so "no
/// change" is the middle of a bin), left-closed, of a 1-2-5 width giving about Sturges' number of
/// bins (5 to 30). Whole numbers (e.g. VAS points) get bins of 1 when they span at most 40, else
/// a width of at least 1. `None` when `x` is empty.
pub fn change_histogram(x: &[f64]) -> Option<Histogram> {
    // Few distinct changes (whole points): each distinct value once, with its count.
    let tally = super::tally::Tally::of(x, super::tally::CAP);
    let n = x.len();
    let (x, weights) = match &tally {
        Some(t) => (t.values.as_slice(), Some(t.counts.as_slice())),
        None => (x, None),
    };
    let (min, max) = range(x)?;
    let whole = x.iter().all(|v| v.fract() == 0.0);
    let target = ((n as f64).log2().ceil() + 1.0).clamp(5.0, 30.0);
    let mut width = if max > min { nice_step((max - min) / target) } else { 1.0 };
    if whole {
        width = if max - min <= 40.0 { 1.0 } else { width.max(1.0) };
    }
    let anchor = -width / 2.0;
    let lo = anchor + ((min - anchor) / width).floor() * width;
    count_weighted(x, weights, lo, width, |v| ((v - lo) / width).floor())
}

/// Histogram of DEXA T-scores in bins of 0.5 with edges on the WHO cut-offs −1.0 and −2.5, so
/// every bin lies in one WHO category: bins are left-closed above −2.5 (Normal is T ≥ −1.0) and
/// right-closed at and below it (Osteoporosis is T ≤ −2.5). With a range too wide for
/// [`MAX_BINS`] bins of 0.5 (a data error), the width grows and only −1.0 stays an edge.
/// `None` when `t` is empty.
pub fn tscore_histogram(t: &[f64]) -> Option<Histogram> {
    const NORMAL: f64 = -1.0;
    const OSTEOPOROSIS: f64 = -2.5;
    let (min, max) = range(t)?;
    let mut width = 0.5;
    if (max - min) / width > (MAX_BINS - 1) as f64 {
        width = nice_step((max - min) / (MAX_BINS - 1) as f64);
    }
    let k = (min - NORMAL) / width;
    let lo = NORMAL + if min <= OSTEOPOROSIS { k.ceil() - 1.0 } else { k.floor() } * width;
    count(t, lo, width, |v| {
        let k = (v - lo) / width;
        if v <= OSTEOPOROSIS {
            k.ceil() - 1.0
        } else {
            k.floor()
        }
    })
}

/// At most `max` (before, after) pairs, chosen systematically in row order (every n/max-th pair,
/// starting with the first) so the same data always give the same sample. All pairs when there
/// are no more than `max`. Pairs beyond the shorter slice are ignored.
pub fn sample_pairs(before: &[f64], after: &[f64], max: usize) -> Vec<[f64; 2]> {
    let n = before.len().min(after.len());
    if n <= max {
        return before.iter().zip(after).map(|(&b, &a)| [b, a]).collect();
    }
    (0..max as u64)
        .map(|i| {
            let j = (i * n as u64 / max as u64) as usize;
            [before[j], after[j]]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_changes_fall_in_the_bins_of_the_values() {
        // Whole changes spanning at most 40 get bins of 1 whatever their number: 30 copies of a
        // sample (counted, see `tally`) fill the bins of the sample (binned value by value) 30 times.
        let sample: Vec<f64> = (0..97).map(|i| f64::from((i * 37) % 23) - 11.0).collect();
        let copies: Vec<f64> = (0..30).flat_map(|_| sample.iter().copied()).collect();
        assert!(copies.len() >= crate::stats::tally::MIN_LEN);
        let (one, many) = (change_histogram(&sample).unwrap(), change_histogram(&copies).unwrap());
        assert_eq!((one.lo, one.width), (many.lo, many.width));
        assert_eq!(many.counts, one.counts.iter().map(|c| c * 30).collect::<Vec<_>>());
    }

    #[test]
    fn nice_steps_are_1_2_5() {
        assert_eq!(nice_step(0.7), 1.0);
        assert_eq!(nice_step(1.0), 1.0);
        assert_eq!(nice_step(1.2), 2.0);
        assert_eq!(nice_step(3.0), 5.0);
        assert_eq!(nice_step(0.03), 0.05);
        assert_eq!(nice_step(60.0), 100.0);
    }

    #[test]
    fn whole_number_changes_get_bins_centred_on_whole_numbers() {
        let x = [-3.0, -3.0, -2.0, 0.0, 1.0, -5.0];
        let h = change_histogram(&x).unwrap();
        assert_eq!(h.width, 1.0);
        assert_eq!(h.lo, -5.5);
        assert_eq!(h.counts, vec![1, 0, 2, 1, 0, 1, 1]);
        assert_eq!(h.total(), x.len());
    }

    #[test]
    fn change_histogram_of_one_value_has_one_bin() {
        let h = change_histogram(&[2.5, 2.5]).unwrap();
        assert_eq!(h.counts, vec![2]);
        assert!(h.lo <= 2.5 && 2.5 < h.hi());
        assert!(change_histogram(&[]).is_none());
    }

    #[test]
    fn change_histogram_counts_every_value_of_a_wide_range() {
        let x: Vec<f64> = (0..1000).map(|i| f64::from(i) * 0.37 - 100.0).chain([1e12]).collect();
        let h = change_histogram(&x).unwrap();
        assert_eq!(h.total(), x.len());
        assert!(h.counts.len() <= MAX_BINS + 1);
        assert!(h.lo <= -100.0 && 1e12 < h.hi());
    }

    #[test]
    fn tscore_bins_keep_who_categories_apart() {
        // −1.0 is Normal, −2.5 and −3.0 Osteoporosis, −2.4 and −1.1 Osteopenia.
        let t = [-1.0, -2.5, -2.4, -1.1, -3.0, 0.0];
        let h = tscore_histogram(&t).unwrap();
        assert_eq!((h.lo, h.width), (-3.5, 0.5));
        // (−3.5, −3.0] (−3.0, −2.5] [−2.5, −2.0) … [−1.5, −1.0) [−1.0, −0.5) [−0.5, 0) [0, 0.5)
        assert_eq!(h.counts, vec![1, 1, 1, 0, 1, 1, 0, 1]);
        for (a, b, _) in h.bins() {
            let straddles = |c: f64| a < c && c < b;
            assert!(!straddles(-1.0) && !straddles(-2.5), "bin {a}..{b} straddles a cut-off");
        }
        let h = tscore_histogram(&[-0.2, 1.3]).unwrap();
        assert_eq!((h.lo, h.counts.clone()), (-0.5, vec![1, 0, 0, 1]));
        assert!(tscore_histogram(&[]).is_none());
    }

    #[test]
    fn tscore_histogram_of_a_typo_stays_bounded() {
        let h = tscore_histogram(&[-2.0, 250.0, -300.0]).unwrap();
        assert_eq!(h.total(), 3);
        assert!(h.counts.len() <= MAX_BINS + 1 && h.lo <= -300.0 && 250.0 < h.hi(), "{h:?}");
    }

    #[test]
    fn sample_is_systematic_bounded_and_deterministic() {
        let b: Vec<f64> = (0..1000).map(f64::from).collect();
        let a: Vec<f64> = b.iter().map(|v| v + 0.5).collect();
        let s = sample_pairs(&b, &a, 300);
        assert_eq!(s.len(), 300);
        assert_eq!(s[0], [0.0, 0.5]);
        assert_eq!(s[1], [3.0, 3.5]); // 1 × 1000 / 300 = 3
        assert_eq!(s[299], [996.0, 996.5]);
        assert_eq!(s, sample_pairs(&b, &a, 300));
        assert_eq!(sample_pairs(&b[..5], &a[..5], 300).len(), 5);
        assert!(sample_pairs(&[], &[], 300).is_empty());
    }
}
