//! CSV and other delimited text → [`Table`]: delimiter sniffed, header found below any title
//! rows, rows numbered as a spreadsheet would (the header is row 1).

use super::dialect::{sniff_delimiter, Dialect, FileFormat};
use super::header::{self, Builder, RawRecord, SAMPLE_RECORDS};
use super::{text, Table};
use crate::diagnostic::Diagnostic;
use crate::error::{Error, Position, Result};
use std::borrow::Cow;

/// How often progress is reported, in bytes of text.
const PROGRESS_EVERY: usize = 1 << 20;

/// A fast RFC 4180 record reader over text, reading odd input as the csv crate does: a quote
/// opens a quoted field only at the start of a field (`5"` is text), text after a closing quote
/// is kept (`"a"b` is `ab`), `""` inside quotes is one quote; records end at LF, CRLF or a lone
/// CR; blank lines are skipped. Fields are slices of the text, copied only when they hold a
/// doubled quote. Lines are counted as a spreadsheet shows them, quoted line breaks included.
#[derive(Clone)]
pub(super) struct Records<'a> {
    s: &'a [u8],
    pos: usize,
    /// Line number (1-based) at `pos`.
    line: usize,
    delimiter: u8,
    /// Bytes that end an unquoted field: the delimiter, LF, CR.
    stop: [bool; 256],
}

/// Where a record was, once read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct RecordEnd {
    /// The line it starts on.
    pub line: usize,
    /// The field (index) whose quote is never closed: it ran to the end of the text.
    pub unclosed: Option<usize>,
}

impl<'a> Records<'a> {
    pub fn new(s: &'a [u8], delimiter: u8) -> Self {
        let mut stop = [false; 256];
        for b in [delimiter, b'\n', b'\r'] {
            stop[usize::from(b)] = true;
        }
        Self { s, pos: 0, line: 1, delimiter, stop }
    }

    /// Bytes read so far.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// Skips a line end at `pos` if there is one (LF, CRLF or CR).
    #[inline]
    fn line_end(&mut self) -> bool {
        match self.s.get(self.pos) {
            Some(b'\n') => self.pos += 1,
            Some(b'\r') => self.pos += if self.s.get(self.pos + 1) == Some(&b'\n') { 2 } else { 1 },
            _ => return false,
        }
        self.line += 1;
        true
    }

    /// Skips blank lines; the line the next record starts on, `None` at the end of the text.
    pub fn next_line(&mut self) -> Option<usize> {
        while self.line_end() {}
        (self.pos < self.s.len()).then_some(self.line)
    }

    /// Reads the next record, handing each field to `field` in order; `None` at the end of the
    /// text.
    #[inline]
    pub fn next_record(&mut self, mut field: impl FnMut(&[u8])) -> Option<RecordEnd> {
        while self.line_end() {}
        if self.pos >= self.s.len() {
            return None;
        }
        let mut end = RecordEnd { line: self.line, unclosed: None };
        let s = self.s;
        let mut index = 0usize;
        loop {
            if s.get(self.pos) == Some(&b'"') {
                let (text, closed) = self.quoted();
                if !closed {
                    end.unclosed = Some(index);
                }
                field(&text);
            } else {
                let start = self.pos;
                let stop = &self.stop;
                let len = s[start..].iter().position(|&b| stop[usize::from(b)]).unwrap_or(s.len() - start);
                self.pos = start + len;
                field(&s[start..start + len]);
            }
            index += 1;
            match s.get(self.pos) {
                Some(&d) if d == self.delimiter => self.pos += 1,
                _ => {
                    self.line_end();
                    return Some(end);
                }
            }
        }
    }

    /// A quoted field at `pos` (on its opening quote), and whether its quote was closed.
    fn quoted(&mut self) -> (Cow<'a, [u8]>, bool) {
        let s = self.s;
        self.pos += 1;
        let mut seg = self.pos;
        let mut owned: Option<Vec<u8>> = None;
        let closed = loop {
            let Some(i) = s[self.pos..].iter().position(|&b| matches!(b, b'"' | b'\n' | b'\r')) else {
                self.pos = s.len();
                break false;
            };
            let i = self.pos + i;
            match s[i] {
                b'"' if s.get(i + 1) == Some(&b'"') => {
                    owned.get_or_insert_with(Vec::new).extend_from_slice(&s[seg..=i]);
                    self.pos = i + 2;
                    seg = self.pos;
                }
                b'"' => {
                    self.pos = i + 1;
                    break true;
                }
                b'\r' if s.get(i + 1) == Some(&b'\n') => self.pos = i + 1,
                _ => {
                    self.line += 1;
                    self.pos = i + 1;
                }
            }
        };
        let end = if closed { self.pos - 1 } else { s.len() };
        let mut field = match owned {
            Some(mut o) => {
                o.extend_from_slice(&s[seg..end]);
                Cow::Owned(o)
            }
            None => Cow::Borrowed(&s[seg..end]),
        };
        // Text after the closing quote, up to the delimiter or line end, is kept.
        let stop = &self.stop;
        let rest = s[self.pos..].iter().position(|&b| stop[usize::from(b)]).unwrap_or(s.len() - self.pos);
        if rest > 0 {
            field.to_mut().extend_from_slice(&s[self.pos..self.pos + rest]);
            self.pos += rest;
        }
        (field, closed)
    }
}

