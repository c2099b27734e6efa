//! Kaplan–Meier curves per stratum with CI bands, censoring marks and numbers at risk.

use super::ui::*;
use crate::i18n::Lang;
use crate::report::{format_p, KaplanMeier, Report};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Month steps for the time axis and the numbers at risk.
const STEPS: [f64; 12] = [0.25, 0.5, 1.0, 2.0, 3.0, 6.0, 12.0, 24.0, 36.0, 60.0, 120.0, 240.0];

/// Patients at risk at `t`: those whose time is at least `t`.
fn at_risk(km: &KaplanMeier, t: f64) -> usize {
    km.table.iter().find(|r| r.time >= t).map_or(0, |r| r.at_risk)
}

/// The curve as steps from (0, 1): survival just after each time.
fn steps(km: &KaplanMeier, value: impl Fn(&crate::report::KmRow) -> f64) -> Vec<(f64, f64)> {
    let mut pts = vec![(0.0, 1.0)];
    let mut prev = 1.0;
    for r in &km.table {
        let v = value(r);
        pts.push((r.time, prev));
        pts.push((r.time, v));
        prev = v;
    }
    pts
}

pub(super) fn draw<DB: DrawingBackend>(area: &Area<DB>, report: &Report, event: &str, ctx: &Ctx) -> Result<(), String> {
    fn usable<'a>(s: &'a crate::report::StratumReport, event: &str) -> Option<&'a KaplanMeier> {
        let km = s.events.get(event)?.time_to_event.kaplan_meier.value()?;
        let ok = !km.table.is_empty()
            && km.table.iter().all(|r| r.time.is_finite() && r.time >= 0.0 && r.survival.is_finite());
        ok.then_some(km)
    }
    let levels: Vec<(&str, &KaplanMeier)> = report
        .strata
        .iter()
        .filter(|s| s.kind == "level")
        .filter_map(|s| Some((s.name.as_str(), usable(s, event)?)))
        .collect();
    let curves: Vec<(&str, &KaplanMeier)> = if levels.is_empty() {
        report
            .strata
            .iter()
            .filter(|s| s.kind == "overall")
            .filter_map(|s| Some((s.name.as_str(), usable(s, event)?)))
            .collect()
    } else {
        levels
    };
    if curves.is_empty() {
        return Err(match ctx.lang {
            Lang::En => format!("no stratum has times to \"{event}\" or to the end of follow-up"),
            Lang::Zh => format!("没有任何分层具有“{event}”的事件或随访时间"),
        });
    }
    area.fill(&WHITE).map_err(de)?;
    let title = match ctx.lang {
        Lang::En => format!("{event}: Kaplan–Meier estimate by stratum"),
        Lang::Zh => format!("{event}：各分层 Kaplan–Meier 曲线"),
    };
    // The log-rank test across the levels, when the report has it.
    let logrank = report
        .comparisons
        .iter()
        .filter(|c| c.kind == "across levels")
        .find_map(|c| c.tests.events.get(event)?.logrank.value().cloned())
        .filter(|_| curves.len() > 1);
    let mut sub = ctx.pick("Shaded: 95% CI; ticks: censored", "阴影：95% CI；短竖线：删失").to_string();
    if let Some(t) = logrank {
        sub.push_str(&match ctx.lang {
            Lang::En => format!(
                ". Log-rank test across strata: χ² = {}, df = {}, p = {}",
                num(t.statistic, 2),
                t.df,
                format_p(t.p)
            ),
            Lang::Zh => {
                format!("。分层间 log-rank 检验：χ² = {}，df = {}，p = {}", num(t.statistic, 2), t.df, format_p(t.p))
            }
        });
    }
    let body = header(area, ctx, &title, Some(&sub))?;
    let names: Vec<&str> = curves.iter().map(|c| c.0).collect();
    let colours = stratum_colours(&names);
    let labels: Vec<String> = names.iter().map(|n| stratum_label(n, ctx.lang)).collect();
    let items: Vec<(Swatch, String)> =
        colours.iter().zip(&labels).map(|(c, l)| (Swatch::Line(*c), l.clone())).collect();
    let lh = legend(&body, ctx, &items, 0)?;
    let body = body.margin(lh + ctx.px(4.0), 0, 0, 0);

    let tmax = curves.iter().filter_map(|c| c.1.table.last()).map(|r| r.time).fold(0.0f64, f64::max);
    let tmax = if tmax > 0.0 { tmax } else { 1.0 };
    let step = STEPS.into_iter().find(|s| tmax / s <= 7.0).unwrap_or_else(|| (tmax / 7.0).ceil());
    let digits = if step < 1.0 { 2 } else { 0 };
    let times: Vec<f64> = (0..).map(|k| f64::from(k) * step).take_while(|t| *t <= tmax * 1.0001).take(50).collect();
    let xhi = tmax * 1.03;

    // Numbers-at-risk table under the plot: a heading row and one row per stratum.
    let row_h = ctx.px(TICK * 1.45);
    let table_h = row_h * (curves.len() as i32 + 1) + ctx.px(14.0);
    let (_, bh) = body.dim_in_pixel();
    if table_h + ctx.px(120.0) > bh as i32 {
        return Err(match ctx.lang {
            Lang::En => "the canvas is too short for this many curves and their numbers at risk".into(),
            Lang::Zh => "画布太矮，无法容纳这么多曲线及其风险人数表".into(),
        });
    }
    let (top, table) = body.split_vertically(bh as i32 - table_h);
    let yticks: Vec<(f64, String)> = (0..=4).map(|k| (f64::from(k) * 0.25, format!("{}", k * 25))).collect();
    let label_w = labels.iter().map(|l| ctx.tw(l, TICK)).max().unwrap_or(0).min(ctx.w / 4);
    let swatch = ctx.px(22.0);
    let left = left_room(ctx, &yticks, true).max(label_w + swatch + ctx.px(32.0));
    let right = ctx.px(24.0);
    let chart = plot(&top, ctx, left, bottom_room(ctx, true), right, 0.0..xhi, 0.0..1.04)?;
    let xticks: Vec<(f64, String)> = times.iter().map(|t| (*t, num(*t, digits))).collect();
    let xa = Axis { ticks: xticks, title: ctx.pick("Months", "月"), grid: true };
    let ya = Axis { ticks: yticks, title: ctx.pick("Event-free (%)", "无事件 (%)"), grid: true };
    axes(&top, &chart, ctx, &xa, &ya)?;

    let pa = chart.plotting_area();
    for ((_, km), colour) in curves.iter().zip(&colours) {
        // CI band where the interval is defined.
        if km.table.iter().all(|r| r.ci95.is_some()) {
            let upper = steps(km, |r| r.ci95.map_or(r.survival, |c| c.upper.min(1.0)));
            let lower = steps(km, |r| r.ci95.map_or(r.survival, |c| c.lower.max(0.0)));
            let mut band: Vec<(f64, f64)> = upper;
            band.extend(lower.into_iter().rev());
            if band.iter().all(|p| p.1.is_finite()) {
                pa.draw(&Polygon::new(band, colour.mix(0.12).filled())).map_err(de)?;
            }
        }
    }
    let width = ctx.px(3.0).max(1) as u32;
    let plot_h = (chart.backend_coord(&(0.0, 0.0)).1 - chart.backend_coord(&(0.0, 1.04)).1).max(1);
    let tick = f64::from(ctx.px(7.0)) * 1.04 / f64::from(plot_h);
    for ((_, km), colour) in curves.iter().zip(&colours) {
        pa.draw(&PathElement::new(steps(km, |r| r.survival), colour.stroke_width(width))).map_err(de)?;
        for r in km.table.iter().filter(|r| r.censored > 0) {
            pa.draw(&PathElement::new(
                vec![(r.time, r.survival - tick), (r.time, r.survival + tick)],
                colour.stroke_width(ctx.px(2.0).max(1) as u32),
            ))
            .map_err(de)?;
        }
    }

    // The table.
    let (x_left, _) = rel(&top, chart.backend_coord(&(0.0, 0.0)));
    text(
        &table,
        ctx.pick("Number at risk", "风险人数"),
        (ctx.px(8.0), ctx.px(4.0)),
        &ctx.bold(TICK),
        HPos::Left,
        VPos::Top,
    )?;
    for (k, ((label, (_, km)), colour)) in labels.iter().zip(&curves).zip(&colours).enumerate() {
        let y = ctx.px(4.0) + row_h * (k as i32 + 1) + row_h / 2;
        let x0 = ctx.px(8.0);
        table
            .draw(&PathElement::new(vec![(x0, y), (x0 + swatch, y)], colour.stroke_width(ctx.px(3.0).max(1) as u32)))
            .map_err(de)?;
        let l = fit(label, TICK * ctx.s, f64::from(x_left - swatch - ctx.px(30.0)));
        text(&table, &l, (x0 + swatch + ctx.px(6.0), y), &ctx.font(TICK), HPos::Left, VPos::Center)?;
        for t in &times {
            let (x, _) = rel(&table, chart.backend_coord(&(*t, 0.0)));
            text(&table, &at_risk(km, *t).to_string(), (x, y), &ctx.font(TICK), HPos::Center, VPos::Center)?;
        }
    }
    Ok(())
}
