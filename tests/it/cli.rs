//! The command line: output formats and errors that name file, row and column.

use std::process::Command;

fn cli(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cohortcalc")).args(args).output().expect("runs");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

fn data(name: &str) -> String {
    format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn analyze_without_a_file_prints_the_demo_tables() {
    let (ok, out, _) = cli(&["analyze", "--format", "md"]);
    assert!(ok);
    for s in [
        "| Overall | 134 |",
        "| 7.04 ± ",
        "| 3.78 ± ",
        "| 6.75 ± ",
        "| 4.13 ± ",
        "< 0.001",
        "| 79.1 |",
        "| 78.1 |",
        "| 18.07 ± ",
    ] {
        assert!(out.contains(s), "missing {s}");
    }
}

#[test]
fn analyze_json_has_the_documented_shape() {
    let (ok, out, _) = cli(&["analyze", "--format", "json"]);
    assert!(ok);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let overall = &v["report"]["strata"][0];
    assert_eq!(overall["name"], "Overall");
    assert_eq!(overall["n"], 134);
    assert_eq!(overall["binary"]["Functional improvement"]["events"], 106);
    assert_eq!(overall["events"]["VCF"]["events"], 0);
    assert!(overall["paired"]["VAS"]["t_test"]["p"].as_f64().unwrap() < 0.001);
    assert!(v["report"]["excluded"].is_array());
    assert!(v["report"]["mapping"]["paired"].is_array());
}

#[test]
fn analyze_a_file_without_mapping_says_what_it_guessed() {
    let (ok, out, err) = cli(&["analyze", &data("second.csv")]);
    assert!(ok, "{err}");
    assert!(err.contains("guessed"), "{err}");
    assert!(out.contains("| Riverside |"));
}

#[test]
fn mapping_command_prints_editable_json_that_analyze_accepts() {
    let (ok, out, _) = cli(&["mapping", &data("demo.csv")]);
    assert!(ok);
    let path = std::env::temp_dir().join(format!("cohortcalc-mapping-{}.json", std::process::id()));
    std::fs::write(&path, out).unwrap();
    let (ok, md, err) = cli(&["analyze", &data("demo.csv"), "--mapping", path.to_str().unwrap()]);
    std::fs::remove_file(&path).ok();
    assert!(ok, "{err}");
    assert!(md.contains("| 7.04 ± "));
}

#[test]
fn a_mapping_naming_a_missing_column_fails_naming_file_and_column() {
    let path = std::env::temp_dir().join(format!("cohortcalc-bad-{}.json", std::process::id()));
    std::fs::write(&path, r#"{"paired": [{"name": "VAS", "before": "VAS baseline", "after": "VAS 12 wk"}]}"#).unwrap();
    let (ok, _, err) = cli(&["analyze", &data("demo.csv"), "--mapping", path.to_str().unwrap()]);
    std::fs::remove_file(&path).ok();
    assert!(!ok);
    assert!(err.contains("demo.csv") && err.contains("column \"VAS 12 wk\""), "{err}");
}

#[test]
fn a_file_without_outcomes_fails_with_a_plain_message() {
    let path = std::env::temp_dir().join(format!("cohortcalc-none-{}.csv", std::process::id()));
    std::fs::write(&path, "a,b\n1,2\n").unwrap();
    let (ok, out, err) = cli(&["analyze", path.to_str().unwrap()]);
    std::fs::remove_file(&path).ok();
    assert!(!ok);
    assert!(out.is_empty());
    assert!(err.starts_with("error: ") && err.contains("no outcome columns recognised"), "{err}");
}
