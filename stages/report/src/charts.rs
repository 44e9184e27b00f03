//! Inline SVG plots drawn with plotters: horizontal bar charts of counts and
//! forest plots of effects with their confidence intervals.
//!
//! Colours are the Okabe-Ito palette (distinguishable with every common
//! colour-vision deficiency); every plot carries a `<title>` for screen
//! readers, and the page shows a table with the same numbers beside it.

use plotters::prelude::*;

use crate::{Error, Result};

/// Okabe-Ito blue: a shown bar, a conclusive estimate.
const BLUE: RGBColor = RGBColor(0, 114, 178);
/// Okabe-Ito vermillion: the no-effect line.
const VERMILLION: RGBColor = RGBColor(213, 94, 0);
/// Neutral grey: an inconclusive estimate.
const GREY: RGBColor = RGBColor(110, 110, 110);

/// Font of the axis labels and descriptions.
const LABEL_FONT: (&str, u32) = ("sans-serif", 14);

/// Plot width in pixels.
const WIDTH: u32 = 720;
/// Height of one row (bar or subgroup) in pixels.
const ROW_HEIGHT: u32 = 26;
/// Height of the axes, caption and margins in pixels.
const FRAME_HEIGHT: u32 = 70;
/// Width of the label column in pixels.
const LABEL_WIDTH: u32 = 240;

/// One bar: a label and a count (a suppressed count is not drawn).
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// Category label.
    pub label: String,
    /// The count, or `None` when suppressed.
    pub count: Option<u64>,
}

/// One row of a forest plot.
#[derive(Clone, Debug, PartialEq)]
pub struct ForestPoint {
    /// Subgroup label.
    pub label: String,
    /// Estimate with its interval, on the measure's own scale.
    pub estimate: Option<(f64, f64, f64)>,
    /// Whether the row's verdict is conclusive (drawn in colour).
    pub conclusive: bool,
}

/// A horizontal bar chart of `bars`, titled `title`, as an SVG element.
///
/// # Errors
/// [`Error::Plot`] if plotters fails.
pub fn bar_chart(title: &str, axis: &str, bars: &[Bar]) -> Result<String> {
    let rows = bars.len().max(1);
    let top = bars
        .iter()
        .filter_map(|b| b.count)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let mut svg = String::new();
    let height = FRAME_HEIGHT + ROW_HEIGHT * rows as u32;
    draw(title, &mut svg, height, |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(8)
            .x_label_area_size(34)
            .y_label_area_size(LABEL_WIDTH)
            .build_cartesian_2d(0.0..top * 1.05, -0.5..(rows as f64 - 0.5))
            .map_err(plot_error(title))?;
        let label = |y: &f64| row_label(y, bars.len(), |i| bars[i].label.clone());
        let count = |x: &f64| format!("{x:.0}");
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(6)
            .y_labels(rows)
            .y_label_formatter(&label)
            .x_label_formatter(&count)
            .label_style(LABEL_FONT)
            .axis_desc_style(LABEL_FONT)
            .x_desc(axis)
            .draw()
            .map_err(plot_error(title))?;
        chart
            .draw_series(bars.iter().enumerate().filter_map(|(i, bar)| {
                let y = row_y(i, bars.len());
                bar.count.map(|count| {
                    Rectangle::new([(0.0, y - 0.35), (count as f64, y + 0.35)], BLUE.filled())
                })
            }))
            .map_err(plot_error(title))?;
        Ok(())
    })?;
    Ok(svg)
}

