//! Evaluation you can see: a confusion heat map, a reliability (calibration) diagram,
//! per-label bars and one self-contained HTML page, plus the training plots (CV results
//! against C and the learning curve).
//!
//! The numbers come from pure functions ([`reliability`], [`most_confident_mistakes`]); the
//! plots are drawn with `plotters`' SVG backend (no system fonts needed); every file is
//! written atomically.
//!
//! ```
//! use stancekit::eval::report::reliability;
//!
//! // Three rows: two right at confidence 0.9, one wrong at 0.6.
//! let table = reliability(&[0, 1, 1], &[(0, 0.9), (1, 0.9), (0, 0.6)], 10).unwrap();
//! assert_eq!(table.bins[9].count, 2);
//! assert!((table.ece - (2.0 / 3.0 * 0.1 + 1.0 / 3.0 * 0.6)).abs() < 1e-12);
//! ```

mod html;
mod plots;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::data::Row;
use crate::error::{Error, Result};
use crate::eval::learning::LearningPoint;
use crate::eval::{CvRow, Metrics};
use crate::features::Document;
use crate::io::write_atomic;
use crate::model::classifier::Contribution;
use crate::model::{Classifier, Metadata};

/// Number of confidence bins of the reliability diagram in the evaluation report.
pub const RELIABILITY_BINS: usize = 10;

/// Number of mistakes listed in the evaluation report.
pub const MISTAKES_SHOWN: usize = 20;

/// Number of features shown for each listed mistake.
pub const FEATURES_PER_MISTAKE: usize = 5;

/// One confidence bin of a reliability table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReliabilityBin {
    /// Lowest confidence of the bin (included).
    pub lower: f64,
    /// Highest confidence of the bin (excluded, except 1.0 in the last bin).
    pub upper: f64,
    /// Rows whose confidence falls in the bin.
    pub count: usize,
    /// Mean confidence of those rows (0 when the bin is empty).
    pub mean_confidence: f64,
    /// Share of those rows predicted right (0 when the bin is empty).
    pub accuracy: f64,
}

/// Accuracy against confidence in equal-width bins, and the expected calibration error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReliabilityTable {
    /// The bins, lowest confidence first.
    pub bins: Vec<ReliabilityBin>,
    /// Expected calibration error: `Σ count/n × |accuracy − mean confidence|` over the bins.
    pub ece: f64,
    /// Number of rows.
    pub n: usize,
}

/// Bins the predictions by confidence into `bins` equal-width bins over `[0, 1]` and compares
/// each bin's mean confidence with its accuracy.
///
/// `predicted` holds each row's predicted label index and the confidence (probability of the
/// predicted label); a row is right when its predicted index equals `y_true`'s. Bin `i`
/// covers `[i/bins, (i+1)/bins)`, the last one includes 1.0; confidences outside `[0, 1]` are
/// clamped. With no rows, every bin is empty and the ECE is 0.
///
/// # Errors
/// [`Error::Params`] when `bins` is 0 or the two slices differ in length.
pub fn reliability(
    y_true: &[usize],
    predicted: &[(usize, f64)],
    bins: usize,
) -> Result<ReliabilityTable> {
    if bins == 0 {
        return Err(Error::Params(
            "a reliability table needs at least one bin".into(),
        ));
    }
    if y_true.len() != predicted.len() {
        return Err(Error::Params(format!(
            "{} true labels but {} predictions",
            y_true.len(),
            predicted.len()
        )));
    }
    let mut count = vec![0usize; bins];
    let mut confidence = vec![0.0f64; bins];
    let mut right = vec![0usize; bins];
    for (&t, &(p, c)) in y_true.iter().zip(predicted) {
        let c = if c.is_nan() { 0.0 } else { c.clamp(0.0, 1.0) };
        let b = ((c * bins as f64).floor() as usize).min(bins - 1);
        count[b] += 1;
        confidence[b] += c;
        right[b] += usize::from(t == p);
    }
    let n = y_true.len();
    let mut ece = 0.0;
    let table = (0..bins)
        .map(|b| {
            let (mean_confidence, accuracy) = if count[b] > 0 {
                (
                    confidence[b] / count[b] as f64,
                    right[b] as f64 / count[b] as f64,
                )
            } else {
                (0.0, 0.0)
            };
            if n > 0 {
                ece += count[b] as f64 / n as f64 * (accuracy - mean_confidence).abs();
            }
            ReliabilityBin {
                lower: b as f64 / bins as f64,
                upper: (b + 1) as f64 / bins as f64,
                count: count[b],
                mean_confidence,
                accuracy,
            }
        })
        .collect();
    Ok(ReliabilityTable {
        bins: table,
        ece,
        n,
    })
}

