//! The report's plots, drawn with `plotters` on its SVG backend into strings.
//!
//! Text is `sans-serif` (the viewer's font; `plotters` only estimates widths), and every
//! number printed in a plot is a plain `<text>` element, so the files can be checked.

use plotters::chart::MeshStyle;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::ReliabilityTable;
use crate::eval::learning::LearningPoint;
use crate::eval::{Confusion, CvRow, Metrics};

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
type Drawn = Result<(), DrawingAreaErrorKind<std::io::Error>>;

const FONT: &str = "sans-serif";
// Font sizes as `plotters` takes them (the SVG gets them divided by 1.24).
const TITLE: u32 = 22;
const TICK: u32 = 16;
const DESC: u32 = 16;
const SMALL: u32 = 15;
const INK: RGBColor = RGBColor(33, 37, 41);
const GRID: RGBColor = RGBColor(222, 226, 230);
const BLUE: RGBColor = RGBColor(52, 101, 164);
const ORANGE: RGBColor = RGBColor(221, 132, 82);
const GREEN: RGBColor = RGBColor(85, 168, 104);
const RED: RGBColor = RGBColor(196, 78, 82);
const GREY: RGBColor = RGBColor(120, 124, 130);

/// The house style of a chart with a grid: bold grid lines only, our fonts and colours.
fn grid_mesh<'m, 'a, 'b, X: Ranged, Y: Ranged, DB: DrawingBackend>(
    mesh: &'m mut MeshStyle<'a, 'b, X, Y, DB>,
) -> &'m mut MeshStyle<'a, 'b, X, Y, DB> {
    mesh.max_light_lines(0)
        .bold_line_style(GRID)
        .label_style((FONT, TICK).into_font().color(&INK))
        .axis_desc_style((FONT, DESC).into_font().color(&GREY))
}

/// Draws with `draw` on a white `size` canvas and returns the SVG text.
fn render(size: (u32, u32), draw: impl FnOnce(&Area<'_>) -> Drawn) -> Result<String, String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        draw(&root).map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// A text style of `size` pixels in `colour`, anchored at `h`/`v`.
fn text<'a>(size: u32, colour: &'a RGBColor, h: HPos, v: VPos) -> TextStyle<'a> {
    TextStyle::from((FONT, size).into_font())
        .color(colour)
        .pos(Pos::new(h, v))
}

/// Approximate width in pixels of `s` at a font size of `size` (as `plotters` estimates it).
fn width_of(s: &str, size: u32) -> u32 {
    (s.chars().count() as f64 * f64::from(size) * 0.46).ceil() as u32
}

/// The colour of a heat-map cell holding `share` (0–1) of its row.
fn heat(share: f64) -> RGBColor {
    let s = share.clamp(0.0, 1.0);
    let lerp = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * s).round() as u8;
    RGBColor(lerp(245, 16), lerp(248, 63), lerp(252, 125))
}

/// Categorical axes run over integers: category `i` spans `[i·SPAN, (i+1)·SPAN]`, so bars
/// and cells can sit at fractions of a category while the tick labels stay at the centres.
const SPAN: i32 = 100;

/// The tick positions of `k` categories: their centres.
fn centres(k: usize) -> Vec<i32> {
    (0..k as i32).map(|i| i * SPAN + SPAN / 2).collect()
}

/// The category whose centre is `v`, if `v` is a centre.
fn category_at(v: i32) -> Option<usize> {
    (v >= 0 && v % SPAN == SPAN / 2).then_some((v / SPAN) as usize)
}

