//! Bytes → table: file kind, encoding, delimiter, header row, cells.
//!
//! [`read`] takes the bytes of a CSV file (any delimiter; UTF-8, UTF-16 or a legacy encoding,
//! detected or given) or of a spreadsheet (XLSX, XLSB, XLS, ODS, recognised from the bytes) and
//! returns a [`Table`] of text cells and the [`Dialect`] it was written in. Title or note rows
//! above the header are skipped, blank and duplicate headers named, ragged rows padded; every such
//! decision is a diagnostic.
//!
//! Architecture invariant: ingest knows nothing of roles or statistics; it keeps every cell as
//! text as written (trimmed; spreadsheet values in one canonical form), and every row's
//! spreadsheet row number.

mod biff;
mod cfb;
mod column;
mod delimited;
mod dialect;
mod header;
mod sheet;
mod text;

pub use dialect::{delimiter_name, sniff_delimiter, Dialect, FileFormat};

use crate::diagnostic::{Diagnostic, Severity};
use crate::error::{Error, Position, Result};
use column::{CodeVec, Column};

/// A table of text cells, stored column by column (so that reading a column touches only that
/// column): a column of few distinct texts as the texts and a code per cell (one or two bytes),
/// any other as its texts in one buffer with the end offset of every cell.
#[derive(Debug, Clone, Default)]
pub struct Table {
    headers: Vec<String>,
    columns: Vec<Column>,
    /// Spreadsheet row number of every data row (CSV: the header is 1; sheets: the sheet's row).
    row_numbers: Vec<u32>,
    dialect: Dialect,
}

impl Table {
    /// Column headers, trimmed; blank ones named `Column N`, repeated ones `Name (2)`.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }
    /// Number of data rows.
    pub fn nrows(&self) -> usize {
        self.row_numbers.len()
    }
    /// Number of columns.
    pub fn ncols(&self) -> usize {
        self.headers.len()
    }
    /// The text of one cell, trimmed of surrounding blanks.
    #[inline]
    pub fn cell(&self, row: usize, col: usize) -> &str {
        self.columns[col].cell(row)
    }
    /// Spreadsheet row number of data row `row`: for CSV the header is row 1; for spreadsheets
    /// the row as the sheet numbers it.
    pub fn row_number(&self, row: usize) -> usize {
        self.row_numbers[row] as usize
    }
    /// Index of the column named `name` (exact, then ignoring case and surrounding blanks).
    pub fn column_index(&self, name: &str) -> Option<usize> {
        let name = name.trim();
        self.headers
            .iter()
            .position(|h| h == name)
            .or_else(|| self.headers.iter().position(|h| h.eq_ignore_ascii_case(name)))
    }
    /// Whether column `col` is stored coded (few distinct texts: reading its values costs little).
    pub fn is_coded(&self, col: usize) -> bool {
        matches!(self.columns[col], Column::Coded { .. })
    }
    /// Calls `each(row, text, &read(text))` for every row of `rows`, in their order, with the text of
    /// its cell in column `col`. Where the column is stored coded (few distinct texts), `read` is
    /// called once per distinct text rather than once per cell: the way to read a column's values.
    pub fn each_cell<'a, T>(
        &'a self,
        col: usize,
        rows: impl IntoIterator<Item = usize>,
        read: impl Fn(&str) -> T,
        mut each: impl FnMut(usize, &'a str, &T),
    ) {
        match &self.columns[col] {
            Column::Coded { dict, codes } => {
                let texts: Vec<&str> = (0..dict.len()).map(|k| dict.text(k as u16)).collect();
                let values: Vec<T> = texts.iter().map(|t| read(t)).collect();
                let mut at = |r: usize, k: usize| each(r, texts[k], &values[k]);
                match codes {
                    CodeVec::Narrow(c) => rows.into_iter().for_each(|r| at(r, usize::from(c[r]))),
                    CodeVec::Wide(c) => rows.into_iter().for_each(|r| at(r, usize::from(c[r]))),
                }
            }
            plain => {
                for r in rows {
                    let text = plain.cell(r);
                    each(r, text, &read(text));
                }
            }
        }
    }
    /// All cells of one column.
    pub fn column(&self, col: usize) -> impl Iterator<Item = &str> + '_ {
        (0..self.nrows()).map(move |r| self.cell(r, col))
    }
    /// All cells of one row.
    pub fn row(&self, row: usize) -> impl Iterator<Item = &str> + '_ {
        (0..self.ncols()).map(move |c| self.cell(row, c))
    }
    /// Whether every cell of a row is blank.
    pub fn row_is_blank(&self, row: usize) -> bool {
        // Cells are stored trimmed: a blank cell adds no text.
        self.columns.iter().all(|c| c.is_blank(row))
    }
    /// How the file wrote this table.
    pub fn dialect(&self) -> &Dialect {
        &self.dialect
    }
    /// Writes the table (header, then every row; no row numbers) as RFC 4180 CSV: UTF-8,
    /// comma-separated, quoted where needed, CRLF line ends.
    pub fn write_csv<W: std::io::Write>(&self, out: W) -> std::io::Result<()> {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out);
        w.write_record(&self.headers)?;
        for r in 0..self.nrows() {
            w.write_record(self.row(r))?;
        }
        w.flush()
    }
    /// The table as RFC 4180 CSV text (see [`Table::write_csv`]).
    pub fn to_csv(&self) -> String {
        let size: usize = self.columns.iter().map(Column::text_len).sum::<usize>() + self.nrows() * self.ncols();
        let mut out = Vec::with_capacity(size + 64);
        // Writing to a Vec cannot fail.
        let _ = self.write_csv(&mut out);
        String::from_utf8(out).unwrap_or_default()
    }
}