/// Indices of the `n` wrong predictions with the highest confidence, most confident first
/// (ties: lower index first).
pub fn most_confident_mistakes(
    y_true: &[usize],
    predicted: &[(usize, f64)],
    n: usize,
) -> Vec<usize> {
    let mut wrong: Vec<usize> = (0..y_true.len().min(predicted.len()))
        .filter(|&i| y_true[i] != predicted[i].0)
        .collect();
    wrong.sort_by(|&a, &b| {
        predicted[b]
            .1
            .total_cmp(&predicted[a].1)
            .then_with(|| a.cmp(&b))
    });
    wrong.truncate(n);
    wrong
}

/// One wrong prediction, as listed in the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Mistake {
    /// Index of the row among the evaluated rows (0-based).
    pub row: usize,
    /// Where the row came from: file name and line.
    pub location: String,
    /// The row's text.
    pub text: String,
    /// The source actor cell, when there is one.
    pub source: Option<String>,
    /// The target actor cell, when there is one.
    pub target: Option<String>,
    /// The true label.
    pub true_label: String,
    /// The predicted label.
    pub predicted_label: String,
    /// Probability of the predicted label.
    pub confidence: f64,
    /// The features that pushed the row most toward the predicted label.
    pub features: Vec<Contribution>,
}

/// The `n` most confident mistakes of `model` on `rows`, with the features that drove each
/// (via [`Classifier::explain`], [`FEATURES_PER_MISTAKE`] of them).
///
/// `docs`, `rows`, `y_true` and `predicted` are parallel (one entry per evaluated row);
/// label indices refer to `model.labels()`.
///
/// # Errors
/// [`Error::Params`] when the slices differ in length or an index is not one of the model's
/// labels.
pub fn confident_mistakes(
    model: &Classifier,
    docs: &[Document],
    rows: &[Row],
    y_true: &[usize],
    predicted: &[(usize, f64)],
    n: usize,
) -> Result<Vec<Mistake>> {
    let len = docs.len();
    if rows.len() != len || y_true.len() != len || predicted.len() != len {
        return Err(Error::Params(format!(
            "mistakes need parallel inputs: {len} documents, {} rows, {} true labels, {} predictions",
            rows.len(),
            y_true.len(),
            predicted.len()
        )));
    }
    let labels = model.labels();
    let label = |i: usize| {
        labels
            .get(i)
            .cloned()
            .ok_or_else(|| Error::Params(format!("label index {i} is not one of the model's")))
    };
    most_confident_mistakes(y_true, predicted, n)
        .into_iter()
        .map(|i| {
            let (p, confidence) = predicted[i];
            let row = &rows[i];
            let file = row.file.file_name().map_or_else(
                || row.file.display().to_string(),
                |f| f.to_string_lossy().into_owned(),
            );
            Ok(Mistake {
                row: i,
                location: format!("{file}:{}", row.line),
                text: row.text.clone(),
                source: row.source.clone(),
                target: row.target.clone(),
                true_label: label(y_true[i])?,
                predicted_label: label(p)?,
                confidence,
                features: model.explain(&docs[i], p, FEATURES_PER_MISTAKE),
            })
        })
        .collect()
}

/// Everything the evaluation report shows.
#[derive(Debug, Clone, Copy)]
pub struct EvaluationReport<'a> {
    /// Heading of the page (e.g. the model file's name).
    pub title: &'a str,
    /// The metrics, as `evaluate` computes them; their confusion labels name the indices.
    pub metrics: &'a Metrics,
    /// True label index of every row.
    pub y_true: &'a [usize],
    /// Predicted label index and confidence of every row.
    pub predicted: &'a [(usize, f64)],
    /// The mistakes to list, most confident first.
    pub mistakes: &'a [Mistake],
    /// The model's metadata (JSON of [`Metadata`]).
    pub metadata: &'a serde_json::Value,
}

/// The metrics with the expected calibration error, as written to `metrics.json`.
#[derive(Debug, Serialize)]
struct MetricsWithEce<'a> {
    #[serde(flatten)]
    metrics: &'a Metrics,
    ece: f64,
}

/// The error raised when a plot cannot be drawn or serialised into `path`.
fn render_error(path: &Path, message: impl std::fmt::Display) -> Error {
    Error::io(
        path,
        std::io::Error::other(format!("cannot draw the plot: {message}")),
    )
}

fn create_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))
}

