//! Languages of everything shown to people: English and Chinese (简体中文).
//!
//! Each place that shows text gives both spellings inline with [`Lang::pick`], so a label and
//! its translation stay side by side.

use serde::{Deserialize, Serialize};

/// A language for tables, charts, messages and the methods text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    /// English.
    #[default]
    #[serde(rename = "en")]
    En,
    /// Simplified Chinese.
    #[serde(rename = "zh")]
    Zh,
}

impl Lang {
    /// The text in this language.
    pub fn pick<'a>(self, en: &'a str, zh: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }

    /// From a BCP 47 tag such as "zh-CN" or "en-GB"; English unless it starts with "zh".
    pub fn from_tag(tag: &str) -> Self {
        if tag.trim().to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }
}

/// A stratum's name as shown: the names cohortcalc makes (Overall, the WHO categories, Unknown,
/// Reduced bone density) are translated; names from the user's data are kept as written.
pub fn stratum_name(name: &str, lang: Lang) -> String {
    let zh = match name {
        "Overall" => "总体",
        "Normal" => "正常",
        "Osteopenia" => "骨量减少",
        "Osteoporosis" => "骨质疏松",
        "Reduced bone density" => "骨密度降低",
        "Unknown" => "未知",
        _ => return name.to_string(),
    };
    lang.pick(name, zh).to_string()
}

/// A responder definition as shown ("improved by ≥ 2.0 points" → "改善 ≥ 2.0 分").
pub fn responder_definition(def: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return def.to_string();
    }
    let (def, relative) = match def.strip_suffix(crate::scales::RELATIVE_RULE) {
        Some(d) => (d, "（取值范围的 10%，无已知 MCID）"),
        None => (def, ""),
    };
    let zh = match def.strip_prefix("improved by ≥ ") {
        Some(rest) => match rest.strip_suffix(" points") {
            Some(v) => format!("改善 ≥ {v} 分"),
            None => format!("改善 ≥ {rest}"),
        },
        None => def.to_string(),
    };
    format!("{zh}{relative}")
}

/// A reason a row or value was not used, as shown: the reasons cohortcalc gives are translated,
/// others are kept.
pub fn row_reason(reason: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return reason.to_string();
    }
    let zh = match reason {
        "missing" => "缺失",
        "not a number" => "非数字",
        "not yes or no" => "非是/否",
        "not a date" => "非日期",
        "out of range" => "超出范围",
        "ends before it starts" => "结束早于开始",
        "event without a date" => "事件无日期",
        "event before follow-up start" => "事件早于随访开始",
        "empty row" => "空行",
        "no value in any mapped column" => "映射列均无值",
        "no T-score" => "无 T 值",
        "T-score outside −6…+6" => "T 值超出 −6…+6",
        "no value" => "无值",
        _ => {
            if let Some(rest) = reason.strip_prefix("a row of the REDCap repeating instrument ") {
                return format!("REDCap 重复表单 {rest} 的行");
            }
            if let Some(rest) = reason.strip_prefix("a REDCap event other than ") {
                return format!("{rest} 以外的 REDCap 事件");
            }
            return reason.to_string();
        }
    };
    zh.to_string()
}

/// Why a figure could not be estimated, in `lang`. The report keeps the reason in English (its
/// JSON is a contract); tables in Chinese show it through this. Each entry is an English reason
/// as `stats` and `analysis` give it, `{}` standing for a number, beside its Chinese.
const REASONS: &[(&str, &str)] = &[
    ("no pairs", "没有配对数据"),
    ("no values", "没有数值"),
    ("no patients", "没有患者"),
    ("no patients with a value", "没有患者有数值"),
    ("no follow-up time", "没有随访时间"),
    ("no variation within groups", "组内没有变异"),
    ("all values are tied", "所有数值都相同（全部为结）"),
    ("all values are equal", "所有数值都相等"),
    ("all values are equal (SD 0)", "所有数值都相等（SD 为 0）"),
    ("all differences are zero", "所有差值都为 0"),
    ("all differences are tied", "所有差值都相同（全部为结）"),
    ("all differences are equal (SD 0)", "所有差值都相等（SD 为 0）"),
    ("both groups have SD 0", "两组的 SD 都为 0"),
    ("a value is not a finite number", "有数值不是有限数"),
    ("a time is missing or not finite", "有时间缺失或不是有限数"),
    ("the variance matrix is singular", "方差矩阵奇异"),
    ("the values span too wide a range", "数值跨度过大"),
    ("the statistic is not finite", "统计量不是有限数"),
    ("the gamma quantile could not be computed", "无法计算 gamma 分位数"),
    ("invalid degrees of freedom", "自由度无效"),
    ("needs at least 2 groups", "至少需要 2 组"),
    ("needs at least 2 groups with values", "至少需要 2 组有数值"),
    ("needs at least 2 groups and more values than groups", "至少需要 2 组，且数值个数多于组数"),
    ("needs at least 2 rows and 2 columns with counts", "至少需要 2 行和 2 列有计数"),
    ("each group needs at least 1 value", "每组至少需要 1 个数值"),
    ("each group needs at least 1 patient", "每组至少需要 1 名患者"),
    ("each group needs at least 2 values", "每组至少需要 2 个数值"),
    ("fewer than 2 groups have anyone at risk at an event time", "在事件时间点仍有风险人群的组少于 2 组"),
    ("needs at least 2 values, has {}", "至少需要 2 个数值，现有 {} 个"),
    ("skewness needs at least 3 values, has {}", "偏度至少需要 3 个数值，现有 {} 个"),
    ("the Shapiro–Wilk test needs {} to {} values, has {}", "Shapiro–Wilk 检验需要 {} 至 {} 个数值，现有 {} 个"),
    ("person-time {} is not a positive number", "人时 {} 不是正数"),
    ("confidence level {} is not between 0 and 1", "置信水平 {} 不在 0 与 1 之间"),
    ("{} times but {} group labels: lengths differ", "{} 个时间但有 {} 个分组标签：长度不一致"),
    ("{} times but {} other values: lengths differ", "{} 个时间但有 {} 个其他值：长度不一致"),
];

