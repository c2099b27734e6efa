//! Whole-file analyses against values computed independently by `tests/oracles/file_oracle.py`
//! (pandas, scipy, statsmodels; cross-checked with R).

use cohortcalc::report::{Estimable, StratumReport, Summary};
use cohortcalc::Mapping;
use serde_json::Value;

struct Check {
    file: &'static str,
    failures: Vec<String>,
    compared: usize,
}

impl Check {
    fn close(&mut self, what: &str, got: Option<f64>, want: &Value, p_value: bool) {
        self.compared += 1;
        match (got, want.as_f64()) {
            (None, None) => {}
            (Some(g), Some(w)) => {
                let ok = if p_value { (g - w).abs() <= 1e-7 } else { (g - w).abs() <= 1e-9 * w.abs().max(1e-3) };
                if !ok {
                    self.failures.push(format!("{}: {what}: got {g}, want {w}", self.file));
                }
            }
            (g, _) => self.failures.push(format!("{}: {what}: got {g:?}, want {want}", self.file)),
        }
    }
    fn count(&mut self, what: &str, got: usize, want: &Value) {
        self.compared += 1;
        if want.as_u64() != Some(got as u64) {
            self.failures.push(format!("{}: {what}: got {got}, want {want}", self.file));
        }
    }
    fn summary(&mut self, what: &str, s: &Summary, w: &Value, prefix: &str) {
        self.close(&format!("{what} mean"), s.mean, &w[format!("{prefix}mean")], false);
        self.close(&format!("{what} sd"), s.sd, &w[format!("{prefix}sd")], false);
        self.close(&format!("{what} median"), s.median, &w[format!("{prefix}median")], false);
        self.close(&format!("{what} q1"), s.q1, &w[format!("{prefix}q1")], false);
        self.close(&format!("{what} q3"), s.q3, &w[format!("{prefix}q3")], false);
    }
}

fn val<T: Copy>(e: &Estimable<T>) -> Option<T> {
    e.value().copied()
}

fn check_stratum(c: &mut Check, s: &StratumReport, w: &Value) {
    let name = &s.name;
    c.count(&format!("{name} n"), s.n, &w["n"]);
    for (outcome, wp) in w["paired"].as_object().expect("paired") {
        let p = &s.paired[outcome];
        let k = format!("{name} {outcome}");
        c.count(&format!("{k} pairs"), p.pairs, &wp["pairs"]);
        c.count(&format!("{k} missing"), p.missing, &wp["missing"]);
        c.summary(&format!("{k} before"), &p.before, wp, "before_");
        c.summary(&format!("{k} after"), &p.after, wp, "after_");
        c.close(&format!("{k} diff mean"), p.difference.mean, &wp["diff_mean"], false);
        c.close(&format!("{k} diff sd"), p.difference.sd, &wp["diff_sd"], false);
        let ci = p.difference_ci95.value();
        c.close(&format!("{k} diff ci lower"), ci.map(|i| i.lower), &wp["diff_ci_lower"], false);
        c.close(&format!("{k} diff ci upper"), ci.map(|i| i.upper), &wp["diff_ci_upper"], false);
        let t = p.t_test.value();
        c.close(&format!("{k} t"), t.map(|t| t.t), &wp["t"], false);
        c.close(&format!("{k} df"), t.map(|t| t.df), &wp["df"], false);
        c.close(&format!("{k} p (t)"), t.map(|t| t.p), &wp["p_t"], true);
        let wx = p.wilcoxon.value();
        c.close(&format!("{k} V"), wx.map(|w| w.v), &wp["wilcoxon_v"], false);
        c.close(&format!("{k} p (Wilcoxon)"), wx.map(|w| w.p), &wp["wilcoxon_p"], true);
        let method = wx.map(|w| if w.method == "exact" { "exact" } else { "normal" });
        c.compared += 1;
        if method != wp["wilcoxon_method"].as_str() {
            c.failures.push(format!("{}: {k} Wilcoxon method: got {method:?}, want {}", c.file, wp["wilcoxon_method"]));
        }
        c.close(&format!("{k} dz"), val(&p.dz), &wp["dz"], false);
    }
    for (outcome, wb) in w["binary"].as_object().expect("binary") {
        let b = &s.binary[outcome];
        let k = format!("{name} {outcome}");
        c.count(&format!("{k} n"), b.n, &wb["n"]);
        c.count(&format!("{k} events"), b.events, &wb["events"]);
        c.count(&format!("{k} missing"), b.missing, &wb["missing"]);
        c.close(&format!("{k} percent"), val(&b.percent), &wb["percent"], false);
        let wi = b.wilson_ci95.value();
        c.close(&format!("{k} wilson lower"), wi.map(|i| i.lower), &wb["wilson_lower"], false);
        c.close(&format!("{k} wilson upper"), wi.map(|i| i.upper), &wb["wilson_upper"], false);
        let cp = b.clopper_pearson_ci95.value();
        c.close(&format!("{k} cp lower"), cp.map(|i| i.lower), &wb["cp_lower"], false);
        c.close(&format!("{k} cp upper"), cp.map(|i| i.upper), &wb["cp_upper"], false);
    }
    for (outcome, we) in w["events"].as_object().expect("events") {
        let e = &s.events[outcome];
        let k = format!("{name} {outcome}");
        c.count(&format!("{k} n"), e.n, &we["n"]);
        c.count(&format!("{k} events"), e.events, &we["events"]);
        c.close(&format!("{k} percent"), val(&e.percent), &we["percent"], false);
        let cp = e.clopper_pearson_ci95.value();
        c.close(&format!("{k} cp lower"), cp.map(|i| i.lower), &we["cp_lower"], false);
        c.close(&format!("{k} cp upper"), cp.map(|i| i.upper), &we["cp_upper"], false);
        c.close(&format!("{k} rule of three"), e.rule_of_three_upper, &we["rule_of_three_upper"], false);
        c.close(&format!("{k} person-years"), Some(e.person_years), &we["person_years"], false);
    }
    let wf = &w["followup_months"];
    if !wf.is_null() {
        let f = s.followup_months.as_ref().expect("follow-up");
        c.count(&format!("{name} follow-up n"), f.n, &wf["n"]);
        c.summary(&format!("{name} follow-up"), f, wf, "");
    }
}