fn check_report(input: &EvaluationReport<'_>) -> Result<()> {
    let k = input.metrics.confusion.labels.len();
    if input.y_true.len() != input.predicted.len() || input.y_true.len() != input.metrics.n {
        return Err(Error::Params(format!(
            "the report needs one prediction per row: {} rows in the metrics, {} true labels, {} predictions",
            input.metrics.n,
            input.y_true.len(),
            input.predicted.len()
        )));
    }
    let bad = input
        .y_true
        .iter()
        .chain(input.predicted.iter().map(|p| &p.0))
        .find(|&&i| i >= k);
    if let Some(i) = bad {
        return Err(Error::Params(format!(
            "label index {i} is out of range for {k} labels"
        )));
    }
    Ok(())
}

/// Writes the evaluation report into `dir` (created when missing): `confusion.svg`,
/// `reliability.svg` ([`RELIABILITY_BINS`] bins), `per_class.svg`, `metrics.json` (the
/// metrics plus `ece`) and `report.html`, one self-contained page that inlines the plots.
///
/// Returns the reliability table (with the ECE) that the plots and the page show.
///
/// # Errors
/// [`Error::Params`] when the inputs disagree (lengths, label indices); [`Error::Io`] when a
/// file cannot be written or a plot cannot be drawn.
pub fn write_evaluation_report(
    dir: &Path,
    input: &EvaluationReport<'_>,
) -> Result<ReliabilityTable> {
    check_report(input)?;
    let table = reliability(input.y_true, input.predicted, RELIABILITY_BINS)?;
    create_dir(dir)?;
    let confusion_path = dir.join("confusion.svg");
    let confusion =
        plots::confusion(&input.metrics.confusion).map_err(|e| render_error(&confusion_path, e))?;
    let reliability_path = dir.join("reliability.svg");
    let reliability_svg =
        plots::reliability(&table).map_err(|e| render_error(&reliability_path, e))?;
    let per_class_path = dir.join("per_class.svg");
    let per_class =
        plots::per_class(input.metrics).map_err(|e| render_error(&per_class_path, e))?;
    write_atomic(&confusion_path, confusion.as_bytes())?;
    write_atomic(&reliability_path, reliability_svg.as_bytes())?;
    write_atomic(&per_class_path, per_class.as_bytes())?;

    let metrics_path = dir.join("metrics.json");
    let mut json = serde_json::to_string_pretty(&MetricsWithEce {
        metrics: input.metrics,
        ece: table.ece,
    })
    .map_err(|e| Error::io(&metrics_path, e.into()))?;
    json.push('\n');
    write_atomic(&metrics_path, json.as_bytes())?;

    let page = html::page(
        input,
        &table,
        &html::Plots {
            confusion: &confusion,
            reliability: &reliability_svg,
            per_class: &per_class,
        },
    );
    write_atomic(dir.join("report.html"), page.as_bytes())?;
    Ok(table)
}

/// Writes the CV results as a plot of macro-F1 (mean ± std over the folds) against C on a
/// log-scale axis, with `chosen` C marked.
///
/// # Errors
/// [`Error::Params`] when `rows` is empty or holds a C that is not positive and finite;
/// [`Error::Io`] when the plot cannot be drawn or written.
pub fn write_cv_plot(path: &Path, rows: &[CvRow], chosen: f64) -> Result<()> {
    if rows.is_empty() {
        return Err(Error::Params("no CV results to plot".into()));
    }
    if let Some(r) = rows.iter().find(|r| !(r.c.is_finite() && r.c > 0.0)) {
        return Err(Error::Params(format!(
            "C must be positive to be drawn on a log scale, found {}",
            r.c
        )));
    }
    let svg = plots::cv(rows, chosen).map_err(|e| render_error(path, e))?;
    write_atomic(path, svg.as_bytes())
}

/// Writes a learning curve: CV macro-F1 (mean ± std) against the number of training rows.
/// `c` and `folds` are named in the title.
///
/// # Errors
/// [`Error::Params`] when `points` is empty; [`Error::Io`] when the plot cannot be drawn or
/// written.
pub fn write_learning_curve(
    path: &Path,
    points: &[LearningPoint],
    c: f64,
    folds: usize,
) -> Result<()> {
    if points.is_empty() {
        return Err(Error::Params("no learning-curve points to plot".into()));
    }
    let svg = plots::learning_curve(points, c, folds).map_err(|e| render_error(path, e))?;
    write_atomic(path, svg.as_bytes())
}

