//! The pipeline: table + mapping → typed columns → strata → statistics → report.
//!
//! Architecture invariant: this is the only place that turns named columns into the plain
//! slices `stats` works on; every row read ends up included or excluded with a reason, and every
//! included row's value of every outcome is used or missing with a reason (the report's `flow`).

use crate::diagnostic::{Diagnostic, Severity};
use crate::error::{Error, ErrorKind, Position, Result};
use crate::ingest::Table;
use crate::mapping::{self, Better, Followup, KmCi, Mapping};
use crate::report::{
    self, BinaryReport, CategoryCount, ChangeTests, Comparison, CovariateReport, Estimable, EventReport, EventTests,
    Excluded, Flow, FlowOutcome, FlowReason, FlowStratum, FlowTime, Interval, Normality, OutcomeNote, OutcomeTests,
    PairedReport, ProportionTests, Report, ResponderReport, Software, StratumReport, SurvivalAt, TimeToEvent,
};
use crate::stats::{self, compare, describe, normality, survival};
use crate::strata::{self, each, Row, Stratum, MAX_LISTED};
use crate::values::{self, Cell, Codes, DateOrder, DateRead};
use crate::Analysis;
use std::collections::HashMap;

const LEVEL: f64 = 0.95;

/// Why a cell (or a row's outcome) has no usable value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum St {
    Ok = 0,
    Missing,
    NotNumber,
    NotYesNo,
    NotDate,
    OutOfRange,
    EndsBeforeStart,
    NoEventDate,
    EventBeforeStart,
}

impl St {
    const COUNT: usize = 9;

    fn text(self) -> &'static str {
        match self {
            St::Ok => "used",
            St::Missing => "missing",
            St::NotNumber => "not a number",
            St::NotYesNo => "not yes or no",
            St::NotDate => "not a date",
            St::OutOfRange => "out of range",
            St::EndsBeforeStart => "ends before it starts",
            St::NoEventDate => "event without a date",
            St::EventBeforeStart => "event before follow-up start",
        }
    }
}

/// Per row: 0 when the outcome's value is used, else 1 + the index of its reason.
type Why = u16;

/// Why an outcome's values are not used, row by row, and the reasons (each about a column).
struct Usable {
    why: Vec<Why>,
    reasons: Vec<(St, String)>,
    /// Reason index of each (column slot, status), filled as met.
    ids: Vec<[Why; St::COUNT]>,
}

impl Usable {
    fn new(nrows: usize) -> Self {
        Usable { why: vec![0; nrows], reasons: Vec::new(), ids: Vec::new() }
    }
    /// Marks row `r` unusable for status `st` of the column in slot `slot` named `column`.
    fn set(&mut self, r: usize, slot: usize, st: St, column: &str) {
        if self.ids.len() <= slot {
            self.ids.resize(slot + 1, [0; St::COUNT]);
        }
        let id = &mut self.ids[slot][st as usize];
        if *id == 0 {
            self.reasons.push((st, column.to_string()));
            *id = self.reasons.len() as Why;
        }
        self.why[r] = *id;
    }
    fn ok(&self, r: usize) -> bool {
        self.why[r] == 0
    }
    /// Used count and the others by reason, within `rows`; with their row numbers if `list`.
    fn count(&self, rows: &[Row], table: &Table, list: bool) -> (usize, Vec<FlowReason>) {
        let mut n = vec![0usize; self.reasons.len() + 1];
        let mut listed: Vec<Vec<usize>> = vec![Vec::new(); if list { self.reasons.len() + 1 } else { 0 }];
        for r in each(rows) {
            let w = self.why[r] as usize;
            n[w] += 1;
            if list && w > 0 {
                listed[w].push(table.row_number(r));
            }
        }
        let missing = self
            .reasons
            .iter()
            .enumerate()
            .filter(|(i, _)| n[i + 1] > 0)
            .map(|(i, (st, column))| FlowReason {
                reason: st.text().into(),
                column: Some(column.clone()),
                n: n[i + 1],
                rows: if list { std::mem::take(&mut listed[i + 1]) } else { Vec::new() },
            })
            .collect();
        (n[0], missing)
    }
}

/// A numeric column read for every table row: the value where `st` is `Ok`.
struct NumCol {
    v: Vec<f64>,
    st: Vec<St>,
}

/// A date column read for every table row, as days since 1970-01-01.
struct DateCol {
    name: String,
    days: Vec<i32>,
    st: Vec<St>,
}

/// A column's numbers, one per table row: four bytes each where every one of them is exactly an
/// `f32` (scores, ages, whole numbers: a million rows in 4 MB), else eight. Read back exactly.
enum Values {
    Narrow(Vec<f32>),
    Wide(Vec<f64>),
}

impl Values {
    fn new(v: Vec<f64>) -> Self {
        if v.iter().all(|&x| x.is_nan() || f64::from(x as f32) == x) {
            Values::Narrow(v.iter().map(|&x| x as f32).collect())
        } else {
            Values::Wide(v)
        }
    }
    #[inline]
    fn get(&self, r: usize) -> f64 {
        match self {
            Values::Narrow(v) => f64::from(v[r]),
            Values::Wide(v) => v[r],
        }
    }
}

/// One paired outcome's values for every table row.
struct PairedData {
    name: String,
    before: Values,
    after: Values,
    usable: Usable,
    better: Better,
    threshold: f64,
    /// The threshold is a tenth of the scale's top or of the range of values seen (no MCID known).
    relative: bool,
}

impl PairedData {
    /// Complete pairs within `rows`.
    fn pairs(&self, rows: &[Row]) -> (Vec<f64>, Vec<f64>) {
        let (mut b, mut a) = (Vec::with_capacity(rows.len()), Vec::with_capacity(rows.len()));
        for r in each(rows) {
            if self.usable.ok(r) {
                b.push(self.before.get(r));
                a.push(self.after.get(r));
            }
        }
        (b, a)
    }
    /// after − before of the complete pairs within `rows`.
    fn change(&self, rows: &[Row]) -> Vec<f64> {
        each(rows).filter(|&r| self.usable.ok(r)).map(|r| self.after.get(r) - self.before.get(r)).collect()
    }
}

/// One yes/no outcome for every table row.
struct BinaryData {
    name: String,
    yes: Vec<bool>,
    usable: Usable,
}

impl BinaryData {
    /// (yes, known) within `rows`.
    fn counts(&self, rows: &[Row]) -> (usize, usize) {
        let (mut k, mut n) = (0, 0);
        for r in each(rows) {
            if self.usable.ok(r) {
                n += 1;
                k += usize::from(self.yes[r]);
            }
        }
        (k, n)
    }
}

/// One event's flags for every table row, and the times of the rows with both known.
struct EventData {
    flag: BinaryData,
    /// Why the time at risk is unknown (rows with a known flag).
    timed: Usable,
    /// The rows with flag and time known, by ascending time (tied times in no set order):
    /// sorted once, so that each stratum's times reach Kaplan–Meier and the log-rank test
    /// already in order; with their times and flags in the same order, read in sequence rather
    /// than row by row.
    by_time: Vec<Row>,
    sorted_times: Vec<f64>,
    sorted_events: Vec<bool>,
}

impl EventData {
    /// Times and event flags of the rows of `mask` with both known, in time order.
    fn time_event_by_time(&self, mask: Bits) -> (Vec<f64>, Vec<bool>) {
        let within = |r: usize| mask.has(r);
        let (mut t, mut ev) = (Vec::new(), Vec::new());
        for ((&r, &time), &event) in self.by_time.iter().zip(&self.sorted_times).zip(&self.sorted_events) {
            if within(r as usize) {
                t.push(time);
                ev.push(event);
            }
        }
        (t, ev)
    }
}

impl EventData {
    fn new(flag: BinaryData, times: Vec<f64>, timed: Usable, rows: &[Row]) -> Self {
        // Sorting (time, row) pairs in place is much faster than sorting rows through `times`.
        // By time only: Kaplan–Meier and the log-rank test count events per time, so the order
        // of tied times is of no matter, and a sort that gathers ties is quick where many times
        // are tied (follow-up in whole days).
        // Where the times take few values (whole days), counting orders them faster still.
        let known: Vec<Row> =
            rows.iter().copied().filter(|&r| flag.usable.ok(r as usize) && timed.ok(r as usize)).collect();
        let keys: Vec<f64> = known.iter().map(|&r| times[r as usize]).collect();
        // Each intermediate goes as soon as it has served (a million rows: the peak of the
        // whole analysis is here).
        let (by_time, sorted_times): (Vec<Row>, Vec<f64>) = match stats::order_by_count(&keys) {
            Some(order) => {
                drop(keys);
                let by_time: Vec<Row> = order.iter().map(|&i| known[i as usize]).collect();
                drop((order, known));
                let sorted_times = by_time.iter().map(|&r| times[r as usize]).collect();
                (by_time, sorted_times)
            }
            None => {
                let mut pairs: Vec<(f64, Row)> = keys.into_iter().zip(known).collect();
                pairs.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
                pairs.into_iter().map(|(t, r)| (r, t)).unzip()
            }
        };
        let sorted_events = by_time.iter().map(|&r| flag.yes[r as usize]).collect();
        EventData { flag, timed, by_time, sorted_times, sorted_events }
    }
}

/// Which table rows each stratum holds: a bit per table row (a stratum of a million rows in
/// 125 kB, so that the rows looked up in time order mostly find it in cache).
struct Masks<'a> {
    strata: &'a [Stratum],
    masks: Vec<Vec<u64>>,
}

/// The rows of one stratum, a bit per table row.
#[derive(Clone, Copy)]
struct Bits<'a>(&'a [u64]);

impl Bits<'_> {
    /// Whether table row `r` is in the stratum.
    #[inline]
    fn has(self, r: usize) -> bool {
        self.0.get(r / 64).is_some_and(|w| w >> (r % 64) & 1 == 1)
    }
}

impl<'a> Masks<'a> {
    fn new(strata: &'a [Stratum], nrows: usize, needed: bool) -> Self {
        let masks = if needed {
            strata
                .iter()
                .map(|s| {
                    let mut m = vec![0u64; nrows.div_ceil(64)];
                    for r in each(&s.rows) {
                        m[r / 64] |= 1 << (r % 64);
                    }
                    m
                })
                .collect()
        } else {
            Vec::new()
        };
        Masks { strata, masks }
    }
    fn of(&self, s: &Stratum) -> Bits<'_> {
        let i = self.strata.iter().position(|x| std::ptr::eq(x, s));
        Bits(i.and_then(|i| self.masks.get(i)).map_or(&[], Vec::as_slice))
    }
}

/// Follow-up months for every table row.
struct FollowupData {
    months: Vec<f64>,
    usable: Usable,
    /// The start-date column, when follow-up is given by dates.
    start: Option<String>,
}

/// A covariate's values for every table row.
enum CovariateData {
    /// NaN where unknown.
    Numeric(Values),
    /// Level index per row (`u32::MAX` where unknown), and the levels as written.
    Categorical(Vec<u32>, Vec<String>),
}

/// Analysis settings taken from the mapping.
struct Settings {
    times: Vec<f64>,
    km_ci: survival::CiTransform,
}

/// A cell problem's kind: a value that is not a number.
const NOT_A_NUMBER: (&str, &str) = ("with a value that is not a number, counted as missing", "的值不是数字，按缺失计");

