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
        Estimable::NotEstimable {
            not_estimable: reason.into(),
        }
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
    let mut d: Vec<u8> = int
        .bytes()
        .chain(frac.bytes().chain(std::iter::repeat(b'0')).take(digits))
        .collect();
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
        .map(|s| {
            if s.members.is_empty() {
                s.name.clone()
            } else {
                format!("{} ({})", s.name, s.members.join(" + "))
            }
        })
        .collect();
    out.push(Table {
        title: "Patients".into(),
        columns: vec!["Stratum".into(), "N".into()],
        rows: report
            .strata
            .iter()
            .zip(&names)
            .map(|(s, name)| vec![name.clone(), s.n.to_string()])
            .collect(),
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
                        est(&r.t_test, |t| {
                            format!("{} ({})", round(t.t, 2), round(t.df, 0))
                        }),
                        est(&r.t_test, |t| format_p(t.p)),
                        est(&r.wilcoxon, |w| round(w.v, 1)),
                        est(&r.wilcoxon, |w| {
                            let m = if w.method == "exact" {
                                "exact"
                            } else {
                                "normal approx."
                            };
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
            columns: [
                "Stratum",
                "n",
                "Yes",
                "%",
                "95% CI (Wilson)",
                "95% CI (Clopper–Pearson)",
            ]
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
    if report.mapping.followup.is_some() {
        out.push(Table {
            title: "Follow-up (months)".into(),
            columns: ["Stratum", "n", "Mean ± SD", "Median [IQR]"]
                .map(String::from)
                .to_vec(),
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

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|")
}

/// The report as Markdown: a heading, the row accounting, and every table.
pub fn markdown(report: &Report) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "# cohortcalc {} report\n\n",
        report.software.version
    ));
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
        s.push_str(&format!(
            "| {} |\n",
            t.columns
                .iter()
                .map(|c| md_cell(c))
                .collect::<Vec<_>>()
                .join(" | ")
        ));
        s.push_str(&format!(
            "|{}\n",
            t.columns
                .iter()
                .enumerate()
                .map(|(i, _)| if i == 0 { "---|" } else { "---:|" })
                .collect::<String>()
        ));
        for r in &t.rows {
            s.push_str(&format!(
                "| {} |\n",
                r.iter().map(|c| md_cell(c)).collect::<Vec<_>>().join(" | ")
            ));
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
