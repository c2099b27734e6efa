//! Finding the header among the first records, naming columns, and filling the [`Table`].

use super::column::ColumnBuilder;
use super::dialect::{classify, Num, NumberEvidence};
use super::{Dialect, Table};
use crate::diagnostic::{Diagnostic, Severity};
use crate::error::{Error, Position, Result};
use std::collections::{HashMap, HashSet};

/// A record as read, cells trimmed, before the header is known: its cells' text back to back
/// with each cell's end (a String per cell cost some 56 bytes a cell, and the records sampled
/// hold 64 rows of every column).
#[derive(Debug, Clone, Default)]
pub(super) struct RawRecord {
    /// Line of a CSV file / row of a sheet (1-based) where the record starts.
    pub line: usize,
    text: String,
    ends: Vec<u32>,
}

impl RawRecord {
    /// An empty record starting on `line`.
    pub fn new(line: usize) -> Self {
        RawRecord { line, text: String::new(), ends: Vec::new() }
    }
    /// A record of these cells (trimmed as given).
    pub fn of<'a>(line: usize, cells: impl IntoIterator<Item = &'a str>) -> Self {
        let mut r = RawRecord::new(line);
        for c in cells {
            r.push(c);
        }
        r
    }
    /// Adds a cell.
    pub fn push(&mut self, cell: &str) {
        self.text.push_str(cell);
        // The sample is at most 64 records: far below 4 GB.
        self.ends.push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
    }
    /// Number of cells.
    pub fn len(&self) -> usize {
        self.ends.len()
    }
    /// Cell `i`, if there is one.
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        self.text.get(start..end)
    }
    /// The cells in order.
    pub fn cells(&self) -> impl DoubleEndedIterator<Item = &str> + ExactSizeIterator + '_ {
        (0..self.len()).map(move |i| self.get(i).unwrap_or(""))
    }
    fn filled(&self) -> usize {
        self.cells().filter(|c| !c.is_empty()).count()
    }
    /// One past the last non-empty cell.
    fn extent(&self) -> usize {
        self.cells().rposition(|c| !c.is_empty()).map_or(0, |i| i + 1)
    }
}

/// How many records are looked at to find the header and the table's width.
pub(super) const SAMPLE_RECORDS: usize = 64;

/// The index of the header among `records`: the first record whose non-empty cells reach half
/// the modal count of non-empty cells of the records, and at least two when the modal count
/// is two or more. Title and note rows above a header fill one or two cells; a header may have a
/// blank cell or two, and data rows some missing values, so the modal count itself would be too
/// strict. `None` when every record is blank.
pub(super) fn choose_header(records: &[RawRecord]) -> Option<usize> {
    let counts: Vec<usize> = records.iter().map(RawRecord::filled).filter(|&n| n > 0).collect();
    let (modal, _) = super::dialect::mode(&counts)?;
    let threshold = modal.div_ceil(2).max(modal.min(2));
    records.iter().position(|r| r.filled() >= threshold)
}

/// Quotes a record's text for a message, shortened.
fn quote(r: &RawRecord) -> String {
    let text: Vec<&str> = r.cells().filter(|c| !c.is_empty()).collect();
    let text = text.join(" ");
    let short: String = text.chars().take(40).collect();
    if short.len() < text.len() {
        format!("\"{short}…\"")
    } else {
        format!("\"{short}\"")
    }
}

fn info(diags: &mut Vec<Diagnostic>, message: String, zh: String) {
    diags.push(Diagnostic::new(Severity::Info, Position::none(), message, zh));
}

fn warn(diags: &mut Vec<Diagnostic>, position: Position, message: String, zh: String) {
    diags.push(Diagnostic::new(Severity::Warning, position, message, zh));
}

