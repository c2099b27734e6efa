//! Charts, generic over plotters' `DrawingBackend`: SVG natively (tests, CLI), canvas in the page.
//!
//! Architecture invariant: charts read only a [`Report`]; they compute no statistics.

use crate::report::Report;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Okabe–Ito colours: distinguishable with colour-blindness.
const BEFORE: RGBColor = RGBColor(0, 114, 178);
const AFTER: RGBColor = RGBColor(213, 94, 0);

/// Draws the mean of `outcome` before and after, with 95% CIs, for each stratum.
/// Strata without two pairs are left out of the chart.
pub fn paired_means<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    report: &Report,
    outcome: &str,
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    area.fill(&WHITE).map_err(err)?;
    let rows: Vec<(String, f64, f64, f64, f64, f64, f64)> = report
        .strata
        .iter()
        .filter_map(|s| {
            let p = s.paired.get(outcome)?;
            let (b, a) = (p.before_ci95.value()?, p.after_ci95.value()?);
            Some((s.name.clone(), p.before.mean?, b.lower, b.upper, p.after.mean?, a.lower, a.upper))
        })
        .collect();
    if rows.is_empty() {
        return Err(format!("no stratum has at least two pairs of \"{outcome}\""));
    }
    let (w, _) = area.dim_in_pixel();
    let scale = (w as f64 / 900.0).clamp(0.6, 3.0);
    let px = |v: i32| (f64::from(v) * scale).round() as i32;
    let ymax = rows.iter().map(|r| r.3.max(r.6)).fold(0.0f64, f64::max);
    let ymax = (ymax.ceil()).max(1.0) + 0.5;
    let n = rows.len();
    let names: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
    let mut chart = ChartBuilder::on(area)
        .caption(format!("{outcome}: mean with 95% CI, before and after"), ("sans-serif", px(26)))
        .margin(px(16))
        .margin_right(px(16) + names.last().map_or(0, |l| px(3 * l.chars().count() as i32)))
        .x_label_area_size(px(48))
        .y_label_area_size(px(64))
        .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), 0f64..ymax)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n)
        .x_label_formatter(&|x| {
            let i = x.round();
            if (x - i).abs() < 1e-6 && i >= 0.0 {
                names.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_desc(format!("{outcome} (mean)"))
        .label_style(("sans-serif", px(18)))
        .axis_desc_style(("sans-serif", px(18)))
        .max_light_lines(0)
        .draw()
        .map_err(err)?;
    let off = 0.15;
    for (colour, dx, label, mean, lo, hi) in
        [(BEFORE, -off, "Before", 1usize, 2usize, 3usize), (AFTER, off, "After", 4, 5, 6)]
    {
        let pick = |r: &(String, f64, f64, f64, f64, f64, f64), k: usize| match k {
            1 => r.1,
            2 => r.2,
            3 => r.3,
            4 => r.4,
            5 => r.5,
            _ => r.6,
        };
        let style = ShapeStyle::from(&colour).stroke_width(px(3).max(1) as u32);
        chart
            .draw_series(rows.iter().enumerate().map(|(i, r)| {
                ErrorBar::new_vertical(i as f64 + dx, pick(r, lo), pick(r, mean), pick(r, hi), style, px(14) as u32)
            }))
            .map_err(err)?
            .label(label)
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 18, y + 6)], colour.filled()));
        chart
            .draw_series(
                rows.iter()
                    .enumerate()
                    .map(|(i, r)| Circle::new((i as f64 + dx, pick(r, mean)), px(6), colour.filled())),
            )
            .map_err(err)?;
    }
    chart
        .draw_series(rows.iter().enumerate().map(|(i, r)| {
            PathElement::new(
                vec![(i as f64 - off, r.1), (i as f64 + off, r.4)],
                RGBColor(120, 120, 120).stroke_width(1),
            )
        }))
        .map_err(err)?;
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerLeft)
        .label_font(("sans-serif", px(18)))
        .background_style(WHITE.mix(0.9))
        .border_style(RGBColor(180, 180, 180))
        .draw()
        .map_err(err)?;
    area.present().map_err(err)?;
    Ok(())
}

/// The chart as an SVG document (native builds).
#[cfg(not(target_arch = "wasm32"))]
pub fn paired_means_svg(report: &Report, outcome: &str, width: u32, height: u32) -> Result<String, String> {
    let mut svg = String::new();
    {
        let area = plotters_svg::SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        paired_means(&area, report, outcome)?;
    }
    Ok(svg)
}
