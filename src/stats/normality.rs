//! Normality diagnostics: the Shapiro–Wilk test (as R's `shapiro.test`) and sample skewness.
//!
//! The Shapiro–Wilk test follows Royston's algorithm AS R94 (Royston 1995, "Remark AS R94: A
//! remark on algorithm AS 181: the W-test for normality", Applied Statistics 44:547–551), written
//! from its published description: approximate coefficients from normal scores with polynomial
//! corrections of the two extreme coefficients, W as the squared correlation between the sorted
//! data and the coefficients, and Royston's normalising transformations of W for the p-value
//! (the exact distribution for n = 3).

use super::{mean, std_normal, sum, Acc, Moments};
use super::{Estimable, ShapiroWilk};
use statrs::distribution::ContinuousCDF;

/// Smallest and largest sample sizes AS R94 supports (and R's `shapiro.test` accepts).
const SW_MIN_N: usize = 3;
const SW_MAX_N: usize = 5000;

// Royston (1995), published constants. Polynomials are in ascending powers.
/// Correction of the largest coefficient a_n, in powers of 1/sqrt(n).
const C1: [f64; 6] = [0.0, 0.221157, -0.147981, -2.07119, 4.434685, -2.706056];
/// Correction of the second largest coefficient a_{n−1}, in powers of 1/sqrt(n).
const C2: [f64; 6] = [0.0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633];
/// n ≤ 11: γ(n), the upper bound of log(1 − W), in powers of n.
const G: [f64; 2] = [-2.273, 0.459];
/// n ≤ 11: mean of −log(γ − log(1 − W)), in powers of n.
const C3: [f64; 4] = [0.544, -0.39978, 0.025054, -6.714e-4];
/// n ≤ 11: log of its standard deviation, in powers of n.
const C4: [f64; 4] = [1.3822, -0.77857, 0.062767, -0.0020322];
/// n ≥ 12: mean of log(1 − W), in powers of log n.
const C5: [f64; 4] = [-1.5861, -0.31082, -0.083751, 0.0038915];
/// n ≥ 12: log of its standard deviation, in powers of log n.
const C6: [f64; 3] = [-0.4803, -0.082676, 0.0030302];

/// c[0] + c[1]·x + c[2]·x² + … by Horner's rule.
fn poly(c: &[f64], x: f64) -> f64 {
    c.iter().rev().fold(0.0, |acc, &ci| acc * x + ci)
}

/// The upper half of the AS R94 coefficients: `a[i]` belongs to the (i+1)-th largest value
/// (and −a[i] to the (i+1)-th smallest); all are positive and the full vector has unit norm.
fn sw_coefficients(n: usize) -> Vec<f64> {
    let half = n / 2;
    if n == 3 {
        return vec![std::f64::consts::FRAC_1_SQRT_2];
    }
    let nd = std_normal();
    let nf = n as f64;
    // Blom-type normal scores m_i = Φ⁻¹((i − 3/8)/(n + 1/4)) of the largest values (positive).
    let m: Vec<f64> = (1..=half).map(|i| -nd.inverse_cdf((i as f64 - 0.375) / (nf + 0.25))).collect();
    let m_sq = 2.0 * sum(m.iter().map(|v| v * v)); // Σ over all n scores (the middle one is 0)
    let m_norm = m_sq.sqrt();
    let u = 1.0 / nf.sqrt();
    let a1 = m[0] / m_norm + poly(&C1, u);
    let mut a = Vec::with_capacity(half);
    if n > 5 {
        let a2 = m[1] / m_norm + poly(&C2, u);
        let fac = ((m_sq - 2.0 * m[0] * m[0] - 2.0 * m[1] * m[1]) / (1.0 - 2.0 * a1 * a1 - 2.0 * a2 * a2)).sqrt();
        a.push(a1);
        a.push(a2);
        a.extend(m[2..].iter().map(|v| v / fac));
    } else {
        let fac = ((m_sq - 2.0 * m[0] * m[0]) / (1.0 - 2.0 * a1 * a1)).sqrt();
        a.push(a1);
        a.extend(m[1..].iter().map(|v| v / fac));
    }
    a
}