/// Says which records above the header were skipped. `unit` is "line" or "row".
pub(super) fn note_skipped(skipped: &[RawRecord], header_line: usize, unit: &str, diags: &mut Vec<Diagnostic>) {
    let shown: Vec<String> = skipped.iter().filter(|r| r.filled() > 0).map(quote).collect();
    if shown.is_empty() {
        return;
    }
    let more = if shown.len() > 3 { format!(" and {} more", shown.len() - 3) } else { String::new() };
    let more_zh = if shown.len() > 3 { format!("等 {} 个", shown.len()) } else { String::new() };
    let first = shown.iter().take(3).cloned().collect::<Vec<_>>();
    info(
        diags,
        format!(
            "the header is on {unit} {header_line}, the first {unit} with about as many cells as the rows below; \
             the {} {unit}(s) above it were skipped as titles or notes: {}{more}",
            shown.len(),
            first.join(", "),
        ),
        format!(
            "标题在第 {header_line} 行（第一行单元格数与下方各行相近）；其上的 {} 行作为标题或说明跳过：{}{more_zh}",
            shown.len(),
            first.join("、"),
        ),
    );
}

/// Cells as a plain decimal, date or time: a header made of these is data.
fn looks_like_data(s: &str) -> bool {
    !matches!(classify(s), Num::NotNumber)
        || (s.len() >= 8 && s.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'/' | b'.' | b':' | b'T')))
}

/// Column names from the header cells, for a table `width` columns wide: blank ones become
/// `Column N`, repeated ones `Name (2)`, each said in a diagnostic.
pub(super) fn column_names(
    header: &RawRecord,
    width: usize,
    unit: &str,
    diags: &mut Vec<Diagnostic>,
) -> Result<Vec<String>> {
    let extent = header.extent();
    if width == 0 {
        return Err(Error::read("the header row is empty", Position::row(1)).with_zh("标题行是空的"));
    }
    let filled: Vec<&str> = header.cells().filter(|c| !c.is_empty()).collect();
    let data_like = filled.iter().filter(|c| looks_like_data(c)).count();
    if data_like * 2 > filled.len() && data_like > 0 {
        warn(
            diags,
            Position::none(),
            format!(
                "the header ({unit} {}) looks like data ({}); if the file has no header row, add one naming the columns",
                header.line,
                quote(header)
            ),
            format!("标题行（第 {} 行）看起来像数据（{}）；如果文件没有标题行，请添加一行列名", header.line, quote(header)),
        );
    }
    // Header cells past the table's width (after a gap of empty columns) are strays.
    let stray: Vec<(usize, &str)> = header.cells().enumerate().skip(width).filter(|(_, c)| !c.is_empty()).collect();
    if let Some(&(i, c)) = stray.first() {
        let more = if stray.len() > 1 { format!(" and {} more", stray.len() - 1) } else { String::new() };
        let more_zh = if stray.len() > 1 { format!("等 {} 个", stray.len()) } else { String::new() };
        warn(
            diags,
            Position::row(header.line),
            format!(
                "the header has column {} \"{c}\"{more} past the table's last column, after {GAP} or more empty \
                 columns; ignored",
                i + 1
            ),
            format!("标题行在表格最后一列之后（隔 {GAP} 个以上空列）还有单元格：第 {} 列“{c}”{more_zh}；已忽略", i + 1),
        );
    }
    let mut names: Vec<String> = Vec::with_capacity(width);
    // The names given so far, and for each name repeated the next number to try after it: a
    // column is called `Name (k)` for the smallest k ≥ 2 whose name is not taken by a column
    // before it, and names are never taken back, so the numbers tried before need not be tried
    // again (10,000 columns of one header took seconds, each trying every number before it
    // against every name before it).
    let mut taken: HashSet<String> = HashSet::with_capacity(width);
    let mut next: HashMap<String, usize> = HashMap::new();
    let mut blank = Vec::new();
    for i in 0..width {
        let raw = header.get(i).unwrap_or("");
        let base = if raw.is_empty() { format!("Column {}", i + 1) } else { raw.to_string() };
        let mut name = base.clone();
        if taken.contains(&name) {
            let k = next.entry(base.clone()).or_insert(2);
            loop {
                name = format!("{base} ({k})");
                *k += 1;
                if !taken.contains(&name) {
                    break;
                }
            }
        }
        taken.insert(name.clone());
        if raw.is_empty() {
            blank.push(i);
        } else if name != base {
            warn(
                diags,
                Position::column(name.clone()),
                format!("the header \"{base}\" appears more than once; column {} is called \"{name}\"", i + 1),
                format!("列标题“{base}”出现多次；第 {} 列命名为“{name}”", i + 1),
            );
        }
        names.push(name);
    }
    let (inside, past): (Vec<usize>, Vec<usize>) = blank.into_iter().partition(|&i| i < extent);
    if !inside.is_empty() {
        let list: Vec<String> = inside.iter().map(|&i| format!("\"{}\"", names[i])).collect();
        info(
            diags,
            format!("column(s) without a header were named {}", list.join(", ")),
            format!("没有标题的列已命名为 {}", list.join("、")),
        );
    }
    if let (Some(&first), Some(&last)) = (past.first(), past.last()) {
        info(
            diags,
            format!(
                "rows have values past the last header (column {}); they were kept as \"{}\"{}",
                first + 1,
                names[first],
                if last > first { format!(" to \"{}\"", names[last]) } else { String::new() }
            ),
            format!(
                "有些行在最后一个列标题之后还有值（第 {} 列）；已保留为“{}”{}",
                first + 1,
                names[first],
                if last > first { format!("至“{}”", names[last]) } else { String::new() }
            ),
        );
    }
    Ok(names)
}

