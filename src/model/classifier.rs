//! The trained classifier: tokenizer settings, fitted TF-IDF, softmax regression, labels and
//! metadata, and the training procedure that produces it (C chosen by stratified k-fold CV).

use linfa::dataset::DatasetBase;
use linfa::traits::Fit;
use ndarray::Array1;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::eval::cv::cross_validate;
use crate::eval::{CvRow, Metrics};
use crate::features::{
    statement_keys, Document, PairSpans, SparseRows, TermDocs, TfIdf, TfIdfParams,
};
use crate::model::{argmax, reference, SoftmaxRegression, SoftmaxRegressionParams};
use crate::text::{Tokenizer, TokenizerParams};

/// Which optimiser fits the regression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Solver {
    /// argmin L-BFGS on sparse rows (default).
    Sparse,
    /// linfa-logistic on a dense copy (small data only).
    Linfa,
}

/// Everything `train` needs to know. Defaults: C grid `0.25,1,4,16,64`, 5 folds, seed 42.
#[derive(Debug, Clone)]
pub struct TrainParams {
    /// Tokenizer settings.
    pub tokenizer: TokenizerParams,
    /// Vectorizer settings.
    pub tfidf: TfIdfParams,
    /// Regression settings; `c` is replaced by the CV choice when the grid has several values.
    pub regression: SoftmaxRegressionParams,
    /// The C values to choose from (one value: no CV).
    pub c_grid: Vec<f64>,
    /// Number of CV folds.
    pub folds: usize,
    /// Seed of the fold assignment.
    pub seed: u64,
    /// The optimiser.
    pub solver: Solver,
}

impl Default for TrainParams {
    fn default() -> Self {
        TrainParams {
            tokenizer: TokenizerParams::default(),
            tfidf: TfIdfParams::default(),
            regression: SoftmaxRegressionParams::default(),
            c_grid: vec![0.25, 1.0, 4.0, 16.0, 64.0],
            folds: 5,
            seed: 42,
            solver: Solver::Sparse,
        }
    }
}

/// What the model file records about its training.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    /// What the model classifies (`stance`, `sentiment`, or a user's name).
    pub task: String,
    /// Version of stancekit that trained it.
    pub crate_version: String,
    /// SHA-256 of the training files' bytes.
    pub data_sha256: String,
    /// Number of training rows.
    pub rows: usize,
    /// Rows per label.
    pub label_counts: Vec<(String, usize)>,
    /// Rows whose source and target were both placed in the sentence (pair features).
    pub pair_rows: usize,
    /// Rows with actor columns where a mention could not be placed (plain text features).
    pub pair_fallback_rows: usize,
    /// The chosen C.
    pub c: f64,
    /// The CV table (empty when a single C was given).
    pub cv: Vec<CvRow>,
    /// Folds and seed of the CV.
    pub folds: usize,
    /// Seed of the fold assignment.
    pub seed: u64,
    /// The optimiser used.
    pub solver: Solver,
    /// Class weighting used.
    pub class_weight: super::ClassWeight,
    /// L-BFGS iterations of the final fit.
    pub iterations: u64,
    /// Why the final fit stopped.
    pub stop_reason: String,
    /// Confidence below which a prediction is reported as uncertain, when one was chosen.
    pub abstain_below: Option<f64>,
}

/// A prediction for one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// Index of the predicted label.
    pub label: usize,
    /// Probability of the predicted label.
    pub confidence: f64,
    /// Probability of every label, in label order.
    pub probabilities: Vec<f64>,
}

/// One feature's push toward a label: `value × weight`.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    /// The feature's term.
    pub term: String,
    /// Its TF-IDF value in the document.
    pub value: f64,
    /// Its weight for the label.
    pub weight: f64,
}

/// A trained classifier, ready to label documents.
#[derive(Debug, Clone)]
pub struct Classifier {
    tokenizer: Tokenizer,
    tfidf: TfIdf,
    regression: SoftmaxRegression,
    labels: Vec<String>,
    metadata: Metadata,
}

