//! Reading one cell's text as a number, a yes/no code or a date; and what a column's distinct
//! texts say together (spellings of one category, a yes/no column in words of its own).
//!
//! Architecture invariant: pure functions of cells' texts (and of the file's conventions in a
//! [`Codes`]); no positions, no diagnostics — callers say where a value came from.

use serde::{Deserialize, Serialize};

/// What a cell holds once read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<T> {
    /// A usable value.
    Value(T),
    /// Blank or a missing-value code.
    Missing,
    /// Text that could not be read as the kind of value wanted.
    Invalid,
}

/// Missing-value codes of every file, compared ignoring case (besides the numbers −99 and −999).
pub const MISSING: &[&str] = &[
    "", "na", "n/a", "n.a.", "#n/a", "nan", "null", ".", "-", "--", "?", "missing", "unknown", "not done", "nd",
    "缺失", "未知", "不详",
];

/// REDCap's standard missing-data codes, missing when the mapping has `"redcap"`.
pub const REDCAP_MISSING: &[&str] = &[
    "NI", "INV", "UNK", "NASK", "ASKU", "NAV", "MSK", "NA", "NAVU", "NP", "QS", "QI", "TRC", "UNC", "DER", "PINF",
    "NINF", "OTH",
];

/// A code's bytes, ASCII letters lower-cased, packed in a number: comparing two codes ignoring
/// case is then one comparison. Codes are at most 15 bytes; the length is in the top byte.
const fn key(s: &str) -> u128 {
    let b = s.as_bytes();
    let mut k = (b.len() as u128) << 120;
    let mut i = 0;
    while i < b.len() && i < 15 {
        k |= (b[i].to_ascii_lowercase() as u128) << (8 * i);
        i += 1;
    }
    k
}

/// The keys of a list of codes.
const fn keys<const N: usize>(list: &[&str]) -> [u128; N] {
    let mut out = [0u128; N];
    let mut i = 0;
    while i < N {
        out[i] = key(list[i]);
        i += 1;
    }
    out
}

/// The keys in ascending order, for a binary search.
const fn sorted<const N: usize>(mut k: [u128; N]) -> [u128; N] {
    let mut i = 1;
    while i < N {
        let mut j = i;
        while j > 0 && k[j - 1] > k[j] {
            let t = k[j];
            k[j] = k[j - 1];
            k[j - 1] = t;
            j -= 1;
        }
        i += 1;
    }
    k
}

/// The key of a cell's text ([`key`], computed on 16 bytes at once), if it is short enough to
/// be a code.
fn key_of(s: &str) -> Option<u128> {
    let b = s.as_bytes();
    if b.len() > 15 {
        return None;
    }
    let mut buf = [0u8; 16];
    buf[..b.len()].copy_from_slice(b);
    buf[15] = b.len() as u8;
    let half = |h: &[u8]| {
        let mut w = [0u8; 8];
        w.copy_from_slice(h);
        lower_ascii(u64::from_le_bytes(w))
    };
    Some(u128::from(half(&buf[8..])) << 64 | u128::from(half(&buf[..8])))
}

/// `to_ascii_lowercase` on the eight bytes of a word at once (bytes ≥ 0x80 unchanged).
fn lower_ascii(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let low7 = x & (0x7f * ONES);
    // The high bit of each byte: set where the byte is ≥ 'A', and where it is > 'Z'.
    let ge_a = low7 + (0x80 - u64::from(b'A')) * ONES;
    let gt_z = low7 + (0x7f - u64::from(b'Z')) * ONES;
    let upper = (ge_a ^ gt_z) & !x & (0x80 * ONES);
    x | (upper >> 2)
}

const MISSING_KEYS: [u128; 18] = sorted(keys(MISSING));
const REDCAP_KEYS: [u128; 18] = sorted(keys(REDCAP_MISSING));
const YES_KEYS: [u128; 13] = sorted(keys(YES));
const NO_KEYS: [u128; 12] = sorted(keys(NO));

/// Whether `k` is among the sorted `keys`.
fn among(keys: &[u128], k: u128) -> bool {
    keys.binary_search(&k).is_ok()
}

/// Numbers that stand for "missing" in many clinical exports.
const MISSING_NUMBERS: [f64; 2] = [-99.0, -999.0];

/// How a file writes its values: decimal comma and thousands separators, and its own
/// missing-value codes. `Codes::default()` is a plain file: decimal point, no separators, the
/// usual missing codes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Codes {
    /// `7,5` means 7.5.
    pub decimal_comma: bool,
    /// The thousands separator, if the file uses one (`1.234,5` or `1,234.5`).
    pub thousands: Option<char>,
    /// More missing-value codes (the mapping's `"missing"`), compared ignoring case.
    pub missing: Vec<String>,
    /// Whether REDCap's missing-data codes ([`REDCAP_MISSING`]) are missing too.
    pub redcap: bool,
}

