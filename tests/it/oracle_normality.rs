//! `cohortcalc::stats::normality` (Shapiro–Wilk, skewness) against an independent oracle.
//!
//! Expected values: `tests/data/expected/normality.json`, written by
//! `tests/oracles/compare_oracle.py` (regenerate with `python3 tests/oracles/compare_oracle.py`):
//! W and p from R 4.2 `shapiro.test` (Royston's AS R94 in double precision; scipy's
//! implementation agrees with R only to ~3e-9 in W and ~1e-7 in p, so it is a loose cross-check
//! there), skewness G1 from the exact rational moments of the data.
//!
//! Tolerances:
//! * W: relative 1e-9. Both R and this crate evaluate the same closed-form AS R94 formulas in
//!   double precision, so they agree to ~5e-15 (summation order, last bits of the normal
//!   quantile); no case needs a wider tolerance. (p agrees to ~3e-11: statrs' normal tail.)
//! * p: absolute 1e-7.
//! * skewness: relative 1e-9 with an absolute floor of 1e-12 (symmetric data have G1 = 0).
//!
//! The inputs have at most 15 significant digits, so they parse to the same doubles everywhere.
//! `null` in the oracle must be `NotEstimable` in Rust and vice versa. Mismatches are collected
//! (case name and field) and reported together.

use crate::oracle_check::{expected, name, nums as vector, Check, Tol};
use cohortcalc::report::{Estimable, ShapiroWilk};
use cohortcalc::stats::normality::{shapiro_wilk, skewness};
use serde_json::Value;

/// W: relative 1e-9, no absolute floor.
const W: Tol = Tol { rel: 1e-9, floor: 0.0 };
/// Skewness: relative 1e-9, absolute 1e-12 near 0.
const SKEW: Tol = Tol { rel: 1e-9, floor: 1e-12 };

fn cases() -> Vec<Value> {
    expected("normality.json")["cases"].as_array().expect("normality.json has an array \"cases\"").clone()
}

fn check_shapiro(c: &mut Check, name: &str, got: &Estimable<ShapiroWilk>, want: &Value) {
    if let Some((g, w)) = c.estimable(name, "shapiro_wilk", got, want) {
        c.estimate(name, "W", g.w, &w["w"], W);
        c.p_value(name, "p", g.p, &w["p"]);
    }
}

#[test]
fn shapiro_wilk_matches_r() {
    let mut c = Check::default();
    let cases = cases();
    for case in &cases {
        let name = name(case);
        let x = vector(&case["x"], name);
        assert_eq!(x.len() as u64, case["n"].as_u64().expect("n"), "{name}: n");
        check_shapiro(&mut c, name, &shapiro_wilk(&x), &case["shapiro_wilk"]);
        // Order must not matter: the test sorts its own copy.
        let mut rev = x.clone();
        rev.reverse();
        check_shapiro(&mut c, &format!("{name} (reversed)"), &shapiro_wilk(&rev), &case["shapiro_wilk"]);
    }
    c.finish("Shapiro–Wilk", 2 * 40);
}

#[test]
fn skewness_matches_exact_moments() {
    let mut c = Check::default();
    for case in &cases() {
        let name = name(case);
        let x = vector(&case["x"], name);
        let got = skewness(&x);
        if let Some((g, w)) = c.estimable(name, "skewness", &got, &case["skewness"]) {
            c.estimate(name, "skewness", *g, w, SKEW);
        }
    }
    c.finish("skewness", 40);
}

#[test]
fn oracle_covers_the_required_range() {
    let cases = cases();
    let sizes: Vec<usize> =
        cases.iter().filter(|c| !c["shapiro_wilk"].is_null()).map(|c| c["n"].as_u64().expect("n") as usize).collect();
    assert!(sizes.len() >= 40, "only {} estimable vectors", sizes.len());
    for n in [3, 4, 5, 11, 12, 50, 5000] {
        assert!(sizes.contains(&n), "no Shapiro–Wilk case with n = {n}");
    }
}

#[test]
fn never_nan_on_awkward_inputs() {
    let awkward: [&[f64]; 7] = [
        &[],
        &[1.0],
        &[f64::NAN, 1.0, 2.0],
        &[f64::INFINITY, 1.0, 2.0],
        &[-f64::MAX, 0.0, f64::MAX],
        &[1e-300, 2e-300, 4e-300, 8e-300],
        &[0.0, 0.0, 0.0, 0.0, 1e-320],
    ];
    for x in awkward {
        if let Some(r) = shapiro_wilk(x).value() {
            assert!(r.w.is_finite() && (0.0..=1.0).contains(&r.p), "{x:?}: {r:?}");
        }
        if let Some(g) = skewness(x).value() {
            assert!(g.is_finite(), "{x:?}: skewness {g}");
        }
    }
}
