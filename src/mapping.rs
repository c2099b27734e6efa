//! Column roles: which column holds what. One JSON format for the library, the CLI and the page.
//!
//! ```json
//! {"id": "Record ID", "strata": {"tscore": "DEXA T-score"},
//!  "paired": [{"name": "VAS", "before": "VAS baseline", "after": "VAS 6 wk"}],
//!  "binary": [{"name": "Functional improvement", "column": "Improved"}],
//!  "followup": {"start": "Procedure date", "end": "Last visit"},
//!  "events": [{"name": "VCF", "column": "VCF", "date": "VCF date"}]}
//! ```

use crate::diagnostic::{Diagnostic, Severity};
use crate::error::{Error, Position, Result};
use crate::values::{Cell, Codes};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use crate::values::DateOrder;

/// The whole mapping of a file's columns to analysis roles.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Patient identifier column (used in messages only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// How patients are put in strata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strata: Option<Strata>,
    /// Named unions of strata, each analysed as a stratum of its own.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub groups: BTreeMap<String, Vec<String>>,
    /// Pairs of strata to compare: Welch t and Mann–Whitney of changes, Fisher's exact test and the
    /// risk difference of proportions, log-rank of events.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub compare: Vec<[String; 2]>,
    /// Outcomes measured before and after.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paired: Vec<Paired>,
    /// Yes/no outcomes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub binary: Vec<Binary>,
    /// Follow-up length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followup: Option<Followup>,
    /// Events over follow-up.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<Event>,
    /// Columns described by stratum.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub covariates: Vec<String>,
    /// Columns of numbers that are categories (treatment arm 1/2, ECOG 0–3): described as n (%)
    /// and tested with chi-square, and as strata ordered by number.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categorical: Vec<String>,
    /// Names shown for a column's values, by column: `{"trt": {"1": "Standard", "2": "Test"}}`.
    /// Strata and categories are named so in every table and chart (and `groups` and `compare`
    /// name strata so).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, BTreeMap<String, String>>,
    /// Months at which Kaplan–Meier survival is reported (default 12 and 24).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub survival_times: Option<Vec<f64>>,
    /// Kaplan–Meier CI transform: "log" (R's default) or "log-log".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub km_ci: Option<KmCi>,
    /// More missing-value codes of this file (besides blank, NA, N/A, `.`, `-`, −99, −999,
    /// "missing", "unknown", …), compared ignoring case: e.g. `["888", "not done"]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
    /// Day–month order of dates such as `03/04/2021`: "DMY", "MDY" or "YMD"; decided from the
    /// data when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_format: Option<DateOrder>,
    /// The sheet of a workbook to read (the first sheet with data when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// The text encoding of a delimited text file, as any label the Encoding Standard knows
    /// (`"windows-1252"`, `"gb18030"`, `"shift_jis"`, `"utf-16le"`, …): overrides the encoding
    /// detected from the bytes. An unknown label is an error when the file is read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// The file is a REDCap export: REDCap's missing-data codes are missing, rows of repeating
    /// instruments are left out, and with `event` only the rows of that event are analysed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redcap: Option<Redcap>,
}

/// REDCap export settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Redcap {
    /// Analyse only the rows of this event (`redcap_event_name`, e.g. "baseline_arm_1").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
}

/// Kaplan–Meier confidence-interval transform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum KmCi {
    /// R survfit's default.
    #[serde(rename = "log")]
    Log,
    /// The log-log transform.
    #[serde(rename = "log-log")]
    LogLog,
}

/// Which direction of change is an improvement.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    /// Lower is better (pain scores): the default.
    #[default]
    Lower,
    /// Higher is better (function scores).
    Higher,
}

/// Stratification: categories as written in a column, or WHO categories from a T-score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", deny_unknown_fields)]
pub enum Strata {
    /// Categories exactly as written in this column.
    Column(String),
    /// WHO categories (Normal, Osteopenia, Osteoporosis, Unknown) from this T-score column.
    Tscore(String),
}

