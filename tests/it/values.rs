//! Reading values as clinics write them: yes/no codes, missing codes, VAS in millimetres,
//! T-scores out of range, decimal commas, dates in every order and Excel day numbers. Messy files
//! must give the same statistics as their clean twins (`tests/data/messy/make_messy.py`).

use cohortcalc::report::{CovariateReport, Report};
use cohortcalc::{Analysis, Diagnostic, Mapping, Severity};
use serde_json::{json, Value};

fn mapping(text: &str) -> Mapping {
    Mapping::from_json(text).expect("mapping")
}

fn run(csv: &[u8], m: &Mapping) -> Analysis {
    cohortcalc::analyze(csv, Some(m)).expect("analyses")
}

/// The statistics of a report (strata and comparisons), without the mapping and the flow.
fn statistics(r: &Report) -> Value {
    json!({"strata": r.strata, "comparisons": r.comparisons})
}

/// The first place two JSON values differ, as a path with both values.
fn first_difference(a: &Value, b: &Value, path: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => x
            .keys()
            .chain(y.keys())
            .find_map(|k| first_difference(&x[k], y.get(k).unwrap_or(&Value::Null), &format!("{path}.{k}")))
            .or_else(|| y.keys().find(|k| !x.contains_key(*k)).map(|k| format!("{path}.{k}: only in the second"))),
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            x.iter().zip(y).enumerate().find_map(|(i, (p, q))| first_difference(p, q, &format!("{path}[{i}]")))
        }
        _ if a == b => None,
        _ => Some(format!("{path}: {a} ≠ {b}")),
    }
}

fn assert_same(got: &Value, want: &Value) {
    if let Some(d) = first_difference(got, want, "") {
        panic!("the reports differ at {d}");
    }
}

fn find<'a>(a: &'a Analysis, severity: Severity, needle: &str) -> &'a Diagnostic {
    a.diagnostics
        .iter()
        .find(|d| d.severity == severity && d.message.contains(needle))
        .unwrap_or_else(|| panic!("no {severity:?} with {needle:?} in {:#?}", a.diagnostics))
}

const CLINIC_MAPPING: &str = include_str!("../data/messy/clinic.mapping.json");

#[test]
fn messy_codes_give_the_same_statistics_as_the_clean_twin() {
    let m = mapping(CLINIC_MAPPING);
    let clean = run(include_bytes!("../data/messy/clinic_clean.csv"), &m);
    let messy = run(include_bytes!("../data/messy/clinic_messy.csv"), &m);
    assert_same(&statistics(&messy.report), &statistics(&clean.report));
    assert_eq!(messy.report.rows_included, clean.report.rows_included);
    // The test would be empty if nothing were analysed.
    let overall = &clean.report.strata[0];
    assert_eq!(overall.n, 80);
    assert!(overall.paired["VAS"].pairs > 60, "{}", overall.paired["VAS"].pairs);
    assert!(overall.binary["Functional improvement"].n > 70);
    assert!(overall.events["VCF"].events > 0);
}

#[test]
fn messy_file_says_what_it_decided_and_what_it_left_out() {
    let a = run(include_bytes!("../data/messy/clinic_messy.csv"), &mapping(CLINIC_MAPPING));
    let mm = find(&a, Severity::Info, "0–100 mm");
    assert_eq!(mm.position.column.as_deref(), Some("VAS"));
    let vas = find(&a, Severity::Warning, "outside 0–10");
    assert_eq!((vas.position.row, vas.position.column.as_deref()), (Some(12), Some("VAS baseline")));
    let t = find(&a, Severity::Warning, "outside −6…+6");
    assert_eq!((t.position.row, t.position.column.as_deref()), (Some(13), Some("DEXA T-score")));
    let dmy = find(&a, Severity::Info, "read as day/month/year");
    assert_eq!(dmy.position.column.as_deref(), Some("Procedure date"));
    find(&a, Severity::Info, "Excel day numbers");
    // The flow names the reasons, with row numbers.
    let flow = &a.report.flow;
    let vas = flow.strata[0].outcomes.iter().find(|o| o.name == "VAS").unwrap();
    let out = vas.missing.iter().find(|m| m.reason == "out of range").expect("out of range");
    assert_eq!((out.column.as_deref(), out.rows.as_slice()), (Some("VAS baseline"), &[12][..]));
    let unknown = flow.unassigned.iter().find(|u| u.reason.contains("outside")).expect("T-score out of range");
    assert_eq!(unknown.rows, [13]);
}

