//! The WebAssembly boundary: the only file that touches wasm-bindgen, web-sys and js-sys.
//! It converts, calls the core, and converts back; every core error becomes one `JsError`.

use crate::{report, Mapping};
use plotters::prelude::IntoDrawingArea;
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

fn js_error(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

fn to_js<T: Serialize>(v: &T) -> Result<JsValue, JsError> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(js_error)
}

#[derive(Serialize)]
struct AnalyzeResult<'a> {
    report: &'a report::Report,
    tables: Vec<report::Table>,
    diagnostics: &'a [crate::Diagnostic],
    mapping_json: String,
    mapping_guessed: bool,
    methods: String,
}

/// Analyses a CSV file's bytes under `mapping_json` (or a guessed mapping when absent).
/// `progress`, if given, is called with the share of the file read (0 to 1).
#[wasm_bindgen]
pub fn analyze(
    bytes: &[u8],
    mapping_json: Option<String>,
    progress: Option<js_sys::Function>,
    lang: Option<String>,
) -> Result<JsValue, JsError> {
    let lang = lang.as_deref().map_or(crate::Lang::En, crate::Lang::from_tag);
    let mapping = mapping_json.as_deref().map(Mapping::from_json).transpose().map_err(js_error)?;
    let mut tell = |share: f64| {
        if let Some(f) = &progress {
            // A failing progress callback must not stop the analysis.
            let _ = f.call1(&JsValue::NULL, &JsValue::from_f64(share));
        }
    };
    let a = crate::analyze_with_progress(bytes, mapping.as_ref(), &mut tell).map_err(js_error)?;
    to_js(&AnalyzeResult {
        tables: report::tables(&a.report, lang),
        mapping_json: a.report.mapping.to_json(),
        report: &a.report,
        diagnostics: &a.diagnostics,
        mapping_guessed: mapping.is_none(),
        methods: report::methods(&a.report, lang),
    })
}

/// The rounded tables of `report` in `lang` ("en" or "zh"): to switch language without re-analysing.
#[wasm_bindgen]
pub fn render_tables(report: JsValue, lang: &str) -> Result<JsValue, JsError> {
    let report: report::Report = serde_wasm_bindgen::from_value(report).map_err(js_error)?;
    to_js(&report::tables(&report, crate::Lang::from_tag(lang)))
}

/// The "Statistical methods" paragraph of `report` in `lang`.
#[wasm_bindgen]
pub fn methods_text(report: JsValue, lang: &str) -> Result<String, JsError> {
    let report: report::Report = serde_wasm_bindgen::from_value(report).map_err(js_error)?;
    Ok(report::methods(&report, crate::Lang::from_tag(lang)))
}

/// Tables (as returned in `tables`) as one CSV text with formula-like cells neutralised.
#[wasm_bindgen]
pub fn tables_csv(tables: JsValue) -> Result<String, JsError> {
    let tables: Vec<report::Table> = serde_wasm_bindgen::from_value(tables).map_err(js_error)?;
    Ok(report::tables_csv(&tables))
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

/// What a file holds before any mapping: `{headers, sheets, sheet, rows, guess: {mapping, roles,
/// unused}, diagnostics}` — for the mapping panel (a choice per role, a sheet picker).
#[wasm_bindgen]
pub fn inspect(bytes: &[u8], sheet: Option<String>) -> Result<JsValue, JsError> {
    to_js(&crate::inspect(bytes, sheet.as_deref()).map_err(js_error)?)
}

/// The mapping guessed from a file's headers and values, as JSON.
#[wasm_bindgen]
pub fn guess_mapping(bytes: &[u8]) -> Result<String, JsError> {
    crate::guess_mapping(bytes).map(|(m, _)| m.to_json()).map_err(js_error)
}

/// Draws the mean before/after chart of `outcome` from `report` (as returned by [`analyze`]).
#[wasm_bindgen]
pub fn draw_paired_chart(canvas: web_sys::HtmlCanvasElement, report: JsValue, outcome: &str) -> Result<(), JsError> {
    let report: report::Report = serde_wasm_bindgen::from_value(report).map_err(js_error)?;
    let backend = plotters_canvas::CanvasBackend::with_canvas_object(canvas)
        .ok_or_else(|| JsError::new("the chart canvas has no 2D context"))?;
    crate::chart::paired_means(&backend.into_drawing_area(), &report, outcome, crate::Lang::En).map_err(js_error)
}

/// Draws chart `kind` ("paired_means", "paired_lines", "change_distribution", "responders",
/// "kaplan_meier", "tscore_histogram" or "flow_diagram") of `outcome` (or the first outcome it can
/// show) from `report` on `canvas`, in `lang`. Size the canvas at the device pixel ratio first.
#[wasm_bindgen]
pub fn draw_chart(
    canvas: web_sys::HtmlCanvasElement,
    report: JsValue,
    kind: &str,
    outcome: Option<String>,
    lang: &str,
) -> Result<(), JsError> {
    let report: report::Report = serde_wasm_bindgen::from_value(report).map_err(js_error)?;
    let kind: crate::chart::ChartKind = kind.parse().map_err(js_error)?;
    let backend = plotters_canvas::CanvasBackend::with_canvas_object(canvas)
        .ok_or_else(|| JsError::new("the chart canvas has no 2D context"))?;
    crate::chart::draw(&backend.into_drawing_area(), &report, kind, outcome.as_deref(), crate::Lang::from_tag(lang))
        .map_err(js_error)
}

/// Chart `kind` of `outcome` from `report` as an SVG document of `width` × `height` pixels.
#[wasm_bindgen]
pub fn chart_svg(
    report: JsValue,
    kind: &str,
    outcome: Option<String>,
    lang: &str,
    width: u32,
    height: u32,
) -> Result<String, JsError> {
    let report: report::Report = serde_wasm_bindgen::from_value(report).map_err(js_error)?;
    let kind: crate::chart::ChartKind = kind.parse().map_err(js_error)?;
    crate::chart::svg(&report, kind, outcome.as_deref(), crate::Lang::from_tag(lang), width, height).map_err(js_error)
}

#[derive(Serialize)]
struct ChartEntry {
    kind: crate::chart::ChartKind,
    outcome: Option<String>,
    title: &'static str,
}

/// The charts that can be drawn from `report`, in the order a paper shows them:
/// `[{kind, outcome, title}]` with `title` in `lang`.
#[wasm_bindgen]
pub fn chart_list(report: JsValue, lang: &str) -> Result<JsValue, JsError> {
    let report: report::Report = serde_wasm_bindgen::from_value(report).map_err(js_error)?;
    let lang = crate::Lang::from_tag(lang);
    let list: Vec<ChartEntry> = crate::chart::available(&report, &crate::chart::PatientData::of(&report))
        .into_iter()
        .map(|s| ChartEntry { title: s.kind.title(lang), kind: s.kind, outcome: s.outcome })
        .collect();
    to_js(&list)
}
