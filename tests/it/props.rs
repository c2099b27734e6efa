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

/// XLSX and ODS (zip archives whose parts are checksummed) and XLS (an OLE compound file holding
/// BIFF records, which calamine reads as they say: `ingest::cfb` and `ingest::biff` check them
/// first) with bytes changed anywhere and cut anywhere.
#[test]
fn damaged_spreadsheets_never_panic() {
    let files: Vec<Vec<u8>> = ["cohort.xlsx", "cohort.ods", "cohort.xls"].iter().map(|f| spreadsheet(f)).collect();
    let flips = prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8);
    let damage = (0..files.len(), flips, any::<prop::sample::Index>(), any::<bool>());
    let mut runner = TestRunner::new(config(96));
    runner
        .run(&damage, |(f, flips, cut, truncate)| {
            let mut b = files[f].clone();
            for (at, byte) in flips {
                let i = at.index(b.len());
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

/// A BIFF8 workbook stream: one sheet holding `records` (type, data).
fn workbook_stream(records: &[(u16, Vec<u8>)]) -> Vec<u8> {
    fn record(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
        out.extend(typ.to_le_bytes());
        out.extend((data.len() as u16).to_le_bytes());
        out.extend(data);
    }
    let bof = |dt: u8| [0x00, 0x06, dt, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    let mut s = Vec::new();
    record(&mut s, 0x0809, &bof(0x05));
    // BoundSheet8: the sheet's position (filled in below), visible worksheet, name "S".
    let bound = s.len() + 4;
    record(&mut s, 0x0085, &[0, 0, 0, 0, 0, 0, 1, 0, b'S']);
    record(&mut s, 0x000A, &[]);
    let at = (s.len() as u32).to_le_bytes();
    s[bound..bound + 4].copy_from_slice(&at);
    record(&mut s, 0x0809, &bof(0x10));
    for (typ, data) in records {
        record(&mut s, *typ, data);
    }
    record(&mut s, 0x000A, &[]);
    // 4,096 bytes at least, so that the stream is in regular sectors (no mini stream).
    s.resize(s.len().max(4096), 0);
    s
}

/// An OLE compound file (512-byte sectors) holding `stream` as "Workbook": sector 0 the
/// allocation table, sector 1 the directory, the stream from sector 2.
fn compound_file(stream: &[u8]) -> Vec<u8> {
    const END: u32 = 0xFFFF_FFFE;
    const FREE: u32 = 0xFFFF_FFFF;
    let sectors = stream.len().div_ceil(512);
    assert!(sectors + 2 <= 128, "one allocation-table sector");
    let mut out = vec![0u8; 512];
    let mut put = |at: usize, bytes: &[u8]| out[at..at + bytes.len()].copy_from_slice(bytes);
    put(0, &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    put(24, &[0x3E, 0, 3, 0, 0xFE, 0xFF, 9, 0, 6, 0]);
    put(44, &1u32.to_le_bytes()); // one allocation-table sector
    put(48, &1u32.to_le_bytes()); // the directory in sector 1
    put(56, &4096u32.to_le_bytes());
    put(60, &END.to_le_bytes()); // no mini allocation table
    put(68, &END.to_le_bytes()); // no DIFAT sectors
    for i in 0..109u32 {
        put(76 + 4 * i as usize, &(if i == 0 { 0 } else { FREE }).to_le_bytes());
    }
    let mut fat = vec![FREE; 128];
    fat[0] = 0xFFFF_FFFD;
    fat[1] = END;
    for k in 0..sectors {
        fat[2 + k] = if k + 1 == sectors { END } else { (3 + k) as u32 };
    }
    out.extend(fat.iter().flat_map(|v| v.to_le_bytes()));
    let mut dir = vec![0u8; 512];
    for (i, (name, typ, child, start, size)) in
        [("Root Entry", 5u8, 1u32, END, 0u32), ("Workbook", 2, FREE, 2, stream.len() as u32)].into_iter().enumerate()
    {
        let e = &mut dir[128 * i..128 * (i + 1)];
        let units: Vec<u16> = name.encode_utf16().collect();
        for (k, u) in units.iter().enumerate() {
            e[2 * k..2 * k + 2].copy_from_slice(&u.to_le_bytes());
        }
        e[64..66].copy_from_slice(&(((units.len() + 1) * 2) as u16).to_le_bytes());
        e[66] = typ;
        e[67] = 1;
        e[68..76].copy_from_slice(&[0xFF; 8]);
        e[76..80].copy_from_slice(&child.to_le_bytes());
        e[116..120].copy_from_slice(&start.to_le_bytes());
        e[120..124].copy_from_slice(&size.to_le_bytes());
    }
    out.extend(dir);
    out.extend(stream);
    out.resize(512 * (2 + sectors) + 512, 0);
    out
}

/// A Formula record at (0, 1) whose cached value is 3 and whose tokens are `tokens`, with their
/// length written as `len`.
fn formula_record(tokens: &[u8], len: u16) -> Vec<u8> {
    let mut f = vec![0, 0, 1, 0, 0, 0];
    f.extend(3.0f64.to_le_bytes());
    f.extend([0; 6]);
    f.extend(len.to_le_bytes());
    f.extend(tokens);
    f
}

#[test]
fn a_workbook_made_here_reads() {
    let mut number = vec![0, 0, 0, 0, 0, 0];
    number.extend(2.5f64.to_le_bytes());
    // Tokens of 1 + 2: PtgInt 1, PtgInt 2, PtgAdd.
    let tokens = [0x1E, 1, 0, 0x1E, 2, 0, 0x03];
    let file = compound_file(&workbook_stream(&[(0x0203, number), (0x0006, formula_record(&tokens, 7))]));
    let mut diags = Vec::new();
    let t = ingest::read(&file, &ReadOptions::default(), &mut diags, &mut |_| {}).expect("the workbook reads");
    assert_eq!(t.headers(), ["2.5", "3"], "{diags:?}");
}

/// Workbooks whose formulas hold arbitrary tokens (the formula's text is worked out by calamine,
/// token by token, as they say), with any length written, sometimes cut.
#[test]
fn workbooks_with_damaged_formulas_never_panic() {
    // Every token calamine knows, and a few it does not.
    let token = prop_oneof![
        4 => prop::sample::select(vec![
            0x01u8, 0x03, 0x04, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1C, 0x1D, 0x1E, 0x1F, 0x20,
            0x21, 0x22, 0x23, 0x24, 0x25, 0x2A, 0x2B, 0x39, 0x3A, 0x3B, 0x3C, 0x3D, 0x41, 0x42, 0x44, 0x45, 0x59,
            0x5A, 0x62, 0x64, 0x6A, 0x7B, 0x7D,
        ]),
        1 => any::<u8>(),
    ];
    // Operand bytes: the edges (0, 1, 0xFF) more often than chance would give them.
    let operand = prop_oneof![prop::sample::select(vec![0u8, 1, 0xFF, 0x10, 0x40]), any::<u8>()];
    let formula = (
        prop::collection::vec((token, prop::collection::vec(operand, 0..6)), 0..10),
        prop::option::weighted(0.2, any::<u16>()),
        prop::option::weighted(0.1, any::<prop::sample::Index>()),
    );
    let mut runner = TestRunner::new(config(192));
    runner
        .run(&prop::collection::vec(formula, 1..4), |formulas| {
            let records: Vec<(u16, Vec<u8>)> = formulas
                .into_iter()
                .map(|(tokens, len, cut)| {
                    let tokens: Vec<u8> =
                        tokens.into_iter().flat_map(|(t, ops)| std::iter::once(t).chain(ops)).collect();
                    let mut f = formula_record(&tokens, len.unwrap_or(tokens.len() as u16));
                    if let Some(cut) = cut {
                        f.truncate(cut.index(f.len() + 1));
                    }
                    (0x0006, f)
                })
                .collect();
            read_any(&compound_file(&workbook_stream(&records)));
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
