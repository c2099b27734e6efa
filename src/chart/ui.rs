//! Drawing helpers shared by the charts: sizes that scale with the canvas, text measured the same
//! way on every backend, titles, legends, axes with chosen ticks, word wrapping, colours.
//!
//! Text is placed by anchors (the backend aligns it) and measured with [`text_width`], a
//! conservative estimate that knows wide (CJK) characters, so layouts agree between SVG and canvas.

use crate::i18n::Lang;
use crate::report::round;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub(super) type Area<DB> = DrawingArea<DB, Shift>;
pub(super) type Plot<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// A drawing error as plain text.
pub(super) fn de<E: std::error::Error + Send + Sync>(e: DrawingAreaErrorKind<E>) -> String {
    format!("the chart could not be drawn: {e}")
}

// Okabe–Ito: distinguishable with the common kinds of colour blindness.
pub(super) const BLACK: RGBColor = RGBColor(0, 0, 0);
pub(super) const ORANGE: RGBColor = RGBColor(230, 159, 0);
pub(super) const SKY: RGBColor = RGBColor(86, 180, 233);
pub(super) const GREEN: RGBColor = RGBColor(0, 158, 115);
pub(super) const BLUE: RGBColor = RGBColor(0, 114, 178);
pub(super) const VERMILLION: RGBColor = RGBColor(213, 94, 0);
pub(super) const PURPLE: RGBColor = RGBColor(204, 121, 167);
/// Text (contrast 15:1 on white).
pub(super) const INK: RGBColor = RGBColor(34, 34, 34);
/// Secondary text (contrast 7:1 on white).
pub(super) const MUTED: RGBColor = RGBColor(85, 85, 85);
/// Axis lines and neutral marks.
pub(super) const AXIS: RGBColor = RGBColor(110, 110, 110);
/// Grid lines.
pub(super) const GRID: RGBColor = RGBColor(226, 226, 226);

/// Colours for series in order; the WHO strata keep one colour in every chart.
const CYCLE: [RGBColor; 6] = [BLUE, VERMILLION, GREEN, PURPLE, ORANGE, SKY];

/// The colour of a stratum: fixed for Overall and the WHO strata, else by its place among the rest.
pub(super) fn stratum_colour(name: &str, index: usize) -> RGBColor {
    match name {
        "Overall" => BLACK,
        "Normal" => GREEN,
        "Osteopenia" => ORANGE,
        "Osteoporosis" => VERMILLION,
        "Reduced bone density" => PURPLE,
        "Unknown" => AXIS,
        _ => CYCLE[index % CYCLE.len()],
    }
}

/// Colours for the strata shown, in order (index counts only strata without a fixed colour).
pub(super) fn stratum_colours(names: &[&str]) -> Vec<RGBColor> {
    let mut k = 0;
    names
        .iter()
        .map(|n| {
            let c = stratum_colour(n, k);
            if !matches!(*n, "Overall" | "Normal" | "Osteopenia" | "Osteoporosis" | "Reduced bone density" | "Unknown")
            {
                k += 1;
            }
            c
        })
        .collect()
}

/// A stratum's name as shown (see [`crate::i18n::stratum_name`]).
pub(super) fn stratum_label(name: &str, lang: Lang) -> String {
    crate::i18n::stratum_name(name, lang)
}

/// A responder definition as shown (see [`crate::i18n::responder_definition`]).
pub(super) fn definition_label(def: &str, lang: Lang) -> String {
    crate::i18n::responder_definition(def, lang)
}

/// A reason a row or value was not used, as shown (see [`crate::i18n::row_reason`]).
pub(super) fn reason_label(reason: &str, lang: Lang) -> String {
    crate::i18n::row_reason(reason, lang)
}

/// A number for an axis or a label, rounded half away from zero, with a true minus sign.
pub(super) fn num(v: f64, digits: usize) -> String {
    let s = round(v, digits);
    let zero = s.trim_start_matches('-').chars().all(|c| c == '0' || c == '.');
    match s.strip_prefix('-') {
        Some(rest) if !zero => format!("−{rest}"),
        Some(rest) => rest.to_string(),
        None => s,
    }
}

/// "n = 134".
pub(super) fn n_is(n: usize) -> String {
    format!("n = {n}")
}