/// Empty columns that end a table: a header cell (or a value) past such a gap is a stray.
const GAP: usize = 16;

/// The extent of `cells` up to the first gap of more than [`GAP`] empty cells.
fn extent_before_gap(record: &RawRecord) -> usize {
    let mut end = 0;
    for (i, c) in record.cells().enumerate() {
        if !c.is_empty() {
            if i > end + GAP {
                break;
            }
            end = i + 1;
        }
    }
    end
}

/// The width of the table: the header's extent (up to a gap of more than 16 empty cells), or more
/// if the first data records have values past it — by as many columns as the header has (16 at
/// least), no more. A value typed far out (in a spreadsheet's last column, XFD) does not make the
/// table thousands of columns wide: it is an extra cell, noted with its row as later rows' are (a
/// header cell so, by [`column_names`]).
pub(super) fn width(header: &RawRecord, body: &[RawRecord]) -> usize {
    let head = extent_before_gap(header);
    let limit = head + head.max(GAP);
    let within = |r: &RawRecord| r.cells().take(limit).rposition(|c| !c.is_empty()).map_or(0, |i| i + 1);
    body.iter().map(within).chain([head]).max().unwrap_or(0)
}

/// How many rows with cells past the table's width are named one by one.
const EXTRA_NAMED: usize = 20;

/// Fills a [`Table`] row by row.
pub(super) struct Builder {
    table: Table,
    /// Each column's cells so far.
    cols: Vec<ColumnBuilder>,
    ncols: usize,
    /// Whether a column's text has passed 4 GB (offsets are 32-bit).
    too_large: bool,
    evidence: Option<NumberEvidence>,
    delimiter: u8,
    extra_rows: usize,
    /// Expected data size in bytes (0: unknown).
    size_hint: usize,
    /// Cells of the row being read so far, and one past the last non-empty cell beyond the
    /// table's width (0 if none).
    in_row: usize,
    /// The spreadsheet row number of the row being read.
    row: usize,
    extra: usize,
    /// Typed spreadsheet cells that held an error: data row, column, error.
    cell_errors: Vec<(usize, usize, String)>,
}

/// Trims Unicode white space; bytes are valid UTF-8 (fields are split at ASCII bytes).
#[inline]
pub(super) fn trim(f: &[u8]) -> &[u8] {
    match (f.first(), f.last()) {
        (Some(&a), Some(&b)) if a > b' ' && a < 0x80 && b > b' ' && b < 0x80 => f,
        (None, _) => f,
        _ => match std::str::from_utf8(f) {
            Ok(s) => s.trim().as_bytes(),
            Err(_) => f.trim_ascii(),
        },
    }
}

