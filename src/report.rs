//! The serializable result of an analysis, and its rendering as rounded tables.
//!
//! The JSON keeps full precision. [`tables`] turns a report into the rounded tables a paper
//! shows (rounding half away from zero), which the CLI prints as Markdown and the page as HTML.

use crate::mapping::Mapping;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A figure that may not be estimable from the data, with the reason why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Estimable<T> {
    /// The estimate.
    Value(T),
    /// Why there is no estimate.
    NotEstimable {
        /// The reason, in plain words.
        not_estimable: String,
    },
}

impl<T> Estimable<T> {
    /// No estimate, for `reason`.
    pub fn not(reason: impl Into<String>) -> Self {
        Estimable::NotEstimable { not_estimable: reason.into() }
    }
    /// The value, if estimable.
    pub fn value(&self) -> Option<&T> {
        match self {
            Estimable::Value(v) => Some(v),
            Estimable::NotEstimable { .. } => None,
        }
    }
}

/// A confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// Lower bound.
    pub lower: f64,
    /// Upper bound.
    pub upper: f64,
}

/// Descriptive statistics of one variable. Quantiles are R's default (type 7).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Number of values.
    pub n: usize,
    /// Mean (null when n = 0).
    pub mean: Option<f64>,
    /// Sample standard deviation, n − 1 denominator (null when n < 2).
    pub sd: Option<f64>,
    /// Median.
    pub median: Option<f64>,
    /// First quartile.
    pub q1: Option<f64>,
    /// Third quartile.
    pub q3: Option<f64>,
    /// Smallest value.
    pub min: Option<f64>,
    /// Largest value.
    pub max: Option<f64>,
}

/// A t-test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TTest {
    /// t statistic.
    pub t: f64,
    /// Degrees of freedom.
    pub df: f64,
    /// Two-sided p-value.
    pub p: f64,
}

/// Wilcoxon signed-rank test as R's `wilcox.test(paired = TRUE)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Wilcoxon {
    /// Sum of the ranks of positive differences (after − before > 0 counts as positive).
    pub v: f64,
    /// Two-sided p-value.
    pub p: f64,
    /// "exact" or "normal approximation with continuity correction".
    pub method: String,
    /// Pairs used (non-zero differences).
    pub n_nonzero: usize,
    /// Zero differences dropped.
    pub zeros: usize,
    /// Whether tied absolute differences were present.
    pub ties: bool,
}

/// One paired outcome in one stratum. Difference = after − before.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairedReport {
    /// Patients with both values.
    pub pairs: usize,
    /// Patients in the stratum missing either value.
    pub missing: usize,
    /// The before values of complete pairs.
    pub before: Summary,
    /// The after values of complete pairs.
    pub after: Summary,
    /// after − before.
    pub difference: Summary,
    /// 95% t-interval of the mean difference.
    pub difference_ci95: Estimable<Interval>,
    /// Paired t-test.
    pub t_test: Estimable<TTest>,
    /// Wilcoxon signed-rank test.
    pub wilcoxon: Estimable<Wilcoxon>,
    /// Cohen's dz = mean difference / SD of differences.
    pub dz: Estimable<f64>,
    /// 95% t-interval of the before mean.
    pub before_ci95: Estimable<Interval>,
    /// 95% t-interval of the after mean.
    pub after_ci95: Estimable<Interval>,
    /// Normality of the differences.
    pub normality: Normality,
    /// Responders: by the absolute threshold, by ≥ 30% and by ≥ 50% improvement.
    pub responders: Vec<ResponderReport>,
}

/// A proportion with its intervals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BinaryReport {
    /// Patients with a usable value.
    pub n: usize,
    /// Patients with "yes".
    pub events: usize,
    /// Patients in the stratum with no usable value.
    pub missing: usize,
    /// events / n × 100.
    pub percent: Estimable<f64>,
    /// 95% Wilson score interval, in percent.
    pub wilson_ci95: Estimable<Interval>,
    /// 95% Clopper–Pearson interval, in percent.
    pub clopper_pearson_ci95: Estimable<Interval>,
}