/// Excel's `sep=;` first line, which names the delimiter: the delimiter and the bytes to skip.
fn sep_line(text: &str) -> Option<(u8, usize)> {
    let head = text.get(..4)?;
    if !head.eq_ignore_ascii_case("sep=") {
        return None;
    }
    let d = *text.as_bytes().get(4)?;
    let line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    matches!(d, b',' | b';' | b'\t' | b'|').then_some((d, line_end))
}

fn unclosed_quote(row: usize, column: Option<String>) -> Error {
    Error::read(
        "a quote (\") opened in this cell is never closed, so the rest of the file would be read as one cell; \
         close the quote or remove it",
        Position { row: Some(row), column },
    )
    .with_zh("此单元格中的引号（\"）没有闭合，文件其余部分会被读成一个单元格；请补上或删去该引号")
}

/// Reads delimited text (see [`super::read`]).
pub(super) fn read(bytes: &[u8], diags: &mut Vec<Diagnostic>, progress: &mut dyn FnMut(f64)) -> Result<Table> {
    read_in(bytes, None, diags, progress)
}

/// [`read`], in the encoding `encoding` when given (else detected).
pub(super) fn read_in(
    bytes: &[u8],
    encoding: Option<&'static encoding_rs::Encoding>,
    diags: &mut Vec<Diagnostic>,
    progress: &mut dyn FnMut(f64),
) -> Result<Table> {
    read_with(bytes, encoding, diags, progress, true)
}

/// [`read_in`], the records after the first in parts where `in_parts` (see [`read_rest`]).
fn read_with(
    bytes: &[u8],
    encoding: Option<&'static encoding_rs::Encoding>,
    diags: &mut Vec<Diagnostic>,
    progress: &mut dyn FnMut(f64),
    in_parts: bool,
) -> Result<Table> {
    progress(0.0);
    let src = text::source(bytes, encoding, diags)?;
    if src.text.trim().is_empty() {
        return Err(Error::read("the file is empty", Position::none()).with_zh("文件是空的"));
    }
    let (sample, truncated) = src.sample();
    text::check_is_text(sample)?;
    let (delimiter, skip, line_offset) = match sep_line(&src.text) {
        Some((d, skip)) => (d, skip, 1),
        None => (sniff_delimiter(sample, truncated), 0, 0),
    };
    let body = &src.text.as_bytes()[skip..];
    let mut records = Records::new(body, delimiter);
    records.line += line_offset;

    // The first records, to find the header and the table's width.
    let mut first: Vec<RawRecord> = Vec::new();
    let mut filled = 0usize;
    let mut unclosed = None;
    while filled < SAMPLE_RECORDS && unclosed.is_none() {
        let mut record = RawRecord::new(0);
        let Some(end) = records.next_record(|f| record.push(&String::from_utf8_lossy(header::trim(f)))) else {
            break;
        };
        record.line = end.line;
        // Reported once the header (and so the column's name and the row's number) is known.
        unclosed = end.unclosed.map(|c| (end.line, c));
        filled += usize::from(record.cells().any(|c| !c.is_empty()));
        first.push(record);
    }
    let Some(h) = header::choose_header(&first) else {
        return Err(Error::read("the file has no header row: every line is blank", Position::none())
            .with_zh("文件没有标题行：每一行都是空的"));
    };
    let head = &first[h];
    header::note_skipped(&first[..h], head.line, "line", diags);
    let sampled = &first[h + 1..];
    let names = header::column_names(head, header::width(head, sampled), "line", diags)?;
    // Rows are numbered as a spreadsheet would: the header is row 1.
    let offset = head.line - 1;
    if let Some((line, c)) = unclosed {
        let column = names.get(c).cloned().unwrap_or_else(|| format!("Column {}", c + 1));
        return Err(unclosed_quote((line + 1).saturating_sub(head.line).max(1), Some(column)));
    }
    let dialect = Dialect {
        format: FileFormat::Csv,
        delimiter: Some(char::from(delimiter)),
        encoding: src.encoding.to_string(),
        header_row: head.line,
        ..Dialect::default()
    };

    let consumed = records.position().max(1);
    let rows_hint = (body.len() as f64 / consumed as f64 * first.len() as f64 * 1.02) as usize + 16;
    let mut table = Builder::new(names, dialect, rows_hint, body.len().saturating_sub(consumed));
    for r in sampled {
        table.push(r.line - offset, r.cells().map(str::as_bytes), diags)?;
    }
    table.reserve_like_sample(rows_hint.saturating_sub(sampled.len()));
    read_rest(records, &mut table, offset, diags, progress, in_parts)?;
    let table = table.finish(diags)?;
    progress(1.0);
    Ok(table)
}