/// Collects per-cell problems, listing the first few of each kind per column and counting the rest.
///
/// Each part of the reading collects its own; [`CellProblems::merge`] then puts the parts'
/// diagnostics together as if one collector had seen them all in order.
struct CellProblems {
    /// The diagnostics in order; a cell problem's carries its kind's index in `counts` and its
    /// number among that kind (from 1).
    diags: Vec<(Option<(usize, usize)>, Diagnostic)>,
    /// Column, kind (in English and Chinese, as "N more rows …" says it) and count.
    counts: Vec<(String, (&'static str, &'static str), usize)>,
}

impl CellProblems {
    fn new() -> Self {
        Self { diags: Vec::new(), counts: Vec::new() }
    }
    /// A problem in one cell; `message` is only built for the first few of a kind.
    fn push(
        &mut self,
        row: usize,
        column: &str,
        what: (&'static str, &'static str),
        message: impl FnOnce() -> (String, String),
    ) {
        let i = match self.counts.iter().position(|(c, w, _)| c == column && *w == what) {
            Some(i) => i,
            None => {
                self.counts.push((column.to_string(), what, 0));
                self.counts.len() - 1
            }
        };
        self.counts[i].2 += 1;
        let k = self.counts[i].2;
        if k <= MAX_LISTED {
            let (en, zh) = message();
            self.diags.push((Some((i, k)), Diagnostic::new(Severity::Warning, Position::cell(row, column), en, zh)));
        }
    }
    fn info(&mut self, position: Position, message: String, zh: String) {
        self.diags.push((None, Diagnostic::new(Severity::Info, position, message, zh)));
    }
    fn warn(&mut self, position: Position, message: String, zh: String) {
        self.diags.push((None, Diagnostic::new(Severity::Warning, position, message, zh)));
    }
    /// Appends to `diags` what one collector would have given had it seen `parts`' problems
    /// one part after another: the first few cell problems of each kind per column over all the
    /// parts, the other diagnostics in order, then "N more rows …" for each kind, in the order
    /// the kinds first came up.
    fn merge(parts: impl IntoIterator<Item = CellProblems>, diags: &mut Vec<Diagnostic>) {
        let mut counts: Vec<(String, (&'static str, &'static str), usize)> = Vec::new();
        for part in parts {
            // Each of the part's kinds: its index in `counts` and how many came before this part.
            let index: Vec<(usize, usize)> = part
                .counts
                .iter()
                .map(|(column, what, _)| match counts.iter().position(|(c, w, _)| c == column && w == what) {
                    Some(i) => (i, counts[i].2),
                    None => {
                        counts.push((column.clone(), *what, 0));
                        (counts.len() - 1, 0)
                    }
                })
                .collect();
            for (cell, d) in part.diags {
                match cell {
                    Some((i, k)) if index.get(i).is_some_and(|&(_, before)| before + k > MAX_LISTED) => {}
                    _ => diags.push(d),
                }
            }
            for (&(i, _), (_, _, n)) in index.iter().zip(&part.counts) {
                counts[i].2 += n;
            }
        }
        for (column, (what, what_zh), n) in counts {
            if n > MAX_LISTED {
                diags.push(Diagnostic::new(
                    Severity::Warning,
                    Position::column(column),
                    format!("{} more rows {what} (only the first {MAX_LISTED} are listed)", n - MAX_LISTED),
                    format!("另有 {} 行{what_zh}（只列出前 {MAX_LISTED} 行）", n - MAX_LISTED),
                ));
            }
        }
    }
}

fn col(table: &Table, name: &str) -> Result<usize> {
    table.column_index(name).ok_or_else(|| {
        Error::mapping(
            format!("the mapping names a column that is not in the file (columns: {})", table.headers().join(", ")),
            Position::column(name),
        )
        .with_zh(format!("映射中的这一列不在文件中（文件的列：{}）", table.headers().join("、")))
    })
}

fn numbers(table: &Table, codes: &Codes, name: &str, rows: &[Row], p: &mut CellProblems) -> Result<NumCol> {
    numbers_with(table, name, rows, p, |text| (codes.number(text), ()), |_, _, ()| {})
}

/// [`numbers`] read by `read`, which also gives something of each text that `seen` is told of
/// (with the row and its text) for each row whose value is read.
fn numbers_with<'t, T>(
    table: &'t Table,
    name: &str,
    rows: &[Row],
    p: &mut CellProblems,
    read: impl Fn(&str) -> (Cell<f64>, T),
    mut seen: impl FnMut(usize, &'t str, &T),
) -> Result<NumCol> {
    let c = col(table, name)?;
    let mut out = NumCol { v: vec![f64::NAN; table.nrows()], st: vec![St::Missing; table.nrows()] };
    table.each_cell(c, each(rows), read, |r, text, (cell, extra)| match *cell {
        Cell::Value(v) => {
            out.v[r] = v;
            out.st[r] = St::Ok;
            seen(r, text, extra);
        }
        Cell::Missing => {}
        Cell::Invalid => {
            out.st[r] = St::NotNumber;
            p.push(table.row_number(r), name, NOT_A_NUMBER, || {
                (
                    format!("expected a number, found \"{text}\"; counted as missing"),
                    format!("应为数字，实为“{text}”；按缺失计"),
                )
            });
        }
    });
    Ok(out)
}

/// Marks values outside `lo..=hi` as out of range, each with a warning; `scaled`: the values were
/// divided by 10 (millimetres).
#[allow(clippy::too_many_arguments)]
fn limit(
    n: &mut NumCol,
    (lo, hi): (f64, f64),
    scaled: bool,
    table: &Table,
    name: &str,
    rows: &[Row],
    p: &mut CellProblems,
    what: (&str, &str),
) {
    let c = table.column_index(name);
    for r in each(rows) {
        if n.st[r] == St::Ok && !(lo..=hi).contains(&n.v[r]) {
            n.st[r] = St::OutOfRange;
            let v = n.v[r];
            let text = c.map_or("", |c| table.cell(r, c));
            p.push(
                table.row_number(r),
                name,
                ("outside the possible range, left out", "超出可能范围，已剔除"),
                || {
                    let mm = if scaled { format!(" mm ({v} on 0–10)") } else { String::new() };
                    let mm_zh = if scaled { format!(" 毫米（0–10 刻度为 {v}）") } else { String::new() };
                    let range = if hi.is_infinite() { format!("the range ≥ {lo}") } else { format!("{lo}–{hi}") };
                    let range_zh =
                        if hi.is_infinite() { format!("≥ {lo} 的范围") } else { format!("{lo}–{hi}") };
                    (
                        format!("{text}{mm} is outside {range}; left out of {}", what.0),
                        format!("{text}{mm_zh} 超出 {range_zh}；不计入{}", what.1),
                    )
                },
            );
        }
    }
}

/// A yes/no outcome: its column's yes/no codes, the codes one of which means yes, or its numbers
/// against a cut-off.
fn binary_data(
    table: &Table,
    codes: &Codes,
    b: &mapping::Binary,
    rows: &[Row],
    p: &mut CellProblems,
) -> Result<BinaryData> {
    let Some(cutoff) = b.cutoff() else {
        return yes_no(table, codes, &b.name, &b.column, b.event_value.as_deref(), true, rows, p);
    };
    let n = numbers(table, codes, &b.column, rows, p)?;
    let mut out =
        BinaryData { name: b.name.clone(), yes: vec![false; table.nrows()], usable: Usable::new(table.nrows()) };
    for r in each(rows) {
        if n.st[r] == St::Ok {
            out.yes[r] = cutoff.yes(n.v[r]);
        } else {
            out.usable.set(r, 0, n.st[r], &b.column);
        }
    }
    Ok(out)
}

/// A yes/no column read as yes/no codes although a good share of it holds numbers that are no
/// such code — other codes (1/2, where 2 means yes) or a scale (0–3): reading on would make
/// "1" a yes and lose every other number, a wrong figure with only per-row warnings. An error
/// naming the column, what it holds and what to write.
#[allow(clippy::too_many_arguments)]
fn codes_check(
    table: &Table,
    codes: &Codes,
    name: &str,
    column: &str,
    c: usize,
    rows: &[Row],
    bad: &[usize],
    coded: usize,
    cutoffs_allowed: bool,
) -> Result<()> {
    let numeric_bad = bad.iter().filter(|&&r| matches!(codes.number(table.cell(r, c)), Cell::Value(_))).count();
    // A stray typing error among yes/no codes stays a warning on its row.
    if numeric_bad == 0 || numeric_bad * 20 < coded + bad.len() {
        return Ok(());
    }
    let mut numbers: Vec<(f64, &str)> = Vec::new();
    let (mut numeric, mut other) = (0usize, 0usize);
    for r in each(rows) {
        let text = table.cell(r, c);
        if codes.is_missing(text) {
            continue;
        }
        match codes.number(text) {
            Cell::Value(x) => {
                numeric += 1;
                if numbers.len() < 64 && !numbers.iter().any(|(y, _)| *y == x) {
                    numbers.push((x, text.trim()));
                }
            }
            _ => other += 1,
        }
    }
    // A column of words with some numbers among them is messy, not coded otherwise: warnings.
    if numeric * 10 < (numeric + other) * 9 {
        return Ok(());
    }
    let other = other > 0;
    numbers.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Codes are whole numbers in a run from 0 or 1 (1/2, 0–3, 1–5); other numbers among yes/no
    // codes are typing errors, each warned about on its row.
    let codes_run = numbers.len() <= 11
        && numbers.iter().enumerate().all(|(i, (x, _))| *x == numbers[0].0 + i as f64)
        && matches!(numbers.first(), Some((x, _)) if *x == 0.0 || *x == 1.0)
        && numbers.last().is_some_and(|(x, _)| *x >= 2.0);
    if !codes_run {
        return Ok(());
    }
    let shown: Vec<&str> = numbers.iter().take(8).map(|(_, t)| *t).collect();
    let more = if numbers.len() > 8 { ", …" } else { "" };
    let values = format!("{}{more}", shown.join(", "));
    let values_zh = format!("{}{more}", shown.join("、"));
    let top = numbers.last().map_or("2", |(_, t)| t);
    let mid = numbers.get(numbers.len() / 2).map_or("1", |(_, t)| t);
    let scale = numbers.len() > 2 && !other;
    let (en, zh) = match (scale, cutoffs_allowed) {
        (true, true) => (
            format!(
                "holds a scale of numbers ({values}), not yes/no codes: read as yes/no, \"1\" would be yes and every \
                 other number lost. Define yes by a cut-off in the mapping, e.g. {{\"name\": \"{name}\", \"column\": \
                 \"{column}\", \"at_least\": {mid}}} (also \"above\", \"below\", \"at_most\"), or name the value \
                 that means yes with \"event_value\" (numbers that mean missing go in \"missing\")"
            ),
            format!(
                "取值是一组数字（{values_zh}），不是“是/否”编码：按是/否读取时“1”会被当作“是”，其余数字全部丢失。请在映射中\
                 用切点定义“是”，如 {{\"name\": \"{name}\", \"column\": \"{column}\", \"at_least\": {mid}}}\
                 （也可用 \"above\"、\"below\"、\"at_most\"），或用 \"event_value\" 指定表示“是”的值\
                 （表示缺失的数字请列入 \"missing\"）"
            ),
        ),
        _ => (
            format!(
                "holds the numbers {values}, not yes/no codes: read as yes/no, \"1\" would be yes and every other \
                 number lost. Say which value means yes in the mapping, e.g. \"event_value\": \"{top}\"{}",
                if cutoffs_allowed { ", or define yes by a cut-off (\"at_least\": …)" } else { "" }
            ) + " (numbers that mean missing go in \"missing\")",
            format!(
                "取值为数字 {values_zh}，不是“是/否”编码：按是/否读取时“1”会被当作“是”，其余数字全部丢失。请在映射中指定\
                 表示“是”的值，如 \"event_value\": \"{top}\"{}",
                if cutoffs_allowed { "，或用切点定义“是”（\"at_least\": …）" } else { "" }
            ) + "（表示缺失的数字请列入 \"missing\"）",
        ),
    };
    Err(Error::mapping(format!("\"{name}\" is read as yes or no, but its column {en}"), Position::column(column))
        .with_zh(format!("“{name}”按是/否读取，但该列{zh}")))
}

