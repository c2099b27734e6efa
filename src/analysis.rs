//! The pipeline: table + mapping → typed columns → strata → statistics → report.
//!
//! Architecture invariant: this is the only place that turns named columns into the plain
//! slices `stats` works on; every row read ends up included or excluded with a reason.

use crate::error::{Error, ErrorKind, Position, Result};
use crate::ingest::Table;
use crate::mapping::{Better, Followup, KmCi, Mapping};
use crate::report::{
    self, BinaryReport, CategoryCount, ChangeTests, Comparison, CovariateReport, Estimable, EventReport, EventTests,
    Excluded, Interval, Normality, OutcomeTests, PairedReport, ProportionTests, Report, ResponderReport, Software,
    StratumReport, SurvivalAt, TimeToEvent,
};
use crate::stats::{self, compare, normality, survival};
use crate::strata::{self, Stratum};
use crate::values::{self, Cell};
use crate::{Analysis, Diagnostic, Severity};
use std::collections::BTreeMap;

const LEVEL: f64 = 0.95;

/// One paired outcome's values for every table row (None where missing).
struct PairedData {
    name: String,
    before: Vec<Option<f64>>,
    after: Vec<Option<f64>>,
    better: Better,
    threshold: f64,
}

impl PairedData {
    /// after − before of the complete pairs within `rows`.
    fn change(&self, rows: &[usize]) -> Vec<f64> {
        let (b, a) = pairs(&self.before, &self.after, rows);
        a.iter().zip(&b).map(|(y, x)| y - x).collect()
    }
}

/// One event's flags and times for every table row.
struct EventData {
    name: String,
    events: Vec<Option<bool>>,
    times: Vec<Option<f64>>,
}

/// A covariate's values for every table row.
enum CovariateData {
    Numeric(Vec<Option<f64>>),
    Categorical(Vec<Option<String>>),
}

/// Analysis settings taken from the mapping.
struct Settings {
    times: Vec<f64>,
    km_ci: survival::CiTransform,
}

fn counts(values: &[Option<bool>], rows: &[usize]) -> (usize, usize) {
    let n = rows.iter().filter(|&&r| values[r].is_some()).count();
    let k = rows.iter().filter(|&&r| values[r] == Some(true)).count();
    (k, n)
}

/// Diagnostics of one kind in one column are listed one by one up to this many, then summed up.
const MAX_LISTED: usize = 20;

/// Collects per-cell problems, listing the first few and counting the rest.
struct CellProblems<'a> {
    diags: &'a mut Vec<Diagnostic>,
    counts: BTreeMap<String, (usize, String)>,
}

impl<'a> CellProblems<'a> {
    fn new(diags: &'a mut Vec<Diagnostic>) -> Self {
        Self { diags, counts: BTreeMap::new() }
    }
    fn push(&mut self, row: usize, column: &str, message: String, what: &str) {
        let e = self.counts.entry(format!("{column}\u{0}{what}")).or_insert((0, String::new()));
        e.0 += 1;
        e.1 = what.to_string();
        if e.0 <= MAX_LISTED {
            self.diags.push(Diagnostic { severity: Severity::Warning, position: Position::cell(row, column), message });
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
                    message: format!("{} more rows {what} (only the first {MAX_LISTED} are listed)", n - MAX_LISTED),
                });
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
    })
}