/// A paired outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Paired {
    /// Name shown in results.
    pub name: String,
    /// Column measured before.
    pub before: String,
    /// Column measured after.
    pub after: String,
    /// Which direction is an improvement ("lower", the default, or "higher").
    #[serde(default, skip_serializing_if = "is_default")]
    pub better: Better,
    /// Responders improve by at least this many points. When absent: the minimal clinically
    /// important difference of a scale known by name (`crate::scales`), else 10 % of `scale`, else
    /// 10 % of the range of values seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    /// The top of the scale the values are written on: values outside 0…`scale` are left out.
    /// For a pain score (VAS, NRS), 100 means millimetres, put on 0–10. When absent, a pain score
    /// is taken as 0–10, or as 0–100 mm when values above 10 are common.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<f64>,
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// A yes/no outcome: a column of yes/no codes, of codes one of which means yes (`event_value`),
/// or of numbers with a cut-off (`above`, `at_least`, `below` or `at_most`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Binary {
    /// Name shown in results.
    pub name: String,
    /// Column with yes/no codes.
    pub column: String,
    /// The value that means yes (any other value is no); the usual yes codes if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_value: Option<String>,
    /// Yes when the column's number is above this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub above: Option<f64>,
    /// Yes when the column's number is at least this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<f64>,
    /// Yes when the column's number is below this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub below: Option<f64>,
    /// Yes when the column's number is at most this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_most: Option<f64>,
}

/// A cut-off that makes a number a yes or a no.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cutoff {
    /// Yes when x > the value.
    Above(f64),
    /// Yes when x ≥ the value.
    AtLeast(f64),
    /// Yes when x < the value.
    Below(f64),
    /// Yes when x ≤ the value.
    AtMost(f64),
}

impl Cutoff {
    /// Whether `x` is a yes.
    pub fn yes(self, x: f64) -> bool {
        match self {
            Cutoff::Above(c) => x > c,
            Cutoff::AtLeast(c) => x >= c,
            Cutoff::Below(c) => x < c,
            Cutoff::AtMost(c) => x <= c,
        }
    }

    /// The rule written out for `column`: `Pain next morning > 0`.
    pub fn rule(self, column: &str) -> String {
        let (op, c) = match self {
            Cutoff::Above(c) => (">", c),
            Cutoff::AtLeast(c) => ("≥", c),
            Cutoff::Below(c) => ("<", c),
            Cutoff::AtMost(c) => ("≤", c),
        };
        format!("{column} {op} {c}")
    }
}

impl Binary {
    /// The cut-off, when the outcome is defined by one.
    pub fn cutoff(&self) -> Option<Cutoff> {
        self.above
            .map(Cutoff::Above)
            .or(self.at_least.map(Cutoff::AtLeast))
            .or(self.below.map(Cutoff::Below))
            .or(self.at_most.map(Cutoff::AtMost))
    }

    /// A yes/no outcome of `column`'s yes/no codes, named `name`.
    pub fn new(name: impl Into<String>, column: impl Into<String>) -> Self {
        Binary { name: name.into(), column: column.into(), ..Binary::default() }
    }
}

/// Follow-up length: a column of months, or two date columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged, deny_unknown_fields)]
pub enum Followup {
    /// A column of months.
    Months {
        /// Column of follow-up months.
        months: String,
    },
    /// A column of days; months = days × 12 / 365.25.
    Days {
        /// Column of follow-up days.
        days: String,
    },
    /// A column of weeks; months = weeks × 7 × 12 / 365.25.
    Weeks {
        /// Column of follow-up weeks.
        weeks: String,
    },
    /// A column of years; months = years × 12.
    Years {
        /// Column of follow-up years.
        years: String,
    },
    /// Start and end dates; months = days × 12 / 365.25.
    Dates {
        /// Column of start dates (e.g. procedure date).
        start: String,
        /// Column of end dates (e.g. last visit).
        end: String,
    },
}

