//! Row accounting: every row read is included or excluded with a reason, and in every stratum
//! every outcome's patients are used or missing with a reason — on the test files and on
//! thousands of generated messy tables.

use cohortcalc::report::Report;
use cohortcalc::Mapping;

/// Checks the accounting of one report, returning what is wrong.
pub(crate) fn accounting_errors(r: &Report) -> Vec<String> {
    let f = &r.flow;
    let mut errs = Vec::new();
    let mut check = |ok: bool, what: String| {
        if !ok {
            errs.push(what);
        }
    };
    let excluded: usize = f.excluded.iter().map(|e| e.n).sum();
    check(f.rows_read == r.rows_read, format!("rows read {} ≠ {}", f.rows_read, r.rows_read));
    check(f.rows_included == r.rows_included, "rows included differ".into());
    check(
        f.rows_included + excluded == f.rows_read,
        format!("included {} + excluded {excluded} ≠ read {}", f.rows_included, f.rows_read),
    );
    check(excluded == r.excluded.len(), "flow and report exclusions differ".into());
    let mut rows: Vec<usize> = f.excluded.iter().flat_map(|e| e.rows.iter().copied()).collect();
    check(rows.len() == excluded, "excluded rows not all listed".into());
    rows.sort_unstable();
    rows.dedup();
    check(rows.len() == excluded, "a row excluded twice".into());
    check(f.strata.len() == r.strata.len(), "flow strata differ".into());
    for (fs, s) in f.strata.iter().zip(&r.strata) {
        check(fs.name == s.name && fs.n == s.n, format!("stratum {} n {} ≠ {} {}", fs.name, fs.n, s.name, s.n));
        for o in &fs.outcomes {
            let missing: usize = o.missing.iter().map(|m| m.n).sum();
            let name = format!("{} / {} ({})", s.name, o.name, o.kind);
            check(o.used + missing == s.n, format!("{name}: used {} + missing {missing} ≠ n {}", o.used, s.n));
            if s.kind == "overall" {
                check(o.missing.iter().all(|m| m.rows.len() == m.n), format!("{name}: rows not all listed"));
            }
            let reported = match o.kind.as_str() {
                "paired" => s.paired.get(&o.name).map(|p| p.pairs),
                "binary" => s.binary.get(&o.name).map(|b| b.n),
                "event" => s.events.get(&o.name).map(|e| e.n),
                "followup" => s.followup_months.as_ref().map(|m| m.n),
                _ => None,
            };
            check(reported == Some(o.used), format!("{name}: report says {reported:?}, flow {}", o.used));
            if let Some(t) = &o.time {
                let m: usize = t.missing.iter().map(|m| m.n).sum();
                check(t.used + m == o.used, format!("{name}: time used {} + missing {m} ≠ {}", t.used, o.used));
                check(s.events.get(&o.name).map(|e| e.with_time) == Some(t.used), format!("{name}: with_time"));
            }
        }
    }
    if let Some(unknown) = r.strata.iter().find(|s| s.name == "Unknown" && s.kind == "level") {
        let n: usize = f.unassigned.iter().map(|u| u.n).sum();
        check(n == unknown.n, format!("Unknown has {} patients, {n} with a reason", unknown.n));
    }
    errs
}

fn assert_accounted(name: &str, r: &Report) {
    let errs = accounting_errors(r);
    assert!(errs.is_empty(), "{name}:\n{}", errs.join("\n"));
}

#[test]
fn every_test_file_accounts_for_every_row() {
    let files: [(&str, &[u8], &str); 6] = [
        ("demo", cohortcalc::DEMO_CSV, cohortcalc::DEMO_MAPPING),
        ("second", include_bytes!("../data/second.csv"), include_str!("../data/second.mapping.json")),
        ("clean", include_bytes!("../data/messy/clinic_clean.csv"), include_str!("../data/messy/clinic.mapping.json")),
        ("messy", include_bytes!("../data/messy/clinic_messy.csv"), include_str!("../data/messy/clinic.mapping.json")),
        (
            "semicolon",
            include_bytes!("../data/messy/clinic_semicolon.csv"),
            include_str!("../data/messy/clinic.mapping.json"),
        ),
        ("chinese", include_bytes!("../data/messy/chinese.csv"), include_str!("../data/messy/chinese.mapping.json")),
    ];
    for (name, bytes, mapping) in files {
        let a = cohortcalc::analyze(bytes, Some(&Mapping::from_json(mapping).unwrap())).unwrap();
        assert_accounted(name, &a.report);
    }
    let redcap = include_bytes!("../data/messy/redcap.csv");
    let (m, _) = cohortcalc::guess_mapping(redcap).unwrap();
    assert_accounted("redcap", &cohortcalc::analyze(redcap, Some(&m)).unwrap().report);
}

