//! Column roles: which column holds what. One JSON format for the library, the CLI and the page.
//!
//! ```json
//! {"id": "Record ID", "strata": {"tscore": "DEXA T-score"},
//!  "paired": [{"name": "VAS", "before": "VAS baseline", "after": "VAS 6 wk"}],
//!  "binary": [{"name": "Functional improvement", "column": "Improved"}],
//!  "followup": {"start": "Procedure date", "end": "Last visit"},
//!  "events": [{"name": "VCF", "column": "VCF", "date": "VCF date"}]}
//! ```

use crate::error::{Error, Position, Result};
use crate::ingest::Table;
use crate::values::{self, Cell, Codes, DateRead};
use crate::{Diagnostic, Severity};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

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
    /// Pairs of strata to compare (tests come with the statistics issue).
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
    /// Responders improve by at least this many points (default 2, as on a 0–10 scale).
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

/// A yes/no outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Binary {
    /// Name shown in results.
    pub name: String,
    /// Column with yes/no codes.
    pub column: String,
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

// ------------------------------------------------------------------------------------------
// Guessing a mapping from headers and values.

/// A role guessed with less confidence than this is asked about (page) or warned about (CLI).
pub const LOW_CONFIDENCE: f64 = 0.5;
/// An alternative within this much of the chosen column's confidence makes a choice ambiguous.
pub const AMBIGUOUS_MARGIN: f64 = 0.15;
/// Candidates below this confidence are never chosen.
const FLOOR: f64 = 0.3;
/// Rows read to judge a column's values.
const SAMPLE: usize = 5000;

/// A mapping guessed from a table, with each role's column, confidence, reason and alternatives
/// (so a page can offer a choice per role and the CLI a suggested mapping).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Guess {
    /// The suggested mapping.
    pub mapping: Mapping,
    /// Every role filled, in the order of the mapping.
    pub roles: Vec<RoleGuess>,
    /// Columns given no role.
    pub unused: Vec<String>,
}

/// One role of a guessed mapping.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleGuess {
    /// `id`, `strata.tscore`, `strata.column`, `paired.before`, `paired.after`, `binary`,
    /// `followup.months`, `followup.start`, `followup.end`, `event`, `event.date`, `covariate`
    /// or `redcap.event`.
    pub role: String,
    /// The outcome the role belongs to (paired, binary and event roles).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// The column chosen (for `redcap.event`: the event's name).
    pub column: String,
    /// How sure the guess is, 0–1.
    pub confidence: f64,
    /// Why this column, in plain words.
    pub reason: String,
    /// The same in Chinese (中文), for the page.
    #[serde(default)]
    pub reason_zh: String,
    /// Other columns that could fill the role, most likely first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<Alternative>,
}

/// A column that could fill a role instead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alternative {
    /// The column (for `redcap.event`: an event's name).
    pub column: String,
    /// How likely, 0–1.
    pub confidence: f64,
    /// Why it could be meant.
    pub reason: String,
    /// The same in Chinese (中文), for the page.
    #[serde(default)]
    pub reason_zh: String,
}

impl RoleGuess {
    /// Whether the choice should be confirmed: low confidence, or an alternative nearly as likely.
    pub fn is_ambiguous(&self) -> bool {
        self.confidence < LOW_CONFIDENCE
            || self.alternatives.first().is_some_and(|a| a.confidence >= self.confidence - AMBIGUOUS_MARGIN)
    }

    /// The role in words, in `lang`.
    fn what(&self, lang: crate::Lang) -> String {
        let l = lang;
        let role = match self.role.as_str() {
            "id" => l.pick("patient identifier", "患者编号"),
            "strata.tscore" => l.pick("strata (WHO categories from a T-score)", "分层（按 T 值的 WHO 分类）"),
            "strata.column" => l.pick("strata (categories as written)", "分层（按列中原有类别）"),
            "paired.before" => l.pick("before", "治疗前"),
            "paired.after" => l.pick("after", "治疗后"),
            "binary" => l.pick("yes/no outcome", "是/否结局"),
            "followup.months" => l.pick("follow-up in months", "随访月数"),
            "followup.days" => l.pick("follow-up in days", "随访天数"),
            "followup.weeks" => l.pick("follow-up in weeks", "随访周数"),
            "followup.years" => l.pick("follow-up in years", "随访年数"),
            "followup.start" => l.pick("follow-up start date", "随访开始日期"),
            "followup.end" => l.pick("follow-up end date", "随访结束日期"),
            "event" => l.pick("event", "事件"),
            "event.date" => l.pick("event date", "事件日期"),
            "covariate" => l.pick("patient characteristic", "患者特征"),
            "redcap.event" => l.pick("REDCap event analysed", "分析的 REDCap 事件"),
            other => other,
        };
        match (&self.outcome, lang) {
            (Some(o), crate::Lang::En) if self.role.starts_with("paired") => format!("paired outcome \"{o}\", {role}"),
            (Some(o), crate::Lang::Zh) if self.role.starts_with("paired") => format!("配对结局“{o}”，{role}"),
            (Some(o), crate::Lang::En) if self.role == "event.date" => format!("date of event \"{o}\""),
            (Some(o), crate::Lang::Zh) if self.role == "event.date" => format!("事件“{o}”的日期"),
            _ => role.to_string(),
        }
    }
}

