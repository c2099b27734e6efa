//! One column's cells as stored, and how they are gathered while a file is read.
//!
//! A column of few distinct texts (scores, yes/no, categories, dates: most columns of a cohort)
//! is stored *coded*: each distinct text once, and each cell as a code of one byte (up to 256
//! texts) or two, so that a million-row column takes 1–2 MB and its values can be read once per
//! distinct text. A column of many distinct texts (identifiers, notes), and the columns with the
//! largest dictionaries when all together pass [`MAX_DICT_BYTES`], are stored *plain*: their
//! texts back to back with every cell's end.

use crate::error::{Error, Position, Result};

/// Rows in a block of [`Ends::Narrow`].
const BLOCK_ROWS: usize = 256;
/// Most distinct texts of a coded column (codes are `u16`; code 0 is the blank cell).
const MAX_CODES: usize = 1 << 16;
/// After this many rows, a column with more than half as many distinct texts is stored plain
/// from then on (an identifier: coding it would only cost).
const CHECK_ROWS: usize = 4096;
/// The most bytes the dictionaries of all the columns being read may hold together: past it, the
/// largest is stored plain (a wide file of many columns of many distinct values — lab results to
/// one decimal — would otherwise hold a hash table per column, each out of cache).
pub(super) const MAX_DICT_BYTES: usize = 2 << 20;

/// One column's cells.
#[derive(Debug, Clone)]
pub(super) enum Column {
    Coded { dict: Dict, codes: CodeVec },
    Plain { data: String, ends: Ends },
}

impl Default for Column {
    fn default() -> Self {
        Column::Coded { dict: Dict::default(), codes: CodeVec::default() }
    }
}

impl Column {
    #[inline]
    pub fn cell(&self, row: usize) -> &str {
        match self {
            Column::Coded { dict, codes } => dict.text(codes.get(row)),
            Column::Plain { data, ends } => {
                let start = if row == 0 { 0 } else { ends.end(row - 1) };
                &data[start..ends.end(row)]
            }
        }
    }
    #[inline]
    pub fn is_blank(&self, row: usize) -> bool {
        match self {
            Column::Coded { codes, .. } => codes.get(row) == 0,
            Column::Plain { ends, .. } => {
                let start = if row == 0 { 0 } else { ends.end(row - 1) };
                ends.end(row) == start
            }
        }
    }
    /// Bytes of text held.
    pub fn text_len(&self) -> usize {
        match self {
            Column::Coded { dict, .. } => dict.data.len(),
            Column::Plain { data, .. } => data.len(),
        }
    }
}

/// Each cell's code: a byte while the column has at most 256 distinct texts (most have a dozen),
/// else two.
#[derive(Debug, Clone)]
pub(super) enum CodeVec {
    Narrow(Vec<u8>),
    Wide(Vec<u16>),
}

impl Default for CodeVec {
    fn default() -> Self {
        CodeVec::Narrow(Vec::new())
    }
}

impl CodeVec {
    #[inline]
    pub fn get(&self, row: usize) -> u16 {
        match self {
            CodeVec::Narrow(c) => u16::from(c[row]),
            CodeVec::Wide(c) => c[row],
        }
    }
    #[inline]
    fn push(&mut self, code: u16) {
        match self {
            CodeVec::Narrow(c) => match u8::try_from(code) {
                Ok(k) => c.push(k),
                Err(_) => self.widen(code),
            },
            CodeVec::Wide(c) => c.push(code),
        }
    }
    /// Makes the codes two bytes each, then adds `code`.
    #[cold]
    #[inline(never)]
    fn widen(&mut self, code: u16) {
        if let CodeVec::Narrow(c) = self {
            let mut wide = Vec::with_capacity(c.capacity().max(c.len() + 1));
            wide.extend(c.iter().map(|&k| u16::from(k)));
            wide.push(code);
            *self = CodeVec::Wide(wide);
        }
    }
    pub fn len(&self) -> usize {
        match self {
            CodeVec::Narrow(c) => c.len(),
            CodeVec::Wide(c) => c.len(),
        }
    }
    fn capacity(&self) -> usize {
        match self {
            CodeVec::Narrow(c) => c.capacity(),
            CodeVec::Wide(c) => c.capacity(),
        }
    }
    fn reserve(&mut self, n: usize) {
        match self {
            CodeVec::Narrow(c) => c.reserve(n),
            CodeVec::Wide(c) => c.reserve(n),
        }
    }
    fn shrink_to_fit(&mut self) {
        match self {
            CodeVec::Narrow(c) => c.shrink_to_fit(),
            CodeVec::Wide(c) => c.shrink_to_fit(),
        }
    }
    fn iter(&self) -> impl Iterator<Item = u16> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}

