//! The demo cohort reproduces every headline figure of Bellow et al. 2025 as printed.

use cohortcalc::report::markdown;

fn demo_md() -> String {
    let a = cohortcalc::analyze_demo().expect("the demo analyses");
    markdown(&a.report, cohortcalc::Lang::En)
}

fn row<'a>(md: &'a str, table: &str, stratum: &str) -> &'a str {
    let start = md.find(&format!("## {table}")).unwrap_or_else(|| panic!("no table {table}"));
    md[start..]
        .lines()
        .find(|l| l.starts_with(&format!("| {stratum} ")))
        .unwrap_or_else(|| panic!("no row {stratum} in {table}"))
}

#[test]
fn demo_reproduces_the_published_cohort_sizes() {
    let md = demo_md();
    assert_eq!(row(&md, "Patients", "Overall"), "| Overall | 134 |");
    assert_eq!(row(&md, "Patients", "Osteopenia"), "| Osteopenia | 23 |");
    assert_eq!(row(&md, "Patients", "Osteoporosis"), "| Osteoporosis | 9 |");
    assert_eq!(
        row(&md, "Patients", "Reduced bone density"),
        "| Reduced bone density (Osteopenia + Osteoporosis) | 32 |"
    );
}

#[test]
fn demo_reproduces_the_published_vas_means_and_p_values() {
    let md = demo_md();
    let overall = row(&md, "VAS before and after", "Overall");
    assert!(overall.contains("| 7.04 ± "), "{overall}");
    assert!(overall.contains("| 3.78 ± "), "{overall}");
    assert!(overall.contains("| < 0.001 |"), "{overall}");
    let reduced = row(&md, "VAS before and after", "Reduced bone density");
    assert!(reduced.contains("| 6.75 ± "), "{reduced}");
    assert!(reduced.contains("| 4.13 ± "), "{reduced}");
    assert!(reduced.contains("| < 0.001 |"), "{reduced}");
}

#[test]
fn demo_reproduces_the_published_functional_improvement() {
    let md = demo_md();
    assert!(row(&md, "Functional improvement", "Overall").contains("| 106 | 79.1 |"));
    assert!(row(&md, "Functional improvement", "Reduced bone density").contains("| 25 | 78.1 |"));
}

#[test]
fn demo_has_no_fractures_and_the_published_follow_up() {
    let md = demo_md();
    assert!(row(&md, "VCF", "Overall").starts_with("| Overall | 134 | 0 | 0.0 |"));
    assert!(row(&md, "Follow-up (months)", "Overall").contains("| 18.07 ± "));
}

#[test]
fn demo_mapping_is_what_the_guess_finds() {
    let (guessed, notes) = cohortcalc::guess_mapping(cohortcalc::DEMO_CSV).expect("guessable");
    let mut expected = cohortcalc::demo_mapping();
    expected.compare.clear();
    assert_eq!(guessed, expected, "notes: {notes:?}");
}

#[test]
fn demo_rows_are_all_accounted_for() {
    let a = cohortcalc::analyze_demo().unwrap();
    assert_eq!(a.report.rows_read, a.report.rows_included + a.report.excluded.len());
    assert!(a.diagnostics.iter().all(|d| d.severity == cohortcalc::Severity::Info), "{:?}", a.diagnostics);
}

#[test]
fn demo_chart_draws_every_stratum() {
    let a = cohortcalc::analyze_demo().unwrap();
    let svg = cohortcalc::chart::paired_means_svg(&a.report, "VAS", 900, 560).unwrap();
    // Long stratum names may wrap onto two lines; every stratum's n is printed under its name.
    for s in ["Overall", "Normal", "Osteopenia", "Osteoporosis", "Reduced bone", "Before", "After", "n = 134", "n = 32"]
    {
        assert!(svg.contains(s), "chart lacks {s}");
    }
}

#[test]
fn demo_tables_in_chinese_keep_the_published_figures() {
    let a = cohortcalc::analyze_demo().unwrap();
    let md = markdown(&a.report, cohortcalc::Lang::Zh);
    assert!(md.contains("治疗前后"), "{md}");
    assert!(md.contains("| 骨密度降低 (骨量减少 + 骨质疏松) | 32 |"), "{md}");
    for s in ["| 7.04 ± ", "| 3.78 ± ", "| 6.75 ± ", "| 4.13 ± ", "| 79.1 |", "| 78.1 |", "| 18.07 ± "] {
        assert!(md.contains(s), "missing {s}");
    }
    // Ranges as Chinese journals print them; no English left in the cells.
    assert!(md.contains("～"), "{md}");
    assert!(!md.contains(" to "), "{md}");
}

/// A chi-square test with an expected count below 5 is flagged where its p-value is shown (the
/// demo's Sex by WHO category: 9 patients with osteoporosis, 2 men), one without is not.
#[test]
fn chi_square_with_small_expected_counts_is_flagged_in_the_tables() {
    let md = demo_md();
    assert!(
        row(&md, "Table 1", "Sex: F, n (%)").ends_with("| 0.008 (Pearson chi-square; an expected count below 5) |"),
        "{}",
        row(&md, "Table 1", "Sex: F, n (%)")
    );
    assert!(
        row(&md, "Table 1", "Age, mean ± SD").contains("(one-way ANOVA); ")
            && !row(&md, "Table 1", "Age, mean ± SD").contains("below 5"),
        "an ANOVA is flagged"
    );
    let a = cohortcalc::analyze_demo().expect("the demo analyses");
    let zh = cohortcalc::report::markdown(&a.report, cohortcalc::Lang::Zh);
    assert!(zh.contains("0.008 (Pearson 卡方检验；有期望频数小于 5)"), "not flagged in Chinese");
}

/// The Results paragraph (to paste into a manuscript) gives the published figures as the tables
/// round them, in English and Chinese.
#[test]
fn results_paragraph_gives_the_published_figures() {
    let a = cohortcalc::analyze_demo().expect("the demo analyses");
    let en = cohortcalc::report::results_text(&a.report, cohortcalc::Lang::En);
    contains_all(
        &en,
        &[
            "Of 134 rows read, 134 patients were included (0 excluded).",
            "Osteopenia 23, Osteoporosis 9",
            "Reduced bone density 32",
            "Overall (n = 134) from 7.04 ± 1.26 to 3.78 ± 2.16, mean difference −3.26 (−3.60 to −2.92), paired t-test p < 0.001",
            "Reduced bone density (n = 32) from 6.75 ± 0.98 to 4.13 ± 1.81",
            "Overall 106/134 (79.1%, 71.5 to 85.1)",
            "Reduced bone density 25/32 (78.1%, 61.2 to 89.0)",
            "VCF (n/N, %, 95% CI Clopper–Pearson): Overall 0/134 (0.0%, 0.0 to 2.7)",
            "Follow-up was 18.07 ± 14.47 months",
            "Reduced bone density vs Normal (difference = Reduced bone density − Normal): VAS change 0.89 (0.06 to 1.73), Welch t-test p = 0.037",
        ],
    );
    assert!(!en.contains("significant"), "the text judges significance");
    let zh = cohortcalc::report::results_text(&a.report, cohortcalc::Lang::Zh);
    contains_all(
        &zh,
        &[
            "纳入 134 例患者",
            "总体（n = 134）由 7.04 ± 1.26 变为 3.78 ± 2.16",
            "骨密度降低 25/32（78.1%，61.2～89.0）",
            "随访 134 例，时长 18.07 ± 14.47 个月",
        ],
    );
}

fn contains_all(text: &str, wanted: &[&str]) {
    for want in wanted {
        assert!(text.contains(want), "no {want:?} in {text}");
    }
}