/// An event over follow-up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// Name shown in results.
    pub name: String,
    /// Column telling whether the event happened.
    pub column: String,
    /// The value that means "event"; the usual yes codes if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_value: Option<String>,
    /// Column of months to event or censoring.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// Column with the event date; time then runs from `followup.start`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

impl Followup {
    /// The column of a follow-up length and the months one of its units is (`None` for dates).
    pub fn length(&self) -> Option<(&str, f64)> {
        match self {
            Followup::Months { months } => Some((months, 1.0)),
            Followup::Days { days } => Some((days, 12.0 / 365.25)),
            Followup::Weeks { weeks } => Some((weeks, 7.0 * 12.0 / 365.25)),
            Followup::Years { years } => Some((years, 12.0)),
            Followup::Dates { .. } => None,
        }
    }
}

impl Mapping {
    /// Parses a mapping from its JSON text.
    pub fn from_json(text: &str) -> Result<Self> {
        let m: Mapping = serde_json::from_str(text).map_err(|e| {
            Error::mapping(
                format!("not a valid mapping (line {}, column {}): {e}", e.line(), e.column()),
                Position::none(),
            )
            .with_zh(format!("不是有效的映射（第 {} 行，第 {} 列）：{e}", e.line(), e.column()))
        })?;
        Ok(m)
    }

    /// The mapping as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Checks what can be checked without the data: at least one outcome, unique names,
    /// groups and comparisons naming strata that can exist.
    pub fn validate(&self) -> Result<()> {
        if self.paired.is_empty() && self.binary.is_empty() && self.events.is_empty() {
            return Err(Error::mapping(
                "at least one of \"paired\", \"binary\" or \"events\" is needed",
                Position::none(),
            )
            .with_zh("至少需要一项“配对结局”（paired）、“是/否结局”（binary）或“事件”（events）"));
        }
        for p in &self.paired {
            if p.scale.is_some_and(|s| !(s.is_finite() && s > 0.0)) {
                return Err(Error::mapping(
                    format!("paired outcome \"{}\": \"scale\" must be a positive number (10, or 100 for mm)", p.name),
                    Position::column(p.after.clone()),
                )
                .with_zh(format!("配对结局“{}”：“scale”必须是正数（10，毫米刻度为 100）", p.name)));
            }
        }
        let names =
            self.paired.iter().map(|p| (&p.name, "paired")).chain(self.binary.iter().map(|b| (&b.name, "binary")));
        let mut seen: Vec<(&String, &str)> = Vec::new();
        for (name, kind) in names.chain(self.events.iter().map(|e| (&e.name, "events"))) {
            if let Some((_, first)) = seen.iter().find(|(n, _)| *n == name) {
                return Err(Error::mapping(
                    format!(
                        "two outcomes are named \"{name}\" (in \"{first}\" and \"{kind}\"): the results of one would \
                         replace the other's; give each its own \"name\""
                    ),
                    Position::none(),
                )
                .with_zh(format!("有两个结局都命名为“{name}”（在“{first}”和“{kind}”中）：一个的结果会覆盖另一个；请为每个结局指定不同的名称（name）")));
            }
            seen.push((name, kind));
        }
        for b in &self.binary {
            let cutoffs = [b.above, b.at_least, b.below, b.at_most];
            let given = cutoffs.iter().flatten().count();
            if given > 1 || (given == 1 && b.event_value.is_some()) {
                return Err(Error::mapping(
                    format!(
                        "yes/no outcome \"{}\": give one of \"event_value\", \"above\", \"at_least\", \"below\" or \
                         \"at_most\", not several",
                        b.name
                    ),
                    Position::column(b.column.clone()),
                )
                .with_zh(format!(
                    "是/否结局“{}”：“event_value”“above”“at_least”“below”“at_most”只能给出其中一项",
                    b.name
                )));
            }
            if cutoffs.iter().flatten().any(|c| !c.is_finite()) {
                return Err(Error::mapping(
                    format!("yes/no outcome \"{}\": the cut-off must be a number", b.name),
                    Position::column(b.column.clone()),
                )
                .with_zh(format!("是/否结局“{}”：切点必须是数字", b.name)));
            }
        }
        if let (None, Some([a, b])) = (&self.strata, self.compare.first()) {
            return Err(Error::mapping(
                format!("\"compare\" names \"{a}\" and \"{b}\", but there are no strata: name a \"strata\" column, or leave \"compare\" out"),
                Position::none(),
            )
            .with_zh(format!("“compare”比较“{a}”与“{b}”，但未设分层：请指定分层列，或删去该比较")));
        }
        for e in &self.events {
            if e.date.is_some() && !matches!(self.followup, Some(Followup::Dates { .. })) {
                return Err(Error::mapping(
                    format!("event \"{}\" gives a date, so \"followup\" needs \"start\" and \"end\" dates", e.name),
                    Position::column(e.date.clone().unwrap_or_default()),
                )
                .with_zh(format!("事件“{}”给出了日期，因此随访需要起止日期（start 与 end）", e.name)));
            }
        }
        Ok(())
    }

