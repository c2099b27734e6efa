//! Problems that do not stop the analysis: what was decided, left out or doubtful, each at a
//! [`Position`] like an [`Error`](crate::Error), in English and Chinese.

use crate::error::Position;
use crate::i18n::Lang;
use serde::{Deserialize, Serialize};

/// A problem that did not stop the analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// "warning" (something was left out or changed) or "info" (something was decided).
    pub severity: Severity,
    /// Where.
    #[serde(flatten)]
    pub position: Position,
    /// What, in plain words.
    pub message: String,
    /// The same in Chinese (中文), for the page; empty where the core gives none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message_zh: String,
}

impl Diagnostic {
    /// A diagnostic at `position` saying `message`, and `message_zh` in Chinese.
    pub fn new(
        severity: Severity,
        position: Position,
        message: impl Into<String>,
        message_zh: impl Into<String>,
    ) -> Self {
        Diagnostic { severity, position, message: message.into(), message_zh: message_zh.into() }
    }

    /// The diagnostic as one line in `lang` (in English, as `Display` writes it).
    pub fn text(&self, lang: Lang) -> String {
        if lang == Lang::En || self.message_zh.is_empty() {
            return self.to_string();
        }
        let kind = match self.severity {
            Severity::Info => "提示",
            Severity::Warning => "警告",
        };
        format!("{kind}：{}{}", self.position.zh_prefix(), self.message_zh)
    }
}

/// How much a diagnostic matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something was decided for the user (e.g. a guessed mapping).
    Info,
    /// Something was left out or may be wrong.
    Warning,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = match self.severity {
            Severity::Info => "note",
            Severity::Warning => "warning",
        };
        write!(f, "{s}: {}{}", self.position, self.message)
    }
}
