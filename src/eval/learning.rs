//! Learning curves: cross-validated macro-F1 on growing stratified subsets of the training
//! data, at one C, with the training run's folds and seed. Deterministic.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::eval::cv::SplitMix64;
use crate::features::TermDocs;
use crate::model::classifier::cv_table;
use crate::model::TrainParams;

/// The subset sizes of the default learning curve: 10%, 20%, … 100%.
pub const TENTHS: [f64; 10] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0];

/// One point of a learning curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LearningPoint {
    /// The share of every label's rows that was asked for.
    pub fraction: f64,
    /// Rows in the subset (cross-validated: each fold trains on `(folds − 1)/folds` of them).
    pub rows: usize,
    /// Mean macro-F1 over the folds.
    pub macro_f1: f64,
    /// Standard deviation of macro-F1 over the folds.
    pub macro_f1_std: f64,
    /// Mean accuracy over the folds.
    pub accuracy: f64,
}

/// A stratified subset: `ceil(fraction × n)` of each label's `n` rows, but at least
/// `min_per_label` (or all of them when the label has fewer). Returns sorted row indices.
///
/// Each label's rows are shuffled once with `seed`, the same way for every fraction, and the
/// subset takes a prefix: a smaller fraction's subset lies inside a larger one's.
///
/// # Errors
/// [`Error::Params`] when `fraction` is not in `(0, 1]`.
pub fn stratified_subset(
    y: &[usize],
    fraction: f64,
    min_per_label: usize,
    seed: u64,
) -> Result<Vec<usize>> {
    if !(fraction > 0.0 && fraction <= 1.0) {
        return Err(Error::Params(format!(
            "a subset fraction must be in (0, 1], found {fraction}"
        )));
    }
    let n_labels = y.iter().copied().max().map_or(0, |m| m + 1);
    let mut rng = SplitMix64::new(seed);
    let mut out = Vec::new();
    for label in 0..n_labels {
        let mut idx: Vec<usize> = (0..y.len()).filter(|&i| y[i] == label).collect();
        rng.shuffle(&mut idx);
        let n = idx.len();
        let take = ((fraction * n as f64).ceil() as usize)
            .max(min_per_label)
            .min(n);
        out.extend_from_slice(&idx[..take]);
    }
    out.sort_unstable();
    Ok(out)
}