#[allow(clippy::too_many_arguments)]
fn yes_no(
    table: &Table,
    codes: &Codes,
    name: &str,
    column: &str,
    event_value: Option<&str>,
    cutoffs_allowed: bool,
    rows: &[Row],
    p: &mut CellProblems,
) -> Result<BinaryData> {
    let c = col(table, column)?;
    let mut out =
        BinaryData { name: name.to_string(), yes: vec![false; table.nrows()], usable: Usable::new(table.nrows()) };
    // Cells that are no yes/no code, and (the first few of) their texts: the column may be written
    // in two words of its own ("Improved" / "Not improved").
    let (mut bad, mut texts): (Vec<usize>, Vec<&str>) = (Vec::new(), Vec::new());
    let mut coded = 0usize;
    table.each_cell(
        c,
        each(rows),
        |text| codes.event(text, event_value),
        |r, text, cell| match *cell {
            Cell::Value(v) => {
                out.yes[r] = v;
                coded += 1;
            }
            Cell::Missing => out.usable.set(r, 0, St::Missing, column),
            Cell::Invalid => {
                bad.push(r);
                if texts.len() <= WORDS_MAX && !texts.contains(&text) {
                    texts.push(text);
                }
            }
        },
    );
    // Only where no cell holds a yes/no code (a column of both is not in words of its own).
    let own_words = event_value.is_none() && coded == 0 && texts.len() <= WORDS_MAX;
    let pair = own_words.then(|| values::negation_pair(&texts)).flatten();
    if let Some((yes, no)) = pair {
        let yes_texts: Vec<&str> = texts.iter().copied().filter(|t| values::word_key(t) == yes).collect();
        let as_written = |key: &str| texts.iter().copied().find(|t| values::word_key(t) == key).unwrap_or_default();
        for &r in &bad {
            out.yes[r] = yes_texts.contains(&table.cell(r, c));
        }
        let (y, n) = (as_written(&yes), as_written(&no));
        p.info(
            Position::column(column.to_string()),
            format!("\"{y}\" read as yes and \"{n}\" as no"),
            format!("“{y}”按“是”、“{n}”按“否”读取"),
        );
        return Ok(out);
    }
    if event_value.is_none() {
        codes_check(table, codes, name, column, c, rows, &bad, coded, cutoffs_allowed)?;
    }
    for r in bad {
        out.usable.set(r, 0, St::NotYesNo, column);
        let what = ("with a value that is not yes or no, counted as missing", "的值不是“是”或“否”，按缺失计");
        p.push(table.row_number(r), column, what, || {
            let text = table.cell(r, c);
            (
                format!("expected yes or no, found \"{text}\"; counted as missing"),
                format!("应为“是”或“否”，实为“{text}”；按缺失计"),
            )
        });
    }
    Ok(out)
}

/// Spellings of a yes/no column's own two words looked at (more: the column is not two words).
const WORDS_MAX: usize = 16;

/// Reads the date columns of the mapping, deciding the day–month order of dates such as
/// `03/04/2021` from the data (a first field above 12 means day first, a second above 12
/// month first) unless the mapping's `date_format` says it.
fn read_dates(
    table: &Table,
    codes: &Codes,
    names: &[&str],
    rows: &[Row],
    order: Option<DateOrder>,
    p: &mut CellProblems,
) -> Result<Vec<DateCol>> {
    struct Votes {
        dmy: usize,
        mdy: usize,
        ambiguous: usize,
        dmy_example: Option<usize>,
        mdy_example: Option<usize>,
        /// Rows read either way: (row, day-first reading, month-first reading), i32::MIN for none.
        either: Vec<(usize, i32, i32)>,
        serials: usize,
        serial_example: Option<(usize, i64)>,
    }
    let mut cols = Vec::new();
    let mut votes = Vec::new();
    for &name in names {
        let c = col(table, name)?;
        let mut d =
            DateCol { name: name.to_string(), days: vec![0; table.nrows()], st: vec![St::Missing; table.nrows()] };
        let mut v = Votes {
            dmy: 0,
            mdy: 0,
            ambiguous: 0,
            dmy_example: None,
            mdy_example: None,
            either: Vec::new(),
            serials: 0,
            serial_example: None,
        };
        // A date written as a plain number is an Excel day number (not `20240331`).
        let serial = |text: &str| {
            text.as_bytes().first().is_some_and(u8::is_ascii_digit)
                && text.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
                && text.len() != 8
        };
        table.each_cell(
            c,
            each(rows),
            |text| (days_in_i32(codes.read_date(text)), serial(text)),
            |r, text, (read, serial)| match *read {
                DateRead::Days(days) => {
                    d.days[r] = days as i32;
                    d.st[r] = St::Ok;
                    if *serial {
                        v.serials += 1;
                        v.serial_example.get_or_insert((r, days));
                    }
                }
                DateRead::Either { dmy, mdy } => {
                    d.st[r] = St::Ok;
                    match (dmy, mdy) {
                        (Some(a), Some(b)) if a == b => {
                            d.days[r] = a as i32;
                            return;
                        }
                        (Some(_), Some(_)) => v.ambiguous += 1,
                        (Some(_), None) => {
                            v.dmy += 1;
                            v.dmy_example.get_or_insert(r);
                        }
                        (None, Some(_)) => {
                            v.mdy += 1;
                            v.mdy_example.get_or_insert(r);
                        }
                        (None, None) => {}
                    }
                    let days = |d: Option<i64>| d.map_or(i32::MIN, |d| d as i32);
                    v.either.push((r, days(dmy), days(mdy)));
                }
                DateRead::Missing => {}
                DateRead::Invalid(problem) => {
                    d.st[r] = St::NotDate;
                    let what = ("with a value that is not a date, counted as missing", "的值不是日期，按缺失计");
                    p.push(table.row_number(r), name, what, || {
                        (
                            format!("\"{text}\" is not a date ({}); counted as missing", problem.message()),
                            format!("“{text}”不是日期（{}）；按缺失计", problem.message_zh()),
                        )
                    });
                }
            },
        );
        cols.push((c, d));
        votes.push(v);
    }
    let (all_dmy, all_mdy) = (votes.iter().map(|v| v.dmy).sum::<usize>(), votes.iter().map(|v| v.mdy).sum::<usize>());
    let example = |c: usize, r: usize| format!("\"{}\" in row {}", table.cell(r, c), table.row_number(r));
    let example_zh = |c: usize, r: usize| format!("第 {} 行的“{}”", table.row_number(r), table.cell(r, c));
    for ((c, d), v) in cols.iter_mut().zip(&votes) {
        let name = d.name.clone();
        if let Some((r, days)) = v.serial_example {
            p.info(
                Position::column(name.clone()),
                format!(
                    "{} dates are Excel day numbers (1900 date system), e.g. {} is {}",
                    v.serials,
                    example(*c, r),
                    values::iso(days)
                ),
                format!(
                    "{} 个日期是 Excel 日序号（1900 日期系统），如{}即 {}",
                    v.serials,
                    example_zh(*c, r),
                    values::iso(days)
                ),
            );
        }
        if v.either.is_empty() {
            continue;
        }
        let chosen = match order {
            Some(o) => o,
            None if v.dmy > 0 && v.mdy > 0 => {
                let o = if v.mdy > v.dmy { DateOrder::Mdy } else { DateOrder::Dmy };
                p.warn(
                    Position::column(name.clone()),
                    format!(
                        "dates are written both day first ({}) and month first ({}); read as {}, and the others are \
                         left out: say \"date_format\" in the mapping",
                        example(*c, v.dmy_example.unwrap_or_default()),
                        example(*c, v.mdy_example.unwrap_or_default()),
                        o.describe()
                    ),
                    format!(
                        "日期既有日在前的（{}），也有月在前的（{}）；已按{}读取，其余剔除：请在映射中指定“date_format”",
                        example_zh(*c, v.dmy_example.unwrap_or_default()),
                        example_zh(*c, v.mdy_example.unwrap_or_default()),
                        o.describe_zh()
                    ),
                );
                o
            }
            None if v.dmy > 0 || v.mdy > 0 => {
                let (o, r) = if v.dmy > 0 { (DateOrder::Dmy, v.dmy_example) } else { (DateOrder::Mdy, v.mdy_example) };
                let which = if v.dmy > 0 { "first" } else { "second" };
                p.info(
                    Position::column(name.clone()),
                    format!(
                        "dates read as {} ({} has a {which} number above 12)",
                        o.describe(),
                        example(*c, r.unwrap_or_default())
                    ),
                    format!(
                        "日期按{}读取（{}的{}个数字大于 12）",
                        o.describe_zh(),
                        example_zh(*c, r.unwrap_or_default()),
                        if which == "first" { "第一" } else { "第二" }
                    ),
                );
                o
            }
            None if all_dmy > 0 && all_mdy == 0 => {
                p.info(
                    Position::column(name.clone()),
                    "dates read as day/month/year, as in the other date columns".into(),
                    "日期按日/月/年读取，与其他日期列一致".into(),
                );
                DateOrder::Dmy
            }
            None if all_mdy > 0 && all_dmy == 0 => {
                p.info(
                    Position::column(name.clone()),
                    "dates read as month/day/year, as in the other date columns".into(),
                    "日期按月/日/年读取，与其他日期列一致".into(),
                );
                DateOrder::Mdy
            }
            None => {
                p.warn(
                    Position::column(name.clone()),
                    format!(
                        "every date such as {} could be day/month/year or month/day/year; read as day/month/year — \
                         say \"date_format\": \"MDY\" in the mapping if the month comes first",
                        example(*c, v.either[0].0)
                    ),
                    format!(
                        "像{}这样的日期都既可能是日/月/年也可能是月/日/年；已按日/月/年读取——如月份在前，请在映射中指定 \
                         \"date_format\": \"MDY\"",
                        example_zh(*c, v.either[0].0)
                    ),
                );
                DateOrder::Dmy
            }
        };
        for &(r, dmy, mdy) in &v.either {
            let days = match chosen {
                DateOrder::Dmy => dmy,
                DateOrder::Mdy => mdy,
                DateOrder::Ymd => i32::MIN,
            };
            if days == i32::MIN {
                d.st[r] = St::NotDate;
                let text = table.cell(r, *c);
                p.push(
                    table.row_number(r),
                    &name,
                    (
                        "with a date that does not fit the date order, counted as missing",
                        "的日期与日期顺序不符，按缺失计",
                    ),
                    || {
                        (
                            format!("\"{text}\" is not a date in {} order; counted as missing", chosen.describe()),
                            format!("“{text}”不是{}顺序的日期；按缺失计", chosen.describe_zh()),
                        )
                    },
                );
            } else {
                d.days[r] = days;
            }
        }
    }
    Ok(cols.into_iter().map(|(_, d)| d).collect())
}