/// `s` without surrounding blanks; cells from a table are trimmed already, so the common case
/// is two byte tests.
fn trim(s: &str) -> &str {
    match s.as_bytes() {
        [] => s,
        [a, .., b] | [a @ b] if a.is_ascii_graphic() && b.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

/// Powers of ten that are exact in an f64.
const POW10: [f64; 16] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/// A short decimal (`7`, `-2.5`, `45382`) without going through the general parser: at most 15
/// digits make an exact integer, divided by an exact power of ten, so the one rounding is the
/// correct one — the same value `str::parse` gives (Clinger's fast path).
fn short_decimal(b: &[u8]) -> Option<f64> {
    let (negative, digits) = match b.first()? {
        b'-' => (true, &b[1..]),
        b'+' => (false, &b[1..]),
        _ => (false, b),
    };
    if digits.is_empty() || digits.len() > 16 {
        return None;
    }
    let (mut m, mut n, mut point) = (0u64, 0usize, None);
    for (i, &c) in digits.iter().enumerate() {
        match c {
            b'0'..=b'9' => {
                m = m * 10 + u64::from(c - b'0');
                n += 1;
            }
            b'.' if point.is_none() => point = Some(i),
            _ => return None,
        }
    }
    if n == 0 || n > 15 {
        return None;
    }
    let v = m as f64 / POW10[point.map_or(0, |i| digits.len() - 1 - i)];
    Some(if negative { -v } else { v })
}

/// Plain decimal number (`7`, `-2.5`, `6.0`, `1e3`); not `inf` or `nan`.
fn plain(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    // Rust accepts "inf", "infinity" and "nan"; numbers start with a digit, a sign or a point.
    if !b.first().is_some_and(|c| c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.')) {
        return None;
    }
    if let Some(v) = short_decimal(b) {
        return Some(v);
    }
    s.parse::<f64>().ok().filter(|v| v.is_finite())
}

impl Codes {
    /// Whether the text is blank or a missing-value code (−99 and −999 included).
    pub fn is_missing(&self, s: &str) -> bool {
        let s = trim(s);
        if s.is_empty() {
            return true;
        }
        // No built-in code starts with a digit: numbers and dates skip the lists.
        if self.missing.is_empty() && s.as_bytes().first().is_some_and(u8::is_ascii_digit) {
            return false;
        }
        let k = key_of(s);
        if k.is_some_and(|k| among(&MISSING_KEYS, k) || (self.redcap && among(&REDCAP_KEYS, k))) || self.is_user_code(s)
        {
            return true;
        }
        s.starts_with("-9") && self.parse(s).is_some_and(|v| MISSING_NUMBERS.contains(&v))
    }

    fn is_user_code(&self, s: &str) -> bool {
        self.missing.iter().any(|m| s.eq_ignore_ascii_case(m.trim()))
    }

    /// A number, written as the file writes numbers.
    pub fn number(&self, s: &str) -> Cell<f64> {
        let s = trim(s);
        if !self.missing.is_empty() && self.is_user_code(s) {
            return Cell::Missing;
        }
        match self.parse(s) {
            Some(v) if MISSING_NUMBERS.contains(&v) => Cell::Missing,
            Some(v) => Cell::Value(v),
            None if self.is_missing(s) => Cell::Missing,
            None => Cell::Invalid,
        }
    }

    /// The number in `s` (already trimmed), honouring the decimal comma and thousands separator; a
    /// leading minus may be the minus sign U+2212 (text copied from a document) or the full-width
    /// U+FF0D (a Chinese input method).
    fn parse(&self, s: &str) -> Option<f64> {
        if let Some(v) = self.parse_ascii(s) {
            return Some(v);
        }
        let rest = s.strip_prefix('\u{2212}').or_else(|| s.strip_prefix('\u{ff0d}'))?;
        if rest.starts_with(['-', '+']) {
            return None;
        }
        self.parse_ascii(&format!("-{rest}"))
    }

    /// [`Codes::parse`] of a number written with an ASCII sign, if any.
    fn parse_ascii(&self, s: &str) -> Option<f64> {
        if !self.decimal_comma && self.thousands.is_none() {
            return plain(s);
        }
        let decimal = if self.decimal_comma { ',' } else { '.' };
        let mut buf = [0u8; 64];
        let mut n = 0usize;
        let mut push = |c: u8| -> Option<()> {
            *buf.get_mut(n)? = c;
            n += 1;
            Some(())
        };
        // Digits since the last thousands separator (None before the first one), and whether
        // the integer part has ended.
        let (mut group, mut since_sep, mut fraction) = (0usize, None::<usize>, false);
        for (i, c) in s.char_indices() {
            if !fraction && Some(c) == self.thousands && c != decimal {
                // The first group has 1–3 digits; later groups exactly 3.
                if group == 0 || group > 3 || since_sep.is_some_and(|g| g != 3) || i == 0 {
                    return None;
                }
                since_sep = Some(0);
                group = 0;
                continue;
            }
            // In a decimal-comma file a point is a decimal point too, unless it separates thousands.
            if c == decimal || (c == '.' && self.decimal_comma) {
                if fraction || since_sep.is_some_and(|g| g != 3) {
                    return None;
                }
                fraction = true;
                push(b'.')?;
            } else if c.is_ascii_digit() {
                if !fraction {
                    group += 1;
                    if let Some(g) = since_sep.as_mut() {
                        *g += 1;
                    }
                }
                push(c as u8)?;
            } else if matches!(c, '-' | '+' | 'e' | 'E') {
                push(c as u8)?;
            } else if c == '\u{2212}' {
                push(b'-')?;
            } else {
                return None;
            }
        }
        if !fraction && since_sep.is_some_and(|g| g != 3) {
            return None;
        }
        let text = std::str::from_utf8(&buf[..n]).ok()?;
        plain(text)
    }

    /// A length of time in months: a number in the column's unit (`per_unit` months each), or a
    /// number with its own unit — `6 mo`, `12 months`, `2 years`, `90 days`, `3个月`, `2年` — and
    /// whether it gave its own.
    pub fn months(&self, s: &str, per_unit: f64) -> (Cell<f64>, bool) {
        match self.number(s) {
            Cell::Value(v) => return (Cell::Value(v * per_unit), false),
            Cell::Missing => return (Cell::Missing, false),
            Cell::Invalid => {}
        }
        let s = trim(s);
        let split = s.find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '+'))).unwrap_or(s.len());
        let (number, unit) = (s[..split].trim(), s[split..].trim().trim_end_matches('.').to_lowercase());
        match (time_unit(&unit), self.number(number)) {
            (Some(factor), Cell::Value(v)) if !number.is_empty() => (Cell::Value(v * factor), true),
            _ => (Cell::Invalid, false),
        }
    }

    /// A score: a number, or a score written as clinics write them in a score column —
    /// `7/10` (a score out of its maximum) read as 7, and `7-8` (a range; also `7–8`, `7~8`,
    /// `7～8`) read as its midpoint 7.5 — and how it was written.
    ///
    /// Only for columns known to hold scores (a paired outcome's before and after): elsewhere
    /// `3/4` may be a fraction or part of a date, and `-1-2` a T-score gone wrong. Read
    /// conservatively, so that nothing else passes for a score:
    /// * both numbers plain, non-negative, without sign or exponent, and without a leading zero
    ///   (`03-2020` is a month; `0.5` is fine);
    /// * `a/b`: the maximum `b` is the scale's top `top` when the mapping gives one, else 10 or
    ///   100 (the tops of pain and most clinical scores; `3/4`, `7/12` are not read), and `a ≤ b`
    ///   (`12/10` is not read);
    /// * `a-b`: `a ≤ b`, and `b ≤ top` when the top is known;
    /// * one separator only: `2020-03-04`, `2020/3/4`, `1-2-3` are not read.
    ///
    /// Anything else is [`Codes::number`]'s answer (so `-2.5`, `−1.0` are numbers).
    pub fn score(&self, s: &str, top: Option<f64>) -> (Cell<f64>, Option<ScoreForm>) {
        match self.number(s) {
            Cell::Invalid => {}
            cell => return (cell, None),
        }
        let s = trim(s);
        let part = |p: &str| -> Option<f64> {
            let p = p.trim();
            let b = p.as_bytes();
            let digits_first = b.first().is_some_and(u8::is_ascii_digit);
            let leading_zero = b.len() > 1 && b[0] == b'0' && b[1].is_ascii_digit();
            let allowed = p.bytes().all(|c| c.is_ascii_digit() || c == b'.' || c == b',');
            let v = self.parse(p)?;
            (digits_first && !leading_zero && allowed && v >= 0.0).then_some(v)
        };
        let read = |sep: &[char]| -> Option<(f64, f64)> {
            let mut it = s.split(sep);
            let (a, b) = (it.next()?, it.next()?);
            if it.next().is_some() {
                return None;
            }
            Some((part(a)?, part(b)?))
        };
        if let Some((a, max)) = read(&['/']) {
            let top_ok = match top {
                Some(t) => max == t,
                None => max == 10.0 || max == 100.0,
            };
            if top_ok && a <= max {
                return (Cell::Value(a), Some(ScoreForm::OutOf(max)));
            }
        } else if let Some((lo, hi)) = read(&['-', '–', '~', '～']) {
            if lo <= hi && top.is_none_or(|t| hi <= t) {
                return (Cell::Value((lo + hi) / 2.0), Some(ScoreForm::Range));
            }
        }
        (Cell::Invalid, None)
    }

    /// A yes/no code (Yes/No, Y/N, 1/0, TRUE/FALSE, Checked/Unchecked, 是/否, …; any case).
    pub fn yes_no(&self, s: &str) -> Cell<bool> {
        let s = trim(s);
        if !self.missing.is_empty() && self.is_user_code(s) {
            return Cell::Missing;
        }
        if let Some(v) = yes_no_code(s) {
            Cell::Value(v)
        } else if self.is_missing(s) {
            Cell::Missing
        } else {
            Cell::Invalid
        }
    }

    /// A yes/no outcome where `event_value` (if given) means yes and any other value means no.
    pub fn event(&self, s: &str, event_value: Option<&str>) -> Cell<bool> {
        match event_value {
            None => self.yes_no(s),
            Some(_) if self.is_missing(s) => Cell::Missing,
            Some(v) => Cell::Value(trim(s).eq_ignore_ascii_case(v.trim())),
        }
    }

    /// A date, read as [`Codes::read_date`] does, with the day–month order `order` for dates such as
    /// `03/04/2021` (`None`: only dates whose order is evident are read).
    pub fn date(&self, s: &str, order: Option<DateOrder>) -> Cell<i64> {
        match self.read_date(s) {
            DateRead::Days(d) => Cell::Value(d),
            DateRead::Either { dmy, mdy } => match order {
                Some(DateOrder::Dmy) => dmy.map_or(Cell::Invalid, Cell::Value),
                Some(DateOrder::Mdy) => mdy.map_or(Cell::Invalid, Cell::Value),
                Some(DateOrder::Ymd) => Cell::Invalid,
                None => match (dmy, mdy) {
                    (Some(a), Some(b)) if a == b => Cell::Value(a),
                    (Some(a), None) | (None, Some(a)) => Cell::Value(a),
                    _ => Cell::Invalid,
                },
            },
            DateRead::Missing => Cell::Missing,
            DateRead::Invalid(_) => Cell::Invalid,
        }
    }

    /// Reads a date: ISO `2024-03-31` (or with `/` or `.`), year first `2024/3/31`, `2024年3月31日`,
    /// day or month first `31/03/2024` and `03/31/2024` (both readings returned when either could
    /// be meant), month names `31-Mar-2024`, `31 March 2024`, `March 31, 2024`, compact `20240331`,
    /// and Excel serial day numbers (1900 date system); an optional time after the date is ignored.
    /// Two-digit years are refused.
    pub fn read_date(&self, s: &str) -> DateRead {
        let s = trim(s);
        if let Some(d) = iso_date(s.as_bytes()) {
            return d;
        }
        if self.is_missing(s) {
            return DateRead::Missing;
        }
        if s.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
            && s.bytes().filter(|b| !b.is_ascii_digit()).count() <= 1
        {
            return self.date_number(s);
        }
        match fields(s) {
            Ok(f) => from_fields(f),
            Err(p) => DateRead::Invalid(p),
        }
    }

    /// A date written as one number: `20240331` or an Excel serial.
    fn date_number(&self, s: &str) -> DateRead {
        if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
            let v: u32 = s.parse().unwrap_or(0);
            return ymd(i64::from(v / 10_000), v / 100 % 100, v % 100)
                .map_or(DateRead::Invalid(DateProblem::NoSuchDay), DateRead::Days);
        }
        let Some(v) = self.parse(s) else { return DateRead::Invalid(DateProblem::NotADate) };
        if v.fract() == 0.0 && (1900.0..=2100.0).contains(&v) && !s.contains(['.', ',']) {
            return DateRead::Invalid(DateProblem::YearOnly);
        }
        excel_serial(v)
    }
}