/// Training input: documents, their labels, and where the data came from.
#[derive(Debug, Clone)]
pub struct TrainingSet<'a> {
    /// Tokenized documents, as term ids.
    pub docs: &'a TermDocs,
    /// One label per document.
    pub labels: &'a [String],
    /// SHA-256 of the training files.
    pub data_sha256: String,
    /// Rows placed with pair features.
    pub pair_rows: usize,
    /// Rows that fell back to plain text features.
    pub pair_fallback_rows: usize,
    /// Task name stored in the metadata.
    pub task: String,
}

fn fit_regression(
    solver: Solver,
    params: &SoftmaxRegressionParams,
    x: SparseRows,
    y: Array1<usize>,
) -> Result<SoftmaxRegression> {
    match solver {
        Solver::Sparse => params.fit(&DatasetBase::new(x, y)),
        Solver::Linfa => reference::fit_dense(params, &x, &y),
    }
}

/// Scratch space of [`Classifier::predict_statement`], reused from row to row.
#[derive(Debug, Default)]
pub struct StatementScratch {
    keys: Vec<u64>,
    extras: Vec<u64>,
    row: Vec<(u32, f64)>,
}

impl Classifier {
    /// Trains a classifier: picks C by stratified k-fold CV (macro-F1), then fits on all rows.
    pub fn train(set: &TrainingSet<'_>, params: &TrainParams) -> Result<Classifier> {
        params.tfidf.check()?;
        params.regression.check()?;
        if set.docs.len() != set.labels.len() {
            return Err(Error::Params("one label per document is needed".into()));
        }
        if params.c_grid.is_empty() {
            return Err(Error::Params("the C grid is empty".into()));
        }
        let mut labels: Vec<String> = set.labels.to_vec();
        labels.sort();
        labels.dedup();
        if labels.len() < 2 {
            return Err(Error::Params(format!(
                "at least two labels are needed, found {labels:?}"
            )));
        }
        let y: Vec<usize> = set
            .labels
            .iter()
            .map(|l| labels.binary_search(l).unwrap_or(0))
            .collect();
        let k = labels.len();
        let base = SoftmaxRegressionParams {
            n_classes: Some(k),
            ..params.regression.clone()
        };
        let (c, cv) = if params.c_grid.len() > 1 {
            let min_class = (0..k)
                .map(|c| y.iter().filter(|&&v| v == c).count())
                .min()
                .unwrap_or(0);
            if params.folds < 2 || min_class < params.folds {
                return Err(Error::Params(format!(
                    "{} folds need at least that many rows of every label (smallest class has {min_class})",
                    params.folds
                )));
            }
            let table = cv_table(set.docs, &y, &labels, params);
            let mut best = 0;
            for (i, row) in table.iter().enumerate() {
                if row.macro_f1 > table[best].macro_f1 + 1e-12 {
                    best = i;
                }
            }
            (table[best].c, table)
        } else {
            (params.c_grid[0], Vec::new())
        };
        let all: Vec<usize> = (0..set.docs.len()).collect();
        let tfidf = params.tfidf.fit_terms(set.docs, &all)?;
        let x = tfidf.transform_terms(set.docs, &all);
        let final_params = SoftmaxRegressionParams { c, ..base };
        let regression = fit_regression(params.solver, &final_params, x, Array1::from(y.clone()))?;
        let label_counts = labels
            .iter()
            .enumerate()
            .map(|(i, l)| (l.clone(), y.iter().filter(|&&v| v == i).count()))
            .collect();
        let metadata = Metadata {
            task: set.task.clone(),
            crate_version: env!("CARGO_PKG_VERSION").to_string(),
            data_sha256: set.data_sha256.clone(),
            rows: set.docs.len(),
            label_counts,
            pair_rows: set.pair_rows,
            pair_fallback_rows: set.pair_fallback_rows,
            c,
            cv,
            folds: params.folds,
            seed: params.seed,
            solver: params.solver,
            class_weight: params.regression.class_weight,
            iterations: regression.iterations(),
            stop_reason: regression.stop_reason().to_string(),
            abstain_below: None,
        };
        Ok(Classifier {
            tokenizer: Tokenizer::new(params.tokenizer.clone()),
            tfidf,
            regression,
            labels,
            metadata,
        })
    }

