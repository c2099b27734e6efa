//! Spreadsheets (XLSX, XLSB, XLS, ODS, through calamine) → [`Table`]: one sheet, its cells in one
//! canonical text form, rows numbered as the sheet numbers them.
//!
//! Canonical cells: numbers as their shortest decimal (`7`, `-2.5`), dates as ISO `YYYY-MM-DD`
//! (with `THH:MM:SS` when not midnight; times alone `HH:MM:SS`), booleans `TRUE`/`FALSE`,
//! errors (`#DIV/0!`) empty with a warning naming the cell.

use super::dialect::{Dialect, FileFormat};
use super::header::{self, Builder, RawRecord, SAMPLE_RECORDS};
use super::Table;
use crate::diagnostic::{Diagnostic, Severity};
use crate::error::{Error, Position, Result};
use calamine::{Data, Ods, Reader, Sheets, Xls, Xlsb, Xlsx};
use std::borrow::Cow;
use std::io::Cursor;

type Workbook<'a> = Sheets<Cursor<&'a [u8]>>;

fn open(bytes: &[u8], format: FileFormat) -> Result<Workbook<'_>> {
    let c = Cursor::new(bytes);
    let opened = match format {
        FileFormat::Xlsx => Xlsx::new(c).map(Sheets::Xlsx).map_err(|e| e.to_string()),
        FileFormat::Xlsb => Xlsb::new(c).map(Sheets::Xlsb).map_err(|e| e.to_string()),
        FileFormat::Xls => {
            match super::cfb::check(bytes).and_then(|wb| wb.map_or(Ok(()), |s| super::biff::check(&s))) {
                Ok(()) => Xls::new(c).map(Sheets::Xls).map_err(|e| e.to_string()),
                Err(e) => Err(e.to_string()),
            }
        }
        FileFormat::Ods => Ods::new(c).map(Sheets::Ods).map_err(|e| e.to_string()),
        FileFormat::Csv => Err("not a spreadsheet".into()),
    };
    opened.map_err(|e| {
        Error::read(
            format!(
                "the {} workbook cannot be opened: it is damaged, incomplete or password-protected ({e})",
                format.name()
            ),
            Position::none(),
        )
        .with_zh(format!("无法打开该 {} 工作簿：文件已损坏、不完整或受密码保护（{e}）", format.name()))
    })
}

/// The sheet names of a workbook, in order.
pub(super) fn names(bytes: &[u8], format: FileFormat) -> Result<Vec<String>> {
    Ok(open(bytes, format)?.sheet_names())
}

/// The largest sheet: 1,048,576 rows × 16,384 columns.
const MAX_ROWS: u32 = 1 << 20;
const MAX_COLS: u32 = 1 << 14;

/// The cells of a sheet that hold something (a value, or a spreadsheet error to note), in order
/// of row and column, 0-based as the sheet numbers them. Only what is there is held: calamine's
/// `Range` holds every cell of the sheet's used range, so that one value typed far below or to
/// the right (XFD1048576) asked for 17 billion cells and aborted the process. XLSX and XLSB
/// sheets are read cell by cell; XLS and ODS as calamine reads them (XLS within its 65,536 × 256
/// cells, `super::biff`).
#[derive(Default)]
struct Cells {
    /// Row, column, and where the cell's text starts and ends in `text`.
    at: Vec<[u32; 4]>,
    text: String,
    /// Spreadsheet errors (#DIV/0!…) by row and column.
    errors: Vec<(u32, u32, String)>,
}

impl Cells {
    fn add(&mut self, row: u32, col: u32, d: &Data) -> std::result::Result<(), String> {
        // A sheet has 1,048,576 rows and 16,384 columns at most (XLSX, XLSB, ODS; XLS fewer):
        // a cell said to lie further out is damage, and would make as many empty rows or cells.
        if row >= MAX_ROWS || col >= MAX_COLS {
            return Err(format!(
                "a cell is said to lie at row {}, column {}, outside the largest sheet (1,048,576 rows × 16,384 columns)",
                u64::from(row) + 1,
                u64::from(col) + 1
            ));
        }
        let (text, err) = canonical(d);
        let text = text.trim();
        if let Some(e) = err {
            self.errors.push((row, col, e));
        } else if text.is_empty() {
            return Ok(());
        }
        let start = self.text.len();
        self.text.push_str(text);
        let end = u32::try_from(self.text.len()).map_err(|_| "the sheet holds more than 4 GB of text".to_string())?;
        self.at.push([row, col, start as u32, end]);
        Ok(())
    }

    /// A cell as calamine's cells readers give it.
    fn add_read(&mut self, c: &calamine::Cell<calamine::DataRef<'_>>) -> std::result::Result<(), String> {
        let (row, col) = c.get_position();
        self.add(row, col, &Data::from(c.get_value().clone()))
    }

