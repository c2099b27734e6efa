//! Charts drawn from a [`Report`], generic over plotters' `DrawingBackend`: SVG natively and for
//! downloads; in the page, a [`DisplayList`] made in the worker and replayed on the canvas.
//!
//! Every chart takes a [`Lang`] for its labels, uses the Okabe–Ito colours (safe with colour
//! blindness; the WHO strata keep one colour in every chart), and scales its type and lines with
//! the canvas, so a canvas sized at the screen's pixel ratio is crisp and a projector legible.
//! When there is nothing to draw, a chart returns a plain sentence, never panics.
//!
//! Three charts need per-patient data: individual lines (a bounded sample of before/after pairs),
//! the distribution of change and the T-score histogram (histograms; see
//! [`crate::stats::describe`]). They take it as [`PatientData`]; without it, the distribution of
//! change is drawn from the report's quartiles alone.
//!
//! Each chart is drawn once onto a display list (`record`) and replayed onto the backend, so the
//! chart code is compiled once whatever the number of backends. Text is laid out by cohortcalc's
//! own measure, so SVG and canvas agree; the SVG replay corrects for plotters' SVG backend, which
//! renders a font size of 1.24 as one pixel.
//!
//! Architecture invariant: charts read only the report and the chart data given to them; they
//! compute no statistics.

mod flow;
mod km;
mod paired;
mod record;
mod responders;
mod tscore;
mod ui;

pub use record::DisplayList;

use crate::i18n::Lang;
use crate::report::Report;
use crate::stats::describe::Histogram;
use plotters::coord::Shift;
use plotters::prelude::*;
use serde::{Deserialize, Serialize};
use ui::Ctx;

/// The charts cohortcalc draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    /// Mean before and after with 95% CIs, per stratum.
    PairedMeans,
    /// Each patient's before → after line, one panel per stratum, the mean overlaid.
    PairedLines,
    /// Distribution of the change (after − before) per stratum: histogram and box.
    ChangeDistribution,
    /// Responder proportions (or a yes/no outcome's proportion) with Wilson 95% CIs.
    Responders,
    /// Kaplan–Meier curves per stratum with numbers at risk.
    KaplanMeier,
    /// T-score histogram with the WHO cut-offs.
    TscoreHistogram,
    /// STROBE-style flow of rows and patients.
    FlowDiagram,
}

/// What a chart's `outcome` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Needs {
    Paired,
    PairedOrBinary,
    Event,
    Nothing,
}

impl ChartKind {
    /// Every kind, in the order a paper would show them.
    pub const ALL: [ChartKind; 7] = [
        ChartKind::FlowDiagram,
        ChartKind::TscoreHistogram,
        ChartKind::PairedMeans,
        ChartKind::PairedLines,
        ChartKind::ChangeDistribution,
        ChartKind::Responders,
        ChartKind::KaplanMeier,
    ];

    /// The snake_case name (as in JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            ChartKind::PairedMeans => "paired_means",
            ChartKind::PairedLines => "paired_lines",
            ChartKind::ChangeDistribution => "change_distribution",
            ChartKind::Responders => "responders",
            ChartKind::KaplanMeier => "kaplan_meier",
            ChartKind::TscoreHistogram => "tscore_histogram",
            ChartKind::FlowDiagram => "flow_diagram",
        }
    }

    /// A short name for a menu or a caption.
    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            ChartKind::PairedMeans => lang.pick("Means before and after", "治疗前后均值"),
            ChartKind::PairedLines => lang.pick("Each patient before and after", "每位患者治疗前后"),
            ChartKind::ChangeDistribution => lang.pick("Distribution of change", "变化的分布"),
            ChartKind::Responders => lang.pick("Responders", "应答者比例"),
            ChartKind::KaplanMeier => lang.pick("Kaplan–Meier curves", "Kaplan–Meier 曲线"),
            ChartKind::TscoreHistogram => lang.pick("T-score histogram", "T 值直方图"),
            ChartKind::FlowDiagram => lang.pick("Flow diagram", "流程图"),
        }
    }

    fn needs(self) -> Needs {
        match self {
            ChartKind::PairedMeans | ChartKind::PairedLines | ChartKind::ChangeDistribution => Needs::Paired,
            ChartKind::Responders => Needs::PairedOrBinary,
            ChartKind::KaplanMeier => Needs::Event,
            ChartKind::TscoreHistogram | ChartKind::FlowDiagram => Needs::Nothing,
        }
    }
}

impl std::fmt::Display for ChartKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for ChartKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        ChartKind::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| {
            let known: Vec<&str> = ChartKind::ALL.iter().map(|k| k.as_str()).collect();
            format!("there is no chart \"{s}\" (charts: {})", known.join(", "))
        })
    }
}

