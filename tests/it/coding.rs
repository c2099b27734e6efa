//! Data whose codes mean something other than the defaults, on real data sets: a yes/no outcome
//! coded 1/2 (`event_value`) or defined by a cut-off on a score, numbers that are categories
//! (`categorical`) with names for their values (`labels`) — figures against R
//! (tests/oracles/coding_oracle.R) — and the errors that stop an analysis where a column cannot
//! mean what the mapping says (each was a silently wrong figure before).

use cohortcalc::report::{BinaryReport, CovariateReport, Estimable, Report};
use cohortcalc::{Analysis, Mapping};
use std::collections::HashMap;

const OVARIAN: &[u8] = include_bytes!("../data/coding/ovarian.csv");
const LICORICE: &[u8] = include_bytes!("../data/coding/licorice_gargle.csv");

fn expected() -> HashMap<String, f64> {
    include_str!("../data/expected/coding.tsv")
        .lines()
        .map(|l| {
            let (k, v) = l.split_once('\t').expect("key<TAB>value");
            (k.to_string(), v.parse().expect("a number"))
        })
        .collect()
}

fn run(bytes: &[u8], mapping: &str) -> cohortcalc::Result<Analysis> {
    let m = Mapping::from_json(mapping).unwrap_or_else(|e| panic!("{e}"));
    cohortcalc::analyze(bytes, Some(&m))
}

fn close(got: f64, want: f64, what: &str) {
    assert!((got - want).abs() <= 1e-9 * want.abs().max(1.0), "{what}: {got} vs R {want}");
}

fn check_proportion(b: &BinaryReport, r: &HashMap<String, f64>, prefix: &str) {
    close(b.events as f64, r[&format!("{prefix}.events")], prefix);
    close(b.n as f64, r[&format!("{prefix}.n")], prefix);
    let Estimable::Value(p) = b.percent else { panic!("{prefix}: percent not estimable") };
    close(p, r[&format!("{prefix}.percent")], prefix);
    let (w, cp) = (b.wilson_ci95.value().unwrap(), b.clopper_pearson_ci95.value().unwrap());
    close(w.lower, r[&format!("{prefix}.wilson.lower")], prefix);
    close(w.upper, r[&format!("{prefix}.wilson.upper")], prefix);
    close(cp.lower, r[&format!("{prefix}.cp.lower")], prefix);
    close(cp.upper, r[&format!("{prefix}.cp.upper")], prefix);
}

fn stratum<'a>(r: &'a Report, name: &str) -> &'a cohortcalc::report::StratumReport {
    r.strata
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no stratum {name}: {:?}", r.strata.iter().map(|s| &s.name).collect::<Vec<_>>()))
}

