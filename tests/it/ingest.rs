//! Reading real files: every kind of file a clinic exports gives the same table (and the same
//! report) as its clean CSV twin; malformed files fail with a message that says what is wrong.
//! The files are written by `tests/oracles/make_ingest_files.py`.

use cohortcalc::ingest::{self, Dialect, FileFormat, ReadOptions, Table};
use cohortcalc::{Diagnostic, Mapping};
use std::process::Command;

fn path(name: &str) -> String {
    format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn bytes(name: &str) -> Vec<u8> {
    std::fs::read(path(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn read_sheet(name: &str, sheet: Option<&str>) -> (Table, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let opts = ReadOptions { sheet: sheet.map(str::to_string), ..ReadOptions::default() };
    let t = ingest::read(&bytes(name), &opts, &mut diags, &mut |_| {}).unwrap_or_else(|e| panic!("{name}: {e}"));
    (t, diags)
}

fn read(name: &str) -> (Table, Vec<Diagnostic>) {
    read_sheet(name, None)
}

fn cells(t: &Table) -> Vec<Vec<String>> {
    (0..t.nrows()).map(|r| t.row(r).map(str::to_string).collect()).collect()
}

/// The variants of `ingest/clean.csv`, and how each must be read.
struct Variant {
    file: &'static str,
    /// Numbers are written in another format: cells are compared through the dialect.
    numbers: bool,
    format: FileFormat,
    delimiter: Option<char>,
    encoding: &'static str,
    decimal_comma: bool,
    thousands: Option<char>,
    header_row: usize,
}

const fn csv(file: &'static str, delimiter: char, encoding: &'static str) -> Variant {
    Variant {
        file,
        numbers: false,
        format: FileFormat::Csv,
        delimiter: Some(delimiter),
        encoding,
        decimal_comma: false,
        thousands: None,
        header_row: 1,
    }
}

const fn sheet(file: &'static str, format: FileFormat) -> Variant {
    Variant { delimiter: None, encoding: "Unicode", format, header_row: 3, ..csv(file, ',', "") }
}

const VARIANTS: &[Variant] = &[
    csv("ingest/clean.csv", ',', "UTF-8"),
    csv("ingest/bom_utf8.csv", ',', "UTF-8"),
    Variant {
        numbers: true,
        decimal_comma: true,
        thousands: Some('.'),
        ..csv("ingest/semicolon_decimal_comma_cp1252.csv", ';', "windows-1252")
    },
    csv("ingest/latin1_no_decimal_comma.csv", ',', "windows-1252"),
    csv("ingest/utf16le_bom_tab.csv", '\t', "UTF-16LE"),
    csv("ingest/utf16be_bom.csv", ',', "UTF-16BE"),
    Variant { header_row: 4, ..csv("ingest/title_rows.csv", ',', "UTF-8") },
    csv("ingest/quoted_all_crlf.csv", ',', "UTF-8"),
    csv("ingest/ragged_trailing_headers.csv", ',', "UTF-8"),
    csv("ingest/blank_lines.csv", ',', "UTF-8"),
    Variant { header_row: 2, ..csv("ingest/sep_line_semicolon.csv", ';', "UTF-8") },
    csv("ingest/pipe.csv", '|', "UTF-8"),
    Variant { numbers: true, thousands: Some(','), ..csv("ingest/thousands_comma.csv", ',', "UTF-8") },
    sheet("ingest/cohort.xlsx", FileFormat::Xlsx),
    sheet("ingest/cohort.xls", FileFormat::Xls),
    sheet("ingest/cohort.ods", FileFormat::Ods),
];

#[test]
fn every_variant_reads_to_the_same_table_as_its_clean_twin() {
    let (clean, _) = read("ingest/clean.csv");
    assert_eq!(clean.nrows(), 12);
    assert_eq!(clean.ncols(), 13);
    for v in VARIANTS {
        let (t, _) = read(v.file);
        assert_eq!(t.headers(), clean.headers(), "{}", v.file);
        let got: Vec<Vec<String>> = if v.numbers {
            let d = t.dialect();
            (0..t.nrows()).map(|r| t.row(r).map(|c| d.number_text(c).into_owned()).collect()).collect()
        } else {
            cells(&t)
        };
        assert_eq!(got, cells(&clean), "{}", v.file);
        let d = t.dialect();
        let sheet = (v.format != FileFormat::Csv).then(|| "Cohort".to_string());
        let typed = v.format != FileFormat::Csv;
        let want = Dialect {
            format: v.format,
            delimiter: v.delimiter,
            decimal_comma: v.decimal_comma,
            thousands: v.thousands,
            encoding: v.encoding.into(),
            header_row: v.header_row,
            sheet,
            typed,
        };
        assert_eq!(d, &want, "{}", v.file);
    }
}

#[test]
fn number_formats_are_kept_as_written_and_said() {
    let (t, diags) = read("ingest/semicolon_decimal_comma_cp1252.csv");
    let c = t.column_index("DEXA T-score").unwrap();
    assert_eq!(t.cell(0, c), "-2,5", "cells stay as written");
    assert_eq!(t.cell(0, t.column_index("Cost").unwrap()), "1.234,5");
    assert_eq!(t.cell(0, t.column_index("Note").unwrap()), "Müller: keine Beschwerden");
    let text: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
    for want in [
        "Windows-1252",
        "numbers are written with a decimal comma (e.g. \"-2,5\" in row 2, column \"DEXA T-score\")",
        "numbers are written with \".\" between thousands (e.g. \"1.234,5\" in row 2, column \"Cost\")",
    ] {
        assert!(text.iter().any(|d| d.contains(want)), "missing {want:?} in {text:#?}");
    }
}

#[test]
fn typed_spreadsheet_cells_are_canonical_and_never_reread_with_a_decimal_comma() {
    for file in ["ingest/cohort.xlsx", "ingest/cohort.xls", "ingest/cohort.ods"] {
        let (t, _) = read(file);
        let d = t.dialect();
        assert!(d.typed && !d.decimal_comma && d.thousands.is_none(), "{file}");
        assert_eq!(d.number_text("1.234"), "1.234", "{file}");
        let row = |name: &str| t.cell(3, t.column_index(name).unwrap()).to_string();
        assert_eq!(row("DEXA T-score"), "-3.1", "{file}");
        assert_eq!(row("VCF date"), "2023-02-01", "{file}: a real date, shown DD/MM/YYYY in the sheet");
        assert_eq!(row("Cost"), "1500.25", "{file}");
        assert_eq!(row("Note"), "VCF at L2\nseen in clinic", "{file}");
    }
}

#[test]
fn sheets_are_listed_and_chosen_by_name() {
    let other = read("ingest/other.expected.csv").0;
    for file in ["ingest/cohort.xlsx", "ingest/cohort.xls", "ingest/cohort.ods"] {
        assert_eq!(ingest::sheet_names(&bytes(file)).unwrap(), ["Empty", "Cohort", "Other"], "{file}");
        let (_, sheets) =
            ingest::read_with_sheets(&bytes(file), &ReadOptions::default(), &mut Vec::new(), &mut |_| {}).unwrap();
        assert_eq!(sheets, ["Empty", "Cohort", "Other"], "{file}: the names come with the reading");
        let (t, diags) = read_sheet(file, Some("other"));
        assert_eq!(t.dialect().sheet.as_deref(), Some("Other"));
        assert_eq!(t.headers(), other.headers(), "{file}");
        assert_eq!(cells(&t), cells(&other), "{file}: datetimes, booleans and integers in canonical form");
        assert!(diags.iter().any(|d| d.message.contains("3 sheets (\"Empty\", \"Cohort\", \"Other\")")), "{diags:?}");
        let (_, diags) = read(file);
        assert!(diags.iter().any(|d| d.message.contains("the sheet \"Cohort\" was read, the first with data")));
        let mut d = Vec::new();
        let e = ingest::read(
            &bytes(file),
            &ReadOptions { sheet: Some("Nope".into()), ..ReadOptions::default() },
            &mut d,
            &mut |_| {},
        );
        let e = e.unwrap_err().to_string();
        assert!(e.contains("no sheet \"Nope\"; its sheets are \"Empty\", \"Cohort\", \"Other\""), "{e}");
        let e = ingest::read(
            &bytes(file),
            &ReadOptions { sheet: Some("Empty".into()), ..ReadOptions::default() },
            &mut d,
            &mut |_| {},
        );
        assert!(e.unwrap_err().to_string().contains("the sheet \"Empty\" is empty"));
    }
    assert!(ingest::sheet_names(&bytes("ingest/clean.csv")).unwrap().is_empty());
}

#[test]
fn rows_are_numbered_as_the_file_shows_them() {
    let numbers = |t: &Table| (0..t.nrows()).map(|r| t.row_number(r)).collect::<Vec<_>>();
    let (t, _) = read("ingest/cohort.xlsx");
    assert_eq!(numbers(&t), (4..=15).collect::<Vec<_>>(), "the sheet's own rows: the header is row 3");
    // CSV: the header is row 1 wherever it is; blank lines keep their numbers; a quoted line
    // break makes the next row start a line later.
    let (t, diags) = read("ingest/title_rows.csv");
    assert_eq!(numbers(&t), [2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14]);
    assert!(diags.iter().any(|d| d.message.contains(
        "the header is on line 4, the first line with about as many cells as the rows below; the 2 line(s) above \
         it were skipped as titles or notes: \"Spine clinic — chart review export\", \"Exported 2024-05-01 by the \
         registry\""
    )));
    let (t, _) = read("ingest/blank_lines.csv");
    assert_eq!(numbers(&t), [3, 5, 7, 10, 12, 13, 14, 15, 16, 17, 18, 19]);
}

#[test]
fn duplicate_blank_and_trailing_headers_are_named_and_said() {
    let (t, diags) = read("ingest/duplicate_blank_headers.csv");
    let (want, _) = read("ingest/duplicate_blank_headers.expected.csv");
    assert_eq!(t.headers(), want.headers());
    assert_eq!(cells(&t), cells(&want));
    let text: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
    for want in [
        "warning: column \"VAS (2)\": the header \"VAS\" appears more than once; column 3 is called \"VAS (2)\"",
        "column(s) without a header were named \"Column 4\"",
        "rows have values past the last header (column 6); they were kept as \"Column 6\"",
    ] {
        assert!(text.iter().any(|d| d.contains(want)), "missing {want:?} in {text:#?}");
    }
}

#[test]
fn spreadsheet_errors_are_blank_cells_with_a_warning_naming_the_cell() {
    let (t, diags) = read("ingest/errors.xlsx");
    assert_eq!(t.cell(1, 1), "");
    assert_eq!(
        diags.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
        ["warning: row 3, column \"VAS baseline\": the cell holds the spreadsheet error #DIV/0!; it was read as empty"]
    );
}

/// A value typed in a sheet's last cell (XFD1048576) makes its used range 17 billion cells, which
/// calamine's `Range` would hold cell by cell (the process aborted): the sheet is read cell by cell,
/// the stray value is an extra cell with a warning naming its row, and the rows between are empty
/// rows, each counted.
#[test]
fn a_value_in_a_sheets_last_cell_is_an_extra_cell_not_a_billion() {
    let (t, diags) = read("ingest/far_cell.xlsx");
    assert_eq!(t.headers(), ["Age", "VAS before", "VAS after"]);
    assert_eq!(t.nrows(), 1_048_575);
    assert_eq!(cells(&t)[..2], [["60", "8", "3"], ["70", "7", "2"]]);
    assert_eq!(t.row_number(t.nrows() - 1), 1_048_576);
    assert!(
        diags.iter().any(|d| d.position.row == Some(1_048_576) && d.message.contains("extra cells were ignored")),
        "{diags:?}"
    );
    let a = cohortcalc::analyze(&bytes("ingest/far_cell.xlsx"), None).expect("analyses");
    assert_eq!((a.report.rows_included, a.report.excluded.len()), (2, 1_048_573));
    assert!(a.report.excluded.iter().all(|e| e.reason == "empty row"));
}

fn convert(file: &str, sheet: Option<&str>) -> (String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cohortcalc"));
    cmd.args(["convert", &path(file)]);
    if let Some(s) = sheet {
        cmd.args(["--sheet", s]);
    }
    let out = cmd.output().expect("runs");
    assert!(out.status.success(), "{file}: {}", String::from_utf8_lossy(&out.stderr));
    (String::from_utf8(out.stdout).expect("UTF-8"), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn convert_writes_what_was_read_as_plain_csv() {
    let (clean, note) = convert("ingest/clean.csv", None);
    assert!(clean.starts_with("Record ID,Age,Sex,DEXA T-score,"), "{clean}");
    assert!(clean.contains("\r\nP04,80,F,-3.1,2022-06-11,2023-12-30,9,5,Yes,Yes,2023-02-01,1500.25,\"VCF at L2\nseen"));
    assert!(note.contains("read as CSV, comma-separated, UTF-8, header on line 1; 12 rows × 13 columns"), "{note}");
    for v in VARIANTS.iter().filter(|v| !v.numbers) {
        assert_eq!(convert(v.file, None).0, clean, "{}", v.file);
    }
    // Numbers stay as written: convert shows what was read, before any coding.
    let (euro, note) = convert("ingest/semicolon_decimal_comma_cp1252.csv", None);
    assert!(euro.contains("\r\nP01,71,F,\"-2,5\",2022-03-14,2023-09-01,8,3,Yes,No,,\"1.234,5\",Müller"), "{euro}");
    assert!(note.contains("semicolon-separated, decimal comma, thousands separator \".\", windows-1252"), "{note}");
    let (other, note) = convert("ingest/cohort.ods", Some("Other"));
    assert_eq!(other, String::from_utf8(bytes("ingest/other.expected.csv")).unwrap());
    assert!(note.contains("read as ODS, sheet \"Other\", header on row 1; 2 rows × 5 columns"), "{note}");
}

const MAPPING: &str = r#"{
  "id": "Record ID",
  "strata": {"tscore": "DEXA T-score"},
  "paired": [{"name": "VAS", "before": "VAS baseline", "after": "VAS 6 wk"}],
  "binary": [{"name": "Functional improvement", "column": "Improved"}],
  "followup": {"start": "Procedure date", "end": "Last visit"},
  "events": [{"name": "VCF", "column": "VCF", "date": "VCF date"}],
  "covariates": ["Age", "Sex", "Cost"]
}"#;

#[test]
fn every_variant_gives_the_same_report_as_its_clean_twin() {
    let mapping = Mapping::from_json(MAPPING).unwrap();
    let report = |file: &str| {
        let a = cohortcalc::analyze(&bytes(file), Some(&mapping)).unwrap_or_else(|e| panic!("{file}: {e}"));
        serde_json::to_value(&a.report).unwrap()
    };
    let clean = report("ingest/clean.csv");
    assert_eq!(clean["rows_included"], 12);
    let clean_rows = read("ingest/clean.csv").0;
    for v in VARIANTS {
        // Row numbers follow each file's layout (title rows, blank lines, a sheet's rows): they
        // are compared as the clean twin's numbers of the same data rows.
        let t = read(v.file).0;
        let same_row: std::collections::HashMap<u64, u64> =
            (0..t.nrows()).map(|r| (t.row_number(r) as u64, clean_rows.row_number(r) as u64)).collect();
        let mut got = report(v.file);
        renumber(&mut got, &same_row);
        let differences = diff(&got, &clean, "report");
        assert!(
            differences.is_empty(),
            "{}: the report differs from the clean twin's:\n{}",
            v.file,
            differences.join("\n")
        );
    }
}

/// Row numbers (`"row": n`, `"rows": [n, …]`) in `v` mapped through `map`.
fn renumber(v: &mut serde_json::Value, map: &std::collections::HashMap<u64, u64>) {
    use serde_json::Value;
    let mut one = |n: &mut Value| {
        if let Some(m) = n.as_u64().and_then(|k| map.get(&k)) {
            *n = Value::from(*m);
        }
    };
    match v {
        Value::Object(o) => {
            for (k, x) in o.iter_mut() {
                match (k.as_str(), x) {
                    ("row", n @ Value::Number(_)) => one(n),
                    ("rows", Value::Array(a)) if a.iter().all(Value::is_u64) => a.iter_mut().for_each(&mut one),
                    (_, x) => renumber(x, map),
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| renumber(x, map)),
        _ => {}
    }
}

/// Where two JSON values differ, as `path: got != want` lines.
fn diff(got: &serde_json::Value, want: &serde_json::Value, at: &str) -> Vec<String> {
    use serde_json::Value;
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => {
            let mut keys: Vec<&String> = g.keys().chain(w.keys()).collect();
            keys.sort();
            keys.dedup();
            keys.into_iter()
                .flat_map(|k| {
                    diff(g.get(k).unwrap_or(&Value::Null), w.get(k).unwrap_or(&Value::Null), &format!("{at}.{k}"))
                })
                .collect()
        }
        (Value::Array(g), Value::Array(w)) if g.len() == w.len() => {
            g.iter().zip(w).enumerate().flat_map(|(i, (g, w))| diff(g, w, &format!("{at}[{i}]"))).collect()
        }
        (g, w) if g == w => Vec::new(),
        (g, w) => vec![format!("{at}: {g} != {w}")],
    }
}

#[test]
fn malformed_files_fail_with_their_expected_message() {
    let expected: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&bytes("bad/expected.json")).expect("expected.json");
    let mut files: Vec<String> = std::fs::read_dir(path("bad"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|f| f != "expected.json")
        .collect();
    files.sort();
    assert_eq!(files, expected.keys().cloned().collect::<Vec<_>>(), "each file has an expected message");
    let mut failures = Vec::new();
    for (file, want) in &expected {
        let want = want.as_str().unwrap();
        match cohortcalc::analyze(&bytes(&format!("bad/{file}")), None) {
            Ok(_) => failures.push(format!("{file}: analysed, expected an error containing {want:?}")),
            Err(e) if e.to_string().contains(want) => {}
            Err(e) => failures.push(format!("{file}: {e}\n    expected it to contain {want:?}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn progress_is_told_at_least_every_megabyte_and_ends_at_one() {
    let mut csv = String::from("id,VAS baseline,VAS 6 wk,Note\n");
    for i in 0..120_000 {
        csv.push_str(&format!("P{i},7,3,\"a note, with a comma\"\n"));
    }
    let mut seen = Vec::new();
    let mut diags = Vec::new();
    let t = ingest::read(csv.as_bytes(), &ReadOptions::default(), &mut diags, &mut |p| seen.push(p)).unwrap();
    assert_eq!(t.nrows(), 120_000);
    assert!(csv.len() > 3 << 20, "the test file is {} bytes", csv.len());
    assert_eq!(seen.first(), Some(&0.0));
    assert_eq!(seen.last(), Some(&1.0));
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "progress goes forward: {seen:?}");
    let largest_gap = seen.windows(2).map(|w| (w[1] - w[0]) * csv.len() as f64).fold(0.0, f64::max);
    assert!(largest_gap <= (1 << 20) as f64 * 1.01, "a gap of {largest_gap} bytes: {seen:?}");
}

/// A CSV saved by Excel on Chinese Windows (GB18030, written by Python's codec in
/// `tests/oracles/make_ingest_files.py`) reads as its UTF-8 twin does, says its encoding, and gets
/// the same guessed mapping.
#[test]
fn chinese_gb18030_csv_reads_as_its_utf8_twin() {
    let (gbk, diags) = read("ingest/chinese_gb18030.csv");
    let (utf8, _) = read("ingest/chinese_utf8.csv");
    assert_eq!(gbk.headers(), utf8.headers());
    assert_eq!(gbk.headers()[0], "患者编号");
    assert_eq!(cells(&gbk), cells(&utf8));
    assert_eq!(gbk.dialect().encoding, "gb18030");
    assert!(diags.iter().any(|d| d.message.contains("GB18030")), "{diags:?}");
    let guess = |name| cohortcalc::guess_mapping(&bytes(name)).expect("guesses").0;
    assert_eq!(guess("ingest/chinese_gb18030.csv"), guess("ingest/chinese_utf8.csv"));
}

/// A header of 10,000 columns of one name, of blank names, and of names that are what the
/// numbering would give (`a (2)` written in the file): each column named as a short header's are,
/// in well under a second (one name 10,000 times took seconds, 100,000 did not finish). Reading
/// is near-linear in the columns as in the rows; `cargo bench --bench wide` times 100,000.
#[test]
fn ten_thousand_repeated_or_blank_headers_are_named_quickly() {
    const N: usize = 10_000;
    let file = |header: &dyn Fn(usize) -> String| {
        let mut s = (0..N).map(header).collect::<Vec<_>>().join(",");
        s.push('\n');
        s.push_str(&(0..N).map(|c| (c % 10).to_string()).collect::<Vec<_>>().join(","));
        s.push('\n');
        s.into_bytes()
    };
    let start = std::time::Instant::now();
    let read = |bytes: &[u8]| {
        let mut d = Vec::new();
        let t = ingest::read(bytes, &ReadOptions::default(), &mut d, &mut |_| {}).expect("reads");
        (t, d)
    };
    // One name repeated: a, a (2), a (3), …
    let (t, d) = read(&file(&|_| "a".to_string()));
    assert_eq!(t.ncols(), N);
    assert_eq!(t.headers()[0], "a");
    for i in 1..N {
        assert_eq!(t.headers()[i], format!("a ({})", i + 1));
    }
    assert_eq!(d.iter().filter(|d| d.message.contains("appears more than once")).count(), N - 1);
    assert_eq!(t.cell(0, N - 1), "9");
    // Every other name blank: Column 2, Column 4, …
    let (t, d) = read(&file(&|c| if c % 2 == 0 { format!("v{c}") } else { String::new() }));
    assert_eq!(t.headers()[..4], ["v0", "Column 2", "v2", "Column 4"]);
    assert_eq!(t.headers()[N - 1], format!("Column {N}"));
    assert!(d
        .iter()
        .any(|d| d.message.starts_with("column(s) without a header were named \"Column 2\", \"Column 4\"")));
    // Names the numbering would give, written in the file before their base repeats: each
    // repeated column takes the next number not taken.
    let (t, _) = read(&file(&|c| match c % 4 {
        0 => format!("a ({})", c / 2 + 2),
        _ => "a".to_string(),
    }));
    let mut seen = std::collections::HashSet::new();
    assert!(t.headers().iter().all(|h| seen.insert(h.as_str())), "the names are distinct");
    assert_eq!(&t.headers()[..6], ["a (2)", "a", "a (3)", "a (4)", "a (4) (2)", "a (5)"]);
    let took = start.elapsed();
    assert!(took.as_secs_f64() < 3.0, "three files of {N} columns took {took:?}");
}