/// One chart that can be drawn from a report: its kind and the outcome or event it shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartSpec {
    /// Which chart.
    pub kind: ChartKind,
    /// The paired outcome, yes/no outcome or event; none for the flow diagram and T-scores.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
}

/// Per-patient data of one paired outcome in one stratum, for [`ChartKind::PairedLines`] and
/// [`ChartKind::ChangeDistribution`].
#[derive(Debug, Clone, Copy)]
pub struct StratumPairs<'a> {
    /// The paired outcome's name.
    pub outcome: &'a str,
    /// The stratum's name.
    pub stratum: &'a str,
    /// (before, after) pairs, e.g. from [`crate::stats::describe::sample_pairs`].
    pub sample: &'a [[f64; 2]],
    /// Histogram of after − before, from [`crate::stats::describe::change_histogram`].
    pub change: Option<&'a Histogram>,
}

/// Per-patient chart data that a [`Report`] does not carry.
#[derive(Debug, Clone, Default)]
pub struct PatientData<'a> {
    /// Pairs and change histograms, per outcome and stratum.
    pub pairs: Vec<StratumPairs<'a>>,
    /// Histogram of the included patients' T-scores, from
    /// [`crate::stats::describe::tscore_histogram`].
    pub tscores: Option<&'a Histogram>,
}

impl<'a> PatientData<'a> {
    /// The per-patient chart data a report carries: each paired outcome's sample of pairs and
    /// change histogram per stratum, and the T-score histogram.
    pub fn of(report: &'a Report) -> Self {
        let pairs = report
            .strata
            .iter()
            .flat_map(|s| {
                s.paired.iter().map(move |(outcome, p)| StratumPairs {
                    outcome,
                    stratum: &s.name,
                    sample: &p.sample,
                    change: p.change_histogram.as_ref(),
                })
            })
            .collect();
        PatientData { pairs, tscores: report.tscore_histogram.as_ref() }
    }
}

/// The outcome a chart shows: `outcome` if the report has it, else the first of the right kind.
fn resolve(report: &Report, kind: ChartKind, outcome: Option<&str>, lang: Lang) -> Result<Option<String>, String> {
    let m = &report.mapping;
    let paired = m.paired.iter().map(|p| p.name.as_str());
    let binary = m.binary.iter().map(|b| b.name.as_str());
    let events = m.events.iter().map(|e| e.name.as_str());
    let (names, what_en, what_zh): (Vec<&str>, &str, &str) = match kind.needs() {
        Needs::Nothing => return Ok(None),
        Needs::Paired => (paired.collect(), "paired (before/after) outcome", "配对（治疗前后）结局"),
        Needs::PairedOrBinary => (paired.chain(binary).collect(), "paired or yes/no outcome", "配对或是/否结局"),
        Needs::Event => (events.collect(), "event", "事件"),
    };
    match outcome {
        Some(o) if names.contains(&o) => Ok(Some(o.to_string())),
        Some(o) => Err(match lang {
            Lang::En => format!("the report has no {what_en} named \"{o}\""),
            Lang::Zh => format!("报告中没有名为“{o}”的{what_zh}"),
        }),
        None => names.first().map(|n| Some(n.to_string())).ok_or_else(|| match lang {
            Lang::En => format!("the mapping has no {what_en} to chart"),
            Lang::Zh => format!("映射中没有可绘制的{what_zh}"),
        }),
    }
}

fn draw_ctx<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    report: &Report,
    data: &PatientData,
    kind: ChartKind,
    outcome: Option<&str>,
    lang: Lang,
) -> Result<(), String> {
    let ctx = Ctx::new(area, lang)?;
    let outcome = resolve(report, kind, outcome, lang)?;
    let o = outcome.as_deref().unwrap_or_default();
    match kind {
        ChartKind::PairedMeans => paired::means(area, report, o, &ctx),
        ChartKind::PairedLines => paired::lines(area, report, o, &data.pairs, &ctx),
        ChartKind::ChangeDistribution => paired::change(area, report, o, &data.pairs, &ctx),
        ChartKind::Responders => responders::draw(area, report, o, &ctx),
        ChartKind::KaplanMeier => km::draw(area, report, o, &ctx),
        ChartKind::TscoreHistogram => tscore::draw(area, report, data.tscores, &ctx),
        ChartKind::FlowDiagram => flow::draw(area, report, &ctx),
    }
}

/// The chart as a display list of `size` pixels.
fn ops(
    size: (u32, u32),
    report: &Report,
    data: &PatientData,
    kind: ChartKind,
    outcome: Option<&str>,
    lang: Lang,
) -> Result<Vec<record::Op>, String> {
    record::record(size, |area| draw_ctx(area, report, data, kind, outcome, lang))
}