/// An event over follow-up in one stratum.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventReport {
    /// Patients with a usable event value.
    pub n: usize,
    /// Patients with the event.
    pub events: usize,
    /// Patients in the stratum with no usable event value.
    pub missing: usize,
    /// events / n × 100.
    pub percent: Estimable<f64>,
    /// 95% Clopper–Pearson interval, in percent.
    pub clopper_pearson_ci95: Estimable<Interval>,
    /// With zero events: the rule-of-three 95% upper bound (3 / n), in percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_of_three_upper: Option<f64>,
    /// Sum of time at risk in years (months / 12), over patients with a usable time.
    pub person_years: f64,
    /// Patients whose time at risk is known.
    pub with_time: usize,
    /// Cumulative incidence over follow-up: the percent with its Clopper–Pearson interval above;
    /// Kaplan–Meier, survival at chosen times and incidence rate here.
    pub time_to_event: TimeToEvent,
}

/// Everything computed for one stratum.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StratumReport {
    /// "Overall", a level (e.g. "Osteopenia") or a group (e.g. "Reduced bone density").
    pub name: String,
    /// "overall", "level" or "group".
    pub kind: String,
    /// For a group: the levels it unites.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
    /// Patients in the stratum.
    pub n: usize,
    /// Paired outcomes by name.
    pub paired: BTreeMap<String, PairedReport>,
    /// Binary outcomes by name.
    pub binary: BTreeMap<String, BinaryReport>,
    /// Events by name.
    pub events: BTreeMap<String, EventReport>,
    /// Follow-up months (null when the mapping has no follow-up).
    pub followup_months: Option<Summary>,
    /// Covariates by name (Table 1).
    pub covariates: BTreeMap<String, CovariateReport>,
}

/// A row left out of the whole analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Excluded {
    /// Spreadsheet row number (header = 1).
    pub row: usize,
    /// Why, in plain words.
    pub reason: String,
}

/// Name and version of the software that made the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Software {
    /// "cohortcalc".
    pub name: String,
    /// Crate version.
    pub version: String,
}

/// The whole result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Who made it.
    pub software: Software,
    /// Data rows read (not counting the header).
    pub rows_read: usize,
    /// Rows analysed.
    pub rows_included: usize,
    /// Rows left out, each with its reason.
    pub excluded: Vec<Excluded>,
    /// Per-stratum results: "Overall" first, then levels, then groups.
    pub strata: Vec<StratumReport>,
    /// Tests between strata: each pair in `compare`, then across the levels.
    pub comparisons: Vec<Comparison>,
    /// The mapping used.
    pub mapping: Mapping,
}

/// A rounded table for people: what the CLI prints as Markdown and the page as HTML.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// Caption, e.g. "VAS (paired)".
    pub title: String,
    /// Column headings; the first column holds the stratum (or row label).
    pub columns: Vec<String>,
    /// Cells, already rounded and formatted.
    pub rows: Vec<Vec<String>>,
}

/// Rounds `x` to `digits` decimals, half away from zero, on its shortest decimal representation
/// (so 4.125 → "4.13" and 1.005 → "1.01", as a person rounding the printed number would).
pub fn round(x: f64, digits: usize) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    let s = format!("{}", x.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let mut d: Vec<u8> = int.bytes().chain(frac.bytes().chain(std::iter::repeat(b'0')).take(digits)).collect();
    let round_up = frac.as_bytes().get(digits).is_some_and(|&b| b >= b'5');
    if round_up {
        let mut i = d.len();
        loop {
            if i == 0 {
                d.insert(0, b'1');
                break;
            }
            i -= 1;
            if d[i] == b'9' {
                d[i] = b'0';
            } else {
                d[i] += 1;
                break;
            }
        }
    }
    let split = d.len() - digits;
    let mut out = String::from_utf8(d[..split].to_vec()).unwrap_or_default();
    if digits > 0 {
        out.push('.');
        out.push_str(std::str::from_utf8(&d[split..]).unwrap_or_default());
    }
    let is_zero = out.bytes().all(|b| b == b'0' || b == b'.');
    if x < 0.0 && !is_zero {
        out.insert(0, '−');
    }
    out
}

