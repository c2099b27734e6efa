//! `cohortcalc::stats::compare` (tests between strata) against an independent oracle.
//!
//! Expected values: `tests/data/expected/compare.json`, written by
//! `tests/oracles/compare_oracle.py` with `compare_oracle.R` (regenerate with
//! `python3 tests/oracles/compare_oracle.py`; `--check` verifies the file is current). The
//! statistics are exact rationals / 60-digit decimals, the p-values and quantiles scipy's, and
//! every value agrees with R 4.2 (`t.test`, `wilcox.test`, `anova(lm)` / `oneway.test`,
//! `kruskal.test`, `fisher.test`, `chisq.test`, Newcombe's method 10 with `qnorm`) to ~1e-11.
//! The generator's docstring lists each convention and each not-estimable rule.
//!
//! Tolerances:
//! * estimates (differences, CI bounds, t, df, F, H, χ²): relative 1e-9, with an absolute floor
//!   of 1e-12 (1e-10 on the percent-point scale of risk differences) for values at or near 0;
//! * p-values: absolute 1e-7, and within [0, 1];
//! * integer degrees of freedom, Mann–Whitney W (a half-integer), method and test names: exact.
//!
//! `null` in the oracle must be `NotEstimable` in Rust and vice versa. All mismatches are
//! collected (function, case and field) and reported by one failing assertion.

use crate::oracle_check::{cases, expected, name, num, nums as vector, uint, Check, Tol};
use cohortcalc::report::{Estimable, Interval, MannWhitney, RiskDifference, Test, WelchT};
use cohortcalc::stats::compare::{
    anova_oneway, chi_square, fisher_exact, kruskal_wallis, mann_whitney, newcombe_difference, welch_t,
};
use serde_json::Value;

/// Estimates: relative 1e-9, absolute 1e-12 near 0.
const EST: Tol = Tol { rel: 1e-9, floor: 1e-12 };
/// Estimates on the percent-point scale of risk differences: relative 1e-9, absolute 1e-10 near 0.
const PERCENT: Tol = Tol { rel: 1e-9, floor: 1e-10 };

fn oracle() -> Value {
    expected("compare.json")
}

fn check_interval(c: &mut Check, case: &str, got: &Interval, want: &Value, tol: Tol) {
    c.estimate(case, "ci95.lower", got.lower, &want["lower"], tol);
    c.estimate(case, "ci95.upper", got.upper, &want["upper"], tol);
}

fn check_test(c: &mut Check, case: &str, got: &Test, want: &Value) {
    c.exact(case, "test", got.test.as_str(), want["test"].as_str().expect("test name"));
    c.estimate(case, "statistic", got.statistic, &want["statistic"], EST);
    c.exact(case, "df", got.df, num(&want["df"], "df"));
    c.exact(case, "df2", got.df2, want["df2"].as_f64());
    c.p_value(case, "p", got.p, &want["p"]);
}

fn check_welch(c: &mut Check, doc: &Value) {
    for case in cases(doc, "welch_t") {
        let name = format!("welch_t[{}]", name(case));
        let x = vector(&case["x"], &name);
        let y = vector(&case["y"], &name);
        let got: Estimable<WelchT> = welch_t(&x, &y, num(&case["level"], "level"));
        if let Some((g, w)) = c.case(&name, &got, &case["expected"]) {
            c.estimate(&name, "difference", g.difference, &w["difference"], EST);
            check_interval(c, &name, &g.ci95, &w["ci95"], EST);
            c.estimate(&name, "t", g.t, &w["t"], EST);
            c.estimate(&name, "df", g.df, &w["df"], EST);
            c.p_value(&name, "p", g.p, &w["p"]);
        }
    }
}

fn check_mann_whitney(c: &mut Check, doc: &Value) {
    for case in cases(doc, "mann_whitney") {
        let name = format!("mann_whitney[{}]", name(case));
        let x = vector(&case["x"], &name);
        let y = vector(&case["y"], &name);
        let got: Estimable<MannWhitney> = mann_whitney(&x, &y);
        if let Some((g, w)) = c.case(&name, &got, &case["expected"]) {
            c.exact(&name, "w", g.w, num(&w["w"], "w"));
            c.p_value(&name, "p", g.p, &w["p"]);
            c.exact(&name, "method", g.method.as_str(), w["method"].as_str().expect("method"));
        }
    }
}

fn groups(case: &Value, name: &str) -> Vec<Vec<f64>> {
    case["groups"].as_array().unwrap_or_else(|| panic!("{name}: no groups")).iter().map(|g| vector(g, name)).collect()
}

fn check_k_sample(c: &mut Check, doc: &Value, key: &str, f: fn(&[&[f64]]) -> Estimable<Test>) {
    for case in cases(doc, key) {
        let name = format!("{key}[{}]", name(case));
        let owned = groups(case, &name);
        let refs: Vec<&[f64]> = owned.iter().map(Vec::as_slice).collect();
        let got = f(&refs);
        if let Some((g, w)) = c.case(&name, &got, &case["expected"]) {
            check_test(c, &name, g, w);
        }
    }
}

