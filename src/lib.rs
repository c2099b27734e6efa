//! cohortcalc: a calculator for clinical cohort studies.
//!
//! Bytes of a cohort file and a [`Mapping`] go in; a [`Report`] and its [`Diagnostic`]s come
//! out. The same core runs natively (library and CLI) and in the browser (WebAssembly).
//!
//! ```
//! let analysis = cohortcalc::analyze_demo().unwrap();
//! let overall = &analysis.report.strata[0];
//! assert_eq!(overall.name, "Overall");
//! assert_eq!(overall.n, 134);
//! ```

mod analysis;
pub mod chart;
mod diagnostic;
mod error;
pub mod i18n;
pub mod ingest;
pub mod mapping;
pub mod report;
pub mod scales;
pub mod stats;
pub mod strata;
pub mod values;
#[cfg(target_arch = "wasm32")]
mod wasm;

pub use diagnostic::{Diagnostic, Severity};
pub use error::{Error, ErrorKind, Position, Result};
pub use i18n::Lang;
pub use mapping::Mapping;
pub use report::Report;

use serde::{Deserialize, Serialize};

/// The demo cohort (synthetic), as a clinic would keep it: DEXA T-scores and dates.
pub const DEMO_CSV: &[u8] = include_bytes!("../tests/data/demo.csv");
/// The mapping of the demo cohort.
pub const DEMO_MAPPING: &str = include_str!("../tests/data/demo.mapping.json");

/// A report with the diagnostics met on the way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// The result.
    pub report: Report,
    /// What was decided, left out or doubtful.
    pub diagnostics: Vec<Diagnostic>,
}

/// Analyses the bytes of a cohort file (CSV, XLSX, XLS or ODS) under `mapping`, or under a mapping guessed from
/// its headers when `mapping` is `None` (the diagnostics then say what was guessed).
pub fn analyze(bytes: &[u8], mapping: Option<&Mapping>) -> Result<Analysis> {
    analyze_with_progress(bytes, mapping, &mut |_| {})
}

/// As [`analyze`], telling `progress` the share of the file read (0 to 1) now and then.
pub fn analyze_with_progress(
    bytes: &[u8],
    mapping: Option<&Mapping>,
    progress: &mut dyn FnMut(f64),
) -> Result<Analysis> {
    let opts = ingest::ReadOptions {
        sheet: mapping.and_then(|m| m.sheet.clone()),
        encoding: mapping.and_then(|m| m.encoding.clone()),
    };
    Opened::read_with(bytes, &opts, progress)?.analyze(mapping)
}

/// A file read once, to be inspected and analysed under one mapping after another without being
/// read again (the page re-analyses on every change in its mapping panel).
#[derive(Debug, Clone)]
pub struct Opened {
    table: ingest::Table,
    sheets: Vec<String>,
    /// The encoding asked for (the mapping's `encoding`), if any.
    encoding: Option<String>,
    diagnostics: Vec<Diagnostic>,
}

impl Opened {
    /// Reads `bytes` (the sheet `sheet` of a workbook, else the first with data), telling
    /// `progress` the share read (0 to 1) now and then.
    pub fn read(bytes: &[u8], sheet: Option<&str>, progress: &mut dyn FnMut(f64)) -> Result<Opened> {
        let opts = ingest::ReadOptions { sheet: sheet.map(str::to_string), ..Default::default() };
        Opened::read_with(bytes, &opts, progress)
    }

    /// As [`Opened::read`], with what to read given as [`ingest::ReadOptions`]: the sheet, and
    /// the encoding of a text file (the mapping's `sheet` and `encoding`).
    pub fn read_with(bytes: &[u8], opts: &ingest::ReadOptions, progress: &mut dyn FnMut(f64)) -> Result<Opened> {
        let mut diagnostics = Vec::new();
        let (table, sheets) = ingest::read_with_sheets(bytes, opts, &mut diagnostics, progress)?;
        Ok(Opened { table, sheets, encoding: opts.encoding.clone(), diagnostics })
    }