fn numbers(table: &Table, name: &str, rows: &[usize], p: &mut CellProblems) -> Result<Vec<Option<f64>>> {
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

fn dates(table: &Table, name: &str, rows: &[usize], p: &mut CellProblems) -> Result<Vec<Option<i64>>> {
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
    let cols: Vec<usize> = mapping.columns().into_iter().map(|c| col(table, c)).collect::<Result<_>>()?;
    let mut included = Vec::with_capacity(table.nrows());
    let mut excluded = Vec::new();
    for r in 0..table.nrows() {
        if table.row_is_blank(r) {
            excluded.push(Excluded { row: table.row_number(r), reason: "empty row".into() });
        } else if cols.iter().all(|&c| values::is_missing(table.cell(r, c))) {
            excluded.push(Excluded { row: table.row_number(r), reason: "no value in any mapped column".into() });
        } else {
            included.push(r);
        }
    }
    Ok((included, excluded))
}

fn percent(iv: crate::report::Estimable<Interval>) -> crate::report::Estimable<Interval> {
    match iv {
        crate::report::Estimable::Value(i) => {
            crate::report::Estimable::Value(Interval { lower: i.lower * 100.0, upper: i.upper * 100.0 })
        }
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

/// Complete pairs of one paired outcome within `rows`.
fn pairs(before: &[Option<f64>], after: &[Option<f64>], rows: &[usize]) -> (Vec<f64>, Vec<f64>) {
    let (mut b, mut a) = (Vec::with_capacity(rows.len()), Vec::with_capacity(rows.len()));
    for &r in rows {
        if let (Some(x), Some(y)) = (before[r], after[r]) {
            b.push(x);
            a.push(y);
        }
    }
    (b, a)
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
fn responders(b: &[f64], a: &[f64], better: Better, threshold: f64) -> Vec<ResponderReport> {
    let gain = |x: f64, y: f64| match better {
        Better::Lower => x - y,
        Better::Higher => y - x,
    };
    let k_abs = b.iter().zip(a).filter(|(x, y)| gain(**x, **y) >= threshold).count();
    let nonzero: Vec<(f64, f64)> = b.iter().zip(a).filter(|(x, _)| **x != 0.0).map(|(x, y)| (*x, *y)).collect();
    let pct = |share: f64| nonzero.iter().filter(|(x, y)| gain(*x, *y) / x.abs() >= share - 1e-12).count();
    vec![
        responder(format!("improved by ≥ {} points", report::round(threshold, 1)), k_abs, b.len()),
        responder("improved by ≥ 30%".into(), pct(0.30), nonzero.len()),
        responder("improved by ≥ 50%".into(), pct(0.50), nonzero.len()),
    ]
}

fn paired_report(p: &PairedData, rows: &[usize]) -> PairedReport {
    let (b, a) = pairs(&p.before, &p.after, rows);
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
        normality: Normality { shapiro_wilk: normality::shapiro_wilk(&d), skewness: normality::skewness(&d) },
        responders: responders(&b, &a, p.better, p.threshold),
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

/// Times and event flags of the rows with both known.
fn time_event(events: &[Option<bool>], times: &[Option<f64>], rows: &[usize]) -> (Vec<f64>, Vec<bool>) {
    rows.iter().filter_map(|&r| Some((times[r]?, events[r]?))).unzip()
}

fn event_report(e: &EventData, rows: &[usize], settings: &Settings) -> EventReport {
    let (events, times) = (&e.events, &e.times);
    let n = rows.iter().filter(|&&r| events[r].is_some()).count();
    let k = rows.iter().filter(|&&r| events[r] == Some(true)).count();
    let (t, ev) = time_event(events, times, rows);
    let km = survival::kaplan_meier(&t, &ev, LEVEL, settings.km_ci);
    let person_years = stats::mean(&t).map_or(0.0, |m| m * t.len() as f64 / 12.0);
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
            let at = km.value().and_then(|km| survival::survival_at(km, time));
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
                            format!("ends before it starts (\"{start}\"); follow-up counted as missing"),
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
        return Err(Error::new(ErrorKind::NoData("the file has a header but no data rows".into()), Position::none()));
    }
    let (included, excluded) = include_rows(table, mapping)?;
    if included.is_empty() {
        return Err(Error::new(
            ErrorKind::NoData(format!("none of the {} rows has a value in the mapped columns", table.nrows())),
            Position::none(),
        ));
    }
    let strata = strata::assign(table, mapping, &included, &mut diags)?;
    let mut problems = CellProblems::new(&mut diags);

    let mut paired = Vec::new();
    for pmap in &mapping.paired {
        paired.push(PairedData {
            name: pmap.name.clone(),
            before: numbers(table, &pmap.before, &included, &mut problems)?,
            after: numbers(table, &pmap.after, &included, &mut problems)?,
            better: pmap.better,
            threshold: pmap.threshold.unwrap_or(2.0),
        });
    }
    let mut binary = Vec::new();
    for bmap in &mapping.binary {
        binary.push((bmap.name.clone(), yes_no(table, &bmap.column, None, &included, &mut problems)?));
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
        let ev = yes_no(table, &emap.column, emap.event_value.as_deref(), &included, &mut problems)?;
        let times = event_times(table, emap, &ev, fu.as_ref(), fu_start.as_ref(), &included, &mut problems)?;
        events.push(EventData { name: emap.name.clone(), events: ev, times });
    }
    let mut covariates = Vec::new();
    for name in &mapping.covariates {
        let c = col(table, name)?;
        let numeric = included.iter().filter(|&&r| matches!(values::number(table.cell(r, c)), Cell::Value(_))).count();
        let known = included.iter().filter(|&&r| !values::is_missing(table.cell(r, c))).count();
        let data = if known > 0 && numeric * 10 >= known * 9 {
            CovariateData::Numeric(numbers(table, name, &included, &mut problems)?)
        } else {
            let mut v = vec![None; table.nrows()];
            for &r in &included {
                let text = table.cell(r, c);
                if !values::is_missing(text) {
                    v[r] = Some(text.to_string());
                }
            }
            CovariateData::Categorical(v)
        };
        covariates.push((name.clone(), data));
    }
    drop(problems);
    let settings = Settings {
        times: mapping.survival_times.clone().unwrap_or_else(|| vec![12.0, 24.0]),
        km_ci: match mapping.km_ci {
            Some(KmCi::LogLog) => survival::CiTransform::LogLog,
            _ => survival::CiTransform::Log,
        },
    };

    let report_strata = strata
        .iter()
        .map(|s: &Stratum| StratumReport {
            name: s.name.clone(),
            kind: s.kind.as_str().into(),
            members: s.members.clone(),
            n: s.rows.len(),
            paired: paired.iter().map(|p| (p.name.clone(), paired_report(p, &s.rows))).collect(),
            binary: binary.iter().map(|(n, v)| (n.clone(), binary_report(v, &s.rows))).collect(),
            events: events.iter().map(|e| (e.name.clone(), event_report(e, &s.rows, &settings))).collect(),
            followup_months: fu.as_ref().map(|m| {
                let v: Vec<f64> = s.rows.iter().filter_map(|&r| m[r]).collect();
                stats::summary(&v)
            }),
            covariates: covariates.iter().map(|(n, c)| (n.clone(), covariate_report(c, &s.rows))).collect(),
        })
        .collect();

    let mut comparisons = Vec::new();
    for [a, b] in &mapping.compare {
        let find = |name: &str| strata.iter().find(|s| s.name == name).expect("compare names are checked in strata");
        comparisons.push(compare_pair(find(a), find(b), &paired, &binary, &events));
    }
    let levels: Vec<&Stratum> =
        strata.iter().filter(|s| s.kind == strata::Kind::Level && s.name != strata::UNKNOWN).collect();
    if levels.len() >= 2 {
        comparisons.push(compare_levels(&levels, &paired, &binary, &events, &covariates));
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
        },
        diagnostics: diags,
    })
}

/// Months at risk of one event for every row: the event's own time column, its date (from the
/// follow-up start), or the follow-up.
fn event_times(
    table: &Table,
    emap: &crate::mapping::Event,
    ev: &[Option<bool>],
    fu: Option<&Vec<Option<f64>>>,
    fu_start: Option<&Vec<Option<i64>>>,
    included: &[usize],
    problems: &mut CellProblems,
) -> Result<Vec<Option<f64>>> {
    if let Some(t) = &emap.time {
        return numbers(table, t, included, problems);
    }
    let Some(fu) = fu else {
        return Err(Error::mapping(
            format!("event \"{}\" has no \"time\" or \"date\", and there is no \"followup\"", emap.name),
            Position::column(emap.column.clone()),
        ));
    };
    let Some(dcol) = &emap.date else {
        return Ok(fu.clone());
    };
    let d = dates(table, dcol, included, problems)?;
    let start = fu_start.ok_or_else(|| {
        Error::mapping("an event date needs follow-up start and end dates", Position::column(dcol.clone()))
    })?;
    let mut t = vec![None; table.nrows()];
    for &r in included {
        t[r] = match (ev[r], d[r], start[r]) {
            (Some(true), Some(day), Some(s)) if day >= s => Some(values::months_between(s, day)),
            (Some(true), Some(_), Some(_)) => {
                problems.push(
                    table.row_number(r),
                    dcol,
                    "the event date is before the follow-up start; time counted as missing".into(),
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
    Ok(t)
}

fn covariate_report(c: &CovariateData, rows: &[usize]) -> CovariateReport {
    match c {
        CovariateData::Numeric(v) => {
            let x: Vec<f64> = rows.iter().filter_map(|&r| v[r]).collect();
            CovariateReport::Continuous { missing: rows.len() - x.len(), summary: stats::summary(&x) }
        }
        CovariateData::Categorical(v) => {
            let mut levels: Vec<CategoryCount> = Vec::new();
            let mut known = 0usize;
            for &r in rows {
                if let Some(text) = &v[r] {
                    known += 1;
                    match levels.iter_mut().find(|l| &l.level == text) {
                        Some(l) => l.n += 1,
                        None => levels.push(CategoryCount { level: text.clone(), n: 1, percent: 0.0 }),
                    }
                }
            }
            levels.sort_by(|a, b| a.level.cmp(&b.level));
            for l in &mut levels {
                l.percent = l.n as f64 / known as f64 * 100.0;
            }
            CovariateReport::Categorical { levels, missing: rows.len() - known }
        }
    }
}

/// Group index (0-based) of every row in `groups`, for the log-rank test.
fn logrank_of(e: &EventData, groups: &[&Stratum]) -> Estimable<report::Test> {
    let (mut t, mut ev, mut g) = (Vec::new(), Vec::new(), Vec::new());
    for (i, s) in groups.iter().enumerate() {
        let (ti, ei) = time_event(&e.events, &e.times, &s.rows);
        g.extend(std::iter::repeat_n(i, ti.len()));
        t.extend(ti);
        ev.extend(ei);
    }
    survival::logrank(&t, &ev, &g)
}

fn compare_pair(
    a: &Stratum,
    b: &Stratum,
    paired: &[PairedData],
    binary: &[(String, Vec<Option<bool>>)],
    events: &[EventData],
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
    for (name, v) in binary {
        let ((ka, na), (kb, nb)) = (counts(v, &a.rows), counts(v, &b.rows));
        tests.binary.insert(
            name.clone(),
            ProportionTests {
                fisher_p: Some(compare::fisher_exact(ka, na - ka, kb, nb - kb)),
                risk_difference: Some(compare::newcombe_difference(ka, na, kb, nb, LEVEL)),
                chi_square: None,
            },
        );
    }
    for e in events {
        let ((ka, na), (kb, nb)) = (counts(&e.events, &a.rows), counts(&e.events, &b.rows));
        tests.events.insert(
            e.name.clone(),
            EventTests {
                logrank: logrank_of(e, &[a, b]),
                fisher_p: Some(compare::fisher_exact(ka, na - ka, kb, nb - kb)),
            },
        );
    }
    Comparison { strata: vec![a.name.clone(), b.name.clone()], kind: "pair".into(), tests }
}

fn compare_levels(
    levels: &[&Stratum],
    paired: &[PairedData],
    binary: &[(String, Vec<Option<bool>>)],
    events: &[EventData],
    covariates: &[(String, CovariateData)],
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
    let yes_no_table = |v: &[Option<bool>]| -> Vec<Vec<usize>> {
        levels
            .iter()
            .map(|s| {
                let (k, n) = counts(v, &s.rows);
                vec![k, n - k]
            })
            .collect()
    };
    for (name, v) in binary {
        tests.binary.insert(
            name.clone(),
            ProportionTests {
                fisher_p: None,
                risk_difference: None,
                chi_square: Some(compare::chi_square(&yes_no_table(v))),
            },
        );
    }
    for e in events {
        tests.events.insert(e.name.clone(), EventTests { logrank: logrank_of(e, levels), fisher_p: None });
    }
    for (name, c) in covariates {
        let t = match c {
            CovariateData::Numeric(v) => {
                let groups: Vec<Vec<f64>> =
                    levels.iter().map(|s| s.rows.iter().filter_map(|&r| v[r]).collect()).collect();
                let slices: Vec<&[f64]> = groups.iter().map(Vec::as_slice).collect();
                vec![compare::anova_oneway(&slices), compare::kruskal_wallis(&slices)]
            }
            CovariateData::Categorical(v) => {
                let mut cats: Vec<&str> =
                    levels.iter().flat_map(|s| s.rows.iter().filter_map(|&r| v[r].as_deref())).collect();
                cats.sort_unstable();
                cats.dedup();
                let table: Vec<Vec<usize>> = levels
                    .iter()
                    .map(|s| {
                        cats.iter().map(|c| s.rows.iter().filter(|&&r| v[r].as_deref() == Some(*c)).count()).collect()
                    })
                    .collect();
                vec![compare::chi_square(&table)]
            }
        };
        tests.covariates.insert(name.clone(), t);
    }
    Comparison { strata: levels.iter().map(|s| s.name.clone()).collect(), kind: "across levels".into(), tests }
}
