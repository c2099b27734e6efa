//! `cohortcalc::stats::survival` against R's survival package.
//!
//! The expected values come from `tests/oracles/survival_oracle.py`, which runs
//! `tests/oracles/survival_oracle.R` (R 4.2.2, survival 3.5-3; numbers cross the boundary as hex
//! floats) and cross-checks against lifelines 0.30.3 and scipy, stored in
//! `tests/data/expected/survival.json`. Regenerate with `python3 tests/oracles/survival_oracle.py`.
//!
//! Tolerances:
//! * estimates (times, survival, SE, CI bounds, medians, χ², Poisson bounds): relative 1e-9, with
//!   an absolute floor of 1e-15 for values near zero;
//! * p-values: absolute 1e-7;
//! * counts (rows, at risk, events, censored, df) and the presence of every optional value
//!   (`null` ↔ `None` / not estimable): exact.
//!
//! One deliberate difference: at S = 0 R's `summary()$std.err` is NaN (0 · ∞); cohortcalc reports
//! 0 there. The oracle stores `null`, and the test requires 0 with S = 0.
//! Another: after a last time with S > 0, R's `summary(extend = TRUE)` carries S on; cohortcalc
//! reports nothing there (beyond follow-up). After a curve that ended at 0, both give 0.
//!
//! Every test collects all mismatches (case, transform and field) and fails once listing them.

use crate::oracle_check::{bools, cases, expected, name, num, nums, reason, uint, Check, Tol};
use cohortcalc::report::{round, Estimable, Interval, KaplanMeier};
use cohortcalc::stats::survival::{
    kaplan_meier, logrank, poisson_rate_ci, survival_at, survival_reported_at, CiTransform,
};
use serde_json::Value;

/// Estimates: relative 1e-9, absolute 1e-15 near 0.
const EST: Tol = Tol { rel: 1e-9, floor: 1e-15 };

fn oracle() -> Value {
    expected("survival.json")
}

/// An optional interval: `lower`/`upper` both null ↔ `None`.
fn interval(c: &mut Check, case: &str, field: &str, got: Option<Interval>, lower: &Value, upper: &Value) {
    c.optional(case, &format!("{field}.lower"), got.map(|i| i.lower), lower, EST);
    c.optional(case, &format!("{field}.upper"), got.map(|i| i.upper), upper, EST);
}

const TRANSFORMS: [(CiTransform, &str); 2] = [(CiTransform::Log, "log"), (CiTransform::LogLog, "log-log")];

fn check_km(c: &mut Check, case: &str, km: &KaplanMeier, want: &Value, query: &[f64]) {
    let col = |f: &str| want[f].as_array().unwrap_or_else(|| panic!("{case}: oracle has no column {f}"));
    let times = nums(&want["time"], "time");
    c.exact(case, "rows", km.table.len(), times.len());
    for (i, row) in km.table.iter().enumerate().take(times.len()) {
        let f = |name: &str| format!("row {i} (t = {}) {name}", times[i]);
        c.close(case, &f("time"), row.time, times[i], EST);
        c.exact(case, &f("at_risk"), row.at_risk, uint(&col("n_risk")[i], "n_risk"));
        c.exact(case, &f("events"), row.events, uint(&col("n_event")[i], "n_event"));
        c.exact(case, &f("censored"), row.censored, uint(&col("n_censor")[i], "n_censor"));
        c.estimate(case, &f("survival"), row.survival, &col("surv")[i], EST);
        let se = &col("std_err")[i];
        if se.is_null() {
            // R: NaN at S = 0; cohortcalc: 0.
            c.exact(case, &f("std_err at S = 0"), (row.survival, row.std_err), (0.0, 0.0));
        } else {
            c.estimate(case, &f("std_err"), row.std_err, se, EST);
        }
        interval(c, case, &f("ci95"), row.ci95, &col("lower")[i], &col("upper")[i]);
    }
    c.optional(case, "median", km.median, &want["median"], EST);
    c.optional(case, "median_ci95.lower", km.median_ci95.0, &want["median_lower"], EST);
    c.optional(case, "median_ci95.upper", km.median_ci95.1, &want["median_upper"], EST);
    let at = want["at"].as_array().unwrap_or_else(|| panic!("{case}: oracle has no survival-at list"));
    c.exact(case, "query count", at.len(), query.len());
    for (w, &t) in at.iter().zip(query) {
        c.estimate(case, "query time", t, &w["t"], EST);
        let got = survival_at(km, t);
        let field = format!("survival_at({t})");
        c.optional(case, &field, got.map(|g| g.0), &w["surv"], EST);
        interval(c, case, &format!("{field}.ci95"), got.and_then(|g| g.1), &w["lower"], &w["upper"]);
    }
}