/// Text left below which a file is read on one thread (in unit tests, small: so that they read
/// files in parts).
#[cfg(not(target_arch = "wasm32"))]
const SPLIT_ABOVE: usize = if cfg!(test) { 2048 } else { 8 << 20 };

/// Reads the records left into `table`, as spreadsheet rows `line - offset`. Natively, a large
/// file is read in two parts side by side — the part after the first line end past the middle on
/// a thread of its own — where the first part has no quote (so that the second starts a record:
/// no quoted field runs across) and a thread can be started; its rows are appended after.
fn read_rest(
    records: Records,
    table: &mut Builder,
    offset: usize,
    diags: &mut Vec<Diagnostic>,
    progress: &mut dyn FnMut(f64),
    in_parts: bool,
) -> Result<()> {
    #[cfg(not(target_arch = "wasm32"))]
    if let Some(split) = split_point(records.s, records.pos).filter(|_| in_parts) {
        return read_in_parts(records, split, table, offset, diags, progress);
    }
    #[cfg(target_arch = "wasm32")]
    let _ = in_parts;
    read_records(records, table, offset, diags, progress)
}

/// [`read_rest`] in two parts, the second from `split`.
#[cfg(not(target_arch = "wasm32"))]
fn read_in_parts(
    mut records: Records,
    split: usize,
    table: &mut Builder,
    offset: usize,
    diags: &mut Vec<Diagnostic>,
    progress: &mut dyn FnMut(f64),
) -> Result<()> {
    let s = records.s;
    // Lines before the split, counted as the reader counts them (CRLF once, a lone CR once).
    let first = &s[records.pos..split];
    let lines = first
        .iter()
        .zip(first.iter().skip(1).chain([&b'\n']))
        .filter(|(&b, &next)| b == b'\n' || (b == b'\r' && next != b'\n'))
        .count();
    let mut second = Records::new(&s[split..], records.delimiter);
    second.line = records.line + lines;
    records.s = &s[..split];
    // Rows as long as those read so far (the header's and titles' lines included).
    let per_row = records.pos.max(1) as f64 / (table.nrows() + 1) as f64;
    let rows_hint = ((s.len() - split) as f64 / per_row * 1.02) as usize + 16;
    let mut rest = table.sibling(rows_hint, s.len() - split);
    let read_second = |rest: &mut Builder| {
        let mut notes = Vec::new();
        read_records(second.clone(), rest, offset, &mut notes, &mut |_| {}).map(|()| notes)
    };
    let (mine, theirs) = std::thread::scope(|scope| {
        let other = std::thread::Builder::new().spawn_scoped(scope, || read_second(&mut rest)).ok();
        let total = s.len();
        let mine = read_records(records, table, offset, diags, &mut |at| progress(at * split as f64 / total as f64));
        let theirs = match other.map(|h| h.join()) {
            Some(Ok(r)) => Some(r),
            Some(Err(panic)) => std::panic::resume_unwind(panic),
            None => None,
        };
        (mine, theirs)
    });
    mine?;
    let notes = match theirs {
        Some(r) => r?,
        // No thread: the second part on this one.
        None => read_second(&mut rest)?,
    };
    table.append(rest, notes, diags)
}

/// Where to split the text left at `pos` (see [`read_rest`]), if it is to be.
#[cfg(not(target_arch = "wasm32"))]
fn split_point(s: &[u8], pos: usize) -> Option<usize> {
    if s.len() - pos < SPLIT_ABOVE {
        return None;
    }
    let middle = pos + (s.len() - pos) / 2;
    let split = middle + s[middle..].iter().position(|&b| b == b'\n')? + 1;
    (split < s.len() && !s[pos..split].contains(&b'"')).then_some(split)
}