impl Guess {
    /// The roles whose choice should be confirmed.
    pub fn ambiguous(&self) -> impl Iterator<Item = &RoleGuess> {
        self.roles.iter().filter(|r| r.is_ambiguous())
    }

    /// Whether any role should be confirmed before the analysis is trusted.
    pub fn is_ambiguous(&self) -> bool {
        self.ambiguous().next().is_some()
    }

    /// What was guessed, as diagnostics: a note per role, and a warning per ambiguous role
    /// naming the alternatives.
    pub fn notes(&self) -> Vec<Diagnostic> {
        let mut out = Vec::with_capacity(self.roles.len());
        for r in &self.roles {
            let pct = (r.confidence * 100.0).round();
            let position = if r.role == "redcap.event" { Position::none() } else { Position::column(r.column.clone()) };
            let (what, what_zh) = (r.what(crate::Lang::En), r.what(crate::Lang::Zh));
            if r.is_ambiguous() {
                let alts = |zh: bool| -> Vec<String> {
                    r.alternatives
                        .iter()
                        .map(|a| {
                            let p = (a.confidence * 100.0).round();
                            if zh {
                                format!("“{}”（{p:.0}%：{}）", a.column, a.reason_zh)
                            } else {
                                format!("\"{}\" ({p:.0}%: {})", a.column, a.reason)
                            }
                        })
                        .collect()
                };
                let (en, zh) = if r.alternatives.is_empty() {
                    (
                        format!(
                            "{what}: \"{}\" is only a weak guess ({pct:.0}%: {}); check it in the mapping",
                            r.column, r.reason
                        ),
                        format!(
                            "{what_zh}：“{}”只是较弱的猜测（{pct:.0}%：{}），请在映射中核对",
                            r.column, r.reason_zh
                        ),
                    )
                } else {
                    (
                        format!(
                            "{what}: chose \"{}\" ({pct:.0}%: {}), but it could be {}; say which in the mapping",
                            r.column,
                            r.reason,
                            alts(false).join(" or ")
                        ),
                        format!(
                            "{what_zh}：选择了“{}”（{pct:.0}%：{}），但也可能是{}；请在映射中指定",
                            r.column,
                            r.reason_zh,
                            alts(true).join("或")
                        ),
                    )
                };
                out.push(Diagnostic::new(Severity::Warning, position, en, zh));
            } else {
                out.push(Diagnostic::new(
                    Severity::Info,
                    position,
                    format!("{what}: \"{}\" ({pct:.0}%: {})", r.column, r.reason),
                    format!("{what_zh}：“{}”（{pct:.0}%：{}）", r.column, r.reason_zh),
                ));
            }
        }
        out
    }
}

/// What a column's first rows hold.
#[derive(Debug, Default)]
struct Profile {
    /// Cells with a value (not blank, not a missing code).
    n: usize,
    numeric: usize,
    yes: usize,
    no: usize,
    /// Cells written as dates (not bare numbers).
    dates: usize,
    /// Bare numbers that are plausible dates: Excel day numbers (1950–2099), yyyymmdd.
    serials: usize,
    /// Of those, yyyymmdd: a column of nothing else is dates, whatever its header.
    compact: usize,
    /// Lengths of time that give their own unit ("6 mo", "2 years"), and the first of them.
    lengths: usize,
    length_example: Option<String>,
    /// Numbers within −6…+6 (T-scores), negative numbers, numbers above 10.
    tscore_range: usize,
    negatives: usize,
    above_10: usize,
    min: f64,
    max: f64,
    /// Distinct values (texts), and whether any value repeats.
    distinct: usize,
    repeats: bool,
    /// The first distinct values, in order of appearance (up to 20).
    levels: Vec<String>,
    /// Yes/no in two words of the column's own, one the other negated ("Improved" / "Not
    /// improved"; see `values::negation_pair`), and no yes/no code.
    own_yes_no: bool,
}

