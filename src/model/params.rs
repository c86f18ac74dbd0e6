//! The parameter vector that argmin's L-BFGS works on, backed by a per-thread buffer pool.
//!
//! argmin's vector arithmetic returns a new vector from every operation (about 25 per L-BFGS
//! iteration). With `Vec<f64>` each of those is a fresh allocation of `(features + 1) ·
//! classes` numbers that the operating system must zero and map, which cost more than the
//! sparse gradient itself. [`ParamVec`] takes its buffers from a small pool of this thread
//! and gives them back when dropped, so a fit reuses the same few dozen buffers. Element-wise
//! operations compute exactly what argmin-math's `Vec<f64>` implementation computes; sums
//! (dot products, norms) run in eight lanes (see [`lane_sum`]), which is several times faster
//! and as deterministic, but rounds differently in the last bits.

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

/// The sum of `f(a[i], b[i])` over `i`, in eight interleaved lanes combined in a fixed
/// order. A left-to-right sum waits for each addition before the next (about four cycles
/// per number); eight independent lanes let the additions overlap and vectorise. The
/// result is the same on every run and machine, but not bit for bit a left-to-right sum.
pub(crate) fn lane_sum(a: &[f64], b: &[f64], f: impl Fn(f64, f64) -> f64) -> f64 {
    const LANES: usize = 8;
    assert_eq!(a.len(), b.len(), "vectors of different lengths");
    let mut acc = [0.0; LANES];
    let (a_body, a_tail) = a.split_at(a.len() - a.len() % LANES);
    let (b_body, b_tail) = b.split_at(a_body.len());
    for (x, y) in a_body.chunks_exact(LANES).zip(b_body.chunks_exact(LANES)) {
        for l in 0..LANES {
            acc[l] += f(x[l], y[l]);
        }
    }
    let mut tail = 0.0;
    for (&x, &y) in a_tail.iter().zip(b_tail) {
        tail += f(x, y);
    }
    ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7])) + tail
}

/// Frees the buffers this thread keeps, e.g. once a fit is done.
pub(crate) fn release_pool() {
    let _ = POOL.try_with(|p| p.borrow_mut().clear());
}

/// A dense parameter (or gradient) vector for argmin, pooled per thread.
///
/// Each vector carries a version: a fresh one whenever its values are made or changed,
/// the same one in its clones. Equal versions mean equal values, so the objective can
/// recognise parameters it has just evaluated without comparing them number by number.
#[derive(Debug)]
pub struct ParamVec {
    values: Vec<f64>,
    version: u64,
}

/// The next fresh [`ParamVec`] version.
fn next_version() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

impl ParamVec {
    /// Wraps a vector (its buffer joins the pool when the `ParamVec` is dropped).
    pub fn new(values: Vec<f64>) -> Self {
        ParamVec {
            values,
            version: next_version(),
        }
    }

    /// A vector of `len` zeros.
    pub fn zeros(len: usize) -> Self {
        ParamVec::new(zeroed_buffer(len))
    }

    /// The version of the values: equal versions mean equal values.
    pub fn version(&self) -> u64 {
        self.version
    }

    fn map(&self, f: impl Fn(f64) -> f64) -> Self {
        let mut out = take_buffer(self.values.len());
        out.extend(self.values.iter().map(|&a| f(a)));
        ParamVec::new(out)
    }

    fn zip_map(&self, other: &Self, f: impl Fn(f64, f64) -> f64) -> Self {
        assert_eq!(
            self.values.len(),
            other.values.len(),
            "vectors of different lengths"
        );
        let mut out = take_buffer(self.values.len());
        out.extend(
            self.values
                .iter()
                .zip(&other.values)
                .map(|(&a, &b)| f(a, b)),
        );
        ParamVec::new(out)
    }
}

impl Drop for ParamVec {
    fn drop(&mut self) {
        give_buffer(std::mem::take(&mut self.values));
    }
}

impl Clone for ParamVec {
    fn clone(&self) -> Self {
        let mut out = take_buffer(self.values.len());
        out.extend_from_slice(&self.values);
        ParamVec {
            values: out,
            version: self.version,
        }
    }
}

impl Deref for ParamVec {
    type Target = [f64];
    fn deref(&self) -> &[f64] {
        &self.values
    }
}

impl DerefMut for ParamVec {
    /// Mutable access: the values may change, so they get a fresh version.
    fn deref_mut(&mut self) -> &mut [f64] {
        self.version = next_version();
        &mut self.values
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
        lane_sum(&self.values, &other.values, |a, b| a * b)
    }
}

impl ArgminL1Norm<f64> for ParamVec {
    fn l1_norm(&self) -> f64 {
        lane_sum(&self.values, &self.values, |a, _| a.abs())
    }
}

impl ArgminL2Norm<f64> for ParamVec {
    fn l2_norm(&self) -> f64 {
        lane_sum(&self.values, &self.values, |a, _| a * a).sqrt()
    }
}

impl ArgminSignum for ParamVec {
    fn signum(mut self) -> Self {
        for x in self.iter_mut() {
            *x = x.signum();
        }
        self
    }
}

impl ArgminZeroLike for ParamVec {
    fn zero_like(&self) -> Self {
        ParamVec::zeros(self.values.len())
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
        let close = |x: f64, y: f64| (x - y).abs() <= 1e-12 * y.abs().max(1.0);
        assert!(close(pa.dot(&pb), ArgminDot::<Vec<f64>, f64>::dot(&a, &b)));
        assert!(close(pa.l1_norm(), ArgminL1Norm::<f64>::l1_norm(&a)));
        assert!(close(pa.l2_norm(), ArgminL2Norm::<f64>::l2_norm(&a)));
        assert_eq!(plain(&ParamVec::max(&pa, &pb)), <Vec<f64>>::max(&a, &b));
        assert_eq!(plain(&ParamVec::min(&pa, &pb)), <Vec<f64>>::min(&a, &b));
        assert_eq!(plain(&pa.clone().signum()), a.clone().signum());
        assert_eq!(plain(&pa.zero_like()), a.zero_like());
    }

    #[test]
    fn lane_sums_cover_every_element_in_a_fixed_order() {
        for n in [0, 1, 7, 8, 9, 64, 1001] {
            let a: Vec<f64> = (0..n).map(|i| 1.0 + i as f64).collect();
            let want: f64 = a.iter().sum();
            assert_eq!(lane_sum(&a, &a, |x, _| x), want);
        }
        let a: Vec<f64> = (0..999).map(|i| (i as f64 * 0.7).sin()).collect();
        assert_eq!(
            lane_sum(&a, &a, |x, y| x * y),
            lane_sum(&a, &a, |x, y| x * y)
        );
    }

    #[test]
    fn versions_follow_the_values() {
        let mut a = ParamVec::new(vec![1.0, 2.0]);
        let b = a.clone();
        assert_eq!(a.version(), b.version());
        assert_ne!(a.add(&b).version(), a.version());
        a[0] = 5.0;
        assert_ne!(a.version(), b.version());
        let c = b.clone().signum();
        assert_ne!(c.version(), b.version());
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