impl Builder {
    /// A builder for a table with these column names. `evidence` (for untyped text) gathers how
    /// numbers are written; `size_hint` is the expected data size in bytes and `rows_hint` the
    /// expected number of rows.
    pub fn new(headers: Vec<String>, dialect: Dialect, rows_hint: usize, size_hint: usize) -> Self {
        let ncols = headers.len();
        let typed = dialect.typed;
        let delimiter = dialect.delimiter.map_or(b',', |c| c as u8);
        Self {
            cols: (0..ncols).map(|_| ColumnBuilder::new(rows_hint)).collect(),
            table: Table { headers, columns: Vec::new(), row_numbers: Vec::with_capacity(rows_hint), dialect },
            ncols,
            too_large: false,
            size_hint,
            evidence: (!typed).then(NumberEvidence::default),
            delimiter,
            extra_rows: 0,
            in_row: 0,
            row: 0,
            extra: 0,
            cell_errors: Vec::new(),
        }
    }

    /// Reserves room for `rows` more rows, each column's text as long per row as in the rows
    /// pushed so far (a little more), but no more than the expected data size: so that the
    /// buffers of a large file are not regrown (and copied) as it is read. Nothing without an
    /// expected data size.
    pub fn reserve_like_sample(&mut self, rows: usize) {
        if self.size_hint == 0 {
            return;
        }
        let shares = self.text_shares();
        self.reserve_as(&shares, rows);
    }

    /// Each column's text per row read so far, and its share of all the text.
    fn text_shares(&self) -> Vec<(f64, f64)> {
        let seen = self.nrows().max(1) as f64;
        let total: usize = self.cols.iter().map(ColumnBuilder::text_len).sum();
        let share = |len: usize| if total > 0 { len as f64 / total as f64 } else { 0.0 };
        self.cols.iter().map(|c| (c.text_len() as f64 / seen, share(c.text_len()))).collect()
    }

    /// Reserves room for `rows` more rows in the proportions `shares` (see
    /// [`Builder::text_shares`]), within the expected data size.
    fn reserve_as(&mut self, shares: &[(f64, f64)], rows: usize) {
        let cap = self.size_hint as f64;
        for (c, &(per_row, share)) in self.cols.iter_mut().zip(shares) {
            let want = (per_row * rows as f64 * 1.05 + 64.0).min(share * cap + 64.0);
            c.reserve(rows, want as usize);
        }
    }

    /// Number of rows pushed so far.
    pub fn nrows(&self) -> usize {
        self.table.row_numbers.len()
    }

    /// The name of column `col`.
    pub fn header(&self, col: usize) -> Option<&str> {
        self.table.headers.get(col).map(String::as_str)
    }

    /// Notes that a typed cell of the row about to be pushed held `error`.
    pub fn cell_error(&mut self, col: usize, error: String) {
        if col < self.ncols {
            self.cell_errors.push((self.nrows(), col, error));
        }
    }