/// The distinct texts of a coded column, back to back; text 0 is the blank cell.
#[derive(Debug, Clone, Default)]
pub(super) struct Dict {
    data: String,
    /// Where each text ends (text `i` starts where `i - 1` ends).
    ends: Vec<u32>,
}

impl Dict {
    #[inline]
    pub fn text(&self, code: u16) -> &str {
        let i = usize::from(code);
        match i {
            0 => "",
            _ => &self.data[self.ends[i - 1] as usize..self.ends[i] as usize],
        }
    }
    pub fn len(&self) -> usize {
        self.ends.len()
    }
}

/// The end offset of every cell of a plain column in its text.
#[derive(Debug, Clone)]
pub(super) enum Ends {
    /// The offset where each block of [`BLOCK_ROWS`] rows starts, and each cell's end from the
    /// start of its block: 2 bytes a cell, while no block holds more than 64 kB of text.
    Narrow { starts: Vec<u32>, rel: Vec<u16> },
    /// Each cell's end (a column with a block of more text).
    Wide(Vec<u32>),
}

impl Ends {
    fn with_capacity(rows: usize) -> Self {
        Ends::Narrow { starts: Vec::with_capacity(rows / BLOCK_ROWS + 1), rel: Vec::with_capacity(rows) }
    }
    fn len(&self) -> usize {
        match self {
            Ends::Narrow { rel, .. } => rel.len(),
            Ends::Wide(ends) => ends.len(),
        }
    }
    /// The end of cell `row`.
    #[inline]
    fn end(&self, row: usize) -> usize {
        match self {
            Ends::Narrow { starts, rel } => starts[row / BLOCK_ROWS] as usize + usize::from(rel[row]),
            Ends::Wide(ends) => ends[row] as usize,
        }
    }
    /// Adds a cell that ends at text offset `end` (below 4 GB: the caller checks), opening a
    /// block first where one starts.
    #[inline(always)]
    fn push(&mut self, end: usize, start: usize) {
        match self {
            Ends::Narrow { starts, rel } => {
                if rel.len().is_multiple_of(BLOCK_ROWS) {
                    starts.push(start as u32);
                }
                let from = starts.last().map_or(0, |&s| s as usize);
                match u16::try_from(end - from) {
                    Ok(r) => rel.push(r),
                    Err(_) => self.widen(end),
                }
            }
            Ends::Wide(ends) => ends.push(end as u32),
        }
    }
    /// Makes the ends wide (a block holds more than 64 kB of text), then adds `end`.
    #[cold]
    #[inline(never)]
    fn widen(&mut self, end: usize) {
        let mut wide: Vec<u32> = (0..self.len()).map(|i| self.end(i) as u32).collect();
        wide.push(end as u32);
        *self = Ends::Wide(wide);
    }
    fn shrink_to_fit(&mut self) {
        match self {
            Ends::Narrow { starts, rel } => {
                starts.shrink_to_fit();
                rel.shrink_to_fit();
            }
            Ends::Wide(ends) => ends.shrink_to_fit(),
        }
    }
}

/// Longest text whose bytes are its key.
const SHORT: usize = 16;

