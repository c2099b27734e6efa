//! The WebAssembly boundary: the only file that touches wasm-bindgen, web-sys and js-sys.
//! It converts, calls the core, and converts back; every core error becomes one `JsError`.
//!
//! Structured values cross the boundary as JSON text (`serde_json` one way, `JSON.parse` the
//! other) rather than through serde-wasm-bindgen: that crate's generic (de)serializers made up a
//! tenth of the module (158 kB of 1.7 MB, measured with twiggy), and one `JSON.parse` is as fast.
//! The worker keeps the analysis shown as a [`Results`] object: tables, charts (as display lists
//! the page replays on its canvases) and exports are made from it, so the page's main thread runs
//! no WebAssembly and the report is never read back from JSON.

use crate::{chart, report, Lang, Mapping};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

fn js_error(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

/// A core error as the page shows it, in `lang` ("en" or "zh").
fn core_error(lang: &str) -> impl Fn(crate::Error) -> JsError + '_ {
    move |e| JsError::new(&e.message(Lang::from_tag(lang)))
}

fn json<T: Serialize + ?Sized>(v: &T) -> Result<String, JsError> {
    serde_json::to_string(v).map_err(js_error)
}

/// Row numbers listed per list (excluded rows, and each reason's rows in the flow) in the answer to
/// the page: a file can have a million excluded rows, whose lists made the answer tens of
/// megabytes and held the page's main thread for a second. The page shows a dozen per reason; the
/// whole report is asked for on export ([`Results::report_json`]).
const PAGE_ROWS: usize = 1000;

#[derive(Serialize)]
struct AnalyzeResult<'a> {
    report: &'a report::Report,
    /// Rows excluded that no diagnostic names (of all of them: `report.excluded` may be cut).
    excluded_unnamed: usize,
    /// The rounded tables and the methods text in each language, so the page switches language
    /// without asking the worker.
    by_lang: ByLang,
    diagnostics: &'a [crate::diagnostic::Diagnostic],
    mapping_json: String,
    mapping_guessed: bool,
}

#[derive(Serialize)]
struct ByLang {
    en: Texts,
    zh: Texts,
}

#[derive(Serialize)]
struct Texts {
    tables: Vec<report::Table>,
    methods: String,
    /// The Results paragraph (to paste into a manuscript).
    results: String,
    /// Why rows were left out, as the report says it → as shown in this language (for the
    /// page's flow summary and notes, which show the report's own lists).
    reasons: std::collections::BTreeMap<String, String>,
}

fn texts(r: &report::Report, lang: Lang) -> Texts {
    let reasons = r.excluded.iter().map(|x| (x.reason.clone(), crate::i18n::row_reason(&x.reason, lang))).collect();
    Texts {
        tables: report::tables(r, lang),
        methods: report::methods(r, lang),
        results: report::results_text(r, lang),
        reasons,
    }
}

/// A file read once (see [`crate::Opened`]): inspected, then analysed under one mapping after
/// another without being read again.
#[wasm_bindgen]
pub struct OpenFile(crate::Opened);

/// Reads a file's bytes (the sheet `sheet` of a workbook, else the first with data; a text file
/// in the encoding labelled `encoding`, else the one detected). `progress`, if given, is called
/// with the share of the file read (0 to 1). Errors are said in `lang` ("en" or "zh").
#[wasm_bindgen]
pub fn open(
    bytes: &[u8],
    sheet: Option<String>,
    progress: Option<js_sys::Function>,
    lang: &str,
    encoding: Option<String>,
) -> Result<OpenFile, JsError> {
    let mut tell = |share: f64| {
        if let Some(f) = &progress {
            // A failing progress callback must not stop the reading.
            let _ = f.call1(&JsValue::NULL, &JsValue::from_f64(share));
        }
    };
    let opts = crate::ingest::ReadOptions { sheet, encoding };
    crate::Opened::read_with(bytes, &opts, &mut tell).map(OpenFile).map_err(core_error(lang))
}

#[wasm_bindgen]
impl OpenFile {
    /// The sheet read (workbooks only).
    pub fn sheet(&self) -> Option<String> {
        self.0.sheet().map(str::to_string)
    }

    /// What the file holds before any mapping, as JSON: `{headers, sheets, sheet, rows, encoding,
    /// guess: {mapping, roles, unused}, diagnostics, values}` — for the mapping panel (a choice per
    /// role, a sheet picker, an encoding picker, and `values`: the distinct values of each column of
    /// few, to name them).
    pub fn inspect(&self) -> Result<String, JsError> {
        json(&InspectAnswer { values: named_values(&self.0.table), inspection: self.0.inspection() })
    }

    /// Analyses the file under `mapping_json` (or a guessed mapping when absent); errors are said
    /// in `lang`. The [`Results`] keep the report, for charts and exports without analysing again.
    pub fn analyze(&self, mapping_json: Option<String>, lang: &str) -> Result<Results, JsError> {
        let mapping = mapping_json.as_deref().map(Mapping::from_json).transpose().map_err(core_error(lang))?;
        let a = self.0.analyze(mapping.as_ref()).map_err(core_error(lang))?;
        let named: std::collections::HashSet<usize> = a.diagnostics.iter().filter_map(|d| d.position.row).collect();
        let json = json(&AnalyzeResult {
            by_lang: ByLang { en: texts(&a.report, Lang::En), zh: texts(&a.report, Lang::Zh) },
            mapping_json: a.report.mapping.to_json(),
            report: &a.report.with_rows_cut(PAGE_ROWS),
            excluded_unnamed: a.report.excluded.iter().filter(|x| !named.contains(&x.row)).count(),
            diagnostics: &a.diagnostics,
            mapping_guessed: mapping.is_none(),
        })?;
        Ok(Results { report: a.report, diagnostics: a.diagnostics, json })
    }
}