/// A forest plot of `points` (effects with intervals; ratio measures on a
/// log scale around 1, differences around 0), as an SVG element.
///
/// # Errors
/// [`Error::Plot`] if plotters fails.
pub fn forest_plot(title: &str, axis: &str, ratio: bool, points: &[ForestPoint]) -> Result<String> {
    let scale = |v: f64| if ratio { v.ln() } else { v };
    let null = scale(if ratio { 1.0 } else { 0.0 });
    let (mut lo, mut hi) = (null, null);
    for (_, low, high) in points.iter().filter_map(|p| p.estimate) {
        lo = lo.min(scale(low));
        hi = hi.max(scale(high));
    }
    let pad = ((hi - lo) * 0.08).max(0.05);
    let (lo, hi) = (lo - pad, hi + pad);
    let rows = points.len().max(1);
    let height = FRAME_HEIGHT + ROW_HEIGHT * rows as u32;
    let mut svg = String::new();
    draw(title, &mut svg, height, |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(8)
            .x_label_area_size(34)
            .y_label_area_size(LABEL_WIDTH)
            .build_cartesian_2d(lo..hi, -0.5..(rows as f64 - 0.5))
            .map_err(plot_error(title))?;
        let x_label = |x: &f64| {
            if ratio {
                format!("{:.2}", x.exp())
            } else {
                format!("{x:.2}")
            }
        };
        let y_label = |y: &f64| row_label(y, points.len(), |i| points[i].label.clone());
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(6)
            .y_labels(rows)
            .y_label_formatter(&y_label)
            .x_label_formatter(&x_label)
            .label_style(LABEL_FONT)
            .axis_desc_style(LABEL_FONT)
            .x_desc(axis)
            .draw()
            .map_err(plot_error(title))?;
        let top = rows as f64 - 0.5;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(null, -0.5), (null, top)],
                VERMILLION.stroke_width(1),
            )))
            .map_err(plot_error(title))?;
        let drawn = points.iter().enumerate().filter_map(|(i, p)| {
            p.estimate
                .map(|e| (row_y(i, points.len()), e, p.conclusive))
        });
        let colour = |conclusive: bool| if conclusive { BLUE } else { GREY };
        chart
            .draw_series(drawn.clone().map(|(y, (_, low, high), conclusive)| {
                PathElement::new(
                    vec![(scale(low), y), (scale(high), y)],
                    colour(conclusive).stroke_width(2),
                )
            }))
            .map_err(plot_error(title))?;
        chart
            .draw_series(drawn.map(|(y, (effect, _, _), conclusive)| {
                Circle::new((scale(effect), y), 5, colour(conclusive).filled())
            }))
            .map_err(plot_error(title))?;
        Ok(())
    })?;
    Ok(svg)
}

/// The y coordinate of row `i` of `n` (the first row at the top).
fn row_y(i: usize, n: usize) -> f64 {
    (n - 1 - i) as f64
}

/// The label of the row at coordinate `y`, if `y` is a row's.
fn row_label(y: &f64, n: usize, label: impl Fn(usize) -> String) -> String {
    let rounded = y.round();
    if (y - rounded).abs() > 1e-6 || rounded < 0.0 || rounded >= n as f64 {
        return String::new();
    }
    label(n - 1 - rounded as usize)
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

/// Draws on a fresh SVG canvas of `height` into `svg`, then makes the SVG
/// accessible: an `img` role and a `<title>`.
fn draw(
    title: &str,
    svg: &mut String,
    height: u32,
    body: impl FnOnce(&Area<'_>) -> Result<()>,
) -> Result<()> {
    {
        let root = SVGBackend::with_string(svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(plot_error(title))?;
        body(&root)?;
        root.present().map_err(plot_error(title))?;
    }
    let escaped = escape(title);
    if let Some(end) = svg.find('>') {
        svg.insert_str(end + 1, &format!("<title>{escaped}</title>"));
        svg.replace_range(0..4, &format!("<svg role=\"img\" aria-label=\"{escaped}\""));
    }
    Ok(())
}

/// `text` with the XML special characters escaped.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn plot_error<E: std::fmt::Display>(what: &str) -> impl Fn(E) -> Error + '_ {
    move |e| Error::Plot {
        what: what.to_owned(),
        message: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::{bar_chart, forest_plot, Bar, ForestPoint};

    #[test]
    fn a_bar_chart_draws_shown_counts_only() {
        let bars = [
            Bar {
                label: "Normal Metabolizer".into(),
                count: Some(1200),
            },
            Bar {
                label: "Poor Metabolizer".into(),
                count: None,
            },
        ];
        let svg = bar_chart("CYP2C19 <phenotypes>", "patients", &bars).unwrap();
        assert!(svg.starts_with("<svg role=\"img\" aria-label=\"CYP2C19 &lt;phenotypes&gt;\""));
        assert!(svg.contains("<title>CYP2C19 &lt;phenotypes&gt;</title>"));
        assert!(svg.contains("Normal Metabolizer"));
        assert!(svg.contains("Poor Metabolizer"));
        assert_eq!(
            svg.matches("<rect").count() - 1,
            1,
            "one bar besides the background"
        );
    }

    #[test]
    fn a_forest_plot_draws_one_point_per_estimate() {
        let points = [
            ForestPoint {
                label: "carrier".into(),
                estimate: Some((4.75, 2.87, 7.88)),
                conclusive: true,
            },
            ForestPoint {
                label: "non_carrier".into(),
                estimate: Some((1.25, 0.73, 2.12)),
                conclusive: false,
            },
            ForestPoint {
                label: "hidden".into(),
                estimate: None,
                conclusive: false,
            },
        ];
        let svg = forest_plot("mace", "odds ratio (log scale)", true, &points).unwrap();
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(svg.contains("carrier") && svg.contains("hidden"));
    }
}