/// A cell's key: up to [`SHORT`] bytes, the bytes themselves (so that equal keys of equal
/// lengths are equal texts); a longer cell, a hash of its bytes (FxHash's multiply-rotate, eight
/// bytes at a time).
#[inline]
fn key(b: &[u8]) -> u128 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let word = |c: &[u8]| c.iter().rev().fold(0u64, |x, &b| (x << 8) | u64::from(b));
    if b.len() <= 8 {
        return u128::from(word(b));
    }
    if b.len() <= SHORT {
        return u128::from(word(&b[..8])) | (u128::from(word(&b[8..])) << 64);
    }
    u128::from(b.chunks(8).fold(b.len() as u64, |h, c| (h.rotate_left(5) ^ word(c)).wrapping_mul(K)))
}

/// Where a key's search starts in a table of `64 - shift` bits.
#[inline]
fn home(key: u128, len: usize, shift: u32) -> usize {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let folded = (key as u64) ^ ((key >> 64) as u64).rotate_left(29) ^ len as u64;
    (folded.wrapping_mul(K) >> shift) as usize
}

/// Byte equality written out: for short cells quicker than a call to `memcmp` (in WebAssembly
/// especially).
#[inline]
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// A slot of the hash table: a text's key and length (`LONG` for a text over [`SHORT`] bytes,
/// whose key is a hash), and its code (0: an empty slot; the blank cell is never looked up).
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    /// The key as two words (a `u128` would align the slot to 16 bytes: 32 a slot, not 24).
    key: [u64; 2],
    len: u16,
    code: u16,
}

const LONG: u16 = u16::MAX;

/// A key as a slot holds it.
#[inline]
fn words(key: u128) -> [u64; 2] {
    [key as u64, (key >> 64) as u64]
}

/// Slots of a dictionary's hash table at its first text (it doubles when half full).
const FIRST_SLOTS: usize = 8;

/// The distinct texts met so far, with a hash table (open addressing) to find a text's code.
#[derive(Debug, Default)]
struct DictBuilder {
    data: Vec<u8>,
    ends: Vec<u32>,
    /// A power of two, at most half full.
    slots: Vec<Slot>,
    /// 64 − log2(slots.len()).
    shift: u32,
}

impl DictBuilder {
    /// An empty dictionary, whose hash table is made at the first text (a column of blank cells
    /// has none) and grows from [`FIRST_SLOTS`]: a table of 100,000 columns held 8 kB of hash
    /// table for each when every one started at 256 slots.
    fn new() -> Self {
        DictBuilder { data: Vec::new(), ends: vec![0], slots: Vec::new(), shift: 0 }
    }

    fn text(&self, code: usize) -> &[u8] {
        &self.data[self.ends[code - 1] as usize..self.ends[code] as usize]
    }

    fn rehash(&mut self, size: usize) {
        let mut slots = vec![Slot::default(); size];
        self.shift = 64 - size.trailing_zeros();
        for code in 1..self.ends.len() {
            let text = self.text(code);
            let (k, len) = (key(text), if text.len() <= SHORT { text.len() as u16 } else { LONG });
            let mut i = home(k, usize::from(len), self.shift);
            while slots[i].code != 0 {
                i = (i + 1) & (size - 1);
            }
            slots[i] = Slot { key: words(k), len, code: code as u16 };
        }
        self.slots = slots;
    }

    /// The code of a non-blank `cell`, added if new; `None` when the column has as many
    /// distinct texts as codes.
    #[inline]
    fn code(&mut self, cell: &[u8]) -> Option<u16> {
        if self.slots.is_empty() {
            self.rehash(FIRST_SLOTS);
        }
        let k = key(cell);
        let len = if cell.len() <= SHORT { cell.len() as u16 } else { LONG };
        let mask = self.slots.len() - 1;
        let mut i = home(k, usize::from(len), self.shift);
        loop {
            let slot = self.slots[i];
            if slot.code == 0 {
                break;
            }
            if slot.key == words(k) && slot.len == len && (len != LONG || same(self.text(usize::from(slot.code)), cell))
            {
                return Some(slot.code);
            }
            i = (i + 1) & mask;
        }
        let code = self.ends.len();
        if code >= MAX_CODES {
            return None;
        }
        self.data.extend_from_slice(cell);
        self.ends.push(self.data.len() as u32);
        self.slots[i] = Slot { key: words(k), len, code: code as u16 };
        if code * 2 >= self.slots.len() {
            self.rehash(self.slots.len() * 2);
        }
        Some(code as u16)
    }
}