/// A date as read, its days within `i32` (every day of years 1–9999 is; a reading beyond is
/// no calendar day), so that the date columns take 4 bytes a row.
fn days_in_i32(read: DateRead) -> DateRead {
    let fits = |d: &i64| i32::try_from(*d).is_ok();
    match read {
        DateRead::Days(d) if !fits(&d) => DateRead::Invalid(values::DateProblem::NoSuchDay),
        DateRead::Either { dmy, mdy } => DateRead::Either { dmy: dmy.filter(fits), mdy: mdy.filter(fits) },
        other => other,
    }
}

/// Rows included in the analysis, and the excluded ones with reasons.
fn include_rows(table: &Table, mapping: &Mapping, codes: &Codes) -> Result<(Vec<Row>, Vec<Excluded>)> {
    let cols: Vec<usize> = mapping.columns().into_iter().map(|c| col(table, c)).collect::<Result<_>>()?;
    let find = |name: &str| table.headers().iter().position(|h| h.eq_ignore_ascii_case(name));
    let (repeat, event) = match &mapping.redcap {
        Some(rc) => {
            let event = match &rc.event {
                Some(e) => {
                    let c = find("redcap_event_name").or_else(|| find("Event Name")).ok_or_else(|| {
                        Error::mapping(
                            "\"redcap\" names an event, but the file has no \"redcap_event_name\" column",
                            Position::none(),
                        )
                        .with_zh("“redcap”指定了事件，但文件中没有“redcap_event_name”列")
                    })?;
                    if !(0..table.nrows()).any(|r| table.cell(r, c) == e.as_str()) {
                        let mut seen: Vec<&str> = Vec::new();
                        for v in table.column(c) {
                            if !v.is_empty() && !seen.contains(&v) && seen.len() < 12 {
                                seen.push(v);
                            }
                        }
                        return Err(Error::mapping(
                            format!("no row has the REDCap event \"{e}\" (events: {})", seen.join(", ")),
                            Position::column(table.headers()[c].clone()),
                        )
                        .with_zh(format!("没有一行属于 REDCap 事件“{e}”（已有事件：{}）", seen.join("、"))));
                    }
                    Some((c, e.as_str()))
                }
                None => None,
            };
            (find("redcap_repeat_instrument").or_else(|| find("Repeat Instrument")), event)
        }
        None => (None, None),
    };
    // The rows with no value in any mapped column (ascending), column by column: each column
    // looks only at the rows without a value so far, the columns of few distinct texts first.
    let mut by_cost = cols.clone();
    by_cost.sort_by_key(|&c| !table.is_coded(c));
    let mut valueless: Option<Vec<usize>> = None;
    for &c in &by_cost {
        let mut still = Vec::new();
        let keep = |r: usize, _: &str, &missing: &bool| {
            if missing {
                still.push(r);
            }
        };
        let is_missing = |text: &str| codes.is_missing(text);
        match &valueless {
            None => table.each_cell(c, 0..table.nrows(), is_missing, keep),
            Some(rows) => table.each_cell(c, rows.iter().copied(), is_missing, keep),
        }
        valueless = Some(still);
    }
    let mut valueless = valueless.unwrap_or_default().into_iter().peekable();
    let mut included = Vec::with_capacity(table.nrows());
    let mut excluded = Vec::new();
    for r in 0..table.nrows() {
        let no_value = valueless.next_if_eq(&r).is_some();
        let reason = if table.row_is_blank(r) {
            "empty row".to_string()
        } else if let Some(inst) = repeat.map(|c| table.cell(r, c)).filter(|s| !s.is_empty()) {
            format!("a row of the REDCap repeating instrument \"{inst}\"")
        } else if let Some((_, e)) = event.filter(|(c, e)| table.cell(r, *c) != *e) {
            format!("a REDCap event other than \"{e}\"")
        } else if no_value {
            "no value in any mapped column".to_string()
        } else {
            included.push(r as Row);
            continue;
        };
        excluded.push(Excluded { row: table.row_number(r), reason });
    }
    Ok((included, excluded))
}

/// Reads a paired outcome: both columns, a pain score's scale (0–10, or 0–100 mm put on 0–10),
/// and values out of range.
fn paired_data(
    table: &Table,
    codes: &Codes,
    pmap: &mapping::Paired,
    rows: &[Row],
    p: &mut CellProblems,
) -> Result<PairedData> {
    let pain = [&pmap.name, &pmap.before, &pmap.after].iter().any(|n| mapping::is_pain_scale(n));
    let (mut b, b_forms) = scores(table, codes, &pmap.before, pmap.scale, rows, p)?;
    let (mut a, a_forms) = scores(table, codes, &pmap.after, pmap.scale, rows, p)?;
    score_forms(table, codes, pmap, rows, [(&mut b, b_forms), (&mut a, a_forms)], p);
    let (what_en, what_zh) = (format!("\"{}\"", pmap.name), format!("“{}”", pmap.name));
    let what = (what_en.as_str(), what_zh.as_str());
    let range = match pmap.scale {
        Some(s) if pain && s == 100.0 => {
            for col in [&mut b, &mut a] {
                for r in each(rows) {
                    col.v[r] /= 10.0;
                }
            }
            limit(&mut b, (0.0, 10.0), true, table, &pmap.before, rows, p, what);
            limit(&mut a, (0.0, 10.0), true, table, &pmap.after, rows, p, what);
            None
        }
        Some(s) => Some((s, false)),
        None if pain => {
            let (mut n, mut big, mut example) = (0usize, 0usize, None);
            for (col, name) in [(&b, &pmap.before), (&a, &pmap.after)] {
                for r in each(rows) {
                    if col.st[r] == St::Ok {
                        n += 1;
                        if col.v[r] > 10.0 && col.v[r] <= 100.0 {
                            big += 1;
                            example.get_or_insert((r, name, col.v[r]));
                        }
                    }
                }
            }
            // A few values above 10 on a 0–10 scale are typing errors; many are millimetres.
            let scaled = example.is_some() && big * 10 >= n;
            if let Some((r, name, v)) = example.filter(|_| scaled) {
                for col in [&mut b, &mut a] {
                    for row in each(rows) {
                        col.v[row] /= 10.0;
                    }
                }
                p.info(
                    Position::column(pmap.name.clone()),
                    format!(
                        "{big} of {n} values are above 10 (e.g. {} in row {}, column \"{name}\"), so the scale is read \
                         as 0–100 mm and divided by 10; say \"scale\": 10 for this outcome in the mapping if it is 0–10",
                        v,
                        table.row_number(r)
                    ),
                    format!(
                        "{n} 个值中有 {big} 个大于 10（如第 {} 行“{name}”列的 {}），因此按 0–100 毫米刻度读取并除以 10；\
                         如该结局为 0–10 刻度，请在映射中指定 \"scale\": 10",
                        table.row_number(r),
                        v
                    ),
                );
            }
            Some((10.0, scaled))
        }
        None => None,
    };
    if let Some((top, scaled)) = range {
        limit(&mut b, (0.0, top), scaled, table, &pmap.before, rows, p, what);
        limit(&mut a, (0.0, top), scaled, table, &pmap.after, rows, p, what);
    }
    let mut usable = Usable::new(table.nrows());
    for r in each(rows) {
        if b.st[r] != St::Ok {
            usable.set(r, 0, b.st[r], &pmap.before);
        } else if a.st[r] != St::Ok {
            usable.set(r, 1, a.st[r], &pmap.after);
        }
    }
    let (threshold, relative) = responder_threshold(pmap, &b, &a, &usable, rows);
    Ok(PairedData {
        name: pmap.name.clone(),
        before: Values::new(b.v),
        after: Values::new(a.v),
        usable,
        better: pmap.better,
        threshold,
        relative,
    })
}

/// Points of improvement that make a responder ([`crate::scales::responder_rule`]): the mapping's
/// threshold, the MCID of a scale known by name, or a tenth of the scale's top or of the range
/// of the values of the complete pairs.
fn responder_threshold(pmap: &mapping::Paired, b: &NumCol, a: &NumCol, usable: &Usable, rows: &[Row]) -> (f64, bool) {
    let mut seen: Option<(f64, f64)> = None;
    for r in each(rows).filter(|&r| usable.ok(r)) {
        for x in [b.v[r], a.v[r]] {
            let (lo, hi) = seen.get_or_insert((x, x));
            *lo = lo.min(x);
            *hi = hi.max(x);
        }
    }
    let rule = crate::scales::responder_rule(pmap, seen);
    let relative = matches!(rule, crate::scales::Rule::OfScale(_) | crate::scales::Rule::OfRange(..));
    (rule.points(), relative)
}

