//! Stratified k-fold cross-validation over a grid of C values, folds in parallel.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Cross-validated scores of one C value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CvRow {
    /// The C value.
    pub c: f64,
    /// Mean macro-F1 over the folds.
    pub macro_f1: f64,
    /// Standard deviation of macro-F1 over the folds.
    pub macro_f1_std: f64,
    /// Mean accuracy over the folds.
    pub accuracy: f64,
}

/// A small deterministic generator (SplitMix64) for shuffling.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// Seeds the generator.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Shuffles `v` in place (Fisher–Yates).
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// Assigns each row to one of `k` folds so every class is spread evenly; deterministic for a
/// given seed. Returns the test indices of each fold.
pub fn stratified_folds(y: &[usize], k: usize, seed: u64) -> Vec<Vec<usize>> {
    let n_classes = y.iter().copied().max().map_or(0, |m| m + 1);
    let mut rng = SplitMix64::new(seed);
    let k = k.max(1);
    let mut folds = vec![Vec::new(); k];
    for c in 0..n_classes {
        let mut idx: Vec<usize> = (0..y.len()).filter(|&i| y[i] == c).collect();
        rng.shuffle(&mut idx);
        // Each class starts at the next fold, so small classes do not pile up in fold 0.
        for (j, i) in idx.into_iter().enumerate() {
            folds[(j + c) % k].push(i);
        }
    }
    for f in &mut folds {
        f.sort_unstable();
    }
    folds
}

/// Runs `score(train, test)` on each fold in parallel; it returns one `(macro_f1, accuracy)`
/// per C value. Returns the per-C summary in grid order.
pub fn cross_validate<F>(y: &[usize], grid: &[f64], folds: usize, seed: u64, score: F) -> Vec<CvRow>
where
    F: Fn(&[usize], &[usize]) -> Vec<(f64, f64)> + Sync,
{
    let test_sets = stratified_folds(y, folds, seed);
    let per_fold: Vec<Vec<(f64, f64)>> = test_sets
        .par_iter()
        .map(|test| {
            let mut in_test = vec![false; y.len()];
            for &i in test {
                in_test[i] = true;
            }
            let train: Vec<usize> = (0..y.len()).filter(|&i| !in_test[i]).collect();
            score(&train, test)
        })
        .collect();
    grid.iter()
        .enumerate()
        .map(|(g, &c)| {
            let f1s: Vec<f64> = per_fold.iter().map(|f| f[g].0).collect();
            let mean = f1s.iter().sum::<f64>() / f1s.len() as f64;
            let var = f1s.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / f1s.len() as f64;
            let acc = per_fold.iter().map(|f| f[g].1).sum::<f64>() / per_fold.len() as f64;
            CvRow {
                c,
                macro_f1: mean,
                macro_f1_std: var.sqrt(),
                accuracy: acc,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_are_stratified_and_cover_every_row_once() {
        let y: Vec<usize> = (0..100).map(|i| usize::from(i % 4 == 0)).collect();
        let folds = stratified_folds(&y, 5, 7);
        let mut all: Vec<usize> = folds.iter().flatten().copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..100).collect::<Vec<_>>());
        for f in &folds {
            assert_eq!(f.iter().filter(|&&i| y[i] == 1).count(), 5);
        }
        assert_eq!(folds, stratified_folds(&y, 5, 7));
    }
}