#[test]
fn kaplan_meier_matches_r_survfit() {
    let doc = oracle();
    let mut c = Check::default();
    for case in cases(&doc, "km") {
        let n = name(case).to_string();
        let time = nums(&case["time"], "time");
        let event = bools(&case["event"], "event");
        let level = num(&case["level"], "level");
        let query = nums(&case["query"], "query");
        for (tr, key) in TRANSFORMS {
            let label = format!("{n} [{key}]");
            match kaplan_meier(&time, &event, level, tr) {
                Estimable::Value(km) => {
                    c.exact(&label, "ci_transform", km.ci_transform.as_str(), key);
                    check_km(&mut c, &label, &km, &case[key], &query);
                }
                e => {
                    c.count += 1;
                    c.fail(&label, "kaplan_meier", format!("not estimable: {}", reason(&e)));
                }
            }
        }
    }
    c.finish("Kaplan–Meier", 1);
}

/// The survival a report gives at each query time against R's `summary(fit, times, extend =
/// TRUE)`: the same within the data and, after a curve that ended at 0, 0 without a CI (R's
/// `std.err` NaN and CI NA); after a last time with S > 0, where R carries the last S and its CI
/// on, none (beyond follow-up) — the one deliberate difference, and the test checks that R's
/// answer there is indeed the last S.
#[test]
fn survival_reported_after_the_last_time_matches_r_summary_extend() {
    let doc = oracle();
    let mut c = Check::default();
    let mut after_zero = 0;
    for case in cases(&doc, "km") {
        let n = name(case).to_string();
        let time = nums(&case["time"], "time");
        let event = bools(&case["event"], "event");
        let query = nums(&case["query"], "query");
        for (tr, key) in TRANSFORMS {
            let label = format!("{n} [{key}]");
            let Estimable::Value(km) = kaplan_meier(&time, &event, num(&case["level"], "level"), tr) else {
                c.count += 1;
                c.fail(&label, "kaplan_meier", "not estimable".into());
                continue;
            };
            let want = case[key]["at_extend"].as_array().unwrap_or_else(|| panic!("{label}: no at_extend"));
            c.exact(&label, "query count", want.len(), query.len());
            let last = km.table.last().expect("rows");
            for (w, &t) in want.iter().zip(&query) {
                c.estimate(&label, "query time", t, &w["t"], EST);
                let field = format!("survival_reported_at({t})");
                let got = survival_reported_at(&km, t);
                if t > last.time && last.survival > 0.0 {
                    // R carries the last S on; cohortcalc reports nothing beyond follow-up.
                    c.exact(&label, &field, got, None);
                    c.estimate(&label, &format!("R's carried {field}"), last.survival, &w["surv"], EST);
                    continue;
                }
                if t > last.time {
                    after_zero += 1;
                    // R: S = 0, std.err NaN, no CI, nobody at risk.
                    c.exact(
                        &label,
                        &format!("{field}: R's std.err and n.risk"),
                        (w["std_err"].is_null(), uint(&w["n_risk"], "n_risk")),
                        (true, 0),
                    );
                }
                c.optional(&label, &field, got.map(|g| g.0), &w["surv"], EST);
                interval(&mut c, &label, &format!("{field}.ci95"), got.and_then(|g| g.1), &w["lower"], &w["upper"]);
            }
        }
    }
    // The cases where a curve ends at 0 and is asked after it: the figure this test is about.
    assert!(after_zero >= 20, "only {after_zero} query times after a curve ended at 0");
    c.finish("survival after the last time", 1);
}

#[test]
fn logrank_matches_r_survdiff() {
    let doc = oracle();
    let mut c = Check::default();
    for case in cases(&doc, "logrank") {
        let n = name(case).to_string();
        let time = nums(&case["time"], "time");
        let event = bools(&case["event"], "event");
        let group: Vec<u32> =
            case["group"].as_array().expect("group array").iter().map(|g| uint(g, "group") as u32).collect();
        let got = logrank(&time, &event, &group);
        match (got.value(), case["chisq"].is_null()) {
            (Some(t), false) => {
                c.exact(&n, "test", t.test.as_str(), "log-rank");
                c.estimate(&n, "chisq", t.statistic, &case["chisq"], EST);
                c.exact(&n, "df", t.df, num(&case["df"], "df"));
                c.exact(&n, "df2", t.df2, None);
                c.p_value(&n, "p", t.p, &case["p"]);
            }
            (None, true) => c.count += 1,
            (Some(t), true) => {
                c.count += 1;
                c.fail(&n, "logrank", format!("want not estimable ({}), got {t:?}", case["r_says"]));
            }
            (None, false) => {
                c.count += 1;
                c.fail(&n, "logrank", format!("want a test, got not estimable ({})", reason(&got)));
            }
        }
    }
    c.finish("log-rank", 1);
}