/// Shapiro–Wilk test as R's `shapiro.test`: Royston (1995) algorithm AS R94.
///
/// Needs 3 ≤ n ≤ 5000 finite values that are not all equal; otherwise not estimable.
/// For n = 3 the p-value is exact; for 4 ≤ n ≤ 11 and n ≥ 12 it comes from Royston's
/// normalising transformations of 1 − W.
pub fn shapiro_wilk(x: &[f64]) -> Estimable<ShapiroWilk> {
    let n = x.len();
    if !(SW_MIN_N..=SW_MAX_N).contains(&n) {
        return Estimable::not(format!("the Shapiro–Wilk test needs {SW_MIN_N} to {SW_MAX_N} values, has {n}"));
    }
    if x.iter().any(|v| !v.is_finite()) {
        return Estimable::not("a value is not a finite number");
    }
    let mut s = x.to_vec();
    s.sort_unstable_by(f64::total_cmp);
    let range = s[n - 1] - s[0];
    if range == 0.0 {
        return Estimable::not("all values are equal");
    }
    if !range.is_finite() {
        return Estimable::not("the values span too wide a range");
    }

    // Coefficients for every order statistic: antisymmetric, so their mean is 0.
    let half_a = sw_coefficients(n);
    let coef = |i: usize| -> f64 {
        let j = n - 1 - i;
        if i < j {
            -half_a[i]
        } else if i > j {
            half_a[j]
        } else {
            0.0
        }
    };
    // W is the squared correlation between the coefficients and the data (scaled by the range
    // so that sums of squares cannot overflow); 1 − W is formed as (√(SaSx) − Sax)(√(SaSx) +
    // Sax)/(SaSx) to keep its relative accuracy when W is close to 1.
    let xs: Vec<f64> = s.iter().map(|v| v / range).collect();
    let a_mean = sum((0..n).map(coef)) / n as f64;
    let x_mean = mean(&xs).unwrap_or(0.0);
    let ssa = sum((0..n).map(|i| (coef(i) - a_mean).powi(2)));
    let ssx = sum(xs.iter().map(|v| (v - x_mean).powi(2)));
    let sax = sum((0..n).map(|i| (coef(i) - a_mean) * (xs[i] - x_mean)));
    if !(ssa > 0.0 && ssx > 0.0) {
        return Estimable::not("all values are equal");
    }
    let root = (ssa * ssx).sqrt();
    let w1 = ((root - sax) * (root + sax) / (ssa * ssx)).max(0.0);
    let w = 1.0 - w1;

    let p = if n == 3 {
        // Exact: P(W ≤ w) = (6/π)(asin(√w) − π/3) for w in [3/4, 1].
        let six_over_pi = 6.0 / std::f64::consts::PI;
        (six_over_pi * (w.sqrt().min(1.0).asin() - std::f64::consts::FRAC_PI_3)).clamp(0.0, 1.0)
    } else if w1 <= 0.0 {
        1.0 // a perfect fit: log(1 − W) = −∞, the upper tail is all of it
    } else {
        let nf = n as f64;
        let y = w1.ln();
        let (z, mu, sigma) = if n <= 11 {
            let gamma = poly(&G, nf);
            if y >= gamma {
                // Beyond the support of the transformation: R reports 1e-99.
                return Estimable::Value(ShapiroWilk { w, p: 1e-99 });
            }
            (-(gamma - y).ln(), poly(&C3, nf), poly(&C4, nf).exp())
        } else {
            let ln_n = nf.ln();
            (y, poly(&C5, ln_n), poly(&C6, ln_n).exp())
        };
        std_normal().sf((z - mu) / sigma)
    };
    Estimable::Value(ShapiroWilk { w, p })
}

/// Sample skewness, the adjusted Fisher–Pearson coefficient G1 = g1 · √(n(n−1))/(n−2) with
/// g1 = m3 / m2^(3/2) (biased central moments), as SPSS, Excel `SKEW` and
/// `scipy.stats.skew(bias = False)`. Not estimable for n < 3, non-finite values or SD 0.
pub fn skewness(x: &[f64]) -> Estimable<f64> {
    skewness_with(x, &Moments::of(x))
}