#[test]
fn demo_flow_has_the_published_numbers() {
    let a = cohortcalc::analyze_demo().unwrap();
    let f = &a.report.flow;
    assert_eq!((f.rows_read, f.rows_included), (134, 134));
    assert!(f.excluded.is_empty());
    let names: Vec<&str> = f.strata.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Overall", "Normal", "Osteopenia", "Osteoporosis", "Unknown", "Reduced bone density"]);
    let reduced = f.strata.iter().find(|s| s.name == "Reduced bone density").unwrap();
    assert_eq!(reduced.n, 32);
    let overall = &f.strata[0];
    let kinds: Vec<(&str, &str, usize)> =
        overall.outcomes.iter().map(|o| (o.name.as_str(), o.kind.as_str(), o.used)).collect();
    assert_eq!(
        kinds,
        [
            ("VAS", "paired", 134),
            ("Functional improvement", "binary", 134),
            ("VCF", "event", 134),
            ("Follow-up", "followup", 134)
        ]
    );
    let unknown: usize = f.unassigned.iter().map(|u| u.n).sum();
    assert_eq!(unknown, f.strata.iter().find(|s| s.name == "Unknown").unwrap().n);
    assert!(f.unassigned.iter().all(|u| u.reason == "no T-score"));
}

#[test]
fn flow_json_has_the_documented_shape() {
    let m = Mapping::from_json(include_str!("../data/messy/clinic.mapping.json")).unwrap();
    let a = cohortcalc::analyze(include_bytes!("../data/messy/clinic_messy.csv"), Some(&m)).unwrap();
    let v = serde_json::to_value(&a.report).unwrap();
    let f = &v["flow"];
    for key in ["rows_read", "rows_included", "excluded", "unassigned", "strata"] {
        assert!(!f[key].is_null(), "flow.{key}");
    }
    let o = &f["strata"][0]["outcomes"][0];
    assert_eq!(o["name"], "VAS");
    let m = &o["missing"][0];
    assert!(m["reason"].is_string() && m["column"].is_string() && m["n"].is_u64() && m["rows"].is_array(), "{m}");
    // Row numbers are listed in Overall only.
    assert!(f["strata"][1]["outcomes"][0]["missing"].as_array().unwrap().iter().all(|m| m.get("rows").is_none()));
    assert!(f["strata"][0]["outcomes"][2]["time"]["used"].is_u64());
}

/// A small deterministic generator (xorshift).
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.next(xs.len())]
    }
}

const NUMBERS: &[&str] = &["7", "3.5", "0", "10", "85", "-1", "-99", "-999", "150", "1e3", "7,5", "12", "4.25"];
const CODES: &[&str] = &["", "NA", "n/a", ".", "-", "missing", "Unknown", "888", "?", "#N/A", "  ", "x", "\"a,b\""];
const YESNO: &[&str] = &["Yes", "no", "Y", "N", "1", "0", "TRUE", "false", "Checked", "Unchecked", "是", "否", "maybe"];
const DATES: &[&str] = &[
    "2021-03-04",
    "04/03/2021",
    "03/25/2021",
    "25/03/2021",
    "44197",
    "60",
    "03/04/21",
    "2021年3月4日",
    "31-Mar-2021",
    "2021-02-30",
    "20210304",
    "2020",
    "soon",
];
const TSCORES: &[&str] = &["-2.6", "-1.0", "-1.1", "0.4", "-3.9", "-12", "7", "abc", "-2,5"];