#[test]
fn semicolon_decimal_comma_file_gives_the_same_statistics_as_the_clean_twin() {
    let m = mapping(CLINIC_MAPPING);
    let clean = run(include_bytes!("../data/messy/clinic_clean.csv"), &m);
    let semi = run(include_bytes!("../data/messy/clinic_semicolon.csv"), &m);
    assert_same(&statistics(&semi.report), &statistics(&clean.report));
}

#[test]
fn chinese_file_gives_the_same_statistics_as_the_clean_twin() {
    let english = mapping(
        r#"{"id": "Record ID", "strata": {"tscore": "DEXA T-score"},
            "paired": [{"name": "VAS", "before": "VAS baseline", "after": "VAS 6 wk"}],
            "binary": [{"name": "Functional improvement", "column": "Functional improvement"}],
            "followup": {"start": "Procedure date", "end": "Last follow-up"},
            "events": [{"name": "VCF", "column": "VCF", "date": "VCF date"}], "covariates": ["Age"]}"#,
    );
    let chinese = mapping(
        r#"{"id": "患者编号", "strata": {"tscore": "骨密度T值"},
            "paired": [{"name": "VAS", "before": "术前VAS", "after": "术后6周VAS"}],
            "binary": [{"name": "Functional improvement", "column": "功能改善"}],
            "followup": {"start": "手术日期", "end": "末次随访日期"},
            "events": [{"name": "VCF", "column": "椎体骨折", "date": "骨折日期"}], "covariates": ["年龄"]}"#,
    );
    let clean = run(include_bytes!("../data/messy/clinic_clean.csv"), &english);
    let zh = run(include_bytes!("../data/messy/chinese.csv"), &chinese);
    let mut want = statistics(&clean.report);
    let mut got = statistics(&zh.report);
    // Covariates are keyed by column name.
    for s in want["strata"].as_array_mut().unwrap().iter_mut().chain(got["strata"].as_array_mut().unwrap()) {
        s["covariates"] = Value::Null;
    }
    for c in want["comparisons"].as_array_mut().unwrap().iter_mut().chain(got["comparisons"].as_array_mut().unwrap()) {
        c["tests"]["covariates"] = Value::Null;
    }
    assert_same(&got, &want);
}

fn csv(lines: &[&str]) -> Vec<u8> {
    (lines.join("\n") + "\n").into_bytes()
}

const PAIN: &str = r#"{"paired": [{"name": "VAS", "before": "VAS pre", "after": "VAS post"}]}"#;

#[test]
fn vas_in_millimetres_is_put_on_0_to_10_with_a_note() {
    let a = run(&csv(&["VAS pre,VAS post", "80,30", "65,20", "90,45", "70,", "5,2"]), &mapping(PAIN));
    find(&a, Severity::Info, "0–100 mm");
    let vas = &a.report.strata[0].paired["VAS"];
    assert_eq!(vas.pairs, 4);
    assert_eq!(vas.before.max, Some(9.0));
    assert_eq!(vas.before.min, Some(0.5));
    assert_eq!(vas.after.mean, Some((3.0 + 2.0 + 4.5 + 0.2) / 4.0));
}

