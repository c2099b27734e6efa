//! Paired outcomes: means with CIs, each patient's lines, the distribution of change.

use super::ui::*;
use super::ui::{BLACK, BLUE};
use super::StratumPairs;
use crate::i18n::Lang;
use crate::report::{PairedReport, Report};
use crate::stats::describe::SAMPLE_PAIRS;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

const BEFORE: RGBColor = BLUE;
const AFTER: RGBColor = VERMILLION;

fn finite(v: &[f64]) -> bool {
    v.iter().all(|x| x.is_finite())
}

/// The y range of `lo..hi` widened to whole ticks (with a little room above), and the ticks.
fn y_axis(lo: f64, hi: f64, target: usize) -> (f64, f64, Vec<(f64, String)>) {
    let (lo, hi, ticks) = Axis::rounded(lo, hi, target);
    (lo, hi + (hi - lo) * 0.03, ticks)
}

/// (lower, mean, upper).
type Ci = (f64, f64, f64);

struct MeanRow<'a> {
    name: &'a str,
    pairs: usize,
    before: Ci,
    after: Ci,
}

/// The before and after means with their 95% CIs, when all are finite.
fn mean_ci(p: &PairedReport) -> Option<(Ci, Ci)> {
    let (b, a) = (p.before_ci95.value()?, p.after_ci95.value()?);
    let before = (b.lower, p.before.mean?, b.upper);
    let after = (a.lower, p.after.mean?, a.upper);
    finite(&[before.0, before.1, before.2, after.0, after.1, after.2]).then_some((before, after))
}

fn no_pairs(ctx: &Ctx, outcome: &str, two: bool) -> String {
    match (ctx.lang, two) {
        (Lang::En, true) => format!("no stratum has at least two pairs of \"{outcome}\""),
        (Lang::En, false) => format!("no stratum has a pair of \"{outcome}\""),
        (Lang::Zh, true) => format!("没有任何分层具有至少两对“{outcome}”数据"),
        (Lang::Zh, false) => format!("没有任何分层具有“{outcome}”的配对数据"),
    }
}

pub(super) fn means<DB: DrawingBackend>(
    area: &Area<DB>,
    report: &Report,
    outcome: &str,
    ctx: &Ctx,
) -> Result<(), String> {
    let rows: Vec<MeanRow> = report
        .strata
        .iter()
        .filter_map(|s| {
            let p = s.paired.get(outcome)?;
            let (before, after) = mean_ci(p)?;
            Some(MeanRow { name: &s.name, pairs: p.pairs, before, after })
        })
        .collect();
    if rows.is_empty() {
        return Err(no_pairs(ctx, outcome, true));
    }
    area.fill(&WHITE).map_err(de)?;
    let title = match ctx.lang {
        Lang::En => format!("{outcome}: mean before and after, with 95% CI"),
        Lang::Zh => format!("{outcome}：治疗前后均值及 95% CI"),
    };
    let body = header(area, ctx, &title, None)?;
    let items = [
        (Swatch::Interval(BEFORE), ctx.pick("Before", "治疗前").to_string()),
        (Swatch::Interval(AFTER), ctx.pick("After", "治疗后").to_string()),
    ];
    let lh = legend(&body, ctx, &items, 0)?;
    let body = body.margin(lh + ctx.px(4.0), 0, 0, 0);

    let lo = rows.iter().map(|r| r.before.0.min(r.after.0)).fold(0.0f64, f64::min);
    let hi = rows.iter().map(|r| r.before.2.max(r.after.2)).fold(f64::NEG_INFINITY, f64::max);
    let (ylo, yhi, yticks) = y_axis(lo, hi, 6);
    let ytitle = match ctx.lang {
        Lang::En => format!("{outcome}, mean"),
        Lang::Zh => format!("{outcome}，均值"),
    };
    let n = rows.len();
    let left = left_room(ctx, &yticks, true);
    let mut chart = plot(&body, ctx, left, category_room(ctx), ctx.px(16.0), -0.5..(n as f64 - 0.5), ylo..yhi)?;
    let xa = Axis { ticks: vec![], title: "", grid: false };
    let ya = Axis { ticks: yticks, title: &ytitle, grid: true };
    axes(&body, &chart, ctx, &xa, &ya)?;
    let slot = f64::from(ctx.w - left - ctx.px(16.0)) / n as f64 - f64::from(ctx.px(8.0));
    let labels: Vec<(f64, String, String)> =
        rows.iter().enumerate().map(|(i, r)| (i as f64, stratum_label(r.name, ctx.lang), n_is(r.pairs))).collect();
    categories(&body, &chart, ctx, &labels, slot)?;

    let off = 0.15;
    chart
        .draw_series(rows.iter().enumerate().map(|(i, r)| {
            PathElement::new(
                vec![(i as f64 - off, r.before.1), (i as f64 + off, r.after.1)],
                AXIS.stroke_width(ctx.px(1.5).max(1) as u32),
            )
        }))
        .map_err(de)?;
    for (colour, dx, pick) in
        [(BEFORE, -off, (|r: &MeanRow| r.before) as fn(&MeanRow) -> Ci), (AFTER, off, |r: &MeanRow| r.after)]
    {
        let style = colour.stroke_width(ctx.px(3.0).max(1) as u32);
        chart
            .draw_series(rows.iter().enumerate().map(|(i, r)| {
                let (l, m, u) = pick(r);
                ErrorBar::new_vertical(i as f64 + dx, l, m, u, style, ctx.px(14.0).max(2) as u32)
            }))
            .map_err(de)?;
        chart
            .draw_series(
                rows.iter()
                    .enumerate()
                    .map(|(i, r)| Circle::new((i as f64 + dx, pick(r).1), ctx.px(6.5).max(2), colour.filled())),
            )
            .map_err(de)?;
    }
    Ok(())
}

