//! How a file writes its table: delimiter, number format, encoding, header row, sheet.
//!
//! The delimiter is sniffed from a sample of the text; the number format (decimal comma,
//! thousands separator) from evidence gathered over every cell while the table is read.

use serde::Serialize;
use std::borrow::Cow;

/// The kind of file a table was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileFormat {
    /// Delimited text (CSV, TSV, semicolon- or pipe-separated).
    #[default]
    Csv,
    /// Excel 2007+ workbook (Office Open XML).
    Xlsx,
    /// Excel 2007+ binary workbook.
    Xlsb,
    /// Excel 97–2003 workbook (BIFF).
    Xls,
    /// OpenDocument spreadsheet (LibreOffice, Numbers export).
    Ods,
}

impl FileFormat {
    /// A short name for messages: "CSV", "XLSX", ….
    pub fn name(self) -> &'static str {
        match self {
            FileFormat::Csv => "CSV",
            FileFormat::Xlsx => "XLSX",
            FileFormat::Xlsb => "XLSB",
            FileFormat::Xls => "XLS",
            FileFormat::Ods => "ODS",
        }
    }
}

/// How the file writes its table, as detected while reading it.
///
/// Cells stay as written; callers read numbers through [`Dialect::number_text`] so that `7,5`
/// in a decimal-comma file is 7.5 and `1.234,5` is 1234.5.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dialect {
    /// What kind of file it was.
    pub format: FileFormat,
    /// The delimiter of a CSV file (`,` `;` tab `|`); `None` for spreadsheets.
    pub delimiter: Option<char>,
    /// Numbers use a decimal comma (`7,5`).
    pub decimal_comma: bool,
    /// The thousands separator numbers use (`1,234` `1.234` `1 234` `1'234`), if any.
    pub thousands: Option<char>,
    /// The text encoding of a CSV file, as encoding_rs names it (`UTF-8`, `UTF-16LE`,
    /// `UTF-16BE`, `windows-1252`, `gb18030`, `Big5`, `Shift_JIS`, …); `Unicode` for spreadsheets.
    pub encoding: String,
    /// Where the header was found: the line of a CSV file or the row of the sheet (1-based).
    pub header_row: usize,
    /// The sheet read, for spreadsheets.
    pub sheet: Option<String>,
    /// Cells came typed from a spreadsheet: numbers are already in canonical form (`-2.5`,
    /// shortest decimal), dates ISO (`2024-03-01`), booleans `TRUE`/`FALSE`; they are never
    /// re-read with a decimal comma.
    pub typed: bool,
}

impl Default for Dialect {
    fn default() -> Self {
        Self {
            format: FileFormat::Csv,
            delimiter: Some(','),
            decimal_comma: false,
            thousands: None,
            encoding: "UTF-8".into(),
            header_row: 1,
            sheet: None,
            typed: false,
        }
    }
}