/// How a score cell that is no plain number was written ([`Codes::score`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ScoreForm {
    /// `7/10`: a score out of its maximum (the maximum), read as the score.
    OutOf(f64),
    /// `7-8`: a range, read as its midpoint.
    Range,
}

/// Day and month order of dates such as `03/04/2021` (the mapping's `"date_format"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DateOrder {
    /// Day, month, year: 25/03/2021.
    #[serde(rename = "DMY")]
    Dmy,
    /// Month, day, year: 03/25/2021.
    #[serde(rename = "MDY")]
    Mdy,
    /// Year, month, day: 2021-03-25.
    #[serde(rename = "YMD")]
    Ymd,
}

impl DateOrder {
    /// "day/month/year", "month/day/year" or "year-month-day".
    pub fn describe(self) -> &'static str {
        match self {
            DateOrder::Dmy => "day/month/year",
            DateOrder::Mdy => "month/day/year",
            DateOrder::Ymd => "year-month-day",
        }
    }

    /// The same in Chinese.
    pub fn describe_zh(self) -> &'static str {
        match self {
            DateOrder::Dmy => "日/月/年",
            DateOrder::Mdy => "月/日/年",
            DateOrder::Ymd => "年-月-日",
        }
    }
}

/// A date cell as read, before the day–month order is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateRead {
    /// Days since 1970-01-01 of a date whose reading is evident.
    Days(i64),
    /// Day or month first (`03/04/2021`): each reading, `None` where it is no date.
    Either {
        /// Read as day/month/year.
        dmy: Option<i64>,
        /// Read as month/day/year.
        mdy: Option<i64>,
    },
    /// Blank or a missing-value code.
    Missing,
    /// Not a date, and why.
    Invalid(DateProblem),
}

/// Why a cell is not a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateProblem {
    /// Text that is no date at all.
    NotADate,
    /// A year in two digits (`03/04/21`).
    TwoDigitYear,
    /// Fields that are no calendar day (`31/02/2024`, month 13).
    NoSuchDay,
    /// A year without month and day.
    YearOnly,
    /// Excel's day 60, the 29 February 1900 that never was.
    ExcelLeapBug,
    /// A number too small or too large to be an Excel date.
    SerialOutOfRange,
}

impl DateProblem {
    /// What is wrong, in plain words.
    pub fn message(self) -> &'static str {
        match self {
            DateProblem::NotADate => "not a date",
            DateProblem::TwoDigitYear => "a two-digit year is ambiguous; write the year in full (e.g. 2021)",
            DateProblem::NoSuchDay => "no such day in the calendar",
            DateProblem::YearOnly => "a year alone, without month and day",
            DateProblem::ExcelLeapBug => "Excel's day 60 is 29 February 1900, which did not exist",
            DateProblem::SerialOutOfRange => "a number outside the range of Excel dates",
        }
    }

    /// The same in Chinese.
    pub fn message_zh(self) -> &'static str {
        match self {
            DateProblem::NotADate => "不是日期",
            DateProblem::TwoDigitYear => "两位数年份有歧义；请写出完整年份（如 2021）",
            DateProblem::NoSuchDay => "日历中没有这一天",
            DateProblem::YearOnly => "只有年份，没有月和日",
            DateProblem::ExcelLeapBug => "Excel 的第 60 天是 1900 年 2 月 29 日，这一天并不存在",
            DateProblem::SerialOutOfRange => "超出 Excel 日期范围的数字",
        }
    }
}

