//! The pipeline: table + mapping → typed columns → strata → statistics → report.
//!
//! Architecture invariant: this is the only place that turns named columns into the plain
//! slices `stats` works on; every row read ends up included or excluded with a reason.

use crate::error::{Error, ErrorKind, Position, Result};
use crate::ingest::Table;
use crate::mapping::{Followup, Mapping};
use crate::report::{
    BinaryReport, EventReport, Excluded, Interval, PairedReport, Report, Software, StratumReport,
};
use crate::stats;
use crate::strata::{self, Stratum};
use crate::values::{self, Cell};
use crate::{Analysis, Diagnostic, Severity};
use std::collections::BTreeMap;

const LEVEL: f64 = 0.95;

/// Diagnostics of one kind in one column are listed one by one up to this many, then summed up.
const MAX_LISTED: usize = 20;

/// Collects per-cell problems, listing the first few and counting the rest.
struct CellProblems<'a> {
    diags: &'a mut Vec<Diagnostic>,
    counts: BTreeMap<String, (usize, String)>,
}

impl<'a> CellProblems<'a> {
    fn new(diags: &'a mut Vec<Diagnostic>) -> Self {
        Self {
            diags,
            counts: BTreeMap::new(),
        }
    }
    fn push(&mut self, row: usize, column: &str, message: String, what: &str) {
        let e = self
            .counts
            .entry(format!("{column}\u{0}{what}"))
            .or_insert((0, String::new()));
        e.0 += 1;
        e.1 = what.to_string();
        if e.0 <= MAX_LISTED {
            self.diags.push(Diagnostic {
                severity: Severity::Warning,
                position: Position::cell(row, column),
                message,
            });
        }
    }
}

impl Drop for CellProblems<'_> {
    fn drop(&mut self) {
        for (key, (n, what)) in &self.counts {
            if *n > MAX_LISTED {
                let column = key.split('\u{0}').next().unwrap_or_default();
                self.diags.push(Diagnostic {
                    severity: Severity::Warning,
                    position: Position::column(column),
                    message: format!(
                        "{} more rows {what} (only the first {MAX_LISTED} are listed)",
                        n - MAX_LISTED
                    ),
                });
            }
        }
    }
}

fn col(table: &Table, name: &str) -> Result<usize> {
    table.column_index(name).ok_or_else(|| {
        Error::mapping(
            format!(
                "the mapping names a column that is not in the file (columns: {})",
                table.headers().join(", ")
            ),
            Position::column(name),
        )
    })
}

fn numbers(
    table: &Table,
    name: &str,
    rows: &[usize],
    p: &mut CellProblems,
) -> Result<Vec<Option<f64>>> {
    let c = col(table, name)?;
    let mut out = vec![None; table.nrows()];
    for &r in rows {
        let text = table.cell(r, c);
        match values::number(text) {
            Cell::Value(v) => out[r] = Some(v),
            Cell::Missing => {}
            Cell::Invalid => p.push(
                table.row_number(r),
                name,
                format!("expected a number, found \"{text}\"; counted as missing"),
                "with a value that is not a number, counted as missing",
            ),
        }
    }
    Ok(out)
}

fn dates(
    table: &Table,
    name: &str,
    rows: &[usize],
    p: &mut CellProblems,
) -> Result<Vec<Option<i64>>> {
    let c = col(table, name)?;
    let mut out = vec![None; table.nrows()];
    for &r in rows {
        let text = table.cell(r, c);
        match values::date(text) {
            Cell::Value(v) => out[r] = Some(v),
            Cell::Missing => {}
            Cell::Invalid => p.push(
                table.row_number(r),
                name,
                format!("expected a date like 2024-03-31, found \"{text}\"; counted as missing"),
                "with a value that is not a date, counted as missing",
            ),
        }
    }
    Ok(out)
}

fn yes_no(
    table: &Table,
    name: &str,
    event_value: Option<&str>,
    rows: &[usize],
    p: &mut CellProblems,
) -> Result<Vec<Option<bool>>> {
    let c = col(table, name)?;
    let mut out = vec![None; table.nrows()];
    for &r in rows {
        let text = table.cell(r, c);
        match values::event(text, event_value) {
            Cell::Value(v) => out[r] = Some(v),
            Cell::Missing => {}
            Cell::Invalid => p.push(
                table.row_number(r),
                name,
                format!("expected yes or no, found \"{text}\"; counted as missing"),
                "with a value that is not yes or no, counted as missing",
            ),
        }
    }
    Ok(out)
}