/// Evenly spaced 1-2-5 ticks covering `lo..=hi`, about `target` of them, and their decimals.
pub(super) fn ticks(lo: f64, hi: f64, target: usize) -> (Vec<f64>, usize) {
    let span = if hi > lo { hi - lo } else { 1.0 };
    let raw = span / target.max(1) as f64;
    let p = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * p).find(|&s| s >= raw * 0.999).unwrap_or(10.0 * p);
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    let digits = if step >= 1.0 { 0 } else { (-step.log10()).ceil().max(0.0) as usize };
    ((first..=last).take(100).map(|k| k as f64 * step).collect(), digits)
}

/// Sizes for one drawing: everything scales with the canvas, so text stays legible when the
/// canvas is drawn at the device's pixel ratio or shown on a projector.
#[derive(Debug, Clone, Copy)]
pub(super) struct Ctx {
    /// Pixels per design unit (the design is 900 × 560).
    pub s: f64,
    /// Language of every label.
    pub lang: Lang,
    /// Canvas width in pixels.
    pub w: i32,
}

/// Text sizes in design units.
pub(super) const TITLE: f64 = 24.0;
pub(super) const LABEL: f64 = 18.0;
pub(super) const TICK: f64 = 16.0;
pub(super) const SMALL: f64 = 15.0;

/// The smallest canvas the charts lay out on.
const MIN_W: u32 = 240;
const MIN_H: u32 = 160;

impl Ctx {
    pub fn new<DB: DrawingBackend>(area: &Area<DB>, lang: Lang) -> Result<Ctx, String> {
        let (w, h) = area.dim_in_pixel();
        if w < MIN_W || h < MIN_H {
            return Err(format!("the canvas ({w} × {h} pixels) is too small; charts need at least {MIN_W} × {MIN_H}"));
        }
        let s = ((f64::from(w) * f64::from(h)) / (900.0 * 560.0)).sqrt().clamp(0.3, 6.0);
        Ok(Ctx { s, lang, w: w as i32 })
    }

    /// Design units to pixels.
    pub fn px(&self, v: f64) -> i32 {
        (v * self.s).round() as i32
    }

    /// The text in this chart's language.
    pub fn pick<'a>(&self, en: &'a str, zh: &'a str) -> &'a str {
        self.lang.pick(en, zh)
    }

    /// A font of `size` design units.
    pub fn font(&self, size: f64) -> TextStyle<'static> {
        self.font_px(size * self.s)
    }

    /// A font that renders `px` pixels high.
    pub fn font_px(&self, px: f64) -> TextStyle<'static> {
        ("sans-serif", px).into_font().color(&INK)
    }

    /// A font of `size` design units in `colour`.
    pub fn font_c(&self, size: f64, colour: RGBColor) -> TextStyle<'static> {
        ("sans-serif", size * self.s).into_font().color(&colour)
    }

    /// A bold font of `size` design units.
    pub fn bold(&self, size: f64) -> TextStyle<'static> {
        ("sans-serif", size * self.s).into_font().style(FontStyle::Bold).color(&INK)
    }

    /// Estimated width in pixels of `text` at `size` design units.
    pub fn tw(&self, text: &str, size: f64) -> i32 {
        text_width(text, size * self.s).ceil() as i32
    }
}

fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// Estimated width of `text` at a font `px` pixels high: generous for common sans-serif fonts
/// (DejaVu Sans, Arial, Helvetica) and a full em for CJK characters.
pub(super) fn text_width(text: &str, px: f64) -> f64 {
    px * text
        .chars()
        .map(|c| match c {
            _ if is_wide(c) => 1.0,
            ' ' => 0.32,
            'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | '(' | ')' | '[' | ']' => 0.34,
            'f' | 't' | 'r' | 'I' => 0.42,
            'm' | 'w' | 'M' | 'W' => 0.9,
            'A'..='Z' => 0.72,
            '0'..='9' => 0.64,
            _ => 0.6,
        })
        .sum::<f64>()
}

/// Shortens `text` with "…" to fit `max_w` pixels at `px`.
pub(super) fn fit(text: &str, px: f64, max_w: f64) -> String {
    if text_width(text, px) <= max_w {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        out.push(c);
        if text_width(&out, px) + text_width("…", px) > max_w {
            out.pop();
            break;
        }
    }
    format!("{}…", out.trim_end())
}

