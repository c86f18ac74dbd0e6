//! Evaluation stage: metrics and cross-validation.

pub mod cv;
pub mod metrics;

pub use cv::{stratified_folds, CvRow};
pub use metrics::{ClassMetrics, Confusion, Metrics};