fn generated(rng: &mut Rng) -> (String, Mapping) {
    let header = [
        "ID",
        "T-score",
        "Group",
        "VAS pre",
        "VAS post",
        "Improved",
        "Start",
        "End",
        "Months",
        "Fracture",
        "Fracture date",
        "Age",
        "Sex",
    ];
    let mut s = header.join(",") + "\n";
    let rows = 1 + rng.next(40);
    for i in 0..rows {
        if rng.next(15) == 0 {
            s.push('\n');
            continue;
        }
        let mut cells: Vec<String> = vec![format!("P{i}")];
        let cell = |rng: &mut Rng, pool: &[&str]| {
            if rng.next(5) == 0 {
                rng.pick(CODES).to_string()
            } else {
                rng.pick(pool).to_string()
            }
        };
        cells.push(cell(rng, TSCORES));
        cells.push(cell(rng, &["A", "B", "C"]));
        for _ in 0..2 {
            cells.push(cell(rng, NUMBERS));
        }
        cells.push(cell(rng, YESNO));
        for _ in 0..2 {
            cells.push(cell(rng, DATES));
        }
        cells.push(cell(rng, NUMBERS));
        cells.push(cell(rng, YESNO));
        cells.push(cell(rng, DATES));
        cells.push(cell(rng, NUMBERS));
        cells.push(cell(rng, &["F", "M", "f"]));
        if rng.next(10) == 0 {
            cells.truncate(rng.next(cells.len()));
        }
        s.push_str(&cells.join(","));
        s.push('\n');
    }
    let strata = match rng.next(3) {
        0 => r#""strata": {"tscore": "T-score"},"#,
        1 => r#""strata": {"column": "Group"},"#,
        _ => "",
    };
    let followup = match rng.next(3) {
        0 => r#""followup": {"start": "Start", "end": "End"},"#,
        1 => r#""followup": {"months": "Months"},"#,
        _ => "",
    };
    let event = match (rng.next(3), followup.contains("start"), followup.is_empty()) {
        (0, true, _) => r#"{"name": "Fracture", "column": "Fracture", "date": "Fracture date"}"#,
        (_, _, false) => r#"{"name": "Fracture", "column": "Fracture"}"#,
        _ => r#"{"name": "Fracture", "column": "Fracture", "time": "Months"}"#,
    };
    let scale = ["", r#", "scale": 100"#, r#", "scale": 10"#][rng.next(3)];
    let date_format = ["", r#""date_format": "MDY","#, r#""date_format": "DMY","#][rng.next(3)];
    let missing = ["", r#""missing": ["888", "x"],"#][rng.next(2)];
    let json = format!(
        r#"{{"id": "ID", {strata} {followup} {date_format} {missing}
            "paired": [{{"name": "VAS", "before": "VAS pre", "after": "VAS post"{scale}}}],
            "binary": [{{"name": "Improved", "column": "Improved"}}],
            "events": [{event}], "covariates": ["Age", "Sex"]}}"#
    );
    (s, Mapping::from_json(&json).unwrap_or_else(|e| panic!("{e}: {json}")))
}

#[test]
fn generated_messy_tables_account_for_every_row() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut analysed, mut refused) = (0, 0);
    for case in 0..800 {
        let (csv, mapping) = generated(&mut rng);
        // Guessing never panics either; when it finds outcomes, its mapping analyses the file.
        if case % 2 == 0 {
            if let Ok((guessed, _)) = cohortcalc::guess_mapping(csv.as_bytes()) {
                if let Ok(a) = cohortcalc::analyze(csv.as_bytes(), Some(&guessed)) {
                    let errs = accounting_errors(&a.report);
                    assert!(errs.is_empty(), "case {case} (guessed):\n{}\n{csv}", errs.join("\n"));
                }
            }
        }
        match cohortcalc::analyze(csv.as_bytes(), Some(&mapping)) {
            Ok(a) => {
                analysed += 1;
                let errs = accounting_errors(&a.report);
                assert!(errs.is_empty(), "case {case}:\n{}\n{csv}\n{}", errs.join("\n"), mapping.to_json());
            }
            Err(e) => {
                refused += 1;
                // Only a file with nothing to analyse may be refused.
                assert!(e.to_string().contains("no data"), "case {case}: {e}\n{csv}");
            }
        }
    }
    assert!(analysed > 500, "{analysed} analysed, {refused} refused");
}

