//! Multinomial logistic regression on sparse rows.
//!
//! The objective is linfa-logistic's `MultiLogisticRegression` (softmax log-loss plus
//! `alpha / 2 · ‖W‖²`, intercept unpenalised, `alpha = 1 / C`), divided by the (weighted)
//! number of rows so the gradient tolerance means the same at any data size. It is minimised
//! with argmin's L-BFGS and More-Thuente line search, as linfa-logistic does, but the loss
//! and gradient touch only the non-zeros of each row.

use std::sync::Mutex;

use rayon::prelude::*;

use argmin::core::{CostFunction, Executor, Gradient, State, TerminationReason, TerminationStatus};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use linfa::dataset::DatasetBase;
use linfa::traits::{Fit, Predict, PredictInplace};
use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::features::SparseRows;
use crate::model::params::{self, ParamVec};

/// How rows are weighted by their class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum ClassWeight {
    /// Every row counts once.
    None,
    /// Rows weighted by `n / (k · count(class))`, as scikit-learn's `balanced`.
    Balanced,
}

/// Hyper-parameters of [`SoftmaxRegression`]. Defaults: `c` 4, 500 iterations, gradient
/// tolerance 1e-3, history 5, no class weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SoftmaxRegressionParams {
    /// Inverse regularisation strength (`alpha = 1 / c`).
    pub c: f64,
    /// Maximum number of L-BFGS iterations.
    pub max_iterations: u64,
    /// Stop when the gradient norm of the mean objective falls below this.
    pub tolerance: f64,
    /// L-BFGS history length.
    pub history: usize,
    /// Class weighting.
    pub class_weight: ClassWeight,
    /// Number of classes; when `None`, one more than the largest target.
    pub n_classes: Option<usize>,
}

impl Default for SoftmaxRegressionParams {
    fn default() -> Self {
        SoftmaxRegressionParams {
            c: 4.0,
            max_iterations: 500,
            tolerance: 1e-3,
            history: 5,
            class_weight: ClassWeight::None,
            n_classes: None,
        }
    }
}

impl SoftmaxRegressionParams {
    /// Checks the settings.
    pub fn check(&self) -> Result<()> {
        if !(self.c.is_finite() && self.c > 0.0) {
            return Err(Error::Params(format!("C must be positive, got {}", self.c)));
        }
        if !(self.tolerance.is_finite() && self.tolerance > 0.0) {
            return Err(Error::Params(format!(
                "tolerance must be positive, got {}",
                self.tolerance
            )));
        }
        if self.history == 0 || self.max_iterations == 0 {
            return Err(Error::Params(
                "history and max_iterations must be at least 1".into(),
            ));
        }
        Ok(())
    }

    /// The per-row weights implied by `class_weight`.
    pub fn sample_weights(&self, y: &[usize], n_classes: usize) -> Vec<f64> {
        match self.class_weight {
            ClassWeight::None => vec![1.0; y.len()],
            ClassWeight::Balanced => {
                let mut counts = vec![0usize; n_classes];
                for &c in y {
                    counts[c] += 1;
                }
                let present = counts.iter().filter(|&&c| c > 0).count().max(1);
                y.iter()
                    .map(|&c| y.len() as f64 / (present as f64 * counts[c] as f64))
                    .collect()
            }
        }
    }
}

/// A fitted multinomial logistic regression.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SoftmaxRegression {
    n_features: usize,
    n_classes: usize,
    /// Feature-major weights: `weights[f * n_classes + c]`.
    weights: Vec<f64>,
    intercept: Vec<f64>,
    iterations: u64,
    stop_reason: String,
}

/// Rows per block of the parallel loss and gradient.
const ROW_BLOCK: usize = 4096;

/// The version of the parameters last evaluated, with their cost and gradient.
type Evaluation = (u64, f64, ParamVec);

struct Objective<'a> {
    x: &'a SparseRows,
    y: &'a [usize],
    sample_weight: &'a [f64],
    total_weight: f64,
    n_classes: usize,
    alpha: f64,
    cache: Mutex<Option<Evaluation>>,
    /// One gradient buffer per block of a wave (as many as threads, at most one per block).
    scratch: Vec<Mutex<Vec<f64>>>,
}

