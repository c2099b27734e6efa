//! Edge cases give an explicit "not estimable" with its reason — never NaN, infinity or a panic.

use cohortcalc::report::{Estimable, Report};
use cohortcalc::Mapping;

const MAPPING: &str = r#"{
  "strata": {"tscore": "T"},
  "compare": [["Reduced bone density", "Normal"]],
  "paired": [{"name": "VAS", "before": "pre", "after": "post"}],
  "binary": [{"name": "Improved", "column": "imp"}],
  "followup": {"months": "fu"},
  "events": [{"name": "VCF", "column": "vcf"}],
  "covariates": ["age", "sex"]
}"#;

fn run(rows: &[&str]) -> Report {
    let mut csv = String::from("T,pre,post,imp,fu,vcf,age,sex\n");
    for r in rows {
        csv.push_str(r);
        csv.push('\n');
    }
    let mapping = Mapping::from_json(MAPPING).unwrap();
    let a = cohortcalc::analyze(csv.as_bytes(), Some(&mapping)).expect("analyses");
    let debug = format!("{a:?}");
    assert!(!debug.contains("NaN") && !debug.contains("inf"), "non-finite figure in {debug}");
    serde_json::to_string(&a).expect("serialises");
    for t in cohortcalc::report::tables(&a.report, cohortcalc::Lang::En) {
        for row in &t.rows {
            for cell in row {
                assert!(!cell.contains("NaN") && !cell.contains("inf"), "{} has {cell}", t.title);
            }
        }
    }
    assert_eq!(a.report.rows_read, a.report.rows_included + a.report.excluded.len());
    a.report
}

fn reason<T>(e: &Estimable<T>) -> &str {
    match e {
        Estimable::NotEstimable { not_estimable } => not_estimable,
        Estimable::Value(_) => panic!("expected not estimable"),
    }
}

fn stratum<'a>(r: &'a Report, name: &str) -> &'a cohortcalc::report::StratumReport {
    r.strata.iter().find(|s| s.name == name).unwrap_or_else(|| panic!("no stratum {name}"))
}

#[test]
fn empty_strata_and_a_single_patient() {
    let r = run(&["0.5,7,3,Yes,12,No,60,F"]);
    let osteopenia = stratum(&r, "Osteopenia");
    assert_eq!(osteopenia.n, 0);
    let vas = &osteopenia.paired["VAS"];
    assert!(reason(&vas.t_test).contains("at least 2"));
    assert!(reason(&vas.wilcoxon).contains("no pairs"));
    assert!(reason(&osteopenia.binary["Improved"].percent).contains("no patients"));
    let overall = &stratum(&r, "Overall").paired["VAS"];
    assert_eq!(overall.pairs, 1);
    assert!(reason(&overall.t_test).contains("at least 2"));
    assert!(reason(&overall.dz).contains("at least 2"));
    assert!(overall.wilcoxon.value().is_some(), "one non-zero difference has an exact p of 1");
}

#[test]
fn zero_variance_all_zero_differences_and_all_ties() {
    let same_change = run(&["0.5,7,5,Yes,12,No,60,F", "0.1,6,4,No,13,No,61,M", "0.2,8,6,Yes,14,No,62,F"]);
    let v = &stratum(&same_change, "Overall").paired["VAS"];
    assert!(reason(&v.t_test).contains("SD 0"));
    assert!(reason(&v.dz).contains("SD 0"));
    assert!(reason(&v.normality.shapiro_wilk).len() > 3);
    let no_change = run(&["0.5,7,7,Yes,12,No,60,F", "0.1,6,6,No,13,No,61,M", "0.2,8,8,Yes,14,No,62,F"]);
    let v = &stratum(&no_change, "Overall").paired["VAS"];
    assert!(reason(&v.wilcoxon).contains("zero"));
    assert_eq!(v.responders[0].responders, 0);
}

#[test]
fn no_events_every_patient_an_event_and_all_censored() {
    let none = run(&["0.5,7,3,Yes,12,No,60,F", "-2.0,6,4,No,13,No,61,M", "-3.0,8,2,Yes,14,No,62,F"]);
    let e = &stratum(&none, "Overall").events["VCF"];
    assert_eq!(e.events, 0);
    assert!((e.rule_of_three_upper.unwrap() - 100.0).abs() < 1e-12);
    let km = e.time_to_event.kaplan_meier.value().expect("KM of all-censored data");
    assert_eq!(km.median, None, "all censored: median not reached");
    let all = run(&["0.5,7,3,Yes,12,Yes,60,F", "-2.0,6,4,No,13,Yes,61,M", "-3.0,8,2,Yes,14,Yes,62,F"]);
    let e = &stratum(&all, "Overall").events["VCF"];
    assert_eq!(e.events, 3);
    assert_eq!(e.rule_of_three_upper, None);
    let km = e.time_to_event.kaplan_meier.value().unwrap();
    assert_eq!(km.table.last().unwrap().survival, 0.0);
    assert_eq!(km.table.last().unwrap().ci95, None);
    assert_eq!(km.median, Some(13.0));
}