    fn sorted(mut self) -> Self {
        // Stable: of a cell given twice, the later stays later.
        if !self.at.is_sorted_by_key(|a| (a[0], a[1])) {
            self.at.sort_by_key(|a| (a[0], a[1]));
        }
        self.errors.sort_unstable_by_key(|e| (e.0, e.1));
        self
    }

    fn is_empty(&self) -> bool {
        self.at.is_empty()
    }

    /// Rows from the first with a cell to the last (empty rows between included), numbered as
    /// the sheet numbers them (from 1), each with its cells from the leftmost column of the sheet
    /// up to its last, and the errors of its cells by column.
    fn rows(&self) -> impl Iterator<Item = (usize, Vec<&str>, Vec<(usize, String)>)> + '_ {
        let first = self.at.first().map_or(0, |a| a[0]);
        let last = self.at.last().map_or(0, |a| a[0]);
        let left = self.at.iter().map(|a| a[1]).min().unwrap_or(0);
        let (mut i, mut e) = (0, 0);
        (first..=last).filter(move |_| !self.at.is_empty()).map(move |row| {
            let mut cells: Vec<&str> = Vec::new();
            while let Some(&[_, c, start, end]) = self.at.get(i).filter(|a| a[0] == row) {
                let (c, text) = ((c - left) as usize, &self.text[start as usize..end as usize]);
                // A cell given twice (a damaged file): the later, as calamine's `Range` keeps it.
                if c < cells.len() {
                    cells[c] = text;
                } else {
                    cells.resize(c, "");
                    cells.push(text);
                }
                i += 1;
            }
            let mut errs = Vec::new();
            while let Some((_, c, msg)) = self.errors.get(e).filter(|x| x.0 == row) {
                errs.push(((c - left) as usize, msg.clone()));
                e += 1;
            }
            (row as usize + 1, cells, errs)
        })
    }

    /// Rows from the first to the last.
    fn height(&self) -> usize {
        match (self.at.first(), self.at.last()) {
            (Some(a), Some(b)) => (b[0] - a[0]) as usize + 1,
            _ => 0,
        }
    }
}

/// The cells of the sheet `name` (see [`Cells`]).
fn sheet_cells(wb: &mut Workbook<'_>, name: &str) -> std::result::Result<Cells, String> {
    let mut cells = Cells::default();
    match wb {
        Sheets::Xlsx(x) => {
            let mut reader = x.worksheet_cells_reader(name).map_err(|e| e.to_string())?;
            while let Some(c) = reader.next_cell().map_err(|e| e.to_string())? {
                cells.add_read(&c)?;
            }
        }
        Sheets::Xlsb(x) => {
            let mut reader = x.worksheet_cells_reader(name).map_err(|e| e.to_string())?;
            while let Some(c) = reader.next_cell().map_err(|e| e.to_string())? {
                cells.add_read(&c)?;
            }
        }
        other => {
            let range = other.worksheet_range(name).map_err(|e| e.to_string())?;
            let (row0, col0) = range.start().unwrap_or((0, 0));
            for (r, c, d) in range.used_cells() {
                cells.add(row0 + r as u32, col0 + c as u32, d)?;
            }
        }
    }
    Ok(cells.sorted())
}

fn sheet_error(name: &str, e: impl std::fmt::Display) -> Error {
    Error::read(format!("the sheet \"{name}\" cannot be read ({e})"), Position::none())
        .with_zh(format!("无法读取工作表“{name}”（{e}）"))
}