/// A p-value as papers print it: "< 0.001", else three decimals.
pub fn format_p(p: f64) -> String {
    if p < 0.001 {
        "< 0.001".into()
    } else {
        round(p, 3)
    }
}

const DASH: &str = "—";

fn opt(x: Option<f64>, digits: usize) -> String {
    x.map_or(DASH.into(), |v| round(v, digits))
}

fn est<T>(e: &Estimable<T>, f: impl Fn(&T) -> String) -> String {
    e.value().map_or(DASH.into(), f)
}

fn ci(i: &Interval, digits: usize) -> String {
    format!("{} to {}", round(i.lower, digits), round(i.upper, digits))
}

fn mean_sd(s: &Summary) -> String {
    match (s.mean, s.sd) {
        (Some(m), Some(sd)) => format!("{} ± {}", round(m, 2), round(sd, 2)),
        (Some(m), None) => round(m, 2),
        _ => DASH.into(),
    }
}

fn median_iqr(s: &Summary) -> String {
    match (s.median, s.q1, s.q3) {
        (Some(m), Some(a), Some(b)) => {
            format!("{} [{}, {}]", round(m, 2), round(a, 2), round(b, 2))
        }
        _ => DASH.into(),
    }
}

/// The tables a paper shows, rounded half away from zero.
pub fn tables(report: &Report) -> Vec<Table> {
    let mut out = Vec::new();
    let names: Vec<String> = report
        .strata
        .iter()
        .map(|s| if s.members.is_empty() { s.name.clone() } else { format!("{} ({})", s.name, s.members.join(" + ")) })
        .collect();
    out.push(Table {
        title: "Patients".into(),
        columns: vec!["Stratum".into(), "N".into()],
        rows: report.strata.iter().zip(&names).map(|(s, name)| vec![name.clone(), s.n.to_string()]).collect(),
    });
    for p in &report.mapping.paired {
        out.push(Table {
            title: format!("{} before and after (difference = after − before)", p.name),
            columns: [
                "Stratum",
                "Pairs",
                "Before, mean ± SD",
                "After, mean ± SD",
                "Before, median [IQR]",
                "After, median [IQR]",
                "Difference, mean (95% CI)",
                "Paired t (df)",
                "p (t-test)",
                "Wilcoxon V",
                "p (Wilcoxon)",
                "dz",
            ]
            .map(String::from)
            .to_vec(),
            rows: report
                .strata
                .iter()
                .zip(&names)
                .filter_map(|(s, name)| s.paired.get(&p.name).map(|r| (name, r)))
                .map(|(name, r)| {
                    vec![
                        name.clone(),
                        r.pairs.to_string(),
                        mean_sd(&r.before),
                        mean_sd(&r.after),
                        median_iqr(&r.before),
                        median_iqr(&r.after),
                        match (&r.difference.mean, r.difference_ci95.value()) {
                            (Some(m), Some(i)) => format!("{} ({})", round(*m, 2), ci(i, 2)),
                            (m, _) => opt(*m, 2),
                        },
                        est(&r.t_test, |t| format!("{} ({})", round(t.t, 2), round(t.df, 0))),
                        est(&r.t_test, |t| format_p(t.p)),
                        est(&r.wilcoxon, |w| round(w.v, 1)),
                        est(&r.wilcoxon, |w| {
                            let m = if w.method == "exact" { "exact" } else { "normal approx." };
                            format!("{} ({m})", format_p(w.p))
                        }),
                        est(&r.dz, |d| round(*d, 2)),
                    ]
                })
                .collect(),
        });
    }
    for b in &report.mapping.binary {
        out.push(Table {
            title: b.name.clone(),
            columns: ["Stratum", "n", "Yes", "%", "95% CI (Wilson)", "95% CI (Clopper–Pearson)"]
                .map(String::from)
                .to_vec(),
            rows: report
                .strata
                .iter()
                .zip(&names)
                .filter_map(|(s, name)| s.binary.get(&b.name).map(|r| (name, r)))
                .map(|(name, r)| {
                    vec![
                        name.clone(),
                        r.n.to_string(),
                        r.events.to_string(),
                        est(&r.percent, |p| round(*p, 1)),
                        est(&r.wilson_ci95, |i| ci(i, 1)),
                        est(&r.clopper_pearson_ci95, |i| ci(i, 1)),
                    ]
                })
                .collect(),
        });
    }
    for e in &report.mapping.events {
        out.push(Table {
            title: format!("{} (events over follow-up)", e.name),
            columns: [
                "Stratum",
                "n",
                "Events",
                "%",
                "95% CI (Clopper–Pearson)",
                "Rule of three, upper %",
                "Person-years",
            ]
            .map(String::from)
            .to_vec(),
            rows: report
                .strata
                .iter()
                .zip(&names)
                .filter_map(|(s, name)| s.events.get(&e.name).map(|r| (name, r)))
                .map(|(name, r)| {
                    vec![
                        name.clone(),
                        r.n.to_string(),
                        r.events.to_string(),
                        est(&r.percent, |p| round(*p, 1)),
                        est(&r.clopper_pearson_ci95, |i| ci(i, 1)),
                        opt(r.rule_of_three_upper, 1),
                        round(r.person_years, 1),
                    ]
                })
                .collect(),
        });
    }
    for p in &report.mapping.paired {
        let mut rows = Vec::new();
        for (s, name) in report.strata.iter().zip(&names) {
            let Some(r) = s.paired.get(&p.name) else { continue };
            rows.push(vec![
                name.clone(),
                est(&r.normality.shapiro_wilk, |w| round(w.w, 3)),
                est(&r.normality.shapiro_wilk, |w| format_p(w.p)),
                est(&r.normality.skewness, |g| round(*g, 2)),
            ]);
        }
        out.push(Table {
            title: format!("{}: normality of the differences", p.name),
            columns: ["Stratum", "Shapiro–Wilk W", "p (Shapiro–Wilk)", "Skewness"].map(String::from).to_vec(),
            rows,
        });
        let mut rows = Vec::new();
        for (s, name) in report.strata.iter().zip(&names) {
            let Some(r) = s.paired.get(&p.name) else { continue };
            for resp in &r.responders {
                rows.push(vec![
                    name.clone(),
                    resp.definition.clone(),
                    resp.n.to_string(),
                    resp.responders.to_string(),
                    est(&resp.percent, |v| round(*v, 1)),
                    est(&resp.wilson_ci95, |i| ci(i, 1)),
                    est(&resp.clopper_pearson_ci95, |i| ci(i, 1)),
                ]);
            }
        }
        out.push(Table {
            title: format!("{}: responders", p.name),
            columns: ["Stratum", "Definition", "n", "Responders", "%", "95% CI (Wilson)", "95% CI (Clopper–Pearson)"]
                .map(String::from)
                .to_vec(),
            rows,
        });
    }
    for e in &report.mapping.events {
        let times: Vec<f64> = report
            .strata
            .first()
            .and_then(|s| s.events.get(&e.name))
            .map_or(vec![], |r| r.time_to_event.survival_at.iter().map(|a| a.time).collect());
        let mut columns: Vec<String> =
            ["Stratum", "Median months (95% CI)", "Per 100 person-years (95% CI)"].map(String::from).to_vec();
        columns.extend(times.iter().map(|t| format!("Event-free at {} months (95% CI)", round(*t, 0))));
        let rows = report
            .strata
            .iter()
            .zip(&names)
            .filter_map(|(s, name)| s.events.get(&e.name).map(|r| (name, &r.time_to_event)))
            .map(|(name, t)| {
                let mut row = vec![
                    name.clone(),
                    est(&t.kaplan_meier, |km| match km.median {
                        None => "not reached".into(),
                        Some(m) => format!(
                            "{} ({} to {})",
                            round(m, 1),
                            km.median_ci95.0.map_or("—".into(), |v| round(v, 1)),
                            km.median_ci95.1.map_or("not reached".into(), |v| round(v, 1))
                        ),
                    }),
                    match (t.incidence_per_100py.value(), t.incidence_ci95.value()) {
                        (Some(r), Some(i)) => format!("{} ({})", round(*r, 2), ci(i, 2)),
                        _ => DASH.into(),
                    },
                ];
                row.extend(t.survival_at.iter().map(|a| match (a.survival, a.ci95) {
                    (Some(v), Some(i)) => format!("{}% ({})", round(v * 100.0, 1), ci(&scale(&i, 100.0), 1)),
                    (Some(v), None) => format!("{}%", round(v * 100.0, 1)),
                    _ => "beyond follow-up".into(),
                }));
                row
            })
            .collect();
        out.push(Table { title: format!("{}: time to event (Kaplan–Meier)", e.name), columns, rows });
    }
    if !report.mapping.covariates.is_empty() {
        out.push(table_one(report, &names));
    }
    if !report.comparisons.is_empty() {
        out.push(comparisons_table(report));
    }
    if report.mapping.followup.is_some() {
        out.push(Table {
            title: "Follow-up (months)".into(),
            columns: ["Stratum", "n", "Mean ± SD", "Median [IQR]"].map(String::from).to_vec(),
            rows: report
                .strata
                .iter()
                .zip(&names)
                .filter_map(|(s, name)| s.followup_months.as_ref().map(|f| (name, f)))
                .map(|(name, f)| vec![name.clone(), f.n.to_string(), mean_sd(f), median_iqr(f)])
                .collect(),
        });
    }
    out
}