/// Gathers one column's cells: coded while the column has few distinct texts, plain once it
/// has many.
#[derive(Debug)]
pub(super) struct ColumnBuilder {
    /// While coded: the distinct texts and each row's code.
    dict: Option<DictBuilder>,
    codes: CodeVec,
    /// Once plain: the texts and ends.
    data: Vec<u8>,
    ends: Ends,
    rows: usize,
}

impl ColumnBuilder {
    pub fn new(rows_hint: usize) -> Self {
        ColumnBuilder {
            dict: Some(DictBuilder::new()),
            codes: CodeVec::Narrow(Vec::with_capacity(rows_hint)),
            data: Vec::new(),
            ends: Ends::Narrow { starts: Vec::new(), rel: Vec::new() },
            rows: 0,
        }
    }

    /// Adds a cell (trimmed). Returns the column's text length when plain (to check it stays
    /// below 4 GB), else 0.
    #[inline]
    pub fn push(&mut self, cell: &[u8]) -> usize {
        self.rows += 1;
        if let Some(dict) = &mut self.dict {
            let code = if cell.is_empty() { Some(0) } else { dict.code(cell) };
            if let Some(code) = code {
                self.codes.push(code);
                if self.rows == CHECK_ROWS && dict.ends.len() > CHECK_ROWS / 2 {
                    self.make_plain(self.codes.capacity());
                }
                return 0;
            }
            self.rows -= 1;
            self.make_plain(self.codes.capacity());
            return self.push(cell);
        }
        self.push_plain(cell)
    }

    #[inline]
    fn push_plain(&mut self, cell: &[u8]) -> usize {
        let start = self.data.len();
        self.data.extend_from_slice(cell);
        self.ends.push(self.data.len(), start);
        self.data.len()
    }