/// Picks the sheet: the one named `wanted` (exact, then ignoring case), else the first with data.
fn pick(wb: &mut Workbook<'_>, wanted: Option<&str>, diags: &mut Vec<Diagnostic>) -> Result<(String, Cells)> {
    let names = wb.sheet_names();
    let list = names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ");
    if names.is_empty() {
        return Err(Error::read("the workbook has no sheets", Position::none()).with_zh("工作簿中没有工作表"));
    }
    let (name, range) = match wanted {
        Some(w) => {
            let w = w.trim();
            let name = names
                .iter()
                .find(|n| n.as_str() == w)
                .or_else(|| names.iter().find(|n| n.trim().eq_ignore_ascii_case(w)))
                .ok_or_else(|| {
                    Error::read(format!("the workbook has no sheet \"{w}\"; its sheets are {list}"), Position::none())
                        .with_zh(format!("工作簿中没有工作表“{w}”；已有工作表：{list}"))
                })?
                .clone();
            let range = sheet_cells(wb, &name).map_err(|e| sheet_error(&name, e))?;
            if range.is_empty() {
                return Err(Error::read(format!("the sheet \"{name}\" is empty"), Position::none())
                    .with_zh(format!("工作表“{name}”是空的")));
            }
            (name, range)
        }
        None => {
            let mut found = None;
            let mut failed = None;
            for name in &names {
                // Chart sheets and the like have no cells to read: skip them (a sheet that cannot
                // be read is said, when no other has data).
                match sheet_cells(wb, name) {
                    Ok(range) if !range.is_empty() => {
                        found = Some((name.clone(), range));
                        break;
                    }
                    Ok(_) => {}
                    Err(e) => {
                        failed.get_or_insert_with(|| sheet_error(name, e));
                    }
                }
            }
            match (found, failed) {
                (Some(f), _) => f,
                (None, Some(e)) => return Err(e),
                (None, None) => {
                    return Err(Error::read(
                        format!("no sheet of the workbook has data (its sheets: {list})"),
                        Position::none(),
                    )
                    .with_zh(format!("工作簿的工作表中都没有数据（工作表：{list}）")))
                }
            }
        }
    };
    if names.len() > 1 {
        diags.push(Diagnostic::new(
            Severity::Info,
            Position::none(),
            format!(
                "the workbook has {} sheets ({list}); the sheet \"{name}\" was read{}",
                names.len(),
                if wanted.is_some() { "" } else { ", the first with data; another can be chosen by name" }
            ),
            format!(
                "工作簿有 {} 个工作表（{list}）；读取了工作表“{name}”{}",
                names.len(),
                if wanted.is_some() {
                    ""
                } else {
                    "（第一个有数据的工作表；可按名称选择其他工作表）"
                }
            ),
        ));
    }
    Ok((name, range))
}

/// Reads one sheet of a workbook (see [`super::read`]).
pub(super) fn read(
    bytes: &[u8],
    format: FileFormat,
    wanted: Option<&str>,
    diags: &mut Vec<Diagnostic>,
    progress: &mut dyn FnMut(f64),
) -> Result<(Table, Vec<String>)> {
    progress(0.0);
    let mut wb = open(bytes, format)?;
    let sheets = wb.sheet_names();
    let (name, cells) = pick(&mut wb, wanted, diags)?;
    drop(wb);
    progress(0.5);
    let height = cells.height().max(1);
    let mut rows = cells.rows();

    // The first rows, to find the header and the table's width.
    let mut records: Vec<RawRecord> = Vec::new();
    let mut errors: Vec<Vec<(usize, String)>> = Vec::new();
    let mut filled = 0usize;
    for (line, cells, errs) in rows.by_ref() {
        let record = RawRecord::of(line, cells);
        filled += usize::from(record.cells().any(|c| !c.is_empty()));
        records.push(record);
        errors.push(errs);
        if filled >= SAMPLE_RECORDS {
            break;
        }
    }
    let Some(h) = header::choose_header(&records) else {
        return Err(Error::read(format!("the sheet \"{name}\" is empty"), Position::none())
            .with_zh(format!("工作表“{name}”是空的")));
    };
    let head = &records[h];
    header::note_skipped(&records[..h], head.line, "row", diags);
    let sampled = &records[h + 1..];
    let names = header::column_names(head, header::width(head, sampled), "row", diags)?;
    let dialect = Dialect {
        format,
        delimiter: None,
        encoding: "Unicode".into(),
        header_row: head.line,
        sheet: Some(name),
        typed: true,
        ..Dialect::default()
    };
    let rows_left = height.saturating_sub(records.len());
    let mut table = Builder::new(names, dialect, sampled.len() + rows_left, 0);
    for (r, errs) in sampled.iter().zip(&errors[h + 1..]) {
        for (c, e) in errs {
            table.cell_error(*c, e.clone());
        }
        table.push(r.line, r.cells().map(str::as_bytes), diags)?;
    }
    let every = (height / 50).max(1);
    for (i, (line, cells, errs)) in rows.enumerate() {
        for (c, e) in errs {
            table.cell_error(c, e);
        }
        table.push(line, cells.iter().map(|t| t.as_bytes()), diags)?;
        if i % every == 0 {
            progress(0.5 + 0.5 * (records.len() + i) as f64 / height as f64);
        }
    }
    let table = table.finish(diags)?;
    progress(1.0);
    Ok((table, sheets))
}