/// [`skewness`] of `x` with its [`Moments`] computed already.
pub fn skewness_with(x: &[f64], moments: &Moments) -> Estimable<f64> {
    let n = x.len();
    if n < 3 {
        return Estimable::not(format!("skewness needs at least 3 values, has {n}"));
    }
    if x.iter().any(|v| !v.is_finite()) {
        return Estimable::not("a value is not a finite number");
    }
    let Some(m) = moments.mean() else {
        return Estimable::not("no values");
    };
    let nf = n as f64;
    // Deviations from the rounded mean, then the exact central moments about the true mean
    // (m + c): the rounding of m matters at large offsets, where m3 is a small difference.
    // One pass, three compensated sums (each adds in the same order as a pass of its own).
    let (mut s1, mut s2, mut s3) = (Acc::default(), Acc::default(), Acc::default());
    for &v in x {
        let d = v - m;
        s1.add(d);
        s2.add(d * d);
        s3.add(d * d * d);
    }
    let (c, s2, s3) = (s1.total() / nf, s2.total() / nf, s3.total() / nf);
    let m2 = s2 - c * c;
    let m3 = s3 - 3.0 * c * s2 + 2.0 * c * c * c;
    if m2 <= 0.0 || !m2.is_finite() || !m3.is_finite() {
        return Estimable::not("all values are equal (SD 0)");
    }
    let g1 = m3 / (m2 * m2.sqrt());
    Estimable::Value(g1 * (nf * (nf - 1.0)).sqrt() / (nf - 2.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sw(x: &[f64]) -> ShapiroWilk {
        shapiro_wilk(x).value().expect("estimable").clone()
    }

    #[test]
    fn coefficients_have_unit_norm() {
        for n in [3, 4, 5, 6, 7, 11, 12, 50, 51, 5000] {
            let a = sw_coefficients(n);
            assert_eq!(a.len(), n / 2);
            let norm = 2.0 * a.iter().map(|v| v * v).sum::<f64>();
            assert!((norm - 1.0).abs() < 1e-12, "n = {n}: Σa² = {norm}");
            assert!(a.windows(2).all(|w| w[0] > w[1]), "n = {n}: not decreasing");
        }
    }

    #[test]
    fn matches_r_on_small_samples() {
        // R 4.2.2: shapiro.test(c(2.1, 3.4, 1.9, 5.6, 4.4, 3.3, 2.8, 6.1, 3.9, 4.0, 2.2))
        // W = 0.93833884247147081, p = 0.50117066650106512
        let r = sw(&[2.1, 3.4, 1.9, 5.6, 4.4, 3.3, 2.8, 6.1, 3.9, 4.0, 2.2]);
        assert!((r.w - 0.938_338_842_471_470_8).abs() < 1e-13, "{r:?}");
        assert!((r.p - 0.501_170_666_501_065_1).abs() < 1e-12, "{r:?}");
        // n = 3 is exact: equally spaced values give W = 1, p = 1.
        let r = sw(&[1.0, 2.0, 3.0]);
        assert!((r.w - 1.0).abs() < 1e-15 && (r.p - 1.0).abs() < 1e-7, "{r:?}");
    }

    #[test]
    fn degenerate_inputs_are_not_estimable() {
        assert!(shapiro_wilk(&[1.0, 2.0]).value().is_none());
        assert!(shapiro_wilk(&[4.0; 10]).value().is_none());
        assert!(shapiro_wilk(&vec![0.5; 5001]).value().is_none());
        assert!(shapiro_wilk(&[1.0, f64::NAN, 2.0]).value().is_none());
        assert!(skewness(&[1.0, 2.0]).value().is_none());
        assert!(skewness(&[3.0; 7]).value().is_none());
    }

    #[test]
    fn skewness_of_a_known_vector() {
        // scipy.stats.skew([1, 2, 3, 10], bias=False) = 1.763632614803888:
        // m2 = 12.5, m3 = 45, G1 = 45 / 12.5^1.5 · √12 / 2.
        let g = *skewness(&[1.0, 2.0, 3.0, 10.0]).value().expect("estimable");
        let g1 = 45.0 / 12.5f64.powf(1.5) * 12f64.sqrt() / 2.0;
        assert!((g - g1).abs() < 1e-14, "{g} vs {g1}");
        assert!(skewness(&[1.0, 2.0, 3.0]).value().is_some_and(|v| v.abs() < 1e-15));
    }
}
