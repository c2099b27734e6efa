//! Bytes → table: encoding, delimiter, header, cells.
//!
//! Architecture invariant: ingest knows nothing of roles or statistics; it keeps every cell as
//! text exactly as read, and every row's spreadsheet row number.

use crate::error::{Error, Position, Result};
use crate::{Diagnostic, Severity};
use std::borrow::Cow;

/// A table of text cells, stored row-major in one buffer (one allocation for all cells).
#[derive(Debug, Clone, Default)]
pub struct Table {
    headers: Vec<String>,
    data: String,
    /// End offset in `data` of every cell, row-major; a row's cells are `ncols` consecutive ends.
    ends: Vec<u32>,
    /// Spreadsheet row number (header = 1) of every data row: its first line in the file.
    row_numbers: Vec<u32>,
}

impl Table {
    /// Column headers, trimmed.
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
    /// The text of one cell (trimmed of surrounding blanks).
    pub fn cell(&self, row: usize, col: usize) -> &str {
        let i = row * self.ncols() + col;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        self.data[start..self.ends[i] as usize].trim()
    }
    /// Spreadsheet row number of data row `row` (the header is row 1).
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
    /// All cells of one column.
    pub fn column(&self, col: usize) -> impl Iterator<Item = &str> + '_ {
        (0..self.nrows()).map(move |r| self.cell(r, col))
    }
    /// Whether every cell of a row is blank.
    pub fn row_is_blank(&self, row: usize) -> bool {
        (0..self.ncols()).all(|c| self.cell(row, c).is_empty())
    }
}

/// Decodes bytes to text: a BOM decides (UTF-8, UTF-16 LE/BE); else UTF-8 if valid; else
/// Windows-1252, with a diagnostic.
pub fn decode<'a>(bytes: &'a [u8], diags: &mut Vec<Diagnostic>) -> Cow<'a, str> {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        if enc != encoding_rs::UTF_8 {
            diags.push(Diagnostic {
                severity: Severity::Info,
                position: Position::none(),
                message: format!("the file is {} text", enc.name()),
            });
        }
        return text;
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            diags.push(Diagnostic {
                severity: Severity::Info,
                position: Position::none(),
                message: "the file is not UTF-8; read it as Windows-1252 (Western European)".into(),
            });
            text
        }
    }
}

/// Picks the delimiter that splits the first lines most consistently: `,` `;` tab or `|`.
pub fn sniff_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).take(20).collect();
    let mut best = (b',', 0usize);
    for d in [b',', b';', b'\t', b'|'] {
        let counts: Vec<usize> = lines.iter().map(|l| l.bytes().filter(|b| *b == d).count()).collect();
        let first = counts.first().copied().unwrap_or(0);
        if first == 0 {
            continue;
        }
        let consistent = counts.iter().filter(|&&c| c == first).count();
        let score = consistent * 1000 + first;
        if score > best.1 {
            best = (d, score);
        }
    }
    best.0
}