/// Rows included in the analysis, and the excluded ones with reasons.
fn include_rows(table: &Table, mapping: &Mapping) -> Result<(Vec<usize>, Vec<Excluded>)> {
    let cols: Vec<usize> = mapping
        .columns()
        .into_iter()
        .map(|c| col(table, c))
        .collect::<Result<_>>()?;
    let mut included = Vec::with_capacity(table.nrows());
    let mut excluded = Vec::new();
    for r in 0..table.nrows() {
        if table.row_is_blank(r) {
            excluded.push(Excluded {
                row: table.row_number(r),
                reason: "empty row".into(),
            });
        } else if cols.iter().all(|&c| values::is_missing(table.cell(r, c))) {
            excluded.push(Excluded {
                row: table.row_number(r),
                reason: "no value in any mapped column".into(),
            });
        } else {
            included.push(r);
        }
    }
    Ok((included, excluded))
}

fn percent(iv: crate::report::Estimable<Interval>) -> crate::report::Estimable<Interval> {
    match iv {
        crate::report::Estimable::Value(i) => crate::report::Estimable::Value(Interval {
            lower: i.lower * 100.0,
            upper: i.upper * 100.0,
        }),
        other => other,
    }
}

fn proportion_percent(k: usize, n: usize) -> crate::report::Estimable<f64> {
    if n == 0 {
        crate::report::Estimable::not("no patients with a value")
    } else {
        crate::report::Estimable::Value(k as f64 / n as f64 * 100.0)
    }
}

fn paired_report(before: &[Option<f64>], after: &[Option<f64>], rows: &[usize]) -> PairedReport {
    let (mut b, mut a) = (
        Vec::with_capacity(rows.len()),
        Vec::with_capacity(rows.len()),
    );
    for &r in rows {
        if let (Some(x), Some(y)) = (before[r], after[r]) {
            b.push(x);
            a.push(y);
        }
    }
    let d: Vec<f64> = a.iter().zip(&b).map(|(y, x)| y - x).collect();
    PairedReport {
        pairs: d.len(),
        missing: rows.len() - d.len(),
        before: stats::summary(&b),
        after: stats::summary(&a),
        difference: stats::summary(&d),
        difference_ci95: stats::mean_ci(&d, LEVEL),
        t_test: stats::paired_t(&d),
        wilcoxon: stats::wilcoxon_signed_rank(&d),
        dz: stats::cohen_dz(&d),
        before_ci95: stats::mean_ci(&b, LEVEL),
        after_ci95: stats::mean_ci(&a, LEVEL),
    }
}

fn binary_report(values: &[Option<bool>], rows: &[usize]) -> BinaryReport {
    let n = rows.iter().filter(|&&r| values[r].is_some()).count();
    let k = rows.iter().filter(|&&r| values[r] == Some(true)).count();
    BinaryReport {
        n,
        events: k,
        missing: rows.len() - n,
        percent: proportion_percent(k, n),
        wilson_ci95: percent(stats::wilson(k, n, LEVEL)),
        clopper_pearson_ci95: percent(stats::clopper_pearson(k, n, LEVEL)),
    }
}

fn event_report(events: &[Option<bool>], times: &[Option<f64>], rows: &[usize]) -> EventReport {
    let n = rows.iter().filter(|&&r| events[r].is_some()).count();
    let k = rows.iter().filter(|&&r| events[r] == Some(true)).count();
    let t: Vec<f64> = rows
        .iter()
        .filter(|&&r| events[r].is_some())
        .filter_map(|&r| times[r])
        .collect();
    EventReport {
        n,
        events: k,
        missing: rows.len() - n,
        percent: proportion_percent(k, n),
        clopper_pearson_ci95: percent(stats::clopper_pearson(k, n, LEVEL)),
        rule_of_three_upper: if k == 0 {
            stats::rule_of_three(n).map(|p| p * 100.0)
        } else {
            None
        },
        person_years: stats::mean(&t).map_or(0.0, |m| m * t.len() as f64 / 12.0),
        with_time: t.len(),
    }
}

/// Follow-up start dates (days) of every row, when follow-up is given by dates.
type StartDays = Option<Vec<Option<i64>>>;

/// Follow-up months of every row (None where unknown), and the start dates if any.
fn followup_months(
    table: &Table,
    followup: &Followup,
    rows: &[usize],
    p: &mut CellProblems,
) -> Result<(Vec<Option<f64>>, StartDays)> {
    match followup {
        Followup::Months { months } => {
            let mut m = numbers(table, months, rows, p)?;
            for &r in rows {
                if m[r].is_some_and(|v| v < 0.0) {
                    p.push(
                        table.row_number(r),
                        months,
                        "follow-up months are negative; counted as missing".into(),
                        "with negative follow-up, counted as missing",
                    );
                    m[r] = None;
                }
            }
            Ok((m, None))
        }
        Followup::Dates { start, end } => {
            let s = dates(table, start, rows, p)?;
            let e = dates(table, end, rows, p)?;
            let mut m = vec![None; table.nrows()];
            for &r in rows {
                if let (Some(a), Some(b)) = (s[r], e[r]) {
                    if b < a {
                        p.push(
                            table.row_number(r),
                            end,
                            format!(
                                "ends before it starts (\"{start}\"); follow-up counted as missing"
                            ),
                            "ending before they start, follow-up counted as missing",
                        );
                    } else {
                        m[r] = Some(values::months_between(a, b));
                    }
                }
            }
            Ok((m, Some(s)))
        }
    }
}