fn scale(i: &Interval, k: f64) -> Interval {
    Interval { lower: i.lower * k, upper: i.upper * k }
}

/// Table 1: covariates by stratum, with the p across levels.
fn table_one(report: &Report, names: &[String]) -> Table {
    let mut columns = vec!["Characteristic".to_string()];
    columns.extend(report.strata.iter().zip(names).map(|(s, n)| format!("{n} (n = {})", s.n)));
    columns.push("p across levels".into());
    let across = report.comparisons.iter().find(|c| c.kind == "across levels");
    let mut rows = Vec::new();
    for name in &report.mapping.covariates {
        let p_text = across.and_then(|c| c.tests.covariates.get(name)).map_or(DASH.to_string(), |tests| {
            tests
                .iter()
                .filter_map(|t| t.value())
                .map(|t| format!("{} ({})", format_p(t.p), t.test))
                .collect::<Vec<_>>()
                .join("; ")
        });
        let first = report.strata.first().and_then(|s| s.covariates.get(name));
        match first {
            Some(CovariateReport::Continuous { .. }) => {
                for (label, f) in [("mean ± SD", mean_sd as fn(&Summary) -> String), ("median [IQR]", median_iqr)] {
                    let mut row = vec![format!("{name}, {label}")];
                    for s in &report.strata {
                        row.push(match s.covariates.get(name) {
                            Some(CovariateReport::Continuous { summary, .. }) => f(summary),
                            _ => DASH.into(),
                        });
                    }
                    row.push(if label == "mean ± SD" { p_text.clone() } else { String::new() });
                    rows.push(row);
                }
            }
            Some(CovariateReport::Categorical { levels, .. }) => {
                for (i, level) in levels.iter().enumerate() {
                    let mut row = vec![format!("{name}: {}, n (%)", level.level)];
                    for s in &report.strata {
                        row.push(match s.covariates.get(name) {
                            Some(CovariateReport::Categorical { levels, .. }) => levels
                                .iter()
                                .find(|l| l.level == level.level)
                                .map_or("0".into(), |l| format!("{} ({})", l.n, round(l.percent, 1))),
                            _ => DASH.into(),
                        });
                    }
                    row.push(if i == 0 { p_text.clone() } else { String::new() });
                    rows.push(row);
                }
            }
            None => {}
        }
        let mut row = vec![format!("{name}, missing")];
        for s in &report.strata {
            row.push(match s.covariates.get(name) {
                Some(CovariateReport::Continuous { missing, .. } | CovariateReport::Categorical { missing, .. }) => {
                    missing.to_string()
                }
                None => DASH.into(),
            });
        }
        row.push(String::new());
        rows.push(row);
    }
    Table { title: "Table 1: characteristics by stratum".into(), columns, rows }
}

