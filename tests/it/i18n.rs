//! 中文: every note the core makes about a file comes in Chinese too (`message_zh`), and every
//! error has its Chinese message, and so has every reason a figure is not estimable in the tables, so the page in 中文 shows no English of the core's own. Checked over every file of the test corpus, read with a guessed mapping and, where one
//! is given, with its mapping.

use cohortcalc::{Lang, Mapping};
use std::path::{Path, PathBuf};

fn cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

fn files(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(dir);
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| !matches!(p.extension().and_then(|e| e.to_str()), Some("json" | "py" | "dat" | "txt")))
        .collect();
    v.sort();
    v
}

#[test]
fn every_note_on_every_corpus_file_is_given_in_chinese_too() {
    let mut notes = 0;
    let mut errors = 0;
    let mut reasons = 0;
    for path in ["", "messy", "ingest", "bad"].iter().flat_map(|d| files(d)) {
        if path.is_dir() {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let mapping_file = path.with_extension("mapping.json");
        let mut mappings = vec![None];
        if mapping_file.exists() {
            mappings.push(Some(Mapping::from_json(&std::fs::read_to_string(&mapping_file).unwrap()).unwrap()));
        }
        for m in &mappings {
            match cohortcalc::analyze(&bytes, m.as_ref()) {
                Ok(a) => {
                    for d in &a.diagnostics {
                        notes += 1;
                        assert!(cjk(&d.message_zh), "{}: no Chinese for {d:?}", path.display());
                    }
                    // Why rows and values were not used (the flow), in Chinese.
                    let flow = &a.report.flow;
                    let outcomes = flow.strata.iter().flat_map(|s| &s.outcomes);
                    for f in flow.excluded.iter().chain(&flow.unassigned).chain(outcomes.flat_map(|o| &o.missing)) {
                        reasons += 1;
                        let zh = cohortcalc::i18n::row_reason(&f.reason, Lang::Zh);
                        assert!(cjk(&zh), "{}: no Chinese for the reason {:?}", path.display(), f.reason);
                    }
                    // The Results paragraph, in both languages, with no unprintable number.
                    let (en, zh) = (
                        cohortcalc::report::results_text(&a.report, Lang::En),
                        cohortcalc::report::results_text(&a.report, Lang::Zh),
                    );
                    assert!(en.starts_with("Of ") && cjk(&zh), "{}: results text {en:?} / {zh:?}", path.display());
                    assert!(
                        !["NaN", "inf", "undefined"].iter().any(|j| en.contains(j) || zh.contains(j)),
                        "{}: {en}",
                        path.display()
                    );
                    // Why a figure is not estimable, and the responders' definitions, in the Chinese tables.
                    for table in cohortcalc::report::tables(&a.report, Lang::Zh) {
                        for cell in table.rows.iter().flatten() {
                            assert!(!cell.contains("improved by"), "{}: {cell:?} in Chinese", path.display());
                            if let Some(why) = cell.strip_prefix("无法估计: ") {
                                reasons += 1;
                                assert!(cjk(why), "{}: {:?}: no Chinese for {why:?}", path.display(), table.title);
                            }
                        }
                    }
                }
                Err(e) => {
                    errors += 1;
                    let zh = e.message(Lang::Zh);
                    assert!(e.detail_zh().is_some_and(cjk), "{}: no Chinese for {e}", path.display());
                    assert!(cjk(&zh), "{}: {zh}", path.display());
                }
            }
        }
    }
    assert!(notes > 100 && errors > 5 && reasons > 0, "{notes} notes, {errors} errors and {reasons} reasons looked at");
}