fn table(v: &Value, what: &str) -> Vec<Vec<usize>> {
    v.as_array()
        .unwrap_or_else(|| panic!("{what}: table is not an array"))
        .iter()
        .map(|row| {
            row.as_array()
                .unwrap_or_else(|| panic!("{what}: row is not an array"))
                .iter()
                .map(|k| uint(k, what))
                .collect()
        })
        .collect()
}

fn check_fisher(c: &mut Check, doc: &Value) {
    for case in cases(doc, "fisher_exact") {
        let t = table(&case["table"], "fisher_exact");
        let name = format!("fisher_exact{t:?}");
        let got = fisher_exact(t[0][0], t[0][1], t[1][0], t[1][1]);
        if let Some((g, w)) = c.case(&name, &got, &case["expected"]) {
            c.p_value(&name, "p", *g, w);
        }
    }
}

fn check_newcombe(c: &mut Check, doc: &Value) {
    for case in cases(doc, "newcombe_difference") {
        let k1 = uint(&case["k1"], "k1");
        let n1 = uint(&case["n1"], "n1");
        let k2 = uint(&case["k2"], "k2");
        let n2 = uint(&case["n2"], "n2");
        let level = num(&case["level"], "level");
        let name = format!("newcombe_difference[{k1}/{n1} vs {k2}/{n2}, level {level}]");
        let got: Estimable<RiskDifference> = newcombe_difference(k1, n1, k2, n2, level);
        if let Some((g, w)) = c.case(&name, &got, &case["expected"]) {
            c.estimate(&name, "difference", g.difference, &w["difference"], PERCENT);
            check_interval(c, &name, &g.ci95, &w["ci95"], PERCENT);
        }
    }
}

fn check_chi_square(c: &mut Check, doc: &Value) {
    for case in cases(doc, "chi_square") {
        let t = table(&case["table"], "chi_square");
        let name = format!("chi_square{t:?}");
        let got = chi_square(&t);
        if let Some((g, w)) = c.case(&name, &got, &case["expected"]) {
            check_test(c, &name, g, w);
        }
    }
}

#[test]
fn compare_matches_oracle() {
    let doc = oracle();
    let mut c = Check::default();
    check_welch(&mut c, &doc);
    check_mann_whitney(&mut c, &doc);
    check_k_sample(&mut c, &doc, "anova_oneway", anova_oneway);
    check_k_sample(&mut c, &doc, "kruskal_wallis", kruskal_wallis);
    check_fisher(&mut c, &doc);
    check_newcombe(&mut c, &doc);
    check_chi_square(&mut c, &doc);
    c.finish("compare", 1);
    assert!(c.cases >= 150, "only {} cases", c.cases);
}

/// The smallest expected count of each chi-square table (tests/oracles/chi_square_expected.py,
/// exact rationals), and the note the tables give when it is below 5.
#[test]
fn chi_square_smallest_expected_count_matches_oracle() {
    let doc = expected("chi_square_min_expected.json");
    let cases = doc["cases"].as_array().expect("cases");
    let mut below_5 = 0;
    for case in cases {
        let t = table(&case["table"], "chi_square_min_expected");
        let got = chi_square(&t).value().and_then(|x| x.min_expected);
        match case["min_expected"].as_f64() {
            None => assert_eq!(got, None, "{t:?}"),
            Some(want) => {
                let got = got.unwrap_or_else(|| panic!("{t:?}: no smallest expected count"));
                assert!((got - want).abs() <= 1e-12 * want.abs().max(1.0), "{t:?}: {got} vs {want}");
                below_5 += usize::from(want < 5.0);
            }
        }
    }
    assert!(cases.len() >= 40 && below_5 >= 10, "{} cases, {below_5} below 5", cases.len());
}

#[test]
fn oracle_covers_the_required_cases() {
    let doc = oracle();
    let sizes: Vec<(usize, usize)> =
        cases(&doc, "welch_t").iter().map(|c| (vector(&c["x"], "x").len(), vector(&c["y"], "y").len())).collect();
    for n in [1, 2, 3, 10, 49, 50, 80] {
        assert!(sizes.iter().any(|&(a, b)| a == n || b == n), "no two-sample case with a group of {n}");
    }
    let ks: Vec<usize> =
        cases(&doc, "anova_oneway").iter().map(|c| c["groups"].as_array().expect("groups").len()).collect();
    for k in 2..=5 {
        assert!(ks.contains(&k), "no k-sample case with {k} groups");
    }
    let methods: Vec<&str> =
        cases(&doc, "mann_whitney").iter().filter_map(|c| c["expected"]["method"].as_str()).collect();
    assert!(methods.contains(&"exact"));
    assert!(methods.contains(&"normal approximation with continuity correction"));
    let r_by_2 = cases(&doc, "chi_square").iter().any(|c| {
        let t = table(&c["table"], "chi_square");
        t.len() > 2 && t.iter().all(|r| r.len() == 2)
    });
    assert!(r_by_2, "no r×2 chi-square table");
    let zeros = cases(&doc, "fisher_exact").iter().any(|c| table(&c["table"], "fisher_exact").concat().contains(&0));
    assert!(zeros, "no 2×2 table with a zero cell");
}
