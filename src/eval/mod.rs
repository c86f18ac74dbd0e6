//! Evaluation stage: metrics and cross-validation.

pub mod abstain;
pub mod cv;
pub mod learning;
pub mod metrics;
pub mod report;

pub use cv::{stratified_folds, CvRow};
pub use metrics::{ClassMetrics, Confusion, Metrics};
