//! A check of an XLS workbook's BIFF records (the workbook stream that [`super::cfb::check`]
//! found) before calamine reads them. calamine takes the lengths, counts, positions and cell
//! ranges written in the records as they are: a damaged record can make it read past the end of a
//! record (a panic) or ask for memory for billions of cells (an abort of the whole process, or of
//! the page's worker). The records calamine reads are walked here as calamine walks them, and must
//! be long enough for what it reads of them without a check of its own; a sheet's cells and its
//! declared dimensions must lie within the format's 65,536 rows × 256 columns.
//!
//! Not checked (calamine's own reading of them is left as it is): the tokens of a formula, the
//! expression of a defined name and the strings of the shared string table, whose parts calamine
//! reads with checks of its own for the most part.

/// Record types (MS-XLS 2.3).
const EOF: u16 = 0x000A;
const BOF: u16 = 0x0809;
const CONTINUE: u16 = 0x003C;

/// The format's limits: BIFF8 has 65,536 rows and 256 columns (BIFF5 and earlier fewer).
const MAX_ROWS: u64 = 65_536;
const MAX_COLS: u64 = 256;

fn u16_at(b: &[u8], i: usize) -> u16 {
    u16::from_le_bytes([b[i], b[i + 1]])
}

fn u32_at(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])
}

/// A record: its type, its data, and the data of the Continue records after it.
struct Record<'a> {
    typ: u16,
    data: &'a [u8],
    cont: Vec<&'a [u8]>,
}

/// The records of `stream` from its start as calamine's record iterator gives them, up to where
/// that iterator would stop with an error (calamine then stops reading with that error).
fn records(mut stream: &[u8]) -> impl Iterator<Item = Record<'_>> {
    std::iter::from_fn(move || {
        if stream.len() < 4 {
            return None;
        }
        let typ = u16_at(stream, 0);
        let len = usize::from(u16_at(stream, 2));
        if stream.len() < len + 4 {
            return None;
        }
        let (head, next) = stream.split_at(len + 4);
        stream = next;
        let mut cont = Vec::new();
        if stream.len() > 4 && u16_at(stream, 0) == CONTINUE {
            while stream.len() > 4 && u16_at(stream, 0) == CONTINUE {
                let len = usize::from(u16_at(stream, 2));
                if stream.len() < len + 4 {
                    return None;
                }
                let (c, next) = stream.split_at(len + 4);
                cont.push(&c[4..]);
                stream = next;
            }
        }
        Some(Record { typ, data: &head[4..], cont })
    })
}

/// What calamine reads of a record without checking its length first: `need` bytes.
fn long_enough(r: &Record, need: usize) -> Result<(), &'static str> {
    if r.data.len() < need {
        return Err("a record is shorter than what it must hold");
    }
    Ok(())
}