/// What to read from a file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// The sheet of a workbook to read (exact name, else ignoring case); the first sheet with
    /// data when `None`. Ignored, with a note, for CSV files.
    pub sheet: Option<String>,
    /// The text encoding of a delimited text file, as a label of the Encoding Standard
    /// (`windows-1252`, `gb18030`, `shift_jis`, `utf-16le`, …); detected from the bytes when
    /// `None`. An unknown label is an error; ignored, with a note, for spreadsheets (whose
    /// files say their own).
    pub encoding: Option<String>,
}

/// Recognises the kind of file from its first bytes (not its name). Files that are surely not a
/// table this tool reads (PDF, HTML, Word, zip archives of other things) are an error that says
/// what they are.
pub fn file_format(bytes: &[u8]) -> Result<FileFormat> {
    let not = |what: &str, what_zh: &str| {
        Err(Error::read(
            format!("the file is {what}, not a table; save it from its program as CSV or XLSX"),
            Position::none(),
        )
        .with_zh(format!("该文件是{what_zh}，不是表格；请在原程序中另存为 CSV 或 XLSX")))
    };
    let contains = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        let head = &bytes[..bytes.len().min(128)];
        let head_has = |n: &[u8]| head.windows(n.len()).any(|w| w == n);
        if head_has(b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet") {
            return Ok(FileFormat::Ods);
        }
        if head_has(b"mimetypeapplication/vnd.oasis.opendocument") {
            return not("an OpenDocument file other than a spreadsheet", "电子表格以外的 OpenDocument 文件");
        }
        if contains(b"xl/workbook.bin") {
            return Ok(FileFormat::Xlsb);
        }
        if contains(b"xl/") {
            return Ok(FileFormat::Xlsx);
        }
        if contains(b"word/") {
            return not("a Word document", " Word 文档");
        }
        if contains(b"ppt/") {
            return not("a PowerPoint presentation", " PowerPoint 演示文稿");
        }
        if contains(b"content.xml") {
            return Ok(FileFormat::Ods);
        }
        return not("a zip archive that holds no spreadsheet", "不含电子表格的 zip 压缩包");
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Ok(FileFormat::Xls);
    }
    if bytes.starts_with(b"%PDF") {
        return not("a PDF document", " PDF 文档");
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
    let start = head.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if start.starts_with("<!doctype html") || start.starts_with("<html") || start.starts_with("<table") {
        return not(
            "a web page (HTML; some systems export these with an .xls name)",
            "网页（HTML；有些系统导出时用 .xls 作扩展名）",
        );
    }
    if start.starts_with("<?xml") && head.contains("urn:schemas-microsoft-com:office:spreadsheet") {
        return not(
            "an Excel 2003 XML spreadsheet, which this tool does not read",
            "本工具不能读取的 Excel 2003 XML 电子表格",
        );
    }
    Ok(FileFormat::Csv)
}

/// Reads the bytes of a CSV file or a spreadsheet into a [`Table`]. `progress` is told the share
/// of the file read (0 to 1) at least every megabyte or so, and 1 at the end.
///
/// ```
/// use cohortcalc::ingest::{read, ReadOptions};
/// let mut diags = Vec::new();
/// let t = read(b"id;VAS\n1;7,5\n", &ReadOptions::default(), &mut diags, &mut |_| {}).unwrap();
/// assert_eq!(t.cell(0, 1), "7,5");
/// assert!(t.dialect().decimal_comma);
/// ```
pub fn read(
    bytes: &[u8],
    opts: &ReadOptions,
    diags: &mut Vec<Diagnostic>,
    progress: &mut dyn FnMut(f64),
) -> Result<Table> {
    read_with_sheets(bytes, opts, diags, progress).map(|(table, _)| table)
}

