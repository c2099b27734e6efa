//! Responder proportions (or a yes/no outcome's proportion) with Wilson 95% CIs.

use super::ui::*;
use super::ui::{BLACK, BLUE, GREEN};
use crate::i18n::Lang;
use crate::report::{Estimable, Interval, Report};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Bar colours by definition (the strata are on the x axis).
const DEFINITION: [RGBColor; 6] = [BLUE, ORANGE, GREEN, PURPLE, SKY, VERMILLION];

/// One bar: percent and its Wilson interval.
type Bar = Option<(f64, f64, f64)>;

fn bar(percent: &Estimable<f64>, ci: &Estimable<Interval>) -> Bar {
    let (p, ci) = (*percent.value()?, ci.value()?);
    [p, ci.lower, ci.upper].iter().all(|v| v.is_finite()).then_some((p, ci.lower, ci.upper))
}

pub(super) fn draw<DB: DrawingBackend>(
    area: &Area<DB>,
    report: &Report,
    outcome: &str,
    ctx: &Ctx,
) -> Result<(), String> {
    let is_paired = report.mapping.paired.iter().any(|p| p.name == outcome);
    // Definitions from the first stratum that has the outcome.
    let defs: Vec<String> = if is_paired {
        report
            .strata
            .iter()
            .find_map(|s| s.paired.get(outcome))
            .map(|p| p.responders.iter().map(|r| r.definition.clone()).collect())
            .unwrap_or_default()
    } else {
        vec![outcome.to_string()]
    };
    // Per stratum: its name, n, and one bar per definition.
    let groups: Vec<(&str, usize, Vec<Bar>)> = report
        .strata
        .iter()
        .filter_map(|s| {
            if is_paired {
                let p = s.paired.get(outcome)?;
                let bars = defs
                    .iter()
                    .map(|d| {
                        p.responders.iter().find(|r| &r.definition == d).and_then(|r| bar(&r.percent, &r.wilson_ci95))
                    })
                    .collect();
                Some((s.name.as_str(), p.pairs, bars))
            } else {
                let b = s.binary.get(outcome)?;
                Some((s.name.as_str(), b.n, vec![bar(&b.percent, &b.wilson_ci95)]))
            }
        })
        .filter(|g| g.2.iter().any(Option::is_some))
        .collect();
    if groups.is_empty() || defs.is_empty() {
        return Err(match ctx.lang {
            Lang::En => format!("no stratum has a proportion of \"{outcome}\" to draw"),
            Lang::Zh => format!("没有任何分层具有可绘制的“{outcome}”比例"),
        });
    }
    area.fill(&WHITE).map_err(de)?;
    let title = match (ctx.lang, is_paired) {
        (Lang::En, true) => format!("{outcome}: responders with 95% CI (Wilson)"),
        (Lang::En, false) => format!("{outcome}: proportion with 95% CI (Wilson)"),
        (Lang::Zh, true) => format!("{outcome}：应答者比例及 95% CI (Wilson)"),
        (Lang::Zh, false) => format!("{outcome}：比例及 95% CI (Wilson)"),
    };
    let body = header(area, ctx, &title, None)?;
    let mut items: Vec<(Swatch, String)> = Vec::new();
    if is_paired {
        for (j, d) in defs.iter().enumerate() {
            items.push((Swatch::Fill(DEFINITION[j % DEFINITION.len()], 0.85), definition_label(d, ctx.lang)));
        }
    }
    items.push((Swatch::Whisker(BLACK), ctx.pick("95% CI (Wilson)", "95% CI (Wilson)").to_string()));
    let lh = legend(&body, ctx, &items, 0)?;
    let body = body.margin(lh + ctx.px(4.0), 0, 0, 0);

    let yticks: Vec<(f64, String)> = (0..=5).map(|k| (f64::from(k) * 20.0, format!("{}", k * 20))).collect();
    let ytitle = match (ctx.lang, is_paired) {
        (Lang::En, true) => "Responders (%)",
        (Lang::En, false) => "Patients with \u{201c}yes\u{201d} (%)",
        (Lang::Zh, true) => "应答者 (%)",
        (Lang::Zh, false) => "“是”的患者 (%)",
    };
    let n = groups.len();
    let left = left_room(ctx, &yticks, true);
    let right = ctx.px(16.0);
    let chart = plot(&body, ctx, left, category_room(ctx), right, -0.5..(n as f64 - 0.5), 0.0..112.0)?;
    axes(
        &body,
        &chart,
        ctx,
        &Axis { ticks: vec![], title: "", grid: false },
        &Axis { ticks: yticks, title: ytitle, grid: true },
    )?;
    let slot = f64::from(ctx.w - left - right) / n as f64 - f64::from(ctx.px(8.0));
    let labels: Vec<(f64, String, String)> =
        groups.iter().enumerate().map(|(i, g)| (i as f64, stratum_label(g.0, ctx.lang), n_is(g.1))).collect();
    categories(&body, &chart, ctx, &labels, slot)?;

    let m = defs.len();
    let bw = 0.8 / m as f64;
    let bar_px = slot * 0.8 / m as f64;
    let digits = if text_width("100.0", SMALL * ctx.s) <= bar_px * 1.1 { 1 } else { 0 };
    let err = BLACK.stroke_width(ctx.px(2.0).max(1) as u32);
    let pa = chart.plotting_area();
    for (i, (_, _, bars)) in groups.iter().enumerate() {
        for (j, b) in bars.iter().enumerate() {
            let Some((p, lo, hi)) = *b else { continue };
            let colour = if is_paired { DEFINITION[j % DEFINITION.len()] } else { BLUE };
            let x0 = i as f64 - 0.4 + j as f64 * bw + bw * 0.08;
            let x1 = i as f64 - 0.4 + (j + 1) as f64 * bw - bw * 0.08;
            pa.draw(&Rectangle::new([(x0, 0.0), (x1, p)], colour.mix(0.85).filled())).map_err(de)?;
            let xc = (x0 + x1) / 2.0;
            whisker(&chart, xc, lo, hi, ctx.px(12.0).min((bar_px * 0.6) as i32).max(2), err)?;
            let (tx, ty) = rel(&body, chart.backend_coord(&(xc, hi)));
            text(&body, &num(p, digits), (tx, ty - ctx.px(4.0)), &ctx.font(SMALL), HPos::Center, VPos::Bottom)?;
        }
    }
    Ok(())
}
