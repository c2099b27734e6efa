//! Inspecting a file before mapping it, and spreadsheets giving the same report as their CSV twin.

#[test]
fn a_workbook_lists_its_sheets_and_the_guessed_roles() {
    let i = cohortcalc::inspect(include_bytes!("../data/ingest/cohort.xlsx"), None).expect("inspects");
    assert_eq!(i.sheets, ["Empty", "Cohort", "Other"]);
    assert_eq!(i.sheet.as_deref(), Some("Cohort"));
    assert_eq!(i.guess.mapping.sheet.as_deref(), Some("Cohort"));
    assert!(i.headers.iter().any(|h| h == "DEXA T-score"));
    let before = i.guess.roles.iter().find(|r| r.role == "paired.before").expect("a before column");
    assert_eq!(before.column, "VAS baseline");
    assert!(before.confidence > 0.5 && before.confidence <= 1.0);
}

#[test]
fn a_csv_has_no_sheets() {
    let i = cohortcalc::inspect(cohortcalc::DEMO_CSV, None).unwrap();
    assert!(i.sheets.is_empty());
    assert_eq!(i.rows, 134);
}

#[test]
fn xlsx_ods_and_xls_give_the_report_of_their_csv_twin() {
    let csv = cohortcalc::analyze(include_bytes!("../data/ingest/clean.csv"), None).expect("csv analyses");
    for (name, bytes) in [
        ("xlsx", &include_bytes!("../data/ingest/cohort.xlsx")[..]),
        ("ods", &include_bytes!("../data/ingest/cohort.ods")[..]),
        ("xls", &include_bytes!("../data/ingest/cohort.xls")[..]),
    ] {
        let sheet = cohortcalc::analyze(bytes, None).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(sheet.report.strata, csv.report.strata, "{name}");
        assert_eq!(sheet.report.comparisons, csv.report.comparisons, "{name}");
    }
}

/// A file opened once is analysed under one mapping after another (the page's mapping panel)
/// exactly as reading it afresh each time would.
#[test]
fn a_file_opened_once_analyses_as_a_fresh_read_under_each_mapping() {
    let bytes = cohortcalc::DEMO_CSV;
    let opened = cohortcalc::Opened::read(bytes, None, &mut |_| {}).expect("reads");
    assert_eq!(opened.inspection(), cohortcalc::inspect(bytes, None).unwrap());
    let demo = cohortcalc::demo_mapping();
    let mut no_strata = demo.clone();
    no_strata.strata = None;
    // A comparison of strata without strata is a plain mapping error (it once panicked).
    let err = opened.analyze(Some(&no_strata)).expect_err("compare without strata");
    assert!(err.to_string().contains("there are no strata"), "{err}");
    no_strata.compare.clear();
    for mapping in [Some(&demo), Some(&no_strata), None] {
        let fresh = cohortcalc::analyze(bytes, mapping).expect("analyses");
        let again = opened.analyze(mapping).expect("analyses");
        assert!(again == fresh, "the analyses differ under {mapping:?}");
    }
    let xlsx = include_bytes!("../data/ingest/cohort.xlsx");
    let book = cohortcalc::Opened::read(xlsx, None, &mut |_| {}).expect("reads");
    assert_eq!(book.sheet(), Some("Cohort"));
    assert!(book.analyze(None).unwrap() == cohortcalc::analyze(xlsx, None).unwrap(), "the workbook's analyses differ");
}