    /// Appends the cells of `other`, the rows that follow this column's (read apart, e.g. on
    /// another thread): coded if both are and their distinct texts fit in the codes, else plain.
    /// The cells read back are the same either way. Returns the text length when plain, else 0.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn append(&mut self, other: ColumnBuilder) -> usize {
        let rows = self.rows + other.rows;
        match other.dict {
            Some(od) => {
                if let Some(d) = &mut self.dict {
                    // Other's codes in this column's dictionary (its texts added as met).
                    let map: Option<Vec<u16>> =
                        std::iter::once(Some(0)).chain((1..od.ends.len()).map(|c| d.code(od.text(c)))).collect();
                    if let Some(map) = map {
                        for c in other.codes.iter() {
                            self.codes.push(map[usize::from(c)]);
                        }
                        self.rows = rows;
                        return 0;
                    }
                    self.make_plain(rows);
                }
                for c in other.codes.iter() {
                    let text = if c == 0 { &[][..] } else { od.text(usize::from(c)) };
                    self.push_plain(text);
                }
            }
            None => {
                self.make_plain(rows);
                let base = self.data.len();
                self.data.extend_from_slice(&other.data);
                let mut start = 0;
                for i in 0..other.ends.len() {
                    let end = other.ends.end(i);
                    self.ends.push(base + end, base + start);
                    start = end;
                }
            }
        }
        self.rows = rows;
        self.data.len()
    }

    /// Stores the column plain from now on, the rows so far included; `rows_hint`: room for
    /// this many rows in all.
    #[cold]
    #[inline(never)]
    fn make_plain(&mut self, rows_hint: usize) {
        let Some(dict) = self.dict.take() else { return };
        let codes = std::mem::take(&mut self.codes);
        let per_row = dict.data.len() / dict.ends.len().max(1) + 1;
        self.data = Vec::with_capacity(codes.len().max(rows_hint) * per_row);
        self.ends = Ends::with_capacity(codes.len().max(rows_hint));
        for code in codes.iter() {
            let c = usize::from(code);
            let start = self.data.len();
            if c > 0 {
                self.data.extend_from_slice(&dict.data[dict.ends[c - 1] as usize..dict.ends[c] as usize]);
            }
            self.ends.push(self.data.len(), start);
        }
    }

    /// Reserves room for `rows` more rows of `bytes_per_row` bytes of text each, when plain.
    pub fn reserve(&mut self, rows: usize, bytes: usize) {
        if self.dict.is_none() {
            self.data.reserve(bytes);
        } else {
            self.codes.reserve(rows);
        }
    }

    /// Bytes of text so far (distinct texts only, while coded).
    pub fn text_len(&self) -> usize {
        match &self.dict {
            Some(d) => d.data.len(),
            None => self.data.len(),
        }
    }

    /// Bytes held by the dictionary of a coded column (its hash table and texts), else 0.
    pub fn dict_bytes(&self) -> usize {
        self.dict
            .as_ref()
            .map_or(0, |d| d.slots.len() * std::mem::size_of::<Slot>() + d.data.capacity() + d.ends.capacity() * 4)
    }

    /// Stores the column plain from now on (see [`MAX_DICT_BYTES`]).
    pub fn store_plain(&mut self) {
        self.make_plain(self.codes.capacity());
    }

    /// Whether the column is stored plain.
    #[cfg(test)]
    pub fn is_plain(&self) -> bool {
        self.dict.is_none()
    }

    pub fn finish(self) -> Result<Column> {
        let utf8 = |data: Vec<u8>| {
            String::from_utf8(data).map_err(|_| {
                Error::read("the text is not valid UTF-8", Position::none()).with_zh("文本不是有效的 UTF-8")
            })
        };
        Ok(match self.dict {
            Some(d) => {
                let mut codes = self.codes;
                codes.shrink_to_fit();
                Column::Coded { dict: Dict { data: utf8(d.data)?, ends: d.ends }, codes }
            }
            None => {
                let mut data = utf8(self.data)?;
                data.shrink_to_fit();
                let mut ends = self.ends;
                ends.shrink_to_fit();
                Column::Plain { data, ends }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(cells: &[&str]) -> Column {
        let mut b = ColumnBuilder::new(0);
        for c in cells {
            b.push(c.as_bytes());
        }
        b.finish().unwrap()
    }

    #[test]
    fn few_distinct_texts_are_coded_and_read_back() {
        let cells = ["7", "", "yes", "7", "是", "yes", ""];
        let c = column(&cells);
        assert!(matches!(&c, Column::Coded { dict, .. } if dict.len() == 4), "{c:?}");
        for (i, s) in cells.iter().enumerate() {
            assert_eq!(c.cell(i), *s);
            assert_eq!(c.is_blank(i), s.is_empty());
        }
    }

    #[test]
    fn codes_take_a_byte_up_to_256_texts_and_two_past() {
        for (distinct, wide) in [(255, false), (256, true), (300, true)] {
            // Text 0 is the blank cell: 255 others fit in a byte.
            let cells: Vec<String> = (0..2000).map(|i| format!("v{}", (i * 7) % distinct)).collect();
            let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
            let c = column(&refs);
            assert!(matches!(&c, Column::Coded { codes: CodeVec::Wide(_), .. }) == wide, "{distinct}");
            for (i, s) in refs.iter().enumerate() {
                assert_eq!(c.cell(i), *s);
            }
        }
    }

    #[test]
    fn many_distinct_texts_are_plain_and_read_back() {
        let cells: Vec<String> =
            (0..CHECK_ROWS + 10).map(|i| if i % 5 == 0 { String::new() } else { format!("P{i}") }).collect();
        let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
        let c = column(&refs);
        assert!(matches!(c, Column::Plain { .. }));
        for (i, s) in refs.iter().enumerate() {
            assert_eq!(c.cell(i), *s, "row {i}");
            assert_eq!(c.is_blank(i), s.is_empty());
        }
    }

    #[test]
    fn a_column_past_the_last_code_turns_plain() {
        // Distinct texts, but few enough at the check to stay coded: repeats first.
        let mut cells: Vec<String> = (0..CHECK_ROWS).map(|i| (i % 100).to_string()).collect();
        cells.extend((0..MAX_CODES + 50).map(|i| format!("x{i}")));
        let mut b = ColumnBuilder::new(0);
        for c in &cells {
            b.push(c.as_bytes());
        }
        assert!(b.is_plain());
        let c = b.finish().unwrap();
        for (i, s) in cells.iter().enumerate() {
            assert_eq!(c.cell(i), s.as_str(), "row {i}");
        }
    }

    /// Cells appended from a second builder read as if one builder had taken them all, whatever
    /// each side's storage: coded (narrow or wide codes) or plain, and coded sides whose texts
    /// together overflow the codes.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn appended_cells_read_as_one_builder_reads_them() {
        let few = |n: usize, k: usize, tag: &str| -> Vec<String> {
            (0..n).map(|i| if i % 9 == 0 { String::new() } else { format!("{tag}{}", i % k) }).collect()
        };
        let many = |n: usize, tag: &str| -> Vec<String> { (0..n).map(|i| format!("{tag}{i}")).collect() };
        let cases: Vec<(&str, Vec<String>, Vec<String>)> = vec![
            ("coded + coded", few(500, 12, "a"), few(700, 20, "a")),
            ("narrow + wide", few(500, 12, "a"), few(3000, 600, "b")),
            ("coded + plain", few(500, 12, "a"), many(CHECK_ROWS + 100, "p")),
            ("plain + coded", many(CHECK_ROWS + 100, "p"), few(700, 20, "a")),
            ("plain + plain", many(CHECK_ROWS + 100, "p"), many(CHECK_ROWS + 300, "q")),
            // Each side coded (repeats first), together past the last code.
            (
                "coded + coded past the codes",
                {
                    let mut v = few(CHECK_ROWS, 100, "x");
                    v.extend(many(40_000, "y"));
                    v
                },
                {
                    let mut v = few(CHECK_ROWS, 100, "x");
                    v.extend(many(40_000, "z"));
                    v
                },
            ),
        ];
        for (what, first, second) in cases {
            let (mut a, mut b, mut one) = (ColumnBuilder::new(0), ColumnBuilder::new(0), ColumnBuilder::new(0));
            for c in &first {
                a.push(c.as_bytes());
                one.push(c.as_bytes());
            }
            for c in &second {
                b.push(c.as_bytes());
                one.push(c.as_bytes());
            }
            a.append(b);
            let (appended, one) = (a.finish().unwrap(), one.finish().unwrap());
            for (i, text) in first.iter().chain(&second).enumerate() {
                assert_eq!(appended.cell(i), text.as_str(), "{what}: row {i}");
                assert_eq!(appended.is_blank(i), text.is_empty(), "{what}: row {i}");
                assert_eq!(one.cell(i), text.as_str(), "{what}: row {i}");
            }
        }
    }

    #[test]
    fn texts_are_told_apart() {
        // Short texts (their bytes are their keys, a NUL included), long ones (hashed), and
        // texts that are prefixes of others.
        let mut d = DictBuilder::new();
        let mut texts: Vec<String> = (0..5000).map(|i| format!("{i:08}")).collect();
        texts.extend((0..3000).map(|i| format!("a longer text {i}")));
        texts.extend(
            ["a", "a\0", "ab", "abcdefgh", "abcdefghi", "abcdefgh\0", "abcdefghijklmnop", "abcdefghijklmnopq"]
                .map(String::from),
        );
        let codes: Vec<u16> = texts.iter().map(|t| d.code(t.as_bytes()).unwrap()).collect();
        for (t, &c) in texts.iter().zip(&codes) {
            assert_eq!(d.code(t.as_bytes()), Some(c));
        }
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), texts.len());
    }
}
