//! Classification metrics: accuracy, per-class precision/recall/F1, macro and weighted F1,
//! and the confusion matrix.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Precision, recall, F1 and support of one label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassMetrics {
    /// Of the rows predicted as this label, the share that carry it.
    pub precision: f64,
    /// Of the rows that carry this label, the share predicted as it.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// Number of rows that carry this label.
    pub support: usize,
}

/// A confusion matrix: `matrix[true][predicted]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Confusion {
    /// Row and column labels.
    pub labels: Vec<String>,
    /// Counts, rows = true label, columns = predicted label.
    pub matrix: Vec<Vec<usize>>,
}

/// All metrics of one evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Share of rows predicted right.
    pub accuracy: f64,
    /// Unweighted mean of per-label F1 over the labels seen in truth or prediction.
    pub macro_f1: f64,
    /// Support-weighted mean of per-label F1.
    pub weighted_f1: f64,
    /// Per-label metrics.
    pub per_class: BTreeMap<String, ClassMetrics>,
    /// The confusion matrix.
    pub confusion: Confusion,
    /// Number of rows.
    pub n: usize,
}

impl Metrics {
    /// Computes the metrics of predictions `y_pred` against `y_true` (indices into `labels`).
    pub fn compute(labels: &[String], y_true: &[usize], y_pred: &[usize]) -> Metrics {
        let k = labels.len();
        let mut matrix = vec![vec![0usize; k]; k];
        for (&t, &p) in y_true.iter().zip(y_pred) {
            matrix[t][p] += 1;
        }
        let n = y_true.len();
        let correct: usize = (0..k).map(|i| matrix[i][i]).sum();
        let mut per_class = BTreeMap::new();
        let (mut f1_sum, mut seen, mut weighted) = (0.0, 0usize, 0.0);
        for c in 0..k {
            let support: usize = matrix[c].iter().sum();
            let predicted: usize = (0..k).map(|r| matrix[r][c]).sum();
            let tp = matrix[c][c] as f64;
            let precision = if predicted > 0 {
                tp / predicted as f64
            } else {
                0.0
            };
            let recall = if support > 0 {
                tp / support as f64
            } else {
                0.0
            };
            let f1 = if precision + recall > 0.0 {
                2.0 * precision * recall / (precision + recall)
            } else {
                0.0
            };
            if support > 0 || predicted > 0 {
                f1_sum += f1;
                seen += 1;
            }
            weighted += f1 * support as f64;
            per_class.insert(
                labels[c].clone(),
                ClassMetrics {
                    precision,
                    recall,
                    f1,
                    support,
                },
            );
        }
        Metrics {
            accuracy: if n > 0 {
                correct as f64 / n as f64
            } else {
                0.0
            },
            macro_f1: if seen > 0 { f1_sum / seen as f64 } else { 0.0 },
            weighted_f1: if n > 0 { weighted / n as f64 } else { 0.0 },
            per_class,
            confusion: Confusion {
                labels: labels.to_vec(),
                matrix,
            },
            n,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_hand_computed_values() {
        let labels = vec!["a".to_string(), "b".to_string(), "c".to_string()];
        // true: a a b b c ; pred: a b b b a
        let m = Metrics::compute(&labels, &[0, 0, 1, 1, 2], &[0, 1, 1, 1, 0]);
        assert_eq!(
            m.confusion.matrix,
            vec![vec![1, 1, 0], vec![0, 2, 0], vec![1, 0, 0]]
        );
        assert!((m.accuracy - 0.6).abs() < 1e-12);
        let fa = 2.0 * 0.5 * 0.5 / 1.0;
        let fb = 2.0 * (2.0 / 3.0) * 1.0 / (2.0 / 3.0 + 1.0);
        assert!((m.macro_f1 - (fa + fb + 0.0) / 3.0).abs() < 1e-12);
        assert!((m.weighted_f1 - (2.0 * fa + 2.0 * fb) / 5.0).abs() < 1e-12);
    }
}
