//! Model stage: sparse softmax regression, the linfa reference, and the saved classifier.

pub mod classifier;
pub mod file;
pub(crate) mod params;
pub mod reference;
pub mod softmax;

pub use classifier::{Classifier, Metadata, Prediction, Solver, TrainParams};
pub use softmax::{argmax, ClassWeight, SoftmaxRegression, SoftmaxRegressionParams};