/// Every test between strata, one row per outcome and test.
fn comparisons_table(report: &Report) -> Table {
    let mut rows = Vec::new();
    for c in &report.comparisons {
        let who = if c.kind == "pair" { c.strata.join(" vs ") } else { format!("Across {}", c.strata.join(", ")) };
        for (outcome, t) in &c.tests.paired {
            let what = format!("{outcome}: change");
            if let Some(w) = &t.welch_t {
                rows.push(vec![
                    who.clone(),
                    what.clone(),
                    "Welch t".into(),
                    est(w, |w| {
                        format!(
                            "difference {} ({}); t = {}, df = {}",
                            round(w.difference, 2),
                            ci(&w.ci95, 2),
                            round(w.t, 2),
                            round(w.df, 1)
                        )
                    }),
                    est(w, |w| format_p(w.p)),
                ]);
            }
            if let Some(m) = &t.mann_whitney {
                rows.push(vec![
                    who.clone(),
                    what.clone(),
                    "Mann–Whitney".into(),
                    est(m, |m| format!("W = {}", round(m.w, 1))),
                    est(m, |m| format_p(m.p)),
                ]);
            }
            for x in [&t.anova, &t.kruskal_wallis].into_iter().flatten() {
                rows.push(test_row(&who, &what, x));
            }
        }
        for (outcome, t) in &c.tests.binary {
            if let Some(f) = &t.fisher_p {
                rows.push(vec![
                    who.clone(),
                    outcome.clone(),
                    "Fisher's exact".into(),
                    String::new(),
                    est(f, |p| format_p(*p)),
                ]);
            }
            if let Some(r) = &t.risk_difference {
                rows.push(vec![
                    who.clone(),
                    outcome.clone(),
                    "Risk difference (Newcombe)".into(),
                    est(r, |r| format!("{} points ({})", round(r.difference, 1), ci(&r.ci95, 1))),
                    String::new(),
                ]);
            }
            if let Some(x) = &t.chi_square {
                rows.push(test_row(&who, outcome, x));
            }
        }
        for (outcome, t) in &c.tests.events {
            rows.push(test_row(&who, outcome, &t.logrank));
            if let Some(f) = &t.fisher_p {
                rows.push(vec![
                    who.clone(),
                    outcome.clone(),
                    "Fisher's exact".into(),
                    String::new(),
                    est(f, |p| format_p(*p)),
                ]);
            }
        }
    }
    Table {
        title: "Comparisons between strata".into(),
        columns: ["Strata", "Outcome", "Test", "Estimate", "p"].map(String::from).to_vec(),
        rows,
    }
}