#[derive(Serialize)]
struct InspectAnswer<'a> {
    #[serde(flatten)]
    inspection: crate::Inspection,
    values: std::collections::BTreeMap<&'a str, Vec<String>>,
}

/// A column of more distinct values than this is not offered for naming its values.
const NAMED_VALUES_MAX: usize = 30;

/// The distinct texts of each column of at most [`NAMED_VALUES_MAX`] (blanks aside), in the order
/// the file first gives them: the codes whose names the mapping panel asks for (`labels`). Only
/// columns stored coded are listed, and their texts are taken from their dictionary without
/// reading a row (`each_cell` over no rows reads each distinct text once): a million-row file is
/// inspected as fast as before. A column of many values (stored plain) is no list of categories.
fn named_values(table: &crate::ingest::Table) -> std::collections::BTreeMap<&str, Vec<String>> {
    let mut out = std::collections::BTreeMap::new();
    for (col, header) in table.headers().iter().enumerate() {
        if !table.is_coded(col) {
            continue;
        }
        let texts = std::cell::RefCell::new(Vec::new());
        table.each_cell(col, std::iter::empty(), |t| texts.borrow_mut().push(t.to_string()), |_, _, _: &()| {});
        let mut texts = texts.into_inner();
        texts.retain(|t| !t.is_empty());
        if texts.len() <= NAMED_VALUES_MAX {
            out.insert(header.as_str(), texts);
        }
    }
    out
}

/// The embedded demo cohort's CSV bytes.
#[wasm_bindgen]
pub fn demo_csv() -> Vec<u8> {
    crate::DEMO_CSV.to_vec()
}

/// The demo cohort's mapping JSON.
#[wasm_bindgen]
pub fn demo_mapping() -> String {
    crate::DEMO_MAPPING.to_string()
}

#[derive(Serialize)]
struct ChartEntry {
    kind: chart::ChartKind,
    outcome: Option<String>,
    title: &'static str,
}

/// An analysis, kept by the worker while the page shows it: the tables, methods text and charts
/// are made from its report in either language without analysing again.
#[wasm_bindgen]
pub struct Results {
    report: report::Report,
    diagnostics: Vec<crate::diagnostic::Diagnostic>,
    json: String,
}

#[derive(Serialize)]
struct ReportExport<'a> {
    report: &'a report::Report,
    diagnostics: &'a [crate::diagnostic::Diagnostic],
}

#[wasm_bindgen]
impl Results {
    /// The analysis as JSON: `{report, excluded_unnamed, by_lang: {en, zh: {tables, methods}},
    /// diagnostics, mapping_json, mapping_guessed}`, the report's lists of rows cut to a thousand
    /// ([`report::Report::with_rows_cut`]).
    pub fn json(&self) -> String {
        self.json.clone()
    }

    /// The whole report and its diagnostics as JSON `{report, diagnostics}` (every list of rows
    /// whole), for the page's "Report as JSON".
    pub fn report_json(&self) -> Result<String, JsError> {
        json(&ReportExport { report: &self.report, diagnostics: &self.diagnostics })
    }

    /// The tables in `lang` as one CSV text, formula-like cells neutralised.
    pub fn tables_csv(&self, lang: &str) -> String {
        report::tables_csv(&report::tables(&self.report, Lang::from_tag(lang)))
    }

    /// The tables in `lang` as the bytes of an Excel workbook (`.xlsx`).
    pub fn tables_xlsx(&self, lang: &str) -> Result<Vec<u8>, JsError> {
        report::tables_xlsx(&report::tables(&self.report, Lang::from_tag(lang))).map_err(js_error)
    }

    /// The charts that can be drawn, in the order a paper shows them, as JSON
    /// `[{kind, outcome, title}]` with `title` in `lang`.
    pub fn chart_list(&self, lang: &str) -> Result<String, JsError> {
        let lang = Lang::from_tag(lang);
        let list: Vec<ChartEntry> = chart::available(&self.report, &chart::PatientData::of(&self.report))
            .into_iter()
            .map(|s| ChartEntry { title: s.kind.title(lang), kind: s.kind, outcome: s.outcome })
            .collect();
        json(&list)
    }

    /// Chart `kind` ("paired_means", "paired_lines", "change_distribution", "responders",
    /// "kaplan_meier", "tscore_histogram" or "flow_diagram") of `outcome` (or the first outcome it
    /// can show) in `lang`, for a canvas or file of `width` × `height` pixels: as an SVG document
    /// when `svg`, else as the JSON display list the page replays on its canvas (see
    /// `chart::DisplayList`).
    pub fn chart(
        &self,
        kind: &str,
        outcome: Option<String>,
        lang: &str,
        width: u32,
        height: u32,
        svg: bool,
    ) -> Result<String, JsError> {
        let kind: chart::ChartKind = kind.parse().map_err(js_error)?;
        let (outcome, lang) = (outcome.as_deref(), Lang::from_tag(lang));
        let data = chart::PatientData::of(&self.report);
        if svg {
            chart::svg_with(&self.report, &data, kind, outcome, lang, width, height).map_err(js_error)
        } else {
            json(&chart::display_list(&self.report, &data, kind, outcome, lang, width, height).map_err(js_error)?)
        }
    }
}