/// A date field: a number (with how many digits it was written with) or a month name.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Field {
    Num(u32, usize),
    Month(u32),
}

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const MONTH_NAMES: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month_name(w: &str) -> Option<u32> {
    let i = MONTHS
        .iter()
        .position(|m| w.eq_ignore_ascii_case(m))
        .or_else(|| MONTH_NAMES.iter().position(|m| w.eq_ignore_ascii_case(m)))
        .or_else(|| w.eq_ignore_ascii_case("sept").then_some(8))?;
    Some(i as u32 + 1)
}

/// The three fields of a date, ignoring a time after them.
fn fields(s: &str) -> Result<[Field; 3], DateProblem> {
    let mut out = [Field::Num(0, 0); 3];
    let mut n = 0usize;
    let b = s.as_bytes();
    let mut i = 0usize;
    while i < b.len() {
        let c = b[i];
        if n == 3 {
            // A time may follow: "2024-03-31 10:00", "2024-03-31T10:00:00Z"; "日" may end it.
            let rest = s[i..].strip_prefix('日').unwrap_or(&s[i..]);
            if rest.trim().is_empty() {
                return Ok(out);
            }
            if rest.starts_with([' ', 'T', 't']) && rest[1..].trim_start().starts_with(|c: char| c.is_ascii_digit()) {
                return Ok(out);
            }
            return Err(DateProblem::NotADate);
        }
        if c.is_ascii_digit() {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            let digits = i - start;
            if digits > 4 {
                return Err(DateProblem::NotADate);
            }
            out[n] = Field::Num(s[start..i].parse().map_err(|_| DateProblem::NotADate)?, digits);
            n += 1;
        } else if c.is_ascii_alphabetic() {
            let start = i;
            while i < b.len() && b[i].is_ascii_alphabetic() {
                i += 1;
            }
            out[n] = Field::Month(month_name(&s[start..i]).ok_or(DateProblem::NotADate)?);
            n += 1;
        } else if matches!(c, b'-' | b'/' | b'.' | b',' | b' ') {
            i += 1;
        } else if s[i..].starts_with(['年', '月', '日']) {
            i += '年'.len_utf8();
        } else {
            return Err(DateProblem::NotADate);
        }
    }
    if n == 3 {
        Ok(out)
    } else {
        Err(DateProblem::NotADate)
    }
}

/// `YYYY-MM-DD` exactly, the most common spelling, read directly.
fn iso_date(b: &[u8]) -> Option<DateRead> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let mut n = [0u32; 8];
    for (k, i) in [0, 1, 2, 3, 5, 6, 8, 9].into_iter().enumerate() {
        if !b[i].is_ascii_digit() {
            return None;
        }
        n[k] = u32::from(b[i] - b'0');
    }
    let y = n[0] * 1000 + n[1] * 100 + n[2] * 10 + n[3];
    let (m, d) = (n[4] * 10 + n[5], n[6] * 10 + n[7]);
    Some(ymd(i64::from(y), m, d).map_or(DateRead::Invalid(DateProblem::NoSuchDay), DateRead::Days))
}

fn ymd(y: i64, m: u32, d: u32) -> Option<i64> {
    ((1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)).then(|| days_from_civil(y, m, d))
}

fn from_fields(f: [Field; 3]) -> DateRead {
    use Field::{Month, Num};
    let checked = |y: u32, yd: usize, m: u32, d: u32| {
        if yd < 4 {
            DateRead::Invalid(DateProblem::TwoDigitYear)
        } else {
            ymd(i64::from(y), m, d).map_or(DateRead::Invalid(DateProblem::NoSuchDay), DateRead::Days)
        }
    };
    match f {
        // 31-Mar-2024, 31 March 2024
        [Num(d, dd), Month(m), Num(y, yd)] if dd <= 2 => checked(y, yd, m, d),
        // March 31, 2024
        [Month(m), Num(d, dd), Num(y, yd)] if dd <= 2 => checked(y, yd, m, d),
        // 2024 Mar 31
        [Num(y, 4), Month(m), Num(d, dd)] if dd <= 2 => checked(y, 4, m, d),
        // 2024-03-31, 2024/3/31, 2024年3月31日
        [Num(y, 4), Num(m, md), Num(d, dd)] if md <= 2 && dd <= 2 => checked(y, 4, m, d),
        // 31/03/2024 or 03/31/2024
        [Num(a, ad), Num(b, bd), Num(y, yd)] if ad <= 2 && bd <= 2 => {
            if yd < 4 {
                return DateRead::Invalid(DateProblem::TwoDigitYear);
            }
            let y = i64::from(y);
            let (dmy, mdy) = (ymd(y, b, a), ymd(y, a, b));
            if dmy.is_none() && mdy.is_none() {
                DateRead::Invalid(DateProblem::NoSuchDay)
            } else {
                DateRead::Either { dmy, mdy }
            }
        }
        _ => DateRead::Invalid(DateProblem::NotADate),
    }
}

/// Days since 1970-01-01 of Excel day number `v` in the 1900 date system (a time of day is
/// dropped). Excel counts 1900-01-01 as day 1 and believes in a 29 February 1900 (day 60), so
/// from day 61 on a day number is one more than the days since 1899-12-31.
pub fn excel_serial(v: f64) -> DateRead {
    if !(1.0..2_958_466.0).contains(&v) {
        return DateRead::Invalid(DateProblem::SerialOutOfRange);
    }
    let day = v.floor() as i64;
    const DAY0: i64 = -25_568; // 1899-12-31 as days since 1970-01-01
    match day {
        60 => DateRead::Invalid(DateProblem::ExcelLeapBug),
        ..60 => DateRead::Days(DAY0 + day),
        _ => DateRead::Days(DAY0 + day - 1),
    }
}

/// Whether the text is blank or a missing-value code.
pub fn is_missing(s: &str) -> bool {
    PLAIN.is_missing(s)
}

const PLAIN: Codes = Codes { decimal_comma: false, thousands: None, missing: Vec::new(), redcap: false };

/// A number: plain decimal (`7`, `-2.5`, `6.0`).
pub fn number(s: &str) -> Cell<f64> {
    PLAIN.number(s)
}

/// The answer a yes/no code gives ([`YES`], [`NO`]; ASCII letters in any case).
fn yes_no_code(s: &str) -> Option<bool> {
    // The usual spellings first: a match on the text is a switch on its length.
    match s {
        "Yes" | "yes" | "YES" | "Y" | "y" | "1" | "TRUE" | "True" | "true" | "Checked" | "是" => return Some(true),
        "No" | "no" | "NO" | "N" | "n" | "0" | "FALSE" | "False" | "false" | "Unchecked" | "否" => return Some(false),
        _ => {}
    }
    let Some(k) = key_of(s) else { return labelled_code(s) };
    if among(&YES_KEYS, k) {
        Some(true)
    } else if among(&NO_KEYS, k) {
        Some(false)
    } else {
        labelled_code(s)
    }
}

