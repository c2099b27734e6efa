//! STROBE-style flow diagram: rows read → excluded (by reason) → included → strata → outcomes.

use super::ui::*;
use super::ui::{BLACK, BLUE};
use crate::i18n::Lang;
use crate::report::{FlowReason, Report};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use std::collections::BTreeMap;

/// Reasons listed in the excluded box before the rest are summed up.
const MAX_REASONS: usize = 4;

/// Bold text is this much larger than the rest of a box.
const BOLD: f64 = 1.08;

/// A line of a box: `text`, then `tail` kept whole on the same line (e.g. ": 58"), then `note`
/// (e.g. " (2 missing)"), which moves to a line of its own when the whole does not fit.
struct Line {
    text: String,
    tail: String,
    note: String,
    bold: bool,
}

/// A box: a bold heading over plain lines.
struct Node {
    lines: Vec<Line>,
}

/// A box's lines as drawn, each with whether it is bold.
type Lines = Vec<(String, bool)>;

impl Node {
    fn new(heading: String, rest: impl IntoIterator<Item = String>) -> Node {
        let line = |text: String, bold| Line { text, tail: String::new(), note: String::new(), bold };
        Node { lines: std::iter::once(line(heading, true)).chain(rest.into_iter().map(|l| line(l, false))).collect() }
    }

    /// The lines wrapped to `max_w` pixels at `px`: the note moves to its own line first, then
    /// the text wraps at spaces (at most two lines, shortened with "…"), keeping the tail whole.
    fn wrapped(&self, px: f64, max_w: f64) -> Lines {
        let mut out = Vec::new();
        for l in &self.lines {
            let px = px * if l.bold { BOLD } else { 1.0 };
            let whole = format!("{}{}{}", l.text, l.tail, l.note);
            if text_width(&whole, px) <= max_w {
                out.push((whole, l.bold));
                continue;
            }
            let tail_w = text_width(&l.tail, px);
            let mut lines = wrap(&format!("{}{}", l.text, l.tail), px, max_w, 2);
            if !l.tail.is_empty() && lines.last().is_none_or(|last| !last.ends_with(l.tail.as_str())) {
                // The tail was cut: the text wraps leaving room for the tail after it (and is
                // shortened only if two lines cannot hold it), e.g. "Functional" over
                // "improvement: 58", not "Functional improve…: 58".
                lines = wrap(&l.text, px, (max_w - tail_w).max(0.0), 2);
                let last = lines.pop().unwrap_or_default();
                lines.push(format!("{last}{}", l.tail));
            }
            out.extend(lines.into_iter().map(|t| (t, l.bold)));
            if !l.note.is_empty() {
                out.extend(wrap(l.note.trim_start(), px, max_w, 2).into_iter().map(|t| (t, l.bold)));
            }
        }
        out
    }
}

/// Line height of a box's text at `px` pixels.
fn line_h(px: f64) -> f64 {
    px * 1.3
}

fn node_h(lines: &Lines, px: f64, pad: f64) -> f64 {
    lines.len() as f64 * line_h(px) + 2.0 * pad
}

/// Draws `node` in the box `(x, y, w, h)`, text centred (or left-aligned when `left`).
#[allow(clippy::too_many_arguments)]
fn draw_node<DB: DrawingBackend>(
    area: &Area<DB>,
    ctx: &Ctx,
    lines: &Lines,
    (x, y, w, h): (i32, i32, i32, i32),
    px: f64,
    pad: f64,
    left: bool,
    accent: RGBColor,
) -> Result<(), String> {
    area.draw(&Rectangle::new([(x, y), (x + w, y + h)], WHITE.filled())).map_err(de)?;
    area.draw(&Rectangle::new([(x, y), (x + w, y + h)], accent.stroke_width(ctx.px(2.0).max(1) as u32))).map_err(de)?;
    let max_w = f64::from(w) - 2.0 * pad;
    let mut ty = f64::from(y) + pad;
    for (l, bold) in lines {
        let style = if *bold {
            ("sans-serif", px * BOLD).into_font().style(FontStyle::Bold).color(&INK)
        } else {
            ctx.font_px(px)
        };
        let l = fit(l, px * if *bold { BOLD } else { 1.0 }, max_w);
        let (tx, hp) = if left { (x + pad.round() as i32, HPos::Left) } else { (x + w / 2, HPos::Center) };
        text(area, &l, (tx, ty.round() as i32), &style, hp, VPos::Top)?;
        ty += line_h(px);
    }
    Ok(())
}