    /// Every column the mapping names, in the order roles are listed.
    pub fn columns(&self) -> Vec<&str> {
        let mut v: Vec<&str> = Vec::new();
        v.extend(self.id.as_deref());
        match &self.strata {
            Some(Strata::Column(c)) | Some(Strata::Tscore(c)) => v.push(c),
            None => {}
        }
        for p in &self.paired {
            v.push(&p.before);
            v.push(&p.after);
        }
        v.extend(self.binary.iter().map(|b| b.column.as_str()));
        match &self.followup {
            Some(Followup::Dates { start, end }) => {
                v.push(start);
                v.push(end);
            }
            Some(f) => v.extend(f.length().map(|(c, _)| c)),
            None => {}
        }
        for e in &self.events {
            v.push(&e.column);
            v.extend(e.time.as_deref());
            v.extend(e.date.as_deref());
        }
        v.extend(self.covariates.iter().map(String::as_str));
        v
    }
}

/// The values `labels` name that none of `values` (a column's values as read) is: a typing error
/// in the mapping, whose names would silently not be shown.
pub fn unmatched_labels<'a>(labels: &'a BTreeMap<String, String>, values: &[&str], codes: &Codes) -> Vec<&'a str> {
    labels
        .keys()
        .filter(|k| {
            !values.iter().any(|v| {
                let one = BTreeMap::from([((*k).clone(), String::new())]);
                label(&one, v, codes).is_some()
            })
        })
        .map(String::as_str)
        .collect()
}

/// A warning that the labels of `column` name values it does not hold (`unmatched`).
pub fn unmatched_labels_warning(column: &str, unmatched: &[&str]) -> Diagnostic {
    let list = unmatched.iter().map(|u| format!("\"{u}\"")).collect::<Vec<_>>();
    Diagnostic::new(
        Severity::Warning,
        Position::column(column),
        format!("\"labels\" name {}, which the column does not hold: no value is shown by that name", list.join(", ")),
        format!("“labels”中的 {} 不是该列的取值：没有取值以该名称显示", list.join("、")),
    )
}

/// The name `labels` (a column's entry of [`Mapping::labels`]) give a value written `text`: the
/// label of the same text (spacing aside), or of the same number (`1` and `1.0`).
pub fn label<'a>(labels: &'a BTreeMap<String, String>, text: &str, codes: &Codes) -> Option<&'a str> {
    let text = text.trim();
    if let Some(l) = labels.iter().find(|(k, _)| k.trim() == text) {
        return Some(l.1);
    }
    let Cell::Value(x) = codes.number(text) else { return None };
    labels.iter().find(|(k, _)| codes.number(k) == Cell::Value(x)).map(|(_, l)| l.as_str())
}

// ------------------------------------------------------------------------------------------
// Guessing a mapping from headers and values: in `mapping/guess.rs`.

pub(crate) mod guess;
pub use guess::{guess, guess_roles, is_pain_scale, Alternative, Guess, RoleGuess, AMBIGUOUS_MARGIN, LOW_CONFIDENCE};