impl Dialect {
    /// The text of a number cell in plain form (`-2.5`, `1234.5`) for `str::parse::<f64>`:
    /// thousands separators removed and a decimal comma turned into a point, as this file
    /// writes numbers. Text that is not written as such a number comes back unchanged.
    ///
    /// ```
    /// use cohortcalc::ingest::Dialect;
    /// let d = Dialect { decimal_comma: true, thousands: Some('.'), ..Dialect::default() };
    /// assert_eq!(d.number_text("-2,5"), "-2.5");
    /// assert_eq!(d.number_text("1.234,5"), "1234.5");
    /// assert_eq!(d.number_text("Yes"), "Yes");
    /// ```
    pub fn number_text<'a>(&self, cell: &'a str) -> Cow<'a, str> {
        if self.typed || (!self.decimal_comma && self.thousands.is_none()) {
            return Cow::Borrowed(cell);
        }
        let s = cell.trim();
        match classify(s) {
            Num::NotNumber | Num::Plain => Cow::Borrowed(cell),
            _ => {
                let mut out = String::with_capacity(s.len());
                for ch in s.chars() {
                    if Some(ch) == self.thousands {
                        continue;
                    }
                    match ch {
                        ',' if self.decimal_comma => out.push('.'),
                        '\u{2212}' => out.push('-'),
                        // A point in a decimal-comma file whose thousands mark is not the point.
                        '.' if self.decimal_comma => return Cow::Borrowed(cell),
                        ',' => return Cow::Borrowed(cell),
                        _ => out.push(ch),
                    }
                }
                Cow::Owned(out)
            }
        }
    }

    /// One line saying how the file was read, for people: e.g. `CSV, semicolon-separated,
    /// decimal comma, windows-1252, header on line 3`.
    pub fn describe(&self) -> String {
        let mut parts = vec![self.format.name().to_string()];
        if let Some(s) = &self.sheet {
            parts.push(format!("sheet \"{s}\""));
        }
        if let Some(d) = self.delimiter {
            parts.push(delimiter_name(d).to_string());
        }
        if self.decimal_comma {
            parts.push("decimal comma".into());
        }
        if let Some(t) = self.thousands {
            parts.push(format!("thousands separator {}", char_name(t)));
        }
        if !self.typed {
            parts.push(self.encoding.clone());
        }
        let unit = if self.format == FileFormat::Csv { "line" } else { "row" };
        parts.push(format!("header on {unit} {}", self.header_row));
        parts.join(", ")
    }
}

/// "comma-separated", "semicolon-separated", ….
pub fn delimiter_name(d: char) -> &'static str {
    match d {
        ',' => "comma-separated",
        ';' => "semicolon-separated",
        '\t' => "tab-separated",
        '|' => "pipe-separated",
        _ => "delimited",
    }
}

fn char_name(c: char) -> String {
    match c {
        ' ' => "space".into(),
        '\u{a0}' => "no-break space".into(),
        '\u{202f}' => "narrow no-break space".into(),
        c => format!("\"{c}\""),
    }
}

/// Picks the delimiter under which the records of `sample` split most consistently into more
/// than one field: `,` `;` tab or `|`, scored by the cells of the records that have the most
/// common width. Quotes are respected (a quoted `;` does not count). With
/// `truncated`, the last record of the sample may be cut and is left out.
pub fn sniff_delimiter(sample: &str, truncated: bool) -> u8 {
    let mut best = (b',', (0usize, 0usize, 0usize));
    for (rank, d) in [b',', b';', b'\t', b'|'].into_iter().enumerate() {
        let mut rdr =
            csv::ReaderBuilder::new().delimiter(d).has_headers(false).flexible(true).from_reader(sample.as_bytes());
        let mut counts: Vec<usize> = Vec::new();
        let mut rec = csv::ByteRecord::new();
        let mut done = false;
        while counts.len() < 64 {
            match rdr.read_byte_record(&mut rec) {
                Ok(true) => {
                    if rec.iter().any(|f| !f.trim_ascii().is_empty()) {
                        counts.push(rec.len());
                    }
                }
                _ => {
                    done = true;
                    break;
                }
            }
        }
        if truncated && done && counts.len() > 1 {
            counts.pop();
        }
        let Some((width, agree)) = mode(&counts) else { continue };
        if width < 2 {
            continue;
        }
        // The most cells in records of the common width wins (a wrong delimiter splits few
        // records, or into few fields); then the usual order.
        let score = (agree * width, width, 3 - rank);
        if score > best.1 {
            best = (d, score);
        }
    }
    best.0
}

/// The most frequent value (the largest among ties) and how often it occurs.
pub(crate) fn mode(values: &[usize]) -> Option<(usize, usize)> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let mut best: Option<(usize, usize)> = None;
    let mut i = 0;
    while i < sorted.len() {
        let j = sorted[i..].iter().position(|&v| v != sorted[i]).map_or(sorted.len(), |k| i + k);
        if best.is_none_or(|(_, n)| j - i >= n) {
            best = Some((sorted[i], j - i));
        }
        i = j;
    }
    best
}

