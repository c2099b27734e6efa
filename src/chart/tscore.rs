//! The T-score histogram with the WHO cut-offs and regions.

use super::ui::GREEN;
use super::ui::*;
use crate::i18n::Lang;
use crate::report::Report;
use crate::stats::describe::Histogram;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

const NORMAL: f64 = -1.0;
const OSTEOPOROSIS: f64 = -2.5;

pub(super) fn draw<DB: DrawingBackend>(
    area: &Area<DB>,
    report: &Report,
    hist: Option<&Histogram>,
    ctx: &Ctx,
) -> Result<(), String> {
    let Some(h) = hist.filter(|h| h.is_drawable() && h.total() > 0) else {
        return Err(ctx
            .pick(
                "there are no T-scores to draw: the strata are not from a T-score column, or no patient has one",
                "没有可绘制的 T 值：分层并非来自 T 值列，或没有患者有 T 值",
            )
            .to_string());
    };
    area.fill(&WHITE).map_err(de)?;
    // Patients left out for having no T-score.
    let unknown = report.strata.iter().find(|s| s.kind == "level" && s.name == "Unknown").map_or(0, |s| s.n);
    let sub = (unknown > 0).then(|| match ctx.lang {
        Lang::En => format!("{unknown} patients without a usable T-score (Unknown) are not shown"),
        Lang::Zh => format!("{unknown} 位无可用 T 值的患者（未知）未显示"),
    });
    let body =
        header(area, ctx, ctx.pick("DEXA T-scores with the WHO cut-offs", "DEXA T 值分布及 WHO 切点"), sub.as_deref())?;

    let xlo = h.lo.min(-3.5) - 0.25;
    let xhi = h.hi().max(0.5) + 0.25;
    let top = h.counts.iter().copied().max().unwrap_or(1).max(1) as f64;
    let (yt, _) = ticks(0.0, top, 5);
    let yticks: Vec<(f64, String)> =
        yt.into_iter().filter(|v| v.fract() == 0.0).map(|v| (v, format!("{}", v as u64))).collect();
    // Room above the bars for the region names.
    let yhi = top * 1.35 + 0.5;
    let left = left_room(ctx, &yticks, true);
    let chart = plot(&body, ctx, left, bottom_room(ctx, true), ctx.px(20.0), xlo..xhi, 0.0..yhi)?;
    // Whole-number ticks (thinned to fit) and the cut-offs.
    let (mut xt, _) = ticks(xlo, xhi, 10);
    let step = if xt.len() > 1 { xt[1] - xt[0] } else { 1.0 };
    if step < 1.0 {
        xt.retain(|v| v.fract() == 0.0);
    }
    let min_gap = step.max(1.0) * 0.45;
    xt.retain(|v| (v - OSTEOPOROSIS).abs() >= min_gap && (v - NORMAL).abs() >= min_gap);
    let mut xticks: Vec<(f64, String)> = xt.into_iter().map(|v| (v, num(v, 0))).collect();
    for c in [OSTEOPOROSIS, NORMAL] {
        if c > xlo && c < xhi {
            xticks.push((c, num(c, 1)));
        }
    }
    xticks.sort_by(|a, b| a.0.total_cmp(&b.0));
    let xa = Axis { ticks: xticks, title: ctx.pick("T-score", "T 值"), grid: false };
    let ya = Axis { ticks: yticks, title: ctx.pick("Patients", "患者数"), grid: true };

    let pa = chart.plotting_area();
    let regions = [
        (xlo, OSTEOPOROSIS, VERMILLION, ctx.pick("Osteoporosis", "骨质疏松"), "T ≤ −2.5"),
        (OSTEOPOROSIS, NORMAL, ORANGE, ctx.pick("Osteopenia", "骨量减少"), "−2.5 < T < −1.0"),
        (NORMAL, xhi, GREEN, ctx.pick("Normal", "正常"), "T ≥ −1.0"),
    ];
    for (a, b, c, _, _) in &regions {
        if a < b {
            pa.draw(&Rectangle::new([(*a, 0.0), (*b, yhi)], c.mix(0.08).filled())).map_err(de)?;
        }
    }
    axes(&body, &chart, ctx, &xa, &ya)?;
    // Bars, coloured by the WHO category of their bin; counts per region for the labels.
    let mut in_region = [0usize; 3];
    let thin = ctx.px(1.5).max(1) as u32;
    for (a, b, count) in h.bins() {
        let mid = (a + b) / 2.0;
        let k = if mid < OSTEOPOROSIS {
            0
        } else if mid < NORMAL {
            1
        } else {
            2
        };
        in_region[k] += count;
        if count == 0 {
            continue;
        }
        let c = regions[k].2;
        pa.draw(&Rectangle::new([(a, 0.0), (b, count as f64)], c.mix(0.85).filled())).map_err(de)?;
        pa.draw(&Rectangle::new([(a, 0.0), (b, count as f64)], WHITE.stroke_width(thin))).map_err(de)?;
    }
    for c in [OSTEOPOROSIS, NORMAL] {
        pa.draw(&DashedPathElement::new(
            vec![(c, 0.0), (c, yhi)],
            ctx.px(8.0),
            ctx.px(5.0),
            INK.stroke_width(ctx.px(2.0).max(1) as u32),
        ))
        .map_err(de)?;
    }
    // Region names at the top, centred in the visible part of each region.
    for ((a, b, _, name, rule), count) in regions.iter().zip(in_region) {
        let (xa, y) = rel(&body, chart.backend_coord(&(*a, yhi)));
        let (xb, _) = rel(&body, chart.backend_coord(&(*b, yhi)));
        let room = f64::from(xb - xa - ctx.px(8.0));
        if room < f64::from(ctx.px(30.0)) {
            continue;
        }
        let x = (xa + xb) / 2;
        let mut y = y + ctx.px(8.0);
        text(&body, &fit(name, TICK * ctx.s, room), (x, y), &ctx.bold(TICK), HPos::Center, VPos::Top)?;
        y += ctx.px(TICK * 1.3);
        text(&body, &fit(rule, SMALL * ctx.s, room), (x, y), &ctx.font_c(SMALL, MUTED), HPos::Center, VPos::Top)?;
        y += ctx.px(SMALL * 1.3);
        text(
            &body,
            &fit(&n_is(count), SMALL * ctx.s, room),
            (x, y),
            &ctx.font_c(SMALL, MUTED),
            HPos::Center,
            VPos::Top,
        )?;
    }
    Ok(())
}
