//! Exports of the rounded tables: CSV and XLSX show every cell as the page does, and cells from
//! the file that look like formulas are never formulas. The XLSX is read back with calamine (an
//! independent reader of the format).

use calamine::{Data, Reader, Xlsx};
use cohortcalc::report::{self, Table};
use cohortcalc::Lang;
use std::io::Cursor;

fn demo_tables(lang: Lang) -> Vec<Table> {
    report::tables(&cohortcalc::analyze_demo().expect("the demo analyses").report, lang)
}

/// The tables as the export lays them out: title, headings, rows; a blank row between tables.
fn laid_out(tables: &[Table]) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for (i, t) in tables.iter().enumerate() {
        if i > 0 {
            rows.push(Vec::new());
        }
        rows.push(vec![t.title.clone()]);
        rows.push(t.columns.clone());
        rows.extend(t.rows.iter().cloned());
    }
    rows
}

/// The sheet "Results" of `bytes` as text: numbers shown with `decimals` as the cell text had.
fn read_back(bytes: &[u8], want: &[Vec<String>]) -> Vec<Vec<String>> {
    let mut book = Xlsx::new(Cursor::new(bytes)).expect("calamine opens the workbook");
    assert_eq!(book.sheet_names(), ["Results"]);
    let range = book.worksheet_range("Results").expect("the sheet reads");
    let formulas = book.worksheet_formula("Results").expect("formulas read");
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "the workbook has formulas");
    (0..want.len())
        .map(|r| {
            let width = want[r].len();
            let mut row: Vec<String> = (0..width)
                .map(|c| match range.get_value((r as u32, c as u32)) {
                    None | Some(Data::Empty) => String::new(),
                    Some(Data::String(s)) => s.clone(),
                    Some(Data::Float(v)) => {
                        let decimals = want[r][c].split_once('.').map_or(0, |(_, f)| f.len());
                        format!("{v:.decimals$}").replace('-', "−")
                    }
                    Some(Data::Int(v)) => v.to_string().replace('-', "−"),
                    Some(other) => panic!("row {r} column {c}: unexpected cell {other:?}"),
                })
                .collect();
            row.truncate(width);
            row
        })
        .collect()
}

#[test]
fn the_xlsx_export_holds_every_cell_of_every_table_in_both_languages() {
    for lang in [Lang::En, Lang::Zh] {
        let tables = demo_tables(lang);
        let bytes = report::tables_xlsx(&tables).expect("writes");
        let want = laid_out(&tables);
        // "-0.5" and "−0.5" both read back as the page's minus sign.
        let want_text: Vec<Vec<String>> =
            want.iter().map(|r| r.iter().map(|c| c.replace('-', "−")).collect()).collect();
        let got: Vec<Vec<String>> = read_back(&bytes, &want)
            .into_iter()
            .map(|r| r.into_iter().map(|c| c.replace('-', "−")).collect())
            .collect();
        assert_eq!(got, want_text, "{lang:?}");
        // The same tables give the same bytes (no clock in the file).
        assert_eq!(report::tables_xlsx(&tables).unwrap(), bytes);
    }
}

#[test]
fn plain_numbers_are_numbers_in_the_workbook_and_the_rest_is_text() {
    let tables = demo_tables(Lang::En);
    let bytes = report::tables_xlsx(&tables).unwrap();
    let mut book = Xlsx::new(Cursor::new(&bytes[..])).unwrap();
    let range = book.worksheet_range("Results").unwrap();
    let cells: Vec<&Data> = range.used_cells().map(|(_, _, d)| d).collect();
    assert!(cells.iter().any(|d| matches!(d, Data::Float(v) if *v == 134.0)), "N = 134 is a number");
    assert!(cells.iter().any(|d| matches!(d, Data::String(s) if s.starts_with("7.04 ± "))), "mean ± SD is text");
}

#[test]
fn formula_like_cells_from_a_file_stay_text_in_both_exports() {
    let evil = Table {
        title: "=cmd|' /C calc'!A0".into(),
        columns: vec!["Stratum".into(), "@SUM(1+1)".into()],
        rows: vec![vec!["=HYPERLINK(\"http://x\",\"y\")".into(), "+1".into()], vec!["<b>\u{1}".into(), "-2".into()]],
        notes: Vec::new(),
    };
    let bytes = report::tables_xlsx(std::slice::from_ref(&evil)).unwrap();
    let want = laid_out(std::slice::from_ref(&evil));
    let got = read_back(&bytes, &want);
    assert_eq!(got[0][0], "=cmd|' /C calc'!A0");
    assert_eq!(got[2][0], "=HYPERLINK(\"http://x\",\"y\")");
    assert_eq!(got[2][1], "+1");
    assert_eq!(got[3][0], "<b>", "the control character is dropped, the markup kept as text");
    assert_eq!(got[3][1], "−2", "a plain number");
    let csv = report::tables_csv(std::slice::from_ref(&evil));
    for line in csv.lines() {
        for cell in line.split(',') {
            // A plain number ("+1", "-2") is a number to a spreadsheet, not a formula.
            let c = cell.trim_start_matches('"');
            assert!(
                !c.starts_with(['=', '+', '-', '@']) || c.parse::<f64>().is_ok(),
                "CSV cell {cell:?} would be a formula"
            );
        }
    }
}