/// Checks that calamine can read the workbook stream `stream` without reading past a record's end
/// or asking for more cells than a sheet can have.
pub(super) fn check(stream: &[u8]) -> Result<(), &'static str> {
    let mut biff8 = true;
    let mut sheets = Vec::new();
    for r in records(stream) {
        match r.typ {
            // FilePass, CodePage, DateMode: a 16-bit value read as it is.
            0x002F | 0x0042 | 0x0022 => long_enough(&r, 2)?,
            BOF => {
                long_enough(&r, 2)?;
                let version = u16_at(r.data, 0);
                let dt = if r.data.len() >= 4 { u16_at(r.data, 2) } else { 0 };
                // BIFF2 to BIFF5 as calamine tells them (a version of 0 with a worksheet type of 0x1000 is BIFF5).
                let before8 = matches!(version, 0x0200 | 0x0002 | 0x0007 | 0x0300 | 0x0400 | 0x0500);
                biff8 = !(before8 || version == 0 && dt == 0x1000);
            }
            // BoundSheet8: the sheet's position in the stream, its state and type, then its name.
            0x0085 => {
                long_enough(&r, 6)?;
                let pos = u32_at(r.data, 0) as usize;
                if pos > stream.len() {
                    return Err("a sheet starts past the end of the workbook");
                }
                sheets.push(pos);
            }
            // Lbl (a defined name): flags, key, name length and expression length, then both.
            0x0018 => {
                long_enough(&r, 14)?;
                let cce = usize::from(u16_at(r.data, 4));
                if cce > r.data.len() - 14 {
                    return Err("a defined name is longer than its record");
                }
                // The expression's first token, a reference to cells of a sheet, read as it says.
                let rgce = &r.data[r.data.len() - cce..];
                let need = match (rgce.first(), biff8) {
                    (Some(0x3a | 0x5a | 0x7a), true) => 7,
                    (Some(0x3a | 0x5a | 0x7a), false) => 18,
                    (Some(0x3b | 0x5b | 0x7b), true) => 11,
                    (Some(0x3b | 0x5b | 0x7b), false) => 21,
                    (Some(0x3c | 0x5c | 0x7c | 0x3d | 0x5d | 0x7d), true) => 3,
                    (Some(0x3c | 0x5c | 0x7c | 0x3d | 0x5d | 0x7d), false) => 13,
                    _ => 0,
                };
                if rgce.len() < need {
                    return Err("a defined name's reference is cut short");
                }
            }
            // ExternSheet (BIFF8): a count, then the references.
            0x0017 if biff8 => long_enough(&r, 2)?,
            0x00FC => shared_strings(&r)?,
            EOF => break,
            _ => {}
        }
    }
    for pos in sheets {
        sheet(&stream[pos..], biff8)?;
    }
    Ok(())
}

/// The shared string table (SST), read string after string as calamine reads it (its
/// `read_rich_extended_string`): a string's optional counts must be there, and a string that goes
/// on in a Continue record finds there its byte of flags. Where calamine stops with an error of
/// its own, so does this walk.
fn shared_strings(r: &Record) -> Result<(), &'static str> {
    if r.data.len() < 8 {
        return Ok(());
    }
    let mut p = Parts { data: &r.data[8..], rest: r.cont.iter() };
    while !p.data.is_empty() || p.next() {
        if p.data.is_empty() {
            continue;
        }
        if p.data.len() < 3 {
            return Ok(());
        }
        let mut chars = usize::from(u16_at(p.data, 0));
        let flags = p.data[2];
        p.data = &p.data[3..];
        let mut runs = 0;
        if flags & 0x8 != 0 {
            if p.data.len() < 2 {
                return Err("a shared string's count of formatting runs is cut short");
            }
            runs = usize::from(u16_at(p.data, 0));
            p.data = &p.data[2..];
        }
        let mut ext = 0;
        if flags & 0x4 != 0 {
            if p.data.len() < 4 {
                return Err("a shared string's extension length is cut short");
            }
            // Read as calamine reads it: a negative length becomes a huge one (and the skip fails).
            ext = i32::from_le_bytes([p.data[0], p.data[1], p.data[2], p.data[3]]) as usize;
            p.data = &p.data[4..];
        }
        // The characters, one or two bytes each, go on in the next Continue record (which starts
        // with a byte of flags of its own) when this part ends.
        let mut wide = flags & 0x1 != 0;
        while chars > 0 {
            let n = if wide { (p.data.len() / 2).min(chars) } else { p.data.len().min(chars) };
            p.data = &p.data[if wide { 2 * n } else { n }..];
            chars -= n;
            if chars > 0 {
                if !p.next() {
                    return Ok(());
                }
                let Some(&f) = p.data.first() else {
                    return Err("a shared string goes on in an empty record");
                };
                wide = f & 0x1 != 0;
                p.data = &p.data[1..];
            }
        }
        // The formatting runs (4 bytes each), then the extension, skipped across parts.
        if !p.skip(runs * 4) || !p.skip(ext) {
            return Ok(());
        }
    }
    Ok(())
}

/// A record's data and its Continue records, read one part after another.
struct Parts<'a, 'b> {
    data: &'a [u8],
    rest: std::slice::Iter<'b, &'a [u8]>,
}