/// C as the CLI prints it: `0.25`, `4`, `1000`.
fn format_c(c: f64) -> String {
    if c.fract() == 0.0 && c.abs() < 1e15 {
        format!("{c:.0}")
    } else {
        let s = format!("{c:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// The confusion matrix as a heat map: rows are true labels, columns predicted labels, each
/// cell holds its count (a bare integer) and the share of its row, coloured by that share.
pub(super) fn confusion(c: &Confusion) -> Result<String, String> {
    let k = c.labels.len().max(1);
    let cell: u32 = match k {
        0..=4 => 130,
        5..=8 => 90,
        _ => 64,
    };
    let longest = c
        .labels
        .iter()
        .map(|l| width_of(l, TICK))
        .max()
        .unwrap_or(40);
    let y_area = (longest + 52).max(90);
    let side = cell * k as u32;
    let x_area = 72;
    let caption = format!(
        "Confusion matrix ({} rows)",
        c.matrix.iter().flatten().sum::<usize>()
    );
    let width = (y_area + side + 48).max(width_of(&caption, TITLE) + 40);
    let height = 16 + 36 + side + x_area + 16;
    render((width, height), |root| {
        draw_confusion(root, c, y_area, x_area, &caption)
    })
}

fn draw_confusion(
    root: &Area<'_>,
    c: &Confusion,
    y_area: u32,
    x_area: u32,
    caption: &str,
) -> Drawn {
    let k = c.labels.len();
    let end = k as i32 * SPAN;
    let mut chart = ChartBuilder::on(root)
        .caption(caption, (FONT, TITLE).into_font().color(&INK))
        .margin(16)
        .margin_right(32)
        .x_label_area_size(x_area)
        .y_label_area_size(y_area)
        .build_cartesian_2d(
            (0..end).with_key_points(centres(k)),
            (0..end).with_key_points(centres(k)),
        )?;
    // Row 0 is drawn at the top: true label `r` sits on the y band `k - 1 - r`.
    let labels = &c.labels;
    let x_fmt = |v: &i32| {
        category_at(*v)
            .and_then(|i| labels.get(i))
            .cloned()
            .unwrap_or_default()
    };
    let y_fmt = |v: &i32| {
        category_at(*v)
            .and_then(|i| k.checked_sub(i + 1))
            .and_then(|r| labels.get(r))
            .cloned()
            .unwrap_or_default()
    };
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc("predicted label")
        .y_desc("true label")
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .label_style((FONT, TICK).into_font().color(&INK))
        .axis_desc_style((FONT, DESC).into_font().color(&GREY))
        .draw()?;
    let count_style = text(26, &INK, HPos::Center, VPos::Center);
    let share_style = text(17, &INK, HPos::Center, VPos::Center);
    for (r, row) in c.matrix.iter().enumerate() {
        let support: usize = row.iter().sum();
        for (col, &n) in row.iter().enumerate() {
            let share = if support > 0 {
                n as f64 / support as f64
            } else {
                0.0
            };
            let (x, y) = (col as i32 * SPAN, (k - 1 - r) as i32 * SPAN);
            let cell = [(x, y), (x + SPAN, y + SPAN)];
            chart.draw_series(std::iter::once(Rectangle::new(cell, heat(share).filled())))?;
            chart.draw_series(std::iter::once(Rectangle::new(cell, WHITE.stroke_width(2))))?;
            let ink = if share > 0.5 { WHITE } else { INK };
            chart.draw_series(std::iter::once(
                EmptyElement::at((x + SPAN / 2, y + SPAN / 2))
                    + Text::new(n.to_string(), (0, -11), count_style.color(&ink))
                    + Text::new(
                        format!("{:.1}%", share * 100.0),
                        (0, 15),
                        share_style.color(&ink),
                    ),
            ))?;
        }
    }
    Ok(())
}

/// The reliability diagram: accuracy per confidence bin as bars, the gap to the bin's mean
/// confidence, the diagonal of perfect calibration, the bin counts above the bars, and below
/// a histogram of the rows per bin. The title carries the ECE.
pub(super) fn reliability(t: &ReliabilityTable) -> Result<String, String> {
    render((720, 630), |root| draw_reliability(root, t))
}

fn draw_reliability(root: &Area<'_>, t: &ReliabilityTable) -> Drawn {
    let (upper, lower) = root.split_vertically(450);
    let caption = format!(
        "Reliability diagram: ECE {:.4} ({} bins, {} rows)",
        t.ece,
        t.bins.len(),
        t.n
    );
    let mut chart = ChartBuilder::on(&upper)
        .caption(caption, (FONT, TITLE).into_font().color(&INK))
        .margin(16)
        .margin_right(24)
        .x_label_area_size(52)
        .y_label_area_size(72)
        .build_cartesian_2d(0.0..1.0, 0.0..1.12)?;
    grid_mesh(&mut chart.configure_mesh())
        .x_labels(11)
        .y_labels(7)
        .x_label_formatter(&|v| format!("{v:.1}"))
        .y_label_formatter(&|v| format!("{v:.1}"))
        .x_desc("confidence (probability of the predicted label)")
        .y_desc("accuracy")
        .draw()?;
    let filled: Vec<_> = t.bins.iter().filter(|b| b.count > 0).collect();
    let pad = 0.004;
    chart
        .draw_series(filled.iter().map(|b| {
            Rectangle::new(
                [(b.lower + pad, 0.0), (b.upper - pad, b.accuracy)],
                BLUE.mix(0.8).filled(),
            )
        }))?
        .label("accuracy in the bin")
        .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], BLUE.mix(0.8).filled()));
    chart
        .draw_series(filled.iter().map(|b| {
            let (lo, hi) = if b.accuracy < b.mean_confidence {
                (b.accuracy, b.mean_confidence)
            } else {
                (b.mean_confidence, b.accuracy)
            };
            Rectangle::new(
                [(b.lower + 3.0 * pad, lo), (b.upper - 3.0 * pad, hi)],
                RED.stroke_width(2),
            )
        }))?
        .label("gap to the mean confidence")
        .legend(|(x, y)| Rectangle::new([(x + 1, y - 5), (x + 13, y + 5)], RED.stroke_width(2)));
    chart
        .draw_series(DashedLineSeries::new(
            vec![(0.0, 0.0), (1.0, 1.0)],
            6,
            4,
            GREY.stroke_width(2),
        ))?
        .label("perfect calibration")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 14, y)], GREY.stroke_width(2)));
    chart
        .draw_series(
            filled
                .iter()
                .map(|b| Circle::new((b.mean_confidence, b.accuracy), 4, INK.filled())),
        )?
        .label("(mean confidence, accuracy)")
        .legend(|(x, y)| Circle::new((x + 7, y), 4, INK.filled()));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.9))
        .border_style(GRID)
        .label_font((FONT, SMALL).into_font().color(&INK))
        .draw()?;

    let most = t.bins.iter().map(|b| b.count).max().unwrap_or(0).max(1) as f64;
    let mut hist = ChartBuilder::on(&lower)
        .margin(16)
        .margin_top(4)
        .margin_right(24)
        .x_label_area_size(46)
        .y_label_area_size(72)
        .build_cartesian_2d(0.0..1.0, 0.0..most * 1.25)?;
    grid_mesh(&mut hist.configure_mesh())
        .x_labels(11)
        .y_labels(4)
        .x_label_formatter(&|v| format!("{v:.1}"))
        .y_label_formatter(&|v| format!("{v:.0}"))
        .y_desc("rows")
        .x_desc("rows per confidence bin")
        .draw()?;
    hist.draw_series(filled.iter().map(|b| {
        Rectangle::new(
            [(b.lower + pad, 0.0), (b.upper - pad, b.count as f64)],
            GREY.mix(0.6).filled(),
        )
    }))?;
    let count_style = text(SMALL, &INK, HPos::Center, VPos::Bottom);
    hist.draw_series(filled.iter().map(|b| {
        EmptyElement::at(((b.lower + b.upper) / 2.0, b.count as f64))
            + Text::new(b.count.to_string(), (0, -3), count_style.clone())
    }))?;
    Ok(())
}

