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
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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

impl Mapping {
    /// Parses a mapping from its JSON text.
    pub fn from_json(text: &str) -> Result<Self> {
        let m: Mapping = serde_json::from_str(text).map_err(|e| {
            Error::mapping(
                format!("not a valid mapping (line {}, column {}): {e}", e.line(), e.column()),
                Position::none(),
            )
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
            ));
        }
        for e in &self.events {
            if e.date.is_some() && !matches!(self.followup, Some(Followup::Dates { .. })) {
                return Err(Error::mapping(
                    format!("event \"{}\" gives a date, so \"followup\" needs \"start\" and \"end\" dates", e.name),
                    Position::column(e.date.clone().unwrap_or_default()),
                ));
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
            Some(Followup::Months { months }) => v.push(months),
            Some(Followup::Dates { start, end }) => {
                v.push(start);
                v.push(end);
            }
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

/// Words that mark a measurement before treatment.
const BEFORE_WORDS: &[&str] = &["baseline", "pre", "before", "preop", "pre-op", "initial", "术前", "基线"];
/// Words that mark a measurement after treatment.
const AFTER_WORDS: &[&str] = &[
    "post",
    "after",
    "postop",
    "post-op",
    "follow-up",
    "followup",
    "fu",
    "wk",
    "wks",
    "week",
    "weeks",
    "术后",
    "随访",
];
/// Words that only say when (dropped when matching a before column to its after column).
const TIME_WORDS: &[&str] = &["month", "months", "mo", "m", "d", "day", "days", "visit", "score"];

fn tokens(h: &str) -> Vec<String> {
    h.split(|c: char| c.is_whitespace() || matches!(c, '_' | '(' | ')' | '[' | ']' | ':' | ',' | '.'))
        .filter(|t| !t.is_empty())
        .map(|t| t.to_lowercase())
        .collect()
}

fn has_word(h: &str, words: &[&str]) -> bool {
    let lower = h.to_lowercase();
    tokens(h).iter().any(|t| words.contains(&t.as_str())) || words.iter().any(|w| !w.is_ascii() && lower.contains(w))
}

/// The part of a header that names the measure: without time words and numbers.
fn stem(h: &str) -> String {
    let mut s: Vec<String> = tokens(h)
        .into_iter()
        .filter(|t| {
            let when = BEFORE_WORDS.contains(&t.as_str())
                || AFTER_WORDS.contains(&t.as_str())
                || TIME_WORDS.contains(&t.as_str());
            let number = t.chars().all(|c| c.is_ascii_digit() || c == '-');
            let duration = t.chars().next().is_some_and(|c| c.is_ascii_digit())
                && ["wk", "w", "m", "mo", "d", "week", "weeks"].iter().any(|u| t.ends_with(u));
            !(when || number || duration)
        })
        .collect();
    for w in BEFORE_WORDS.iter().chain(AFTER_WORDS).filter(|w| !w.is_ascii()) {
        for t in &mut s {
            *t = t.replace(w, "");
        }
    }
    s.retain(|t| !t.is_empty());
    s.join(" ")
}

/// The header's own spelling of a stem (for outcome names: "VAS", not "vas").
fn original_stem(h: &str, stem: &str) -> String {
    let n = stem.split(' ').count();
    let words: Vec<&str> = h.split_whitespace().collect();
    for i in 0..words.len() {
        if i + n <= words.len() && words[i..i + n].join(" ").to_lowercase() == stem {
            return words[i..i + n].join(" ");
        }
    }
    stem.to_string()
}

fn contains_any(h: &str, words: &[&str]) -> bool {
    let l = h.to_lowercase();
    words.iter().any(|w| l.contains(w))
}

/// Share of non-missing cells of a column that `ok` accepts, and how many were non-missing.
fn share(table: &crate::ingest::Table, c: usize, ok: impl Fn(&str) -> bool) -> (f64, usize) {
    let (mut yes, mut n) = (0usize, 0usize);
    for v in table.column(c).take(5000) {
        if !crate::values::is_missing(v) {
            n += 1;
            if ok(v) {
                yes += 1;
            }
        }
    }
    (if n == 0 { 0.0 } else { yes as f64 / n as f64 }, n)
}

fn is_numeric_col(t: &crate::ingest::Table, c: usize) -> bool {
    let (s, n) = share(t, c, |v| matches!(crate::values::number(v), crate::values::Cell::Value(_)));
    n > 0 && s >= 0.9
}

/// Mostly yes/no codes; with `need_both`, both answers present too.
fn is_yes_no_col(t: &crate::ingest::Table, c: usize, need_both: bool) -> bool {
    let (s, n) = share(t, c, |v| matches!(crate::values::yes_no(v), crate::values::Cell::Value(_)));
    let (yes, _) = share(t, c, |v| crate::values::yes_no(v) == crate::values::Cell::Value(true));
    n > 0 && s >= 0.9 && (!need_both || (yes > 0.0 && yes < s))
}

fn is_date_col(t: &crate::ingest::Table, c: usize) -> bool {
    let (s, n) = share(t, c, |v| matches!(crate::values::date(v), crate::values::Cell::Value(_)));
    n > 0 && s >= 0.9
}

/// Headers that name a yes/no outcome even when every answer is the same.
fn has_outcome_word(h: &str) -> bool {
    contains_any(h, &["improv", "success", "respon", "satisf", "relief", "改善", "有效"])
}

/// Guesses a mapping from the headers and values of `table`, saying what it guessed.
pub fn guess(table: &crate::ingest::Table) -> Result<(Mapping, Vec<crate::Diagnostic>)> {
    use crate::{Diagnostic, Severity};
    let h = table.headers();
    let mut used = vec![false; h.len()];
    let mut m = Mapping::default();
    let mut notes = Vec::new();
    let mut note =
        |msg: String| notes.push(Diagnostic { severity: Severity::Info, position: Position::none(), message: msg });
    let find = |used: &[bool], pred: &dyn Fn(usize, &str) -> bool| -> Option<usize> {
        h.iter().enumerate().find(|(i, name)| !used[*i] && pred(*i, name)).map(|(i, _)| i)
    };

    if let Some(i) = find(&used, &|_, n| {
        let t = tokens(n);
        t.iter().any(|w| ["id", "mrn", "record", "patient", "编号", "患者"].contains(&w.as_str())) && t.len() <= 3
    }) {
        used[i] = true;
        m.id = Some(h[i].clone());
    }
    if let Some(i) = find(&used, &|i, n| {
        contains_any(n, &["t-score", "tscore", "t score", "t_score", "dexa", "骨密度"]) && is_numeric_col(table, i)
    }) {
        used[i] = true;
        m.strata = Some(Strata::Tscore(h[i].clone()));
        note(format!("strata: WHO categories from the T-score column \"{}\"", h[i]));
    }
    // Paired outcomes: a "before" column and an "after" column with the same stem.
    for i in 0..h.len() {
        if used[i] || !has_word(&h[i], BEFORE_WORDS) || !is_numeric_col(table, i) {
            continue;
        }
        let s = stem(&h[i]);
        if s.is_empty() {
            continue;
        }
        if let Some(j) =
            find(&used, &|j, n| j != i && has_word(n, AFTER_WORDS) && stem(n) == s && is_numeric_col(table, j))
        {
            used[i] = true;
            used[j] = true;
            let name = original_stem(&h[i], &s);
            note(format!("paired outcome \"{name}\": \"{}\" before, \"{}\" after", h[i], h[j]));
            m.paired.push(Paired {
                name,
                before: h[i].clone(),
                after: h[j].clone(),
                better: Better::Lower,
                threshold: None,
            });
        }
    }
    // Follow-up: a months column, or a start and an end date.
    if let Some(i) = find(&used, &|i, n| {
        contains_any(n, &["follow", "months", "随访"])
            && contains_any(n, &["month", "mo", "月"])
            && is_numeric_col(table, i)
    }) {
        used[i] = true;
        m.followup = Some(Followup::Months { months: h[i].clone() });
        note(format!("follow-up in months: \"{}\"", h[i]));
    } else {
        let start = find(&used, &|i, n| {
            contains_any(n, &["procedure", "surgery", "operation", "treatment", "start", "index", "手术"])
                && is_date_col(table, i)
        });
        let end =
            find(&used, &|i, n| contains_any(n, &["last", "follow", "end", "visit", "随访"]) && is_date_col(table, i));
        if let (Some(s), Some(e)) = (start, end) {
            if s != e {
                used[s] = true;
                used[e] = true;
                m.followup = Some(Followup::Dates { start: h[s].clone(), end: h[e].clone() });
                note(format!("follow-up from \"{}\" to \"{}\"", h[s], h[e]));
            }
        }
    }
    // Events: yes/no columns about fractures, complications or events.
    let event_words = ["fracture", "vcf", "event", "complication", "adverse", "骨折", "并发症"];
    while let Some(i) = find(&used, &|i, n| contains_any(n, &event_words) && is_yes_no_col(table, i, false)) {
        used[i] = true;
        let name = h[i].clone();
        let mut ev = Event { name: name.clone(), column: name.clone(), event_value: None, time: None, date: None };
        if matches!(m.followup, Some(Followup::Dates { .. })) {
            if let Some(d) = find(&used, &|j, n| {
                contains_any(n, &["date", "日期"]) && n.to_lowercase().contains(&name.to_lowercase()) && {
                    let (_, k) = share(table, j, |_| true);
                    k == 0 || is_date_col(table, j)
                }
            }) {
                used[d] = true;
                ev.date = Some(h[d].clone());
            }
        }
        note(format!(
            "event \"{name}\"{}",
            ev.date.as_ref().map(|d| format!(", dated by \"{d}\"")).unwrap_or_default()
        ));
        m.events.push(ev);
    }
    // Binary outcomes: the other yes/no columns.
    while let Some(i) = find(&used, &|i, n| is_yes_no_col(table, i, !has_outcome_word(n))) {
        used[i] = true;
        note(format!("yes/no outcome \"{}\"", h[i]));
        m.binary.push(Binary { name: h[i].clone(), column: h[i].clone() });
    }
    // Strata from a category column, when there is no T-score.
    if m.strata.is_none() {
        let words =
            ["group", "clinic", "site", "stratum", "category", "bone density", "center", "centre", "分组", "组别"];
        if let Some(i) = find(&used, &|i, n| contains_any(n, &words) && !is_numeric_col(table, i)) {
            used[i] = true;
            m.strata = Some(Strata::Column(h[i].clone()));
            note(format!("strata: the categories of \"{}\"", h[i]));
        }
    }
    for (i, name) in h.iter().enumerate() {
        let covariate = tokens(name).iter().any(|t| ["age", "sex", "gender", "bmi"].contains(&t.as_str()))
            || contains_any(name, &["年龄", "性别"]);
        if !used[i] && covariate {
            m.covariates.push(name.clone());
        }
    }
    if m.paired.is_empty() && m.binary.is_empty() && m.events.is_empty() {
        return Err(Error::mapping(
            format!(
                "no outcome columns recognised (looked for before/after pairs such as \"VAS baseline\" and \
                 \"VAS 6 wk\", and yes/no columns); give a mapping. Columns: {}",
                h.join(", ")
            ),
            Position::none(),
        ));
    }
    Ok((m, notes))
}