/// Breaks `text` into at most `max_lines` lines of `max_w` pixels at `px`: at spaces, or between
/// wide characters; the last line is shortened with "…" if needed.
pub(super) fn wrap(text: &str, px: f64, max_w: f64, max_lines: usize) -> Vec<String> {
    // Tokens: words with their following space, and each wide character alone.
    let mut tokens: Vec<String> = Vec::new();
    let mut cur = String::new();
    for c in text.chars() {
        if is_wide(c) {
            if !cur.is_empty() {
                tokens.push(std::mem::take(&mut cur));
            }
            tokens.push(c.to_string());
        } else {
            cur.push(c);
            if c == ' ' {
                tokens.push(std::mem::take(&mut cur));
            }
        }
    }
    if !cur.is_empty() {
        tokens.push(cur);
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for t in tokens {
        let candidate = format!("{line}{t}");
        if line.is_empty() || text_width(candidate.trim_end(), px) <= max_w {
            line = candidate;
        } else {
            lines.push(line.trim_end().to_string());
            line = t;
        }
    }
    if !line.trim().is_empty() {
        lines.push(line.trim_end().to_string());
    }
    if lines.len() > max_lines.max(1) {
        let rest = lines.split_off(max_lines.max(1) - 1).join(" ");
        lines.push(rest);
    }
    lines.into_iter().map(|l| fit(&l, px, max_w)).collect()
}

/// Draws `text` anchored at `(x, y)` (pixels of `area`).
pub(super) fn text<DB: DrawingBackend>(
    area: &Area<DB>,
    s: &str,
    (x, y): (i32, i32),
    style: &TextStyle,
    h: HPos,
    v: VPos,
) -> Result<(), String> {
    if s.is_empty() {
        return Ok(());
    }
    area.draw(&Text::new(s.to_string(), (x, y), style.pos(Pos::new(h, v)))).map_err(de)
}

/// Converts backend (absolute) pixels to pixels of `area`.
pub(super) fn rel<DB: DrawingBackend>(area: &Area<DB>, (x, y): (i32, i32)) -> (i32, i32) {
    let (bx, by) = area.get_base_pixel();
    (x - bx, y - by)
}

/// Draws the title (shortened to fit) and an optional subtitle at the top of `area`; returns the
/// area below them.
pub(super) fn header<DB: DrawingBackend>(
    area: &Area<DB>,
    ctx: &Ctx,
    title: &str,
    subtitle: Option<&str>,
) -> Result<Area<DB>, String> {
    let max_w = f64::from(ctx.w) - f64::from(ctx.px(24.0));
    let tpx = TITLE * ctx.s;
    let mut y = ctx.px(10.0);
    let style = ctx.bold(TITLE);
    text(area, &fit(title, tpx, max_w), (ctx.w / 2, y), &style, HPos::Center, VPos::Top)?;
    y += ctx.px(TITLE * 1.25);
    if let Some(sub) = subtitle {
        let spx = SMALL * ctx.s;
        for line in wrap(sub, spx, max_w, 2) {
            text(area, &line, (ctx.w / 2, y), &ctx.font_c(SMALL, MUTED), HPos::Center, VPos::Top)?;
            y += ctx.px(SMALL * 1.3);
        }
    }
    Ok(area.margin(y + ctx.px(4.0), 0, 0, 0))
}

/// The mark beside a legend entry.
#[derive(Debug, Clone, Copy)]
pub(super) enum Swatch {
    /// A filled square.
    Fill(RGBColor, f64),
    /// A box plot's box: light fill, dark outline and median.
    Box,
    /// A line.
    Line(RGBColor),
    /// A thin line with a dot: a point estimate with its interval.
    Interval(RGBColor),
    /// An interval alone: a line with caps.
    Whisker(RGBColor),
}

/// Draws a centred legend of one or more rows starting at `y` (pixels of `area`); returns the
/// height used.
pub(super) fn legend<DB: DrawingBackend>(
    area: &Area<DB>,
    ctx: &Ctx,
    items: &[(Swatch, String)],
    y: i32,
) -> Result<i32, String> {
    if items.is_empty() {
        return Ok(0);
    }
    let px = TICK * ctx.s;
    let sw = ctx.px(22.0);
    let gap = ctx.px(8.0);
    let spacing = ctx.px(22.0);
    let max_w = ctx.w - ctx.px(32.0);
    let widths: Vec<i32> =
        items.iter().map(|(_, l)| sw + gap + (text_width(l, px).ceil() as i32).min(max_w - sw - gap)).collect();
    // Greedy rows.
    let mut rows: Vec<Vec<usize>> = vec![vec![]];
    let mut used = 0;
    for (i, w) in widths.iter().enumerate() {
        let add = if used == 0 { *w } else { used + spacing + w };
        if add > max_w && used > 0 {
            rows.push(vec![i]);
            used = *w;
        } else {
            rows.last_mut().expect("one row").push(i);
            used = add;
        }
    }
    let row_h = ctx.px(TICK * 1.45);
    for (r, row) in rows.iter().enumerate() {
        let total: i32 = row.iter().map(|&i| widths[i]).sum::<i32>() + spacing * (row.len() as i32 - 1);
        let mut x = (ctx.w - total) / 2;
        let cy = y + r as i32 * row_h + row_h / 2;
        for &i in row {
            let (sw_kind, label) = &items[i];
            match *sw_kind {
                Swatch::Fill(c, alpha) => {
                    let half = ctx.px(7.0);
                    area.draw(&Rectangle::new(
                        [(x + sw / 2 - half, cy - half), (x + sw / 2 + half, cy + half)],
                        c.mix(alpha).filled(),
                    ))
                    .map_err(de)?;
                }
                Swatch::Box => {
                    let (hw, hh) = (ctx.px(10.0), ctx.px(6.0));
                    let (x0, x1) = (x + sw / 2 - hw, x + sw / 2 + hw);
                    let line = INK.stroke_width(ctx.px(1.5).max(1) as u32);
                    area.draw(&Rectangle::new([(x0, cy - hh), (x1, cy + hh)], AXIS.mix(0.35).filled())).map_err(de)?;
                    area.draw(&Rectangle::new([(x0, cy - hh), (x1, cy + hh)], line)).map_err(de)?;
                    area.draw(&PathElement::new(vec![(x + sw / 2, cy - hh), (x + sw / 2, cy + hh)], line))
                        .map_err(de)?;
                }
                Swatch::Line(c) => {
                    area.draw(&PathElement::new(
                        vec![(x, cy), (x + sw, cy)],
                        c.stroke_width(ctx.px(3.0).max(1) as u32),
                    ))
                    .map_err(de)?;
                }
                Swatch::Whisker(c) => {
                    let style = c.stroke_width(ctx.px(2.0).max(1) as u32);
                    let (hx, hy) = (x + sw / 2, ctx.px(8.0));
                    area.draw(&PathElement::new(vec![(hx, cy - hy), (hx, cy + hy)], style)).map_err(de)?;
                    for yy in [cy - hy, cy + hy] {
                        area.draw(&PathElement::new(vec![(hx - ctx.px(5.0), yy), (hx + ctx.px(5.0), yy)], style))
                            .map_err(de)?;
                    }
                }
                Swatch::Interval(c) => {
                    area.draw(&PathElement::new(
                        vec![(x, cy), (x + sw, cy)],
                        c.stroke_width(ctx.px(2.0).max(1) as u32),
                    ))
                    .map_err(de)?;
                    area.draw(&Circle::new((x + sw / 2, cy), ctx.px(5.0).max(2), c.filled())).map_err(de)?;
                }
            }
            let label = fit(label, px, f64::from(max_w - sw - gap));
            text(area, &label, (x + sw + gap, cy), &ctx.font(TICK), HPos::Left, VPos::Center)?;
            x += widths[i] + spacing;
        }
    }
    Ok(row_h * rows.len() as i32)
}

/// Which ticks and labels an axis shows.
pub(super) struct Axis<'a> {
    /// Tick positions (data units) with their labels.
    pub ticks: Vec<(f64, String)>,
    /// Axis title.
    pub title: &'a str,
    /// Grid lines at the ticks.
    pub grid: bool,
}