/// Precision, recall and F1 of every label as grouped bars, values printed on the bars, with
/// the macro-F1 as a dashed line.
pub(super) fn per_class(m: &Metrics) -> Result<String, String> {
    let ticks: Vec<String> = m
        .confusion
        .labels
        .iter()
        .map(|l| {
            let support = m.per_class.get(l).map_or(0, |c| c.support);
            format!("{l} (n={support})")
        })
        .collect();
    let group = ticks
        .iter()
        .map(|t| width_of(t, TICK) + 24)
        .max()
        .unwrap_or(150)
        .max(140);
    let width = (group * ticks.len().max(1) as u32 + 110).max(540);
    render((width, 460), |root| draw_per_class(root, m, &ticks))
}

/// A legend entry drawn by [`legend_row`]: a filled box or a line.
enum Key {
    Box(RGBColor),
    Line(RGBColor),
}

/// One centred row of legend entries at height `y` of `area`.
fn legend_row(area: &Area<'_>, items: &[(&str, Key)], y: i32) -> Drawn {
    let style = text(SMALL, &INK, HPos::Left, VPos::Center);
    let widths: Vec<i32> = items
        .iter()
        .map(|(name, _)| 20 + width_of(name, SMALL) as i32 + 24)
        .collect();
    let (w, _) = area.dim_in_pixel();
    let mut x = (w as i32 - widths.iter().sum::<i32>()) / 2;
    for ((name, key), step) in items.iter().zip(widths) {
        match key {
            Key::Box(c) => area.draw(&Rectangle::new([(x, y - 7), (x + 14, y + 7)], c.filled()))?,
            Key::Line(c) => area.draw(&PathElement::new(
                vec![(x, y), (x + 14, y)],
                c.stroke_width(2),
            ))?,
        }
        area.draw(&Text::new(name.to_string(), (x + 20, y), style.clone()))?;
        x += step;
    }
    Ok(())
}