impl Objective<'_> {
    /// Calls `f` with the cost and gradient at `p`, computed once for the cost and the
    /// gradient call that argmin makes at the same parameters.
    fn with_evaluation<R>(&self, p: &ParamVec, f: impl FnOnce(f64, &ParamVec) -> R) -> R {
        let mut guard = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((version, cost, grad)) = guard.as_ref() {
            if *version == p.version() {
                return f(*cost, grad);
            }
        }
        let (cost, grad) = self.evaluate(p);
        let out = f(cost, &grad);
        *guard = Some((p.version(), cost, grad));
        out
    }

    fn evaluate(&self, p: &ParamVec) -> (f64, ParamVec) {
        let k = self.n_classes;
        let d = self.x.0.cols();
        let n = self.x.0.rows();
        // Fixed row blocks summed in block order: the result does not depend on the number
        // of threads, so training stays deterministic. Blocks run in waves of one per
        // scratch buffer, so memory does not grow with the number of rows.
        let blocks: Vec<(usize, usize)> = (0..n)
            .step_by(ROW_BLOCK)
            .map(|s| (s, (s + ROW_BLOCK).min(n)))
            .collect();
        let mut loss = 0.0;
        let mut grad = ParamVec::new(Vec::new());
        for (w, wave) in blocks.chunks(self.scratch.len()).enumerate() {
            let losses: Vec<f64> = wave
                .par_iter()
                .zip(&self.scratch)
                .map(|(&(lo, hi), buf)| {
                    let mut buf = buf.lock().unwrap_or_else(|e| e.into_inner());
                    self.block_loss_grad(p, lo, hi, &mut buf)
                })
                .collect();
            for (i, (l, buf)) in losses.into_iter().zip(&self.scratch).enumerate() {
                let buf = buf.lock().unwrap_or_else(|e| e.into_inner());
                if w == 0 && i == 0 {
                    // 0 + x is x (no block gradient holds -0): the first block is copied.
                    loss = l;
                    let mut first = params::take_buffer(buf.len());
                    first.extend_from_slice(&buf);
                    grad = ParamVec::new(first);
                } else {
                    loss += l;
                    for (a, b) in grad.iter_mut().zip(buf.iter()) {
                        *a += b;
                    }
                }
            }
        }
        let inv = 1.0 / self.total_weight;
        let weights = &p[..d * k];
        let penalty = params::lane_sum(weights, weights, |w, _| w * w);
        for (g, &w) in grad[..d * k].iter_mut().zip(weights) {
            *g = (*g + self.alpha * w) * inv;
        }
        for g in &mut grad[d * k..] {
            *g *= inv;
        }
        let cost = (loss + 0.5 * self.alpha * penalty) * inv;
        (cost, grad)
    }

    /// Weighted log-loss over rows `lo..hi`, and its gradient (unscaled, unpenalised)
    /// written into `grad`.
    fn block_loss_grad(&self, p: &[f64], lo: usize, hi: usize, grad: &mut [f64]) -> f64 {
        // Common class counts get a loop of constant length the compiler unrolls.
        match self.n_classes {
            2 => self.block_loss_grad_k::<2>(p, lo, hi, grad),
            3 => self.block_loss_grad_k::<3>(p, lo, hi, grad),
            4 => self.block_loss_grad_k::<4>(p, lo, hi, grad),
            _ => self.block_loss_grad_k::<0>(p, lo, hi, grad),
        }
    }

    /// [`Objective::block_loss_grad`] for `K` classes (`K = 0`: any number).
    fn block_loss_grad_k<const K: usize>(
        &self,
        p: &[f64],
        lo: usize,
        hi: usize,
        grad: &mut [f64],
    ) -> f64 {
        let k = if K > 0 { K } else { self.n_classes };
        let d = self.x.0.cols();
        let indptr = self.x.0.indptr();
        let indptr = indptr.raw_storage();
        let (indices, data) = (self.x.0.indices(), self.x.0.data());
        grad.fill(0.0);
        let mut loss = 0.0;
        let mut z = vec![0.0; k];
        let intercept = &p[d * k..d * k + k];
        for i in lo..hi {
            let (a, b) = (indptr[i], indptr[i + 1]);
            let (cols, vals) = (&indices[a..b], &data[a..b]);
            z.copy_from_slice(intercept);
            for (&col, &v) in cols.iter().zip(vals) {
                let w = &p[col * k..col * k + k];
                for c in 0..k {
                    z[c] += v * w[c];
                }
            }
            let max = z.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            let mut sum = 0.0;
            for zc in z.iter_mut() {
                *zc = (*zc - max).exp();
                sum += *zc;
            }
            let s = self.sample_weight[i];
            let yi = self.y[i];
            loss -= s * ((z[yi] / sum).ln());
            for (c, zc) in z.iter_mut().enumerate() {
                *zc = s * (*zc / sum - if c == yi { 1.0 } else { 0.0 });
            }
            for (&col, &v) in cols.iter().zip(vals) {
                let g = &mut grad[col * k..col * k + k];
                for c in 0..k {
                    g[c] += v * z[c];
                }
            }
            for c in 0..k {
                grad[d * k + c] += z[c];
            }
        }
        loss
    }
}

