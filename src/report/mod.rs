//! The serializable result of an analysis, and its rendering as rounded tables.
//!
//! The JSON keeps full precision. [`tables`] turns a report into the rounded tables a paper
//! shows (rounding half away from zero), which the CLI prints as Markdown and the page as HTML.

mod render;
mod xlsx;

pub use render::{format_p, markdown, methods, neutralise, results_text, round, tables, tables_csv};
pub use xlsx::tables_xlsx;

pub use crate::stats::{
    Estimable, Interval, KaplanMeier, KmRow, MannWhitney, RiskDifference, ShapiroWilk, Summary, TTest, Test, WelchT,
    Wilcoxon,
};

use crate::mapping::Mapping;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
    /// A bounded, deterministic sample of (before, after) pairs, for the individual-lines chart.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sample: Vec<[f64; 2]>,
    /// Histogram of after − before, for the distribution-of-change chart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change_histogram: Option<crate::stats::describe::Histogram>,
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
    /// Where every row went (STROBE flow). Absent from reports saved before it existed: read as empty.
    #[serde(default)]
    pub flow: Flow,
    /// Histogram of the included patients' T-scores (T-score strata only), for its chart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tscore_histogram: Option<crate::stats::describe::Histogram>,
    /// Notes on outcomes' figures, shown with their tables.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<OutcomeNote>,
    /// The mapping used.
    pub mapping: Mapping,
}

impl Report {
    /// The report with every list of row numbers (the excluded rows, and each reason's rows in the
    /// flow) cut to its first `most`; the counts stay whole. Borrowed when no list is longer.
    /// For a page, whose answer a million excluded rows made tens of megabytes.
    pub fn with_rows_cut(&self, most: usize) -> std::borrow::Cow<'_, Report> {
        let f = &self.flow;
        let mut reasons = f.excluded.iter().chain(&f.unassigned).chain(
            f.strata
                .iter()
                .flat_map(|s| &s.outcomes)
                .flat_map(|o| o.missing.iter().chain(o.time.iter().flat_map(|t| &t.missing))),
        );
        if self.excluded.len() <= most && !reasons.any(|x| x.rows.len() > most) {
            return std::borrow::Cow::Borrowed(self);
        }
        let mut v = self.clone();
        v.excluded.truncate(most);
        let cut = |x: &mut FlowReason| x.rows.truncate(most);
        v.flow.excluded.iter_mut().for_each(cut);
        v.flow.unassigned.iter_mut().for_each(cut);
        for o in v.flow.strata.iter_mut().flat_map(|s| &mut s.outcomes) {
            o.missing.iter_mut().for_each(cut);
            if let Some(t) = &mut o.time {
                t.missing.iter_mut().for_each(cut);
            }
        }
        std::borrow::Cow::Owned(v)
    }
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
    /// What a reader must know of the figures, shown under the table (e.g. values that moved
    /// against the stated direction of improvement).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// A note on one outcome's figures that belongs beside them (on its table), not only among the
/// diagnostics: the figures are right, but limited or doubtful as the mapping reads them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutcomeNote {
    /// The outcome's name.
    pub outcome: String,
    /// What, in plain words.
    pub message: String,
    /// The same in Chinese.
    pub message_zh: String,
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
    /// Event-free share (null beyond the last follow-up, unless it ended at 0: then 0).
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
    /// The category as most of its cells write it ("M" for "M", "m" and "Male"; see
    /// `values::same_category`).
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

/// Where every row went: enough to draw a STROBE flow diagram. Row numbers are spreadsheet rows
/// (header = 1).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Flow {
    /// Data rows read.
    pub rows_read: usize,
    /// Rows analysed: `rows_read` minus the excluded ones.
    pub rows_included: usize,
    /// Rows left out of the whole analysis, by reason.
    pub excluded: Vec<FlowReason>,
    /// Included rows put in the `Unknown` stratum, by reason (e.g. no T-score).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unassigned: Vec<FlowReason>,
    /// Per stratum (in the order of `strata`), per outcome: values used and missing by reason.
    pub strata: Vec<FlowStratum>,
}

/// Rows that share a reason for not being used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowReason {
    /// Why, in plain words: "empty row", "missing", "not a number", "out of range", ….
    pub reason: String,
    /// The column the reason is about, if one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// How many rows.
    pub n: usize,
    /// Their row numbers, ascending (listed for excluded and unassigned rows, and for outcomes in
    /// the Overall stratum only; empty elsewhere).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<usize>,
}

/// One stratum's patients and what each outcome could use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowStratum {
    /// Stratum name, as in `strata`.
    pub name: String,
    /// Patients in the stratum.
    pub n: usize,
    /// Each outcome: used + the sum of `missing` = `n`.
    pub outcomes: Vec<FlowOutcome>,
}

/// One outcome in one stratum.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowOutcome {
    /// Outcome name (the follow-up is "Follow-up").
    pub name: String,
    /// "paired" (complete pairs), "binary", "event" or "followup".
    pub kind: String,
    /// Patients whose value (pair) is used.
    pub used: usize,
    /// Patients whose value is not used, by reason.
    pub missing: Vec<FlowReason>,
    /// For events: of the `used` patients, those with a known time at risk (Kaplan–Meier,
    /// incidence rate), and the others by reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<FlowTime>,
}

/// Time at risk of an event's patients.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowTime {
    /// Patients with a known time at risk.
    pub used: usize,
    /// The others, by reason: used + the sum of `missing` = the event's `used`.
    pub missing: Vec<FlowReason>,
}
