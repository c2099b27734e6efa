//! Property tests: arbitrary bytes and arbitrary tables through ingest and the whole analysis
//! never panic, and every row read is either included or excluded with a reason.
//!
//! The default case counts keep this under a few seconds in debug builds; `cargo xtask fuzz
//! --cases N` runs the same properties with `PROPTEST_CASES=N` in release.

use cohortcalc::ingest::{self, ReadOptions};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// Cases per property: `PROPTEST_CASES` if set, else `default`.
fn config(default: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(default);
    Config { cases, failure_persistence: None, ..Config::default() }
}

fn read_any(bytes: &[u8]) {
    let mut diags = Vec::new();
    let mut last = 0.0;
    let t = ingest::read(bytes, &ReadOptions::default(), &mut diags, &mut |p| {
        assert!((0.0..=1.0).contains(&p) && p >= last, "progress {p} after {last}");
        last = p;
    });
    if let Ok(t) = t {
        // Every cell can be asked for, and the table writes as CSV.
        for r in 0..t.nrows() {
            assert!(t.row_number(r) >= 1);
            for c in 0..t.ncols() {
                let _ = t.cell(r, c);
            }
        }
        let _ = t.to_csv();
        let _ = ingest::sheet_names(bytes);
    }
}

fn analyze_any(bytes: &[u8]) {
    let demo = cohortcalc::demo_mapping();
    for mapping in [None, Some(&demo)] {
        if let Ok(a) = cohortcalc::analyze(bytes, mapping) {
            assert_eq!(a.report.rows_included + a.report.excluded.len(), a.report.rows_read);
        }
    }
}

/// Bytes that look like delimited text more often than uniform bytes do.
fn csvish() -> impl Strategy<Value = Vec<u8>> {
    let pieces = prop::sample::select(vec![
        ",",
        ";",
        "\t",
        "|",
        "\"",
        "\"\"",
        "\n",
        "\r\n",
        "\r",
        " ",
        "7",
        "-2,5",
        "-2.5",
        "1.234,5",
        "x",
        "é",
        "是",
        "2024-03-01",
        "01/02/2023",
        "Yes",
        "NA",
        "\u{feff}",
        "\0",
        "\u{fffd}",
    ]);
    prop::collection::vec(pieces, 0..200).prop_map(|v| v.concat().into_bytes())
}

#[test]
fn arbitrary_bytes_never_panic() {
    let mut runner = TestRunner::new(config(256));
    runner
        .run(&prop::collection::vec(any::<u8>(), 0..2048), |b| {
            read_any(&b);
            analyze_any(&b);
            Ok(())
        })
        .unwrap();
    let mut runner = TestRunner::new(config(256));
    runner
        .run(&csvish(), |b| {
            read_any(&b);
            analyze_any(&b);
            // As UTF-16 (with a BOM) and as Windows-1252 too.
            let text = String::from_utf8_lossy(&b);
            let utf16: Vec<u8> =
                [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
            read_any(&utf16);
            read_any(&encoding_rs::WINDOWS_1252.encode(&text).0);
            Ok(())
        })
        .unwrap();
}

fn spreadsheet(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/data/ingest/{name}", env!("CARGO_MANIFEST_DIR"))).expect("test file")
}

/// XLSX and ODS (zip archives whose parts are checksummed) with bytes changed anywhere and cut
/// anywhere; XLS (an OLE compound file) cut anywhere and with bytes changed in its header and
/// allocation tables. Bytes changed inside an XLS file's BIFF records are not tried: calamine
/// indexes those records as they say, and can panic on them (see the note in `ingest::cfb`).
#[test]
fn damaged_spreadsheets_never_panic() {
    let files: Vec<Vec<u8>> = ["cohort.xlsx", "cohort.ods", "cohort.xls"].iter().map(|f| spreadsheet(f)).collect();
    let flips = prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8);
    let damage = (0..files.len(), flips, any::<prop::sample::Index>(), any::<bool>());
    // Where bytes may change: anywhere in XLSX and ODS; in the XLS file its header, its first
    // allocation-table sector and its first directory sector.
    let xls = &files[2];
    let sector = |at: usize| {
        let id = u32::from_le_bytes([xls[at], xls[at + 1], xls[at + 2], xls[at + 3]]) as usize;
        (id + 1) * 512..(id + 2) * 512
    };
    let xls_places: Vec<usize> = (0..512).chain(sector(76)).chain(sector(48)).collect();
    assert!(xls_places.iter().all(|&i| i < xls.len()));
    let mut runner = TestRunner::new(config(64));
    runner
        .run(&damage, |(f, flips, cut, truncate)| {
            let mut b = files[f].clone();
            for (at, byte) in flips {
                let i = if f == 2 { xls_places[at.index(xls_places.len())] } else { at.index(b.len()) };
                b[i] = byte;
            }
            if truncate {
                b.truncate(cut.index(b.len()));
            }
            read_any(&b);
            Ok(())
        })
        .unwrap();
}

