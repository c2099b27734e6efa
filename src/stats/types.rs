//! The results the statistics return: estimates, intervals and tests, serializable as they
//! appear in the report (which embeds them).

use serde::{Deserialize, Serialize};

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
    /// Chi-square only: the smallest expected count. Below 5 the chi-square approximation may be
    /// poor (R's `chisq.test` warns), and the tables say so beside the p-value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_expected: Option<f64>,
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