/// A code written with its label, as statistics packages and registries export them: `1_yes`,
/// `0_no`, `1 = Yes`, `2 = No`, `1: yes` — the label says it, whatever the number.
fn labelled_code(s: &str) -> Option<bool> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 2 {
        return None;
    }
    let rest = s[digits..].trim_start();
    let label = rest.strip_prefix(['_', '=', ':', '-', '.', ')']).unwrap_or(rest).trim();
    // Only a word: "1" alone, or "10", is no label.
    if label.is_empty() || label.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
        return None;
    }
    match label {
        "Yes" | "yes" | "YES" | "No" | "no" | "NO" | "是" | "否" => {
            Some(matches!(label, "Yes" | "yes" | "YES" | "是"))
        }
        _ => {
            let k = key_of(label)?;
            if among(&YES_KEYS, k) && !label.bytes().all(|b| b.is_ascii_digit()) {
                Some(true)
            } else if among(&NO_KEYS, k) {
                Some(false)
            } else {
                None
            }
        }
    }
}

/// Codes read as "yes".
pub const YES: &[&str] = &["yes", "y", "1", "1.0", "true", "checked", "是", "有", "阳性", "ja", "oui", "sí", "si"];
/// Codes read as "no".
pub const NO: &[&str] = &["no", "n", "0", "0.0", "false", "unchecked", "否", "无", "没有", "阴性", "nein", "non"];

/// A yes/no code (Yes/No, Y/N, 1/0, TRUE/FALSE, Checked/Unchecked, 是/否; any case).
pub fn yes_no(s: &str) -> Cell<bool> {
    PLAIN.yes_no(s)
}

/// A yes/no outcome where `event_value` (if given) means yes and any other value means no.
pub fn event(s: &str, event_value: Option<&str>) -> Cell<bool> {
    PLAIN.event(s, event_value)
}