    /// Reassembles a classifier from its parts (used by the model file reader).
    pub fn from_parts(
        tokenizer: TokenizerParams,
        tfidf: TfIdf,
        regression: SoftmaxRegression,
        labels: Vec<String>,
        metadata: Metadata,
    ) -> Result<Classifier> {
        if regression.n_features() != tfidf.n_features() || regression.n_classes() != labels.len() {
            return Err(Error::Params(format!(
                "model parts disagree: {} features/{} classes vs vocabulary {} and {} labels",
                regression.n_features(),
                regression.n_classes(),
                tfidf.n_features(),
                labels.len()
            )));
        }
        Ok(Classifier {
            tokenizer: Tokenizer::new(tokenizer),
            tfidf,
            regression,
            labels,
            metadata,
        })
    }

    /// The tokenizer.
    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }

    /// The fitted vectorizer.
    pub fn tfidf(&self) -> &TfIdf {
        &self.tfidf
    }

    /// The fitted regression.
    pub fn regression(&self) -> &SoftmaxRegression {
        &self.regression
    }

    /// Labels in model order.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// Training metadata.
    pub fn metadata(&self) -> &Metadata {
        &self.metadata
    }

    /// Sets the confidence below which predictions count as uncertain.
    pub fn set_abstain_below(&mut self, threshold: Option<f64>) {
        self.metadata.abstain_below = threshold;
    }

    /// Predicts one document.
    pub fn predict(&self, doc: &Document) -> Prediction {
        let mut row = Vec::new();
        self.predict_with(doc, &mut row)
    }

    /// Predicts one document, reusing `row` as scratch space.
    pub fn predict_with(&self, doc: &Document, row: &mut Vec<(u32, f64)>) -> Prediction {
        self.tfidf.transform_one(doc, row);
        self.predict_row(row)
    }

    /// Predicts a statement from its text and the spans of its actors (`None`: plain text),
    /// as [`Classifier::predict`] of its document would, but without building the document
    /// when the model allows (see [`statement_keys`]).
    pub fn predict_statement(
        &self,
        text: &str,
        spans: Option<&PairSpans>,
        scratch: &mut StatementScratch,
    ) -> Prediction {
        let StatementScratch { keys, extras, row } = scratch;
        if self.tfidf.has_key_index() && statement_keys(&self.tokenizer, text, spans, keys, extras)
        {
            self.tfidf.transform_keys(keys, extras, row);
        } else {
            let doc = match spans {
                Some(s) => Document::with_pair(&self.tokenizer, text, s),
                None => Document::plain(&self.tokenizer, text),
            };
            self.tfidf.transform_one(&doc, row);
        }
        self.predict_row(row)
    }

    /// Predicts from a row already vectorized by this model's [`TfIdf`].
    pub fn predict_row(&self, row: &[(u32, f64)]) -> Prediction {
        let mut probabilities = vec![0.0; self.labels.len()];
        self.regression.probabilities_of(
            row.iter().map(|&(c, v)| (c as usize, v)),
            &mut probabilities,
        );
        let label = argmax(&probabilities);
        Prediction {
            label,
            confidence: probabilities[label],
            probabilities,
        }
    }

    /// The `n` features that pushed `doc` most toward `label`, largest first.
    pub fn explain(&self, doc: &Document, label: usize, n: usize) -> Vec<Contribution> {
        let mut row = Vec::new();
        self.tfidf.transform_one(doc, &mut row);
        let mut out: Vec<Contribution> = row
            .iter()
            .map(|&(c, v)| Contribution {
                term: self.tfidf.vocabulary()[c as usize].clone(),
                value: v,
                weight: self.regression.weight(c as usize, label),
            })
            .filter(|c| c.value * c.weight > 0.0)
            .collect();
        out.sort_by(|a, b| {
            (b.value * b.weight)
                .total_cmp(&(a.value * a.weight))
                .then_with(|| a.term.cmp(&b.term))
        });
        out.truncate(n);
        out
    }

    /// The `n` largest-weighted terms of each label.
    pub fn top_features(&self, n: usize) -> Vec<(String, Vec<(String, f64)>)> {
        let vocab = self.tfidf.vocabulary();
        self.labels
            .iter()
            .enumerate()
            .map(|(c, l)| {
                let mut terms: Vec<(usize, f64)> = (0..vocab.len())
                    .map(|f| (f, self.regression.weight(f, c)))
                    .collect();
                terms.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                let top = terms
                    .into_iter()
                    .take(n)
                    .map(|(f, w)| (vocab[f].clone(), w))
                    .collect();
                (l.clone(), top)
            })
            .collect()
    }
}