/// How a score column's cells that are no plain number were written ([`Codes::score`]): of each
/// form, how many rows and the first (row, text); and each maximum of the `7/10` ones with its
/// first row and text.
#[derive(Default)]
struct ScoreForms<'t> {
    out_of: (usize, Option<(usize, &'t str)>),
    range: (usize, Option<(usize, &'t str)>),
    maxima: Vec<(f64, usize, &'t str)>,
}

/// A paired outcome's column of scores, read by [`Codes::score`] (`7/10` as 7, `7-8` as 7.5),
/// and how its cells were written.
fn scores<'t>(
    table: &'t Table,
    codes: &Codes,
    name: &str,
    top: Option<f64>,
    rows: &[Row],
    p: &mut CellProblems,
) -> Result<(NumCol, ScoreForms<'t>)> {
    let mut f = ScoreForms::default();
    let n = numbers_with(
        table,
        name,
        rows,
        p,
        |text| codes.score(text, top),
        |r, text, form| match *form {
            Some(values::ScoreForm::OutOf(max)) => {
                f.out_of.0 += 1;
                f.out_of.1.get_or_insert((r, text));
                if !f.maxima.iter().any(|m| m.0 == max) {
                    f.maxima.push((max, r, text));
                }
            }
            Some(values::ScoreForm::Range) => {
                f.range.0 += 1;
                f.range.1.get_or_insert((r, text));
            }
            None => {}
        },
    )?;
    Ok((n, f))
}

/// Says, per column, how many scores were read from `7/10` and `7-8`, with an example. Scores out
/// of different maxima in one outcome (`7/10` and `70/100`) are not on one scale: none of those
/// cells is read (each is then not a number), with a warning.
fn score_forms(
    table: &Table,
    codes: &Codes,
    pmap: &mapping::Paired,
    rows: &[Row],
    cols: [(&mut NumCol, ScoreForms<'_>); 2],
    p: &mut CellProblems,
) {
    let names = [&pmap.before, &pmap.after];
    let mut maxima: Vec<(f64, usize, &str, &String)> = Vec::new();
    for ((_, f), name) in cols.iter().zip(names) {
        for &(max, r, text) in &f.maxima {
            if !maxima.iter().any(|m| m.0 == max) {
                maxima.push((max, r, text, name));
            }
        }
    }
    let mixed = maxima.len() > 1;
    if mixed {
        let examples: Vec<String> = maxima
            .iter()
            .map(|(_, r, t, c)| format!("\"{t}\" in row {}, column \"{c}\"", table.row_number(*r)))
            .collect();
        let examples_zh: Vec<String> =
            maxima.iter().map(|(_, r, t, c)| format!("第 {} 行“{c}”列的“{t}”", table.row_number(*r))).collect();
        let count: usize = cols.iter().map(|(_, f)| f.out_of.0).sum();
        p.warn(
            Position::column(pmap.name.clone()),
            format!(
                "{count} values are scores out of different maxima ({}), not one scale: none of them is read, each \
                 counted as missing; write the scores as numbers on one scale",
                examples.join("; ")
            ),
            format!(
                "{count} 个值是不同满分下的得分（{}），不在同一刻度上：均不读取，按缺失计；请把得分写成同一刻度上的数字",
                examples_zh.join("；")
            ),
        );
    }
    for ((col, f), name) in cols.into_iter().zip(names) {
        if mixed && f.out_of.0 > 0 {
            if let Some(c) = table.column_index(name) {
                table.each_cell(
                    c,
                    each(rows),
                    |text| codes.score(text, pmap.scale).1,
                    |r, _, form| {
                        if matches!(form, Some(values::ScoreForm::OutOf(_))) {
                            col.v[r] = f64::NAN;
                            col.st[r] = St::NotNumber;
                        }
                    },
                );
            }
        } else if let (n, Some((r, text))) = f.out_of {
            p.info(
                Position::column(name.to_string()),
                format!(
                    "{n} values are written as a score out of its maximum (e.g. \"{text}\" in row {}), read as the score",
                    table.row_number(r)
                ),
                format!("{n} 个值写作“得分/满分”（如第 {} 行的“{text}”），按得分读取", table.row_number(r)),
            );
        }
        if let (n, Some((r, text))) = f.range {
            p.info(
                Position::column(name.to_string()),
                format!(
                    "{n} values are written as a range (e.g. \"{text}\" in row {}), read as its midpoint",
                    table.row_number(r)
                ),
                format!("{n} 个值写作范围（如第 {} 行的“{text}”），按其中点读取", table.row_number(r)),
            );
        }
    }
}

/// Follow-up months of every row, from a months column or from start and end dates.
fn followup_data(
    table: &Table,
    codes: &Codes,
    followup: &Followup,
    dates: &HashMap<String, DateCol>,
    rows: &[Row],
    p: &mut CellProblems,
) -> Result<FollowupData> {
    let mut usable = Usable::new(table.nrows());
    match followup {
        Followup::Months { .. } | Followup::Days { .. } | Followup::Weeks { .. } | Followup::Years { .. } => {
            let (months, per_unit) = followup.length().expect("a length column");
            // Numbers in the column's unit, or with their own ("6 mo", "2 years"): in months.
            let mut own_unit: (usize, Option<(usize, &str)>) = (0, None);
            let mut m = numbers_with(
                table,
                months,
                rows,
                p,
                |text| codes.months(text, per_unit),
                |r, text, own| {
                    if *own {
                        own_unit.0 += 1;
                        own_unit.1.get_or_insert((r, text));
                    }
                },
            )?;
            if let (n, Some((r, text))) = own_unit {
                p.info(
                    Position::column(months.to_string()),
                    format!(
                        "{n} follow-up values give their own unit (e.g. \"{text}\" in row {}), read in it",
                        table.row_number(r)
                    ),
                    format!("{n} 个随访值自带单位（如第 {} 行的“{text}”），按其单位读取", table.row_number(r)),
                );
            }
            for r in each(rows) {
                if m.st[r] == St::Ok && m.v[r] < 0.0 {
                    m.st[r] = St::OutOfRange;
                    p.push(
                        table.row_number(r),
                        months,
                        ("with negative follow-up, counted as missing", "随访时间为负，按缺失计"),
                        || ("the follow-up is negative; counted as missing".into(), "随访时长为负；按缺失计".into()),
                    );
                }
                if m.st[r] != St::Ok {
                    usable.set(r, 0, m.st[r], months);
                }
            }
            if per_unit != 1.0 {
                let (unit, unit_zh, factor) = match followup {
                    Followup::Days { .. } => ("days", "天", "12 / 365.25"),
                    Followup::Weeks { .. } => ("weeks", "周", "7 × 12 / 365.25"),
                    _ => ("years", "年", "12"),
                };
                p.info(
                    Position::column(months.to_string()),
                    format!("follow-up in {unit}, given in months (× {factor})"),
                    format!("随访时长以{unit_zh}计，换算为月（× {factor}）"),
                );
            }
            Ok(FollowupData { months: m.v, usable, start: None })
        }
        Followup::Dates { start, end } => {
            let (s, e) = (&dates[start.as_str()], &dates[end.as_str()]);
            let mut months = vec![f64::NAN; table.nrows()];
            for r in each(rows) {
                if s.st[r] != St::Ok {
                    usable.set(r, 0, s.st[r], start);
                } else if e.st[r] != St::Ok {
                    usable.set(r, 1, e.st[r], end);
                } else if e.days[r] < s.days[r] {
                    usable.set(r, 1, St::EndsBeforeStart, end);
                    let what = ("ending before they start, follow-up counted as missing", "结束早于开始，随访按缺失计");
                    p.push(table.row_number(r), end, what, || {
                        (
                            format!("ends before it starts (\"{start}\"); follow-up counted as missing"),
                            format!("结束早于开始（“{start}”）；随访按缺失计"),
                        )
                    });
                } else {
                    months[r] = values::months_between(s.days[r].into(), e.days[r].into());
                }
            }
            Ok(FollowupData { months, usable, start: Some(start.clone()) })
        }
    }
}

/// An event's flags and its time at risk: the event's own time column, its date (from the
/// follow-up start), or the follow-up.
fn event_data(
    table: &Table,
    codes: &Codes,
    emap: &mapping::Event,
    fu: Option<&FollowupData>,
    dates: &HashMap<String, DateCol>,
    rows: &[Row],
    p: &mut CellProblems,
) -> Result<EventData> {
    let flag = yes_no(table, codes, &emap.name, &emap.column, emap.event_value.as_deref(), false, rows, p)?;
    let mut timed = Usable::new(table.nrows());
    let known = || each(rows).filter(|&r| flag.usable.ok(r));
    if let Some(t) = &emap.time {
        let mut m = numbers(table, codes, t, rows, p)?;
        let (to_en, to_zh) = (format!("the time to \"{}\"", emap.name), format!("到“{}”的时间", emap.name));
        limit(&mut m, (0.0, f64::INFINITY), false, table, t, rows, p, (&to_en, &to_zh));
        for r in known() {
            if m.st[r] != St::Ok {
                timed.set(r, 0, m.st[r], t);
            }
        }
        return Ok(EventData::new(flag, m.v, timed, rows));
    }
    let Some(fu) = fu else {
        return Err(Error::mapping(
            format!("event \"{}\" has no \"time\" or \"date\", and there is no \"followup\"", emap.name),
            Position::column(emap.column.clone()),
        )
        .with_zh(format!("事件“{}”没有“time”或“date”，映射中也没有随访（followup）", emap.name)));
    };
    // Reasons of the follow-up carry over, naming the follow-up's columns.
    let carry = |timed: &mut Usable, r: usize| {
        let (st, column) = &fu.usable.reasons[fu.usable.why[r] as usize - 1];
        timed.set(r, 10 + fu.usable.why[r] as usize, *st, column);
    };
    let Some(dcol) = &emap.date else {
        for r in known() {
            if !fu.usable.ok(r) {
                carry(&mut timed, r);
            }
        }
        return Ok(EventData::new(flag, fu.months.clone(), timed, rows));
    };
    let d = &dates[dcol.as_str()];
    let start = fu.start.as_ref().map(|s| &dates[s.as_str()]).ok_or_else(|| {
        Error::mapping("an event date needs follow-up start and end dates", Position::column(dcol.clone()))
            .with_zh("事件日期需要随访的起止日期")
    })?;
    let mut times = fu.months.clone();
    for r in known() {
        if !flag.yes[r] {
            if !fu.usable.ok(r) {
                carry(&mut timed, r);
            }
            continue;
        }
        if start.st[r] != St::Ok {
            timed.set(r, 1, start.st[r], &start.name);
        } else if d.st[r] == St::Missing {
            timed.set(r, 0, St::NoEventDate, dcol);
            let what = ("with an event without a date, time counted as missing", "有事件但无日期，时间按缺失计");
            p.push(table.row_number(r), dcol, what, || {
                ("an event without a date; time counted as missing".into(), "有事件但无日期；时间按缺失计".into())
            });
        } else if d.st[r] != St::Ok {
            timed.set(r, 0, d.st[r], dcol);
        } else if d.days[r] < start.days[r] {
            timed.set(r, 0, St::EventBeforeStart, dcol);
            let what =
                ("with an event before follow-up start, time counted as missing", "事件早于随访开始，时间按缺失计");
            p.push(table.row_number(r), dcol, what, || {
                (
                    "the event date is before the follow-up start; time counted as missing".into(),
                    "事件日期早于随访开始；时间按缺失计".into(),
                )
            });
        } else {
            times[r] = values::months_between(start.days[r].into(), d.days[r].into());
        }
    }
    Ok(EventData::new(flag, times, timed, rows))
}

/// A covariate: numeric when at least 90% of its known values are numbers, else categorical.
fn covariate_data(
    table: &Table,
    codes: &Codes,
    mapping: &Mapping,
    name: &str,
    rows: &[Row],
    p: &mut CellProblems,
) -> Result<CovariateData> {
    let c = col(table, name)?;
    if mapping.categorical.iter().any(|n| n == name) {
        return Ok(categories(table, codes, mapping, name, c, rows, p));
    }
    let mut v = vec![f64::NAN; table.nrows()];
    let (mut known, mut numeric) = (0usize, 0usize);
    let (mut not_numbers, mut too_many) = (Vec::new(), false);
    table.each_cell(
        c,
        each(rows),
        |text| codes.number(text),
        |r, _, cell| match *cell {
            Cell::Value(x) => {
                v[r] = x;
                known += 1;
                numeric += 1;
            }
            Cell::Missing => {}
            Cell::Invalid => {
                known += 1;
                // More than a tenth of the rows not numbers: it cannot be numeric (and they
                // need not be listed).
                if not_numbers.len() * 10 <= rows.len() {
                    not_numbers.push(r);
                } else {
                    too_many = true;
                }
            }
        },
    );
    if !too_many && known > 0 && numeric * 10 >= known * 9 {
        for r in not_numbers {
            let text = table.cell(r, c);
            p.push(table.row_number(r), name, NOT_A_NUMBER, || {
                (
                    format!("expected a number, found \"{text}\"; counted as missing"),
                    format!("应为数字，实为“{text}”；按缺失计"),
                )
            });
        }
        return Ok(CovariateData::Numeric(Values::new(v)));
    }
    Ok(categories(table, codes, mapping, name, c, rows, p))
}

/// A covariate's categories: spellings of one counted together, in the order of their names (of
/// their numbers when all are numbers), named by the mapping's labels.
fn categories(
    table: &Table,
    codes: &Codes,
    mapping: &Mapping,
    name: &str,
    c: usize,
    rows: &[Row],
    p: &mut CellProblems,
) -> CovariateData {
    let mut level = vec![u32::MAX; table.nrows()];
    let mut levels: Vec<&str> = Vec::new();
    let mut counts: Vec<usize> = Vec::new();
    let mut index: HashMap<&str, u32> = HashMap::new();
    table.each_cell(
        c,
        each(rows),
        |text| codes.is_missing(text),
        |r, text, &missing| {
            if missing {
                return;
            }
            // Few levels: a scan beats hashing.
            let i = match levels.iter().take(16).position(|l| *l == text) {
                Some(i) => i as u32,
                None => *index.entry(text).or_insert_with(|| {
                    levels.push(text);
                    counts.push(0);
                    levels.len() as u32 - 1
                }),
            };
            level[r] = i;
            counts[i as usize] += 1;
        },
    );
    // "M", "m" and "Male" are one category (said in a note), named as most cells write it.
    let (group, names) = values::same_category(&levels, &counts, values::is_sex_header(name));
    if names.len() < levels.len() {
        for l in level.iter_mut().filter(|l| **l != u32::MAX) {
            *l = group[*l as usize] as u32;
        }
        let (en, zh) = values::same_category_words(&levels, &group, &names);
        p.info(
            Position::column(name.to_string()),
            format!("spellings of one value counted together: {en}"),
            format!("同一取值的不同写法已合并计数：{zh}"),
        );
    }
    let numbers: Option<Vec<f64>> = names
        .iter()
        .map(|n| match codes.number(n) {
            Cell::Value(x) => Some(x),
            _ => None,
        })
        .collect();
    let mut order: Vec<usize> = (0..names.len()).collect();
    match &numbers {
        Some(x) => order.sort_by(|&a, &b| x[a].total_cmp(&x[b])),
        None => order.sort_by(|&a, &b| names[a].cmp(&names[b])),
    }
    let mut new_index = vec![0u32; names.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new as u32;
    }
    for l in level.iter_mut().filter(|l| **l != u32::MAX) {
        *l = new_index[*l as usize];
    }
    let labels = mapping.labels.get(name);
    if let Some(l) = labels {
        let values: Vec<&str> = names.iter().map(String::as_str).collect();
        let unmatched = mapping::unmatched_labels(l, &values, codes);
        if !unmatched.is_empty() {
            let d = mapping::unmatched_labels_warning(name, &unmatched);
            p.warn(d.position, d.message, d.message_zh);
        }
    }
    let names = order
        .iter()
        .map(|&i| {
            let n = &names[i];
            labels.and_then(|l| mapping::label(l, n, codes)).map_or_else(|| n.clone(), str::to_string)
        })
        .collect();
    CovariateData::Categorical(level, names)
}

/// Runs the analysis of `table` under `mapping`.
pub fn run(table: &Table, mapping: &Mapping, mut diags: Vec<Diagnostic>) -> Result<Analysis> {
    mapping.validate()?;
    for name in mapping.categorical.iter().chain(mapping.labels.keys()) {
        col(table, name)?;
        // Categories and their names are shown for strata and covariates only.
        let strata = matches!(&mapping.strata, Some(mapping::Strata::Column(c)) if c == name);
        if !strata && !mapping.covariates.contains(name) {
            diags.push(Diagnostic::new(
                Severity::Warning,
                Position::column(name.clone()),
                "\"categorical\" or \"labels\" name this column, but it is neither the strata column nor a covariate: \
                 nothing is shown of it",
                "“categorical”或“labels”指定了该列，但它既不是分层列也不是协变量：不会显示",
            ));
        }
    }
    if table.nrows() == 0 {
        return Err(Error::new(ErrorKind::NoData("the file has a header but no data rows".into()), Position::none())
            .with_zh("文件只有标题行，没有数据行"));
    }
    let d = table.dialect();
    let codes = Codes {
        decimal_comma: d.decimal_comma && !d.typed,
        thousands: if d.typed { None } else { d.thousands },
        missing: mapping.missing.clone(),
        redcap: mapping.redcap.is_some(),
    };
    let (included, excluded) = include_rows(table, mapping, &codes)?;
    // Overall holds the included rows (one list, not a copy: a million rows are 8 MB).
    let overall = strata::overall(included);
    let included = overall.rows.as_slice();
    if included.is_empty() {
        return Err(Error::new(
            ErrorKind::NoData(format!("none of the {} rows has a value in the mapped columns", table.nrows())),
            Position::none(),
        )
        .with_zh(format!("{} 行中没有一行在映射的列中有值", table.nrows())));
    }
    // The strata, the paired and yes/no columns and the covariates on one side; the dates, the
    // follow-up and the events (which need the dates) on the other: side by side where there are
    // threads. Each part collects its own diagnostics, put together below in the order one
    // reading after another would give; of the parts' errors, the first in that order is returned.
    let strata_paired_binary = || -> Result<_> {
        let mut strata_diags = Vec::new();
        let (strata, unassigned) = strata::assign(table, mapping, &codes, included, &mut strata_diags)?;
        let mut problems = CellProblems::new();
        let paired: Vec<PairedData> = mapping
            .paired
            .iter()
            .map(|pmap| paired_data(table, &codes, pmap, included, &mut problems))
            .collect::<Result<_>>()?;
        let binary: Vec<BinaryData> = mapping
            .binary
            .iter()
            .map(|b| binary_data(table, &codes, b, included, &mut problems))
            .collect::<Result<_>>()?;
        Ok((strata, unassigned, strata_diags, paired, binary, problems))
    };
    let covariates = || -> Result<_> {
        let mut problems = CellProblems::new();
        let covariates: Vec<(String, CovariateData)> = mapping
            .covariates
            .iter()
            .map(|name| Ok((name.clone(), covariate_data(table, &codes, mapping, name, included, &mut problems)?)))
            .collect::<Result<_>>()?;
        Ok((covariates, problems))
    };
    let timed = || -> Result<_> {
        let mut problems = CellProblems::new();
        let mut date_names: Vec<&str> = Vec::new();
        if let Some(Followup::Dates { start, end }) = &mapping.followup {
            date_names.extend([start.as_str(), end.as_str()]);
        }
        for e in &mapping.events {
            date_names.extend(e.date.as_deref());
        }
        let mut unique: Vec<&str> = Vec::new();
        for n in date_names {
            if !unique.contains(&n) {
                unique.push(n);
            }
        }
        let dates: HashMap<String, DateCol> =
            read_dates(table, &codes, &unique, included, mapping.date_format, &mut problems)?
                .into_iter()
                .map(|d| (d.name.clone(), d))
                .collect();
        let fu = match &mapping.followup {
            Some(f) => Some(followup_data(table, &codes, f, &dates, included, &mut problems)?),
            None => None,
        };
        let events: Vec<EventData> = mapping
            .events
            .iter()
            .map(|emap| event_data(table, &codes, emap, fu.as_ref(), &dates, included, &mut problems))
            .collect::<Result<_>>()?;
        // The dates are in the follow-up and event times now.
        drop(dates);
        Ok((fu, events, problems))
    };
    let ((first, last), timed) = side_by_side(|| (strata_paired_binary(), covariates()), timed);
    let (levels_and_groups, unassigned, strata_diags, paired, binary, first_problems) = first?;
    let mut strata = vec![overall];
    strata.extend(levels_and_groups);
    let included = strata[0].rows.as_slice();
    let (fu, events, timed_problems) = timed?;
    let (covariates, last_problems) = last?;
    diags.extend(strata_diags);
    CellProblems::merge([first_problems, timed_problems, last_problems], &mut diags);
    let settings = Settings {
        times: mapping.survival_times.clone().unwrap_or_else(|| vec![12.0, 24.0]),
        km_ci: match mapping.km_ci {
            Some(KmCi::LogLog) => survival::CiTransform::LogLog,
            _ => survival::CiTransform::Log,
        },
    };

    let tscore_column = match &mapping.strata {
        Some(mapping::Strata::Tscore(c)) => Some(col(table, c)?),
        _ => None,
    };
    let tscore_histogram = |c: usize| {
        let (lo, hi) = strata::TSCORE_RANGE;
        let mut t = Vec::with_capacity(included.len());
        table.each_cell(
            c,
            each(included),
            |text| codes.number(text),
            |_, _, cell| match *cell {
                Cell::Value(v) if (lo..=hi).contains(&v) => t.push(v),
                _ => {}
            },
        );
        describe::tscore_histogram(&t)
    };
    let masks = Masks::new(&strata, table.nrows(), !events.is_empty());
    let stratum_report = |s: &Stratum| StratumReport {
        name: s.name.clone(),
        kind: s.kind.as_str().into(),
        members: s.members.clone(),
        n: s.rows.len(),
        paired: paired.iter().map(|p| (p.name.clone(), paired_report(p, &s.rows))).collect(),
        binary: binary.iter().map(|b| (b.name.clone(), binary_report(b, &s.rows))).collect(),
        events: events.iter().map(|e| (e.flag.name.clone(), event_report(e, s, &masks, &settings))).collect(),
        followup_months: fu.as_ref().map(|f| {
            let mut v: Vec<f64> = each(&s.rows).filter(|&r| f.usable.ok(r)).map(|r| f.months[r]).collect();
            let m = stats::Moments::of(&v);
            stats::summary_in_place(&mut v, &m)
        }),
        covariates: covariates.iter().map(|(n, c)| (n.clone(), covariate_report(c, &s.rows))).collect(),
    };
    let comparisons_and_flow = || {
        let mut comparisons = Vec::new();
        for [a, b] in &mapping.compare {
            let find =
                |name: &str| strata.iter().find(|s| s.name == name).expect("compare names are checked in strata");
            comparisons.push(compare_pair(find(a), find(b), &paired, &binary, &events, &masks));
        }
        let levels: Vec<&Stratum> =
            strata.iter().filter(|s| s.kind == strata::Kind::Level && s.name != strata::UNKNOWN).collect();
        if levels.len() >= 2 {
            comparisons.push(compare_levels(&levels, &paired, &binary, &events, &covariates, &masks));
        }
        let flow =
            flow(table, mapping, included, &excluded, &strata, &unassigned, &paired, &binary, &events, fu.as_ref());
        (comparisons, flow, tscore_column.and_then(tscore_histogram))
    };
    // The strata's reports and the comparisons are independent tasks, shared out between two
    // threads where there are threads: the comparisons first, then the strata, largest first
    // (so that the last tasks taken are the shortest).
    enum Part {
        Stratum(StratumReport),
        Rest(Vec<Comparison>, Flow, Option<describe::Histogram>),
    }
    let mut by_size: Vec<usize> = (0..strata.len()).collect();
    by_size.sort_by_key(|&i| std::cmp::Reverse(strata[i].rows.len()));
    let mut parts = shared_out(1 + strata.len(), |task| match task {
        0 => {
            let (c, f, h) = comparisons_and_flow();
            Part::Rest(c, f, h)
        }
        _ => Part::Stratum(stratum_report(&strata[by_size[task - 1]])),
    })
    .into_iter();
    let Some(Part::Rest(comparisons, flow, tscore_histogram)) = parts.next() else {
        unreachable!("task 0 is the comparisons")
    };
    let mut report_strata: Vec<Option<StratumReport>> = (0..strata.len()).map(|_| None).collect();
    for (&i, part) in by_size.iter().zip(parts) {
        if let Part::Stratum(r) = part {
            report_strata[i] = Some(r);
        }
    }
    let report_strata: Vec<StratumReport> = report_strata.into_iter().flatten().collect();
    let mut notes = Vec::new();
    for p in &paired {
        notes.extend(against_direction(p, &report_strata[0], included));
    }
    for e in mapping.events.iter().filter(|e| e.time.is_none() && e.date.is_none()) {
        notes.push(OutcomeNote {
            outcome: e.name.clone(),
            message: format!(
                "\"{}\" has no date or time of its own, so each event is timed at the end of the patient's follow-up: \
                 the times to event are the latest possible, and survival before them is overestimated. Give the \
                 event's date (\"date\") or time (\"time\") where the file has it",
                e.name
            ),
            message_zh: format!(
                "“{}”没有事件本身的日期或时间，因此每个事件按该患者随访结束时计时：至事件时间为可能的最晚时间，此前的生存率被高估。\
                 如文件中有事件日期（\"date\"）或时间（\"time\"），请指定",
                e.name
            ),
        });
    }
    for n in &notes {
        diags.push(Diagnostic::new(
            Severity::Warning,
            Position::column(n.outcome.clone()),
            n.message.clone(),
            n.message_zh.clone(),
        ));
    }
    Ok(Analysis {
        report: Report {
            software: Software { name: "cohortcalc".into(), version: env!("CARGO_PKG_VERSION").into() },
            rows_read: table.nrows(),
            rows_included: included.len(),
            excluded,
            strata: report_strata,
            comparisons,
            mapping: mapping.clone(),
            flow,
            tscore_histogram,
            notes,
        },
        diagnostics: diags,
    })
}

/// A paired outcome whose values clearly moved against the stated direction of improvement
/// (most changes, and the mean change significantly, the way that counts as worse): the figures
/// are right, but improvement and responders likely count the wrong way — a note for its table.
fn against_direction(p: &PairedData, overall: &StratumReport, rows: &[Row]) -> Option<OutcomeNote> {
    let r = overall.paired.get(&p.name)?;
    let (mean, t) = (r.difference.mean?, r.t_test.value()?);
    let moved = match p.better {
        Better::Lower => mean > 0.0,
        Better::Higher => mean < 0.0,
    };
    if !moved || t.p >= 0.05 {
        return None;
    }
    let (mut up, mut down, mut n) = (0usize, 0usize, 0usize);
    for r in each(rows).filter(|&r| p.usable.ok(r)) {
        let d = p.after.get(r) - p.before.get(r);
        n += 1;
        up += usize::from(d > 0.0);
        down += usize::from(d < 0.0);
    }
    let (worse, word, word_zh, better, better_zh) = match p.better {
        Better::Lower => (up, "rose", "升高", "lower", "越低越好"),
        Better::Higher => (down, "fell", "降低", "higher", "越高越好"),
    };
    let (other, other_zh) =
        if p.better == Better::Lower { ("higher", "越高越好") } else { ("lower", "越低越好") };
    // Clearly: significant, and two of three patients whose value changed.
    if !(worse * 3 >= (up + down) * 2 && up + down >= 10) {
        return None;
    }
    let m = crate::report::round(mean, 2);
    let m = if mean > 0.0 { format!("+{m}") } else { m };
    let pt = crate::report::format_p(t.p);
    let pt = if pt.starts_with('<') { format!("p {pt}") } else { format!("p = {pt}") };
    Some(OutcomeNote {
        outcome: p.name.clone(),
        message: format!(
            "values {word} in {worse} of {n} patients (mean change {m}, {pt}), yet {better} counts as better \
             (\"better\": \"{better}\"), so improvement and responders are counted the other way. If {other} is better \
             on this scale, write \"better\": \"{other}\" for \"{}\" in the mapping",
            p.name
        ),
        message_zh: format!(
            "{n} 例患者中 {worse} 例数值{word_zh}（平均变化 {m}，{pt}），但映射按{better_zh}计（\"better\": \"{better}\"），\
             因此改善与应答者的计数方向相反。如该量表{other_zh}，请在映射中为“{}”写 \"better\": \"{other}\"",
            p.name
        ),
    })
}

/// `f(0)`, …, `f(n − 1)`, in that order: shared out between this thread and another where there
/// are threads (each takes the next task not yet taken), one after the other elsewhere.
fn shared_out<T: Send>(n: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= n {
                return done;
            }
            done.push((i, f(i)));
        }
    };
    let (mut a, b) = side_by_side(work, work);
    a.extend(b);
    a.sort_by_key(|(i, _)| *i);
    a.into_iter().map(|(_, t)| t).collect()
}

/// `a()` and `b()`, `b` on a thread of its own when the platform has threads and one can be
/// started (else after `a`, on this one).
fn side_by_side<A: Send, B: Send>(a: impl FnOnce() -> A, b: impl Fn() -> B + Sync) -> (A, B) {
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::thread::scope(|scope| {
            let other = std::thread::Builder::new().spawn_scoped(scope, &b).ok();
            let a = a();
            let b = match other.map(|h| h.join()) {
                Some(Ok(b)) => b,
                // The core does not panic; if it did, the panic goes on here as on one thread.
                Some(Err(panic)) => std::panic::resume_unwind(panic),
                None => b(),
            };
            (a, b)
        })
    }
    #[cfg(target_arch = "wasm32")]
    {
        (a(), b())
    }
}

/// Where every row went.
#[allow(clippy::too_many_arguments)]
fn flow(
    table: &Table,
    mapping: &Mapping,
    included: &[Row],
    excluded: &[Excluded],
    strata: &[Stratum],
    unassigned: &[strata::Unassigned],
    paired: &[PairedData],
    binary: &[BinaryData],
    events: &[EventData],
    fu: Option<&FollowupData>,
) -> Flow {
    let mut ex: Vec<FlowReason> = Vec::new();
    for e in excluded {
        match ex.iter_mut().find(|f| f.reason == e.reason) {
            Some(f) => {
                f.n += 1;
                f.rows.push(e.row);
            }
            None => ex.push(FlowReason { reason: e.reason.clone(), column: None, n: 1, rows: vec![e.row] }),
        }
    }
    let strata_column = match &mapping.strata {
        Some(mapping::Strata::Column(c)) | Some(mapping::Strata::Tscore(c)) => Some(c.clone()),
        None => None,
    };
    let unassigned = unassigned
        .iter()
        .map(|u| FlowReason {
            reason: u.reason.into(),
            column: strata_column.clone(),
            n: u.rows.len(),
            rows: u.rows.iter().map(|&r| table.row_number(r)).collect(),
        })
        .collect();
    let strata = strata
        .iter()
        .map(|s| {
            let list = s.kind == strata::Kind::Overall;
            let mut outcomes = Vec::new();
            let mut add = |name: &str, kind: &str, u: &Usable, time: Option<FlowTime>| {
                let (used, missing) = u.count(&s.rows, table, list);
                outcomes.push(FlowOutcome { name: name.into(), kind: kind.into(), used, missing, time });
            };
            for p in paired {
                add(&p.name, "paired", &p.usable, None);
            }
            for b in binary {
                add(&b.name, "binary", &b.usable, None);
            }
            for e in events {
                let known: Vec<Row> = s.rows.iter().copied().filter(|&r| e.flag.usable.ok(r as usize)).collect();
                let (used, missing) = e.timed.count(&known, table, list);
                add(&e.flag.name, "event", &e.flag.usable, Some(FlowTime { used, missing }));
            }
            if let Some(f) = fu {
                add("Follow-up", "followup", &f.usable, None);
            }
            FlowStratum { name: s.name.clone(), n: s.rows.len(), outcomes }
        })
        .collect();
    Flow { rows_read: table.nrows(), rows_included: included.len(), excluded: ex, unassigned, strata }
}

fn percent(iv: Estimable<Interval>) -> Estimable<Interval> {
    match iv {
        Estimable::Value(i) => Estimable::Value(Interval { lower: i.lower * 100.0, upper: i.upper * 100.0 }),
        other => other,
    }
}

fn proportion_percent(k: usize, n: usize) -> Estimable<f64> {
    if n == 0 {
        Estimable::not("no patients with a value")
    } else {
        Estimable::Value(k as f64 / n as f64 * 100.0)
    }
}

fn responder(definition: String, k: usize, n: usize) -> ResponderReport {
    ResponderReport {
        definition,
        n,
        responders: k,
        percent: proportion_percent(k, n),
        wilson_ci95: percent(stats::wilson(k, n, LEVEL)),
        clopper_pearson_ci95: percent(stats::clopper_pearson(k, n, LEVEL)),
    }
}

/// Responders by an absolute improvement of at least `threshold` points, and by ≥ 30% and ≥ 50%
/// improvement from a non-zero baseline.
fn responders(b: &[f64], a: &[f64], better: Better, threshold: f64, relative: bool) -> Vec<ResponderReport> {
    let gain = |x: f64, y: f64| match better {
        Better::Lower => x - y,
        Better::Higher => y - x,
    };
    let (mut k_abs, mut nonzero, mut k30, mut k50) = (0usize, 0usize, 0usize, 0usize);
    for (&x, &y) in b.iter().zip(a) {
        let g = gain(x, y);
        k_abs += usize::from(g >= threshold);
        if x != 0.0 {
            nonzero += 1;
            let share = g / x.abs();
            k30 += usize::from(share >= 0.30 - 1e-12);
            k50 += usize::from(share >= 0.50 - 1e-12);
        }
    }
    vec![
        responder(
            format!(
                "improved by ≥ {} points{}",
                threshold_text(threshold),
                if relative { crate::scales::RELATIVE_RULE } else { "" }
            ),
            k_abs,
            b.len(),
        ),
        responder("improved by ≥ 30%".into(), k30, nonzero),
        responder("improved by ≥ 50%".into(), k50, nonzero),
    ]
}

/// A responder threshold as written in its definition: one decimal (2.0), or as many as it has
/// up to three (3.75, 0.074 — an MCID), so that the definition shown is the one counted.
fn threshold_text(t: f64) -> String {
    (1..=3)
        .map(|d| report::round(t, d))
        .find(|s| s.parse::<f64>().ok() == Some(t))
        .unwrap_or_else(|| report::round(t, 3))
}

fn paired_report(p: &PairedData, rows: &[Row]) -> PairedReport {
    let (mut b, mut a) = p.pairs(rows);
    let mut d: Vec<f64> = a.iter().zip(&b).map(|(y, x)| y - x).collect();
    // Each mean and SD once, for the several figures that share it.
    let [mb, ma, md] = stats::Moments::of_three(&b, &a, &d);
    // What depends on the order of the values first: the summaries then reorder them in place.
    let responders = responders(&b, &a, p.better, p.threshold, p.relative);
    let sample = describe::sample_pairs(&b, &a, describe::SAMPLE_PAIRS);
    let normality =
        Normality { shapiro_wilk: normality::shapiro_wilk(&d), skewness: normality::skewness_with(&d, &md) };
    PairedReport {
        pairs: d.len(),
        missing: rows.len() - d.len(),
        difference_ci95: stats::mean_ci_with(&md, LEVEL),
        t_test: stats::paired_t_with(&md),
        wilcoxon: stats::wilcoxon_signed_rank(&d),
        dz: stats::cohen_dz_with(&md),
        before_ci95: stats::mean_ci_with(&mb, LEVEL),
        after_ci95: stats::mean_ci_with(&ma, LEVEL),
        normality,
        responders,
        sample,
        change_histogram: describe::change_histogram(&d),
        before: stats::summary_in_place(&mut b, &mb),
        after: stats::summary_in_place(&mut a, &ma),
        difference: stats::summary_in_place(&mut d, &md),
    }
}

fn binary_report(b: &BinaryData, rows: &[Row]) -> BinaryReport {
    let (k, n) = b.counts(rows);
    BinaryReport {
        n,
        events: k,
        missing: rows.len() - n,
        percent: proportion_percent(k, n),
        wilson_ci95: percent(stats::wilson(k, n, LEVEL)),
        clopper_pearson_ci95: percent(stats::clopper_pearson(k, n, LEVEL)),
    }
}

fn event_report(e: &EventData, s: &Stratum, masks: &Masks, settings: &Settings) -> EventReport {
    let rows = &s.rows;
    let (k, n) = e.flag.counts(rows);
    // The stratum's rows with a time and a known event, in time order. Kaplan–Meier does not
    // depend on the order of its input, but sorts it: in time order, the sort is a check.
    let (t, ev) = e.time_event_by_time(masks.of(s));
    let km = survival::kaplan_meier(&t, &ev, LEVEL, settings.km_ci);
    let person_years = stats::sum(t.iter().copied()) / 12.0;
    let k_timed = ev.iter().filter(|e| **e).count();
    let (rate, rate_ci) = if person_years > 0.0 {
        (
            Estimable::Value(k_timed as f64 / person_years * 100.0),
            match survival::poisson_rate_ci(k_timed, person_years, LEVEL) {
                Estimable::Value(i) => Estimable::Value(Interval { lower: i.lower * 100.0, upper: i.upper * 100.0 }),
                Estimable::NotEstimable { not_estimable } => Estimable::not(not_estimable),
            },
        )
    } else {
        (Estimable::not("no follow-up time"), Estimable::not("no follow-up time"))
    };
    let survival_at = settings
        .times
        .iter()
        .map(|&time| {
            let at = km.value().and_then(|km| survival::survival_reported_at(km, time));
            SurvivalAt { time, survival: at.map(|a| a.0), ci95: at.and_then(|a| a.1) }
        })
        .collect();
    EventReport {
        n,
        events: k,
        missing: rows.len() - n,
        percent: proportion_percent(k, n),
        clopper_pearson_ci95: percent(stats::clopper_pearson(k, n, LEVEL)),
        rule_of_three_upper: if k == 0 { stats::rule_of_three(n).map(|p| p * 100.0) } else { None },
        person_years,
        with_time: t.len(),
        time_to_event: TimeToEvent {
            kaplan_meier: km,
            survival_at,
            incidence_per_100py: rate,
            incidence_ci95: rate_ci,
        },
    }
}

fn covariate_report(c: &CovariateData, rows: &[Row]) -> CovariateReport {
    match c {
        CovariateData::Numeric(v) => {
            let mut x: Vec<f64> = each(rows).map(|r| v.get(r)).filter(|x| !x.is_nan()).collect();
            let m = stats::Moments::of(&x);
            CovariateReport::Continuous { missing: rows.len() - x.len(), summary: stats::summary_in_place(&mut x, &m) }
        }
        CovariateData::Categorical(level, names) => {
            let mut n = vec![0usize; names.len()];
            for r in each(rows) {
                if let Some(k) = n.get_mut(level[r] as usize) {
                    *k += 1;
                }
            }
            let known: usize = n.iter().sum();
            let levels: Vec<CategoryCount> = names
                .iter()
                .zip(&n)
                .filter(|(_, &k)| k > 0)
                .map(|(l, &k)| CategoryCount { level: l.clone(), n: k, percent: k as f64 / known as f64 * 100.0 })
                .collect();
            CovariateReport::Categorical { levels, missing: rows.len() - known }
        }
    }
}

/// Log-rank test of one event across `groups`, with the times in order (the test does not
/// depend on the order of its input, but sorts it).
fn logrank_of(e: &EventData, groups: &[&Stratum], masks: &Masks) -> Estimable<report::Test> {
    let (mut t, mut ev, mut g) = (Vec::new(), Vec::new(), Vec::new());
    let of: Vec<Bits> = groups.iter().map(|s| masks.of(s)).collect();
    for ((&r, &time), &event) in e.by_time.iter().zip(&e.sorted_times).zip(&e.sorted_events) {
        // A patient in two compared strata (a group and one of its levels) counts in both.
        for (i, m) in of.iter().enumerate() {
            if m.has(r as usize) {
                t.push(time);
                ev.push(event);
                g.push(i as u32);
            }
        }
    }
    survival::logrank(&t, &ev, &g)
}

fn compare_pair(
    a: &Stratum,
    b: &Stratum,
    paired: &[PairedData],
    binary: &[BinaryData],
    events: &[EventData],
    masks: &Masks,
) -> Comparison {
    let mut tests = OutcomeTests::default();
    for p in paired {
        let (ca, cb) = (p.change(&a.rows), p.change(&b.rows));
        tests.paired.insert(
            p.name.clone(),
            ChangeTests {
                welch_t: Some(compare::welch_t(&ca, &cb, LEVEL)),
                mann_whitney: Some(compare::mann_whitney(&ca, &cb)),
                anova: None,
                kruskal_wallis: None,
            },
        );
    }
    for bin in binary {
        let ((ka, na), (kb, nb)) = (bin.counts(&a.rows), bin.counts(&b.rows));
        tests.binary.insert(
            bin.name.clone(),
            ProportionTests {
                fisher_p: Some(compare::fisher_exact(ka, na - ka, kb, nb - kb)),
                risk_difference: Some(compare::newcombe_difference(ka, na, kb, nb, LEVEL)),
                chi_square: None,
            },
        );
    }
    for e in events {
        let ((ka, na), (kb, nb)) = (e.flag.counts(&a.rows), e.flag.counts(&b.rows));
        tests.events.insert(
            e.flag.name.clone(),
            EventTests {
                logrank: logrank_of(e, &[a, b], masks),
                fisher_p: Some(compare::fisher_exact(ka, na - ka, kb, nb - kb)),
            },
        );
    }
    Comparison { strata: vec![a.name.clone(), b.name.clone()], kind: "pair".into(), tests }
}

fn compare_levels(
    levels: &[&Stratum],
    paired: &[PairedData],
    binary: &[BinaryData],
    events: &[EventData],
    covariates: &[(String, CovariateData)],
    masks: &Masks,
) -> Comparison {
    let mut tests = OutcomeTests::default();
    for p in paired {
        let changes: Vec<Vec<f64>> = levels.iter().map(|s| p.change(&s.rows)).collect();
        let slices: Vec<&[f64]> = changes.iter().map(Vec::as_slice).collect();
        tests.paired.insert(
            p.name.clone(),
            ChangeTests {
                welch_t: None,
                mann_whitney: None,
                anova: Some(compare::anova_oneway(&slices)),
                kruskal_wallis: Some(compare::kruskal_wallis(&slices)),
            },
        );
    }
    let yes_no_table = |b: &BinaryData| -> Vec<Vec<usize>> {
        levels
            .iter()
            .map(|s| {
                let (k, n) = b.counts(&s.rows);
                vec![k, n - k]
            })
            .collect()
    };
    for b in binary {
        tests.binary.insert(
            b.name.clone(),
            ProportionTests {
                fisher_p: None,
                risk_difference: None,
                chi_square: Some(compare::chi_square(&yes_no_table(b))),
            },
        );
    }
    for e in events {
        tests.events.insert(e.flag.name.clone(), EventTests { logrank: logrank_of(e, levels, masks), fisher_p: None });
    }
    for (name, c) in covariates {
        let t = match c {
            CovariateData::Numeric(v) => {
                let groups: Vec<Vec<f64>> =
                    levels.iter().map(|s| each(&s.rows).map(|r| v.get(r)).filter(|x| !x.is_nan()).collect()).collect();
                let slices: Vec<&[f64]> = groups.iter().map(Vec::as_slice).collect();
                vec![compare::anova_oneway(&slices), compare::kruskal_wallis(&slices)]
            }
            CovariateData::Categorical(level, names) => {
                // Categories in their order (see `categories`) are the chi-square table's columns.
                let mut table: Vec<Vec<usize>> = levels
                    .iter()
                    .map(|s| {
                        let mut n = vec![0usize; names.len()];
                        for r in each(&s.rows) {
                            if let Some(k) = n.get_mut(level[r] as usize) {
                                *k += 1;
                            }
                        }
                        n
                    })
                    .collect();
                // Categories no level has are no column of the table.
                let used: Vec<bool> = (0..names.len()).map(|j| table.iter().any(|row| row[j] > 0)).collect();
                for row in &mut table {
                    let mut j = 0;
                    row.retain(|_| {
                        j += 1;
                        used[j - 1]
                    });
                }
                vec![compare::chi_square(&table)]
            }
        };
        tests.covariates.insert(name.clone(), t);
    }
    Comparison { strata: levels.iter().map(|s| s.name.clone()).collect(), kind: "across levels".into(), tests }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_kept_in_four_bytes_only_where_exact() {
        let exact = vec![0.0, -0.0, 7.0, 2.5, -1.25, f64::NAN, 16_777_216.0, 1e30_f32 as f64];
        let v = Values::new(exact.clone());
        assert!(matches!(v, Values::Narrow(_)));
        for (i, x) in exact.iter().enumerate() {
            assert_eq!(v.get(i).to_bits(), x.to_bits(), "{x}");
        }
        for inexact in [0.1, 4.7, 16_777_217.0, 1e-320, 1e300] {
            let v = Values::new(vec![1.0, inexact]);
            assert!(matches!(v, Values::Wide(_)), "{inexact}");
            assert_eq!(v.get(1).to_bits(), inexact.to_bits());
        }
    }

    #[test]
    fn dates_beyond_i32_days_are_no_calendar_days() {
        let big = i64::from(i32::MAX) + 1;
        let no_day = DateRead::Invalid(values::DateProblem::NoSuchDay);
        assert_eq!(days_in_i32(DateRead::Days(big)), no_day);
        assert_eq!(days_in_i32(DateRead::Days(-big - 1)), no_day);
        assert_eq!(days_in_i32(DateRead::Days(19_000)), DateRead::Days(19_000));
        assert_eq!(
            days_in_i32(DateRead::Either { dmy: Some(big), mdy: Some(-5) }),
            DateRead::Either { dmy: None, mdy: Some(-5) }
        );
    }

    /// One step of a reading: a cell problem (row, column, kind) or an info note.
    fn apply(p: &mut CellProblems, step: usize) {
        const OTHER: (&str, &str) = ("out of range", "超出范围");
        let column = ["a", "b", "c"][step % 3];
        let what = if step.is_multiple_of(7) { OTHER } else { NOT_A_NUMBER };
        if step.is_multiple_of(11) {
            p.info(Position::column(column), format!("note {step}"), String::new());
        } else {
            p.push(step, column, what, || (format!("cell {step}"), String::new()));
        }
    }

    fn merged(parts: Vec<CellProblems>) -> Vec<Diagnostic> {
        let mut diags = vec![Diagnostic::new(Severity::Info, Position::none(), "first", "")];
        CellProblems::merge(parts, &mut diags);
        diags
    }

    #[test]
    fn parts_merge_as_one_collector_would_see_them() {
        let n = 6 * MAX_LISTED + 40;
        let mut one = CellProblems::new();
        (0..n).for_each(|s| apply(&mut one, s));
        let expected = merged(vec![one]);
        assert!(expected.iter().any(|d| d.message.contains("more rows")));
        for cuts in [[0, 0], [0, n], [3, 7], [MAX_LISTED, 2 * MAX_LISTED + 1], [1, n - 5], [n / 2, n / 2], [n, n]] {
            let mut parts = Vec::new();
            for (from, to) in [(0, cuts[0]), (cuts[0], cuts[1]), (cuts[1], n)] {
                let mut p = CellProblems::new();
                (from..to).for_each(|s| apply(&mut p, s));
                parts.push(p);
            }
            assert_eq!(merged(parts), expected, "cut at {cuts:?}");
        }
    }
}