fn draw_per_class(root: &Area<'_>, m: &Metrics, ticks: &[String]) -> Drawn {
    let k = ticks.len();
    let end = k as i32 * SPAN;
    let (head, body) = root.split_vertically(72);
    let (w, _) = head.dim_in_pixel();
    head.draw(&Text::new(
        format!(
            "Per-label precision, recall and F1 (macro-F1 {:.4})",
            m.macro_f1
        ),
        (w as i32 / 2, 18),
        text(TITLE, &INK, HPos::Center, VPos::Top),
    ))?;
    type Pick = fn(&crate::eval::ClassMetrics) -> f64;
    let series: [(&str, RGBColor, Pick); 3] = [
        ("precision", BLUE, |c| c.precision),
        ("recall", ORANGE, |c| c.recall),
        ("F1", GREEN, |c| c.f1),
    ];
    legend_row(
        &head,
        &[
            ("precision", Key::Box(BLUE)),
            ("recall", Key::Box(ORANGE)),
            ("F1", Key::Box(GREEN)),
            ("macro-F1", Key::Line(GREY)),
        ],
        58,
    )?;
    let mut chart = ChartBuilder::on(&body)
        .margin(16)
        .margin_top(8)
        .margin_right(24)
        .x_label_area_size(56)
        .y_label_area_size(64)
        .build_cartesian_2d((0..end).with_key_points(centres(k)), 0.0..1.08)?;
    let fmt = |v: &i32| {
        category_at(*v)
            .and_then(|i| ticks.get(i))
            .cloned()
            .unwrap_or_default()
    };
    grid_mesh(&mut chart.configure_mesh())
        .disable_x_mesh()
        .y_labels(7)
        .x_label_formatter(&fmt)
        .y_label_formatter(&|v| format!("{v:.1}"))
        .y_desc("score")
        .draw()?;
    // The macro-F1 line goes first, so that the bars and their values cover it.
    chart.draw_series(DashedLineSeries::new(
        vec![(0, m.macro_f1), (end, m.macro_f1)],
        6,
        4,
        GREY.stroke_width(2),
    ))?;
    // Three bars of 24% of a category each, centred, with a 1% gap on both sides.
    let bar = SPAN * 24 / 100;
    // Values sit inside the top of their bar (white), or above a bar too short to hold them.
    let inside = text(SMALL, &WHITE, HPos::Center, VPos::Top);
    let above = text(SMALL, &INK, HPos::Center, VPos::Bottom);
    for (j, (_, colour, value)) in series.iter().enumerate() {
        let bars: Vec<(i32, f64)> = m
            .confusion
            .labels
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let x0 = i as i32 * SPAN + SPAN / 2 - 3 * bar / 2 + j as i32 * bar;
                (x0, m.per_class.get(l).map_or(0.0, value))
            })
            .collect();
        chart.draw_series(
            bars.iter().map(|&(x0, v)| {
                Rectangle::new([(x0 + 1, 0.0), (x0 + bar - 1, v)], colour.filled())
            }),
        )?;
        chart.draw_series(bars.iter().map(|&(x0, v)| {
            let (offset, style) = if v >= 0.12 {
                (4, inside.clone())
            } else {
                (-3, above.clone())
            };
            EmptyElement::at((x0 + bar / 2, v)) + Text::new(format!("{v:.2}"), (0, offset), style)
        }))?;
    }
    Ok(())
}