#[test]
fn a_yes_no_column_coded_1_2_is_an_error_that_asks_which_value_means_yes() {
    // Before: "1" read as yes, every "2" missing: 11/11 = 100 % where the truth is 15/26.
    let e = run(OVARIAN, r#"{"binary": [{"name": "Residual disease", "column": "resid.ds"}]}"#).unwrap_err();
    let (en, zh) = (e.to_string(), e.message(cohortcalc::Lang::Zh));
    assert!(en.contains("column \"resid.ds\"") && en.contains("1, 2") && en.contains("\"event_value\": \"2\""), "{en}");
    assert!(zh.contains("event_value") && zh.contains("1、2"), "{zh}");
    // So is an event coded so (R's survival status 1/2), and a scale read as yes/no.
    let e = run(OVARIAN, r#"{"events": [{"name": "Death", "column": "ecog.ps", "time": "futime"}]}"#).unwrap_err();
    assert!(e.to_string().contains("event_value"), "{e}");
    let e = run(LICORICE, r#"{"binary": [{"name": "ASA", "column": "preOp_asa"}]}"#).unwrap_err();
    let en = e.to_string();
    assert!(en.contains("scale") && en.contains("1, 2, 3") && en.contains("\"at_least\""), "{en}");
    // A 0/1 column still reads (0 no, 1 yes), and so does one with a stray typing error.
    let a = run(LICORICE, r#"{"binary": [{"name": "Cough", "column": "pod1am_cough"}]}"#).unwrap();
    assert!(a.report.strata[0].binary["Cough"].n > 200);
}

#[test]
fn a_yes_value_of_1_2_codes_gives_r_figures() {
    let r = expected();
    let a = run(
        OVARIAN,
        r#"{"strata": {"column": "rx"}, "categorical": ["rx"], "labels": {"rx": {"1": "Cyclophosphamide", "2": "Cyclophosphamide + adriamycin"}},
            "binary": [{"name": "Residual disease", "column": "resid.ds", "event_value": "2"}],
            "compare": [["Cyclophosphamide", "Cyclophosphamide + adriamycin"]]}"#,
    )
    .unwrap();
    let rep = &a.report;
    check_proportion(&stratum(rep, "Overall").binary["Residual disease"], &r, "ovarian.overall");
    check_proportion(&stratum(rep, "Cyclophosphamide").binary["Residual disease"], &r, "ovarian.rx1");
    check_proportion(&stratum(rep, "Cyclophosphamide + adriamycin").binary["Residual disease"], &r, "ovarian.rx2");
    let pair = rep.comparisons.iter().find(|c| c.kind == "pair").unwrap();
    let Some(Estimable::Value(p)) = pair.tests.binary["Residual disease"].fisher_p else { panic!() };
    close(p, r["ovarian.fisher_p"], "fisher");
    // The labels are the strata's names in the tables too.
    let md = cohortcalc::report::markdown(rep, cohortcalc::Lang::En);
    assert!(md.contains("| Cyclophosphamide + adriamycin |") && !md.contains("| 2 |"), "{md}");
}

#[test]
fn a_cut_off_on_a_score_is_a_yes_no_outcome_stated_in_tables_and_methods() {
    let r = expected();
    let a = run(
        LICORICE,
        r#"{"strata": {"column": "treat"}, "labels": {"treat": {"0": "Sugar", "1": "Licorice"}},
            "binary": [{"name": "Sore throat", "column": "pod1am_throatPain", "above": 0}],
            "covariates": ["preOp_age", "preOp_asa"], "categorical": ["preOp_asa"],
            "compare": [["Sugar", "Licorice"]]}"#,
    )
    .unwrap();
    let rep = &a.report;
    check_proportion(&stratum(rep, "Overall").binary["Sore throat"], &r, "licorice.overall");
    check_proportion(&stratum(rep, "Sugar").binary["Sore throat"], &r, "licorice.treat0");
    check_proportion(&stratum(rep, "Licorice").binary["Sore throat"], &r, "licorice.treat1");
    // Numbered strata in the order of their numbers, named by their labels.
    let names: Vec<&str> = rep.strata.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Overall", "Sugar", "Licorice"]);
    let pair = rep.comparisons.iter().find(|c| c.kind == "pair").unwrap();
    let Some(Estimable::Value(p)) = pair.tests.binary["Sore throat"].fisher_p else { panic!() };
    close(p, r["licorice.fisher_p"], "fisher");
    // ASA class as categories: n per class and arm, and the chi-square across the arms.
    for (t, arm) in [(0, "Sugar"), (1, "Licorice")] {
        let CovariateReport::Categorical { levels, .. } = &stratum(rep, arm).covariates["preOp_asa"] else {
            panic!("ASA is categorical")
        };
        let got: Vec<(&str, f64)> = levels.iter().map(|l| (l.level.as_str(), l.n as f64)).collect();
        let want: Vec<(&str, f64)> =
            ["1", "2", "3"].iter().map(|a| (*a, r[&format!("licorice.asa.treat{t}.{a}")])).collect();
        assert_eq!(got, want);
    }
    let across = rep.comparisons.iter().find(|c| c.kind == "across levels").unwrap();
    let chi = across.tests.covariates["preOp_asa"][0].value().unwrap();
    close(chi.statistic, r["licorice.asa.chisq"], "chi-square");
    close(chi.df, r["licorice.asa.df"], "df");
    close(chi.p, r["licorice.asa.p"], "p");
    // The rule is stated in the table's title and in the methods, in both languages.
    for l in [cohortcalc::Lang::En, cohortcalc::Lang::Zh] {
        let tables = cohortcalc::report::tables(rep, l);
        assert!(tables.iter().any(|t| t.title.contains("pod1am_throatPain > 0")), "{l:?}");
        assert!(cohortcalc::report::methods(rep, l).contains("pod1am_throatPain > 0"), "{l:?}");
    }
}

#[test]
fn numbered_strata_are_in_number_order_and_too_many_numbers_are_no_strata() {
    let csv = "arm,pain before,pain after\n2,5,3\n10,6,2\n1,7,4\n2,5,5\n1,6,1\n10,4,4\n";
    let a = run(
        csv.as_bytes(),
        r#"{"strata": {"column": "arm"}, "paired": [{"name": "Pain", "before": "pain before", "after": "pain after"}]}"#,
    )
    .unwrap();
    let names: Vec<&str> = a.report.strata.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Overall", "1", "2", "10"]);
    // A T-score under a header the guess does not know, chosen as categories: 31 strata before.
    let mut csv = String::from("T-Wert,Schmerz vorher,Schmerz nachher\n");
    for i in 0..31 {
        csv += &format!("{:.1},{},{}\n", -3.4 + 0.1 * i as f64, 5 + i % 3, 2 + i % 4);
    }
    let m = r#"{"strata": {"column": "T-Wert"}, "paired": [{"name": "Schmerz", "before": "Schmerz vorher", "after": "Schmerz nachher"}]}"#;
    let e = run(csv.as_bytes(), m).unwrap_err();
    let en = e.to_string();
    assert!(en.contains("column \"T-Wert\"") && en.contains("31 different numbers"), "{en}");
    assert!(en.contains("{\"tscore\": \"T-Wert\"}") && en.contains("\"categorical\""), "{en}");
    assert!(e.message(cohortcalc::Lang::Zh).contains("categorical"));
    // Declared categorical, they are strata (whatever their number), in order.
    let m = m.replacen('{', r#"{"categorical": ["T-Wert"], "#, 1);
    let a = run(csv.as_bytes(), &m).unwrap();
    assert_eq!(a.report.strata.len(), 32);
    assert_eq!(a.report.strata[1].name, "-3.4");
}

#[test]
fn two_outcomes_of_one_name_are_an_error_naming_it() {
    let m = r#"{"paired": [{"name": "VAS", "before": "a", "after": "b"}], "binary": [{"name": "VAS", "column": "c"}]}"#;
    let e = Mapping::from_json(m).unwrap().validate().unwrap_err();
    assert!(e.to_string().contains("two outcomes are named \"VAS\""), "{e}");
    let m = r#"{"binary": [{"name": "X", "column": "c", "event_value": "2", "above": 1}]}"#;
    assert!(Mapping::from_json(m).unwrap().validate().unwrap_err().to_string().contains("not several"));
}

/// JOA (higher is better) rising by about 3 points in 40 patients, as a spine clinic's export.
fn joa_csv() -> String {
    let mut csv = String::from("Patient,JOA pre,JOA post\n");
    for i in 0..40 {
        let pre = 8 + (i % 5) as i32;
        let post = pre + [3, 4, 2, 5, 3, 0, 4, 2, 3, -1][i % 10];
        csv += &format!("P{i},{pre},{post}\n");
    }
    csv
}

#[test]
fn values_moving_against_the_stated_direction_are_said_on_the_outcome_table() {
    let csv = joa_csv();
    let m = r#"{"paired": [{"name": "JOA", "before": "JOA pre", "after": "JOA post"}]}"#;
    let a = run(csv.as_bytes(), m).unwrap();
    let note = a.report.notes.iter().find(|n| n.outcome == "JOA").expect("a note on JOA");
    assert!(note.message.contains("rose in 32 of 40") && note.message.contains("\"better\": \"higher\""), "{note:?}");
    for l in [cohortcalc::Lang::En, cohortcalc::Lang::Zh] {
        let tables = cohortcalc::report::tables(&a.report, l);
        let t = tables.iter().find(|t| t.title.starts_with("JOA")).unwrap();
        assert_eq!(t.notes.len(), 1, "{l:?}");
        assert!(t.notes[0].contains("better"), "{:?}", t.notes);
        // And under the responders, which it makes doubtful.
        let r = tables.iter().find(|t| t.title.starts_with("JOA: ") && t.columns.len() == 7).unwrap();
        assert_eq!(r.notes, t.notes, "{l:?}");
    }
    assert!(cohortcalc::report::markdown(&a.report, cohortcalc::Lang::En).contains("**Note:** values rose"));
    assert!(a.diagnostics.iter().any(|d| d.message.contains("rose in 32 of 40")));
    // Said the right way, nothing to note.
    let m = m.replace("\"JOA post\"", "\"JOA post\", \"better\": \"higher\"");
    let a = run(csv.as_bytes(), &m).unwrap();
    assert!(a.report.notes.is_empty(), "{:?}", a.report.notes);
}

#[test]
fn events_timed_at_the_end_of_follow_up_are_said_in_the_table_and_methods() {
    let e = r#"{"events": [{"name": "Death", "column": "fustat"}], "followup": {"days": "futime"}}"#;
    let a = run(OVARIAN, e).unwrap();
    assert!(a
        .report
        .notes
        .iter()
        .any(|n| n.outcome == "Death" && n.message.contains("end of the patient's follow-up")));
    for l in [cohortcalc::Lang::En, cohortcalc::Lang::Zh] {
        let t = cohortcalc::report::tables(&a.report, l);
        assert!(t.iter().any(|t| t.title.starts_with("Death") && t.notes.len() == 1), "{l:?}");
        // The Kaplan–Meier table too.
        assert_eq!(t.iter().filter(|t| t.title.starts_with("Death") && t.notes.len() == 1).count(), 2, "{l:?}");
    }
    assert!(cohortcalc::report::methods(&a.report, cohortcalc::Lang::En)
        .contains("timed at the end of each patient's follow-up"));
    assert!(cohortcalc::report::methods(&a.report, cohortcalc::Lang::Zh).contains("随访结束时计时"));
    // With its own time, no such note.
    let a = run(OVARIAN, r#"{"events": [{"name": "Death", "column": "fustat", "time": "futime"}]}"#).unwrap();
    assert!(a.report.notes.is_empty());
}

#[test]
fn a_threshold_relative_to_the_range_says_so_in_its_definition() {
    // Grip strength (kg) is no scale known by name: responders gain a tenth of the range seen.
    let mut csv = String::from("Grip pre,Grip post\n");
    for i in 0..30 {
        csv += &format!("{},{}\n", 20 + i % 10, 24 + (i * 7) % 13);
    }
    let m = r#"{"paired": [{"name": "Grip", "before": "Grip pre", "after": "Grip post", "better": "higher"}]}"#;
    let a = run(csv.as_bytes(), m).unwrap();
    let def = &a.report.strata[0].paired["Grip"].responders[0].definition;
    // Values 20–36: a range of 16, a tenth of it 1.6.
    assert_eq!(def, "improved by ≥ 1.6 points (10% of the range, no MCID known)");
    let zh = cohortcalc::report::tables(&a.report, cohortcalc::Lang::Zh);
    let r = zh.iter().find(|t| t.title.starts_with("Grip: ") && t.columns.len() == 7).unwrap();
    assert_eq!(r.rows[0][1], "改善 ≥ 1.6 分（取值范围的 10%，无已知 MCID）");
}

#[test]
fn names_for_values_a_column_does_not_hold_are_warned_about() {
    // "3" is a typing error (arms 1 and 2), and so is "9" (resid.ds is 1 or 2).
    let a = run(
        OVARIAN,
        r#"{"strata": {"column": "rx"}, "covariates": ["age", "resid.ds"], "categorical": ["resid.ds"],
            "labels": {"rx": {"1": "A", "3": "B"}, "resid.ds": {"1": "No", "2": "Yes", "9": "?"}},
            "binary": [{"name": "Residual disease", "column": "resid.ds", "event_value": "2"}]}"#,
    )
    .unwrap();
    let warned = |col: &str, what: &str| {
        a.diagnostics.iter().any(|d| d.position.column.as_deref() == Some(col) && d.message.contains(what))
    };
    assert!(warned("rx", "\"labels\" name \"3\", which the column does not hold"), "{:#?}", a.diagnostics);
    assert!(warned("resid.ds", "\"labels\" name \"9\""), "{:#?}", a.diagnostics);
    let names: Vec<&str> = a.report.strata.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Overall", "A", "2"]);
    let a = run(
        OVARIAN,
        r#"{"labels": {"ecog.ps": {"1": "Fully active"}}, "binary": [{"name": "R", "column": "resid.ds", "event_value": "2"}]}"#,
    )
    .unwrap();
    // The names of ECOG would show nowhere: ecog.ps is neither strata nor covariate.
    assert!(a.diagnostics.iter().any(|d| d.message.contains("neither the strata column nor a covariate")));
}

#[test]
fn codes_exported_with_their_labels_are_yes_and_no() {
    // medicaldata::indo_rct writes its yes/no columns "1_yes" / "0_no": each was "not yes or no".
    let csv = include_bytes!("../data/guess/r_medicaldata_indo_rct.csv");
    let a = run(
        csv,
        r#"{"strata": {"column": "rx"}, "binary": [{"name": "Post-ERCP pancreatitis", "column": "outcome"}]}"#,
    )
    .unwrap();
    let b = &a.report.strata[0].binary["Post-ERCP pancreatitis"];
    // As with "event_value": "1_yes".
    let v = run(
        csv,
        r#"{"strata": {"column": "rx"}, "binary": [{"name": "Post-ERCP pancreatitis", "column": "outcome", "event_value": "1_yes"}]}"#,
    )
    .unwrap();
    let w = &v.report.strata[0].binary["Post-ERCP pancreatitis"];
    assert_eq!((b.events, b.n), (w.events, w.n));
    assert!(b.n > 500 && b.events > 50, "{b:?}");
    // And the guess finds it as the outcome.
    let g = cohortcalc::mapping::guess_roles(
        &cohortcalc::ingest::read(csv, &Default::default(), &mut Vec::new(), &mut |_| {}).unwrap(),
    );
    assert!(g.mapping.binary.iter().any(|b| b.column == "outcome"), "{:?}", g.mapping.binary);
}

/// Messy tables under mappings that use every new way of saying what codes mean (a yes value, a
/// cut-off, categorical numbers, labels, numbered strata): never a panic, and when analysed,
/// every row and every outcome value accounted for; when refused, the error names a column.
#[test]
fn messy_tables_under_coded_mappings_account_for_every_row() {
    use crate::flow::{accounting_errors, Rng};
    const CELLS: &[&str] = &[
        "1", "2", "0", "3", "10", "1_yes", "0_no", "2 = No", "Yes", "no", "7/10", "7-8", "NA", "", "x", "-1", "2.5",
        "1e3", "888", "−2", "12/10", "3-4", "A", "b",
    ];
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let (mut analysed, mut refused) = (0, 0);
    for case in 0..600 {
        let rows = 1 + rng.next(30);
        let mut csv = String::from("arm,score before,score after,flag,level\n");
        for _ in 0..rows {
            let row: Vec<&str> = (0..5).map(|_| CELLS[rng.next(CELLS.len())]).collect();
            csv += &row.join(",");
            csv.push('\n');
        }
        let binary = match rng.next(4) {
            0 => r#"{"name": "Flag", "column": "flag"}"#.to_string(),
            1 => format!(r#"{{"name": "Flag", "column": "flag", "event_value": "{}"}}"#, CELLS[rng.next(6)]),
            2 => format!(r#"{{"name": "Flag", "column": "flag", "above": {}}}"#, rng.next(4)),
            _ => format!(r#"{{"name": "Flag", "column": "flag", "at_most": {}}}"#, rng.next(4)),
        };
        let categorical = if rng.next(2) == 0 { r#""categorical": ["arm", "level"],"# } else { "" };
        let json = format!(
            r#"{{"strata": {{"column": "arm"}}, {categorical} "labels": {{"arm": {{"1": "One", "2": "Two", "9": "Nine"}}, "level": {{"0": "Zero"}}}},
                "paired": [{{"name": "Score", "before": "score before", "after": "score after"}}],
                "binary": [{binary}], "covariates": ["level"]}}"#
        );
        let m = cohortcalc::Mapping::from_json(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
        match cohortcalc::analyze(csv.as_bytes(), Some(&m)) {
            Ok(a) => {
                analysed += 1;
                let errs = accounting_errors(&a.report);
                assert!(errs.is_empty(), "case {case}:\n{}\n{csv}\n{json}", errs.join("\n"));
            }
            Err(e) => {
                refused += 1;
                let s = e.to_string();
                assert!(
                    s.contains("column \"") || s.contains("no data") || s.contains("none of the"),
                    "case {case}: {s}\n{csv}"
                );
            }
        }
    }
    assert!(analysed > 300, "{analysed} analysed, {refused} refused");
}
