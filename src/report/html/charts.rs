//! The report's charts, drawn with plotters' SVG backend into strings that the page
//! inlines. Values arrive exact and are turned into floating point here only to place
//! marks on a picture; every number a chart writes as text comes from the exact value.
//!
//! Status is never told by colour alone: bars carry their status as a word above
//! them, lines differ in dash and marker as well as colour, and every series is named
//! in a legend. The palette is Okabe and Ito's, which stays distinct for the common
//! kinds of colour blindness.

use plotters::coord::ranged1d::{IntoSegmentedCoord, SegmentValue};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::eval::Status;

/// Okabe–Ito colours.
pub const BLUE: RGBColor = RGBColor(0, 114, 178);
pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
pub const GREEN: RGBColor = RGBColor(0, 158, 115);
pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
pub const GREY: RGBColor = RGBColor(140, 140, 140);
pub const INK: RGBColor = RGBColor(34, 34, 34);

const FONT: &str = "sans-serif";
const WIDTH: u32 = 720;
const HEIGHT: u32 = 320;

/// A status's colour in charts (the page's CSS uses the same).
pub fn colour(status: Status) -> RGBColor {
    match status {
        Status::Met => GREEN,
        Status::AtRisk => ORANGE,
        Status::Missed => VERMILLION,
        Status::NoData => GREY,
    }
}

/// The mark written with a status wherever it is shown.
pub fn symbol(status: Status) -> &'static str {
    match status {
        Status::Met => "✓",
        Status::AtRisk => "!",
        Status::Missed => "✗",
        Status::NoData => "?",
    }
}

/// Why plotters could not draw (the SVG backend writes to a string: in practice,
/// never).
type Failed = plotters::drawing::DrawingAreaErrorKind<std::io::Error>;

/// A chart as inline SVG, or why it could not be drawn.
pub type Drawn = Result<String, String>;

/// A period's count, day by day, against its pro-rata goal line.
pub struct Cumulative<'a> {
    /// What is counted, with its unit: `mqls (leads)`.
    pub y_label: &'a str,
    /// `day of 2026-06 (Europe/Berlin)`.
    pub x_label: &'a str,
    /// Days in the period.
    pub days: i64,
    /// Labels of the days, `06-01` …, one per day.
    pub day_labels: &'a [String],
    /// The running total at the end of each day counted so far (day 1 first).
    pub actual: &'a [f64],
    /// The goal for the whole period; the line runs from 0 to it.
    pub goal: Option<f64>,
    /// Where the running total is heading at the period's end, while it runs.
    pub projected: Option<f64>,
    /// Recorded totals instead of daily points: one marker at this day.
    pub recorded_at: Option<i64>,
}

pub fn cumulative(c: &Cumulative<'_>) -> Drawn {
    svg(|out| draw_cumulative(c, out))
}

/// A chart drawn into a string of SVG.
fn svg(draw: impl FnOnce(&mut String) -> Result<(), Failed>) -> Drawn {
    let mut out = String::new();
    draw(&mut out).map_err(|e| e.to_string())?;
    Ok(out)
}

fn draw_cumulative(c: &Cumulative<'_>, svg: &mut String) -> Result<(), Failed> {
    let root = SVGBackend::with_string(svg, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&WHITE)?;
    let top = c
        .actual
        .iter()
        .copied()
        .chain(c.goal)
        .chain(c.projected)
        .fold(1.0_f64, f64::max)
        * 1.1;
    let days = c.days.max(1);
    let mut chart = ChartBuilder::on(&root)
        .margin(12)
        .x_label_area_size(44)
        .y_label_area_size(64)
        .build_cartesian_2d(0..days, 0.0..top)?;
    let labels = c.day_labels;
    chart
        .configure_mesh()
        .x_desc(c.x_label)
        .y_desc(c.y_label)
        .x_labels(8)
        .y_labels(6)
        .x_label_formatter(&|d| {
            usize::try_from(*d - 1)
                .ok()
                .and_then(|i| labels.get(i))
                .cloned()
                .unwrap_or_default()
        })
        .y_label_formatter(&|v| axis_number(*v))
        .light_line_style(RGBColor(235, 235, 235))
        .label_style((FONT, 13))
        .axis_desc_style((FONT, 14))
        .draw()?;
    if let Some(goal) = c.goal {
        let line = (0..=days).map(|d| (d, goal * d as f64 / days as f64));
        chart
            .draw_series(DashedLineSeries::new(line, 8, 5, INK.stroke_width(2)))?
            .label("goal line (pro rata)")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], INK.stroke_width(2)));
    }
    if c.recorded_at.is_none() {
        let points: Vec<(i64, f64)> = std::iter::once((0, 0.0))
            .chain((1..).zip(c.actual.iter().copied()))
            .collect();
        chart
            .draw_series(LineSeries::new(
                points.iter().copied(),
                BLUE.stroke_width(3),
            ))?
            .label("actual (running total)")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], BLUE.stroke_width(3)));
        if let Some(&last) = points.last() {
            chart.draw_series(std::iter::once(Circle::new(last, 5, BLUE.filled())))?;
        }
    } else if let (Some(day), Some(value)) = (c.recorded_at, c.actual.last()) {
        chart
            .draw_series(std::iter::once(Circle::new(
                (day, *value),
                6,
                BLUE.filled(),
            )))?
            .label("actual (recorded total)")
            .legend(|(x, y)| Circle::new((x + 10, y), 5, BLUE.filled()));
    }
    if let (Some(projected), Some((from_day, from))) = (
        c.projected,
        c.recorded_at
            .or(i64::try_from(c.actual.len()).ok())
            .zip(c.actual.last().copied()),
    ) {
        chart
            .draw_series(DashedLineSeries::new(
                [(from_day, from), (days, projected)],
                3,
                4,
                ORANGE.stroke_width(2),
            ))?
            .label("projected at the period's end")
            .legend(|(x, y)| TriangleMarker::new((x + 10, y), 6, ORANGE.filled()));
        chart.draw_series(std::iter::once(TriangleMarker::new(
            (days, projected),
            7,
            ORANGE.filled(),
        )))?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.9))
        .border_style(RGBColor(200, 200, 200))
        .label_font((FONT, 13))
        .draw()?;
    root.present()?;
    Ok(())
}

