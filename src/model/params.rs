//! The parameter vector that argmin's L-BFGS works on, backed by a per-thread buffer pool.
//!
//! argmin's vector arithmetic returns a new vector from every operation (about 25 per L-BFGS
//! iteration). With `Vec<f64>` each of those is a fresh allocation of `(features + 1) ·
//! classes` numbers that the operating system must zero and map, which cost more than the
//! sparse gradient itself. [`ParamVec`] takes its buffers from a small pool of this thread
//! and gives them back when dropped, so a fit reuses the same few dozen buffers. Every
//! operation computes exactly what argmin-math's `Vec<f64>` implementation computes, in the
//! same order, so fitted models are identical to the byte.

use std::cell::RefCell;
use std::ops::{Deref, DerefMut};

use argmin_math::{
    ArgminAdd, ArgminDot, ArgminL1Norm, ArgminL2Norm, ArgminMinMax, ArgminMul, ArgminSignum,
    ArgminSub, ArgminZeroLike,
};

/// Most buffers a thread keeps for reuse; L-BFGS with history `m` holds about `2m + 12`
/// live vectors, so this covers the default history of 5 with room to spare.
const POOL_LIMIT: usize = 40;

thread_local! {
    static POOL: RefCell<Vec<Vec<f64>>> = const { RefCell::new(Vec::new()) };
}

/// An empty buffer with room for `len` numbers, from this thread's pool when it has one.
pub(crate) fn take_buffer(len: usize) -> Vec<f64> {
    let mut buf = POOL
        .try_with(|p| p.borrow_mut().pop())
        .ok()
        .flatten()
        .unwrap_or_default();
    buf.clear();
    buf.reserve(len);
    buf
}

/// A buffer of `len` zeros, from this thread's pool when it has one.
pub(crate) fn zeroed_buffer(len: usize) -> Vec<f64> {
    let mut buf = take_buffer(len);
    buf.resize(len, 0.0);
    buf
}

/// Returns a buffer to this thread's pool (or frees it when the pool is full).
pub(crate) fn give_buffer(buf: Vec<f64>) {
    if buf.capacity() == 0 {
        return;
    }
    let _ = POOL.try_with(|p| {
        let mut pool = p.borrow_mut();
        if pool.len() < POOL_LIMIT {
            pool.push(buf);
        }
    });
}

/// Frees the buffers this thread keeps, e.g. once a fit is done.
pub(crate) fn release_pool() {
    let _ = POOL.try_with(|p| p.borrow_mut().clear());
}

/// A dense parameter (or gradient) vector for argmin, pooled per thread.
#[derive(Debug, PartialEq)]
pub struct ParamVec(Vec<f64>);

impl ParamVec {
    /// Wraps a vector (its buffer joins the pool when the `ParamVec` is dropped).
    pub fn new(values: Vec<f64>) -> Self {
        ParamVec(values)
    }

    /// A vector of `len` zeros.
    pub fn zeros(len: usize) -> Self {
        ParamVec(zeroed_buffer(len))
    }

    /// The values as a plain vector (the buffer leaves the pool).
    pub fn into_vec(mut self) -> Vec<f64> {
        std::mem::take(&mut self.0)
    }

    fn map(&self, f: impl Fn(f64) -> f64) -> Self {
        let mut out = take_buffer(self.0.len());
        out.extend(self.0.iter().map(|&a| f(a)));
        ParamVec(out)
    }

    fn zip_map(&self, other: &Self, f: impl Fn(f64, f64) -> f64) -> Self {
        assert_eq!(self.0.len(), other.0.len(), "vectors of different lengths");
        let mut out = take_buffer(self.0.len());
        out.extend(self.0.iter().zip(&other.0).map(|(&a, &b)| f(a, b)));
        ParamVec(out)
    }
}

impl Drop for ParamVec {
    fn drop(&mut self) {
        give_buffer(std::mem::take(&mut self.0));
    }
}

impl Clone for ParamVec {
    fn clone(&self) -> Self {
        let mut out = take_buffer(self.0.len());
        out.extend_from_slice(&self.0);
        ParamVec(out)
    }
}

impl Deref for ParamVec {
    type Target = [f64];
    fn deref(&self) -> &[f64] {
        &self.0
    }
}

impl DerefMut for ParamVec {
    fn deref_mut(&mut self) -> &mut [f64] {
        &mut self.0
    }
}

impl ArgminAdd<ParamVec, ParamVec> for ParamVec {
    fn add(&self, other: &ParamVec) -> ParamVec {
        self.zip_map(other, |a, b| a + b)
    }
}

impl ArgminAdd<f64, ParamVec> for ParamVec {
    fn add(&self, other: &f64) -> ParamVec {
        self.map(|a| a + other)
    }
}

impl ArgminSub<ParamVec, ParamVec> for ParamVec {
    fn sub(&self, other: &ParamVec) -> ParamVec {
        self.zip_map(other, |a, b| a - b)
    }
}