impl Parts<'_, '_> {
    /// Goes on to the next part; false when there is none.
    fn next(&mut self) -> bool {
        match self.rest.next() {
            Some(c) => {
                self.data = c;
                true
            }
            None => false,
        }
    }

    /// Skips `len` bytes across parts; false when they run out first.
    fn skip(&mut self, mut len: usize) -> bool {
        while len > 0 {
            if self.data.is_empty() && !self.next() {
                return false;
            }
            let l = len.min(self.data.len());
            self.data = &self.data[l..];
            len -= l;
        }
        true
    }
}

/// A formula's tokens (`CellParsedFormula`: their length, then the tokens), walked as calamine's
/// `parse_formula` walks them: each token's operands must be there, and the few values calamine
/// adds one to or takes one from must leave room for it. The walk stops where calamine stops with
/// an error (an unknown token, too few values on its stack). After a function of fixed arguments
/// (whose count calamine takes from a table of its own) the stack's size is not known here, and
/// the walk goes on as if it held enough: a token cut short after it is refused, as calamine may
/// reach it (a sound formula has none).
fn formula(data: &[u8], biff8: bool) -> Result<(), &'static str> {
    const SHORT: &str = "a formula's tokens are cut short";
    if data.len() < 2 {
        return Err(SHORT);
    }
    let len = usize::from(u16_at(data, 0));
    let Some(mut t) = data.get(2..2 + len) else { return Err(SHORT) };
    // How many values calamine's stack holds (`None`: not known).
    let mut stack = Some(0usize);
    // Whether calamine stops here for want of values on its stack.
    let short_of = |stack: Option<usize>, n: usize| stack.is_some_and(|s| s < n);
    let push = |stack: &mut Option<usize>| *stack = stack.map(|s| s + 1);
    while let Some((&ptg, rest)) = t.split_first() {
        t = rest;
        let take = |t: &mut &[u8], n: usize| -> Result<(), &'static str> {
            *t = t.get(n..).ok_or(SHORT)?;
            Ok(())
        };
        match ptg {
            // Array or shared formula: calamine checks its operand itself.
            0x01 => {
                if t.len() < 4 {
                    return Ok(());
                }
                push(&mut stack);
                take(&mut t, 4)?;
            }
            // Binary operators: one value off the stack.
            0x03..=0x11 if short_of(stack, 1) => return Ok(()),
            0x03..=0x11 => stack = stack.map(|s| s - 1),
            // Unary plus and minus, parentheses: the last value changed.
            0x12 | 0x13 | 0x15 if short_of(stack, 1) => return Ok(()),
            0x12..=0x15 => {}
            0x16 => push(&mut stack),
            // A string: calamine checks its length itself.
            0x17 => {
                let Some(&cch) = t.first() else { return Ok(()) };
                let cch = usize::from(cch);
                let bytes = if biff8 {
                    let Some(&flags) = t.get(1) else { return Ok(()) };
                    2 + if flags & 1 != 0 { 2 * cch } else { cch }
                } else {
                    1 + cch
                };
                if t.len() < bytes {
                    return Ok(());
                }
                push(&mut stack);
                take(&mut t, bytes)?;
            }
            0x18 => take(&mut t, 5)?,
            // Attributes.
            0x19 => {
                let Some((&kind, rest)) = t.split_first() else { return Err(SHORT) };
                t = rest;
                match kind {
                    0x01 | 0x02 | 0x08 | 0x20 | 0x21 => take(&mut t, 2)?,
                    0x04 => {
                        if t.len() < 2 {
                            return Err(SHORT);
                        }
                        let n = usize::from(u16_at(t, 0)) + 1;
                        take(&mut t, 2 + 2 * n)?;
                    }
                    // A sum: its operand skipped, then the last value changed.
                    0x10 => {
                        take(&mut t, 2)?;
                        if short_of(stack, 1) {
                            return Ok(());
                        }
                    }
                    // Spaces before the last value: which, and how many.
                    0x40 | 0x41 => {
                        if short_of(stack, 1) {
                            return Ok(());
                        }
                        match t.first() {
                            None => return Err(SHORT),
                            Some(0x00..=0x06) => take(&mut t, 2)?,
                            Some(_) => return Ok(()),
                        }
                    }
                    _ => return Ok(()),
                }
            }
            // An error, a boolean, an integer, a number, an array: a value of 1, 1, 2, 8 or 7 bytes.
            0x1C | 0x1D | 0x1E | 0x1F | 0x20 | 0x40 | 0x60 => {
                let n = match ptg {
                    0x1C => {
                        if !matches!(t.first(), Some(0x00 | 0x07 | 0x0F | 0x17 | 0x1D | 0x24 | 0x2A | 0x2B)) {
                            return if t.is_empty() { Err(SHORT) } else { Ok(()) };
                        }
                        1
                    }
                    0x1D => 1,
                    0x1E => 2,
                    0x1F => 8,
                    _ => 7,
                };
                take(&mut t, n)?;
                push(&mut stack);
            }
            // A function of fixed arguments: its number, whose count of arguments calamine looks
            // up in its table.
            0x21 | 0x41 | 0x61 => {
                take(&mut t, 2)?;
                stack = None;
            }
            // A function of variable arguments: their count and the function's number.
            0x22 | 0x42 | 0x62 => {
                if t.len() < 3 {
                    return Err(SHORT);
                }
                let argc = usize::from(t[0]);
                if short_of(stack, argc) {
                    return Ok(());
                }
                stack = stack.map(|s| s - argc + 1);
                take(&mut t, 3)?;
            }
            // A defined name, one-based.
            0x23 | 0x43 | 0x63 => {
                if t.len() < 4 {
                    return Err(SHORT);
                }
                if u32_at(t, 0) == 0 {
                    return Err("a formula names defined name 0");
                }
                push(&mut stack);
                take(&mut t, 4)?;
            }
            // A cell; an area; a cell or area gone; names of other workbooks; 3-D references.
            0x24 | 0x44 | 0x64 | 0x25 | 0x45 | 0x65 | 0x2A | 0x4A | 0x6A | 0x2B | 0x4B | 0x6B | 0x39 | 0x59 | 0x3A
            | 0x5A | 0x7A | 0x3B | 0x5B | 0x7B | 0x3C | 0x5C | 0x7C | 0x3D | 0x5D | 0x7D => {
                let n = match (ptg & 0x1F | 0x20, biff8) {
                    (0x24 | 0x2A, false) => 3,
                    (0x24 | 0x2A, true) => 4,
                    (0x25 | 0x2B, false) => 6,
                    (0x25 | 0x2B, true) => 8,
                    (0x3A | 0x3C | 0x39, _) => 6,
                    _ => 10,
                };
                if t.len() < n {
                    return Err(SHORT);
                }
                // calamine writes the row of a cell (BIFF8) and of a 3-D cell plus one, in 16 bits.
                let row_plus_one = matches!(ptg, 0x24 | 0x44 | 0x64) && biff8 || matches!(ptg, 0x3A | 0x5A | 0x7A);
                let row_at = if matches!(ptg, 0x3A | 0x5A | 0x7A) { 2 } else { 0 };
                if row_plus_one && u16_at(t, row_at) == u16::MAX {
                    return Err("a formula refers to a row past the last");
                }
                push(&mut stack);
                take(&mut t, n)?;
            }
            _ => return Ok(()),
        }
    }
    Ok(())
}

