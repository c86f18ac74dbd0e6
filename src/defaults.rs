//! The default models shipped in `models/` and embedded in the binary, so `classify` works
//! from any directory with no flags. `scripts/train-default-models.sh` rebuilds them from
//! `datasets/`; CI checks the rebuilt bytes equal the shipped ones.

use std::path::Path;

use crate::error::Result;
use crate::model::{file, Classifier};

/// Bytes of the default stance model (`models/stance.model`).
pub const STANCE_MODEL: &[u8] = include_bytes!("../models/stance.model");
/// Bytes of the default sentiment model (`models/sentiment.model`).
pub const SENTIMENT_MODEL: &[u8] = include_bytes!("../models/sentiment.model");

/// The embedded stance model (supportive / reconciliatory / hostile, with abstention).
pub fn stance_model() -> Result<Classifier> {
    file::from_bytes(STANCE_MODEL, Path::new("<embedded models/stance.model>"))
}

/// The embedded sentiment model (positive / neutral / negative).
pub fn sentiment_model() -> Result<Classifier> {
    file::from_bytes(
        SENTIMENT_MODEL,
        Path::new("<embedded models/sentiment.model>"),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn embedded_models_load() {
        let stance = super::stance_model().unwrap();
        assert_eq!(stance.labels(), ["hostile", "reconciliatory", "supportive"]);
        assert!(stance.metadata().abstain_below.is_some());
        let sentiment = super::sentiment_model().unwrap();
        assert_eq!(sentiment.labels(), ["negative", "neutral", "positive"]);
    }
}
