//! A display list: charts draw once onto a [`Recorder`], and the recorded shapes and text are
//! replayed onto any backend (canvas in the page, SVG for files).
//!
//! Drawing through one concrete backend compiles the chart code once instead of once per
//! backend, which keeps the WebAssembly module small; the replay is a short loop per backend.
//! The page replays a [`DisplayList`] (serialized as JSON) on its canvas itself, so charts are
//! drawn in the Web Worker and the page's main thread runs no WebAssembly.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind};
use serde::ser::{Serialize, SerializeSeq, Serializer};
use std::cell::RefCell;
use std::convert::Infallible;
use std::rc::Rc;

/// A colour with its opacity and a stroke width.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Pen {
    rgb: (u8, u8, u8),
    alpha: f64,
    width: u32,
}

impl Pen {
    fn of<S: BackendStyle>(s: &S) -> Pen {
        let c = s.color();
        Pen { rgb: c.rgb, alpha: c.alpha, width: s.stroke_width() }
    }

    fn style(self, filled: bool) -> ShapeStyle {
        let (r, g, b) = self.rgb;
        ShapeStyle { color: RGBAColor(r, g, b, self.alpha), filled, stroke_width: self.width }
    }
}

/// One drawing operation, in pixels of the recorded area.
pub(super) enum Op {
    Path(Vec<BackendCoord>, Pen),
    Rect(BackendCoord, BackendCoord, Pen, bool),
    Circle(BackendCoord, u32, Pen, bool),
    Polygon(Vec<BackendCoord>, Pen),
    Text { text: String, at: BackendCoord, px: f64, pen: Pen, bold: bool, vertical: bool, h: HPos, v: VPos },
}

/// A backend that records what is drawn on it.
pub(super) struct Recorder {
    size: (u32, u32),
    ops: Rc<RefCell<Vec<Op>>>,
}

type R = Result<(), DrawingErrorKind<Infallible>>;

impl Recorder {
    fn push(&self, op: Op) -> R {
        self.ops.borrow_mut().push(op);
        Ok(())
    }
}

impl DrawingBackend for Recorder {
    type ErrorType = Infallible;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> R {
        Ok(())
    }

    fn present(&mut self) -> R {
        Ok(())
    }

    fn draw_pixel(&mut self, p: BackendCoord, color: BackendColor) -> R {
        self.push(Op::Rect(p, (p.0 + 1, p.1 + 1), Pen { rgb: color.rgb, alpha: color.alpha, width: 1 }, true))
    }

    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, style: &S) -> R {
        self.push(Op::Path(vec![from, to], Pen::of(style)))
    }

    fn draw_rect<S: BackendStyle>(&mut self, a: BackendCoord, b: BackendCoord, style: &S, fill: bool) -> R {
        self.push(Op::Rect(a, b, Pen::of(style), fill))
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(&mut self, path: I, style: &S) -> R {
        self.push(Op::Path(path.into_iter().collect(), Pen::of(style)))
    }

    fn draw_circle<S: BackendStyle>(&mut self, c: BackendCoord, r: u32, style: &S, fill: bool) -> R {
        self.push(Op::Circle(c, r, Pen::of(style), fill))
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(&mut self, vert: I, style: &S) -> R {
        self.push(Op::Polygon(vert.into_iter().collect(), Pen::of(style)))
    }

    fn draw_text<T: BackendTextStyle>(&mut self, text: &str, style: &T, at: BackendCoord) -> R {
        let c = style.color();
        let anchor = style.anchor();
        self.push(Op::Text {
            text: text.to_string(),
            at,
            px: style.size(),
            pen: Pen { rgb: c.rgb, alpha: c.alpha, width: 1 },
            bold: matches!(style.style(), FontStyle::Bold),
            vertical: matches!(style.transform(), FontTransform::Rotate270),
            h: anchor.h_pos,
            v: anchor.v_pos,
        })
    }

    /// The charts measure text themselves; this answers plotters the same way, on every target.
    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        style: &T,
    ) -> Result<(u32, u32), DrawingErrorKind<Infallible>> {
        Ok((super::ui::text_width(text, style.size()).ceil() as u32, style.size().ceil() as u32))
    }
}

/// Runs `draw` on a recorder of `size` pixels and returns what it drew.
pub(super) fn record(
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<Recorder, Shift>) -> Result<(), String>,
) -> Result<Vec<Op>, String> {
    let ops = Rc::new(RefCell::new(Vec::new()));
    {
        let area = Recorder { size, ops: Rc::clone(&ops) }.into_drawing_area();
        draw(&area)?;
    }
    Ok(ops.take())
}