/// A cell's canonical text, and the spreadsheet error it held if any.
fn canonical(d: &Data) -> (Cow<'_, str>, Option<String>) {
    let text = match d {
        Data::Empty => Cow::Borrowed(""),
        Data::String(s) => Cow::Borrowed(s.as_str()),
        Data::Int(i) => Cow::Owned(i.to_string()),
        Data::Float(f) => Cow::Owned(number(*f)),
        Data::Bool(b) => Cow::Borrowed(if *b { "TRUE" } else { "FALSE" }),
        Data::DateTime(dt) => Cow::Owned(excel_datetime(dt)),
        Data::DateTimeIso(s) => Cow::Owned(iso_datetime(s)),
        Data::DurationIso(s) => Cow::Borrowed(s.as_str()),
        Data::Error(e) => return (Cow::Borrowed(""), Some(e.to_string())),
    };
    (text, None)
}

/// The shortest decimal that reads back as `f` (`7`, `-2.5`, `0.1`), never in exponent form.
pub(super) fn number(f: f64) -> String {
    if !f.is_finite() {
        return String::new();
    }
    if f == 0.0 {
        return "0".into();
    }
    format!("{f}")
}

/// An Excel serial date-time as ISO text.
fn excel_datetime(dt: &calamine::ExcelDateTime) -> String {
    let v = dt.as_f64();
    if !v.is_finite() || v < 0.0 {
        return number(v);
    }
    if dt.is_duration() {
        let secs = (v * 86_400.0).round() as u64;
        return format!("{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60);
    }
    let (y, m, d, hh, mm, ss, ms) = dt.to_ymd_hms_milli();
    let time = if ms > 0 { format!("{hh:02}:{mm:02}:{ss:02}.{ms:03}") } else { format!("{hh:02}:{mm:02}:{ss:02}") };
    if v < 1.0 {
        time
    } else if (hh, mm, ss, ms) == (0, 0, 0, 0) {
        format!("{y:04}-{m:02}-{d:02}")
    } else {
        format!("{y:04}-{m:02}-{d:02}T{time}")
    }
}

/// An ISO date-time (ODS) without a midnight time or zero fractions.
fn iso_datetime(s: &str) -> String {
    let s = s.trim();
    match s.split_once('T') {
        Some((date, time)) => {
            let time = time.trim_end_matches('Z');
            let time =
                time.split_once('.').map_or(time, |(t, frac)| if frac.bytes().all(|b| b == b'0') { t } else { time });
            if time.bytes().all(|b| b == b'0' || b == b':') {
                date.to_string()
            } else {
                format!("{date}T{time}")
            }
        }
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{ExcelDateTime, ExcelDateTimeType};

    #[test]
    fn cells_make_rows_from_the_leftmost_column_with_the_empty_rows_between() {
        let mut c = Cells::default();
        for (r, col, v) in [(1, 2, "a"), (1, 4, "b"), (3, 3, "c"), (1, 2, "a2")] {
            c.add(r, col, &Data::String(v.into())).unwrap();
        }
        c.add(0, 9, &Data::Empty).unwrap();
        c.add(2, 9, &Data::String("  ".into())).unwrap();
        let c = c.sorted();
        let rows: Vec<(usize, String)> = c.rows().map(|(line, cells, _)| (line, cells.join("|"))).collect();
        // The cell given twice: the later.
        assert_eq!(rows, [(2, "a2||b".to_string()), (3, String::new()), (4, "|c".to_string())]);
        assert_eq!(c.height(), 3);
        assert!(Cells::default().add(1 << 20, 0, &Data::Int(1)).is_err(), "past the last row");
        assert!(Cells::default().add(0, 1 << 14, &Data::Int(1)).is_err(), "past the last column");
    }

    #[test]
    fn cells_have_one_canonical_form() {
        assert_eq!(number(7.0), "7");
        assert_eq!(number(-2.5), "-2.5");
        assert_eq!(number(-0.0), "0");
        assert_eq!(number(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(number(1e-7), "0.0000001");
        let dt = |v| excel_datetime(&ExcelDateTime::new(v, ExcelDateTimeType::DateTime, false));
        assert_eq!(dt(45_943.0), "2025-10-13");
        assert_eq!(dt(45_943.5), "2025-10-13T12:00:00");
        assert_eq!(dt(0.75), "18:00:00");
        assert_eq!(dt(43_831.0), "2020-01-01");
        let dur = excel_datetime(&ExcelDateTime::new(1.5, ExcelDateTimeType::TimeDelta, false));
        assert_eq!(dur, "36:00:00");
        assert_eq!(iso_datetime("2020-03-01T00:00:00"), "2020-03-01");
        assert_eq!(iso_datetime("2020-03-01T10:30:00.000"), "2020-03-01T10:30:00");
        assert_eq!(iso_datetime("2020-03-01"), "2020-03-01");
        assert_eq!(canonical(&Data::Bool(true)).0, "TRUE");
        assert_eq!(canonical(&Data::Error(calamine::CellErrorType::Div0)), (Cow::Borrowed(""), Some("#DIV/0!".into())));
    }
}