/// As [`read`], with the names of the workbook's sheets in order (empty for a CSV file), found
/// in the same reading (see [`sheet_names`]).
pub fn read_with_sheets(
    bytes: &[u8],
    opts: &ReadOptions,
    diags: &mut Vec<Diagnostic>,
    progress: &mut dyn FnMut(f64),
) -> Result<(Table, Vec<String>)> {
    match file_format(bytes)? {
        FileFormat::Csv => {
            if let Some(s) = &opts.sheet {
                diags.push(Diagnostic::new(
                    Severity::Warning,
                    Position::none(),
                    format!("the file is CSV, which has no sheets; the sheet \"{s}\" asked for was ignored"),
                    format!("文件是 CSV，没有工作表；所指定的工作表“{s}”已忽略"),
                ));
            }
            let encoding = opts.encoding.as_deref().map(text::encoding_for_label).transpose()?;
            delimited::read_in(bytes, encoding, diags, progress).map(|table| (table, Vec::new()))
        }
        format => {
            if let Some(e) = &opts.encoding {
                diags.push(Diagnostic::new(
                    Severity::Warning,
                    Position::none(),
                    format!(
                        "the file is a spreadsheet, which says its own encoding; the encoding \"{e}\" asked for was \
                         ignored"
                    ),
                    format!("文件是电子表格，其编码由文件自身标明；所指定的编码“{e}”已忽略"),
                ));
            }
            sheet::read(bytes, format, opts.sheet.as_deref(), diags, progress)
        }
    }
}

/// Reads CSV bytes into a [`Table`] (see [`read`], which also reads spreadsheets).
pub fn read_csv(bytes: &[u8], diags: &mut Vec<Diagnostic>, progress: &mut dyn FnMut(f64)) -> Result<Table> {
    delimited::read(bytes, diags, progress)
}