    /// The sheet read (workbooks only).
    pub fn sheet(&self) -> Option<&str> {
        self.table.dialect().sheet.as_deref()
    }

    /// The headers, sheets and guessed roles, for a page to offer a choice per role.
    pub fn inspection(&self) -> Inspection {
        let mut guess = mapping::guess_roles(&self.table);
        let read_sheet = self.table.dialect().sheet.clone();
        if !self.sheets.is_empty() {
            guess.mapping.sheet = read_sheet.clone();
        }
        guess.mapping.encoding = self.encoding.clone();
        Inspection {
            headers: self.table.headers().to_vec(),
            sheets: self.sheets.clone(),
            sheet: read_sheet,
            rows: self.table.nrows(),
            encoding: self.table.dialect().encoding.clone(),
            guess,
            diagnostics: self.diagnostics.clone(),
        }
    }

    /// Analyses the file under `mapping`, or under a mapping guessed from its headers when
    /// `mapping` is `None` (the diagnostics then say what was guessed). The mapping's `sheet` and
    /// `encoding` are not looked at: the file is as it was read.
    pub fn analyze(&self, mapping: Option<&Mapping>) -> Result<Analysis> {
        let table = &self.table;
        if table.nrows() == 0 {
            return Err(Error::new(
                ErrorKind::NoData("the file has a header but no data rows".into()),
                Position::none(),
            )
            .with_zh("文件只有标题行，没有数据行"));
        }
        let mut diags = self.diagnostics.clone();
        let guessed;
        let mapping = match mapping {
            Some(m) => m,
            None => {
                let (m, notes) = mapping::guess(table)?;
                diags.push(Diagnostic::new(
                    Severity::Info,
                    Position::none(),
                    "no mapping was given, so it was guessed from the headers:",
                    "未给出映射，已根据列标题自动识别：",
                ));
                diags.extend(notes);
                guessed = m;
                &guessed
            }
        };
        analysis::run(table, mapping, diags)
    }
}

/// What a file holds before any mapping: its headers, its sheets (workbooks), and the guessed
/// roles with their confidences and alternatives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inspection {
    /// Column headers as read.
    pub headers: Vec<String>,
    /// Sheet names of a workbook (empty for CSV).
    pub sheets: Vec<String>,
    /// The sheet read (workbooks only).
    pub sheet: Option<String>,
    /// Data rows.
    pub rows: usize,
    /// The text encoding the file was read in (`UTF-8`, `windows-1252`, `gb18030`, …; `Unicode`
    /// for a spreadsheet), detected or as asked.
    pub encoding: String,
    /// The guessed mapping, role by role.
    pub guess: mapping::Guess,
    /// What reading the file noticed.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads a file (the sheet `sheet` of a workbook, else the first with data) and guesses its
/// roles, for a page to offer a choice per role.
pub fn inspect(bytes: &[u8], sheet: Option<&str>) -> Result<Inspection> {
    Ok(Opened::read(bytes, sheet, &mut |_| {})?.inspection())
}

/// The mapping guessed from a file's headers and values, with notes on what was guessed.
pub fn guess_mapping(bytes: &[u8]) -> Result<(Mapping, Vec<Diagnostic>)> {
    let mut diags = Vec::new();
    let table = ingest::read(bytes, &ingest::ReadOptions::default(), &mut diags, &mut |_| {})?;
    let (m, notes) = mapping::guess(&table)?;
    diags.extend(notes);
    Ok((m, diags))
}

/// The demo mapping.
pub fn demo_mapping() -> Mapping {
    Mapping::from_json(DEMO_MAPPING).expect("the demo mapping is valid")
}

/// Analyses the embedded demo cohort under its mapping.
pub fn analyze_demo() -> Result<Analysis> {
    analyze(DEMO_CSV, Some(&demo_mapping()))
}