impl Profile {
    fn of(table: &Table, c: usize, codes: &Codes) -> Self {
        let mut p = Profile { min: f64::INFINITY, max: f64::NEG_INFINITY, ..Profile::default() };
        let mut seen: HashSet<&str> = HashSet::new();
        for v in table.column(c).take(SAMPLE) {
            if codes.is_missing(v) {
                continue;
            }
            p.n += 1;
            if seen.insert(v) {
                if p.levels.len() < 20 {
                    p.levels.push(v.to_string());
                }
            } else {
                p.repeats = true;
            }
            match codes.yes_no(v) {
                Cell::Value(true) => p.yes += 1,
                Cell::Value(false) => p.no += 1,
                _ => {}
            }
            if let Cell::Value(x) = codes.number(v) {
                p.numeric += 1;
                p.min = p.min.min(x);
                p.max = p.max.max(x);
                p.negatives += usize::from(x < 0.0);
                p.above_10 += usize::from(x > 10.0);
                p.tscore_range += usize::from((-6.0..=6.0).contains(&x));
                // Excel day numbers, and dates written as yyyymmdd (20210331: exports of hospital systems).
                let compact = v.len() == 8 && matches!(codes.read_date(v), DateRead::Days(_));
                p.compact += usize::from(compact);
                p.serials += usize::from((18_264.0..73_051.0).contains(&x) || compact);
            } else if matches!(codes.read_date(v), DateRead::Days(_) | DateRead::Either { .. }) {
                p.dates += 1;
            } else if codes.months(v, 1.0).1 {
                p.lengths += 1;
                p.length_example.get_or_insert_with(|| v.to_string());
            }
        }
        p.distinct = seen.len();
        if p.yes + p.no == 0 && p.levels.len() == p.distinct {
            let levels: Vec<&str> = p.levels.iter().map(String::as_str).collect();
            p.own_yes_no = values::negation_pair(&levels).is_some();
        }
        p
    }
    fn share(&self, k: usize) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            k as f64 / self.n as f64
        }
    }
    fn is_numeric(&self) -> bool {
        self.n > 0 && self.share(self.numeric) >= 0.9
    }
    fn is_yes_no(&self) -> bool {
        self.own_yes_no || (self.n > 0 && self.share(self.yes + self.no) >= 0.9)
    }
    fn has_both_answers(&self) -> bool {
        self.own_yes_no || (self.yes > 0 && self.no > 0)
    }
}

/// One column as the guess sees it.
struct Col<'a> {
    name: &'a str,
    lower: String,
    tokens: Vec<String>,
    cased: Vec<String>,
    p: Profile,
}

