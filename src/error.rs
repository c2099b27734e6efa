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
        Self(Box::new(ErrorInner { kind, position }))
    }
    /// Shorthand for a read error.
    pub fn read(msg: impl Into<String>, position: Position) -> Self {
        Self::new(ErrorKind::Read(msg.into()), position)
    }
    /// Shorthand for a mapping error.
    pub fn mapping(msg: impl Into<String>, position: Position) -> Self {
        Self::new(ErrorKind::Mapping(msg.into()), position)
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