fn test_row(who: &str, what: &str, t: &Estimable<Test>) -> Vec<String> {
    match t {
        Estimable::Value(t) => vec![
            who.into(),
            what.into(),
            t.test.clone(),
            match t.df2 {
                Some(d2) => format!("F = {}, df = {}, {}", round(t.statistic, 2), round(t.df, 0), round(d2, 0)),
                None => format!(
                    "{} = {}, df = {}",
                    if t.test.contains("Kruskal") { "H" } else { "χ²" },
                    round(t.statistic, 2),
                    round(t.df, 0)
                ),
            },
            format_p(t.p),
        ],
        Estimable::NotEstimable { not_estimable } => {
            vec![who.into(), what.into(), String::new(), format!("not estimable: {not_estimable}"), DASH.into()]
        }
    }
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|")
}

/// The report as Markdown: a heading, the row accounting, and every table.
pub fn markdown(report: &Report) -> String {
    let mut s = String::new();
    s.push_str(&format!("# cohortcalc {} report\n\n", report.software.version));
    s.push_str(&format!(
        "Rows read: {}; included: {}; excluded: {}.\n\n",
        report.rows_read,
        report.rows_included,
        report.excluded.len()
    ));
    for e in &report.excluded {
        s.push_str(&format!("- row {} excluded: {}\n", e.row, e.reason));
    }
    if !report.excluded.is_empty() {
        s.push('\n');
    }
    for t in tables(report) {
        s.push_str(&format!("## {}\n\n", t.title));
        s.push_str(&format!("| {} |\n", t.columns.iter().map(|c| md_cell(c)).collect::<Vec<_>>().join(" | ")));
        s.push_str(&format!(
            "|{}\n",
            t.columns.iter().enumerate().map(|(i, _)| if i == 0 { "---|" } else { "---:|" }).collect::<String>()
        ));
        for r in &t.rows {
            s.push_str(&format!("| {} |\n", r.iter().map(|c| md_cell(c)).collect::<Vec<_>>().join(" | ")));
        }
        s.push('\n');
    }
    s.push_str(
        "Means ± SD; IQR = Q1, Q3 (R type 7). p two-sided; Wilcoxon signed-rank as R's wilcox.test. \
         Proportions with 95% Wilson and Clopper–Pearson intervals. Rounded half away from zero.\n",
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(round(4.125, 2), "4.13");
        assert_eq!(round(-4.125, 2), "−4.13");
        assert_eq!(round(1.005, 2), "1.01");
        assert_eq!(round(79.1044776, 1), "79.1");
        assert_eq!(round(9.995, 2), "10.00");
        assert_eq!(round(0.5, 0), "1");
        assert_eq!(round(-0.004, 2), "0.00");
        assert_eq!(round(7.0, 2), "7.00");
        assert_eq!(round(1e-7, 3), "0.000");
    }

    #[test]
    fn p_values_below_a_thousandth_are_bounded() {
        assert_eq!(format_p(0.0004), "< 0.001");
        assert_eq!(format_p(0.0125), "0.013");
    }
}