#[test]
fn poisson_rate_ci_matches_r_poisson_test() {
    let doc = oracle();
    let mut c = Check::default();
    for case in cases(&doc, "poisson") {
        let n = name(case).to_string();
        let got = poisson_rate_ci(
            uint(&case["events"], "events"),
            num(&case["person_time"], "person_time"),
            num(&case["level"], "level"),
        );
        match got.value() {
            Some(i) => {
                c.estimate(&n, "lower", i.lower, &case["lower"], EST);
                c.estimate(&n, "upper", i.upper, &case["upper"], EST);
            }
            None => {
                c.count += 1;
                c.fail(&n, "poisson_rate_ci", format!("not estimable: {}", reason(&got)));
            }
        }
    }
    c.finish("Poisson rate CI", 1);
}

/// The figures printed in the literature, as a person reads them off R's output.
#[test]
fn published_lung_aml_ovarian_figures() {
    let doc = oracle();
    let mut c = Check::default();
    let km_case = cases(&doc, "km").iter().find(|k| k["name"] == "lung").expect("lung KM case");
    let km = kaplan_meier(&nums(&km_case["time"], "time"), &bools(&km_case["event"], "event"), 0.95, CiTransform::Log);
    let km = km.value().expect("lung KM is estimable");
    c.exact("lung", "median", km.median, Some(310.0));
    c.exact("lung", "median 95% CI", km.median_ci95, (Some(285.0), Some(363.0)));
    for (case, chisq, p, p_digits) in
        [("lung_by_sex", "10.3", "0.001", 3), ("aml_by_x", "3.4", "0.07", 2), ("ovarian_by_rx", "1.1", "0.3", 1)]
    {
        let lr = cases(&doc, "logrank").iter().find(|k| k["name"] == case).expect("published log-rank case");
        let group: Vec<u32> =
            lr["group"].as_array().expect("group array").iter().map(|g| uint(g, "group") as u32).collect();
        let t = logrank(&nums(&lr["time"], "time"), &bools(&lr["event"], "event"), &group);
        let t = t.value().expect("published log-rank is estimable");
        c.exact(case, "chisq (1 dp)", round(t.statistic, 1).as_str(), chisq);
        c.exact(case, "df", t.df, 1.0);
        c.exact(case, "p (rounded)", round(t.p, p_digits).as_str(), p);
    }
    c.finish("published-figure", 1);
}

/// Through the whole analysis: a report's event-free share after the last patient at risk had
/// the event is 0 (R's `extend = TRUE`), shown as 0% in the table; after a last time with patients
/// still event-free it stays "beyond follow-up".
#[test]
fn a_report_gives_0_after_the_last_patient_at_risk_had_the_event() {
    let doc = oracle();
    let case = |n: &str| cases(&doc, "km").iter().find(|k| k["name"] == n).expect("oracle case").clone();
    let mapping = cohortcalc::Mapping::from_json(
        r#"{"events": [{"name": "VCF", "column": "VCF", "time": "Months"}], "followup": {"months": "Months"},
            "survival_times": [6, 12]}"#,
    )
    .expect("mapping");
    for (name, want_12) in [("last_at_risk_dies_after_censorings", Some(0.0)), ("last_time_events_and_censoring", None)]
    {
        let k = case(name);
        let mut csv = String::from("Months,VCF\n");
        for (t, e) in nums(&k["time"], "time").iter().zip(bools(&k["event"], "event")) {
            csv += &format!("{t},{}\n", if e { "Yes" } else { "No" });
        }
        let a = cohortcalc::analyze(csv.as_bytes(), Some(&mapping)).expect("analyses");
        let at = &a.report.strata[0].events["VCF"].time_to_event.survival_at;
        assert_eq!(at.len(), 2);
        // At 6 months, within the data: R's summary at the last time ≤ 6.
        let r = &k["log"];
        let i = nums(&r["time"], "time").iter().rposition(|&t| t <= 6.0).expect("a time ≤ 6");
        assert_eq!(at[0].survival, r["surv"][i].as_f64(), "{name}");
        assert_eq!((at[1].time, at[1].survival, at[1].ci95), (12.0, want_12, None), "{name}");
        let want_r = k["log"]["at_extend"].as_array().unwrap().iter().find(|w| w["t"] == 12.0).unwrap()["surv"].clone();
        assert_eq!(want_r.as_f64().is_some_and(|s| s == 0.0), want_12.is_some(), "{name}: R says {want_r}");
        let table = cohortcalc::report::tables(&a.report, cohortcalc::Lang::En)
            .into_iter()
            .find(|t| t.title.contains("time to event"))
            .expect("time-to-event table");
        let cell = table.rows[0].last().expect("a cell").as_str();
        assert_eq!(cell, if want_12.is_some() { "0.0%" } else { "beyond follow-up" }, "{name}");
    }
}