#[test]
fn a_few_values_above_10_are_typing_errors_not_millimetres() {
    let mut lines = vec!["VAS pre,VAS post"];
    lines.extend(std::iter::repeat_n("8,3", 19));
    lines.push("70,3");
    let a = run(&csv(&lines), &mapping(PAIN));
    assert!(!a.diagnostics.iter().any(|d| d.message.contains("mm")), "{:#?}", a.diagnostics);
    let w = find(&a, Severity::Warning, "70 is outside 0–10");
    assert_eq!((w.position.row, w.position.column.as_deref()), (Some(21), Some("VAS pre")));
    let vas = &a.report.strata[0].paired["VAS"];
    assert_eq!((vas.pairs, vas.missing), (19, 1));
    assert_eq!(vas.before.max, Some(8.0));
}

#[test]
fn scale_in_the_mapping_overrides_the_detection() {
    let m = mapping(r#"{"paired": [{"name": "VAS", "before": "VAS pre", "after": "VAS post", "scale": 100}]}"#);
    // Every value is at most 10, but the mapping says millimetres.
    let a = run(&csv(&["VAS pre,VAS post", "8,3", "10,5"]), &m);
    assert_eq!(a.report.strata[0].paired["VAS"].before.max, Some(1.0));
    let m = mapping(r#"{"paired": [{"name": "VAS", "before": "VAS pre", "after": "VAS post", "scale": 10}]}"#);
    let a = run(&csv(&["VAS pre,VAS post", "80,30", "6.5,2"]), &m);
    assert_eq!(a.report.strata[0].paired["VAS"].pairs, 1);
    find(&a, Severity::Warning, "80 is outside 0–10");
    assert!(Mapping::from_json(r#"{"paired": [{"name": "V", "before": "a", "after": "b", "scale": 0}]}"#)
        .unwrap()
        .validate()
        .is_err());
}

#[test]
fn tscores_outside_six_are_unknown_with_a_warning() {
    let m = mapping(r#"{"strata": {"tscore": "T-score"}, "binary": [{"name": "Improved", "column": "Improved"}]}"#);
    let a = run(&csv(&["T-score,Improved", "-2.6,Yes", "-25,Yes", "0.5,No", ",Yes", "abc,No"]), &m);
    let w = find(&a, Severity::Warning, "outside −6…+6");
    assert_eq!(w.position.row, Some(3));
    let unknown = a.report.strata.iter().find(|s| s.name == "Unknown").expect("Unknown");
    assert_eq!(unknown.n, 3);
    let reasons: Vec<(&str, usize, &[usize])> =
        a.report.flow.unassigned.iter().map(|u| (u.reason.as_str(), u.n, u.rows.as_slice())).collect();
    assert_eq!(
        reasons,
        [("T-score outside −6…+6", 1, &[3][..]), ("no T-score", 1, &[5][..]), ("not a number", 1, &[6][..])]
    );
}

#[test]
fn the_mappings_missing_codes_extend_the_usual_ones() {
    let lines = csv(&["VAS pre,VAS post", "8,3", "888,2", "-99,4", "NA,5", "not done,1", "7,6"]);
    let plain = run(&lines, &mapping(PAIN));
    // 888 is a number (out of range here); "not done" is a usual code.
    assert_eq!(plain.report.strata[0].paired["VAS"].pairs, 2);
    assert!(plain.diagnostics.iter().any(|d| d.message.contains("888 is outside")));
    let m = mapping(r#"{"paired": [{"name": "VAS", "before": "VAS pre", "after": "VAS post"}], "missing": ["888"]}"#);
    let own = run(&lines, &m);
    assert!(!own.diagnostics.iter().any(|d| d.severity == Severity::Warning), "{:#?}", own.diagnostics);
    let flow = &own.report.flow.strata[0].outcomes[0];
    assert_eq!(flow.used, 2);
    assert_eq!(flow.missing.len(), 1);
    assert_eq!((flow.missing[0].reason.as_str(), flow.missing[0].n), ("missing", 4));
}

const DATES: &str = r#"{"binary": [{"name": "Improved", "column": "Improved"}],
                       "followup": {"start": "Start", "end": "End"}}"#;

fn followup(a: &Analysis) -> (usize, f64) {
    let f = a.report.strata[0].followup_months.as_ref().expect("follow-up");
    (f.n, f.mean.unwrap_or(f64::NAN))
}

#[test]
fn day_first_dates_are_decided_from_the_data() {
    let a =
        run(&csv(&["Start,End,Improved", "01/02/2021,01/03/2021,Yes", "25/02/2021,25/03/2021,No"]), &mapping(DATES));
    let d = find(&a, Severity::Info, "read as day/month/year");
    assert!(d.message.contains("\"25/02/2021\" in row 3"), "{}", d.message);
    // 1 Feb → 1 Mar is 28 days, 25 Feb → 25 Mar 28 days.
    assert_eq!(followup(&a), (2, 28.0 * 12.0 / 365.25));
}

#[test]
fn month_first_dates_are_decided_from_the_data() {
    let a =
        run(&csv(&["Start,End,Improved", "02/01/2021,03/01/2021,Yes", "02/25/2021,03/25/2021,No"]), &mapping(DATES));
    find(&a, Severity::Info, "read as month/day/year");
    assert_eq!(followup(&a), (2, 28.0 * 12.0 / 365.25));
}

#[test]
fn ambiguous_dates_warn_and_date_format_decides() {
    let lines = csv(&["Start,End,Improved", "01/02/2021,01/03/2021,Yes", "03/04/2021,05/06/2021,No"]);
    let a = run(&lines, &mapping(DATES));
    let w = find(&a, Severity::Warning, "could be day/month/year or month/day/year");
    assert!(w.message.contains("date_format"), "{}", w.message);
    // Read day first: 1 Feb → 1 Mar (28 days) and 3 Apr → 5 Jun (63 days).
    assert_eq!(followup(&a), (2, (28.0 + 63.0) / 2.0 * 12.0 / 365.25));
    let m = mapping(&DATES.replace("\"binary\"", "\"date_format\": \"MDY\", \"binary\""));
    let a = run(&lines, &m);
    assert!(!a.diagnostics.iter().any(|d| d.severity == Severity::Warning), "{:#?}", a.diagnostics);
    // Month first: 2 Jan → 3 Jan (1 day) and 4 Mar → 6 May (63 days).
    assert_eq!(followup(&a), (2, (1.0 + 63.0) / 2.0 * 12.0 / 365.25));
}

#[test]
fn dates_against_the_date_format_are_left_out_naming_row_and_column() {
    let m = mapping(&DATES.replace("\"binary\"", "\"date_format\": \"MDY\", \"binary\""));
    let a = run(&csv(&["Start,End,Improved", "02/01/2021,25/03/2021,Yes", "02/01/2021,03/01/2021,No"]), &m);
    let w = find(&a, Severity::Warning, "month/day/year order");
    assert_eq!((w.position.row, w.position.column.as_deref()), (Some(2), Some("End")));
    assert_eq!(followup(&a).0, 1);
}

#[test]
fn two_digit_years_are_refused_naming_row_and_column() {
    let a = run(&csv(&["Start,End,Improved", "2021-01-01,03/04/22,Yes", "2021-01-01,2021-07-01,No"]), &mapping(DATES));
    let w = find(&a, Severity::Warning, "two-digit year");
    assert_eq!((w.position.row, w.position.column.as_deref()), (Some(2), Some("End")));
    assert_eq!(followup(&a).0, 1);
    let f = a.report.flow.strata[0].outcomes.iter().find(|o| o.kind == "followup").unwrap();
    assert_eq!((f.missing[0].reason.as_str(), f.missing[0].rows.as_slice()), ("not a date", &[2][..]));
}

#[test]
fn excel_serials_are_read_as_dates_with_a_note() {
    // 44197 is 2021-01-01 and 44378 is 2021-07-01 in Excel's 1900 date system: 181 days.
    let a = run(&csv(&["Start,End,Improved", "44197,44378,Yes", "2021-01-01,2021-07-01,No"]), &mapping(DATES));
    let n = find(&a, Severity::Info, "Excel day numbers");
    assert!(n.message.contains("is 2021-01-01"), "{}", n.message);
    assert_eq!(followup(&a), (2, 181.0 * 12.0 / 365.25));
}

#[test]
fn an_end_before_its_start_is_a_row_diagnostic() {
    let a =
        run(&csv(&["Start,End,Improved", "2021-05-01,2021-04-01,Yes", "2021-01-01,2022-01-01,No"]), &mapping(DATES));
    let w = find(&a, Severity::Warning, "ends before it starts");
    assert_eq!((w.position.row, w.position.column.as_deref()), (Some(2), Some("End")));
    assert_eq!(followup(&a), (1, 12.0 * 365.0 / 365.25));
    let f = a.report.flow.strata[0].outcomes.iter().find(|o| o.kind == "followup").unwrap();
    assert_eq!(f.missing[0].reason, "ends before it starts");
}

#[test]
fn negative_follow_up_months_are_out_of_range() {
    let m = mapping(r#"{"binary": [{"name": "Improved", "column": "Improved"}], "followup": {"months": "Months"}}"#);
    let a = run(&csv(&["Months,Improved", "-3,Yes", "12,No"]), &m);
    let w = find(&a, Severity::Warning, "negative");
    assert_eq!(w.position.row, Some(2));
    let f = a.report.flow.strata[0].outcomes.iter().find(|o| o.kind == "followup").unwrap();
    assert_eq!((f.used, f.missing[0].reason.as_str()), (1, "out of range"));
}

#[test]
fn yes_no_codes_of_every_kind_count_the_same() {
    let m = mapping(r#"{"binary": [{"name": "Improved", "column": "Improved"}]}"#);
    let a = run(
        &csv(&[
            "Improved",
            "Yes",
            "y",
            "1",
            "TRUE",
            "Checked",
            "是",
            "No",
            "n",
            "0",
            "false",
            "unchecked",
            "否",
            "NA",
            "maybe",
        ]),
        &m,
    );
    let b = &a.report.strata[0].binary["Improved"];
    // "NA" leaves its row without any value: the row is excluded, not missing.
    assert_eq!((b.events, b.n, b.missing), (6, 12, 1));
    assert_eq!(a.report.excluded.len(), 1);
    let w = find(&a, Severity::Warning, "expected yes or no, found \"maybe\"");
    assert_eq!(w.position.row, Some(15));
}

#[test]
fn scores_written_out_of_their_maximum_or_as_a_range_are_read_in_paired_outcomes() {
    let m = mapping(
        r#"{"paired": [{"name": "VAS", "before": "VAS pre", "after": "VAS post"}],
            "strata": {"tscore": "T-score"}, "covariates": ["Age", "Visit"]}"#,
    );
    let a = run(
        &csv(&[
            "VAS pre,VAS post,T-score,Age,Visit",
            "8,3,-2.6,61,2020-03-04",
            "7/10,2,−1.0,70,2020-03-05",
            "9,7-8,-1-2,60-70,2020-03-06",
            "6,4,-0.5,65,2020-03-07",
            "8,2–3,-2.5,72,2020-03-08",
            "7,3,-1.5,68,2020-03-09",
            "5,1,-3.0,75,2020-03-10",
            "9,6,-2.0,80,2020-03-11",
            "6,2,-0.2,59,2020-03-12",
            "8,5,-1.2,66,2020-03-13",
            "7,4,-2.8,71,2020-03-14",
        ]),
        &m,
    );
    let v = &a.report.strata[0].paired["VAS"];
    // 7/10 is 7, 7-8 is 7.5 and 2–3 is 2.5 (each was not a number, its pair missing).
    assert_eq!((v.pairs, v.missing), (11, 0));
    let before = [8.0, 7.0, 9.0, 6.0, 8.0, 7.0, 5.0, 9.0, 6.0, 8.0, 7.0];
    let after = [3.0, 2.0, 7.5, 4.0, 2.5, 3.0, 1.0, 6.0, 2.0, 5.0, 4.0];
    let mean = |x: &[f64]| x.iter().sum::<f64>() / x.len() as f64;
    let close = |x: Option<f64>, want: f64| x.is_some_and(|x| (x - want).abs() < 1e-12);
    assert!(close(v.before.mean, mean(&before)), "{:?}", v.before);
    assert!(close(v.after.mean, mean(&after)), "{:?}", v.after);
    assert_eq!((v.after.max, v.after.median), (Some(7.5), Some(3.0)));
    let out_of = find(&a, Severity::Info, "written as a score out of its maximum");
    assert_eq!(out_of.position.column.as_deref(), Some("VAS pre"));
    assert!(out_of.message.starts_with("1 values are written as a score out of its maximum (e.g. \"7/10\" in row 3)"));
    assert!(out_of.message_zh.contains("7/10"), "{out_of:?}");
    let range = find(&a, Severity::Info, "written as a range");
    assert_eq!(range.position.column.as_deref(), Some("VAS post"));
    assert!(range.message.starts_with("2 values are written as a range (e.g. \"7-8\" in row 4), read as its midpoint"));
    // Elsewhere nothing of the kind is read: a T-score of -1-2 and an age of 60-70 are no numbers.
    let t = find(&a, Severity::Warning, "\"-1-2\" is not a T-score");
    assert_eq!((t.position.row, t.position.column.as_deref()), (Some(4), Some("T-score")));
    let age = find(&a, Severity::Warning, "expected a number, found \"60-70\"");
    assert_eq!(age.position.column.as_deref(), Some("Age"));
    // Dates are no ranges: eleven visit days.
    match &a.report.strata[0].covariates["Visit"] {
        CovariateReport::Categorical { levels, missing } => assert_eq!((levels.len(), *missing), (11, 0)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn scores_out_of_another_maximum_or_above_it_are_not_read() {
    let m = mapping(r#"{"paired": [{"name": "Score", "before": "Before", "after": "After"}]}"#);
    // 12/10 is above its maximum, 3/4 no score, 8-7 no range: each is not a number.
    let a = run(&csv(&["Before,After", "6,4", "12/10,3", "5,3/4", "8-7,2", "7,5"]), &m);
    let v = &a.report.strata[0].paired["Score"];
    assert_eq!(v.pairs, 2);
    for text in ["12/10", "3/4", "8-7"] {
        find(&a, Severity::Warning, &format!("expected a number, found \"{text}\""));
    }
    // Out of 10 in one cell and out of 100 in another: not one scale, neither is read.
    let a = run(&csv(&["Before,After", "7/10,4", "8,30/100", "6,3", "5,2"]), &m);
    let v = &a.report.strata[0].paired["Score"];
    assert_eq!(v.pairs, 2);
    let w = find(&a, Severity::Warning, "scores out of different maxima");
    assert_eq!(w.position.column.as_deref(), Some("Score"));
    assert!(w.message.contains("\"7/10\" in row 2, column \"Before\"; \"30/100\" in row 3, column \"After\""), "{w:?}");
    assert!(!a.diagnostics.iter().any(|d| d.message.contains("read as the score")));
    // With the scale in the mapping, a score must be out of it.
    let m = mapping(r#"{"paired": [{"name": "MMSE", "before": "Before", "after": "After", "scale": 30}]}"#);
    let a = run(&csv(&["Before,After", "24/30,27/30", "7/10,28", "22,25-26"]), &m);
    let v = &a.report.strata[0].paired["MMSE"];
    assert_eq!(v.pairs, 2);
    assert_eq!((v.before.mean, v.after.mean), (Some(23.0), Some(26.25)));
}