/// A date as days since 1970-01-01, when its reading is evident (see [`Codes::read_date`]).
pub fn date(s: &str) -> Cell<i64> {
    PLAIN.date(s, None)
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The ISO date (`2024-03-31`) of a day count since 1970-01-01.
pub fn iso(days: i64) -> String {
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Months between two dates given in days: days × 12 / 365.25.
pub fn months_between(start_days: i64, end_days: i64) -> f64 {
    (end_days - start_days) as f64 * 12.0 / 365.25
}

/// A REDCap checkbox column: `field___code` (raw export) or `Label (choice=Option)` (label
/// export) → the field and the choice.
pub fn redcap_checkbox(header: &str) -> Option<(&str, &str)> {
    let h = header.trim();
    if let Some(i) = h.rfind("___") {
        let (field, code) = (&h[..i], &h[i + 3..]);
        let word = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if word(field) && word(code) {
            return Some((field, code));
        }
    }
    let inner = h.strip_suffix(')')?;
    let i = inner.rfind("(choice=")?;
    let (label, choice) = (inner[..i].trim(), inner[i + "(choice=".len()..].trim());
    (!label.is_empty() && !choice.is_empty()).then_some((label, choice))
}

/// Whether a header is REDCap bookkeeping rather than data (`redcap_event_name`,
/// `redcap_repeat_instrument`, `…_complete`, `…_timestamp`).
pub fn is_redcap_bookkeeping(header: &str) -> bool {
    let h = header.trim().to_ascii_lowercase();
    h.starts_with("redcap_")
        || h.ends_with("_complete")
        || h.ends_with("_timestamp")
        || h.starts_with("complete?")
        || h == "survey identifier"
        || h.starts_with("repeat instrument")
        || h.starts_with("repeat instance")
        || h.starts_with("event name")
        || h.starts_with("data access group")
}

/// What [`same_category`] counted together, in words: `"m", "Male" as "M"; "f" as "F"`, in English
/// and in Chinese; `spellings`, `group` and `names` as it took and gave them.
pub fn same_category_words(spellings: &[&str], group: &[usize], names: &[String]) -> (String, String) {
    let (en, zh): (Vec<String>, Vec<String>) = names
        .iter()
        .enumerate()
        .filter_map(|(g, name)| {
            let others: Vec<&str> =
                spellings.iter().zip(group).filter(|&(s, &k)| k == g && s != name).map(|(s, _)| *s).collect();
            (!others.is_empty()).then(|| {
                let quoted = |open: &str, close: &str, sep: &str| {
                    others.iter().map(|o| format!("{open}{o}{close}")).collect::<Vec<_>>().join(sep)
                };
                (
                    format!("{} as \"{name}\"", quoted("\"", "\"", ", ")),
                    format!("{}计为“{name}”", quoted("“", "”", "、")),
                )
            })
        })
        .unzip();
    (en.join("; "), zh.join("；"))
}

/// A cell's text as a word to compare: lower case, single spaces ("Not  Improved" → "not improved").
pub fn word_key(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// A yes/no column written in its own two words, one the other negated ("Improved" / "Not
/// improved", "Fracture" / "No fracture", "改善" / "未改善", "有骨折" / "无骨折"): the word of yes and
/// the word of no, as [`word_key`]s. `texts` are the column's values that are no yes/no code, as
/// written; `None` unless they are spellings of two such words.
pub fn negation_pair(texts: &[&str]) -> Option<(String, String)> {
    let mut words: Vec<String> = texts.iter().map(|t| word_key(t)).collect();
    words.sort();
    words.dedup();
    let [na, nb] = <[String; 2]>::try_from(words).ok()?;
    if na.is_empty() || nb.is_empty() {
        return None;
    }
    const NOT: &[&str] = &["not ", "no ", "non-", "non ", "un", "不", "未", "无", "没有", "非"];
    let negates = |neg: &str, pos: &str| {
        let stem = pos.strip_prefix('有').filter(|s| !s.is_empty()).unwrap_or(pos);
        NOT.iter().any(|n| neg.strip_prefix(n).is_some_and(|rest| rest == pos || rest == stem))
    };
    if negates(&nb, &na) {
        Some((na, nb))
    } else if negates(&na, &nb) {
        Some((nb, na))
    } else {
        None
    }
}

/// Months in one of a time unit written after a number (`mo`, `months`, `d`, `wk`, `yrs`, `个月`, `天`,
/// `周`, `年`, …), if it is one.
pub fn time_unit(unit: &str) -> Option<f64> {
    Some(match unit {
        "m" | "mo" | "mos" | "mth" | "mths" | "month" | "months" | "月" | "个月" => 1.0,
        "d" | "day" | "days" | "天" | "日" => 12.0 / 365.25,
        "w" | "wk" | "wks" | "week" | "weeks" | "周" => 7.0 * 12.0 / 365.25,
        "y" | "yr" | "yrs" | "year" | "years" | "年" => 12.0,
        _ => return None,
    })
}

/// Whether a header names patients' sex ("Sex", "Gender", "性别", "sex (M/F)").
pub fn is_sex_header(header: &str) -> bool {
    let h = header.to_lowercase();
    h.contains("性别") || h.split(|c: char| !c.is_alphanumeric()).any(|w| matches!(w, "sex" | "gender"))
}

/// The groups of a categorical column's spellings of one category: levels as written that differ
/// only in letter case and spacing ("M", "m"; "Left leg", "left  leg") and, in a column of
/// patients' sex (`sex_column`), words for the same sex ("M", "Male", "男"). `counts[i]` is how
/// many cells hold `levels[i]`.
///
/// Returns each level's group and each group's name: its most frequent spelling (of equally
/// frequent ones, the first written), groups in the order their first spelling was written.
pub fn same_category(levels: &[&str], counts: &[usize], sex_column: bool) -> (Vec<usize>, Vec<String>) {
    let key = |s: &str| {
        let k = word_key(s);
        let sex = match k.as_str() {
            "m" | "male" | "males" | "man" | "men" | "男" | "男性" if sex_column => Some("male"),
            "f" | "female" | "females" | "woman" | "women" | "女" | "女性" if sex_column => Some("female"),
            _ => None,
        };
        match sex {
            Some(s) => s.to_string(),
            None => k,
        }
    };
    let mut keys: Vec<String> = Vec::new();
    let mut best: Vec<usize> = Vec::new(); // per group: the level named after
    let group: Vec<usize> = levels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let k = key(l);
            match keys.iter().position(|g| *g == k) {
                Some(g) => {
                    if counts[i] > counts[best[g]] {
                        best[g] = i;
                    }
                    g
                }
                None => {
                    keys.push(k);
                    best.push(i);
                    keys.len() - 1
                }
            }
        })
        .collect();
    (group, best.into_iter().map(|i| levels[i].to_string()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_category_are_grouped_under_the_most_frequent() {
        let levels = ["M", "F", "m", "female", "Male", " f "];
        let counts = [22, 13, 15, 13, 17, 1];
        let (group, names) = same_category(&levels, &counts, true);
        assert_eq!(group, vec![0, 1, 0, 1, 0, 1]);
        assert_eq!(names, vec!["M", "F"]); // F and female 13 each: the first written
                                           // Not a sex column: case and spacing only.
        let (group, names) = same_category(&levels, &counts, false);
        assert_eq!(group, vec![0, 1, 0, 2, 3, 1]);
        assert_eq!(names, vec!["M", "F", "female", "Male"]);
        let (group, names) = same_category(&["Left  leg", "left leg", "Right"], &[1, 2, 3], false);
        assert_eq!((group, names), (vec![0, 0, 1], vec!["left leg".to_string(), "Right".to_string()]));
        let (group, names) = same_category(&["男", "女", "男性"], &[5, 4, 1], true);
        assert_eq!((group, names), (vec![0, 1, 0], vec!["男".to_string(), "女".to_string()]));
        // Nothing to group: the levels as they are.
        let (group, names) = same_category(&["1", "2"], &[3, 4], true);
        assert_eq!((group, names), (vec![0, 1], vec!["1".to_string(), "2".to_string()]));
    }

    #[test]
    fn negation_pairs_are_yes_and_no() {
        let pair = |a: &str, b: &str| negation_pair(&[a, b]);
        let yes_no = |y: &str, n: &str| Some((y.to_string(), n.to_string()));
        assert_eq!(pair("Improved", "Not improved"), yes_no("improved", "not improved"));
        assert_eq!(pair("not  Improved", "improved"), yes_no("improved", "not improved"));
        assert_eq!(pair("No fracture", "Fracture"), yes_no("fracture", "no fracture"));
        assert_eq!(pair("Non-union", "union"), yes_no("union", "non-union"));
        assert_eq!(pair("改善", "未改善"), yes_no("改善", "未改善"));
        assert_eq!(pair("有骨折", "无骨折"), yes_no("有骨折", "无骨折"));
        assert_eq!(pair("满意", "不满意"), yes_no("满意", "不满意"));
        for (a, b) in [("Left", "Right"), ("M", "F"), ("Improved", "Improved"), ("Better", "Worse"), ("", "not ")] {
            assert_eq!(pair(a, b), None, "{a} / {b}");
        }
        assert_eq!(negation_pair(&["Improved", "Not improved", "Worse"]), None);
        assert_eq!(negation_pair(&["Improved"]), None);
        // Spellings of the two words are the two words.
        assert_eq!(negation_pair(&["Improved", "not improved", "improved "]), yes_no("improved", "not improved"));
    }

    #[test]
    fn lengths_of_time_in_their_own_units() {
        let c = Codes::default();
        assert_eq!(c.months("6", 1.0), (Cell::Value(6.0), false));
        assert_eq!(c.months("365.25", 12.0 / 365.25), (Cell::Value(12.0), false));
        for (s, want) in
            [("6 mo", 6.0), ("12 months", 12.0), ("2 years", 24.0), ("1.5 yrs.", 18.0), ("3个月", 3.0), ("2年", 24.0)]
        {
            assert_eq!(c.months(s, 1.0), (Cell::Value(want), true), "{s}");
        }
        assert_eq!(c.months("365.25 days", 1.0), (Cell::Value(12.0), true));
        assert_eq!(Codes { decimal_comma: true, ..Codes::default() }.months("1,5 y", 1.0), (Cell::Value(18.0), true));
        for s in ["6 mo ago", "months", "about 6 mo", "6 kg", "-", "6-8 mo"] {
            assert!(!matches!(c.months(s, 1.0).0, Cell::Value(_)), "{s}");
        }
        assert_eq!(c.months("NA", 1.0), (Cell::Missing, false));
        assert_eq!(c.months("6 kg", 1.0), (Cell::Invalid, false));
    }

    #[test]
    fn scores_out_of_their_maximum_and_ranges() {
        let c = Codes::default();
        let out_of = |v: f64, max: f64| (Cell::Value(v), Some(ScoreForm::OutOf(max)));
        let range = |v: f64| (Cell::Value(v), Some(ScoreForm::Range));
        assert_eq!(c.score("7/10", None), out_of(7.0, 10.0));
        assert_eq!(c.score(" 7 / 10 ", None), out_of(7.0, 10.0));
        assert_eq!(c.score("0/10", None), out_of(0.0, 10.0));
        assert_eq!(c.score("10/10", None), out_of(10.0, 10.0));
        assert_eq!(c.score("6.5/10", None), out_of(6.5, 10.0));
        assert_eq!(c.score("70/100", None), out_of(70.0, 100.0));
        assert_eq!(c.score("24/30", Some(30.0)), out_of(24.0, 30.0));
        assert_eq!(c.score("7-8", None), range(7.5));
        assert_eq!(c.score("7 - 8", None), range(7.5));
        assert_eq!(c.score("7–8", None), range(7.5));
        assert_eq!(c.score("7~8", None), range(7.5));
        assert_eq!(c.score("7～8", None), range(7.5));
        assert_eq!(c.score("5-5", None), range(5.0));
        assert_eq!(c.score("0.5-1", Some(10.0)), range(0.75));
        assert_eq!(Codes { decimal_comma: true, ..Codes::default() }.score("6,5-7", None), range(6.75));
        assert_eq!(Codes { decimal_comma: true, ..Codes::default() }.score("6,5/10", None), out_of(6.5, 10.0));
        // Plain numbers and missing codes as `number` reads them.
        for (s, v) in [("7", 7.0), ("-2.5", -2.5), ("\u{2212}1.0", -1.0), ("\u{ff0d}1.0", -1.0), ("0", 0.0)] {
            assert_eq!(c.score(s, None), (Cell::Value(v), None), "{s}");
        }
        assert_eq!(c.score("NA", None), (Cell::Missing, None));
        assert_eq!(c.score("-", None), (Cell::Missing, None));
        assert_eq!(c.score("-99", None), (Cell::Missing, None));
        // Not scores: dates, fractions, negative numbers, other maxima, values above the top.
        for s in [
            "3/4",
            "7/12",
            "12/10",
            "101/100",
            "7/10/2020",
            "2020/3/4",
            "2020-03-04",
            "03-2020",
            "2020-03",
            "8-7",
            "-1-2",
            "\u{2212}1-2",
            "1--2",
            "1-\u{2212}2",
            "-1/10",
            "+7/10",
            "7/+10",
            "1e1/10",
            "7/",
            "/10",
            "1-2-3",
            "7-8 mm",
            "about 7/10",
            "7/10.5",
            "7/010",
        ] {
            assert_eq!(c.score(s, None), (Cell::Invalid, None), "{s}");
        }
        // With the scale's top known, a maximum must be it and a range within it.
        assert_eq!(c.score("7/10", Some(100.0)), (Cell::Invalid, None));
        assert_eq!(c.score("24/30", None), (Cell::Invalid, None));
        assert_eq!(c.score("9-12", Some(10.0)), (Cell::Invalid, None));
        assert_eq!(c.score("9-10", Some(10.0)), range(9.5));
    }

    #[test]
    fn sex_headers() {
        for h in ["Sex", "Gender", "sex (M/F)", "Patient gender", "性别", "患者性别"] {
            assert!(is_sex_header(h), "{h}");
        }
        for h in ["Sussex site", "Age", "Sexual function", "Genderless"] {
            assert!(!is_sex_header(h), "{h}");
        }
    }

    fn days(s: &str) -> DateRead {
        Codes::default().read_date(s)
    }

    #[test]
    fn dates_count_days_like_the_calendar() {
        assert_eq!(date("1970-01-01"), Cell::Value(0));
        assert_eq!(date("2000-03-01"), Cell::Value(11_017));
        assert_eq!(date("2024-02-29"), Cell::Value(19_782));
        assert_eq!(date("2023-02-29"), Cell::Invalid);
        assert_eq!(date(""), Cell::Missing);
    }

    #[test]
    fn iso_inverts_days_from_civil() {
        for (y, m, d) in [(1970, 1, 1), (1900, 2, 28), (2000, 2, 29), (2024, 3, 31), (1969, 12, 31), (9999, 12, 31)] {
            assert_eq!(iso(days_from_civil(y, m, d)), format!("{y:04}-{m:02}-{d:02}"));
        }
    }

    #[test]
    fn dates_in_many_spellings_are_the_same_day() {
        let want = DateRead::Days(days_from_civil(2024, 3, 31));
        for s in [
            "2024-03-31",
            "2024/3/31",
            "2024.03.31",
            "2024-03-31 10:15",
            "2024-03-31T10:15:00Z",
            "2024年3月31日",
            "31-Mar-2024",
            "31 March 2024",
            "March 31, 2024",
            "Mar 31 2024",
            "20240331",
            "45382",
        ] {
            assert_eq!(days(s), want, "{s}");
        }
    }

    #[test]
    fn day_and_month_first_give_both_readings() {
        let d = |y, m, d| Some(days_from_civil(y, m, d));
        assert_eq!(days("25/03/2021"), DateRead::Either { dmy: d(2021, 3, 25), mdy: None });
        assert_eq!(days("03/25/2021"), DateRead::Either { dmy: None, mdy: d(2021, 3, 25) });
        assert_eq!(days("03.04.2021"), DateRead::Either { dmy: d(2021, 4, 3), mdy: d(2021, 3, 4) });
        assert_eq!(Codes::default().date("03/04/2021", Some(DateOrder::Mdy)), Cell::Value(days_from_civil(2021, 3, 4)));
        assert_eq!(Codes::default().date("25/03/2021", Some(DateOrder::Mdy)), Cell::Invalid);
    }

    #[test]
    fn two_digit_years_and_junk_are_refused_with_a_reason() {
        assert_eq!(days("03/04/21"), DateRead::Invalid(DateProblem::TwoDigitYear));
        assert_eq!(days("4-Mar-21"), DateRead::Invalid(DateProblem::TwoDigitYear));
        assert_eq!(days("31/02/2024"), DateRead::Invalid(DateProblem::NoSuchDay));
        assert_eq!(days("2021"), DateRead::Invalid(DateProblem::YearOnly));
        assert_eq!(days("soon"), DateRead::Invalid(DateProblem::NotADate));
        assert_eq!(days("2024-03-31 and more"), DateRead::Invalid(DateProblem::NotADate));
        assert_eq!(days("NA"), DateRead::Missing);
    }

    #[test]
    fn excel_serials_follow_the_1900_date_system_and_its_leap_bug() {
        let d = |y, m, dd| DateRead::Days(days_from_civil(y, m, dd));
        assert_eq!(excel_serial(1.0), d(1900, 1, 1));
        assert_eq!(excel_serial(59.0), d(1900, 2, 28));
        assert_eq!(excel_serial(60.0), DateRead::Invalid(DateProblem::ExcelLeapBug));
        assert_eq!(excel_serial(61.0), d(1900, 3, 1));
        assert_eq!(excel_serial(25_569.0), d(1970, 1, 1));
        assert_eq!(excel_serial(43_831.75), d(2020, 1, 1));
        assert_eq!(excel_serial(2_958_465.0), d(9999, 12, 31));
        assert_eq!(excel_serial(0.0), DateRead::Invalid(DateProblem::SerialOutOfRange));
    }

    #[test]
    fn keys_at_run_time_equal_keys_at_compile_time() {
        for s in MISSING.iter().chain(REDCAP_MISSING).chain(YES).chain(NO).chain(&["Yes", "UNCHECKED", "N/A", "是"]) {
            assert_eq!(key_of(s), Some(key(s)), "{s}");
        }
        assert_ne!(key_of("ye"), key_of("yes"));
        for b in 0..=255u8 {
            let word = u64::from_le_bytes([b, b'A', b'z', b'@', b'[', b'Z', 0x80 | b'A', b]);
            let want = u64::from_le_bytes(word.to_le_bytes().map(|c| c.to_ascii_lowercase()));
            assert_eq!(lower_ascii(word), want, "{b}");
        }
        assert_eq!(key_of("a string longer than 15"), None);
        assert!(MISSING_KEYS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn yes_no_match_agrees_with_the_lists() {
        for y in YES {
            assert_eq!(yes_no_code(y), Some(true), "{y}");
            if y.is_ascii() {
                assert_eq!(yes_no_code(&y.to_uppercase()), Some(true), "{y}");
            }
        }
        for n in NO {
            assert_eq!(yes_no_code(n), Some(false), "{n}");
        }
        assert_eq!(yes_no_code("yess"), None);
    }

    #[test]
    fn yes_no_codes_in_any_case() {
        for y in ["Yes", "Y", "1", "TRUE", "checked", "是", "有", "1.0"] {
            assert_eq!(yes_no(y), Cell::Value(true), "{y}");
        }
        for n in ["no", "N", "0", "False", "Unchecked", "否", "无"] {
            assert_eq!(yes_no(n), Cell::Value(false), "{n}");
        }
        assert_eq!(yes_no("maybe"), Cell::Invalid);
        assert_eq!(yes_no("NA"), Cell::Missing);
        assert_eq!(yes_no("-99"), Cell::Missing);
    }

    #[test]
    fn codes_written_with_their_labels_say_yes_or_no_by_the_label() {
        for y in ["1_yes", "1 = Yes", "1=yes", "1: Ja", "2 = yes", "1) Yes", "1 - 是"] {
            assert_eq!(yes_no(y), Cell::Value(true), "{y}");
        }
        for n in ["0_no", "2 = No", "0: nein", "2_no", "0 - 否"] {
            assert_eq!(yes_no(n), Cell::Value(false), "{n}");
        }
        // A number alone or with more digits, a date, a unit, a label of no answer: none.
        for x in ["1.0_x", "1-Mar-2021", "12 m", "1_indomethacin", "2 = maybe", "1e3", "0.5", "123_yes", "1_1"] {
            assert_ne!(yes_no(x), Cell::Value(true), "{x}");
            assert_ne!(yes_no(x), Cell::Value(false), "{x}");
        }
    }

    #[test]
    fn short_decimals_equal_the_general_parser() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let digits = (state % 15 + 1) as usize;
            let m = state >> 8;
            let mut s = format!("{}", m % 10u64.pow(digits as u32));
            let point = (state >> 4) as usize % (s.len() + 1);
            if state & 1 == 0 {
                s.insert(point, '.');
            }
            if state & 2 == 0 {
                s.insert(0, '-');
            }
            assert_eq!(short_decimal(s.as_bytes()), s.parse::<f64>().ok(), "{s}");
        }
        for s in ["0", "-0", "7.", ".5", "0.1", "45382", "123456789012345", "0.30000000000000004", "1e3", "", "-", "."]
        {
            let want = s.parse::<f64>().ok();
            if let Some(v) = short_decimal(s.as_bytes()) {
                assert_eq!(Some(v), want, "{s}");
                assert_eq!(v.is_sign_negative(), want.is_some_and(f64::is_sign_negative), "{s}");
            }
        }
    }

    #[test]
    fn numbers_reject_junk() {
        assert_eq!(number(" 7.5 "), Cell::Value(7.5));
        assert_eq!(number("7,5a"), Cell::Invalid);
        assert_eq!(number("7,5"), Cell::Invalid);
        assert_eq!(number("inf"), Cell::Invalid);
        assert_eq!(number("NaN"), Cell::Missing);
        // A minus sign copied from a document (U+2212) or typed full-width (U+FF0D) is a minus.
        assert_eq!(number("\u{2212}2.6"), Cell::Value(-2.6));
        assert_eq!(number("\u{ff0d}1.5"), Cell::Value(-1.5));
        assert_eq!(number("\u{2212}99"), Cell::Missing);
        for junk in ["\u{2212}", "\u{2212}-1", "\u{2212}+1", "\u{2212}x", "2\u{2212}1"] {
            assert_eq!(number(junk), Cell::Invalid, "{junk:?}");
        }
    }

    #[test]
    fn missing_codes_include_minus_99_and_the_mappings_own() {
        for m in ["", " ", "NA", "n/a", ".", "-", "-99", "-999", "-99.0", "Missing", "UNKNOWN", "未知"] {
            assert_eq!(number(m), Cell::Missing, "{m:?}");
        }
        assert_eq!(number("-9"), Cell::Value(-9.0));
        assert_eq!(number("888"), Cell::Value(888.0));
        let own = Codes { missing: vec!["888".into(), "not done".into()], ..Codes::default() };
        assert_eq!(own.number("888"), Cell::Missing);
        assert_eq!(own.yes_no("Not Done"), Cell::Missing);
        assert_eq!(number("UNK"), Cell::Invalid);
        assert_eq!(Codes { redcap: true, ..Codes::default() }.number("UNK"), Cell::Missing);
    }

    #[test]
    fn decimal_comma_and_thousands_follow_the_dialect() {
        let eu = Codes { decimal_comma: true, thousands: Some('.'), ..Codes::default() };
        assert_eq!(eu.number("7,5"), Cell::Value(7.5));
        assert_eq!(eu.number("-2,5"), Cell::Value(-2.5));
        assert_eq!(eu.number("1.234,5"), Cell::Value(1234.5));
        assert_eq!(eu.number("1.234.567"), Cell::Value(1_234_567.0));
        assert_eq!(eu.number("7.5"), Cell::Invalid);
        assert_eq!(eu.number("12.34"), Cell::Invalid);
        assert_eq!(eu.number("-99"), Cell::Missing);
        let comma_only = Codes { decimal_comma: true, ..Codes::default() };
        assert_eq!(comma_only.number("7,25"), Cell::Value(7.25));
        assert_eq!(comma_only.number("7.25"), Cell::Value(7.25));
        assert_eq!(comma_only.number("\u{2212}2,5"), Cell::Value(-2.5));
        let us = Codes { thousands: Some(','), ..Codes::default() };
        assert_eq!(us.number("1,234.5"), Cell::Value(1234.5));
        assert_eq!(us.number("7.5"), Cell::Value(7.5));
        assert_eq!(us.number("1,23"), Cell::Invalid);
        assert_eq!(us.number(",123"), Cell::Invalid);
        let swiss = Codes { thousands: Some('\''), ..Codes::default() };
        assert_eq!(swiss.number("12'345.5"), Cell::Value(12345.5));
    }

    #[test]
    fn redcap_checkbox_headers_name_field_and_choice() {
        assert_eq!(redcap_checkbox("complication___1"), Some(("complication", "1")));
        assert_eq!(
            redcap_checkbox("Complications (choice=Vertebral fracture)"),
            Some(("Complications", "Vertebral fracture"))
        );
        assert_eq!(redcap_checkbox("VAS baseline"), None);
        assert_eq!(redcap_checkbox("___1"), None);
        assert!(is_redcap_bookkeeping("redcap_event_name"));
        assert!(is_redcap_bookkeeping("baseline_complete"));
        assert!(!is_redcap_bookkeeping("vas_baseline"));
    }
}