/// How much looser the gradient tolerance of CV fits is than the final fit's.
const CV_TOLERANCE_FACTOR: f64 = 3.0;

/// Stratified k-fold CV of `params` (TF-IDF refitted on each fold) over its C grid.
///
/// `y` indexes `labels`; folds run in parallel and the table is in grid order.
pub fn cv_table(
    docs: &TermDocs,
    y: &[usize],
    labels: &[String],
    params: &TrainParams,
) -> Vec<CvRow> {
    // CV only ranks the C values: a looser tolerance than the final fit's is enough.
    let base = SoftmaxRegressionParams {
        n_classes: Some(labels.len()),
        tolerance: params.regression.tolerance * CV_TOLERANCE_FACTOR,
        ..params.regression.clone()
    };
    cross_validate(y, &params.c_grid, params.folds, params.seed, |tr, te| {
        score_fold(docs, y, labels, tr, te, params, &base)
    })
}

fn score_fold(
    docs: &TermDocs,
    y: &[usize],
    labels: &[String],
    train: &[usize],
    test: &[usize],
    params: &TrainParams,
    base: &SoftmaxRegressionParams,
) -> Vec<(f64, f64)> {
    let Ok(tfidf) = params.tfidf.fit_terms(docs, train) else {
        return vec![(0.0, 0.0); params.c_grid.len()];
    };
    let x_train = tfidf.transform_terms(docs, train);
    let x_test = tfidf.transform_terms(docs, test);
    let y_train: Vec<usize> = train.iter().map(|&i| y[i]).collect();
    let y_test: Vec<usize> = test.iter().map(|&i| y[i]).collect();
    // Ascending C, each fit warm-started from the previous solution.
    let mut order: Vec<usize> = (0..params.c_grid.len()).collect();
    order.sort_by(|&a, &b| params.c_grid[a].total_cmp(&params.c_grid[b]));
    let mut scores = vec![(0.0, 0.0); params.c_grid.len()];
    let mut previous: Option<SoftmaxRegression> = None;
    for g in order {
        let p = SoftmaxRegressionParams {
            c: params.c_grid[g],
            ..base.clone()
        };
        let fitted = match params.solver {
            Solver::Sparse => p.fit_from(&x_train, &y_train, None, previous.as_ref()),
            Solver::Linfa => reference::fit_dense(&p, &x_train, &Array1::from(y_train.clone())),
        };
        if let Ok(model) = fitted {
            let probs = model.predict_probabilities(&x_test);
            let pred: Vec<usize> = probs
                .rows()
                .into_iter()
                .map(|r| argmax(r.as_slice().unwrap_or(&[])))
                .collect();
            let m = Metrics::compute(labels, &y_test, &pred);
            scores[g] = (m.macro_f1, m.accuracy);
            previous = Some(model);
        }
    }
    scores
}