impl Col<'_> {
    /// The first of `words` the header holds: a word ending in `*` matches tokens starting with
    /// it, a word with spaces consecutive tokens, a non-ASCII word anywhere in the header.
    fn word(&self, words: &[&'static str]) -> Option<&'static str> {
        let w = words.iter().copied().find(|w| has(&self.tokens, &self.lower, w))?;
        Some(w.strip_suffix('*').unwrap_or(w))
    }
    /// Mostly dates; Excel day numbers count when the header says date or written dates are
    /// common too.
    fn is_date(&self) -> bool {
        let p = &self.p;
        p.n > 0
            && (p.share(p.dates) >= 0.9
                || p.share(p.dates + p.compact) >= 0.9
                || ((self.word(DATE_WORDS).is_some() || p.share(p.dates) >= 0.5)
                    && p.share(p.dates + p.serials) >= 0.9))
    }
}

fn has(tokens: &[String], lower: &str, w: &str) -> bool {
    if !w.is_ascii() {
        return lower.contains(w);
    }
    if let Some(prefix) = w.strip_suffix('*') {
        return tokens.iter().any(|t| t.starts_with(prefix));
    }
    let parts: Vec<&str> = w.split(' ').collect();
    tokens.windows(parts.len()).any(|win| win.iter().zip(&parts).all(|(t, p)| t == p))
}

/// Header words, split at blanks and punctuation and between scripts ("术前VAS" → "术前", "VAS").
fn tokens_cased(h: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut cur_ascii = true;
    for c in h.chars() {
        let sep = c.is_whitespace()
            || matches!(
                c,
                '_' | '-'
                    | '('
                    | ')'
                    | '['
                    | ']'
                    | '{'
                    | '}'
                    | ':'
                    | ','
                    | '.'
                    | '/'
                    | ';'
                    | '='
                    | '#'
                    | '?'
                    | '*'
                    | '（'
                    | '）'
                    | '：'
                    | '，'
                    | '、'
                    | '；'
                    | '【'
                    | '】'
                    | '–'
                    | '—'
            );
        if sep {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if !cur.is_empty() && c.is_ascii() != cur_ascii {
            out.push(std::mem::take(&mut cur));
        }
        cur_ascii = c.is_ascii();
        cur.push(c);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

const ID_WORDS: &[&str] = &[
    "id",
    "mrn",
    "record",
    "patient",
    "subject",
    "participant",
    "case",
    "编号",
    "患者",
    "住院号",
    "病历号",
    "病案号",
    "序号",
];
const TSCORE_WORDS: &[&str] = &["t score", "tscore", "t值", "t 值", "t分数"];
const DEXA_WORDS: &[&str] = &["dexa", "dxa", "bmd", "bone density", "bone mineral density", "骨密度"];
const PAIN_WORDS: &[&str] = &["vas", "nrs", "nprs", "pain", "疼痛", "痛"];
const BEFORE_WORDS: &[&str] = &[
    "baseline",
    "pre",
    "before",
    "preop",
    "preoperative",
    "pretreatment",
    "initial",
    "admission",
    "术前",
    "基线",
    "治疗前",
    "入院",
];
const AFTER_WORDS: &[&str] = &[
    "post",
    "after",
    "postop",
    "postoperative",
    "posttreatment",
    "follow",
    "followup",
    "fu",
    "final",
    "last",
    "discharge",
    "术后",
    "随访",
    "治疗后",
    "末次",
    "出院",
];
/// Units of time: "6 wk", "3mo", "6周", "3个月".
const UNITS: &[&str] = &[
    "w", "wk", "wks", "week", "weeks", "m", "mo", "mos", "mon", "month", "months", "d", "day", "days", "y", "yr",
    "yrs", "year", "years", "h", "hr", "周", "个月", "月", "天", "日", "年", "小时",
];
/// Words that only say when or what kind of number (dropped when matching before and after).
const FILLER: &[&str] =
    &["score", "op", "up", "visit", "at", "of", "the", "value", "procedure", "treatment", "评分", "得分", "分", "值"];
const FU_WORDS: &[&str] = &["follow*", "fu", "随访", "duration"];
const MONTH_WORDS: &[&str] = &["month", "months", "mo", "mos", "m", "月"];
const DAY_WORDS: &[&str] = &["day", "days", "d", "天"];
const WEEK_WORDS: &[&str] = &["week", "weeks", "wk", "wks", "w", "周"];
const YEAR_WORDS: &[&str] = &["year", "years", "yr", "yrs", "y", "年"];
const START_WORDS: &[&str] = &[
    "procedure",
    "surgery",
    "operation",
    "treatment",
    "start",
    "index",
    "intervention",
    "ablation",
    "op",
    "手术",
    "术日",
    "治疗",
    "开始",
];
const END_WORDS: &[&str] =
    &["last", "follow*", "end", "visit", "final", "latest", "recent", "随访", "末次", "最后", "结束"];
const DATE_WORDS: &[&str] = &["date", "dt", "日期", "时间"];
const EVENT_WORDS: &[&str] =
    &["fracture*", "vcf", "refracture*", "event*", "complication*", "adverse", "ae", "骨折", "并发症", "不良"];
const OUTCOME_WORDS: &[&str] =
    &["improv*", "success*", "respon*", "satisf*", "relief", "better", "改善", "有效", "好转", "满意"];
const GROUP_WORDS: &[&str] = &[
    "group",
    "clinic",
    "site",
    "stratum",
    "strata",
    "category",
    "bone density",
    "center",
    "centre",
    "arm",
    "cohort",
    "分组",
    "组别",
    "分类",
];
const COVARIATE_WORDS: &[&str] = &[
    "age",
    "sex",
    "gender",
    "bmi",
    "smok*",
    "diabet*",
    "steroid*",
    "weight",
    "height",
    "race",
    "ethnic*",
    "年龄",
    "性别",
    "体重",
    "身高",
    "吸烟",
    "糖尿病",
    "激素",
];

/// Whether a column or outcome name speaks of a pain score (VAS, NRS, pain, 疼痛).
pub fn is_pain_scale(name: &str) -> bool {
    let t: Vec<String> = tokens_cased(name).iter().map(|t| t.to_lowercase()).collect();
    let lower = name.to_lowercase();
    PAIN_WORDS.iter().any(|w| has(&t, &lower, w))
}

/// The part of a header that names the measure (without before/after and time words), as
/// lower-case tokens, and the same tokens as the header spells them.
fn stem(col: &Col) -> (Vec<String>, Vec<String>) {
    let (mut s, mut cased) = (Vec::new(), Vec::new());
    let mut prev_number = false;
    for (t, c) in col.tokens.iter().zip(&col.cased) {
        let number = t.bytes().all(|b| b.is_ascii_digit());
        let duration = t.as_bytes().first().is_some_and(u8::is_ascii_digit)
            && UNITS.contains(&t.trim_start_matches(|c: char| c.is_ascii_digit()));
        let unit = prev_number && UNITS.contains(&t.as_str());
        let after_number = prev_number;
        prev_number = number;
        let when = BEFORE_WORDS.contains(&t.as_str()) || AFTER_WORDS.contains(&t.as_str());
        if number || duration || unit || when || FILLER.contains(&t.as_str()) {
            continue;
        }
        if t.is_ascii() {
            s.push(t.clone());
            cased.push(c.clone());
        } else {
            let mut t = t.clone();
            // "3个月疼痛" splits as "3", "个月疼痛": the unit leads the word.
            if after_number {
                if let Some(u) = UNITS.iter().filter(|u| !u.is_ascii()).find(|u| t.starts_with(**u)) {
                    t.drain(..u.len());
                }
            }
            for w in BEFORE_WORDS.iter().chain(AFTER_WORDS).chain(FILLER).filter(|w| !w.is_ascii()) {
                t = t.replace(w, "");
            }
            if !t.is_empty() {
                s.push(t.clone());
                cased.push(t);
            }
        }
    }
    (s, cased)
}

/// The time a header gives, such as "6 wk", "12mo" or "6 周".
fn duration(col: &Col) -> Option<String> {
    let i = col.tokens.iter().position(|t| t.as_bytes().first().is_some_and(u8::is_ascii_digit))?;
    let t = &col.tokens[i];
    if UNITS.contains(&t.trim_start_matches(|c: char| c.is_ascii_digit())) && !t.bytes().all(|b| b.is_ascii_digit()) {
        return Some(col.cased[i].clone());
    }
    let unit = col.tokens.get(i + 1).filter(|u| UNITS.contains(&u.as_str()))?;
    Some(format!("{} {}", col.cased[i], unit))
}

/// A reason, in English and Chinese (the page shows the one of its language).
struct Why {
    en: String,
    zh: String,
}

fn why(en: impl Into<String>, zh: impl Into<String>) -> Why {
    Why { en: en.into(), zh: zh.into() }
}

/// A candidate column for a role.
struct Cand {
    col: usize,
    conf: f64,
    reason: Why,
}

/// The guess under construction.
struct Guesser<'a> {
    cols: Vec<Col<'a>>,
    used: Vec<bool>,
    roles: Vec<RoleGuess>,
}

impl<'a> Guesser<'a> {
    /// Candidates of `score` among the unused columns, most likely first (ties: column order).
    fn candidates(&self, score: impl Fn(&Col) -> Option<(f64, Why)>) -> Vec<Cand> {
        let mut c: Vec<Cand> = self
            .cols
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.used[*i])
            .filter_map(|(i, col)| score(col).map(|(conf, reason)| Cand { col: i, conf, reason }))
            .collect();
        c.sort_by(|a, b| b.conf.total_cmp(&a.conf));
        c
    }

    /// Takes the best candidate (if likely enough) for `role`, keeping the others as alternatives.
    fn take(&mut self, role: &str, outcome: Option<&str>, mut cands: Vec<Cand>) -> Option<usize> {
        if cands.first().is_none_or(|c| c.conf < FLOOR) {
            return None;
        }
        let best = cands.remove(0);
        self.used[best.col] = true;
        let alternatives = cands
            .into_iter()
            .filter(|c| c.conf >= FLOOR / 2.0)
            .take(5)
            .map(|c| Alternative {
                column: self.cols[c.col].name.to_string(),
                confidence: c.conf,
                reason: c.reason.en,
                reason_zh: c.reason.zh,
            })
            .collect();
        self.roles.push(RoleGuess {
            role: role.into(),
            outcome: outcome.map(str::to_string),
            column: self.cols[best.col].name.to_string(),
            confidence: best.conf,
            reason: best.reason.en,
            reason_zh: best.reason.zh,
            alternatives,
        });
        Some(best.col)
    }

    fn name(&self, i: usize) -> String {
        self.cols[i].name.to_string()
    }
}

/// Guesses a mapping from the headers and values of `table`: every role with its column, a
/// confidence and the reason, and the alternatives when another column could be meant. The
/// mapping may have no outcome when none was recognised ([`Mapping::validate`] then says so).
pub fn guess_roles(table: &Table) -> Guess {
    let d = table.dialect();
    let mut codes = Codes {
        decimal_comma: d.decimal_comma && !d.typed,
        thousands: if d.typed { None } else { d.thousands },
        ..Codes::default()
    };
    let headers = table.headers();
    let redcap = headers.iter().any(|h| {
        values::is_redcap_bookkeeping(h) || values::redcap_checkbox(h).is_some() || h.eq_ignore_ascii_case("record_id")
    });
    codes.redcap = redcap;
    let cols: Vec<Col> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let cased = tokens_cased(h);
            Col {
                name: h,
                lower: h.to_lowercase(),
                tokens: cased.iter().map(|t| t.to_lowercase()).collect(),
                cased,
                p: Profile::of(table, i, &codes),
            }
        })
        .collect();
    let mut g =
        Guesser { used: cols.iter().map(|c| values::is_redcap_bookkeeping(c.name)).collect(), cols, roles: vec![] };
    let mut m = Mapping::default();

    if redcap {
        m.redcap = Some(Redcap::default());
        let event_column =
            |c: &&Col| c.name.eq_ignore_ascii_case("redcap_event_name") || c.name.eq_ignore_ascii_case("Event Name");
        if let Some(ec) = g.cols.iter().find(event_column) {
            if ec.p.levels.len() > 1 {
                let event = ec.p.levels[0].clone();
                let alternatives = ec.p.levels[1..]
                    .iter()
                    .map(|e| Alternative {
                        column: e.clone(),
                        confidence: 0.4,
                        reason: "another event of this longitudinal export".into(),
                        reason_zh: "此纵向导出中的另一个事件".into(),
                    })
                    .collect();
                g.roles.push(RoleGuess {
                    role: "redcap.event".into(),
                    outcome: None,
                    column: event.clone(),
                    confidence: 0.45,
                    reason: format!(
                        "a longitudinal REDCap export with {} events; the first is analysed, rows of the others \
                         are left out",
                        ec.p.levels.len()
                    ),
                    reason_zh: format!(
                        "纵向 REDCap 导出，共 {} 个事件；分析第一个，其余事件的行不纳入",
                        ec.p.levels.len()
                    ),
                    alternatives,
                });
                m.redcap = Some(Redcap { event: Some(event) });
            }
        }
    }

    // Patient identifier.
    let cands = g.candidates(|c| {
        let w = c.word(ID_WORDS)?;
        // "Patient age", "Patient satisfied", "Case date" are something else.
        let other = c.word(COVARIATE_WORDS).or(c.word(OUTCOME_WORDS)).or(c.word(EVENT_WORDS)).is_some();
        if c.tokens.len() > 3 || other || c.is_date() || c.p.is_yes_no() {
            return None;
        }
        Some(if c.p.repeats {
            (0.4, why(format!("the header says \"{w}\", but values repeat"), format!("列标题含“{w}”，但有重复值")))
        } else {
            (
                0.9,
                why(
                    format!("the header says \"{w}\" and every value is different"),
                    format!("列标题含“{w}”，且每个值都不同"),
                ),
            )
        })
    });
    if let Some(i) = g.take("id", None, cands) {
        m.id = Some(g.name(i));
    }

    // T-score strata.
    let cands = g.candidates(|c| {
        if !c.p.is_numeric() {
            return None;
        }
        let in_range = c.p.share(c.p.tscore_range);
        if let Some(w) = c.word(TSCORE_WORDS) {
            return Some(if in_range >= 0.95 {
                (
                    0.95,
                    why(
                        format!("the header says \"{w}\" and the values are within −6…+6"),
                        format!("列标题含“{w}”，且数值在 −6…+6 之间"),
                    ),
                )
            } else {
                (
                    0.55,
                    why(
                        format!("the header says \"{w}\", but some values are outside −6…+6"),
                        format!("列标题含“{w}”，但部分数值超出 −6…+6"),
                    ),
                )
            });
        }
        let w = c.word(DEXA_WORDS)?;
        if c.p.negatives > 0 && in_range >= 0.95 {
            Some((
                0.8,
                why(
                    format!("the header says \"{w}\" and the values look like T-scores (some negative, within −6…+6)"),
                    format!("列标题含“{w}”，且数值像 T 值（有负值，在 −6…+6 之间）"),
                ),
            ))
        } else {
            Some((
                0.1,
                why(
                    format!("the header says \"{w}\", but the values do not look like T-scores (g/cm²?)"),
                    format!("列标题含“{w}”，但数值不像 T 值（可能是 g/cm²？）"),
                ),
            ))
        }
    });
    if let Some(i) = g.take("strata.tscore", None, cands) {
        m.strata = Some(Strata::Tscore(g.name(i)));
    }

    guess_paired(&mut g, &mut m);
    guess_followup(&mut g, &mut m);
    guess_events(&mut g, &mut m);

    // Yes/no outcomes: yes/no columns whose header names an outcome.
    loop {
        let cands = g.candidates(|c| {
            let w = c.word(OUTCOME_WORDS)?;
            c.p.is_yes_no().then(|| (0.85, yes_no_named(w)))
        });
        let Some(i) = g.take("binary", None, cands) else { break };
        push_binary(&mut g, &mut m, i);
    }

    // Strata from a category column, when there is no T-score.
    if m.strata.is_none() {
        let cands = g.candidates(|c| {
            let w = c.word(GROUP_WORDS)?;
            let few = (2..=20).contains(&c.p.distinct);
            (!c.p.is_numeric() && !c.is_date() && few).then(|| {
                let n = c.p.distinct;
                (
                    0.8,
                    why(
                        format!("the header says \"{w}\" and it has {n} categories"),
                        format!("列标题含“{w}”，共 {n} 个类别"),
                    ),
                )
            })
        });
        if let Some(i) = g.take("strata.column", None, cands) {
            m.strata = Some(Strata::Column(g.name(i)));
        }
    }

    // Patient characteristics; other yes/no columns are outcomes only when nothing else is.
    let no_outcome = m.paired.is_empty() && m.binary.is_empty() && m.events.is_empty();
    for i in 0..g.cols.len() {
        if g.used[i] {
            continue;
        }
        let c = &g.cols[i];
        let (role, conf, reason) = if let Some(w) = c.word(COVARIATE_WORDS) {
            ("covariate", 0.7, why(format!("the header says \"{w}\""), format!("列标题含“{w}”")))
        } else if c.p.is_yes_no() && c.p.has_both_answers() && !c.is_date() {
            if no_outcome {
                (
                    "binary",
                    0.4,
                    why("yes/no values, though the header names no outcome", "是/否取值，但列标题未指明结局"),
                )
            } else {
                (
                    "covariate",
                    0.5,
                    why(
                        "yes/no values and the header names no outcome; map it under \"binary\" to analyse it as one",
                        "是/否取值，但列标题未指明结局；如需作为结局分析，请在“是/否结局”中选择它",
                    ),
                )
            }
        } else {
            continue;
        };
        g.used[i] = true;
        let name = g.name(i);
        if role == "binary" {
            m.binary.push(Binary { name: name.clone(), column: name.clone() });
        } else {
            m.covariates.push(name.clone());
        }
        g.roles.push(RoleGuess {
            role: role.into(),
            outcome: (role == "binary").then(|| name.clone()),
            column: name,
            confidence: conf,
            reason: reason.en,
            reason_zh: reason.zh,
            alternatives: vec![],
        });
    }
    let unused = g
        .cols
        .iter()
        .filter(|c| !g.roles.iter().any(|r| r.column == c.name && r.role != "redcap.event"))
        .map(|c| c.name.to_string())
        .collect();
    Guess { mapping: m, roles: g.roles, unused }
}