/// Writes the training plots into `dir` (created when missing): `cv.svg` when the metadata
/// holds a CV table, and `learning_curve.svg` when `learning` is given. Returns the paths
/// written.
///
/// # Errors
/// As [`write_cv_plot`] and [`write_learning_curve`].
pub fn write_training_plots(
    dir: &Path,
    metadata: &Metadata,
    learning: Option<&[LearningPoint]>,
) -> Result<Vec<PathBuf>> {
    create_dir(dir)?;
    let mut written = Vec::new();
    if !metadata.cv.is_empty() {
        let path = dir.join("cv.svg");
        write_cv_plot(&path, &metadata.cv, metadata.c)?;
        written.push(path);
    }
    if let Some(points) = learning {
        let path = dir.join("learning_curve.svg");
        write_learning_curve(&path, points, metadata.c, metadata.folds)?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn reliability_matches_hand_computed_bins_and_ece() {
        // Five rows in three bins (of 10):
        //   bin 9: conf 0.95 right, 0.91 right, 0.93 wrong → mean 0.93, acc 2/3
        //   bin 6: conf 0.65 wrong                        → mean 0.65, acc 0
        //   bin 4: conf 0.40 right                        → mean 0.40, acc 1
        let y_true = [0, 1, 2, 0, 1];
        let predicted = [(0, 0.95), (1, 0.91), (0, 0.93), (2, 0.65), (1, 0.40)];
        let t = reliability(&y_true, &predicted, 10).unwrap();
        assert_eq!(t.n, 5);
        assert_eq!(t.bins.len(), 10);
        let counts: Vec<usize> = t.bins.iter().map(|b| b.count).collect();
        assert_eq!(counts, vec![0, 0, 0, 0, 1, 0, 1, 0, 0, 3]);
        assert!(close(t.bins[9].mean_confidence, 0.93));
        assert!(close(t.bins[9].accuracy, 2.0 / 3.0));
        assert!(close(t.bins[6].mean_confidence, 0.65));
        assert!(close(t.bins[6].accuracy, 0.0));
        assert!(close(t.bins[4].accuracy, 1.0));
        assert!(close(t.bins[4].lower, 0.4) && close(t.bins[4].upper, 0.5));
        // ECE = 3/5·|2/3 − 0.93| + 1/5·|0 − 0.65| + 1/5·|1 − 0.40|
        let ece = 0.6 * (0.93 - 2.0 / 3.0) + 0.2 * 0.65 + 0.2 * 0.6;
        assert!(close(t.ece, ece), "{} vs {ece}", t.ece);
    }

    #[test]
    fn perfectly_calibrated_rows_have_zero_ece() {
        // Four rows at 0.75 of which three are right; two at 0.5, one right.
        let y_true = [0, 0, 0, 0, 1, 1];
        let predicted = [
            (0, 0.75),
            (0, 0.75),
            (0, 0.75),
            (1, 0.75),
            (1, 0.5),
            (0, 0.5),
        ];
        let t = reliability(&y_true, &predicted, 4).unwrap();
        assert_eq!(t.bins[3].count, 4);
        assert_eq!(t.bins[2].count, 2);
        assert!(close(t.ece, 0.0));
    }

    #[test]
    fn bin_edges_and_out_of_range_confidences() {
        // 1.0 goes to the last bin, 0.1 to bin 1 (lower edge included), 0.0 and below to bin 0,
        // above 1 is clamped.
        let y_true = [0, 0, 0, 0, 0];
        let predicted = [(0, 1.0), (0, 0.1), (0, 0.0), (0, -0.5), (0, 1.5)];
        let t = reliability(&y_true, &predicted, 10).unwrap();
        let counts: Vec<usize> = t.bins.iter().map(|b| b.count).collect();
        assert_eq!(counts, vec![2, 1, 0, 0, 0, 0, 0, 0, 0, 2]);
        // Every row is right: ECE = 2/5·|1 − 0| + 1/5·|1 − 0.1| + 2/5·|1 − 1| .
        assert!(close(t.ece, 0.4 + 0.2 * 0.9));
    }

    #[test]
    fn empty_input_and_bad_arguments() {
        let t = reliability(&[], &[], 10).unwrap();
        assert_eq!(t.n, 0);
        assert!(close(t.ece, 0.0));
        assert!(t.bins.iter().all(|b| b.count == 0));
        assert!(matches!(
            reliability(&[0], &[(0, 0.5)], 0),
            Err(Error::Params(_))
        ));
        assert!(matches!(
            reliability(&[0, 1], &[(0, 0.5)], 10),
            Err(Error::Params(_))
        ));
    }

    #[test]
    fn mistakes_are_the_most_confident_wrong_rows() {
        let y_true = [0, 1, 1, 0, 2, 2];
        let predicted = [(1, 0.6), (1, 0.99), (0, 0.9), (2, 0.6), (0, 0.95), (2, 0.5)];
        assert_eq!(
            most_confident_mistakes(&y_true, &predicted, 10),
            vec![4, 2, 0, 3]
        );
        assert_eq!(most_confident_mistakes(&y_true, &predicted, 2), vec![4, 2]);
        assert!(most_confident_mistakes(&[0], &[(0, 0.9)], 5).is_empty());
    }
}