/// How one cell writes a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Num {
    /// Not a number written with digits and separators.
    NotNumber,
    /// Digits only (with a sign).
    Plain,
    /// `2.5`: a point that cannot be a thousands separator.
    DecimalPoint,
    /// `2,5`: a comma that cannot be a thousands separator.
    DecimalComma,
    /// `1,234`: thousands or decimal comma.
    AmbiguousComma,
    /// `1.234`: thousands or decimal point.
    AmbiguousPoint,
    /// `1,234,567`, `1.234,5`, `1 234`: digit groups of three after a thousands separator,
    /// with a decimal mark if one ends the number.
    Grouped { thousands: char, decimal: Option<char> },
}

fn is_separator(c: char) -> bool {
    matches!(c, ',' | '.' | ' ' | '\'' | '\u{a0}' | '\u{202f}')
}

/// How `s` (trimmed) writes a number, if it does.
pub(crate) fn classify(s: &str) -> Num {
    let body = s.strip_prefix(['-', '+', '\u{2212}']).unwrap_or(s);
    if !body.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return Num::NotNumber;
    }
    // Digit groups and the separator before each group after the first.
    let mut seps = [' '; 8];
    let mut lens = [0usize; 9];
    let (mut nseps, mut run) = (0usize, 0usize);
    let mut prev_sep = false;
    for c in body.chars() {
        if c.is_ascii_digit() {
            run += 1;
            prev_sep = false;
        } else if is_separator(c) && !prev_sep && nseps < seps.len() {
            lens[nseps] = run;
            seps[nseps] = c;
            nseps += 1;
            run = 0;
            prev_sep = true;
        } else {
            return Num::NotNumber;
        }
    }
    if prev_sep {
        return Num::NotNumber;
    }
    lens[nseps] = run;
    let first = lens[0];
    let last = lens[nseps];
    match nseps {
        0 => Num::Plain,
        1 => match seps[0] {
            ',' if last == 3 && first <= 3 => Num::AmbiguousComma,
            ',' => Num::DecimalComma,
            '.' if last == 3 && first <= 3 => Num::AmbiguousPoint,
            '.' => Num::DecimalPoint,
            t if last == 3 && first <= 3 => Num::Grouped { thousands: t, decimal: None },
            _ => Num::NotNumber,
        },
        n => {
            let t = seps[0];
            if first > 3 || seps[1..n - 1].iter().any(|&c| c != t) || lens[1..n].iter().any(|&l| l != 3) {
                return Num::NotNumber;
            }
            let mark = seps[n - 1];
            if mark == t {
                if last == 3 {
                    Num::Grouped { thousands: t, decimal: None }
                } else {
                    Num::NotNumber
                }
            } else if matches!(mark, ',' | '.') {
                Num::Grouped { thousands: t, decimal: Some(mark) }
            } else {
                Num::NotNumber
            }
        }
    }
}

/// An example cell for a message: data-row index, column index, text.
pub(crate) type Example = (usize, usize, String);

/// Evidence on how numbers are written, gathered cell by cell.
#[derive(Debug, Default)]
pub(crate) struct NumberEvidence {
    comma: usize,
    point: usize,
    ambiguous_comma: usize,
    ambiguous_point: usize,
    /// Votes for each thousands separator seen in a grouped number.
    thousands: Vec<(char, usize)>,
    pub comma_example: Option<Example>,
    pub point_example: Option<Example>,
    pub thousands_example: Option<Example>,
}