/// Welch's two-sample t-test of x − y.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WelchT {
    /// mean(x) − mean(y).
    pub difference: f64,
    /// 95% CI of the difference.
    pub ci95: Interval,
    /// t statistic.
    pub t: f64,
    /// Welch–Satterthwaite degrees of freedom.
    pub df: f64,
    /// Two-sided p-value.
    pub p: f64,
}

/// Mann–Whitney / Wilcoxon rank-sum test as R's `wilcox.test(x, y)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MannWhitney {
    /// W = sum of the ranks of x − n_x(n_x + 1)/2.
    pub w: f64,
    /// Two-sided p-value.
    pub p: f64,
    /// "exact" or "normal approximation with continuity correction".
    pub method: String,
}

/// A test whose statistic has an F, χ² or similar reference distribution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Test {
    /// Which test, e.g. "one-way ANOVA", "Kruskal–Wallis", "Pearson chi-square", "log-rank".
    pub test: String,
    /// The statistic (F, H, χ²).
    pub statistic: f64,
    /// Degrees of freedom (numerator for F).
    pub df: f64,
    /// Denominator degrees of freedom (F only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub df2: Option<f64>,
    /// p-value.
    pub p: f64,
}

/// A risk difference p1 − p2 with Newcombe's hybrid score interval (method 10), in percent points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskDifference {
    /// p1 − p2, percent points.
    pub difference: f64,
    /// 95% Newcombe interval, percent points.
    pub ci95: Interval,
}

/// One row of a Kaplan–Meier table: at a time with at least one event or censoring.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KmRow {
    /// Time (months).
    pub time: f64,
    /// At risk just before `time`.
    pub at_risk: usize,
    /// Events at `time`.
    pub events: usize,
    /// Censored at `time`.
    pub censored: usize,
    /// Survival (event-free share) just after `time`.
    pub survival: f64,
    /// Greenwood standard error of the survival.
    pub std_err: f64,
    /// 95% CI (null where not defined, e.g. survival 0).
    pub ci95: Option<Interval>,
}

/// Kaplan–Meier estimate with R `survfit`'s conventions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KaplanMeier {
    /// "log" (R's default) or "log-log".
    pub ci_transform: String,
    /// One row per distinct time.
    pub table: Vec<KmRow>,
    /// Median time to event (null if survival never falls to 0.5).
    pub median: Option<f64>,
    /// 95% CI of the median by R's rule (bounds null when not reached).
    pub median_ci95: (Option<f64>, Option<f64>),
}

/// Shapiro–Wilk normality test as R's `shapiro.test` (Royston's algorithm).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShapiroWilk {
    /// W statistic.
    pub w: f64,
    /// p-value.
    pub p: f64,
}