/// Reads every record of `records` into `table` (see [`read_rest`]); `progress` is told the
/// share of `records`' text read.
fn read_records(
    mut records: Records,
    table: &mut Builder,
    offset: usize,
    diags: &mut Vec<Diagnostic>,
    progress: &mut dyn FnMut(f64),
) -> Result<()> {
    let total = records.s.len().max(1) as f64;
    let mut next_report = records.position() + PROGRESS_EVERY;
    while let Some(line) = records.next_line() {
        table.start_row(line - offset);
        let Some(end) = records.next_record(|f| table.field(f)) else { break };
        if let Some(c) = end.unclosed {
            return Err(unclosed_quote(end.line - offset, table.header(c).map(str::to_string)));
        }
        table.end_row(end.line - offset, diags)?;
        if records.position() >= next_report {
            progress(records.position() as f64 / total);
            next_report = records.position() + PROGRESS_EVERY;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file read in two parts reads as it does in one: cells, row numbers, notes, dialect.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn a_file_read_in_parts_reads_as_in_one() {
        // Blank lines, CRLF and lone CR line ends, rows with cells past the header's width (more
        // than are named), ragged rows, decimal commas; and, past the middle, quoted fields
        // (with line breaks and doubled quotes) and texts whose codes overflow.
        let mut csv = String::from("Title line\n\nid;x;y;note\n");
        for i in 0..3000 {
            let end = ["\n", "\r\n", "\r"][i % 3];
            let row = match i % 11 {
                0 => String::new(),
                // Past the rows sampled for the table's width: cells past it.
                1 if i > 100 => format!("{i};{},5;x;n;extra;cells", i % 9),
                2 => format!("{i};7"),
                _ if i > 2000 && i % 5 == 0 => format!("{i};\"a;\"\"b\"\"\nc\";{};n{}", i % 13, i % 7),
                _ => format!("{i};{};{},{};n{}", i % 13, i % 5, i % 10, i % 3),
            };
            csv.push_str(&row);
            csv.push_str(end);
        }
        let (mut one_notes, mut parts_notes) = (Vec::new(), Vec::new());
        let one = read_with(csv.as_bytes(), None, &mut one_notes, &mut |_| {}, false).unwrap();
        let parts = read_with(csv.as_bytes(), None, &mut parts_notes, &mut |_| {}, true).unwrap();
        // Past the title, header and sample rows (the first part starts there), no quote before
        // the middle: the file is read in parts.
        assert!(split_point(csv.as_bytes(), 2000).is_some(), "the test reads in parts");
        assert_eq!(one.nrows(), parts.nrows());
        assert_eq!(one.headers(), parts.headers());
        for r in 0..one.nrows() {
            assert_eq!(one.row_number(r), parts.row_number(r), "row {r}");
            for c in 0..one.ncols() {
                assert_eq!(one.cell(r, c), parts.cell(r, c), "row {r}, column {c}");
            }
        }
        assert_eq!(format!("{one_notes:?}"), format!("{parts_notes:?}"));
        assert_eq!(format!("{:?}", one.dialect()), format!("{:?}", parts.dialect()));
    }

    /// Random files: plain cells (blank, words, numbers with a decimal comma or point, cells
    /// past the width, blank lines, any line end) up to the middle, then quoted ones too.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn random_files_read_in_parts_read_as_in_one() {
        use proptest::prelude::*;
        use proptest::test_runner::{Config, TestRunner};
        let plain = prop_oneof![
            Just(String::new()),
            "[a-zA-Z ]{1,6}",
            "-?[0-9]{1,4}",
            "[0-9]{1,2}[.,][0-9]{1,2}",
            "是|否|NA|-99|Yes|no",
        ];
        let quoted =
            prop_oneof![plain.clone(), "[a-z]{0,3}[,;\n\r]{0,2}[a-z]{0,3}".prop_map(|t| format!("\"{t}\"\"x\""))];
        let row = |cell: BoxedStrategy<String>| prop::collection::vec(cell, 0..7);
        // Enough rows for the text after the sampled ones to be read in parts (every case is).
        let rows = (
            prop::collection::vec((row(plain.boxed()), 0..4usize), 350..500),
            prop::collection::vec((row(quoted.boxed()), 0..4usize), 0..40),
        );
        let cases = std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(48);
        let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
        runner
            .run(&rows, |(first, rest)| {
                let mut csv = String::from("id,a,b,c\n");
                for (cells, end) in first.iter().chain(&rest) {
                    csv.push_str(&cells.join(","));
                    csv.push_str(["\n", "\r\n", "\r", "\n\n"][*end]);
                }
                let read = |in_parts| {
                    let mut notes = Vec::new();
                    read_with(csv.as_bytes(), None, &mut notes, &mut |_| {}, in_parts).map(|t| (t, notes))
                };
                match (read(false), read(true)) {
                    (Ok((one, one_notes)), Ok((parts, parts_notes))) => {
                        prop_assert_eq!(one.nrows(), parts.nrows());
                        prop_assert_eq!(one.headers(), parts.headers());
                        for r in 0..one.nrows() {
                            prop_assert_eq!(one.row_number(r), parts.row_number(r));
                            for c in 0..one.ncols() {
                                prop_assert_eq!(one.cell(r, c), parts.cell(r, c));
                            }
                        }
                        prop_assert_eq!(format!("{one_notes:?}"), format!("{parts_notes:?}"));
                        prop_assert_eq!(format!("{:?}", one.dialect()), format!("{:?}", parts.dialect()));
                    }
                    (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
                    (a, b) => prop_assert!(false, "one reading: {:?}, in parts: {:?}", a.err(), b.err()),
                }
                Ok(())
            })
            .unwrap();
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn a_quote_before_the_middle_keeps_the_file_in_one_part() {
        let mut s = String::from("\"a\"\n");
        s.push_str(&"1,2\n".repeat(2000));
        assert_eq!(split_point(s.as_bytes(), 0), None);
        assert!(split_point(&s.as_bytes()[4..], 0).is_some());
    }

    /// Records as the csv crate reads them (flexible, no headers, blank lines skipped).
    fn by_csv_crate(s: &[u8], d: u8) -> Vec<Vec<Vec<u8>>> {
        let mut rdr = csv::ReaderBuilder::new().delimiter(d).has_headers(false).flexible(true).from_reader(s);
        rdr.byte_records().map(|r| r.unwrap().iter().map(<[u8]>::to_vec).collect()).collect()
    }

    fn ours(s: &[u8], d: u8) -> Vec<Vec<Vec<u8>>> {
        let mut r = Records::new(s, d);
        let mut out = Vec::new();
        loop {
            let mut fields = Vec::new();
            if r.next_record(|f| fields.push(f.to_vec())).is_none() {
                return out;
            }
            out.push(fields);
        }
    }

    #[test]
    fn records_are_read_as_the_csv_crate_reads_them() {
        for s in [
            &b"a,b\n1,2\n"[..],
            b"a,b\r\n1,2\r\n\r\n3,4",
            b"a,\"b,c\"\n\"x\"\"y\",\"multi\nline\"\n",
            b"5\",x\n\"a\"b,c\n",
            b",,\n,\n",
            b"\"\"\n\"\"\"\"\n",
            b"a;b\n1,5;2\n",
            b"a\rb\rc",
            b"x,\"unclosed\n1,2\n",
            b"\"a\"\"\"\"b\"\n",
        ] {
            let d = if s.contains(&b';') { b';' } else { b',' };
            assert_eq!(ours(s, d), by_csv_crate(s, d), "{:?}", String::from_utf8_lossy(s));
        }
    }

    #[test]
    fn lines_are_counted_as_a_spreadsheet_shows_them() {
        let s = b"a,b\r\n\"x\r\ny\",2\r\n\r\n3,4\r5,6\n";
        let mut r = Records::new(s, b',');
        let mut lines = Vec::new();
        while let Some(end) = r.next_record(|_| {}) {
            lines.push(end.line);
        }
        assert_eq!(lines, [1, 2, 5, 6]);
    }

    #[test]
    fn an_unclosed_quote_is_an_error_naming_row_and_column() {
        let mut d = Vec::new();
        let bytes = [b"id,note\n".to_vec(), b"1,ok\n".repeat(100), b"2,\"never closed\n3,x\n".to_vec()].concat();
        let e = read(&bytes, &mut d, &mut |_| {}).unwrap_err();
        assert_eq!(e.position(), &Position::cell(102, "note"));
        assert!(e.to_string().contains("never closed"));
    }

    #[test]
    fn an_excel_sep_line_names_the_delimiter() {
        let mut d = Vec::new();
        let t = read(b"sep=;\na;b\n1,5;2\n", &mut d, &mut |_| {}).unwrap();
        assert_eq!(t.headers(), ["a", "b"]);
        assert_eq!(t.dialect().header_row, 2);
        assert_eq!(t.row_number(0), 2);
    }
}