/// Column `i`, just taken as a yes/no outcome, into the mapping (named as its header).
fn push_binary(g: &mut Guesser, m: &mut Mapping, i: usize) {
    let name = g.name(i);
    if let Some(r) = g.roles.last_mut() {
        r.outcome = Some(name.clone());
    }
    m.binary.push(Binary { name: name.clone(), column: name });
}

/// "Yes/no values and the header says …", for outcomes and events.
fn yes_no_named(w: &str) -> Why {
    why(format!("yes/no values and the header says \"{w}\""), format!("是/否取值，且列标题含“{w}”"))
}

/// Paired outcomes: a "before" column and an "after" column with the same stem.
fn guess_paired(g: &mut Guesser, m: &mut Mapping) {
    for i in 0..g.cols.len() {
        let c = &g.cols[i];
        if g.used[i] || !c.p.is_numeric() || c.is_date() {
            continue;
        }
        let Some(bw) = c.word(BEFORE_WORDS) else { continue };
        let (s, cased) = stem(c);
        if s.is_empty() {
            continue;
        }
        let pain = is_pain_scale(&s.join(" "));
        let afters = g.candidates(|a| {
            if !a.p.is_numeric() || a.word(BEFORE_WORDS).is_some() || stem(a).0 != s {
                return None;
            }
            let when = match a.word(AFTER_WORDS) {
                Some(w) => why(format!("the header says \"{w}\""), format!("列标题含“{w}”")),
                None => {
                    let d = duration(a)?;
                    why(format!("the header gives a time (\"{d}\")"), format!("列标题给出时间（“{d}”）"))
                }
            };
            let reason = why(
                format!("same measure as \"{}\", and {}", c.name, when.en),
                format!("与“{}”为同一指标，且{}", c.name, when.zh),
            );
            Some((if pain { 0.95 } else { 0.85 }, reason))
        });
        if afters.is_empty() {
            continue;
        }
        let name = cased.join(" ");
        let before_conf = if pain { 0.95 } else { 0.85 };
        let before_reason = why(
            format!("the header says \"{bw}\" and the values are numbers"),
            format!("列标题含“{bw}”，且取值为数字"),
        );
        let before_col = g.name(i);
        g.used[i] = true;
        g.roles.push(RoleGuess {
            role: "paired.before".into(),
            outcome: Some(name.clone()),
            column: before_col.clone(),
            confidence: before_conf,
            reason: before_reason.en,
            reason_zh: before_reason.zh,
            alternatives: vec![],
        });
        let Some(j) = g.take("paired.after", Some(&name), afters) else { continue };
        m.paired.push(Paired {
            name,
            before: before_col,
            after: g.name(j),
            better: Better::Lower,
            threshold: None,
            scale: None,
        });
    }
}