impl Axis<'_> {
    /// Numeric ticks from [`ticks`].
    pub fn numeric(lo: f64, hi: f64, target: usize) -> Vec<(f64, String)> {
        let (t, d) = ticks(lo, hi, target);
        t.into_iter().map(|v| (v, num(v, d))).collect()
    }

    /// `lo..hi` widened to whole ticks, and the ticks.
    pub fn rounded(lo: f64, hi: f64, target: usize) -> (f64, f64, Vec<(f64, String)>) {
        let (lo, hi) = if hi > lo { (lo, hi) } else { (lo - 1.0, hi + 1.0) };
        let (t, _) = ticks(lo, hi, target);
        let step = if t.len() > 1 { t[1] - t[0] } else { hi - lo };
        let (lo, hi) = ((lo / step + 1e-9).floor() * step, (hi / step - 1e-9).ceil() * step);
        (lo, hi, Axis::numeric(lo, hi, target))
    }
}

/// Builds a plot with room for the axes' labels at the left and bottom.
pub(super) fn plot<'a, DB: DrawingBackend>(
    area: &'a Area<DB>,
    ctx: &Ctx,
    left: i32,
    bottom: i32,
    right: i32,
    x: std::ops::Range<f64>,
    y: std::ops::Range<f64>,
) -> Result<Plot<'a, DB>, String> {
    let (w, h) = area.dim_in_pixel();
    if left + right + ctx.px(40.0) > w as i32 || bottom + ctx.px(40.0) > h as i32 {
        return Err("the canvas is too small for this chart".into());
    }
    ChartBuilder::on(area)
        .margin_top(ctx.px(8.0))
        .margin_right(right)
        .x_label_area_size(bottom)
        .y_label_area_size(left)
        .build_cartesian_2d(x, y)
        .map_err(de)
}