impl CostFunction for Objective<'_> {
    type Param = ParamVec;
    type Output = f64;
    fn cost(&self, p: &ParamVec) -> std::result::Result<f64, argmin::core::Error> {
        Ok(self.with_evaluation(p, |cost, _| cost))
    }
}

impl Gradient for Objective<'_> {
    type Param = ParamVec;
    type Gradient = ParamVec;
    fn gradient(&self, p: &ParamVec) -> std::result::Result<ParamVec, argmin::core::Error> {
        Ok(self.with_evaluation(p, |_, grad| grad.clone()))
    }
}

fn stop_reason_text(status: &TerminationStatus) -> String {
    match status {
        TerminationStatus::Terminated(TerminationReason::SolverConverged) => "converged".into(),
        TerminationStatus::Terminated(TerminationReason::MaxItersReached) => {
            "max-iterations".into()
        }
        TerminationStatus::Terminated(r) => r.text().to_lowercase(),
        TerminationStatus::NotTerminated => "not-terminated".into(),
    }
}

impl Fit<SparseRows, Array1<usize>, Error> for SoftmaxRegressionParams {
    type Object = SoftmaxRegression;

    /// Fits on sparse rows and class indices; the dataset's weights, when set, multiply the
    /// class weights.
    fn fit(&self, dataset: &DatasetBase<SparseRows, Array1<usize>>) -> Result<SoftmaxRegression> {
        let y = dataset
            .targets()
            .as_slice()
            .ok_or_else(|| Error::Params("targets must be contiguous".into()))?;
        self.fit_from(dataset.records(), y, dataset.weights(), None)
    }
}

impl SoftmaxRegressionParams {
    /// Fits starting from `init` (a model of the same shape, e.g. the solution for a nearby
    /// C) instead of zeros; `weights` multiply the class weights.
    pub fn fit_from(
        &self,
        x: &SparseRows,
        y: &[usize],
        weights: Option<&[f32]>,
        init: Option<&SoftmaxRegression>,
    ) -> Result<SoftmaxRegression> {
        self.check()?;
        if x.0.rows() != y.len() {
            return Err(Error::Params(format!(
                "{} rows but {} targets",
                x.0.rows(),
                y.len()
            )));
        }
        if y.is_empty() {
            return Err(Error::Params("no training rows".into()));
        }
        let max_y = y.iter().copied().max().unwrap_or(0);
        let k = self.n_classes.unwrap_or(max_y + 1);
        if max_y >= k || k < 2 {
            return Err(Error::Params(format!(
                "targets need at least 2 classes below n_classes={k}"
            )));
        }
        let mut sample_weight = self.sample_weights(y, k);
        if let Some(w) = weights {
            for (s, &wi) in sample_weight.iter_mut().zip(w) {
                *s *= wi as f64;
            }
        }
        let d = x.0.cols();
        let objective = Objective {
            x,
            y,
            total_weight: sample_weight.iter().sum::<f64>().max(f64::MIN_POSITIVE),
            sample_weight: &sample_weight,
            n_classes: k,
            alpha: 1.0 / self.c,
            cache: Mutex::new(None),
            scratch: (0..rayon::current_num_threads().min(y.len().div_ceil(ROW_BLOCK)))
                .map(|_| Mutex::new(vec![0.0; (d + 1) * k]))
                .collect(),
        };
        let solver = LBFGS::new(MoreThuenteLineSearch::new(), self.history)
            .with_tolerance_grad(self.tolerance)
            .and_then(|s| s.with_tolerance_cost(1e-12))
            .map_err(|e| Error::Optimizer(e.to_string()))?;
        let start = match init {
            Some(m) if m.n_features == d && m.n_classes == k => {
                let mut v = params::take_buffer((d + 1) * k);
                v.extend_from_slice(&m.weights);
                v.extend_from_slice(&m.intercept);
                ParamVec::new(v)
            }
            _ => ParamVec::zeros((d + 1) * k),
        };
        let result = Executor::new(objective, solver)
            .configure(|s| s.param(start).max_iters(self.max_iterations))
            .run()
            .map_err(|e| Error::Optimizer(e.to_string()))?;
        let state = result.state();
        let best = state
            .get_best_param()
            .ok_or_else(|| Error::Optimizer("no parameters were found".into()))?;
        let model = SoftmaxRegression {
            n_features: d,
            n_classes: k,
            weights: best[..d * k].to_vec(),
            intercept: best[d * k..].to_vec(),
            iterations: state.get_iter(),
            stop_reason: stop_reason_text(state.get_termination_status()),
        };
        drop(result);
        params::release_pool();
        Ok(model)
    }
}