#[test]
fn comparisons_with_an_empty_side_are_not_estimable() {
    let r = run(&["0.5,7,3,Yes,12,No,60,F", "0.1,6,4,No,13,No,61,M"]);
    let pair = r.comparisons.iter().find(|c| c.kind == "pair").expect("the compare pair");
    let change = &pair.tests.paired["VAS"];
    assert!(reason(change.welch_t.as_ref().unwrap()).contains("at least 2"));
    assert!(reason(change.mann_whitney.as_ref().unwrap()).contains("at least 1"));
    assert!(reason(pair.tests.binary["Improved"].risk_difference.as_ref().unwrap()).contains("at least 1"));
}

#[test]
fn spellings_of_one_category_are_counted_together_with_a_note() {
    // A chart review typed sex five ways; a side column as case came.
    let mut csv = String::from("T,pre,post,imp,fu,vcf,age,sex,side\n");
    let sexes = ["M", "F", "m", "female", "Male", "F", "M", "f", "M", "Female"];
    let sides = ["Left", "left", "Right", "LEFT", "right", "Left", "Right", "Left", "left", "Right"];
    for (i, (sex, side)) in sexes.iter().zip(sides).enumerate() {
        csv.push_str(&format!("-{}.5,7,3,yes,12,no,{},{sex},{side}\n", i % 4, 60 + i));
    }
    let mapping = MAPPING.replace(r#""covariates": ["age", "sex"]"#, r#""covariates": ["age", "sex", "side"]"#);
    let mapping = Mapping::from_json(&mapping).unwrap();
    let a = cohortcalc::analyze(csv.as_bytes(), Some(&mapping)).expect("analyses");
    let categories = |name: &str| match &stratum(&a.report, "Overall").covariates[name] {
        cohortcalc::report::CovariateReport::Categorical { levels, missing } => {
            assert_eq!(*missing, 0);
            levels.iter().map(|l| (l.level.clone(), l.n)).collect::<Vec<_>>()
        }
        other => panic!("{name} is not categorical: {other:?}"),
    };
    // M: M ×3, m, Male; F: F ×2, female, f, Female — named as most cells write them.
    assert_eq!(categories("sex"), vec![("F".to_string(), 5), ("M".to_string(), 5)]);
    // Not a sex column: letter case only.
    assert_eq!(categories("side"), vec![("Left".to_string(), 6), ("Right".to_string(), 4)]);
    let notes: Vec<&str> = a
        .diagnostics
        .iter()
        .filter(|d| d.message.starts_with("spellings of one value"))
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        notes,
        vec![
            r#"spellings of one value counted together: "m", "Male" as "M"; "female", "f", "Female" as "F""#,
            r#"spellings of one value counted together: "left", "LEFT" as "Left"; "right" as "Right""#,
        ]
    );
}

#[test]
fn spellings_of_one_stratum_are_one_stratum() {
    let csv = "ID,Group,VAS pre,VAS post\n1,Kyphoplasty,8,3\n2,kyphoplasty,7,2\n3,Vertebroplasty,9,4\n\
               4,KYPHOPLASTY ,6,1\n5,,8,2\n6,vertebroplasty,5,2\n7,Kyphoplasty,7,3\n";
    let mapping = Mapping::from_json(
        r#"{"strata": {"column": "Group"}, "paired": [{"name": "VAS", "before": "VAS pre", "after": "VAS post"}],
            "compare": [["Kyphoplasty", "Vertebroplasty"]]}"#,
    )
    .unwrap();
    let a = cohortcalc::analyze(csv.as_bytes(), Some(&mapping)).expect("analyses");
    let strata: Vec<(&str, usize)> = a.report.strata.iter().map(|s| (s.name.as_str(), s.n)).collect();
    assert_eq!(strata, [("Overall", 7), ("Kyphoplasty", 4), ("Vertebroplasty", 2), ("Unknown", 1)]);
    assert_eq!(stratum(&a.report, "Kyphoplasty").paired["VAS"].pairs, 4);
    assert!(a.diagnostics.iter().any(|d| d.message
        == r#"strata: spellings of one value counted together: "kyphoplasty", "KYPHOPLASTY" as "Kyphoplasty"; "vertebroplasty" as "Vertebroplasty""#));
    // The comparison names the strata as the report does.
    assert_eq!(a.report.comparisons[0].strata, ["Kyphoplasty", "Vertebroplasty"]);
}