/// The data given for `outcome` in `stratum`.
fn find<'a>(data: &'a [StratumPairs<'a>], outcome: &str, stratum: &str) -> Option<&'a StratumPairs<'a>> {
    data.iter().find(|d| d.outcome == outcome && d.stratum == stratum)
}

pub(super) fn lines<DB: DrawingBackend>(
    area: &Area<DB>,
    report: &Report,
    outcome: &str,
    data: &[StratumPairs],
    ctx: &Ctx,
) -> Result<(), String> {
    let panels: Vec<(&str, &PairedReport, &[[f64; 2]])> = report
        .strata
        .iter()
        .filter_map(|s| {
            let p = s.paired.get(outcome)?;
            let d = find(data, outcome, &s.name)?;
            let sample: &[[f64; 2]] = d.sample;
            (!sample.is_empty() && sample.iter().all(|v| finite(v))).then_some((s.name.as_str(), p, sample))
        })
        .collect();
    if panels.is_empty() {
        return Err(match ctx.lang {
            Lang::En => format!("there are no patient-level pairs of \"{outcome}\" to draw"),
            Lang::Zh => format!("没有可绘制的“{outcome}”患者配对数据"),
        });
    }
    area.fill(&WHITE).map_err(de)?;
    let sampled = panels.iter().any(|(_, p, s)| s.len() < p.pairs);
    let title = match ctx.lang {
        Lang::En => format!("{outcome}: each patient before and after"),
        Lang::Zh => format!("{outcome}：每位患者治疗前后"),
    };
    let sub = match ctx.lang {
        Lang::En => format!(
            "At most {SAMPLE_PAIRS} patients per stratum are drawn, evenly spaced in file order; the means use every pair."
        ),
        Lang::Zh => format!("每个分层最多绘制 {SAMPLE_PAIRS} 位患者（按文件顺序等距选取）；均值基于全部配对。"),
    };
    let body = header(area, ctx, &title, sampled.then_some(sub.as_str()))?;
    let items = [
        (Swatch::Line(BLUE), ctx.pick("decreased", "下降").to_string()),
        (Swatch::Line(VERMILLION), ctx.pick("increased", "上升").to_string()),
        (Swatch::Line(AXIS), ctx.pick("unchanged", "不变").to_string()),
        (Swatch::Interval(BLACK), ctx.pick("mean (95% CI)", "均值 (95% CI)").to_string()),
    ];
    let lh = legend(&body, ctx, &items, 0)?;
    let body = body.margin(lh + ctx.px(4.0), ctx.px(4.0), ctx.px(4.0), ctx.px(8.0));

    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for (_, p, s) in &panels {
        for v in s.iter().flatten() {
            lo = lo.min(*v);
            hi = hi.max(*v);
        }
        if let Some((b, a)) = mean_ci(p) {
            lo = lo.min(b.0).min(a.0);
            hi = hi.max(b.2).max(a.2);
        }
    }
    let lo = if lo > 0.0 && lo <= hi - lo { 0.0 } else { lo };
    let (ylo, yhi, yticks) = y_axis(lo, hi, 4);
    let n = panels.len();
    let rows = if n <= 3 {
        1
    } else if n <= 8 {
        2
    } else {
        3
    };
    let cols = n.div_ceil(rows);
    let cells = body.split_evenly((rows, cols));
    let before = ctx.pick("Before", "治疗前");
    let after = ctx.pick("After", "治疗后");
    let alpha = |n: usize| (2.5 / (n as f64).sqrt()).clamp(0.1, 0.6);
    for ((name, p, sample), cell) in panels.iter().zip(&cells) {
        let (cw, _) = cell.dim_in_pixel();
        let label = format!("{} · {}", stratum_label(name, ctx.lang), n_is(p.pairs));
        text(
            cell,
            &fit(&label, TICK * ctx.s, f64::from(cw)),
            (cw as i32 / 2, 0),
            &ctx.bold(TICK),
            HPos::Center,
            VPos::Top,
        )?;
        let inner = cell.margin(ctx.px(TICK * 1.4), 0, 0, 0);
        let left = left_room(ctx, &yticks, false);
        let mut chart = plot(&inner, ctx, left, bottom_room(ctx, false), ctx.px(6.0), -0.3..1.3, ylo..yhi)?;
        let xa = Axis { ticks: vec![(0.0, before.to_string()), (1.0, after.to_string())], title: "", grid: false };
        let ya = Axis { ticks: yticks.clone(), title: "", grid: true };
        axes(&inner, &chart, ctx, &xa, &ya)?;
        let a = alpha(sample.len());
        let width = ctx.px(1.6).max(1) as u32;
        chart
            .draw_series(sample.iter().map(|[b, af]| {
                let colour = if af < b {
                    BLUE
                } else if af > b {
                    VERMILLION
                } else {
                    AXIS
                };
                PathElement::new(vec![(0.0, *b), (1.0, *af)], colour.mix(a).stroke_width(width))
            }))
            .map_err(de)?;
        if let (Some(mb), Some(ma)) = (p.before.mean, p.after.mean) {
            if mb.is_finite() && ma.is_finite() {
                let thick = BLACK.stroke_width(ctx.px(3.5).max(1) as u32);
                chart.draw_series([PathElement::new(vec![(0.0, mb), (1.0, ma)], thick)]).map_err(de)?;
                if let Some((b, af)) = mean_ci(p) {
                    chart
                        .draw_series([(0.0, b), (1.0, af)].into_iter().map(|(x, (l, m, u))| {
                            ErrorBar::new_vertical(x, l, m, u, thick, ctx.px(12.0).max(2) as u32)
                        }))
                        .map_err(de)?;
                }
                chart
                    .draw_series(
                        [(0.0, mb), (1.0, ma)].into_iter().map(|c| Circle::new(c, ctx.px(5.5).max(2), BLACK.filled())),
                    )
                    .map_err(de)?;
            }
        }
    }
    Ok(())
}