    /// Adds a row with spreadsheet number `row` (see [`Builder::field`]).
    pub fn push<'a>(
        &mut self,
        row: usize,
        cells: impl Iterator<Item = &'a [u8]>,
        diags: &mut Vec<Diagnostic>,
    ) -> Result<()> {
        self.start_row(row);
        for c in cells {
            self.field(c);
        }
        self.end_row(row, diags)
    }

    /// Stores plain the columns with the largest dictionaries while all together hold more than
    /// [`MAX_DICT_BYTES`](super::column::MAX_DICT_BYTES) (looked at every 256 rows).
    fn keep_dictionaries_small(&mut self) {
        let mut total: usize = self.cols.iter().map(ColumnBuilder::dict_bytes).sum();
        while total > super::column::MAX_DICT_BYTES {
            let Some(largest) = self.cols.iter_mut().max_by_key(|c| c.dict_bytes()) else { break };
            total -= largest.dict_bytes();
            largest.store_plain();
        }
    }

    /// Starts the row with spreadsheet number `row` (before its cells).
    pub fn start_row(&mut self, row: usize) {
        self.row = row;
    }

    /// An empty builder for the rows that follow this one's, read apart (on another thread):
    /// the same columns and dialect, room for `rows_hint` rows of `size_hint` bytes, reserved in
    /// the proportions of the rows read here. See [`Builder::append`].
    #[cfg(not(target_arch = "wasm32"))]
    pub fn sibling(&self, rows_hint: usize, size_hint: usize) -> Builder {
        let mut b = Builder::new(self.table.headers.clone(), self.table.dialect.clone(), rows_hint, size_hint);
        b.reserve_as(&self.text_shares(), rows_hint);
        b
    }

    /// Appends the rows of `other` (a [`Builder::sibling`] that read the rows after this one's),
    /// with `notes`, the diagnostics it gave: as if one builder had read them all.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn append(&mut self, other: Builder, notes: Vec<Diagnostic>, diags: &mut Vec<Diagnostic>) -> Result<()> {
        let offset = self.nrows();
        for (mine, theirs) in self.cols.iter_mut().zip(other.cols) {
            self.too_large |= mine.append(theirs) > u32::MAX as usize;
        }
        if self.too_large || other.too_large {
            return Err(Error::read("the file is larger than 4 GB", Position::none()).with_zh("文件超过 4 GB"));
        }
        self.table.row_numbers.extend(other.table.row_numbers);
        // Its notes are the rows with cells past the last column: the first EXTRA_NAMED of all
        // are named.
        diags.extend(notes.into_iter().take(EXTRA_NAMED.saturating_sub(self.extra_rows)));
        self.extra_rows += other.extra_rows;
        self.cell_errors.extend(other.cell_errors.into_iter().map(|(r, c, e)| (r + offset, c, e)));
        if let (Some(mine), Some(theirs)) = (&mut self.evidence, other.evidence) {
            mine.merge(theirs, offset);
        }
        Ok(())
    }

    /// Adds the next cell of the row being read. Cells past the table's width are left out,
    /// with a warning at the end of the row.
    #[inline]
    pub fn field(&mut self, cell: &[u8]) {
        let cell = trim(cell);
        let n = self.in_row;
        self.in_row += 1;
        if n < self.ncols {
            self.too_large |= self.cols[n].push(cell) > u32::MAX as usize;
            if let Some(e) = &mut self.evidence {
                // How numbers are written is read from the rows up to 10,000, then from every
                // eighth: enough to see a decimal comma, at a fraction of the cost. By spreadsheet
                // row, so that a file read in parts is read alike.
                if self.row <= 10_000 || self.row.is_multiple_of(8) {
                    e.add(cell, self.table.row_numbers.len(), n);
                }
            }
        } else if !cell.is_empty() {
            self.extra = n + 1;
        }
    }

    /// Ends the row being read, as spreadsheet row `row`; missing cells are blank.
    pub fn end_row(&mut self, row: usize, diags: &mut Vec<Diagnostic>) -> Result<()> {
        let row32 = u32::try_from(row)
            .map_err(|_| Error::read("the file has too many rows", Position::row(row)).with_zh("文件行数过多"))?;
        if self.too_large {
            return Err(Error::read("the file is larger than 4 GB", Position::row(row)).with_zh("文件超过 4 GB"));
        }
        for c in self.in_row.min(self.ncols)..self.ncols {
            self.cols[c].push(b"");
        }
        self.table.row_numbers.push(row32);
        if self.nrows().is_multiple_of(256) {
            self.keep_dictionaries_small();
        }
        self.in_row = 0;
        if self.extra > 0 {
            self.extra_rows += 1;
            if self.extra_rows <= EXTRA_NAMED {
                warn(
                    diags,
                    Position::row(row),
                    format!("{} cells but the header has {}; the extra cells were ignored", self.extra, self.ncols),
                    format!("有 {} 个单元格，但标题只有 {} 列；多余的单元格已忽略", self.extra, self.ncols),
                );
            }
            self.extra = 0;
        }
        Ok(())
    }

    /// The finished table, with notes on how numbers are written and on cells left out.
    pub fn finish(mut self, diags: &mut Vec<Diagnostic>) -> Result<Table> {
        if self.extra_rows > EXTRA_NAMED {
            warn(
                diags,
                Position::none(),
                format!(
                    "{} more rows had cells past the last column; their extra cells were ignored",
                    self.extra_rows - EXTRA_NAMED
                ),
                format!("另有 {} 行在最后一列之后还有单元格；多余的单元格已忽略", self.extra_rows - EXTRA_NAMED),
            );
        }
        let cols = std::mem::take(&mut self.cols);
        let mut t = self.table;
        t.columns = cols.into_iter().map(ColumnBuilder::finish).collect::<Result<_>>()?;
        t.row_numbers.shrink_to_fit();
        let cell_pos = |t: &Table, (row, col, text): &(usize, usize, String)| {
            (Position::cell(t.row_number(*row), t.headers[*col].clone()), text.clone())
        };
        for e in &self.cell_errors {
            let (position, error) = cell_pos(&t, e);
            warn(
                diags,
                position,
                format!("the cell holds the spreadsheet error {error}; it was read as empty"),
                format!("单元格含电子表格错误 {error}，已按空值读取"),
            );
        }
        if let Some(e) = &self.evidence {
            let f = e.decide(self.delimiter);
            t.dialect.decimal_comma = f.decimal_comma;
            t.dialect.thousands = f.thousands;
            let example = |ex: &Option<super::dialect::Example>| {
                ex.as_ref().map(|x| {
                    let (p, text) = cell_pos(&t, x);
                    format!("\"{text}\" in {}", p.to_string().trim_end_matches(": "))
                })
            };
            let example_zh = |ex: &Option<super::dialect::Example>| {
                ex.as_ref().map(|x| {
                    let (p, text) = cell_pos(&t, x);
                    format!("{}的“{text}”", p.zh())
                })
            };
            if f.conflict {
                warn(
                    diags,
                    Position::none(),
                    format!(
                        "numbers are written both with a decimal comma (e.g. {}) and a decimal point (e.g. {}); \
                         they were read with a decimal {}",
                        example(&e.comma_example).unwrap_or_default(),
                        example(&e.point_example).unwrap_or_default(),
                        if f.decimal_comma { "comma" } else { "point" }
                    ),
                    format!(
                        "数字既有用小数逗号书写的（如{}），也有用小数点书写的（如{}）；已按小数{}读取",
                        example_zh(&e.comma_example).unwrap_or_default(),
                        example_zh(&e.point_example).unwrap_or_default(),
                        if f.decimal_comma { "逗号" } else { "点" }
                    ),
                );
            } else if f.decimal_comma {
                let ex = example(&e.comma_example).map(|x| format!(" (e.g. {x})")).unwrap_or_default();
                let ex_zh = example_zh(&e.comma_example).map(|x| format!("（如{x}）")).unwrap_or_default();
                info(
                    diags,
                    format!("numbers are written with a decimal comma{ex}"),
                    format!("数字以小数逗号书写{ex_zh}"),
                );
            }
            if let Some(c) = f.thousands {
                let ex = example(&e.thousands_example).map(|x| format!(" (e.g. {x})")).unwrap_or_default();
                let ex_zh = example_zh(&e.thousands_example).map(|x| format!("（如{x}）")).unwrap_or_default();
                info(
                    diags,
                    format!("numbers are written with \"{c}\" between thousands{ex}"),
                    format!("数字以“{c}”作千位分隔{ex_zh}"),
                );
            }
        }
        Ok(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recs(rows: &[&[&str]]) -> Vec<RawRecord> {
        rows.iter().enumerate().map(|(i, r)| RawRecord::of(i + 1, r.iter().copied())).collect()
    }

    #[test]
    fn header_is_found_below_titles() {
        let r =
            recs(&[&["Cohort export", "", ""], &["", "", ""], &["id", "T", "VAS"], &["1", "-2", ""], &["2", "", "7"]]);
        assert_eq!(choose_header(&r), Some(2));
        let r = recs(&[&["id", "", "VAS"], &["1", "-2", "7"], &["2", "-1", "8"]]);
        assert_eq!(choose_header(&r), Some(0), "a blank header cell is still the header");
        assert_eq!(choose_header(&recs(&[&["", ""]])), None);
    }

    #[test]
    fn columns_are_named() {
        let mut d = Vec::new();
        let h = RawRecord::of(1, ["VAS", "", "VAS", "VAS (2)", ""]);
        let names = column_names(&h, 6, "line", &mut d).unwrap();
        assert_eq!(names, ["VAS", "Column 2", "VAS (2)", "VAS (2) (2)", "Column 5", "Column 6"]);
        assert_eq!(d.len(), 4, "{d:?}");
        let h = RawRecord::of(1, ["1", "2.5", "x"]);
        let mut d = Vec::new();
        column_names(&h, 3, "line", &mut d).unwrap();
        assert!(d[0].message.contains("looks like data"));
    }
}