/// Draws grid lines, the axis lines, tick labels and axis titles of `chart` on `area` (the area
/// the chart was built on).
pub(super) fn axes<DB: DrawingBackend>(
    area: &Area<DB>,
    chart: &Plot<'_, DB>,
    ctx: &Ctx,
    xa: &Axis,
    ya: &Axis,
) -> Result<(), String> {
    let (xr, yr) = (chart.x_range(), chart.y_range());
    let grid = GRID.stroke_width(ctx.px(1.0).max(1) as u32);
    let pa = chart.plotting_area();
    if ya.grid {
        for (v, _) in &ya.ticks {
            pa.draw(&PathElement::new(vec![(xr.start, *v), (xr.end, *v)], grid)).map_err(de)?;
        }
    }
    if xa.grid {
        for (v, _) in &xa.ticks {
            pa.draw(&PathElement::new(vec![(*v, yr.start), (*v, yr.end)], grid)).map_err(de)?;
        }
    }
    let axis = AXIS.stroke_width(ctx.px(1.5).max(1) as u32);
    let (x0, y1) = rel(area, chart.backend_coord(&(xr.start, yr.start)));
    let (x1, y0) = rel(area, chart.backend_coord(&(xr.end, yr.end)));
    area.draw(&PathElement::new(vec![(x0, y0), (x0, y1), (x1, y1)], axis)).map_err(de)?;
    let tick = ctx.px(6.0);
    let tf = ctx.font(TICK);
    for (v, label) in &ya.ticks {
        let (_, y) = rel(area, chart.backend_coord(&(xr.start, *v)));
        area.draw(&PathElement::new(vec![(x0 - tick, y), (x0, y)], axis)).map_err(de)?;
        text(area, label, (x0 - tick - ctx.px(4.0), y), &tf, HPos::Right, VPos::Center)?;
    }
    for (v, label) in &xa.ticks {
        let (x, _) = rel(area, chart.backend_coord(&(*v, yr.start)));
        area.draw(&PathElement::new(vec![(x, y1), (x, y1 + tick)], axis)).map_err(de)?;
        text(area, label, (x, y1 + tick + ctx.px(3.0)), &tf, HPos::Center, VPos::Top)?;
    }
    let lf = ctx.font_c(LABEL, MUTED);
    if !xa.title.is_empty() {
        let t = fit(xa.title, LABEL * ctx.s, f64::from(x1 - x0));
        text(area, &t, ((x0 + x1) / 2, y1 + tick + ctx.px(TICK * 1.35 + 8.0)), &lf, HPos::Center, VPos::Top)?;
    }
    if !ya.title.is_empty() {
        let t = fit(ya.title, LABEL * ctx.s, f64::from(y1 - y0));
        let widest = ya.ticks.iter().map(|(_, l)| ctx.tw(l, TICK)).max().unwrap_or(0);
        let x = (x0 - tick - ctx.px(10.0) - widest - ctx.px(LABEL * 0.6)).max(ctx.px(LABEL * 0.6));
        text(area, &t, (x, (y0 + y1) / 2), &lf.transform(FontTransform::Rotate270), HPos::Center, VPos::Center)?;
    }
    Ok(())
}

/// Draws a vertical interval `lo..hi` at `x` with caps `cap` pixels wide.
pub(super) fn whisker<DB: DrawingBackend>(
    chart: &Plot<'_, DB>,
    x: f64,
    lo: f64,
    hi: f64,
    cap: i32,
    style: ShapeStyle,
) -> Result<(), String> {
    let xr = chart.x_range();
    let (p0, _) = chart.backend_coord(&(xr.start, lo));
    let (p1, _) = chart.backend_coord(&(xr.end, lo));
    let per_px = (xr.end - xr.start) / f64::from((p1 - p0).max(1));
    let half = f64::from(cap) / 2.0 * per_px;
    let pa = chart.plotting_area();
    pa.draw(&PathElement::new(vec![(x, lo), (x, hi)], style)).map_err(de)?;
    for y in [lo, hi] {
        pa.draw(&PathElement::new(vec![(x - half, y), (x + half, y)], style)).map_err(de)?;
    }
    Ok(())
}