/// Cross-validates `params` at the single value `c` on stratified subsets of the rows, one
/// per entry of `fractions` (see [`stratified_subset`]; every label keeps at least
/// `params.folds` rows where it has them), with `params.folds` and `params.seed`.
///
/// `labels` holds one label per document. Fractions that give the same subset size as an
/// earlier one are skipped; the points come in the order of `fractions`.
///
/// # Errors
/// [`Error::Params`] when the inputs differ in length, there are fewer than two labels, fewer
/// than two folds, `c` is not positive or a fraction is not in `(0, 1]`.
pub fn learning_curve(
    docs: &TermDocs,
    labels: &[String],
    params: &TrainParams,
    c: f64,
    fractions: &[f64],
) -> Result<Vec<LearningPoint>> {
    if docs.len() != labels.len() {
        return Err(Error::Params(format!(
            "one label per document is needed ({} documents, {} labels)",
            docs.len(),
            labels.len()
        )));
    }
    if !(c.is_finite() && c > 0.0) {
        return Err(Error::Params(format!("C must be positive, found {c}")));
    }
    if params.folds < 2 {
        return Err(Error::Params(format!(
            "a learning curve needs at least 2 folds, found {}",
            params.folds
        )));
    }
    let mut names: Vec<String> = labels.to_vec();
    names.sort();
    names.dedup();
    if names.len() < 2 {
        return Err(Error::Params(format!(
            "at least two labels are needed, found {names:?}"
        )));
    }
    let y: Vec<usize> = labels
        .iter()
        .map(|l| names.binary_search(l).unwrap_or(0))
        .collect();
    let single = TrainParams {
        c_grid: vec![c],
        ..params.clone()
    };
    let mut points: Vec<LearningPoint> = Vec::with_capacity(fractions.len());
    for &fraction in fractions {
        let subset = stratified_subset(&y, fraction, params.folds, params.seed)?;
        if points.iter().any(|p| p.rows == subset.len()) {
            continue;
        }
        let sub_docs = docs.subset(&subset);
        let sub_y: Vec<usize> = subset.iter().map(|&i| y[i]).collect();
        let table = cv_table(&sub_docs, &sub_y, &names, &single);
        let Some(row) = table.first() else {
            continue;
        };
        points.push(LearningPoint {
            fraction,
            rows: subset.len(),
            macro_f1: row.macro_f1,
            macro_f1_std: row.macro_f1_std,
            accuracy: row.accuracy,
        });
    }
    Ok(points)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::Document;
    use crate::text::Tokenizer;

    #[test]
    fn subsets_are_stratified_nested_and_deterministic() {
        // 60 rows of label 0, 30 of label 1, 10 of label 2.
        let y: Vec<usize> = (0..100)
            .map(|i| match i % 10 {
                0..=5 => 0,
                6..=8 => 1,
                _ => 2,
            })
            .collect();
        let tenth = stratified_subset(&y, 0.1, 0, 7).unwrap();
        let count = |s: &[usize], l: usize| s.iter().filter(|&&i| y[i] == l).count();
        assert_eq!(
            (count(&tenth, 0), count(&tenth, 1), count(&tenth, 2)),
            (6, 3, 1)
        );
        let half = stratified_subset(&y, 0.5, 0, 7).unwrap();
        assert_eq!(
            (count(&half, 0), count(&half, 1), count(&half, 2)),
            (30, 15, 5)
        );
        assert!(tenth.iter().all(|i| half.contains(i)));
        assert!(half.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(half, stratified_subset(&y, 0.5, 0, 7).unwrap());
        assert_eq!(
            stratified_subset(&y, 1.0, 0, 7).unwrap(),
            (0..100).collect::<Vec<_>>()
        );
        // A floor per label: label 2 keeps 5 rows at 10%.
        let floored = stratified_subset(&y, 0.1, 5, 7).unwrap();
        assert_eq!(
            (count(&floored, 0), count(&floored, 1), count(&floored, 2)),
            (6, 5, 5)
        );
        assert!(matches!(
            stratified_subset(&y, 0.0, 0, 7),
            Err(Error::Params(_))
        ));
        assert!(matches!(
            stratified_subset(&y, 1.5, 0, 7),
            Err(Error::Params(_))
        ));
    }

    #[test]
    fn learning_curve_grows_and_repeats() {
        let tokenizer = Tokenizer::new(TrainParams::default().tokenizer);
        let good = ["praised", "thanked", "helped", "supported", "welcomed"];
        let bad = ["attacked", "condemned", "accused", "threatened", "blamed"];
        let mut docs = Vec::new();
        let mut labels = Vec::new();
        for i in 0..40 {
            let (words, label) = if i % 2 == 0 {
                (&good, "supportive")
            } else {
                (&bad, "hostile")
            };
            let text = format!("Country{} {} Country{} today", i % 7, words[i % 5], i % 3);
            docs.push(Document::plain(&tokenizer, &text));
            labels.push(label.to_string());
        }
        let mut params = TrainParams {
            folds: 3,
            ..TrainParams::default()
        };
        params.tfidf.min_df = 1;
        let docs = TermDocs::from_documents(&docs).unwrap();
        let points = learning_curve(&docs, &labels, &params, 4.0, &TENTHS).unwrap();
        // 10% of 20 rows per label is 2, raised to 3 (the folds); 20% is 4, ...
        assert_eq!(points[0].rows, 6);
        assert_eq!(points.last().map(|p| p.rows), Some(40));
        assert!(points.windows(2).all(|w| w[0].rows < w[1].rows));
        assert!(points.iter().all(|p| (0.0..=1.0).contains(&p.macro_f1)));
        assert_eq!(
            points,
            learning_curve(&docs, &labels, &params, 4.0, &TENTHS).unwrap()
        );
        assert!(matches!(
            learning_curve(&docs, &labels, &params, 0.0, &TENTHS),
            Err(Error::Params(_))
        ));
    }
}