/// One sheet's records, from its position to its end (nested substreams skipped, as calamine
/// skips them).
fn sheet(stream: &[u8], biff8: bool) -> Result<(), &'static str> {
    let mut seen_bof = false;
    let mut depth = 0usize;
    let (mut rows, mut cols) = ((u64::MAX, 0u64), (u64::MAX, 0u64));
    let mut cell = |row: u64, col: u64| -> Result<(), &'static str> {
        if row >= MAX_ROWS || col >= MAX_COLS {
            return Err("a cell lies outside the sheet's 65,536 rows and 256 columns");
        }
        rows = (rows.0.min(row), rows.1.max(row));
        cols = (cols.0.min(col), cols.1.max(col));
        Ok(())
    };
    for r in records(stream) {
        if depth > 0 {
            match r.typ {
                BOF => depth += 1,
                EOF => depth -= 1,
                _ => {}
            }
            continue;
        }
        match r.typ {
            BOF if seen_bof => depth += 1,
            BOF => seen_bof = true,
            // Dimensions: calamine sets aside room for every cell of the range it declares.
            0x0200 => {
                let (first_row, last_row, mut first_col, last_col) = match r.data.len() {
                    10 => (
                        u64::from(u16_at(r.data, 0)),
                        u64::from(u16_at(r.data, 2)),
                        u64::from(u16_at(r.data, 4)),
                        u64::from(u16_at(r.data, 6)),
                    ),
                    14 | 16 => (
                        u64::from(u32_at(r.data, 0)),
                        u64::from(u32_at(r.data, 4)),
                        u64::from(u16_at(r.data, 8)),
                        u64::from(u16_at(r.data, 10)),
                    ),
                    // calamine stops with an error.
                    _ => return Ok(()),
                };
                if first_col > 0xFF || last_col < first_col {
                    first_col = 0;
                }
                if last_row >= 1 && last_col >= 1 {
                    // Rows first_row..last_row (exclusive), and as many columns.
                    if last_row <= first_row || last_col <= first_col {
                        return Err("a sheet's dimensions end before they start");
                    }
                    if last_row - first_row > MAX_ROWS || last_col - first_col > MAX_COLS {
                        return Err("a sheet's dimensions are larger than a sheet can be");
                    }
                }
            }
            // Number, Label, RString, BoolErr, RK, LabelSst, Formula: a cell at (row, column),
            // when the record is long enough for calamine to read it (else calamine stops).
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                let need = match r.typ {
                    0x0203 => 14,
                    0x0204 | 0x00D6 => 6,
                    0x0205 => 8,
                    0x027E | 0x00FD => 10,
                    _ => 20,
                };
                if r.data.len() >= need {
                    cell(u64::from(u16_at(r.data, 0)), u64::from(u16_at(r.data, 2)))?;
                    if r.typ == 0x0006 {
                        formula(&r.data[20..], biff8)?;
                    }
                }
            }
            // MulRk: a row, the first column, an RK value per column, the last column.
            0x00BD if r.data.len() >= 6 => {
                let row = u64::from(u16_at(r.data, 0));
                let first = u16_at(r.data, 2);
                let last = u16_at(r.data, r.data.len() - 2);
                if last < first {
                    return Err("a row of numbers ends before it starts");
                }
                if r.data.len() == 6 + 6 * usize::from(last - first + 1) {
                    cell(row, u64::from(first))?;
                    cell(row, u64::from(last))?;
                }
            }
            // MergeCells: a count, then 8 bytes per merged range.
            0x00E5 => {
                long_enough(&r, 2)?;
                if 2 + 8 * usize::from(u16_at(r.data, 0)) > r.data.len() {
                    return Err("a list of merged cells is longer than its record");
                }
            }
            EOF => break,
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stream of records (type, data).
    fn stream(records: &[(u16, Vec<u8>)]) -> Vec<u8> {
        let mut out = Vec::new();
        for (typ, data) in records {
            out.extend(typ.to_le_bytes());
            out.extend((data.len() as u16).to_le_bytes());
            out.extend(data);
        }
        out
    }

    fn bof() -> (u16, Vec<u8>) {
        (BOF, vec![0x00, 0x06, 0x10, 0x00])
    }

    fn eof() -> (u16, Vec<u8>) {
        (EOF, vec![])
    }

    /// A workbook whose one sheet holds `cells` (records after its BOF).
    fn workbook(cells: &[(u16, Vec<u8>)]) -> Vec<u8> {
        let globals_len = stream(&[bof(), (0x0085, vec![0; 8]), eof()]).len();
        let mut sheet = vec![bof()];
        sheet.extend(cells.iter().cloned());
        sheet.push(eof());
        let mut bound = (globals_len as u32).to_le_bytes().to_vec();
        bound.extend([0, 0, 0, 0]);
        let mut out = stream(&[bof(), (0x0085, bound), eof()]);
        out.extend(stream(&sheet));
        out
    }

    fn number(row: u16, col: u16) -> (u16, Vec<u8>) {
        let mut d = row.to_le_bytes().to_vec();
        d.extend(col.to_le_bytes());
        d.extend([0, 0]);
        d.extend(1.5f64.to_le_bytes());
        (0x0203, d)
    }

    fn dimensions(first_row: u32, last_row: u32, first_col: u16, last_col: u16) -> (u16, Vec<u8>) {
        let mut d = first_row.to_le_bytes().to_vec();
        d.extend(last_row.to_le_bytes());
        d.extend(first_col.to_le_bytes());
        d.extend(last_col.to_le_bytes());
        d.extend([0, 0]);
        (0x0200, d)
    }

    #[test]
    fn a_sound_workbook_passes() {
        assert_eq!(check(&workbook(&[dimensions(0, 3, 0, 2), number(0, 0), number(2, 1)])), Ok(()));
        assert_eq!(check(&workbook(&[number(65_535, 255)])), Ok(()));
        assert_eq!(check(&[]), Ok(()));
    }

    #[test]
    fn dimensions_beyond_a_sheet_or_backwards_are_refused() {
        assert!(check(&workbook(&[dimensions(0, 0x0B40_0000, 0, 200)])).is_err(), "billions of cells");
        assert!(check(&workbook(&[dimensions(10, 5, 0, 2)])).is_err(), "rows end before they start");
        assert_eq!(check(&workbook(&[dimensions(0, 65_536, 0, 256)])), Ok(()), "the largest sheet");
        assert_eq!(check(&workbook(&[dimensions(0, 0, 0, 0)])), Ok(()), "an empty sheet");
    }

    #[test]
    fn cells_outside_a_sheet_are_refused() {
        assert!(check(&workbook(&[number(0, 0), number(0, 0xFFFF)])).is_err(), "column 65,535");
        assert!(check(&workbook(&[number(0, 256)])).is_err());
    }

    #[test]
    fn records_shorter_than_what_calamine_reads_are_refused() {
        let short_sheet = stream(&[bof(), (0x0085, vec![0; 4]), eof()]);
        assert!(check(&short_sheet).is_err());
        let far_sheet = stream(&[bof(), (0x0085, vec![0xFF, 0xFF, 0, 0, 0, 0]), eof()]);
        assert!(check(&far_sheet).is_err(), "a sheet past the end");
        assert!(check(&stream(&[(0x0042, vec![1])])).is_err(), "code page of one byte");
        assert!(check(&stream(&[(BOF, vec![6])])).is_err(), "BOF of one byte");
        assert!(check(&stream(&[bof(), (0x0018, vec![0; 13])])).is_err(), "defined name");
        let mut lbl = vec![0; 14];
        lbl[4] = 9;
        assert!(check(&stream(&[bof(), (0x0018, lbl)])).is_err(), "expression past the end");
        let mut lbl = vec![0; 17];
        lbl[4] = 3;
        lbl[14] = 0x3a;
        assert!(check(&stream(&[bof(), (0x0018, lbl.clone())])).is_err(), "reference cut short");
        lbl.extend([0; 4]);
        lbl[4] = 7;
        lbl[14] = 0;
        lbl[18] = 0x3a;
        assert_eq!(check(&stream(&[bof(), (0x0018, lbl)])), Ok(()), "a whole reference");
        assert!(check(&workbook(&[(0x00E5, vec![3, 0, 1, 2, 3])])).is_err(), "merged cells");
        let mut mulrk = 0u16.to_le_bytes().to_vec();
        mulrk.extend(5u16.to_le_bytes());
        mulrk.extend([0; 6]);
        mulrk.extend(4u16.to_le_bytes());
        assert!(check(&workbook(&[(0x00BD, mulrk)])).is_err(), "row of numbers backwards");
    }

    /// A formula's tokens, with their length first.
    fn tokens(t: &[u8]) -> Vec<u8> {
        let mut out = (t.len() as u16).to_le_bytes().to_vec();
        out.extend(t);
        out
    }

    #[test]
    fn formula_tokens_are_walked_as_calamine_walks_them() {
        // 1 + 2.5, SUM over a 3-D area, a string, a cell: sound.
        let mut sound = vec![0x1E, 1, 0, 0x1F];
        sound.extend(2.5f64.to_le_bytes());
        sound.extend([
            0x03, 0x3B, 0, 0, 0, 0, 9, 0, 0, 0, 1, 0, 0x19, 0x10, 0, 0, 0x17, 2, 0, b'o', b'k', 0x24, 4, 0, 1, 0xC0,
        ]);
        assert_eq!(formula(&tokens(&sound), true), Ok(()));
        // An operand cut short: a number of 8 bytes with 3 left, a 3-D area of 10 with 4.
        assert!(formula(&tokens(&[0x1F, 0, 0, 0]), true).is_err());
        assert!(formula(&tokens(&[0x3B, 0, 0, 0, 0]), true).is_err());
        // A length written past the record's end, and none at all.
        assert!(formula(&[9, 0, 0x1E, 1, 0], true).is_err());
        assert!(formula(&[], true).is_err());
        // calamine adds one to a cell's row in 16 bits, and takes one from a name's index.
        assert!(formula(&tokens(&[0x24, 0xFF, 0xFF, 0, 0]), true).is_err());
        assert_eq!(formula(&tokens(&[0x24, 0xFF, 0xFF, 0]), false), Ok(()), "BIFF5 keeps 14 bits of the row");
        assert!(formula(&tokens(&[0x23, 0, 0, 0, 0]), true).is_err());
    }

    #[test]
    fn the_walk_stops_where_calamine_stops() {
        // An unknown token, or an operator with nothing on the stack: calamine stops with an error,
        // and never reads what comes after (here a number cut short).
        assert_eq!(formula(&tokens(&[0xFE, 0x1F, 0]), true), Ok(()));
        assert_eq!(formula(&tokens(&[0x03, 0x1F, 0]), true), Ok(()));
        // After a function of fixed arguments the stack is not known: a token cut short is refused.
        assert!(formula(&tokens(&[0x21, 1, 0, 0x03, 0x1F, 0]), true).is_err());
        // A function of variable arguments takes its arguments off the stack.
        assert_eq!(formula(&tokens(&[0x1E, 1, 0, 0x22, 2, 4, 0, 0x1F, 0]), true), Ok(()), "too few arguments: stops");
    }

    #[test]
    fn shared_strings_are_walked_across_continue_records() {
        let sst = |parts: &[&[u8]]| {
            let mut s = stream(&[bof(), (0x00FC, parts[0].to_vec())]);
            for p in &parts[1..] {
                s.extend(stream(&[(CONTINUE, p.to_vec())]));
            }
            // (As calamine's reading goes, a Continue record is one only with more after it.)
            s.extend(stream(&[eof()]));
            s
        };
        // Two strings: "ab" whole, then "xyz" going on in a Continue record with its byte of flags.
        let head = [1, 0, 0, 0, 2, 0, 0, 0];
        let mut first = head.to_vec();
        first.extend([2, 0, 0, b'a', b'b', 3, 0, 0, b'x']);
        assert_eq!(check(&sst(&[&first, &[0, b'y', b'z']])), Ok(()));
        assert!(check(&sst(&[&first, &[]])).is_err(), "an empty Continue record where the flags must be");
        // A count of formatting runs cut short.
        let mut runs = head.to_vec();
        runs.extend([1, 0, 0x08, 7]);
        assert!(check(&sst(&[&runs])).is_err());
    }

    #[test]
    fn nested_substreams_are_skipped_as_calamine_skips_them() {
        // A chart's records inside the sheet (between a BOF and its EOF) are not the sheet's cells.
        let chart = [bof(), number(0, 0xFFFF), eof()];
        let mut cells = vec![number(0, 0)];
        cells.extend(chart.iter().cloned());
        assert_eq!(check(&workbook(&cells)), Ok(()));
    }
}