/// Responders to one definition within a paired outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponderReport {
    /// E.g. "improved by ≥ 2 points", "improved by ≥ 30%".
    pub definition: String,
    /// Pairs the definition applies to (for percent definitions: with a non-zero baseline).
    pub n: usize,
    /// Responders.
    pub responders: usize,
    /// responders / n × 100.
    pub percent: Estimable<f64>,
    /// 95% Wilson interval, percent.
    pub wilson_ci95: Estimable<Interval>,
    /// 95% Clopper–Pearson interval, percent.
    pub clopper_pearson_ci95: Estimable<Interval>,
}

/// How normal the paired differences look, reported beside the t and Wilcoxon tests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Normality {
    /// Shapiro–Wilk test of the differences.
    pub shapiro_wilk: Estimable<ShapiroWilk>,
    /// Adjusted Fisher–Pearson skewness (G1) of the differences.
    pub skewness: Estimable<f64>,
}

/// Survival at a chosen time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurvivalAt {
    /// Months.
    pub time: f64,
    /// Event-free share (null beyond the last follow-up).
    pub survival: Option<f64>,
    /// 95% CI.
    pub ci95: Option<Interval>,
}

/// Time-to-event figures of one event in one stratum.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeToEvent {
    /// Kaplan–Meier estimate.
    pub kaplan_meier: Estimable<KaplanMeier>,
    /// Survival at the chosen times.
    pub survival_at: Vec<SurvivalAt>,
    /// Events per 100 person-years.
    pub incidence_per_100py: Estimable<f64>,
    /// Exact Poisson 95% CI of the incidence per 100 person-years.
    pub incidence_ci95: Estimable<Interval>,
}

/// A covariate described in one stratum (Table 1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum CovariateReport {
    /// Numbers: mean ± SD and median [Q1, Q3].
    Continuous {
        /// The summary of known values.
        summary: Summary,
        /// Patients without a value.
        missing: usize,
    },
    /// Categories: n (%) of patients with a value.
    Categorical {
        /// Each category with its count and percent of known values.
        levels: Vec<CategoryCount>,
        /// Patients without a value.
        missing: usize,
    },
}

/// One category's count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryCount {
    /// The category as written.
    pub level: String,
    /// Patients.
    pub n: usize,
    /// Percent of patients with a known value.
    pub percent: f64,
}

/// Tests of one outcome between two strata (a pair in `compare`) or across all levels.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OutcomeTests {
    /// Paired outcomes: tests of the change (after − before).
    pub paired: BTreeMap<String, ChangeTests>,
    /// Binary outcomes.
    pub binary: BTreeMap<String, ProportionTests>,
    /// Events.
    pub events: BTreeMap<String, EventTests>,
    /// Covariates (Table 1 p-values), across levels only.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub covariates: BTreeMap<String, Vec<Estimable<Test>>>,
}

/// Tests of the change in a paired outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeTests {
    /// Two strata: Welch t of the difference in mean change (first − second).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub welch_t: Option<Estimable<WelchT>>,
    /// Two strata: Mann–Whitney of the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mann_whitney: Option<Estimable<MannWhitney>>,
    /// Across levels: one-way ANOVA of the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anova: Option<Estimable<Test>>,
    /// Across levels: Kruskal–Wallis of the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kruskal_wallis: Option<Estimable<Test>>,
}

/// Tests of a proportion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProportionTests {
    /// Two strata: Fisher's exact two-sided p.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fisher_p: Option<Estimable<f64>>,
    /// Two strata: risk difference (first − second) with Newcombe's interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk_difference: Option<Estimable<RiskDifference>>,
    /// Across levels: Pearson chi-square.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chi_square: Option<Estimable<Test>>,
}

/// Tests of an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventTests {
    /// Log-rank test.
    pub logrank: Estimable<Test>,
    /// Two strata: Fisher's exact two-sided p of the event proportions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fisher_p: Option<Estimable<f64>>,
}

/// A comparison between strata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// The strata compared: two names for a pair in `compare`, or every level for "across levels".
    pub strata: Vec<String>,
    /// "pair" or "across levels".
    pub kind: String,
    /// The tests.
    pub tests: OutcomeTests,
}