/// Follow-up: a months column, or a start and an end date.
fn guess_followup(g: &mut Guesser, m: &mut Mapping) {
    // A length: months, or days, weeks or years (converted to months), as its header says.
    type Unit = (&'static str, &'static [&'static str], fn(String) -> Followup);
    let units: [Unit; 4] = [
        ("followup.months", MONTH_WORDS, |months| Followup::Months { months }),
        ("followup.days", DAY_WORDS, |days| Followup::Days { days }),
        ("followup.weeks", WEEK_WORDS, |weeks| Followup::Weeks { weeks }),
        ("followup.years", YEAR_WORDS, |years| Followup::Years { years }),
    ];
    for (role, words, length) in units {
        let cands = g.candidates(|c| {
            let fw = c.word(FU_WORDS)?;
            let p = &c.p;
            let lengths = p.n > 0 && p.share(p.numeric + p.lengths) >= 0.9 && p.negatives == 0 && !c.is_date();
            if let Some(uw) = c.word(words) {
                return lengths.then(|| {
                    (
                        0.85,
                        why(
                            format!("the header says \"{fw}\" and \"{uw}\", and the values are numbers ≥ 0"),
                            format!("列标题含“{fw}”和“{uw}”，且取值为 ≥ 0 的数字"),
                        ),
                    )
                });
            }
            // No unit in the header: a column of months if its cells give their units ("6 mo").
            let example =
                p.length_example.as_deref().filter(|_| role == "followup.months" && p.share(p.lengths) >= 0.5)?;
            lengths.then(|| {
                (
                    0.8,
                    why(
                        format!("the header says \"{fw}\", and the values give their units (\"{example}\")"),
                        format!("列标题含“{fw}”，且取值自带单位（“{example}”）"),
                    ),
                )
            })
        });
        if let Some(i) = g.take(role, None, cands) {
            m.followup = Some(length(g.name(i)));
            return;
        }
    }
    let dated = |c: &Col, words: &[&'static str], what: (&str, &str)| -> Option<(f64, Why)> {
        if !c.is_date() {
            return None;
        }
        Some(match c.word(words) {
            Some(w) => (
                0.85,
                why(
                    format!("dates, and the header says \"{w}\" ({})", what.0),
                    format!("日期，且列标题含“{w}”（{}）", what.1),
                ),
            ),
            None => (0.2, why("dates", "日期")),
        })
    };
    let starts = g.candidates(|c| dated(c, START_WORDS, ("a start", "起点")));
    let ends = g.candidates(|c| {
        let end = dated(c, END_WORDS, ("an end", "终点"))?;
        // An event's own date is no end of follow-up.
        (c.word(EVENT_WORDS).is_none()).then_some(end)
    });
    let (Some(s), Some(e)) = (starts.first(), ends.first()) else { return };
    if s.col == e.col || s.conf < FLOOR || e.conf < FLOOR {
        return;
    }
    let (start_col, end_col) = (s.col, e.col);
    let starts: Vec<Cand> = starts.into_iter().filter(|c| c.col != end_col).collect();
    let ends: Vec<Cand> = ends.into_iter().filter(|c| c.col != start_col).collect();
    let (Some(s), Some(e)) = (g.take("followup.start", None, starts), g.take("followup.end", None, ends)) else {
        return;
    };
    m.followup = Some(Followup::Dates { start: g.name(s), end: g.name(e) });
}

/// Events: yes/no columns about fractures, complications or events, with their dates. Without a
/// follow-up to time them (the guess found none), they are yes/no outcomes: an event needs a time.
fn guess_events(g: &mut Guesser, m: &mut Mapping) {
    let untimed = m.followup.is_none();
    loop {
        let cands = g.candidates(|c| {
            let w = c.word(EVENT_WORDS)?;
            (c.p.is_yes_no() && !c.is_date()).then(|| {
                let why = if untimed {
                    why(
                        format!(
                            "yes/no values and the header says \"{w}\"; no follow-up column was found to time it, so \
                             a yes/no outcome"
                        ),
                        format!("是/否取值，且列标题含“{w}”；未找到可计时的随访列，故作为是/否结局"),
                    )
                } else {
                    yes_no_named(w)
                };
                (0.85, why)
            })
        });
        let Some(i) = g.take(if untimed { "binary" } else { "event" }, None, cands) else { break };
        if untimed {
            push_binary(g, m, i);
            continue;
        }
        let name = match values::redcap_checkbox(g.cols[i].name) {
            Some((field, choice)) if g.cols[i].name.contains("___") => format!("{field}: {choice}"),
            Some((_, choice)) => choice.to_string(),
            None => g.name(i),
        };
        if let Some(r) = g.roles.last_mut() {
            r.outcome = Some(name.clone());
        }
        let mut ev = Event { name: name.clone(), column: g.name(i), event_value: None, time: None, date: None };
        if matches!(m.followup, Some(Followup::Dates { .. })) {
            let own: Vec<&'static str> =
                EVENT_WORDS.iter().copied().filter(|w| has(&g.cols[i].tokens, &g.cols[i].lower, w)).collect();
            let lower_name = g.cols[i].lower.clone();
            let dates = g.candidates(|c| {
                let w = c.word(DATE_WORDS)?;
                let about = c.lower.contains(&lower_name) || own.iter().any(|e| has(&c.tokens, &c.lower, e));
                (about && (c.p.n == 0 || c.is_date())).then(|| {
                    (
                        0.85,
                        why(
                            format!("the header says \"{w}\" and names the event"),
                            format!("列标题含“{w}”，并指明该事件"),
                        ),
                    )
                })
            });
            if let Some(d) = g.take("event.date", Some(&name), dates) {
                ev.date = Some(g.name(d));
            }
        }
        m.events.push(ev);
    }
}

/// Guesses a mapping from the headers and values of `table`, with notes on what was guessed (a
/// warning for each ambiguous role). An error when no outcome column is recognised.
pub fn guess(table: &Table) -> Result<(Mapping, Vec<Diagnostic>)> {
    let g = guess_roles(table);
    if g.mapping.paired.is_empty() && g.mapping.binary.is_empty() && g.mapping.events.is_empty() {
        return Err(Error::mapping(
            format!(
                "no outcome columns recognised (looked for before/after pairs such as \"VAS baseline\" and \
                 \"VAS 6 wk\", and yes/no columns); give a mapping. Columns: {}",
                table.headers().join(", ")
            ),
            Position::none(),
        )
        .with_zh(format!(
            "未识别出结局列（查找了“VAS baseline”与“VAS 6 wk”这类治疗前后配对列，以及是/否列）；请指定映射。各列：{}",
            table.headers().join("、")
        )));
    }
    let notes = g.notes();
    Ok((g.mapping, notes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_split_between_scripts_and_at_punctuation() {
        assert_eq!(tokens_cased("术后6周VAS"), ["术后", "6", "周", "VAS"]);
        assert_eq!(tokens_cased("DEXA T-score"), ["DEXA", "T", "score"]);
        assert_eq!(tokens_cased("疼痛（术前）"), ["疼痛", "术前"]);
    }

    #[test]
    fn pain_scales_are_recognised_in_both_languages() {
        for h in ["VAS", "Pain before", "NRS 6 wk", "术前疼痛评分"] {
            assert!(is_pain_scale(h), "{h}");
        }
        assert!(!is_pain_scale("ODI baseline"));
        assert!(!is_pain_scale("Vasopressor"));
    }
}
