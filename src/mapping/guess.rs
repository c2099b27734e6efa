//! Guessing a mapping from headers and values: roles from header words (English, Chinese and
//! other languages) and what the cells hold, each with a confidence, a reason and alternatives.

use super::*;
use crate::diagnostic::{Diagnostic, Severity};
use crate::error::{Error, Position, Result};
use crate::ingest::Table;
use crate::values::{self, Cell, Codes, DateRead};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

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
    /// `followup.months`, `followup.start`, `followup.end`, `event`, `event.date`, `event.time`, `covariate`
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
            "event.time" => l.pick("time to event (months)", "至事件时间（月）"),
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
    /// Numbers that are whole, numbers other than 0 and 1, and the distinct numbers (up to 50).
    integers: usize,
    not_0_1: usize,
    numbers: Vec<f64>,
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
                p.integers += usize::from(x.fract() == 0.0);
                p.not_0_1 += usize::from(x != 0.0 && x != 1.0);
                if p.numbers.len() <= 50 && !p.numbers.contains(&x) {
                    p.numbers.push(x);
                }
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
        // A scale of whole numbers (ECOG 0–3) is no yes/no column, however many are 0 or 1.
        let scale = self.numbers.len() >= 3 && self.not_0_1 * 50 > self.n;
        self.own_yes_no || (self.n > 0 && self.share(self.yes + self.no) >= 0.9 && !scale)
    }
    /// Few distinct whole numbers (2–10): codes of categories (arm 1/2, ECOG 0–3, sex 1/2).
    fn is_coded(&self) -> bool {
        self.is_numeric()
            && self.integers == self.numeric
            && (2..=10).contains(&self.numbers.len())
            && self.numbers.iter().all(|x| (0.0..=20.0).contains(x))
    }
    /// Two whole numbers, 1 and 2 (a status or yes/no coded 1/2).
    fn is_one_two(&self) -> bool {
        let mut v = self.numbers.clone();
        v.sort_by(f64::total_cmp);
        self.is_numeric() && self.integers == self.numeric && v == [1.0, 2.0]
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
        Some(w.trim_matches('*'))
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
    // German compounds: "*datum" is "Frakturdatum", "OP-Datum".
    if let Some(suffix) = w.strip_prefix('*') {
        return tokens.iter().any(|t| t.ends_with(suffix));
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
        // Latin letters (ä, é) stay in their word; a CJK character starts a new one.
        let latin = (c as u32) < 0x250;
        // camelCase words split: "TimeToRecurrence", "preOp".
        let camel = c.is_ascii_uppercase() && cur.chars().last().is_some_and(|p| p.is_ascii_lowercase());
        if !cur.is_empty() && (latin != cur_ascii || camel) {
            out.push(std::mem::take(&mut cur));
        }
        cur_ascii = latin;
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
    "pat",
    "pid",
    "seqno",
    "nr",
    "study no",
    "编号",
    "患者",
    "住院号",
    "病历号",
    "病案号",
    "序号",
];
const TSCORE_WORDS: &[&str] = &["t score", "tscore", "t wert", "twert", "t值", "t 值", "t分数"];
const DEXA_WORDS: &[&str] = &["dexa", "dxa", "bmd", "bone density", "bone mineral density", "骨密度"];
const PAIN_WORDS: &[&str] = &["vas", "nrs", "nprs", "pain", "schmerz*", "douleur", "dolor", "疼痛", "痛"];
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
    "vorher",
    "prä",
    "präop",
    "vor",
    "avant",
    "antes",
    "pré",
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
    "nachher",
    "nach",
    "après",
    "apres",
    "después",
    "despues",
    "next",
    "morning",
    "evening",
    "night",
    "immediately",
    "immediate",
];
/// Units of time: "6 wk", "3mo", "6周", "3个月".
const UNITS: &[&str] = &[
    "w", "wk", "wks", "week", "weeks", "m", "mo", "mos", "mon", "month", "months", "d", "day", "days", "y", "yr",
    "yrs", "year", "years", "h", "hr", "hrs", "hours", "min", "mins", "minutes", "wo", "wochen", "monate", "tage",
    "jahre", "周", "个月", "月", "天", "日", "年", "小时", "分钟",
];
/// Words that only say when or what kind of number (dropped when matching before and after).
const FILLER: &[&str] =
    &["score", "op", "up", "visit", "at", "of", "the", "value", "procedure", "treatment", "评分", "得分", "分", "值"];
