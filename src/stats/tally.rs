//! Counting in place of sorting, for large samples of few distinct values.
//!
//! Most of what a chart review holds takes few values: pain scores 0–10, ages in years, T-scores
//! to one decimal, follow-up in whole days. For such a sample the order statistics, the rank
//! sums and the order of the rows by value follow from each distinct value's count, found in one
//! pass through a small hash table, instead of from a sort. Every figure is the one a sort would
//! give, bit for bit: distinct values are told apart by their bits and put in [`f64::total_cmp`]
//! order, the order a sort by `total_cmp` gives. A sample with more distinct values than the cap,
//! or with a NaN, is not tallied (the callers sort then).

/// Samples smaller than this are sorted: counting pays off from a few thousand values.
pub(crate) const MIN_LEN: usize = 2048;

/// The most distinct values tallied: more, and the sample is sorted instead.
pub(crate) const CAP: usize = 4096;

/// The distinct values of a sample in ascending [`f64::total_cmp`] order, with their counts.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Tally {
    pub values: Vec<f64>,
    pub counts: Vec<usize>,
}

/// A NaN's bits mark an empty slot: samples with a NaN are not tallied.
const EMPTY: u64 = u64::MAX;

#[inline]
fn slot_of(bits: u64, mask: usize) -> usize {
    // Doubles that differ only in their high bits (small whole numbers) must spread too.
    let h = (bits ^ (bits >> 29) ^ (bits >> 43)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (h >> 40) as usize & mask
}

/// The open-addressing table of a tally: keys (the values' bits) and counts.
struct Table {
    keys: Vec<u64>,
    counts: Vec<u32>,
    mask: usize,
    distinct: usize,
}

impl Table {
    fn new(cap: usize) -> Self {
        let size = (cap * 2).next_power_of_two().max(16);
        Table { keys: vec![EMPTY; size], counts: vec![0; size], mask: size - 1, distinct: 0 }
    }

    /// Counts `v`; its slot, or `None` for a NaN or when the cap is passed.
    #[inline]
    fn add(&mut self, v: f64, cap: usize) -> Option<usize> {
        if v.is_nan() {
            return None;
        }
        let bits = v.to_bits();
        let mut i = slot_of(bits, self.mask);
        loop {
            let k = self.keys[i];
            if k == bits {
                self.counts[i] += 1;
                return Some(i);
            }
            if k == EMPTY {
                if self.distinct == cap {
                    return None;
                }
                self.distinct += 1;
                self.keys[i] = bits;
                self.counts[i] = 1;
                return Some(i);
            }
            i = (i + 1) & self.mask;
        }
    }

    /// The slot of a value counted.
    fn find(&self, v: f64) -> usize {
        let bits = v.to_bits();
        let mut i = slot_of(bits, self.mask);
        while self.keys[i] != bits {
            i = (i + 1) & self.mask;
        }
        i
    }

    /// The occupied slots in ascending order of their values (the values sorted as plain numbers,
    /// as everywhere else, then found again: a sort of its own would weigh on the WebAssembly).
    fn slots_in_order(&self) -> Vec<usize> {
        let mut values: Vec<f64> = self.keys.iter().filter(|&&k| k != EMPTY).map(|&k| f64::from_bits(k)).collect();
        values.sort_unstable_by(f64::total_cmp);
        values.into_iter().map(|v| self.find(v)).collect()
    }
}

/// Whether counting is worth it for `n` values, and within the counts a table holds.
fn worth(n: usize) -> bool {
    n >= MIN_LEN && u32::try_from(n).is_ok()
}

impl Tally {
    /// The tally of `v`, or `None` when `v` is short, holds a NaN or more than `cap` distinct values.
    pub(crate) fn of(v: &[f64], cap: usize) -> Option<Tally> {
        if !worth(v.len()) {
            return None;
        }
        Tally::count(v, cap)
    }

    /// The tally of `v` whatever its length (up to `u32::MAX`), or `None` when it holds a NaN or
    /// more than `cap` distinct values.
    pub(crate) fn count(v: &[f64], cap: usize) -> Option<Tally> {
        if u32::try_from(v.len()).is_err() {
            return None;
        }
        let mut t = Table::new(cap);
        for &x in v {
            t.add(x, cap)?;
        }
        let slots = t.slots_in_order();
        Some(Tally {
            values: slots.iter().map(|&i| f64::from_bits(t.keys[i])).collect(),
            counts: slots.iter().map(|&i| t.counts[i] as usize).collect(),
        })
    }

    /// The runs of equal values (by `==`) of `sorted`, ascending by [`f64::total_cmp`]: its
    /// tally, but for −0 and +0 counted as one, and every NaN alone (no NaN equals another).
    pub(crate) fn runs(sorted: &[f64]) -> Tally {
        let mut t = Tally::default();
        for &v in sorted {
            match t.counts.last_mut() {
                Some(c) if t.values.last() == Some(&v) => *c += 1,
                _ => {
                    t.values.push(v);
                    t.counts.push(1);
                }
            }
        }
        t
    }

    /// The values a sort of the sample would put at `positions` (each below the sample's size).
    pub(crate) fn at<const N: usize>(&self, positions: &[usize; N]) -> [f64; N] {
        // The first position past each distinct value's run.
        let mut ends = Vec::with_capacity(self.counts.len());
        let mut total = 0;
        for &c in &self.counts {
            total += c;
            ends.push(total);
        }
        positions.map(|p| self.values[ends.partition_point(|&e| e <= p).min(self.values.len() - 1)])
    }
}

/// The indices of `keys` in ascending [`f64::total_cmp`] order of their keys, tied keys in index
/// order (a stable sort's order); `None` when `keys` is short (or has 2³² keys or more), holds a
/// NaN or more than `cap` distinct values.
pub(crate) fn order(keys: &[f64], cap: usize) -> Option<Vec<u32>> {
    if !worth(keys.len()) || cap > usize::from(u16::MAX) || u32::try_from(keys.len()).is_err() {
        return None;
    }
    let mut t = Table::new(cap);
    let slot: Vec<u16> = keys.iter().map(|&k| t.add(k, cap).map(|s| s as u16)).collect::<Option<_>>()?;
    // Where each slot's run starts in the order.
    let mut next = vec![0usize; t.keys.len()];
    let mut start = 0;
    for s in t.slots_in_order() {
        next[s] = start;
        start += t.counts[s] as usize;
    }
    let mut out = vec![0u32; keys.len()];
    for (i, &s) in slot.iter().enumerate() {
        let at = &mut next[usize::from(s)];
        out[*at] = i as u32;
        *at += 1;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` values drawn from `distinct` (with a NaN-free mix of signs, zeros of both signs,
    /// fractions and whole numbers).
    fn sample(n: usize, distinct: &[f64], seed: u64) -> Vec<f64> {
        crate::stats::tests::generated(n, seed, |s| distinct[(s % distinct.len() as u64) as usize])
    }

    fn sorted(v: &[f64]) -> Vec<f64> {
        let mut s = v.to_vec();
        s.sort_unstable_by(f64::total_cmp);
        s
    }

    const VALUES: [f64; 9] = [0.0, -0.0, 1.0, 2.5, -3.0, 10.0, 1e-300, 7.0, 0.1];

    /// (n, number of distinct values, seed) over sizes from the smallest counted up.
    fn cases() -> impl Iterator<Item = (usize, usize, u64)> {
        (1..60u64).map(|seed| (MIN_LEN + (seed as usize * 97) % 4000, 1 + seed as usize % VALUES.len(), seed))
    }

    #[test]
    fn order_statistics_are_a_sorts() {
        for (n, k, seed) in cases() {
            let v = sample(n, &VALUES[..k], seed);
            let t = Tally::of(&v, CAP).expect("few distinct values are tallied");
            let s = sorted(&v);
            let positions = [0, n / 4, n / 2, n / 2 + 1, n - 1];
            for (p, g) in positions.iter().zip(t.at(&positions)) {
                assert_eq!(s[*p].to_bits(), g.to_bits(), "seed {seed}, position {p}");
            }
            assert_eq!(t.counts.iter().sum::<usize>(), n);
        }
    }

    #[test]
    fn order_is_a_stable_sorts() {
        for (n, k, seed) in cases() {
            let v = sample(n, &VALUES[..k], seed);
            let mut want: Vec<u32> = (0..n as u32).collect();
            want.sort_by(|&a, &b| v[a as usize].total_cmp(&v[b as usize]));
            assert_eq!(order(&v, CAP), Some(want), "seed {seed}");
        }
    }

    #[test]
    fn declines_what_it_cannot_count() {
        let many: Vec<f64> = (0..MIN_LEN * 3).map(|i| i as f64 * 0.5).collect();
        assert_eq!(Tally::of(&many, CAP), None);
        assert_eq!(order(&many, CAP), None);
        let mut nan = sample(MIN_LEN, &VALUES, 7);
        nan[MIN_LEN / 2] = f64::NAN;
        assert_eq!(Tally::of(&nan, CAP), None);
        assert_eq!(order(&nan, CAP), None);
        assert_eq!(Tally::of(&VALUES, CAP), None, "short samples are sorted");
        // Exactly the cap is counted; one more is not.
        let capped: Vec<f64> = (0..MIN_LEN * 2).map(|i| (i % 64) as f64).collect();
        assert!(Tally::of(&capped, 64).is_some());
        assert_eq!(Tally::of(&capped, 63), None);
    }
}