/// The names of the sheets of a workbook, in order; empty for a CSV file.
pub fn sheet_names(bytes: &[u8]) -> Result<Vec<String>> {
    match file_format(bytes)? {
        FileFormat::Csv => Ok(Vec::new()),
        format => sheet::names(bytes, format),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_ok(s: &[u8]) -> (Table, Vec<Diagnostic>) {
        let mut d = Vec::new();
        let t = read(s, &ReadOptions::default(), &mut d, &mut |_| {}).expect("readable");
        (t, d)
    }

    #[test]
    fn semicolons_are_sniffed() {
        let (t, _) = read_ok(b"a;b\n1,5;2\n");
        assert_eq!(t.headers(), ["a", "b"]);
        assert_eq!(t.cell(0, 0), "1,5");
        assert_eq!(t.dialect().delimiter, Some(';'));
        assert!(t.dialect().decimal_comma);
    }

    #[test]
    fn rows_keep_spreadsheet_numbers_across_blank_lines() {
        let (t, _) = read_ok(b"a,b\n1,2\n\n3,4\n");
        assert_eq!(t.nrows(), 2);
        assert_eq!(t.row_number(0), 2);
        assert_eq!(t.row_number(1), 4);
    }

    #[test]
    fn rows_keep_numbers_across_quoted_newlines_and_a_missing_last_newline() {
        let (t, _) = read_ok(b"\n\na,b\n\"x\ny\",2\n\n3,\"4\n\n5\"\n6,7");
        assert_eq!(t.dialect().header_row, 3);
        let rows: Vec<usize> = (0..t.nrows()).map(|r| t.row_number(r)).collect();
        assert_eq!(rows, [2, 5, 8]);
        assert_eq!(t.cell(0, 0), "x\ny");
        assert_eq!(t.cell(1, 1), "4\n\n5");
        assert_eq!(t.cell(2, 1), "7");
    }

    #[test]
    fn short_rows_are_padded_and_long_rows_warned() {
        let (t, d) = read_ok(b"a,b\n1\n1,2,3\n4,5\n6,7\n");
        assert_eq!(t.cell(0, 1), "");
        assert_eq!(t.ncols(), 3, "a body cell past the header in the first rows makes a column");
        assert_eq!(t.headers()[2], "Column 3");
        assert!(d.iter().any(|d| d.message.contains("Column 3")));
        let (t, d) = read_ok(&[b"a,b\n".to_vec(), b"1,2\n".repeat(100), b"1,2,3\n".to_vec()].concat());
        assert_eq!(t.ncols(), 2);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].position.row, Some(102));
        // A value far past the header in the first rows is an extra cell, not a hundred columns.
        let far = [b"a,b\n1,2\n3,4".to_vec(), b",".repeat(100), b"x\n5,6\n".to_vec()].concat();
        let (t, d) = read_ok(&far);
        assert_eq!(t.ncols(), 2);
        assert!(d.iter().any(|d| d.position.row == Some(3) && d.message.contains("extra cells")), "{d:?}");
        // So is a header cell past a gap of empty columns: said, not a column.
        let far = [b"a,b".to_vec(), b",".repeat(30), b"x\n1,2\n3,4\n".to_vec()].concat();
        let (t, d) = read_ok(&far);
        assert_eq!(t.headers(), ["a", "b"]);
        assert!(d.iter().any(|d| d.message.contains("column 32 \"x\" past the table's last column")), "{d:?}");
    }

    #[test]
    fn latin1_is_decoded() {
        let (t, d) = read_ok(b"Caf\xe9,b\n1,2\n");
        assert_eq!(t.headers()[0], "Caf\u{e9}");
        assert_eq!(t.dialect().encoding, "windows-1252");
        assert!(!d.is_empty());
    }

    #[test]
    fn empty_file_is_an_error() {
        let mut d = Vec::new();
        let e = read_csv(b"  \n", &mut d, &mut |_| {}).unwrap_err();
        assert!(e.to_string().contains("empty"));
    }

    #[test]
    fn long_cells_and_many_rows_keep_their_text() {
        // Cells of 30 kB: the third in a block passes 64 kB, and its column's ends become wide
        // (a column of this many distinct texts is stored plain).
        let long = |i: usize| char::from(b'a' + (i % 26) as u8).to_string().repeat(30_000);
        let mut csv = String::from("id,text,short\n");
        for i in 0..5000 {
            let text = if i % 100 < 3 { long(i) } else { format!("t{i}") };
            csv.push_str(&format!("{i},{text},{}\n", if i % 7 == 0 { "" } else { "x" }));
        }
        let (t, _) = read_ok(csv.as_bytes());
        assert_eq!(t.nrows(), 5000);
        for i in 0..5000 {
            assert_eq!(t.cell(i, 0), i.to_string());
            let text = if i % 100 < 3 { long(i) } else { format!("t{i}") };
            assert_eq!(t.cell(i, 1), text, "row {i}");
            assert_eq!(t.cell(i, 2), if i % 7 == 0 { "" } else { "x" });
            assert!(!t.row_is_blank(i));
        }
    }

    #[test]
    fn a_wide_file_of_many_distinct_values_keeps_its_dictionaries_small() {
        // 40 columns of 3,000 distinct values each (their hash tables would hold ~9 MB), and one of
        // four: the largest dictionaries give way, the small one stays; every cell reads back.
        let cell =
            |r: usize, c: usize| if c == 40 { ["a", "b", "c", ""][r % 4].to_string() } else { format!("{}.{}", r, c) };
        let mut csv: String = (0..41).map(|c| format!("v{c}")).collect::<Vec<_>>().join(",");
        csv.push('\n');
        for r in 0..3000 {
            csv.push_str(&(0..41).map(|c| cell(r, c)).collect::<Vec<_>>().join(","));
            csv.push('\n');
        }
        let (t, _) = read_ok(csv.as_bytes());
        assert!((0..40).any(|c| !t.is_coded(c)), "some large dictionaries gave way");
        assert!(t.is_coded(40), "the column of four values stays coded");
        for r in 0..3000 {
            for c in 0..41 {
                assert_eq!(t.cell(r, c), cell(r, c), "row {r}, column {c}");
            }
        }
    }

    #[test]
    fn blank_rows_are_blank() {
        let (t, _) = read_ok(b"a,b\n1,2\n , \n3,4\n");
        assert_eq!(t.nrows(), 3);
        assert!(!t.row_is_blank(0));
        assert!(t.row_is_blank(1));
        assert!(!t.row_is_blank(2));
    }

    #[test]
    fn csv_round_trips_through_write_csv() {
        let (t, _) = read_ok("id;note\n1;\"a \"\"quoted\"\"\nline\"\n2;ü\n".as_bytes());
        assert_eq!(t.to_csv(), "id,note\r\n1,\"a \"\"quoted\"\"\nline\"\r\n2,ü\r\n");
    }

    #[test]
    fn file_kinds_are_recognised_from_bytes() {
        assert_eq!(file_format(b"a,b\n").unwrap(), FileFormat::Csv);
        assert_eq!(file_format(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1").unwrap(), FileFormat::Xls);
        for (bytes, what) in [
            (&b"%PDF-1.4"[..], "PDF"),
            (b"<!DOCTYPE html><html>", "web page"),
            (b"PK\x03\x04....word/document.xml", "Word"),
            (b"PK\x03\x04....photo.jpg", "zip archive"),
        ] {
            assert!(file_format(bytes).unwrap_err().to_string().contains(what), "{what}");
        }
        assert_eq!(sheet_names(b"a,b\n1,2\n").unwrap(), Vec::<String>::new());
    }
}