const FU_WORDS: &[&str] = &[
    "follow*",
    "fu",
    "随访",
    "duration",
    "*time",
    "time",
    "ttr",
    "tte",
    "survival",
    "überlebenszeit",
    "os",
    "生存时间",
    "生存期",
];
const MONTH_WORDS: &[&str] = &["month", "months", "mo", "mos", "m", "monate", "mois", "meses", "月"];
const DAY_WORDS: &[&str] = &["day", "days", "d", "tage", "jours", "días", "天"];
const WEEK_WORDS: &[&str] = &["week", "weeks", "wk", "wks", "w", "wochen", "周"];
const YEAR_WORDS: &[&str] = &["year", "years", "yr", "yrs", "y", "jahre", "年"];
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
    "diagnosis",
    "erstdiagnose",
    "手术",
    "确诊",
    "诊断",
    "术日",
    "治疗",
    "开始",
];
const END_WORDS: &[&str] = &[
    "last",
    "follow*",
    "end",
    "visit",
    "final",
    "latest",
    "recent",
    "contact",
    "letzte",
    "kontrolle",
    "随访",
    "末次",
    "最后",
    "结束",
];
const DATE_WORDS: &[&str] = &["date", "dt", "*datum", "fecha", "日期", "时间"];
const EVENT_WORDS: &[&str] = &[
    "fracture*",
    "vcf",
    "refracture*",
    "event*",
    "complication*",
    "adverse",
    "ae",
    "fraktur*",
    "revision*",
    "relapse*",
    "recurren*",
    "rezidiv*",
    "骨折",
    "并发症",
    "不良",
    "复发",
];
/// Outcomes of the procedure itself, yes or no once (not timed over follow-up).
const ONCE_WORDS: &[&str] = &["complication*", "komplikation*", "adverse", "ae", "leak*", "并发症", "不良", "渗漏"];
/// Words of a survival status (dead or alive): an event over follow-up.
const STATUS_WORDS: &[&str] = &[
    "status",
    "death*",
    "dead",
    "died",
    "mortality",
    "vital",
    "fustat",
    // R's "cens" (1 = the event, as survival::aml); "censor", "censored" are left out: where
    // 1 means censored, taking it for the event would turn every figure around.
    "cens",
    "delta",
    "verstorben",
    "tod",
    "deces",
    "décès",
    "muerte",
    "生存状态",
    "死亡",
    "状态",
    "结局",
];
const OUTCOME_WORDS: &[&str] = &[
    "improv*", "success*", "respon*", "satisf*", "relief", "better", "outcome", "endpoint", "改善", "有效", "好转",
    "满意", "结局",
];
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
    "arms",
    "cohort",
    "trt",
    "rx",
    "grp",
    "treat",
    "treatment",
    "randomi*",
    "treatment arm",
    "treatment group",
    "therapiearm",
    "gruppe",
    "behandlungsgruppe",
    "groupe",
    "grupo",
    "gruppo",
    "bras",
    "brazo",
    "procedure",
    "intervention",
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
    "alter",
    "geschlecht",
    "raucher",
    "ecog",
    "asa",
    "stage",
    "stadium",
    "tnm",
    "grade",
    "side",
    "seite",
    "karno*",
    "kps",
    "hb",
    "hgb",
    "hemoglobin",
    "haemoglobin",
    "albumin",
    "creatinine",
    "crp",
    "wbc",
    "platelet*",
    "glucose",
    "hba1c",
    "cholesterol",
    "bili*",
    "cea",
    "psa",
    "ldh",
    "egfr",
    "vitamin",
    "levels",
    "年龄",
    "性别",
    "分期",
    "血红蛋白",
    "白蛋白",
    "肌酐",
    "体重",
    "身高",
    "吸烟",
    "糖尿病",
    "激素",
];