impl SoftmaxRegression {
    /// Builds a model from a dense weight matrix (`n_features × n_classes`) and intercepts.
    pub fn from_dense(
        weights: &Array2<f64>,
        intercept: &Array1<f64>,
        iterations: u64,
        stop_reason: String,
    ) -> Self {
        let (d, k) = weights.dim();
        SoftmaxRegression {
            n_features: d,
            n_classes: k,
            weights: weights.iter().copied().collect(),
            intercept: intercept.to_vec(),
            iterations,
            stop_reason,
        }
    }

    /// Number of feature columns.
    pub fn n_features(&self) -> usize {
        self.n_features
    }

    /// Number of classes.
    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    /// The weight of feature `f` for class `c`.
    pub fn weight(&self, f: usize, c: usize) -> f64 {
        self.weights[f * self.n_classes + c]
    }

    /// Weights as a dense `n_features × n_classes` matrix.
    pub fn weights(&self) -> Array2<f64> {
        Array2::from_shape_vec((self.n_features, self.n_classes), self.weights.clone())
            .unwrap_or_else(|_| Array2::zeros((self.n_features, self.n_classes)))
    }

    /// Intercept per class.
    pub fn intercept(&self) -> &[f64] {
        &self.intercept
    }

    /// L-BFGS iterations used.
    pub fn iterations(&self) -> u64 {
        self.iterations
    }

    /// Why the optimiser stopped (`converged`, `max-iterations`, ...).
    pub fn stop_reason(&self) -> &str {
        &self.stop_reason
    }

    /// Class probabilities of one sparse row given as `(column, value)` pairs.
    pub fn probabilities_of(&self, row: impl IntoIterator<Item = (usize, f64)>, out: &mut [f64]) {
        let k = self.n_classes;
        out.copy_from_slice(&self.intercept);
        for (col, v) in row {
            if col < self.n_features {
                let w = &self.weights[col * k..col * k + k];
                for c in 0..k {
                    out[c] += v * w[c];
                }
            }
        }
        let max = out.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let mut sum = 0.0;
        for o in out.iter_mut() {
            *o = (*o - max).exp();
            sum += *o;
        }
        for o in out.iter_mut() {
            *o /= sum;
        }
    }

    /// Class probabilities of every row (`rows × n_classes`).
    pub fn predict_probabilities(&self, x: &SparseRows) -> Array2<f64> {
        let mut out = Array2::zeros((x.0.rows(), self.n_classes));
        let mut p = vec![0.0; self.n_classes];
        for (i, row) in x.0.outer_iterator().enumerate() {
            self.probabilities_of(row.iter().map(|(c, &v)| (c, v)), &mut p);
            out.row_mut(i).iter_mut().zip(&p).for_each(|(o, &v)| *o = v);
        }
        out
    }
}

/// Index of the largest value (first on ties).
pub fn argmax(p: &[f64]) -> usize {
    let mut best = 0;
    for (i, &v) in p.iter().enumerate() {
        if v > p[best] {
            best = i;
        }
    }
    best
}

impl PredictInplace<SparseRows, Array1<usize>> for SoftmaxRegression {
    fn predict_inplace(&self, x: &SparseRows, y: &mut Array1<usize>) {
        let probs = self.predict_probabilities(x);
        for (yi, row) in y.iter_mut().zip(probs.rows()) {
            *yi = argmax(row.as_slice().unwrap_or(&[]));
        }
    }

    fn default_target(&self, x: &SparseRows) -> Array1<usize> {
        Array1::zeros(x.0.rows())
    }
}

impl Predict<&SparseRows, Array1<usize>> for SoftmaxRegression {
    fn predict(&self, x: &SparseRows) -> Array1<usize> {
        let mut y = self.default_target(x);
        self.predict_inplace(x, &mut y);
        y
    }
}