/// Draws chart `kind` of `outcome` (or the first outcome it can show) from `report`.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    report: &Report,
    kind: ChartKind,
    outcome: Option<&str>,
    lang: Lang,
) -> Result<(), String> {
    draw_with(area, report, &PatientData::of(report), kind, outcome, lang)
}

/// As [`draw`], with per-patient data for the charts that need it.
pub fn draw_with<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    report: &Report,
    data: &PatientData,
    kind: ChartKind,
    outcome: Option<&str>,
    lang: Lang,
) -> Result<(), String> {
    record::replay(area, &ops(area.dim_in_pixel(), report, data, kind, outcome, lang)?, 1.0)
}

/// Chart `kind` of `outcome` (or the first outcome it can show) as drawing operations on a
/// canvas of `width` × `height` pixels, for the page to replay.
pub fn display_list(
    report: &Report,
    data: &PatientData,
    kind: ChartKind,
    outcome: Option<&str>,
    lang: Lang,
    width: u32,
    height: u32,
) -> Result<DisplayList, String> {
    ops((width, height), report, data, kind, outcome, lang).map(DisplayList)
}

/// The chart as an SVG document of `width` × `height` pixels.
pub fn svg(
    report: &Report,
    kind: ChartKind,
    outcome: Option<&str>,
    lang: Lang,
    width: u32,
    height: u32,
) -> Result<String, String> {
    svg_with(report, &PatientData::of(report), kind, outcome, lang, width, height)
}

/// As [`svg`], with per-patient data for the charts that need it.
pub fn svg_with(
    report: &Report,
    data: &PatientData,
    kind: ChartKind,
    outcome: Option<&str>,
    lang: Lang,
    width: u32,
    height: u32,
) -> Result<String, String> {
    let list = display_list(report, data, kind, outcome, lang, width, height)?;
    let mut out = String::new();
    {
        let area = plotters_svg::SVGBackend::with_string(&mut out, (width, height)).into_drawing_area();
        // plotters' SVG backend writes font-size = size / 1.24.
        record::replay(&area, &list.0, 1.24)?;
    }
    Ok(out)
}

/// The charts that can be drawn from `report` (and `data`), in the order a paper shows them.
pub fn available(report: &Report, data: &PatientData) -> Vec<ChartSpec> {
    let m = &report.mapping;
    let mut out = Vec::new();
    let spec = |kind, outcome: Option<&str>| ChartSpec { kind, outcome: outcome.map(str::to_string) };
    let has_pairs = |o: &str| report.strata.iter().any(|s| s.paired.get(o).is_some_and(|p| p.pairs > 0));
    for kind in ChartKind::ALL {
        match kind {
            ChartKind::FlowDiagram => {
                if report.rows_read > 0 {
                    out.push(spec(kind, None));
                }
            }
            ChartKind::TscoreHistogram => {
                if data.tscores.is_some_and(|h| h.is_drawable() && h.total() > 0) {
                    out.push(spec(kind, None));
                }
            }
            ChartKind::PairedMeans | ChartKind::ChangeDistribution => {
                for p in m.paired.iter().filter(|p| has_pairs(&p.name)) {
                    out.push(spec(kind, Some(&p.name)));
                }
            }
            ChartKind::PairedLines => {
                for p in m.paired.iter().filter(|p| has_pairs(&p.name)) {
                    if data.pairs.iter().any(|d| d.outcome == p.name && !d.sample.is_empty()) {
                        out.push(spec(kind, Some(&p.name)));
                    }
                }
            }
            ChartKind::Responders => {
                for p in m.paired.iter().filter(|p| has_pairs(&p.name)) {
                    out.push(spec(kind, Some(&p.name)));
                }
                for b in &m.binary {
                    if report.strata.iter().any(|s| s.binary.get(&b.name).is_some_and(|x| x.n > 0)) {
                        out.push(spec(kind, Some(&b.name)));
                    }
                }
            }
            ChartKind::KaplanMeier => {
                for e in &m.events {
                    if report
                        .strata
                        .iter()
                        .any(|s| s.events.get(&e.name).is_some_and(|x| x.time_to_event.kaplan_meier.value().is_some()))
                    {
                        out.push(spec(kind, Some(&e.name)));
                    }
                }
            }
        }
    }
    out
}

/// The mean before/after chart in English as an SVG document (the CLI's `--chart`).
pub fn paired_means_svg(report: &Report, outcome: &str, width: u32, height: u32) -> Result<String, String> {
    svg(report, ChartKind::PairedMeans, Some(outcome), Lang::En, width, height)
}