/// One bar of a bar chart.
pub struct Bar {
    /// Under the bar: the period.
    pub label: String,
    /// Its height; `None` draws no bar (no data).
    pub value: Option<f64>,
    /// Written above the bar, with the status's mark.
    pub text: String,
    /// `None` for a bar nothing grades: drawn in blue, without a mark.
    pub status: Option<Status>,
    /// The period's target, drawn as a dash across the bar.
    pub target: Option<f64>,
}

/// Bars per period against a target line.
pub struct Bars<'a> {
    pub y_label: &'a str,
    pub x_label: &'a str,
    pub bars: &'a [Bar],
    /// The targets' name in the legend.
    pub target_label: &'a str,
}

pub fn bars(b: &Bars<'_>) -> Drawn {
    svg(|out| draw_bars(b, out))
}

fn draw_bars(b: &Bars<'_>, svg: &mut String) -> Result<(), Failed> {
    let root = SVGBackend::with_string(svg, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&WHITE)?;
    let n = i32::try_from(b.bars.len()).unwrap_or(i32::MAX).max(1);
    let top = b
        .bars
        .iter()
        .filter_map(|bar| bar.value)
        .chain(b.bars.iter().filter_map(|bar| bar.target))
        .fold(0.0_f64, f64::max);
    // Room above the tallest bar for its label and for the legend.
    let top = if top <= 0.0 { 1.0 } else { top * 1.35 };
    let mut chart = ChartBuilder::on(&root)
        .margin(12)
        .x_label_area_size(44)
        .y_label_area_size(64)
        .build_cartesian_2d((0..n - 1).into_segmented(), 0.0..top)?;
    let bars = b.bars;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_desc(b.x_label)
        .y_desc(b.y_label)
        .y_labels(6)
        .x_labels(bars.len().min(24))
        .x_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => usize::try_from(*i)
                .ok()
                .and_then(|i| bars.get(i))
                .map(|bar| bar.label.clone())
                .unwrap_or_default(),
            SegmentValue::Last => String::new(),
        })
        .y_label_formatter(&|v| axis_number(*v))
        .light_line_style(RGBColor(235, 235, 235))
        .label_style((FONT, 13))
        .axis_desc_style((FONT, 14))
        .draw()?;
    let above = (FONT, 12)
        .into_font()
        .color(&INK)
        .pos(Pos::new(HPos::Center, VPos::Bottom));
    let many = bars.len() > 12;
    for (i, bar) in (0..).zip(bars) {
        let height = match bar.value {
            Some(value) => {
                let fill = bar.status.map_or(BLUE, colour);
                let mut rect = Rectangle::new(
                    [
                        (SegmentValue::Exact(i), 0.0),
                        (SegmentValue::Exact(i + 1), value),
                    ],
                    fill.filled(),
                );
                rect.set_margin(0, 0, 6, 6);
                chart.draw_series(std::iter::once(rect))?;
                value
            }
            None => top * 0.02,
        };
        let text = marked(bar, many);
        if !text.is_empty() {
            chart.draw_series(std::iter::once(Text::new(
                text,
                (SegmentValue::CenterOf(i), height),
                above.clone(),
            )))?;
        }
    }
    let targets: Vec<(i32, f64)> = (0..)
        .zip(bars)
        .filter_map(|(i, bar)| bar.target.map(|t| (i, t)))
        .collect();
    if !targets.is_empty() {
        let dash = |i: i32, t: f64| {
            PathElement::new(
                [(SegmentValue::Exact(i), t), (SegmentValue::Exact(i + 1), t)],
                INK.stroke_width(3),
            )
        };
        chart
            .draw_series(targets.iter().map(|&(i, t)| dash(i, t)))?
            .label(b.target_label)
            .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], INK.stroke_width(3)));
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.9))
            .border_style(RGBColor(200, 200, 200))
            .label_font((FONT, 13))
            .draw()?;
    }
    root.present()?;
    Ok(())
}

/// A bar's text with its status's mark in front; with many bars, the mark alone
/// (the caption lists the values).
fn marked(bar: &Bar, many: bool) -> String {
    match (bar.status, many) {
        (Some(status), false) => format!("{} {}", symbol(status), bar.text),
        (Some(status), true) => symbol(status).to_owned(),
        (None, false) => bar.text.clone(),
        (None, true) => String::new(),
    }
}

/// An axis tick: whole numbers without decimals, others to two places.
fn axis_number(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}
