//! Golden files: the CLI's `--format json` and `--format md` (English and Chinese) for the demo and
//! real and clinic-style files, byte for byte. They hold the behaviour still while the code is
//! rearranged; a change of behaviour rewrites them on purpose:
//!
//! ```sh
//! COHORTCALC_GOLDEN=write cargo test --test it golden
//! ```
//!
//! and the diff of `tests/data/golden/` is read and committed with the change.

use std::path::PathBuf;
use std::process::Command;

/// (golden name, file under tests/data, mapping under tests/data): the demo, and corpus files of
/// each kind — clinic exports in three languages and encodings, real data sets with codes,
/// cut-offs, categories and survival.
const CASES: &[(&str, Option<&str>, Option<&str>)] = &[
    ("demo", None, None),
    (
        "clinic_en_vertebral_augmentation",
        Some("guess/clinic_en_vertebral_augmentation.csv"),
        Some("guess/clinic_en_vertebral_augmentation.expected.json"),
    ),
    (
        "clinic_de_kyphoplastie",
        Some("guess/clinic_de_kyphoplastie.csv"),
        Some("guess/clinic_de_kyphoplastie.expected.json"),
    ),
    ("clinic_zh_pkp_pvp", Some("guess/clinic_zh_pkp_pvp.csv"), Some("guess/clinic_zh_pkp_pvp.expected.json")),
    ("r_survival_ovarian", Some("guess/r_survival_ovarian.csv"), Some("guess/r_survival_ovarian.expected.json")),
    (
        "r_medicaldata_licorice_gargle",
        Some("guess/r_medicaldata_licorice_gargle.csv"),
        Some("guess/r_medicaldata_licorice_gargle.expected.json"),
    ),
    ("clinic_de_kyphoplastie_guessed", Some("guess/clinic_de_kyphoplastie.csv"), None),
];

fn data(name: &str) -> String {
    format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn run(file: Option<&str>, mapping: Option<&str>, format: &str, lang: &str) -> String {
    let mut args = vec!["analyze".to_string()];
    args.extend(file.map(data));
    if let Some(m) = mapping {
        args.extend(["--mapping".into(), data(m)]);
    }
    args.extend(["--format".into(), format.into(), "--lang".into(), lang.into()]);
    let out = Command::new(env!("CARGO_BIN_EXE_cohortcalc")).args(&args).output().expect("runs");
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn cli_output_is_byte_identical_to_the_golden_files() {
    let dir = PathBuf::from(data("golden"));
    let write = std::env::var("COHORTCALC_GOLDEN").is_ok_and(|v| v == "write");
    let mut differ = Vec::new();
    for &(name, file, mapping) in CASES {
        for (suffix, format, lang) in [("json", "json", "en"), ("en.md", "md", "en"), ("zh.md", "md", "zh")] {
            let got = run(file, mapping, format, lang);
            let path = dir.join(format!("{name}.{suffix}"));
            if write {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, &got).unwrap();
                continue;
            }
            let want = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            if got != want {
                let line = got
                    .lines()
                    .zip(want.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or(got.lines().count().min(want.lines().count()));
                differ.push(format!(
                    "{}: first difference at line {}:\n  got:  {}\n  want: {}",
                    path.display(),
                    line + 1,
                    got.lines().nth(line).unwrap_or(""),
                    want.lines().nth(line).unwrap_or("")
                ));
            }
        }
    }
    assert!(differ.is_empty(), "{}\n(COHORTCALC_GOLDEN=write rewrites them)", differ.join("\n"));
}