/// An arrow from `a` to `b` (pixels of `area`).
fn arrow<DB: DrawingBackend>(area: &Area<DB>, ctx: &Ctx, a: (i32, i32), b: (i32, i32)) -> Result<(), String> {
    let style = AXIS.stroke_width(ctx.px(2.0).max(1) as u32);
    area.draw(&PathElement::new(vec![a, b], style)).map_err(de)?;
    let (dx, dy) = (f64::from(b.0 - a.0), f64::from(b.1 - a.1));
    let len = (dx * dx + dy * dy).sqrt();
    if len < 1.0 {
        return Ok(());
    }
    let (ux, uy) = (dx / len, dy / len);
    let head = f64::from(ctx.px(10.0).max(4));
    let half = head * 0.5;
    let base = (f64::from(b.0) - ux * head, f64::from(b.1) - uy * head);
    let p1 = ((base.0 - uy * half).round() as i32, (base.1 + ux * half).round() as i32);
    let p2 = ((base.0 + uy * half).round() as i32, (base.1 - ux * half).round() as i32);
    area.draw(&Polygon::new(vec![b, p1, p2], AXIS.filled())).map_err(de)
}

/// A reason with its column, e.g. "empty row" or "not a number (Age)".
fn because(f: &FlowReason, l: Lang) -> String {
    match &f.column {
        Some(c) => format!("{} ({c})", reason_label(&f.reason, l)),
        None => reason_label(&f.reason, l),
    }
}