impl NumberEvidence {
    /// Adds one cell (trimmed) at data row `row`, column `col`.
    #[inline]
    pub fn add(&mut self, b: &[u8], row: usize, col: usize) {
        // Fast exit: most cells are words, codes, dates or plain integers.
        let Some(&c0) = b.first() else { return };
        if !(c0.is_ascii_digit() || c0 == b'-' || c0 == b'+' || c0 == 0xE2) || b.len() < 3 {
            return;
        }
        if !b.iter().any(|&c| matches!(c, b',' | b'.' | b' ' | b'\'' | 0xC2 | 0xE2)) {
            return;
        }
        let Ok(cell) = std::str::from_utf8(b) else { return };
        let ex = || Some((row, col, cell.to_string()));
        match classify(cell) {
            Num::NotNumber | Num::Plain => {}
            Num::DecimalComma => {
                self.comma += 1;
                if self.comma_example.is_none() {
                    self.comma_example = ex();
                }
            }
            Num::DecimalPoint => {
                self.point += 1;
                if self.point_example.is_none() {
                    self.point_example = ex();
                }
            }
            Num::AmbiguousComma => self.ambiguous_comma += 1,
            Num::AmbiguousPoint => self.ambiguous_point += 1,
            Num::Grouped { thousands, decimal } => {
                match (thousands, decimal) {
                    (_, Some(',')) | ('.', None) => {
                        self.comma += 1;
                        if self.comma_example.is_none() {
                            self.comma_example = ex();
                        }
                    }
                    (_, Some('.')) | (',', None) => {
                        self.point += 1;
                        if self.point_example.is_none() {
                            self.point_example = ex();
                        }
                    }
                    _ => {}
                }
                match self.thousands.iter_mut().find(|(c, _)| *c == thousands) {
                    Some((_, n)) => *n += 1,
                    None => self.thousands.push((thousands, 1)),
                }
                if self.thousands_example.is_none() {
                    self.thousands_example = ex();
                }
            }
        }
    }

    /// Adds the evidence `other` gathered from the data rows after this one's (`rows` of them
    /// before): as if it had been gathered here.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn merge(&mut self, other: NumberEvidence, rows: usize) {
        self.comma += other.comma;
        self.point += other.point;
        self.ambiguous_comma += other.ambiguous_comma;
        self.ambiguous_point += other.ambiguous_point;
        for (c, n) in other.thousands {
            match self.thousands.iter_mut().find(|(t, _)| *t == c) {
                Some((_, k)) => *k += n,
                None => self.thousands.push((c, n)),
            }
        }
        let later = |e: Option<Example>| e.map(|(r, c, text)| (r + rows, c, text));
        if self.comma_example.is_none() {
            self.comma_example = later(other.comma_example);
        }
        if self.point_example.is_none() {
            self.point_example = later(other.point_example);
        }
        if self.thousands_example.is_none() {
            self.thousands_example = later(other.thousands_example);
        }
    }

    /// Whether numbers use a decimal comma, and their thousands separator; and whether both
    /// decimal marks were seen (a conflict worth a warning).
    pub fn decide(&self, delimiter: u8) -> NumberFormat {
        let decimal_comma = if self.comma != self.point {
            self.comma > self.point
        } else if self.comma == 0 {
            // Only `1,234`-like cells: in a semicolon- or tab-separated file that is the
            // European decimal comma; with commas (the cell was quoted) a thousands separator.
            self.ambiguous_comma > 0 && self.ambiguous_point == 0 && delimiter != b','
        } else {
            delimiter != b','
        };
        let mark = if decimal_comma { ',' } else { '.' };
        let voted = self.thousands.iter().filter(|(c, _)| *c != mark).max_by_key(|(_, n)| *n).map(|(c, _)| *c);
        let thousands = voted.or(if decimal_comma && self.ambiguous_point > 0 && self.point == 0 {
            Some('.')
        } else if !decimal_comma && self.ambiguous_comma > 0 && (self.point > 0 || delimiter == b',') {
            Some(',')
        } else {
            None
        });
        NumberFormat { decimal_comma, thousands, conflict: self.comma > 0 && self.point > 0 }
    }
}