/// The columns of the demo cohort, so that the demo mapping applies.
const DEMO_HEADERS: [&str; 11] = [
    "Record ID",
    "Age",
    "Sex",
    "DEXA T-score",
    "Procedure date",
    "Last follow-up",
    "VAS baseline",
    "VAS 6 wk",
    "Functional improvement",
    "VCF",
    "VCF date",
];

/// A cell: mostly plausible values of every kind, sometimes anything.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "",
            " ",
            "NA",
            "-99",
            ".",
            "unknown",
            "Yes",
            "No",
            "y",
            "0",
            "1",
            "TRUE",
            "是",
            "否",
            "Checked",
            "M",
            "F",
            "-2.5",
            "-1,0",
            "0.4",
            "-7",
            "12",
            "7",
            "3.5",
            "10",
            "101",
            "2019-12-06",
            "2021-09-27",
            "06/12/2019",
            "12/31/2020",
            "43831",
            "2024-02-30",
            "1.234,5",
            "\"",
            "\n",
        ])
        .prop_map(str::to_string),
        (-5.0f64..12.0).prop_map(|v| format!("{v:.1}")),
        (2015i32..2026, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
        any::<String>(),
    ]
}

fn table() -> impl Strategy<Value = Vec<Vec<String>>> {
    prop::collection::vec(prop::collection::vec(cell(), 0..13), 0..40)
}

#[test]
fn every_row_is_included_or_excluded_with_a_reason() {
    let mapping = cohortcalc::demo_mapping();
    let mut runner = TestRunner::new(config(128));
    runner
        .run(&table(), |rows| {
            let mut w = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
            w.write_record(DEMO_HEADERS).unwrap();
            for r in &rows {
                // A record of one empty field would be a blank line, which is no row.
                let r: Vec<&str> =
                    if r.len() == 1 && r[0].is_empty() { vec!["", ""] } else { r.iter().map(String::as_str).collect() };
                if r.is_empty() {
                    w.write_record(["", ""]).unwrap();
                } else {
                    w.write_record(&r).unwrap();
                }
            }
            let bytes = w.into_inner().unwrap();
            match cohortcalc::analyze(&bytes, Some(&mapping)) {
                Ok(a) => {
                    let r = &a.report;
                    prop_assert_eq!(r.rows_read, rows.len(), "every record is a row");
                    prop_assert_eq!(r.rows_included + r.excluded.len(), r.rows_read);
                }
                Err(e) => {
                    // Only "nothing to analyse" may stop a table with the mapped columns; or the
                    // mapping, where so little of the table is filled that another delimiter fits
                    // it better (`["", "|"]` rows: split at `|`, the header is one column).
                    let read = ingest::read(&bytes, &ReadOptions::default(), &mut Vec::new(), &mut |_| {});
                    let other_columns = read.is_ok_and(|t| t.headers() != DEMO_HEADERS);
                    prop_assert!(
                        matches!(e.kind(), cohortcalc::ErrorKind::NoData(_) | cohortcalc::ErrorKind::Read(_))
                            || (matches!(e.kind(), cohortcalc::ErrorKind::Mapping(_)) && other_columns),
                        "{}",
                        e
                    );
                }
            }
            Ok(())
        })
        .unwrap();
}