/// Draws `ops` on `area`, with font sizes multiplied by `font_k` (the SVG backend renders a
/// size of 1.24 as one pixel).
pub(super) fn replay<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, ops: &[Op], font_k: f64) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| format!("the chart could not be drawn: {e}");
    for op in ops {
        match op {
            Op::Path(points, pen) => area.draw(&PathElement::new(points.clone(), pen.style(false))),
            Op::Rect(a, b, pen, fill) => area.draw(&Rectangle::new([*a, *b], pen.style(*fill))),
            Op::Circle(c, r, pen, fill) => area.draw(&Circle::new(*c, *r, pen.style(*fill))),
            Op::Polygon(points, pen) => area.draw(&Polygon::new(points.clone(), pen.style(true))),
            Op::Text { text, at, px, pen, bold, vertical, h, v } => {
                let mut font = FontDesc::new(
                    FontFamily::SansSerif,
                    px * font_k,
                    if *bold { FontStyle::Bold } else { FontStyle::Normal },
                );
                if *vertical {
                    font = font.transform(FontTransform::Rotate270);
                }
                let (r, g, b) = pen.rgb;
                let style = font.color(&RGBAColor(r, g, b, pen.alpha)).pos(Pos::new(*h, *v));
                area.draw(&Text::new(text.as_str(), *at, style))
            }
        }
        .map_err(err)?;
    }
    area.present().map_err(err)
}

/// A chart as drawing operations in pixels, for a canvas to replay. Serializes as a JSON array of
/// objects tagged by `op`: `path {points, color, width}`, `rect {from, to, color, width, fill}`,
/// `circle {at, r, color, width, fill}`, `polygon {points, color}` and `text {text, at, px, color,
/// bold, vertical, align, baseline}` — points as `[x, y]`, colours as CSS `rgba()`, `align` and
/// `baseline` as the canvas' `textAlign` and `textBaseline`, `vertical` text turned a quarter
/// counter-clockwise about `at`.
pub struct DisplayList(pub(super) Vec<Op>);

impl DisplayList {
    /// Number of drawing operations.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when nothing is drawn.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// One operation as it goes over the wire.
#[derive(serde::Serialize)]
#[serde(tag = "op", rename_all = "lowercase")]
enum Wire<'a> {
    Path {
        points: &'a [BackendCoord],
        color: String,
        width: u32,
    },
    Rect {
        from: BackendCoord,
        to: BackendCoord,
        color: String,
        width: u32,
        fill: bool,
    },
    Circle {
        at: BackendCoord,
        r: u32,
        color: String,
        width: u32,
        fill: bool,
    },
    Polygon {
        points: &'a [BackendCoord],
        color: String,
    },
    Text {
        text: &'a str,
        at: BackendCoord,
        px: f64,
        color: String,
        bold: bool,
        vertical: bool,
        align: &'static str,
        baseline: &'static str,
    },
}

impl Pen {
    fn css(self) -> String {
        let (r, g, b) = self.rgb;
        format!("rgba({r},{g},{b},{})", self.alpha)
    }
}

impl Op {
    fn wire(&self) -> Wire<'_> {
        match self {
            Op::Path(points, pen) => Wire::Path { points, color: pen.css(), width: pen.width },
            Op::Rect(from, to, pen, fill) => {
                Wire::Rect { from: *from, to: *to, color: pen.css(), width: pen.width, fill: *fill }
            }
            Op::Circle(at, r, pen, fill) => {
                Wire::Circle { at: *at, r: *r, color: pen.css(), width: pen.width, fill: *fill }
            }
            Op::Polygon(points, pen) => Wire::Polygon { points, color: pen.css() },
            Op::Text { text, at, px, pen, bold, vertical, h, v } => Wire::Text {
                text,
                at: *at,
                px: *px,
                color: pen.css(),
                bold: *bold,
                vertical: *vertical,
                align: match h {
                    HPos::Left => "left",
                    HPos::Right => "right",
                    HPos::Center => "center",
                },
                baseline: match v {
                    VPos::Top => "top",
                    VPos::Center => "middle",
                    VPos::Bottom => "bottom",
                },
            },
        }
    }
}

impl Serialize for DisplayList {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for op in &self.0 {
            seq.serialize_element(&op.wire())?;
        }
        seq.end()
    }
}
