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

#[cfg(test)]
mod tests {
    use linfa::dataset::DatasetBase;
    use linfa::traits::Fit;

    use super::*;
    use crate::features::{Document, TfIdfParams};
    use crate::text::{Tokenizer, TokenizerParams};

    /// Both solvers minimise the same objective, so on small data they reach the same weights
    /// and probabilities.
    #[test]
    fn sparse_solver_agrees_with_linfa_logistic() {
        let texts = [
            "Oslo praised Nairobi for its aid",
            "Quito thanked Lima for help and aid",
            "Accra sent aid and praise to Lome",
            "Belgrade accused Zagreb of an attack",
            "Delhi condemned the attack by Islamabad",
            "Baku warned Yerevan over the attack",
            "Athens offered talks to Ankara",
            "Doha restored ties and offered talks",
            "Kigali apologised and offered talks to Gitega",
            "Seoul praised Tokyo and sent aid",
            "Caracas condemned Georgetown and warned of attack",
            "Bangkok eased curbs after talks with Phnom Penh",
        ];
        let y = Array1::from(vec![0, 0, 0, 1, 1, 1, 2, 2, 2, 0, 1, 2]);
        let tok = Tokenizer::new(TokenizerParams::default());
        let docs: Vec<Document> = texts.iter().map(|t| Document::plain(&tok, t)).collect();
        let refs: Vec<&Document> = docs.iter().collect();
        let tfidf = TfIdfParams {
            min_df: 1,
            ..TfIdfParams::default()
        }
        .fit(&refs)
        .unwrap();
        let x = tfidf.transform(&refs);
        let params = SoftmaxRegressionParams {
            c: 2.0,
            tolerance: 1e-10,
            max_iterations: 2000,
            ..SoftmaxRegressionParams::default()
        };
        let sparse = params.fit(&DatasetBase::new(x.clone(), y.clone())).unwrap();
        let linfa = fit_dense(&params, &x, &y).unwrap();
        let (ws, wl) = (sparse.weights(), linfa.weights());
        let max_w = ws
            .iter()
            .zip(wl.iter())
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        assert!(max_w < 1e-4, "weights differ by {max_w}");
        for (a, b) in sparse.intercept().iter().zip(linfa.intercept()) {
            assert!((a - b).abs() < 1e-4);
        }
        let (ps, pl) = (
            sparse.predict_probabilities(&x),
            linfa.predict_probabilities(&x),
        );
        let max_p = ps
            .iter()
            .zip(pl.iter())
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        assert!(max_p < 1e-4, "probabilities differ by {max_p}");
        assert_eq!(sparse.stop_reason(), "converged");
    }
}