/// A report saved before the flow section existed still reads (its flow is empty).
#[test]
fn a_report_without_a_flow_section_still_reads() {
    let report = cohortcalc::analyze_demo().unwrap().report;
    let mut json = serde_json::to_value(&report).unwrap();
    json.as_object_mut().unwrap().remove("flow");
    let old: cohortcalc::Report = serde_json::from_value(json).expect("reads without flow");
    assert_eq!(old.flow, cohortcalc::report::Flow::default());
    assert_eq!(old.strata, report.strata);
}

#[test]
fn blank_and_valueless_rows_are_excluded_each_with_its_reason() {
    // Enough rows for the distinct notes to be stored plain while the scores are coded: the
    // rows without a value are found column by column, and must still line up with the blank
    // rows met first.
    let mut csv = String::from("id,VAS baseline,VAS 6 wk,note\n");
    for i in 0..6000 {
        csv.push_str(&match i % 7 {
            0 => ",,,\n".to_string(),
            1 => format!("{i},,,\n"),
            2 => format!(",,,note {i}\n"),
            _ => format!("{i},{},{},note {i}\n", i % 11, (i + 3) % 11),
        });
    }
    let m = Mapping::from_json(
        r#"{"paired": [{"name": "VAS", "before": "VAS baseline", "after": "VAS 6 wk"}], "covariates": ["note"]}"#,
    )
    .unwrap();
    let r = cohortcalc::analyze(csv.as_bytes(), Some(&m)).unwrap().report;
    let expected: Vec<(usize, &str)> = (0..6000)
        .filter_map(|i| match i % 7 {
            0 => Some((i + 2, "empty row")),
            1 => Some((i + 2, "no value in any mapped column")),
            _ => None,
        })
        .collect();
    let got: Vec<(usize, &str)> = r.excluded.iter().map(|e| (e.row, e.reason.as_str())).collect();
    assert_eq!(got, expected);
    assert_eq!(r.rows_included, 6000 - expected.len());
    assert_accounted("blank and valueless", &r);
}

/// What a page is sent of a report whose lists of rows are long: every list cut to the first
/// `most` rows, the counts whole; a report with short lists is not copied.
#[test]
fn a_report_with_its_lists_of_rows_cut_keeps_its_counts() {
    // 1,500 empty rows (excluded), and 1,200 rows whose after value is missing (in the flow).
    let mut csv = String::from("VAS baseline,VAS 6 wk\n7,3\n");
    csv.push_str(&",\n".repeat(1500));
    csv.push_str(&"6,\n".repeat(1200));
    csv.push_str("8,4\n");
    let a = cohortcalc::analyze(csv.as_bytes(), None).expect("analyses");
    let r = &a.report;
    assert_eq!(r.excluded.len(), 1500);
    let cut = r.with_rows_cut(1000);
    assert!(matches!(cut, std::borrow::Cow::Owned(_)));
    assert_eq!(cut.excluded, r.excluded[..1000]);
    assert_eq!((cut.rows_read, cut.rows_included), (r.rows_read, r.rows_included));
    assert_eq!(cut.flow.excluded[0].n, 1500);
    assert_eq!(cut.flow.excluded[0].rows, r.flow.excluded[0].rows[..1000]);
    let missing =
        |r: &Report| r.flow.strata[0].outcomes[0].missing.iter().map(|m| (m.n, m.rows.len())).collect::<Vec<_>>();
    assert_eq!(missing(r), [(1200, 1200)]);
    assert_eq!(missing(&cut), [(1200, 1000)]);
    // Apart from the lists, the same report.
    let mut whole = cut.into_owned();
    whole.excluded = r.excluded.clone();
    whole.flow = r.flow.clone();
    assert_eq!(&whole, r);
    assert!(matches!(r.with_rows_cut(5000), std::borrow::Cow::Borrowed(_)));
}