/// Runs the analysis of `table` under `mapping`.
pub fn run(table: &Table, mapping: &Mapping, mut diags: Vec<Diagnostic>) -> Result<Analysis> {
    mapping.validate()?;
    if table.nrows() == 0 {
        return Err(Error::new(
            ErrorKind::NoData("the file has a header but no data rows".into()),
            Position::none(),
        ));
    }
    let (included, excluded) = include_rows(table, mapping)?;
    if included.is_empty() {
        return Err(Error::new(
            ErrorKind::NoData(format!(
                "none of the {} rows has a value in the mapped columns",
                table.nrows()
            )),
            Position::none(),
        ));
    }
    let strata = strata::assign(table, mapping, &included, &mut diags)?;
    let mut problems = CellProblems::new(&mut diags);

    let mut paired = Vec::new();
    for pmap in &mapping.paired {
        let b = numbers(table, &pmap.before, &included, &mut problems)?;
        let a = numbers(table, &pmap.after, &included, &mut problems)?;
        paired.push((pmap.name.clone(), b, a));
    }
    let mut binary = Vec::new();
    for bmap in &mapping.binary {
        binary.push((
            bmap.name.clone(),
            yes_no(table, &bmap.column, None, &included, &mut problems)?,
        ));
    }
    let (fu, fu_start) = match &mapping.followup {
        Some(f) => {
            let (m, s) = followup_months(table, f, &included, &mut problems)?;
            (Some(m), s)
        }
        None => (None, None),
    };
    let mut events = Vec::new();
    for emap in &mapping.events {
        let ev = yes_no(
            table,
            &emap.column,
            emap.event_value.as_deref(),
            &included,
            &mut problems,
        )?;
        let times: Vec<Option<f64>> = if let Some(t) = &emap.time {
            numbers(table, t, &included, &mut problems)?
        } else if let Some(dcol) = &emap.date {
            let d = dates(table, dcol, &included, &mut problems)?;
            let start = fu_start.as_ref().ok_or_else(|| {
                Error::mapping(
                    "an event date needs follow-up start and end dates",
                    Position::column(dcol.clone()),
                )
            })?;
            let fu = fu.as_ref().expect("dates follow-up gives months");
            let mut t = vec![None; table.nrows()];
            for &r in &included {
                t[r] = match (ev[r], d[r], start[r]) {
                    (Some(true), Some(day), Some(s)) if day >= s => {
                        Some(values::months_between(s, day))
                    }
                    (Some(true), Some(_), Some(_)) => {
                        problems.push(
                            table.row_number(r),
                            dcol,
                            "the event date is before the follow-up start; time counted as missing"
                                .into(),
                            "with an event before follow-up start, time counted as missing",
                        );
                        None
                    }
                    (Some(true), None, _) => {
                        problems.push(
                            table.row_number(r),
                            dcol,
                            "an event without a date; time counted as missing".into(),
                            "with an event without a date, time counted as missing",
                        );
                        None
                    }
                    (Some(true), _, None) => None,
                    _ => fu[r],
                };
            }
            t
        } else {
            match &fu {
                Some(m) => m.clone(),
                None => {
                    return Err(Error::mapping(
                        format!(
                        "event \"{}\" has no \"time\" or \"date\", and there is no \"followup\"",
                        emap.name
                    ),
                        Position::column(emap.column.clone()),
                    ))
                }
            }
        };
        events.push((emap.name.clone(), ev, times));
    }
    drop(problems);

    let report_strata = strata
        .iter()
        .map(|s: &Stratum| StratumReport {
            name: s.name.clone(),
            kind: s.kind.as_str().into(),
            members: s.members.clone(),
            n: s.rows.len(),
            paired: paired
                .iter()
                .map(|(n, b, a)| (n.clone(), paired_report(b, a, &s.rows)))
                .collect(),
            binary: binary
                .iter()
                .map(|(n, v)| (n.clone(), binary_report(v, &s.rows)))
                .collect(),
            events: events
                .iter()
                .map(|(n, e, t)| (n.clone(), event_report(e, t, &s.rows)))
                .collect(),
            followup_months: fu.as_ref().map(|m| {
                let v: Vec<f64> = s.rows.iter().filter_map(|&r| m[r]).collect();
                stats::summary(&v)
            }),
        })
        .collect();

    Ok(Analysis {
        report: Report {
            software: Software {
                name: "cohortcalc".into(),
                version: env!("CARGO_PKG_VERSION").into(),
            },
            rows_read: table.nrows(),
            rows_included: included.len(),
            excluded,
            strata: report_strata,
            mapping: mapping.clone(),
        },
        diagnostics: diags,
    })
}
