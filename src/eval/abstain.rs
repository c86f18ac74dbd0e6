//! Choosing the abstention threshold: below which confidence a statement is reported as
//! having no clear stance, picked on held-out rows that include the abstention label.

use crate::eval::Metrics;

/// The chosen threshold and the macro-F1 (over the model's labels plus the abstention label)
/// it reaches on the held-out rows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AbstentionChoice {
    /// Predictions with a lower confidence become the abstention label.
    pub threshold: f64,
    /// Macro-F1 at that threshold.
    pub macro_f1: f64,
    /// Macro-F1 without abstaining.
    pub macro_f1_without: f64,
}

/// Tries thresholds 0.00 and 0.34–0.95 (step 0.01) and keeps the one with the best macro-F1;
/// ties go to the lower threshold.
///
/// `y_true` indexes `labels` extended by the abstention label (index `labels.len()`);
/// `predicted` holds each row's predicted label index and confidence.
pub fn choose_threshold(
    labels: &[String],
    abstain_label: &str,
    y_true: &[usize],
    predicted: &[(usize, f64)],
) -> AbstentionChoice {
    let mut all = labels.to_vec();
    all.push(abstain_label.to_string());
    let abstain = labels.len();
    let score = |t: f64| {
        let y_pred: Vec<usize> = predicted
            .iter()
            .map(|&(l, c)| if c < t { abstain } else { l })
            .collect();
        Metrics::compute(&all, y_true, &y_pred).macro_f1
    };
    let without = score(0.0);
    let mut best = AbstentionChoice {
        threshold: 0.0,
        macro_f1: without,
        macro_f1_without: without,
    };
    for step in 34..=95 {
        let t = step as f64 / 100.0;
        let f = score(t);
        if f > best.macro_f1 + 1e-12 {
            best.threshold = t;
            best.macro_f1 = f;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_threshold_that_separates_unsure_rows() {
        let labels = vec!["a".to_string(), "b".to_string()];
        // Two confident right answers, two unsure rows that are truly neutral (index 2).
        let y_true = [0, 1, 2, 2];
        let predicted = [(0, 0.9), (1, 0.8), (0, 0.5), (1, 0.55)];
        let c = choose_threshold(&labels, "neutral", &y_true, &predicted);
        assert!(c.threshold > 0.55 && c.threshold <= 0.8, "{c:?}");
        assert!((c.macro_f1 - 1.0).abs() < 1e-12);
        assert!(c.macro_f1_without < 1.0);
    }
}
