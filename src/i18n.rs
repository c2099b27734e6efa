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