/// The decided number format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NumberFormat {
    pub decimal_comma: bool,
    pub thousands: Option<char>,
    pub conflict: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_classified() {
        assert_eq!(classify("7"), Num::Plain);
        assert_eq!(classify("-2,5"), Num::DecimalComma);
        assert_eq!(classify("-2.5"), Num::DecimalPoint);
        assert_eq!(classify("1,234"), Num::AmbiguousComma);
        assert_eq!(classify("1.234"), Num::AmbiguousPoint);
        assert_eq!(classify("1.234.567"), Num::Grouped { thousands: '.', decimal: None });
        assert_eq!(classify("1.234,5"), Num::Grouped { thousands: '.', decimal: Some(',') });
        assert_eq!(classify("1,234.5"), Num::Grouped { thousands: ',', decimal: Some('.') });
        assert_eq!(classify("12 345,5"), Num::Grouped { thousands: ' ', decimal: Some(',') });
        assert_eq!(classify("1'234"), Num::Grouped { thousands: '\'', decimal: None });
        for s in ["01.02.2020", "2020-01-02", "1.5.2020", "12:30", "P1", "7,5a", "1,,2", "1,", "", "-", "12 34"] {
            assert_eq!(classify(s), Num::NotNumber, "{s}");
        }
    }

    fn decide(cells: &[&str], delimiter: u8) -> NumberFormat {
        let mut e = NumberEvidence::default();
        for (i, c) in cells.iter().enumerate() {
            e.add(c.as_bytes(), i, 0);
        }
        e.decide(delimiter)
    }

    #[test]
    fn number_format_is_decided_from_evidence() {
        let f = decide(&["7,5", "-2,5", "1.234,5", "3"], b';');
        assert!(f.decimal_comma);
        assert_eq!(f.thousands, Some('.'));
        let f = decide(&["7.5", "1,234.5", "1,234"], b',');
        assert!(!f.decimal_comma);
        assert_eq!(f.thousands, Some(','));
        assert!(decide(&["1,234", "5,000"], b';').decimal_comma);
        assert!(!decide(&["1,234", "5,000"], b',').decimal_comma);
        let f = decide(&["7,5", "1.234"], b';');
        assert_eq!((f.decimal_comma, f.thousands), (true, Some('.')));
        assert!(decide(&["7,5", "7.5"], b';').conflict);
        assert_eq!(decide(&["12", "x"], b';'), NumberFormat { decimal_comma: false, thousands: None, conflict: false });
    }

    #[test]
    fn number_text_follows_the_dialect() {
        let d = Dialect { decimal_comma: true, thousands: Some(' '), ..Dialect::default() };
        assert_eq!(d.number_text("12 345,5"), "12345.5");
        assert_eq!(d.number_text("7"), "7");
        assert_eq!(d.number_text("2.5"), "2.5", "a point is left for the caller to reject");
        let d = Dialect { thousands: Some(','), ..Dialect::default() };
        assert_eq!(d.number_text("1,234.5"), "1234.5");
        let typed = Dialect { typed: true, decimal_comma: true, ..Dialect::default() };
        assert_eq!(typed.number_text("2,5"), "2,5");
    }

    #[test]
    fn delimiters_are_sniffed_respecting_quotes() {
        assert_eq!(sniff_delimiter("a;b\n1,5;2\n", false), b';');
        assert_eq!(sniff_delimiter("a,b,c\n\"x;y\",2,3\n1,2,3\n", false), b',');
        assert_eq!(sniff_delimiter("a\tb\n1\t2\n", false), b'\t');
        assert_eq!(sniff_delimiter("a|b|c\n1|2|3\n", false), b'|');
        assert_eq!(sniff_delimiter("only\none\n", false), b',');
        assert_eq!(sniff_delimiter("Title\n\nid;T;VAS\n1;-2,5;7\n2;-1,0;8,5\n", false), b';');
        assert_eq!(mode(&[3, 1, 3, 2, 2]), Some((3, 2)));
        // Found by the property test: a wide header outweighs two short rows that a semicolon
        // happens to split alike.
        assert_eq!(sniff_delimiter("a,b,c,d,e,f\n,;\n;x\n,\n", false), b',');
    }
}