/// The y range of a mean ± std plot, padded and clipped to [0, 1].
fn score_range<'a>(points: impl Iterator<Item = &'a (f64, f64, f64)>) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for &(_, mean, std) in points {
        lo = lo.min(mean - std);
        hi = hi.max(mean + std);
    }
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    let pad = ((hi - lo) * 0.15).max(0.02);
    let (lo, hi) = ((lo - pad).max(0.0), (hi + pad).min(1.0));
    if hi - lo < 0.05 {
        ((hi - 0.05).max(0.0), (lo + 0.05).min(1.0))
    } else {
        (lo, hi)
    }
}

/// Draws `(x, mean, std)` points as a line with markers and ± std error bars; `cap` gives the
/// x extent of a bar's caps around `x`.
fn draw_mean_std<X>(
    chart: &mut ChartContext<
        '_,
        SVGBackend<'_>,
        Cartesian2d<X, plotters::coord::types::RangedCoordf64>,
    >,
    points: &[(f64, f64, f64)],
    cap: impl Fn(f64) -> (f64, f64),
    colour: RGBColor,
    name: &str,
) -> Drawn
where
    X: Ranged<ValueType = f64>,
{
    for &(x, mean, std) in points {
        let (a, b) = cap(x);
        chart.draw_series([
            PathElement::new(
                vec![(x, mean - std), (x, mean + std)],
                colour.stroke_width(2),
            ),
            PathElement::new(
                vec![(a, mean - std), (b, mean - std)],
                colour.stroke_width(2),
            ),
            PathElement::new(
                vec![(a, mean + std), (b, mean + std)],
                colour.stroke_width(2),
            ),
        ])?;
    }
    chart
        .draw_series(LineSeries::new(
            points.iter().map(|&(x, m, _)| (x, m)),
            colour.stroke_width(2),
        ))?
        .label(name)
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 14, y)], colour.stroke_width(2)));
    chart.draw_series(
        points
            .iter()
            .map(|&(x, m, _)| Circle::new((x, m), 4, colour.filled())),
    )?;
    Ok(())
}

/// CV macro-F1 (mean ± std) against C on a log axis, the chosen C marked.
pub(super) fn cv(rows: &[CvRow], chosen: f64) -> Result<String, String> {
    let mut rows = rows.to_vec();
    rows.sort_by(|a, b| a.c.total_cmp(&b.c));
    render((720, 460), |root| draw_cv(root, &rows, chosen))
}

