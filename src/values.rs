//! Reading one cell's text as a number, a yes/no code or a date.
//!
//! Architecture invariant: pure functions of one cell's text; no positions, no diagnostics —
//! callers say where a value came from.

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

/// Missing-value codes, compared ignoring case.
const MISSING: &[&str] = &["", "na", "n/a", "nan", ".", "-", "missing", "unknown", "not done", "nd"];

/// Whether the text is blank or a missing-value code.
pub fn is_missing(s: &str) -> bool {
    let s = s.trim();
    s.is_empty() || MISSING.iter().any(|m| s.eq_ignore_ascii_case(m))
}

/// A number: plain decimal (`7`, `-2.5`, `6.0`).
pub fn number(s: &str) -> Cell<f64> {
    if is_missing(s) {
        return Cell::Missing;
    }
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() => Cell::Value(v),
        _ => Cell::Invalid,
    }
}

const YES: &[&str] = &["yes", "y", "1", "true", "checked", "是", "有"];
const NO: &[&str] = &["no", "n", "0", "false", "unchecked", "否", "无"];

/// A yes/no code (Yes/No, Y/N, 1/0, TRUE/FALSE, Checked/Unchecked, 是/否; any case).
pub fn yes_no(s: &str) -> Cell<bool> {
    if is_missing(s) {
        return Cell::Missing;
    }
    let s = s.trim();
    if YES.iter().any(|y| s.eq_ignore_ascii_case(y)) {
        Cell::Value(true)
    } else if NO.iter().any(|n| s.eq_ignore_ascii_case(n)) {
        Cell::Value(false)
    } else {
        Cell::Invalid
    }
}

/// A yes/no outcome where `event_value` (if given) means yes and any other value means no.
pub fn event(s: &str, event_value: Option<&str>) -> Cell<bool> {
    match event_value {
        None => yes_no(s),
        Some(_) if is_missing(s) => Cell::Missing,
        Some(v) => Cell::Value(s.trim().eq_ignore_ascii_case(v.trim())),
    }
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

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// A date as days since 1970-01-01: ISO `YYYY-MM-DD` or `YYYY/MM/DD`, optionally followed by a time.
pub fn date(s: &str) -> Cell<i64> {
    if is_missing(s) {
        return Cell::Missing;
    }
    let s = s.trim();
    let day_part = s.split(['T', ' ']).next().unwrap_or(s);
    let parts: Vec<&str> = day_part.split(['-', '/']).collect();
    if parts.len() != 3 || parts[0].len() != 4 {
        return Cell::Invalid;
    }
    let (Ok(y), Ok(m), Ok(d)) = (parts[0].parse::<i64>(), parts[1].parse::<u32>(), parts[2].parse::<u32>()) else {
        return Cell::Invalid;
    };
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return Cell::Invalid;
    }
    Cell::Value(days_from_civil(y, m, d))
}

/// Months between two dates given in days: days × 12 / 365.25.
pub fn months_between(start_days: i64, end_days: i64) -> f64 {
    (end_days - start_days) as f64 * 12.0 / 365.25
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_count_days_like_the_calendar() {
        assert_eq!(date("1970-01-01"), Cell::Value(0));
        assert_eq!(date("2000-03-01"), Cell::Value(11_017));
        assert_eq!(date("2024-02-29"), Cell::Value(19_782));
        assert_eq!(date("2023-02-29"), Cell::Invalid);
        assert_eq!(date(""), Cell::Missing);
    }

    #[test]
    fn yes_no_codes_in_any_case() {
        for y in ["Yes", "Y", "1", "TRUE", "checked", "是"] {
            assert_eq!(yes_no(y), Cell::Value(true), "{y}");
        }
        for n in ["no", "N", "0", "False", "Unchecked", "否"] {
            assert_eq!(yes_no(n), Cell::Value(false), "{n}");
        }
        assert_eq!(yes_no("maybe"), Cell::Invalid);
        assert_eq!(yes_no("NA"), Cell::Missing);
    }

    #[test]
    fn numbers_reject_junk() {
        assert_eq!(number(" 7.5 "), Cell::Value(7.5));
        assert_eq!(number("7,5a"), Cell::Invalid);
        assert_eq!(number("inf"), Cell::Invalid);
    }
}