pub(super) fn draw<DB: DrawingBackend>(area: &Area<DB>, report: &Report, ctx: &Ctx) -> Result<(), String> {
    if report.rows_read == 0 {
        return Err(ctx.pick("the report has no rows to draw", "报告中没有可绘制的行").to_string());
    }
    area.fill(&WHITE).map_err(de)?;
    let l = ctx.lang;
    let body = header(area, ctx, ctx.pick("Flow of patients", "患者流程"), None)?;
    let (bw, bh) = body.dim_in_pixel();
    let (bw, bh) = (bw as i32, bh as i32);

    let read = Node::new(ctx.pick("Rows read", "读取的行").into(), [n_is(report.rows_read)]);
    let included = Node::new(ctx.pick("Included", "纳入分析").into(), [n_is(report.rows_included)]);
    // Excluded rows by reason: from the report's flow, else counted from `excluded`.
    let mut reasons: Vec<(String, usize)> = if report.flow.excluded.is_empty() {
        let mut by: BTreeMap<&str, usize> = BTreeMap::new();
        for e in &report.excluded {
            *by.entry(e.reason.as_str()).or_default() += 1;
        }
        by.into_iter().map(|(r, n)| (reason_label(r, l), n)).collect()
    } else {
        report.flow.excluded.iter().map(|f| (because(f, l), f.n)).collect()
    };
    reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut ex_lines = vec![n_is(report.excluded.len())];
    for (r, k) in reasons.iter().take(MAX_REASONS) {
        ex_lines.push(format!("{r}{}{k}", ctx.pick(": ", "：")));
    }
    if reasons.len() > MAX_REASONS {
        let rest: usize = reasons[MAX_REASONS..].iter().map(|r| r.1).sum();
        let others = reasons.len() - MAX_REASONS;
        ex_lines.push(match l {
            Lang::En => format!("{others} other reasons: {rest}"),
            Lang::Zh => format!("其他 {others} 种原因：{rest}"),
        });
    }
    let excluded = Node::new(ctx.pick("Excluded", "排除").into(), ex_lines);

    // Strata boxes: the levels (they partition the included patients), else Overall; in each,
    // what every outcome used and why the rest was not used.
    let levels: Vec<&crate::report::StratumReport> = report.strata.iter().filter(|s| s.kind == "level").collect();
    let shown: Vec<&crate::report::StratumReport> =
        if levels.is_empty() { report.strata.iter().filter(|s| s.kind == "overall").collect() } else { levels };
    let strata: Vec<Node> = shown
        .iter()
        .map(|s| {
            let mut lines = vec![n_is(s.n)];
            if s.name == "Unknown" {
                for u in &report.flow.unassigned {
                    lines.push(format!("{}{}{}", reason_label(&u.reason, l), ctx.pick(": ", "："), u.n));
                }
            }
            let mut outcomes = Vec::new();
            let mut outcome = |name: &str, used: usize, missing: &[(String, usize)]| {
                let name = if name == "Follow-up" { ctx.pick("Follow-up", "随访") } else { name };
                let why: Vec<String> = missing
                    .iter()
                    .map(|(r, n)| match l {
                        Lang::En => format!("{n} {r}"),
                        Lang::Zh => format!("{r} {n}"),
                    })
                    .collect();
                outcomes.push(Line {
                    text: name.to_string(),
                    tail: format!("{}{used}", ctx.pick(": ", "：")),
                    note: match (l, why.is_empty()) {
                        (_, true) => String::new(),
                        (Lang::En, false) => format!(" ({})", why.join(", ")),
                        (Lang::Zh, false) => format!("（{}）", why.join("，")),
                    },
                    bold: false,
                });
            };
            match report.flow.strata.iter().find(|f| f.name == s.name) {
                Some(f) => {
                    for o in &f.outcomes {
                        // Missing by reason, whatever the column.
                        let mut why: Vec<(String, usize)> = Vec::new();
                        for m in &o.missing {
                            let r = reason_label(&m.reason, l);
                            match why.iter_mut().find(|w| w.0 == r) {
                                Some(w) => w.1 += m.n,
                                None => why.push((r, m.n)),
                            }
                        }
                        outcome(&o.name, o.used, &why);
                    }
                }
                None => {
                    let missing = |m: usize| if m > 0 { vec![(reason_label("missing", l), m)] } else { vec![] };
                    for (name, x) in &s.paired {
                        outcome(name, x.pairs, &missing(x.missing));
                    }
                    for (name, x) in &s.binary {
                        outcome(name, x.n, &missing(x.missing));
                    }
                    for (name, x) in &s.events {
                        outcome(name, x.n, &missing(x.missing));
                    }
                }
            }
            let mut node = Node::new(stratum_label(&s.name, l), lines);
            node.lines.extend(outcomes);
            node
        })
        .collect();
    let has_outcomes = shown.iter().any(|s| s.paired.len() + s.binary.len() + s.events.len() > 0);
    let groups: Vec<String> = report
        .strata
        .iter()
        .filter(|s| s.kind == "group")
        .map(|s| {
            let members: Vec<String> = s.members.iter().map(|m| stratum_label(m, l)).collect();
            match l {
                Lang::En => format!("{} = {}, n = {}", stratum_label(&s.name, l), members.join(" + "), s.n),
                Lang::Zh => format!("{} = {}，n = {}", stratum_label(&s.name, l), members.join(" + "), s.n),
            }
        })
        .collect();

    let mut notes = Vec::new();
    if has_outcomes {
        notes.push(
            ctx.pick(
                "Outcome lines: patients analysed (not used, by reason).",
                "结局行：纳入分析的患者数（未使用数及原因）。",
            )
            .to_string(),
        );
    }
    notes.extend(groups);

    // Sizes: the largest text (from 18 design pixels down) with which everything fits, lines
    // wrapped to the boxes; the height left over goes to the gaps.
    let margin = f64::from(ctx.px(16.0));
    let k = strata.len().max(1) as f64;
    let gap_x = f64::from(ctx.px(12.0));
    let strata_w = ((f64::from(bw) - 2.0 * margin - (k - 1.0) * gap_x) / k).max(1.0);
    let main_w = f64::from(bw) * 0.3;
    let ex_x = f64::from(bw) * 0.58;
    let ex_w = f64::from(bw) - margin - ex_x;
    let min_px = 11.0 * ctx.s;
    // (px, wrapped nodes, fixed height)
    let fit_at = |px: f64| {
        let pad = px * 0.6;
        let read = read.wrapped(px, main_w - 2.0 * pad);
        let included = included.wrapped(px, main_w - 2.0 * pad);
        let excluded = excluded.wrapped(px, ex_w - 2.0 * pad);
        let strata: Vec<Lines> = strata.iter().map(|n| n.wrapped(px, strata_w - 2.0 * pad)).collect();
        let h_strata = strata.iter().map(|n| node_h(n, px, pad)).fold(0.0, f64::max);
        let fixed = node_h(&read, px, pad)
            + node_h(&excluded, px, pad)
            + node_h(&included, px, pad)
            + h_strata
            + notes.len() as f64 * line_h(px * 0.9);
        (read, included, excluded, strata, h_strata, fixed)
    };
    let mut px = LABEL * ctx.s;
    while px > min_px && fit_at(px).5 + 4.0 * px * 1.2 > f64::from(bh) {
        px = (px * 0.95).max(min_px);
    }
    let (read, included, excluded, strata, h_strata, fixed) = fit_at(px);
    let pad = px * 0.6;
    let gap = ((f64::from(bh) - fixed) / 4.0).clamp(px * 0.8, px * 3.0);

    let r = |v: f64| v.round() as i32;
    let cx = ex_x / 2.0 + margin / 2.0;
    let mut y = 0.0;
    let h_read = node_h(&read, px, pad);
    draw_node(&body, ctx, &read, (r(cx - main_w / 2.0), r(y), r(main_w), r(h_read)), px, pad, false, BLUE)?;
    y += h_read;
    let h_ex = node_h(&excluded, px, pad);
    let ex_y = y + gap * 0.5;
    let h_inc = node_h(&included, px, pad);
    let inc_y = ex_y + h_ex + gap * 0.5;
    arrow(&body, ctx, (r(cx), r(y)), (r(cx), r(inc_y)))?;
    let mid = ex_y + h_ex / 2.0;
    arrow(&body, ctx, (r(cx), r(mid)), (r(ex_x), r(mid)))?;
    draw_node(&body, ctx, &excluded, (r(ex_x), r(ex_y), r(ex_w), r(h_ex)), px, pad, true, VERMILLION)?;
    draw_node(&body, ctx, &included, (r(cx - main_w / 2.0), r(inc_y), r(main_w), r(h_inc)), px, pad, false, BLUE)?;
    y = inc_y + h_inc;

    // Bus to the strata.
    let strata_y = y + gap * 1.5;
    let bus_y = y + gap * 0.75;
    let centres: Vec<f64> =
        (0..strata.len()).map(|i| margin + strata_w / 2.0 + i as f64 * (strata_w + gap_x)).collect();
    let line = AXIS.stroke_width(ctx.px(2.0).max(1) as u32);
    body.draw(&PathElement::new(vec![(r(cx), r(y)), (r(cx), r(bus_y))], line)).map_err(de)?;
    if let (Some(a), Some(b)) = (centres.first(), centres.last()) {
        body.draw(&PathElement::new(vec![(r(a.min(cx)), r(bus_y)), (r(b.max(cx)), r(bus_y))], line)).map_err(de)?;
    }
    let names: Vec<&str> = shown.iter().map(|s| s.name.as_str()).collect();
    let colours = stratum_colours(&names);
    for ((node, c), colour) in strata.iter().zip(&centres).zip(&colours) {
        arrow(&body, ctx, (r(*c), r(bus_y)), (r(*c), r(strata_y)))?;
        let accent = if *colour == BLACK { BLUE } else { *colour };
        draw_node(
            &body,
            ctx,
            node,
            (r(c - strata_w / 2.0), r(strata_y), r(strata_w), r(h_strata)),
            px,
            pad,
            false,
            accent,
        )?;
    }
    // Notes: what the outcome lines mean, and the groups (which overlap the levels).
    let mut ny = strata_y + h_strata + gap * 0.5;
    let npx = px * 0.9;
    for n in notes {
        let t = fit(&n, npx, f64::from(bw) - 2.0 * margin);
        text(&body, &t, (r(margin), r(ny)), &ctx.font_px(npx).color(&MUTED), HPos::Left, VPos::Top)?;
        ny += line_h(npx);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome_line(text: &str, tail: &str) -> Node {
        let mut node = Node::new("Normal".into(), []);
        node.lines.push(Line { text: text.into(), tail: tail.into(), note: String::new(), bold: false });
        node
    }

    /// Regression: a name that fits a box alone but not with its count was shortened
    /// ("Functional improve…: 60") though a second line had room for it.
    #[test]
    fn a_name_too_long_with_its_count_wraps_rather_than_being_shortened() {
        let px = 18.0;
        let (text, tail) = ("Functional improvement", ": 60");
        // Room for the name alone, not for the name and its count.
        let max_w = (text_width(text, px) + text_width(&format!("{text}{tail}"), px)) / 2.0;
        let lines: Vec<String> = outcome_line(text, tail).wrapped(px, max_w).into_iter().map(|l| l.0).collect();
        assert_eq!(lines, ["Normal", "Functional", "improvement: 60"]);
    }

    /// A name that two lines cannot hold is shortened, its count kept whole.
    #[test]
    fn a_name_too_long_for_two_lines_is_shortened_keeping_its_count() {
        let px = 18.0;
        let max_w = text_width("Functional improvement", px);
        let node = outcome_line("Functional improvement of the lumbar spine at six weeks after ablation", ": 60");
        let lines: Vec<String> = node.wrapped(px, max_w).into_iter().map(|l| l.0).collect();
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(lines[2].ends_with("…: 60"), "{lines:?}");
        assert!(lines.iter().all(|l| text_width(l, px) <= max_w), "{lines:?}");
    }
}