fn draw_cv(root: &Area<'_>, rows: &[CvRow], chosen: f64) -> Drawn {
    let points: Vec<(f64, f64, f64)> = rows
        .iter()
        .map(|r| (r.c, r.macro_f1, r.macro_f1_std))
        .collect();
    let (lo_c, hi_c) = (rows[0].c, rows[rows.len() - 1].c);
    let (y0, y1) = score_range(points.iter());
    let keys: Vec<f64> = rows.iter().map(|r| r.c).collect();
    let mut chart = ChartBuilder::on(root)
        .caption(
            format!(
                "Cross-validated macro-F1 against C (chosen C = {})",
                format_c(chosen)
            ),
            (FONT, TITLE).into_font().color(&INK),
        )
        .margin(16)
        .margin_right(28)
        .x_label_area_size(56)
        .y_label_area_size(72)
        .build_cartesian_2d(
            ((lo_c / 2.0)..(hi_c * 2.0))
                .log_scale()
                .with_key_points(keys),
            y0..y1,
        )?;
    grid_mesh(&mut chart.configure_mesh())
        .x_label_formatter(&|v| format_c(*v))
        .y_label_formatter(&|v| format!("{v:.2}"))
        .x_desc("C (inverse regularisation strength, log scale)")
        .y_desc("macro-F1 (mean ± std over folds)")
        .draw()?;
    chart
        .draw_series(DashedLineSeries::new(
            vec![(chosen, y0), (chosen, y1)],
            6,
            4,
            RED.stroke_width(1),
        ))?
        .label("chosen C")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 14, y)], RED.stroke_width(1)));
    draw_mean_std(
        &mut chart,
        &points,
        |c| (c / 1.08, c * 1.08),
        BLUE,
        "macro-F1",
    )?;
    if let Some(best) = rows.iter().find(|r| r.c == chosen) {
        let style = text(SMALL, &RED, HPos::Left, VPos::Bottom);
        chart.draw_series(std::iter::once(Circle::new(
            (best.c, best.macro_f1),
            7,
            RED.stroke_width(2),
        )))?;
        chart.draw_series(std::iter::once(
            EmptyElement::at((best.c, best.macro_f1))
                + Text::new(format!("{:.4}", best.macro_f1), (9, -6), style),
        ))?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .background_style(WHITE.mix(0.9))
        .border_style(GRID)
        .label_font((FONT, SMALL).into_font().color(&INK))
        .draw()?;
    Ok(())
}

/// CV macro-F1 (mean ± std) against the number of rows trained on.
pub(super) fn learning_curve(
    points: &[LearningPoint],
    c: f64,
    folds: usize,
) -> Result<String, String> {
    render((720, 460), |root| {
        draw_learning_curve(root, points, c, folds)
    })
}

fn draw_learning_curve(root: &Area<'_>, points: &[LearningPoint], c: f64, folds: usize) -> Drawn {
    let data: Vec<(f64, f64, f64)> = points
        .iter()
        .map(|p| (p.rows as f64, p.macro_f1, p.macro_f1_std))
        .collect();
    let most = data.iter().map(|p| p.0).fold(1.0, f64::max);
    let (y0, y1) = score_range(data.iter());
    let mut chart = ChartBuilder::on(root)
        .caption(
            format!("Learning curve (C = {}, {folds}-fold CV)", format_c(c)),
            (FONT, TITLE).into_font().color(&INK),
        )
        .margin(16)
        .margin_right(28)
        .x_label_area_size(56)
        .y_label_area_size(72)
        .build_cartesian_2d(0.0..most * 1.05, y0..y1)?;
    grid_mesh(&mut chart.configure_mesh())
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| format!("{v:.2}"))
        .x_desc(format!(
            "rows in the stratified subset (each fold trains on {}/{folds} of them)",
            folds.saturating_sub(1)
        ))
        .y_desc("macro-F1 (mean ± std over folds)")
        .draw()?;
    let cap = most * 0.008;
    draw_mean_std(&mut chart, &data, |x| (x - cap, x + cap), BLUE, "macro-F1")?;
    let style = text(SMALL, &INK, HPos::Center, VPos::Top);
    chart.draw_series(data.iter().map(|&(x, m, s)| {
        EmptyElement::at((x, m - s)) + Text::new(format!("{m:.3}"), (0, 6), style.clone())
    }))?;
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .background_style(WHITE.mix(0.9))
        .border_style(GRID)
        .label_font((FONT, SMALL).into_font().color(&INK))
        .draw()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_sit_at_their_centres_only() {
        assert_eq!(centres(2), vec![50, 150]);
        assert_eq!(category_at(50), Some(0));
        assert_eq!(category_at(150), Some(1));
        assert_eq!(category_at(100), None);
        assert_eq!(category_at(-50), None);
    }

    #[test]
    fn c_values_print_like_the_cli() {
        assert_eq!(format_c(4.0), "4");
        assert_eq!(format_c(0.25), "0.25");
        assert_eq!(format_c(0.1), "0.1");
    }

    #[test]
    fn heat_runs_from_light_to_dark() {
        assert_eq!(heat(0.0), RGBColor(245, 248, 252));
        assert_eq!(heat(1.0), RGBColor(16, 63, 125));
    }
}