/// What `text` puts in the places of `template`'s `{}`, if it is that template filled in.
fn fills<'a>(template: &str, text: &'a str) -> Option<Vec<&'a str>> {
    let mut parts = template.split("{}");
    let mut rest = text.strip_prefix(parts.next().unwrap_or(""))?;
    let mut filled = Vec::new();
    for literal in parts {
        // A filler is not empty; the literal after it ends it (the last, the text).
        let at = if literal.is_empty() { rest.len() } else { rest.get(1..)?.find(literal)? + 1 };
        filled.push(&rest[..at]);
        rest = &rest[at + literal.len()..];
    }
    (rest.is_empty() && filled.iter().all(|f| !f.is_empty())).then_some(filled)
}

/// Why a figure could not be estimated (a reason as the report gives it), in `lang`; a reason
/// this table does not know is shown as it is.
pub fn reason(reason: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return reason.to_string();
    }
    for (en, zh) in REASONS {
        if let Some(filled) = fills(en, reason) {
            let mut out = String::new();
            let mut parts = zh.split("{}");
            out.push_str(parts.next().unwrap_or(""));
            for (part, fill) in parts.zip(filled) {
                out.push_str(fill);
                out.push_str(part);
            }
            return out;
        }
    }
    reason.to_string()
}

/// A statistical test's name (as the report gives it), in `lang`; a name this table does not know
/// is shown as it is.
pub fn test_name(name: &str, lang: Lang) -> String {
    let zh = match name {
        "Welch t" => "Welch t 检验",
        "Mann–Whitney" => "Mann–Whitney 检验",
        "Fisher's exact" => "Fisher 精确检验",
        "one-way ANOVA" => "单因素方差分析",
        "Kruskal–Wallis" => "Kruskal–Wallis 检验",
        "log-rank" => "log-rank 检验",
        "Pearson chi-square" => "Pearson 卡方检验",
        "Pearson chi-square with Yates correction" => "Pearson 卡方检验（Yates 校正）",
        _ => name,
    };
    lang.pick(name, zh).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_with_numbers_are_translated_with_their_numbers() {
        assert_eq!(reason("no pairs", Lang::Zh), "没有配对数据");
        assert_eq!(reason("no pairs", Lang::En), "no pairs");
        assert_eq!(
            reason("the Shapiro–Wilk test needs 3 to 5000 values, has 2", Lang::Zh),
            "Shapiro–Wilk 检验需要 3 至 5000 个数值，现有 2 个"
        );
        assert_eq!(reason("person-time -1.5 is not a positive number", Lang::Zh), "人时 -1.5 不是正数");
        assert_eq!(
            reason("12 times but 11 group labels: lengths differ", Lang::Zh),
            "12 个时间但有 11 个分组标签：长度不一致"
        );
        // Not a template filled in: shown as it is.
        assert_eq!(reason("needs at least 2 values, has ", Lang::Zh), "needs at least 2 values, has ");
        assert_eq!(reason("something new", Lang::Zh), "something new");
    }

    /// Every test the statistics name (`Test { test: … }`) has its Chinese name.
    #[test]
    fn every_test_name_is_translated() {
        let sources = [include_str!("stats/compare.rs"), include_str!("stats/survival.rs")];
        let mut seen = 0;
        for line in sources.iter().flat_map(|s| s.lines()) {
            // `Test { test: "…"` on one line, or `test: "…".into(),` on a line of its own.
            let field = line.trim_start().starts_with("test: \"");
            if !(line.contains("Test { test: \"") || field || line.contains("let test = if")) {
                continue;
            }
            for name in line.split('"').skip(1).step_by(2) {
                seen += 1;
                assert!(cjk(&test_name(name, Lang::Zh)), "no Chinese for the test {name:?}");
                assert_eq!(test_name(name, Lang::En), name);
            }
        }
        assert!(seen >= 5, "the test names were found in the source ({seen})");
    }

    fn cjk(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    /// Every reason the statistics can give (each string literal on a line of `stats` or
    /// `analysis` that makes a not-estimable figure or a statistics error) has its Chinese.
    #[test]
    fn every_reason_in_the_source_is_translated() {
        let sources = [
            include_str!("stats/mod.rs"),
            include_str!("stats/compare.rs"),
            include_str!("stats/survival.rs"),
            include_str!("stats/normality.rs"),
            include_str!("stats/describe.rs"),
            include_str!("stats/tally.rs"),
            include_str!("analysis.rs"),
        ];
        let mut seen = 0;
        for line in sources.iter().flat_map(|s| s.lines()) {
            if !(line.contains("Estimable::not(") || line.contains("Err(\"") || line.contains("Err(format!(")) {
                continue;
            }
            for literal in line.split('"').skip(1).step_by(2) {
                // `{n}`, `{SW_MIN_N}`, `{}`: a number in the reason.
                let mut template = String::new();
                let mut in_braces = false;
                for ch in literal.chars() {
                    match ch {
                        '{' => in_braces = true,
                        '}' => {
                            in_braces = false;
                            template.push_str("{}");
                        }
                        _ if !in_braces => template.push(ch),
                        _ => {}
                    }
                }
                seen += 1;
                assert!(REASONS.iter().any(|(en, _)| *en == template), "no Chinese for the reason {template:?}");
            }
        }
        assert!(seen >= 30, "the reasons were found in the source ({seen})");
    }
}
