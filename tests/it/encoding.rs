//! Text files in the encodings Excel saves "CSV" in on Windows set to other languages: each is
//! read to the cells of its UTF-8 twin, and the note names the encoding found; the mapping's
//! `"encoding"` (the CLI's `--encoding`) reads a file in the encoding it names. The files are
//! written by `tests/oracles/make_ingest_files.py` (`encoding_files`).

use cohortcalc::ingest::{self, ReadOptions, Table};
use cohortcalc::{Diagnostic, Mapping};
use std::process::Command;

fn path(name: &str) -> String {
    format!("{}/tests/data/ingest/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn bytes(name: &str) -> Vec<u8> {
    std::fs::read(path(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn read_as(name: &str, encoding: Option<&str>) -> (Table, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let opts = ReadOptions { encoding: encoding.map(str::to_string), ..ReadOptions::default() };
    let t = ingest::read(&bytes(name), &opts, &mut diags, &mut |_| {}).unwrap_or_else(|e| panic!("{name}: {e}"));
    (t, diags)
}

fn read(name: &str) -> (Table, Vec<Diagnostic>) {
    read_as(name, None)
}

fn cells(t: &Table) -> Vec<Vec<String>> {
    (0..t.nrows()).map(|r| t.row(r).map(str::to_string).collect()).collect()
}

/// `name` reads to the headers and cells of its UTF-8 twin, in `encoding`, and a note says so in
/// both languages with `said` (e.g. "Windows-1252 (Western European)").
fn reads_as_twin(name: &str, twin: &str, encoding: &str, said: &str) -> (Table, Vec<Diagnostic>) {
    let (t, diags) = read(name);
    let (utf8, _) = read(twin);
    assert_eq!(t.headers(), utf8.headers(), "{name}");
    assert_eq!(cells(&t), cells(&utf8), "{name}");
    assert_eq!(t.dialect().encoding, encoding, "{name}");
    let note = diags.iter().find(|d| d.message.contains(said)).unwrap_or_else(|| panic!("{name}: {diags:#?}"));
    assert!(note.message_zh.contains(said.split(' ').next().unwrap()), "{name}: {note:?}");
    (t, diags)
}

/// Excel on German Windows saves Windows-1252 with semicolons. Its "öß" in "Größe" is also a
/// valid GB18030 pair, and a two-way GB18030-or-Windows-1252 rule read the file as Chinese
/// ("Größe" as "Gr鲞e") and said so.
#[test]
fn a_german_windows_1252_file_is_read_as_western_european() {
    let (t, diags) =
        reads_as_twin("german_cp1252.csv", "german_utf8.csv", "windows-1252", "Windows-1252 (Western European)");
    assert_eq!(
        t.headers(),
        [
            "Patient",
            "Geschlecht (männlich/weiblich)",
            "Größe (cm)",
            "Schuhgröße",
            "Schmerz vorher",
            "Schmerz nachher",
            "Bemerkung"
        ]
    );
    assert_eq!(t.cell(0, 6), "Füße geschwollen");
    assert_eq!(t.cell(1, 6), "Größe und Schuhgröße gemessen");
    assert!(t.dialect().decimal_comma);
    assert_eq!(t.dialect().delimiter, Some(';'));
    assert!(!diags.iter().any(|d| d.message.contains("Chinese") || d.message.contains("GB18030")), "{diags:#?}");
}

/// Excel on Taiwanese or Hong Kong Windows saves Big5.
#[test]
fn a_big5_file_is_read_as_traditional_chinese() {
    let (t, _) = reads_as_twin("chinese_big5.csv", "chinese_big5_utf8.csv", "Big5", "Big5 (Traditional Chinese)");
    assert_eq!(t.headers()[..3], ["病歷號", "性別", "骨密度T值"]);
    assert_eq!(t.cell(0, 6), "腰椎骨質疏鬆");
    assert_eq!(t.cell(3, 6), "壓迫性骨折");
}

/// Excel on Chinese Windows saves GB18030 (GBK): read as before the detector came, and said so.
#[test]
fn a_gb18030_file_is_read_as_chinese() {
    let (t, _) = reads_as_twin("chinese_gb18030.csv", "chinese_utf8.csv", "gb18030", "GB18030 (Chinese");
    assert_eq!(t.headers()[..3], ["患者编号", "性别", "T值"]);
    assert_eq!(t.cell(0, 6), "腰椎骨质疏松");
}

/// A Chinese export whose only Chinese is a few short words repeated row after row (性别 男/女,
/// 吸烟 是/否, 并发症 无/有): chardetng, shown the whole text, took these two-byte words between
/// commas for Cyrillic ones (ISO-8859-5); shown each distinct cell once, it finds GBK.
#[test]
fn a_gbk_file_of_few_short_words_is_read_as_chinese() {
    let (t, _) =
        reads_as_twin("chinese_gbk_short_words.csv", "chinese_gbk_short_words_utf8.csv", "gb18030", "GB18030 (Chinese");
    assert_eq!(t.headers()[..4], ["编号", "性别", "吸烟", "并发症"]);
    assert_eq!(t.nrows(), 120);
}

/// Excel on Japanese Windows saves Shift_JIS; half-width katakana (single bytes) included.
#[test]
fn a_shift_jis_file_is_read_as_japanese() {
    let (t, _) = reads_as_twin("japanese_shift_jis.csv", "japanese_utf8.csv", "Shift_JIS", "Shift_JIS (Japanese)");
    assert_eq!(t.headers()[..4], ["患者番号", "性別", "骨密度Tスコア", "治療前の痛み"]);
    assert_eq!(t.cell(2, 6), "ｶﾙﾃ確認済み");
    assert_eq!(t.cell(0, 5), "あり");
}

/// UTF-16 as Excel's "Unicode Text" saves it (LE with a BOM, tabs), and without a BOM.
#[test]
fn utf16_files_are_read_with_and_without_a_bom() {
    let (t, diags) = read("german_utf16le_bom_tab.csv");
    let (twin, _) = read("german_utf8.csv");
    assert_eq!((t.headers(), cells(&t)), (twin.headers(), cells(&twin)));
    assert_eq!(t.dialect().encoding, "UTF-16LE");
    assert_eq!(t.dialect().delimiter, Some('\t'));
    assert!(diags.iter().any(|d| d.message.contains("UTF-16LE text (it starts with a byte-order mark)")), "{diags:#?}");
    let (t, diags) = read("chinese_utf16le_no_bom.csv");
    let (twin, _) = read("chinese_utf8.csv");
    assert_eq!((t.headers(), cells(&t)), (twin.headers(), cells(&twin)));
    assert_eq!(t.dialect().encoding, "UTF-16LE");
    assert!(diags.iter().any(|d| d.message.contains("UTF-16LE text without a byte-order mark")), "{diags:#?}");
}

/// The mapping's encoding decides, whatever the bytes look like: the German file read in the
/// encoding asked for, right or wrong, with a note naming it; any label of the Encoding Standard.
#[test]
fn the_encoding_given_reads_the_file_in_it() {
    let (t, diags) = read_as("german_cp1252.csv", Some("windows-1252"));
    assert_eq!(t.headers()[2], "Größe (cm)");
    assert_eq!(t.dialect().encoding, "windows-1252");
    let note = diags.iter().find(|d| d.message.contains("the encoding the mapping gives")).expect("a note");
    assert!(note.message.contains("Windows-1252"), "{note:?}");
    assert!(note.message_zh.contains("映射指定的编码"), "{note:?}");
    // Other labels of the same encoding (latin1 is Windows-1252 in the Encoding Standard).
    for label in ["latin1", "ISO-8859-1", " CP1252 "] {
        assert_eq!(read_as("german_cp1252.csv", Some(label)).0.headers()[2], "Größe (cm)", "{label}");
    }
    // Asked for GB18030, it is read so (as the two-way rule read it).
    let (t, _) = read_as("german_cp1252.csv", Some("gb18030"));
    assert_eq!(t.headers()[2], "Gr鲞e (cm)");
    assert_eq!(t.dialect().encoding, "gb18030");
    // Asked for UTF-8, its bytes that are not UTF-8 are replaced, with a warning.
    let (t, diags) = read_as("german_cp1252.csv", Some("utf-8"));
    assert_eq!(t.headers()[2], "Gr\u{fffd}\u{fffd}e (cm)");
    assert!(diags.iter().any(|d| d.message.contains("are not UTF-8 text; they were replaced")), "{diags:#?}");
    // A Big5 file asked to be read as Big5, and a UTF-16 one as UTF-16LE (its BOM left out).
    assert_eq!(read_as("chinese_big5.csv", Some("big5")).0.cell(0, 6), "腰椎骨質疏鬆");
    let (t, _) = read_as("german_utf16le_bom_tab.csv", Some("utf-16le"));
    assert_eq!(t.headers()[0], "Patient");
}

#[test]
fn an_unknown_encoding_is_an_error_naming_it_and_some_known_ones() {
    let mut diags = Vec::new();
    let opts = ReadOptions { encoding: Some("klingon".into()), ..ReadOptions::default() };
    let e = ingest::read(&bytes("german_cp1252.csv"), &opts, &mut diags, &mut |_| {}).unwrap_err();
    let en = e.to_string();
    for want in ["\"klingon\"", "windows-1252", "gb18030", "shift_jis"] {
        assert!(en.contains(want), "{en}");
    }
    let zh = e.message(cohortcalc::Lang::Zh);
    assert!(zh.contains("不认识编码“klingon”"), "{zh}");
}

#[test]
fn a_spreadsheet_ignores_an_encoding_with_a_note() {
    let mut diags = Vec::new();
    let opts = ReadOptions { encoding: Some("big5".into()), ..ReadOptions::default() };
    let t = ingest::read(&std::fs::read(path("cohort.xlsx")).unwrap(), &opts, &mut diags, &mut |_| {}).unwrap();
    assert_eq!(t.headers()[0], "Record ID");
    assert!(diags.iter().any(|d| d.message.contains("the encoding \"big5\" asked for was ignored")), "{diags:#?}");
}

/// The mapping's `"encoding"` reaches the reading of the file in `analyze` (as `"sheet"` does),
/// and is kept in the report's mapping.
#[test]
fn the_mapping_encoding_reaches_the_analysis() {
    let json = |encoding: &str| {
        format!(
            r#"{{"id": "Patient", "paired": [{{"name": "Schmerz", "before": "Schmerz vorher",
               "after": "Schmerz nachher"}}], "covariates": ["Größe (cm)"]{encoding}}}"#
        )
    };
    let m = Mapping::from_json(&json(r#", "encoding": "windows-1252""#)).unwrap();
    assert_eq!(m.encoding.as_deref(), Some("windows-1252"));
    assert!(m.to_json().contains("\"encoding\": \"windows-1252\""), "{}", m.to_json());
    let a = cohortcalc::analyze(&bytes("german_cp1252.csv"), Some(&m)).expect("analyses");
    assert!(a.diagnostics.iter().any(|d| d.message.contains("the encoding the mapping gives")), "{:#?}", a.diagnostics);
    assert_eq!(a.report.mapping.encoding.as_deref(), Some("windows-1252"));
    // Read as Big5, the columns the mapping names are not there.
    let m = Mapping::from_json(&json(r#", "encoding": "big5""#)).unwrap();
    let e = cohortcalc::analyze(&bytes("german_cp1252.csv"), Some(&m)).unwrap_err();
    assert!(e.to_string().contains("Größe (cm)"), "{e}");
    // An unknown label is an error of the mapping, naming it.
    let m = Mapping::from_json(&json(r#", "encoding": "latin-9000""#)).unwrap();
    let e = cohortcalc::analyze(&bytes("german_cp1252.csv"), Some(&m)).unwrap_err();
    assert!(matches!(e.kind(), cohortcalc::ErrorKind::Mapping(_)), "{e:?}");
    assert!(e.to_string().contains("\"latin-9000\""), "{e}");
    // The file read so keeps the encoding in the guessed mapping (so that a saved mapping reads it alike).
    let opts = ReadOptions { encoding: Some("windows-1252".into()), ..ReadOptions::default() };
    let opened = cohortcalc::Opened::read_with(&bytes("german_cp1252.csv"), &opts, &mut |_| {}).unwrap();
    let inspection = opened.inspection();
    assert_eq!(inspection.encoding, "windows-1252");
    assert_eq!(inspection.guess.mapping.encoding.as_deref(), Some("windows-1252"));
    let detected = cohortcalc::Opened::read(&bytes("chinese_big5.csv"), None, &mut |_| {}).unwrap().inspection();
    assert_eq!((detected.encoding.as_str(), detected.guess.mapping.encoding.as_deref()), ("Big5", None));
}

fn cli(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cohortcalc")).args(args).output().expect("runs");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

#[test]
fn the_cli_takes_an_encoding() {
    let file = path("german_cp1252.csv");
    let (ok, out, err) = cli(&["convert", &file, "--encoding", "gb18030"]);
    assert!(ok, "{err}");
    assert!(out.starts_with("Patient,Geschlecht (m鋘nlich/weiblich),Gr鲞e (cm)"), "{out}");
    let (ok, out, _) = cli(&["convert", &file]);
    assert!(ok);
    assert!(out.starts_with("Patient,Geschlecht (männlich/weiblich),Größe (cm)"), "{out}");
    let (ok, _, err) = cli(&["convert", &file, "--encoding", "nope"]);
    assert!(!ok && err.contains("\"nope\""), "{err}");
    // The guessed mapping names the encoding given, so that analysing with it reads the file alike.
    let (ok, out, err) = cli(&["mapping", &path("chinese_gb18030.csv"), "--encoding", "GBK"]);
    assert!(ok, "{err}");
    assert!(out.contains("\"encoding\": \"GBK\"") && out.contains("治疗前VAS"), "{out}");
}
