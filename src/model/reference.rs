//! linfa-logistic's dense solver, kept as the reference for [`SoftmaxRegression`] and as the
//! `--solver linfa` option for small data (it needs `rows × features × 8` bytes).

use linfa::dataset::Dataset;
use linfa::traits::Fit;
use linfa_logistic::MultiLogisticRegression;
use ndarray::Array1;

use crate::error::{Error, Result};
use crate::features::SparseRows;
use crate::model::{ClassWeight, SoftmaxRegression, SoftmaxRegressionParams};

/// Fits the same objective with linfa-logistic on a dense copy of `x`.
///
/// linfa minimises the summed (not mean) loss, so its gradient tolerance is scaled by the
/// number of rows to stop at the same point as the sparse solver.
pub fn fit_dense(
    params: &SoftmaxRegressionParams,
    x: &SparseRows,
    y: &Array1<usize>,
) -> Result<SoftmaxRegression> {
    params.check()?;
    if params.class_weight != ClassWeight::None {
        return Err(Error::Params(
            "the linfa solver does not support class weights; use --solver sparse".into(),
        ));
    }
    let k = params
        .n_classes
        .unwrap_or_else(|| y.iter().max().map_or(0, |m| m + 1));
    let mut present = vec![false; k];
    for &c in y {
        present[c] = true;
    }
    if present.iter().any(|p| !p) {
        return Err(Error::Params(
            "the linfa solver needs every class in the training rows".into(),
        ));
    }
    let dataset = Dataset::new(x.to_dense(), y.clone());
    let fitted = MultiLogisticRegression::default()
        .alpha(1.0 / params.c)
        .max_iterations(params.max_iterations)
        .gradient_tolerance(params.tolerance * y.len() as f64)
        .fit(&dataset)?;
    Ok(SoftmaxRegression::from_dense(
        fitted.params(),
        fitted.intercept(),
        0,
        "linfa".into(),
    ))
}