fn check_file(file: &'static str, csv: &[u8], mapping: &str, expected: &str) {
    let mapping = Mapping::from_json(mapping).expect("mapping");
    let a = cohortcalc::analyze(csv, Some(&mapping)).expect("analyses");
    let want: Value = serde_json::from_str(expected).expect("expected JSON");
    let mut c = Check { file, failures: vec![], compared: 0 };
    let wstrata = want["strata"].as_array().expect("strata");
    let got: Vec<&str> = a.report.strata.iter().map(|s| s.name.as_str()).collect();
    let wanted: Vec<&str> = wstrata.iter().map(|s| s["name"].as_str().unwrap_or_default()).collect();
    let (mut g, mut w) = (got.clone(), wanted.clone());
    g.sort();
    w.sort();
    assert_eq!(g, w, "strata of {file}");
    for ws in wstrata {
        let s = a.report.strata.iter().find(|s| s.name == ws["name"].as_str().unwrap_or_default()).unwrap();
        check_stratum(&mut c, s, ws);
    }
    assert!(c.compared > 100, "{file}: only {} comparisons", c.compared);
    assert!(
        c.failures.is_empty(),
        "{} of {} comparisons failed:\n{}",
        c.failures.len(),
        c.compared,
        c.failures.join("\n")
    );
}

#[test]
fn demo_matches_the_oracle() {
    check_file(
        "demo.csv",
        include_bytes!("../data/demo.csv"),
        include_str!("../data/demo.mapping.json"),
        include_str!("../data/expected/demo.json"),
    );
}

#[test]
fn second_cohort_matches_the_oracle() {
    check_file(
        "second.csv",
        include_bytes!("../data/second.csv"),
        include_str!("../data/second.mapping.json"),
        include_str!("../data/expected/second.json"),
    );
}

#[test]
fn second_cohort_reports_the_junk_cell_by_row_and_column() {
    let mapping = Mapping::from_json(include_str!("../data/second.mapping.json")).unwrap();
    let a = cohortcalc::analyze(include_bytes!("../data/second.csv"), Some(&mapping)).unwrap();
    let junk = a.diagnostics.iter().find(|d| d.message.contains("7,5a")).expect("a diagnostic for 7,5a");
    assert_eq!(junk.position.column.as_deref(), Some("Pain after"));
    assert!(junk.position.row.is_some());
    let rendered = junk.to_string();
    assert!(rendered.starts_with("warning: row "), "{rendered}");
}

#[test]
fn second_cohort_guessed_mapping_finds_its_roles() {
    let (m, _) = cohortcalc::guess_mapping(include_bytes!("../data/second.csv")).unwrap();
    let mut want = Mapping::from_json(include_str!("../data/second.mapping.json")).unwrap();
    want.compare.clear();
    assert_eq!(m, want);
}
