//! The one error type of the crate.
//!
//! Every error names where it happened: a row (spreadsheet numbering: the header is row 1, the
//! first data row is row 2) and a column name when one applies.

use std::fmt;

/// Result alias for the crate.
pub type Result<T> = std::result::Result<T, Error>;

/// An error that stops the analysis. Problems that do not stop it are [`crate::Diagnostic`]s.
#[derive(Debug, Clone, PartialEq)]
pub struct Error(Box<ErrorInner>);

#[derive(Debug, Clone, PartialEq)]
struct ErrorInner {
    kind: ErrorKind,
    position: Position,
    /// The kind's message in Chinese, where the error gives one.
    zh: Option<String>,
}

/// Where in the input an error or a diagnostic belongs.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Position {
    /// Spreadsheet row number (header = 1), if the problem is in one row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
    /// Column header, if the problem is in one column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
}

impl Position {
    /// No particular place: the whole file or the whole mapping.
    pub fn none() -> Self {
        Self::default()
    }
    /// A whole column.
    pub fn column(column: impl Into<String>) -> Self {
        Self { row: None, column: Some(column.into()) }
    }
    /// One cell.
    pub fn cell(row: usize, column: impl Into<String>) -> Self {
        Self { row: Some(row), column: Some(column.into()) }
    }
    /// A whole row.
    pub fn row(row: usize) -> Self {
        Self { row: Some(row), column: None }
    }
}

impl Position {
    /// Where, in Chinese ("第 12 行，“VAS”列"); empty for no particular place.
    pub fn zh(&self) -> String {
        match (&self.row, &self.column) {
            (Some(r), Some(c)) => format!("第 {r} 行，“{c}”列"),
            (Some(r), None) => format!("第 {r} 行"),
            (None, Some(c)) => format!("“{c}”列"),
            (None, None) => String::new(),
        }
    }

    /// [`Position::zh`] as the head of a message ("第 12 行，“VAS”列："), or nothing.
    pub fn zh_prefix(&self) -> String {
        let at = self.zh();
        if at.is_empty() {
            at
        } else {
            format!("{at}：")
        }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.row, &self.column) {
            (Some(r), Some(c)) => write!(f, "row {r}, column \"{c}\": "),
            (Some(r), None) => write!(f, "row {r}: "),
            (None, Some(c)) => write!(f, "column \"{c}\": "),
            (None, None) => Ok(()),
        }
    }
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The bytes could not be read as a table (CSV syntax, encoding, empty file).
    Read(String),
    /// The mapping is malformed or names something that is not there.
    Mapping(String),
    /// A value could not be used where the analysis needs it.
    Value(String),
    /// Nothing left to analyse.
    NoData(String),
}

impl Error {
    /// A new error of `kind` at `position`.
    pub fn new(kind: ErrorKind, position: Position) -> Self {
        Self(Box::new(ErrorInner { kind, position, zh: None }))
    }
    /// Shorthand for a read error.
    pub fn read(msg: impl Into<String>, position: Position) -> Self {
        Self::new(ErrorKind::Read(msg.into()), position)
    }
    /// Shorthand for a mapping error.
    pub fn mapping(msg: impl Into<String>, position: Position) -> Self {
        Self::new(ErrorKind::Mapping(msg.into()), position)
    }
    /// The same error with its message in Chinese too (the page in 中文 shows it; `Display` stays
    /// English).
    pub fn with_zh(mut self, message: impl Into<String>) -> Self {
        self.0.zh = Some(message.into());
        self
    }
    /// The kind's message in Chinese, where the error gives one.
    pub fn detail_zh(&self) -> Option<&str> {
        self.0.zh.as_deref()
    }
    /// The whole message in `lang`. In Chinese, the position and the kind are said in Chinese, and
    /// the detail too where the error gives it (else in English).
    pub fn message(&self, lang: crate::Lang) -> String {
        if lang == crate::Lang::En {
            return self.to_string();
        }
        let (label, en) = match &self.0.kind {
            ErrorKind::Read(m) => ("无法读取文件", m),
            ErrorKind::Mapping(m) => ("映射", m),
            ErrorKind::Value(m) => ("数值", m),
            ErrorKind::NoData(m) => ("无数据", m),
        };
        format!("{}{label}：{}", self.0.position.zh_prefix(), self.0.zh.as_deref().unwrap_or(en))
    }
    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0.kind
    }
    /// Where it went wrong.
    pub fn position(&self) -> &Position {
        &self.0.position
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (label, msg) = match &self.0.kind {
            ErrorKind::Read(m) => ("cannot read the file", m),
            ErrorKind::Mapping(m) => ("mapping", m),
            ErrorKind::Value(m) => ("value", m),
            ErrorKind::NoData(m) => ("no data", m),
        };
        write!(f, "{}{label}: {msg}", self.0.position)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;

    #[test]
    fn chinese_messages_say_the_position_and_kind_in_chinese() {
        let e = Error::mapping("no such column", Position::cell(12, "Pain after")).with_zh("没有这一列");
        assert_eq!(e.to_string(), "row 12, column \"Pain after\": mapping: no such column");
        assert_eq!(e.message(Lang::En), e.to_string());
        assert_eq!(e.message(Lang::Zh), "第 12 行，“Pain after”列：映射：没有这一列");
        // Without a Chinese detail, the detail stays English under Chinese position and kind.
        let plain = Error::read("the file is empty", Position::none());
        assert_eq!(plain.message(Lang::Zh), "无法读取文件：the file is empty");
        assert_eq!(Error::read("x", Position::column("Age")).message(Lang::Zh), "“Age”列：无法读取文件：x");
    }

    #[test]
    fn the_core_says_its_own_errors_in_chinese() {
        let header_only = crate::analyze(b"a,b\n", None).expect_err("no data rows");
        assert_eq!(header_only.message(Lang::Zh), "无数据：文件只有标题行，没有数据行");
        let bad_json = crate::Mapping::from_json("{").expect_err("not JSON");
        assert!(
            bad_json.message(Lang::Zh).starts_with("映射：不是有效的映射（第 1 行"),
            "{}",
            bad_json.message(Lang::Zh)
        );
    }
}