struct ChangeRow<'a> {
    name: &'a str,
    pairs: usize,
    /// min, q1, median, q3, max
    five: [f64; 5],
    mean: Option<Ci>,
    hist: Option<&'a crate::stats::describe::Histogram>,
}

pub(super) fn change<DB: DrawingBackend>(
    area: &Area<DB>,
    report: &Report,
    outcome: &str,
    data: &[StratumPairs],
    ctx: &Ctx,
) -> Result<(), String> {
    let rows: Vec<ChangeRow> = report
        .strata
        .iter()
        .filter_map(|s| {
            let p = s.paired.get(outcome)?;
            let d = &p.difference;
            let five = [d.min?, d.q1?, d.median?, d.q3?, d.max?];
            if p.pairs == 0 || !finite(&five) {
                return None;
            }
            let mean = match (d.mean, p.difference_ci95.value()) {
                (Some(m), Some(ci)) if finite(&[m, ci.lower, ci.upper]) => Some((ci.lower, m, ci.upper)),
                _ => None,
            };
            let hist = find(data, outcome, &s.name).and_then(|x| x.change).filter(|h| h.is_drawable() && h.total() > 0);
            Some(ChangeRow { name: &s.name, pairs: p.pairs, five, mean, hist })
        })
        .collect();
    if rows.is_empty() {
        return Err(no_pairs(ctx, outcome, false));
    }
    area.fill(&WHITE).map_err(de)?;
    let title = match ctx.lang {
        Lang::En => format!("{outcome}: change (after − before) by stratum"),
        Lang::Zh => format!("{outcome}：各分层的变化（治疗后 − 治疗前）"),
    };
    let body = header(area, ctx, &title, None)?;
    let any_hist = rows.iter().any(|r| r.hist.is_some());
    let mut items = Vec::new();
    if any_hist {
        items.push((Swatch::Fill(MUTED, 0.6), ctx.pick("patients (histogram)", "患者数（直方图）").to_string()));
    }
    items.push((Swatch::Box, ctx.pick("median, quartiles; whiskers: range", "中位数、四分位数；须：范围").to_string()));
    items.push((Swatch::Interval(BLACK), ctx.pick("mean (95% CI)", "均值 (95% CI)").to_string()));
    let lh = legend(&body, ctx, &items, 0)?;
    let body = body.margin(lh + ctx.px(4.0), 0, 0, 0);

    let mut lo = 0.0f64;
    let mut hi = 0.0f64;
    for r in &rows {
        lo = lo.min(r.five[0]);
        hi = hi.max(r.five[4]);
        if let Some(h) = r.hist {
            lo = lo.min(h.lo);
            hi = hi.max(h.hi());
        }
        if let Some((l, _, u)) = r.mean {
            lo = lo.min(l);
            hi = hi.max(u);
        }
    }
    let pad = if hi > lo { (hi - lo) * 0.04 } else { 1.0 };
    let (xlo, xhi) = (lo - pad, hi + pad);
    let xticks = Axis::numeric(xlo, xhi, 8);
    let n = rows.len();
    let labels: Vec<String> = rows.iter().map(|r| stratum_label(r.name, ctx.lang)).collect();
    let max_label = f64::from(ctx.w) * 0.26;
    let label_w = labels
        .iter()
        .map(|l| wrap(l, TICK * ctx.s, max_label, 2).iter().map(|x| text_width(x, TICK * ctx.s)).fold(0.0, f64::max))
        .fold(0.0, f64::max)
        .max(text_width("n = 00000", SMALL * ctx.s));
    let left = label_w.ceil() as i32 + ctx.px(24.0);
    let chart = plot(&body, ctx, left, bottom_room(ctx, true), ctx.px(20.0), xlo..xhi, 0.0..n as f64)?;
    let xtitle = match ctx.lang {
        Lang::En => format!("Change in {outcome} (after − before)"),
        Lang::Zh => format!("{outcome} 变化（治疗后 − 治疗前）"),
    };
    axes(
        &body,
        &chart,
        ctx,
        &Axis { ticks: xticks, title: &xtitle, grid: true },
        &Axis { ticks: vec![], title: "", grid: false },
    )?;
    let pa = chart.plotting_area();
    // No change.
    pa.draw(&DashedPathElement::new(
        vec![(0.0, 0.0), (0.0, n as f64)],
        ctx.px(6.0),
        ctx.px(4.0),
        INK.stroke_width(ctx.px(1.5).max(1) as u32),
    ))
    .map_err(de)?;
    let names: Vec<&str> = rows.iter().map(|r| r.name).collect();
    let colours = stratum_colours(&names);
    let thin = ctx.px(1.5).max(1) as u32;
    for (i, r) in rows.iter().enumerate() {
        let base = (n - 1 - i) as f64;
        if i > 0 {
            pa.draw(&PathElement::new(vec![(xlo, base + 1.0), (xhi, base + 1.0)], GRID.stroke_width(thin)))
                .map_err(de)?;
        }
        let (box_lo, box_hi) = if r.hist.is_some() { (base + 0.14, base + 0.36) } else { (base + 0.3, base + 0.62) };
        if let Some(h) = r.hist {
            let top = h.counts.iter().copied().max().unwrap_or(1).max(1) as f64;
            let colour = colours[i];
            pa.draw(&PathElement::new(vec![(xlo, base + 0.42), (xhi, base + 0.42)], GRID.stroke_width(thin)))
                .map_err(de)?;
            for (a, b, c) in h.bins().filter(|b| b.2 > 0) {
                let y1 = base + 0.42 + 0.52 * c as f64 / top;
                pa.draw(&Rectangle::new([(a, base + 0.42), (b, y1)], colour.mix(0.6).filled())).map_err(de)?;
                pa.draw(&Rectangle::new([(a, base + 0.42), (b, y1)], WHITE.stroke_width(thin))).map_err(de)?;
            }
        }
        let [min, q1, med, q3, max] = r.five;
        let mid = (box_lo + box_hi) / 2.0;
        let line = INK.stroke_width(ctx.px(2.0).max(1) as u32);
        pa.draw(&PathElement::new(vec![(min, mid), (q1, mid)], line)).map_err(de)?;
        pa.draw(&PathElement::new(vec![(q3, mid), (max, mid)], line)).map_err(de)?;
        for x in [min, max] {
            pa.draw(&PathElement::new(vec![(x, mid - 0.07), (x, mid + 0.07)], line)).map_err(de)?;
        }
        pa.draw(&Rectangle::new([(q1, box_lo), (q3, box_hi)], AXIS.mix(0.35).filled())).map_err(de)?;
        pa.draw(&Rectangle::new([(q1, box_lo), (q3, box_hi)], line)).map_err(de)?;
        pa.draw(&PathElement::new(vec![(med, box_lo), (med, box_hi)], INK.stroke_width(ctx.px(3.5).max(1) as u32)))
            .map_err(de)?;
        if let Some((l, m, u)) = r.mean {
            let y = base + if r.hist.is_some() { 0.06 } else { 0.16 };
            pa.draw(&PathElement::new(vec![(l, y), (u, y)], BLACK.stroke_width(ctx.px(2.5).max(1) as u32)))
                .map_err(de)?;
            pa.draw(&Circle::new((m, y), ctx.px(5.0).max(2), BLACK.filled())).map_err(de)?;
        }
        // Label, centred on the row.
        let (_, ytop) = rel(&body, chart.backend_coord(&(xlo, base + 1.0)));
        let (_, ybot) = rel(&body, chart.backend_coord(&(xlo, base)));
        let lines = wrap(&labels[i], TICK * ctx.s, max_label, 2);
        let lhgt = ctx.px(TICK * 1.2);
        let block = lhgt * lines.len() as i32 + ctx.px(SMALL * 1.25);
        let mut y = (ytop + ybot) / 2 - block / 2;
        let x = left - ctx.px(12.0);
        for l in &lines {
            text(&body, l, (x, y), &ctx.font(TICK), HPos::Right, VPos::Top)?;
            y += lhgt;
        }
        text(&body, &n_is(r.pairs), (x, y), &ctx.font_c(SMALL, MUTED), HPos::Right, VPos::Top)?;
    }
    Ok(())
}