/// Reads CSV bytes into a [`Table`]. `progress` is told the share of bytes read (0..=1) now and
/// then, so a page can show a bar.
pub fn read_csv(bytes: &[u8], diags: &mut Vec<Diagnostic>, progress: &mut dyn FnMut(f64)) -> Result<Table> {
    let text = decode(bytes, diags);
    if text.trim().is_empty() {
        return Err(Error::read("the file is empty", Position::none()));
    }
    let delimiter = sniff_delimiter(&text);
    let mut rdr =
        csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    // Line numbers are counted from byte offsets: the csv reader does not count skipped blank lines.
    let bytes_of_text = text.as_bytes();
    let (mut seen_byte, mut seen_line) = (0usize, 1usize);
    // A record's position may point at the blank lines skipped before it.
    let mut line_of = |mut byte: usize| {
        while byte < bytes_of_text.len() && matches!(bytes_of_text[byte], b'\n' | b'\r') {
            byte += 1;
        }
        if byte > seen_byte {
            seen_line += bytes_of_text[seen_byte..byte].iter().filter(|&&b| b == b'\n').count();
            seen_byte = byte;
        }
        seen_line
    };
    let header_line = loop {
        match rdr.read_record(&mut record) {
            Ok(true) if record.iter().all(|c| c.trim().is_empty()) => continue,
            Ok(true) => break line_of(record.position().map_or(0, |p| p.byte() as usize)),
            Ok(false) => return Err(Error::read("the file has no header row", Position::none())),
            Err(e) => return Err(csv_error(e)),
        }
    };
    let mut headers: Vec<String> = record.iter().map(|h| h.trim().to_string()).collect();
    while headers.last().is_some_and(|h| h.is_empty()) {
        headers.pop();
    }
    if headers.is_empty() {
        return Err(Error::read("the header row is empty", Position::row(header_line)));
    }
    for (i, h) in headers.iter_mut().enumerate() {
        if h.is_empty() {
            *h = format!("Column {}", i + 1);
        }
    }
    let ncols = headers.len();
    let mut table = Table {
        headers,
        data: String::with_capacity(text.len()),
        ends: Vec::with_capacity(text.len() / 5),
        row_numbers: Vec::with_capacity(text.len() / 50),
    };
    // Rows are numbered as a spreadsheet would: the header is row 1.
    let offset = header_line - 1;
    let total = text.len().max(1) as f64;
    let mut next_report = 0usize;
    loop {
        match rdr.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_error(e)),
        }
        let line = line_of(record.position().map_or(0, |p| p.byte() as usize)).saturating_sub(offset);
        if record.len() > ncols && record.iter().skip(ncols).any(|c| !c.trim().is_empty()) {
            diags.push(Diagnostic {
                severity: Severity::Warning,
                position: Position::row(line),
                message: format!("{} cells but the header has {ncols}; the extra cells were ignored", record.len()),
            });
        }
        for c in 0..ncols {
            table.data.push_str(record.get(c).unwrap_or(""));
            let end = u32::try_from(table.data.len())
                .map_err(|_| Error::read("the file is larger than 4 GB", Position::row(line)))?;
            table.ends.push(end);
        }
        table.row_numbers.push(line as u32);
        let pos = record.position().map_or(0, |p| p.byte()) as usize;
        if pos >= next_report {
            progress(pos as f64 / total);
            next_report = pos + (1 << 20);
        }
    }
    progress(1.0);
    Ok(table)
}

fn csv_error(e: csv::Error) -> Error {
    let row = e.position().map(|p| p.line() as usize);
    Error::read(format!("not a readable CSV file ({e})"), Position { row, column: None })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &[u8]) -> (Table, Vec<Diagnostic>) {
        let mut d = Vec::new();
        let t = read_csv(s, &mut d, &mut |_| {}).expect("readable");
        (t, d)
    }

    #[test]
    fn semicolons_are_sniffed() {
        let (t, _) = read(b"a;b\n1,5;2\n");
        assert_eq!(t.headers(), ["a", "b"]);
        assert_eq!(t.cell(0, 0), "1,5");
    }

    #[test]
    fn rows_keep_spreadsheet_numbers_across_blank_lines() {
        let (t, _) = read(b"a,b\n1,2\n\n3,4\n");
        assert_eq!(t.nrows(), 2);
        assert_eq!(t.row_number(0), 2);
        assert_eq!(t.row_number(1), 4);
    }

    #[test]
    fn short_rows_are_padded_and_long_rows_warned() {
        let (t, d) = read(b"a,b\n1\n1,2,3\n");
        assert_eq!(t.cell(0, 1), "");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].position.row, Some(3));
    }

    #[test]
    fn latin1_is_decoded() {
        let (t, d) = read(b"Caf\xe9,b\n1,2\n");
        assert_eq!(t.headers()[0], "Caf\u{e9}");
        assert!(!d.is_empty());
    }

    #[test]
    fn empty_file_is_an_error() {
        let mut d = Vec::new();
        let e = read_csv(b"  \n", &mut d, &mut |_| {}).unwrap_err();
        assert!(e.to_string().contains("empty"));
    }
}