impl ArgminSub<f64, ParamVec> for ParamVec {
    fn sub(&self, other: &f64) -> ParamVec {
        self.map(|a| a - other)
    }
}

impl ArgminMul<ParamVec, ParamVec> for ParamVec {
    fn mul(&self, other: &ParamVec) -> ParamVec {
        self.zip_map(other, |a, b| a * b)
    }
}

impl ArgminMul<f64, ParamVec> for ParamVec {
    fn mul(&self, other: &f64) -> ParamVec {
        self.map(|a| a * other)
    }
}

/// Scalar times vector, which argmin's `scaled_add` is built on.
impl ArgminMul<ParamVec, ParamVec> for f64 {
    fn mul(&self, other: &ParamVec) -> ParamVec {
        other.map(|a| a * self)
    }
}

impl ArgminDot<ParamVec, f64> for ParamVec {
    fn dot(&self, other: &ParamVec) -> f64 {
        self.0.iter().zip(&other.0).map(|(a, b)| a * b).sum()
    }
}

impl ArgminL1Norm<f64> for ParamVec {
    fn l1_norm(&self) -> f64 {
        self.0.iter().map(|a| a.abs()).sum()
    }
}

impl ArgminL2Norm<f64> for ParamVec {
    fn l2_norm(&self) -> f64 {
        self.0.iter().map(|a| a.powi(2)).sum::<f64>().sqrt()
    }
}

impl ArgminSignum for ParamVec {
    fn signum(mut self) -> Self {
        for x in self.0.iter_mut() {
            *x = x.signum();
        }
        self
    }
}

impl ArgminZeroLike for ParamVec {
    fn zero_like(&self) -> Self {
        ParamVec::zeros(self.0.len())
    }
}

impl ArgminMinMax for ParamVec {
    fn min(x: &Self, y: &Self) -> Self {
        x.zip_map(y, |a, b| if a < b { a } else { b })
    }
    fn max(x: &Self, y: &Self) -> Self {
        x.zip_map(y, |a, b| if a > b { a } else { b })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(v: &ParamVec) -> Vec<f64> {
        v.to_vec()
    }

    #[test]
    fn operations_match_argmin_math_on_vec() {
        let a: Vec<f64> = (0..37).map(|i| (i as f64 * 0.37).sin() * 3.0).collect();
        let b: Vec<f64> = (0..37).map(|i| (i as f64 * 1.3).cos() - 0.2).collect();
        let (pa, pb) = (ParamVec::new(a.clone()), ParamVec::new(b.clone()));
        assert_eq!(
            plain(&pa.add(&pb)),
            ArgminAdd::<Vec<f64>, Vec<f64>>::add(&a, &b)
        );
        assert_eq!(
            plain(&pa.sub(&pb)),
            ArgminSub::<Vec<f64>, Vec<f64>>::sub(&a, &b)
        );
        assert_eq!(
            plain(&pa.mul(&pb)),
            ArgminMul::<Vec<f64>, Vec<f64>>::mul(&a, &b)
        );
        assert_eq!(
            plain(&pa.mul(&0.7)),
            ArgminMul::<f64, Vec<f64>>::mul(&a, &0.7)
        );
        assert_eq!(
            plain(&pa.add(&0.7)),
            ArgminAdd::<f64, Vec<f64>>::add(&a, &0.7)
        );
        assert_eq!(
            plain(&pa.sub(&0.7)),
            ArgminSub::<f64, Vec<f64>>::sub(&a, &0.7)
        );
        assert_eq!(
            plain(&ArgminMul::<ParamVec, ParamVec>::mul(&0.7, &pb)),
            ArgminMul::<Vec<f64>, Vec<f64>>::mul(&0.7, &b)
        );
        assert_eq!(pa.dot(&pb), ArgminDot::<Vec<f64>, f64>::dot(&a, &b));
        assert_eq!(pa.l1_norm(), ArgminL1Norm::<f64>::l1_norm(&a));
        assert_eq!(pa.l2_norm(), ArgminL2Norm::<f64>::l2_norm(&a));
        assert_eq!(plain(&ParamVec::max(&pa, &pb)), <Vec<f64>>::max(&a, &b));
        assert_eq!(plain(&ParamVec::min(&pa, &pb)), <Vec<f64>>::min(&a, &b));
        assert_eq!(plain(&pa.clone().signum()), a.clone().signum());
        assert_eq!(plain(&pa.zero_like()), a.zero_like());
    }

    #[test]
    fn dropped_vectors_are_reused() {
        release_pool();
        let v = ParamVec::zeros(1000);
        let ptr = v.as_ptr();
        drop(v);
        let w = ParamVec::zeros(500);
        assert_eq!(w.as_ptr(), ptr);
        assert!(w.iter().all(|&x| x == 0.0));
        assert_eq!(w.len(), 500);
        release_pool();
    }
}