/// Room at the left for y tick labels and a rotated title.
pub(super) fn left_room(ctx: &Ctx, ticks: &[(f64, String)], title: bool) -> i32 {
    let widest = ticks.iter().map(|(_, l)| ctx.tw(l, TICK)).max().unwrap_or(0);
    ctx.px(6.0) + ctx.px(10.0) + widest + if title { ctx.px(LABEL * 1.6) } else { ctx.px(4.0) }
}

/// Room at the bottom for x tick labels and a title.
pub(super) fn bottom_room(ctx: &Ctx, title: bool) -> i32 {
    ctx.px(6.0 + 3.0 + TICK * 1.3) + if title { ctx.px(LABEL * 1.5 + 10.0) } else { ctx.px(4.0) }
}

/// Room at the bottom for category labels of two lines and a muted line (e.g. "n = 60").
pub(super) fn category_room(ctx: &Ctx) -> i32 {
    ctx.px(8.0 + TICK * 1.2 * 2.0 + SMALL * 1.3 + 6.0)
}

/// Draws category labels under the x axis of `chart`: at each x, the name wrapped to two lines
/// of `slot` pixels and a muted line below it.
pub(super) fn categories<DB: DrawingBackend>(
    area: &Area<DB>,
    chart: &Plot<'_, DB>,
    ctx: &Ctx,
    labels: &[(f64, String, String)],
    slot: f64,
) -> Result<(), String> {
    let y0 = chart.y_range().start;
    let tf = ctx.font(TICK);
    let sf = ctx.font_c(SMALL, MUTED);
    for (x, name, sub) in labels {
        let (px, py) = rel(area, chart.backend_coord(&(*x, y0)));
        let mut y = py + ctx.px(8.0);
        for line in wrap(name, TICK * ctx.s, slot, 2) {
            text(area, &line, (px, y), &tf, HPos::Center, VPos::Top)?;
            y += ctx.px(TICK * 1.2);
        }
        text(area, &fit(sub, SMALL * ctx.s, slot), (px, y + ctx.px(2.0)), &sf, HPos::Center, VPos::Top)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(ticks(0.0, 10.0, 5), (vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0], 0));
        assert_eq!(ticks(-0.3, 0.3, 3).1, 1);
        assert_eq!(ticks(5.0, 5.0, 4).0.len(), 1);
    }

    #[test]
    fn rounded_ranges_end_on_ticks_without_an_extra_step() {
        let (lo, hi, t) = Axis::rounded(0.0, 7.4, 6);
        assert_eq!((lo, hi), (0.0, 8.0));
        assert_eq!(t.first().map(|t| t.0), Some(0.0));
        assert_eq!(t.last().map(|t| t.1.as_str()), Some("8"));
        assert_eq!(Axis::rounded(-2.3, 10.0, 5).0, -5.0);
        assert_eq!(Axis::rounded(0.0, 10.0, 4).1, 10.0);
    }

    #[test]
    fn numbers_use_a_true_minus_and_no_negative_zero() {
        assert_eq!(num(-2.5, 1), "−2.5");
        assert_eq!(num(-0.04, 1), "0.0");
        assert_eq!(num(3.0, 0), "3");
    }

    #[test]
    fn wrapping_keeps_every_word_within_the_lines() {
        let lines = wrap("Reduced bone density", 18.0, 140.0, 2);
        assert_eq!(lines, vec!["Reduced bone", "density"]);
        assert!(wrap("骨密度降低组包括骨量减少与骨质疏松", 18.0, 60.0, 2).iter().all(|l| text_width(l, 18.0) <= 60.0));
        assert_eq!(wrap("", 18.0, 60.0, 2), Vec::<String>::new());
        assert!(fit("a very long label indeed", 18.0, 60.0).ends_with('…'));
    }

    #[test]
    fn chinese_definitions_are_translated() {
        assert_eq!(definition_label("improved by ≥ 2.0 points", Lang::Zh), "改善 ≥ 2.0 分");
        assert_eq!(definition_label("improved by ≥ 30%", Lang::Zh), "改善 ≥ 30%");
        assert_eq!(definition_label("improved by ≥ 30%", Lang::En), "improved by ≥ 30%");
    }
}