/// Whether a column or outcome name speaks of a pain score (VAS, NRS, pain, 疼痛, Schmerz) and
/// of no other scale known by name (EQ-VAS, PROMIS Pain Interference are not read as 0–10).
pub fn is_pain_scale(name: &str) -> bool {
    crate::scales::recognise(&[name], None).is_some_and(|s| s.mcid == Some(crate::scales::PAIN))
}

/// Whether a name holds a word for pain (VAS, NRS, pain, 疼痛, Schmerz).
pub(crate) fn names_pain(name: &str) -> bool {
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
/// Any number of a header may be the time: "VAS 4-6 wk (0-10)" gives "6 wk" (its "0", "10" are
/// a scale).
fn duration(col: &Col) -> Option<String> {
    (0..col.tokens.len()).find_map(|i| {
        let t = &col.tokens[i];
        if !t.as_bytes().first().is_some_and(u8::is_ascii_digit) {
            return None;
        }
        if UNITS.contains(&t.trim_start_matches(|c: char| c.is_ascii_digit())) && !t.bytes().all(|b| b.is_ascii_digit())
        {
            return Some(col.cased[i].clone());
        }
        let unit = col.tokens.get(i + 1).filter(|u| UNITS.contains(&u.as_str()))?;
        Some(format!("{} {}", col.cased[i], unit))
    })
}

/// When a header says its measure was taken: a word for before or after, or a time ("30 min").
fn when(c: &Col) -> Option<String> {
    c.word(BEFORE_WORDS).or_else(|| c.word(AFTER_WORDS)).map(str::to_string).or_else(|| duration(c))
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
            // "EQ-5D", "SF-36" are one word (not "EQ" and a time "5D").
            let cased = crate::scales::join_instruments(tokens_cased(h), |a, b| format!("{a}-{b}"));
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

    // Strata from an arm or group column (words, or numbers coded 1/2 … with their labels from
    // the header): a T-score is then a patient characteristic.
    let cands = g.candidates(|c| {
        let w = c.word(GROUP_WORDS)?;
        // An arm or treatment group outranks a site or a category.
        let weak = matches!(w, "clinic" | "site" | "center" | "centre" | "category" | "procedure" | "分类");
        let bonus = if weak { 0.0 } else { 0.1 };
        let n = c.p.distinct;
        if c.is_date() || !(2..=20).contains(&n) {
            return None;
        }
        if !c.p.is_numeric() {
            return Some((
                0.75 + bonus,
                why(
                    format!("the header says \"{w}\" and it has {n} categories"),
                    format!("列标题含“{w}”，共 {n} 个类别"),
                ),
            ));
        }
        c.p.is_coded().then(|| {
            (
                0.7 + bonus,
                why(
                    format!("the header says \"{w}\" and its {n} values are whole numbers: codes of groups"),
                    format!("列标题含“{w}”，{n} 个取值均为整数：分组代码"),
                ),
            )
        })
    });
    if let Some(i) = g.take("strata.column", None, cands) {
        m.strata = Some(Strata::Column(g.name(i)));
        if g.cols[i].p.is_numeric() {
            categorical(&g.cols[i], &mut m);
        }
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
        let Some(w) = c.word(DEXA_WORDS) else {
            // No word for it: T-scores by their values — one decimal within −6…+6, many distinct,
            // some negative, and a header that names nothing else.
            let p = &c.p;
            let decimals = p.numeric > p.integers;
            let looks = in_range >= 0.99
                && p.share(p.negatives) >= 0.2
                && decimals
                && p.numbers.len() >= 10
                && p.max <= 6.0
                && c.word(COVARIATE_WORDS).is_none();
            // Below LOW_CONFIDENCE: the page and the CLI ask for it to be confirmed.
            return looks.then(|| {
                (
                    0.45,
                    why(
                        "the values look like T-scores (one decimal, within −6…+6, many different, some negative), though the header does not say so",
                        "数值像 T 值（一位小数，在 −6…+6 之间，取值多样，部分为负），但列标题未说明",
                    ),
                )
            });
        };
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
    if m.strata.is_some() {
        // Groups are the strata; a T-score column is described as a characteristic.
        if let Some(c) = cands.into_iter().find(|c| c.conf >= 0.5) {
            g.used[c.col] = true;
            m.covariates.push(g.name(c.col));
            g.roles.push(RoleGuess {
                role: "covariate".into(),
                outcome: None,
                column: g.name(c.col),
                confidence: c.conf,
                reason: format!("{}; the patients are grouped by another column", c.reason.en),
                reason_zh: format!("{}；患者已按另一列分组", c.reason.zh),
                alternatives: vec![],
            });
        }
    } else if let Some(i) = g.take("strata.tscore", None, cands) {
        m.strata = Some(Strata::Tscore(g.name(i)));
    }

    guess_paired(&mut g, &mut m);
    guess_two_times(&mut g, &mut m);
    guess_followup(&mut g, &mut m);
    guess_events(&mut g, &mut m);

    // Yes/no outcomes: yes/no columns whose header names an outcome.
    loop {
        let cands = g.candidates(|c| {
            let w = c.word(OUTCOME_WORDS).or_else(|| c.word(ONCE_WORDS))?;
            (event_values(c).is_some() && !c.is_date()).then(|| (0.85, yes_no_named(w)))
        });
        let Some(i) = g.take("binary", None, cands) else { break };
        let event_value = event_values(&g.cols[i]).flatten();
        push_binary(&mut g, &mut m, i);
        if let Some(b) = m.binary.last_mut() {
            b.event_value = event_value;
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
        } else if let Some(reason) = characteristic(c, &g.roles) {
            ("covariate", 0.5, reason)
        } else {
            continue;
        };
        g.used[i] = true;
        let name = g.name(i);
        if role == "binary" {
            m.binary.push(Binary::new(name.clone(), name.clone()));
        } else {
            m.covariates.push(name.clone());
            // Codes of categories (sex 1/2, ECOG 0–3): counted as categories, not averaged.
            if g.cols[i].p.is_coded() {
                categorical(&g.cols[i], &mut m);
            }
        }
        let mut reason = reason;
        if m.categorical.contains(&name) {
            let values: Vec<String> = {
                let mut v = g.cols[i].p.numbers.clone();
                v.sort_by(f64::total_cmp);
                v.iter().map(f64::to_string).collect()
            };
            let labelled = m.labels.contains_key(&name);
            reason.en.push_str(&format!(
                "; its values ({}) are few whole numbers: codes of categories (\"categorical\"){}",
                values.join(", "),
                if labelled { ", named as its header says" } else { "" }
            ));
            reason.zh.push_str(&format!(
                "；取值（{}）为少数几个整数：类别代码（categorical）{}",
                values.join("、"),
                if labelled { "，按列标题中的说明命名" } else { "" }
            ));
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

/// Why a column that the header names no role for is offered as a patient characteristic: numbers
/// (a lab value, a score, a measurement), or a few categories that repeat — not an identifier,
/// free text, dates or a column that another role could take (an alternative there).
fn characteristic(c: &Col, roles: &[RoleGuess]) -> Option<Why> {
    let p = &c.p;
    // A column an outcome or the strata could be is left to the person ("VAS 12 mo" beside the
    // chosen "VAS 6 wk"); an alternative follow-up ("diagtime" beside "time") is a characteristic.
    let alternative = roles.iter().any(|r| {
        (r.role.starts_with("paired") || r.role.starts_with("strata"))
            && r.alternatives.iter().any(|a| a.column == c.name)
    });
    if p.n == 0 || c.is_date() || alternative {
        return None;
    }
    if c.word(ID_WORDS).is_some() && !p.repeats {
        return None;
    }
    if p.is_numeric() && p.repeats {
        return Some(why(
            "numbers, and the header names no other role: offered as a patient characteristic",
            "取值为数字，列标题未指明其他角色：作为患者特征",
        ));
    }
    (!p.is_numeric() && (2..=12).contains(&p.distinct) && p.repeats).then(|| {
        let n = p.distinct;
        why(
            format!(
                "{n} categories that repeat, and the header names no other role: offered as a patient characteristic"
            ),
            format!("{n} 个重复出现的类别，列标题未指明其他角色：作为患者特征"),
        )
    })
}

/// Column `c`, of numbers that are codes, into the mapping's `categorical`, with the labels its
/// header gives ("Arm (1=Standard, 2=Intervention)").
fn categorical(c: &Col, m: &mut Mapping) {
    if !m.categorical.iter().any(|x| x == c.name) {
        m.categorical.push(c.name.to_string());
    }
    let labels = header_codes(c.name);
    if labels.len() >= 2 {
        m.labels.insert(c.name.to_string(), labels.into_iter().collect());
    }
}

/// The codes a header explains: "Arm (1=Standard, 2=Intervention)" → ("1", "Standard"),
/// ("2", "Intervention"); "组别(1=常规组,2=微创组)"; "Smoker (1=yes 2=no)".
fn header_codes(h: &str) -> Vec<(String, String)> {
    let chars: Vec<char> = h.chars().collect();
    let mut out: Vec<(String, String)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() || (i > 0 && chars[i - 1].is_alphanumeric()) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        let code: String = chars[start..i].iter().collect();
        let mut j = i;
        while j < chars.len() && chars[j] == ' ' {
            j += 1;
        }
        if j >= chars.len() || !matches!(chars[j], '=' | ':' | '：') {
            continue;
        }
        j += 1;
        let label_start = j;
        // The label runs to a separator, or to the next "<digits>=".
        while j < chars.len() && !matches!(chars[j], ',' | ';' | ')' | '，' | '；' | '）' | '/') {
            if chars[j] == ' ' {
                let mut k = j + 1;
                while k < chars.len() && chars[k].is_ascii_digit() {
                    k += 1;
                }
                if k > j + 1 && k < chars.len() && chars[k] == '=' {
                    break;
                }
            }
            j += 1;
        }
        let label: String = chars[label_start..j].iter().collect::<String>().trim().to_string();
        if !label.is_empty() {
            out.push((code, label));
        }
        i = j;
    }
    out
}

/// Words that mean yes, or an event, in a header's codes ("1=ja", "2=dead", "2=死亡").
const YES_LABELS: &[&str] = &[
    "yes",
    "ja",
    "oui",
    "si",
    "sí",
    "dead",
    "died",
    "deceased",
    "death",
    "verstorben",
    "tot",
    "event",
    "是",
    "有",
    "死亡",
];

/// The value of a 1/2 column that means yes or the event: the code its header names with a yes
/// word, else 2 (R's survival data: 1 = censored, 2 = dead).
fn yes_code(c: &Col) -> String {
    header_codes(c.name)
        .into_iter()
        .find(|(_, l)| YES_LABELS.iter().any(|y| l.to_lowercase() == *y))
        .map_or_else(|| "2".to_string(), |(code, _)| code)
}

/// Words of a time that is no follow-up: minutes and hours, an operation's or a stay's.
const NOT_FOLLOWUP: &[&str] = &[
    "min",
    "mins",
    "minute*",
    "h",
    "hr",
    "hrs",
    "hour*",
    "sec*",
    "operat*",
    "surg*",
    "op",
    "procedure",
    "anesth*",
    "anaesth*",
    "stay",
    "los",
    "ischemi*",
    "ischaemi*",
    "手术",
    "分钟",
    "小时",
    "住院",
];

/// Words of a time to an event.
const TIME_WORDS: &[&str] = &["time", "tt*", "months", "days", "zeit", "时间"];

/// The column of the time to the event of `c` ("time.to.cmv" for "cmv"): numbers ≥ 0 whose
/// header holds every word of the event's header and a word for time.
fn own_time(g: &Guesser, c: &Col) -> Option<usize> {
    (0..g.cols.len()).find(|&k| {
        let t = &g.cols[k];
        !g.used[k]
            && t.name != c.name
            && t.p.is_numeric()
            && t.p.negatives == 0
            && !t.is_date()
            && t.word(TIME_WORDS).is_some()
            && !c.tokens.is_empty()
            && c.tokens.iter().all(|w| t.tokens.contains(w))
    })
}

/// Whether a column can say yes or no (an event happened or not), and the value that means yes
/// when it is no yes/no code: `Some(None)` for yes/no codes (0/1, yes/no, 是/否), `Some(Some(v))`
/// for 1/2 codes (the code the header names yes or dead, else 2) or words such as dead/alive.
fn event_values(c: &Col) -> Option<Option<String>> {
    if c.p.is_yes_no() {
        return Some(None);
    }
    if c.p.is_one_two() {
        return Some(Some(yes_code(c)));
    }
    if c.p.distinct == 2 && !c.p.is_numeric() {
        return c
            .p
            .levels
            .iter()
            .find(|l| YES_LABELS.contains(&l.trim().to_lowercase().as_str()))
            .map(|l| Some(l.clone()));
    }
    None
}

/// Column `i`, just taken as a yes/no outcome, into the mapping (named as its header).
fn push_binary(g: &mut Guesser, m: &mut Mapping, i: usize) {
    let name = g.name(i);
    if let Some(r) = g.roles.last_mut() {
        r.outcome = Some(name.clone());
    }
    m.binary.push(Binary::new(name.clone(), name));
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
        push_paired(g, m, name, i, j);
    }
}

/// One measure at two times whose headers say no "before" ("Pain 30 min", "Pain next morning"):
/// the left column is taken as the earlier, unless the times say otherwise.
fn guess_two_times(g: &mut Guesser, m: &mut Mapping) {
    // Each header's measure once (a wide file has thousands of columns).
    let stems: Vec<(Vec<String>, Vec<String>)> = g.cols.iter().map(stem).collect();
    let timed = |c: &Col| c.p.is_numeric() && !c.is_date() && !c.p.is_yes_no();
    for i in 0..g.cols.len() {
        let c = &g.cols[i];
        if g.used[i] || !timed(c) {
            continue;
        }
        let Some(wi) = when(c) else { continue };
        let (s, cased) = &stems[i];
        if s.is_empty() {
            continue;
        }
        // Only a pair: more columns of the measure (or one already paired) leave it to the person.
        let same: Vec<usize> = (0..g.cols.len()).filter(|&k| k != i && stems[k].0 == *s).collect();
        let name = cased.join(" ");
        let &[j] = same.as_slice() else { continue };
        let a = &g.cols[j];
        if j < i || g.used[j] || !timed(a) || m.paired.iter().any(|p| p.name == name) {
            continue;
        }
        let Some(wj) = when(a) else { continue };
        let later = vec![Cand {
            col: j,
            conf: 0.6,
            reason: why(
                format!(
                    "the same measure as \"{}\" at another time (\"{wi}\", then \"{wj}\"); the left column taken as the earlier",
                    c.name
                ),
                format!("与“{}”为同一指标的另一时间（“{wi}”，之后“{wj}”）；左侧列视为较早", c.name),
            ),
        }];
        let reason = why(
            format!("the header gives a time (\"{wi}\") and the values are numbers"),
            format!("列标题给出时间（“{wi}”），且取值为数字"),
        );
        g.used[i] = true;
        g.roles.push(RoleGuess {
            role: "paired.before".into(),
            outcome: Some(name.clone()),
            column: g.name(i),
            confidence: 0.6,
            reason: reason.en,
            reason_zh: reason.zh,
            alternatives: vec![],
        });
        let Some(j) = g.take("paired.after", Some(&name), later) else { continue };
        push_paired(g, m, name, i, j);
    }
}

/// Columns `i` (before) and `j` (after), just taken, into the mapping as the paired outcome
/// `name`: a scale known by name ([`crate::scales`]) gives which direction is better and the
/// responder threshold (its MCID; a pain score's, 2 points, is what the analysis uses anyway and
/// is left out), said in the "before" role's reason.
fn push_paired(g: &mut Guesser, m: &mut Mapping, name: String, i: usize, j: usize) {
    let (before, after) = (g.name(i), g.name(j));
    let max = [&g.cols[i].p, &g.cols[j].p].iter().map(|p| p.max).fold(f64::NEG_INFINITY, f64::max);
    let scale = crate::scales::recognise(&[&name, &before, &after], max.is_finite().then_some(max));
    let mut p = Paired { name: name.clone(), before, after, better: Better::Lower, threshold: None, scale: None };
    if let Some(s) = scale {
        p.better = s.better;
        let pain = s.mcid == Some(crate::scales::PAIN);
        if !pain {
            p.threshold = s.mcid.map(|m| m.points);
        }
        let (dir, dir_zh) = match s.better {
            Better::Lower => ("lower is better", "越低越好"),
            Better::Higher => ("higher is better", "越高越好"),
        };
        let (en, zh) = match s.mcid {
            Some(mc) => (
                format!(
                    "; {} ({dir}), responders by its minimal clinically important difference of {} points ({})",
                    s.name, mc.points, mc.source
                ),
                format!("；{}（{dir_zh}），应答者按其最小临床重要差异 {} 分（{}）", s.name, mc.points, mc.source),
            ),
            None => (
                format!("; {} ({dir}), responders by 10% of its range", s.name),
                format!("；{}（{dir_zh}），应答者按其范围的 10%", s.name),
            ),
        };
        if let Some(r) =
            g.roles.iter_mut().rev().find(|r| r.role == "paired.before" && r.outcome.as_deref() == Some(&name))
        {
            r.reason.push_str(&en);
            r.reason_zh.push_str(&zh);
        }
    }
    m.paired.push(p);
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
    // A time with no unit in its header ("time", "futime", as R's survival data sets write it)
    // beside a status column: days when its values run past 120 (as R's data sets), else months.
    let status = g.cols.iter().enumerate().any(|(k, c)| {
        !g.used[k] && c.word(STATUS_WORDS).or_else(|| c.word(EVENT_WORDS)).is_some() && event_values(c).is_some()
    });
    if status {
        let cands = g.candidates(|c| {
            let fw = c.word(FU_WORDS)?;
            let p = &c.p;
            // The time of an operation, in minutes or hours, is no follow-up.
            if !p.is_numeric() || p.negatives > 0 || c.is_date() || c.p.is_yes_no() || c.word(NOT_FOLLOWUP).is_some() {
                return None;
            }
            let (unit, unit_zh) = if p.max > 120.0 { ("days", "天") } else { ("months", "月") };
            Some((
                0.6,
                why(
                    format!(
                        "the header says \"{fw}\" beside a status column, and its values (up to {}) read as {unit}",
                        p.max
                    ),
                    format!("列标题含“{fw}”，旁有状态列，其取值（最大 {}）按{unit_zh}读取", p.max),
                ),
            ))
        });
        let days = cands.first().is_some_and(|c| g.cols[c.col].p.max > 120.0);
        if let Some(i) = g.take(if days { "followup.days" } else { "followup.months" }, None, cands) {
            let name = g.name(i);
            m.followup = Some(if days { Followup::Days { days: name } } else { Followup::Months { months: name } });
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
            let Some(w) = c.word(EVENT_WORDS).or_else(|| c.word(STATUS_WORDS)) else {
                // Any yes/no column with a column of the time to it ("cmv", "time.to.cmv").
                let t = own_time(g, c)?;
                return (c.p.is_yes_no() && c.p.has_both_answers() && !c.is_date()).then(|| {
                    let t = g.cols[t].name;
                    (
                        0.8,
                        why(
                            format!("yes/no values, and \"{t}\" gives the time to it"),
                            format!("是/否取值，且“{t}”给出至其发生的时间"),
                        ),
                    )
                });
            };
            // A complication of the procedure is a yes/no outcome, not timed (but a REDCap
            // checkbox of complications is an event each).
            if c.word(ONCE_WORDS).is_some() && values::redcap_checkbox(c.name).is_none() {
                return None;
            }
            (event_values(c).is_some() && !c.is_date()).then(|| {
                let why = if untimed && own_time(g, c).is_none() {
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
        let timed_by = cands.first().and_then(|c| own_time(g, &g.cols[c.col]));
        let role = if untimed && timed_by.is_none() { "binary" } else { "event" };
        let Some(i) = g.take(role, None, cands) else { break };
        let event_value = event_values(&g.cols[i]).flatten();
        if role == "binary" {
            push_binary(g, m, i);
            if let Some(b) = m.binary.last_mut() {
                b.event_value = event_value;
            }
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
        let mut ev = Event { name: name.clone(), column: g.name(i), event_value, time: None, date: None };
        if let Some(t) = timed_by {
            let w = g.cols[t].word(TIME_WORDS).unwrap_or("time");
            let reason = why(
                format!("numbers ≥ 0, and the header names the event and a time (\"{w}\"): read as months"),
                format!("取值为 ≥ 0 的数字，且列标题指明该事件与时间（“{w}”）：按月读取"),
            );
            g.used[t] = true;
            g.roles.push(RoleGuess {
                role: "event.time".into(),
                outcome: Some(name.clone()),
                column: g.name(t),
                confidence: 0.7,
                reason: reason.en,
                reason_zh: reason.zh,
                alternatives: vec![],
            });
            ev.time = Some(g.name(t));
        } else if matches!(m.followup, Some(Followup::Dates { .. })) {
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
    fn headers_explain_their_codes() {
        let pairs = |h| header_codes(h).into_iter().map(|(c, l)| format!("{c}={l}")).collect::<Vec<_>>();
        assert_eq!(pairs("Arm (1=Standard, 2=Intervention)"), ["1=Standard", "2=Intervention"]);
        assert_eq!(pairs("Smoker (1=yes 2=no)"), ["1=yes", "2=no"]);
        assert_eq!(pairs("组别(1=常规组,2=微创组)"), ["1=常规组", "2=微创组"]);
        assert_eq!(pairs("Status (1=lebend, 2=verstorben)"), ["1=lebend", "2=verstorben"]);
        assert!(pairs("VAS 4-6 wk (0-10)").is_empty());
        assert!(pairs("SF-36 PCS").is_empty());
    }

    #[test]
    fn camel_case_and_latin_letters_split_as_words() {
        assert_eq!(tokens_cased("TimeToRecurrence"), ["Time", "To", "Recurrence"]);
        assert_eq!(tokens_cased("VAS prä-OP"), ["VAS", "prä", "OP"]);
        assert_eq!(tokens_cased("术后6周VAS"), ["术后", "6", "周", "VAS"]);
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
