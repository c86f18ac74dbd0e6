//! stancekit: stance and sentiment classification of actor pairs in news text.
//!
//! The pipeline: text → tokens (negation, stems) → TF-IDF rows → multinomial logistic
//! regression → labels with probabilities and the features that drove them.
//!
//! ```
//! use stancekit::features::{Document, TermDocs};
//! use stancekit::model::{Classifier, TrainParams};
//! use stancekit::model::classifier::TrainingSet;
//!
//! # fn main() -> stancekit::Result<()> {
//! let texts = ["Cairo praised Doha for its aid", "Cairo condemned the raid on Doha",
//!              "Amman thanked Riyadh for its help", "Amman accused Riyadh of a blockade"];
//! let labels: Vec<String> = ["supportive", "hostile", "supportive", "hostile"]
//!     .iter().map(|s| s.to_string()).collect();
//! let mut params = TrainParams { c_grid: vec![10.0], ..TrainParams::default() };
//! params.tfidf.min_df = 1;
//! let tokenizer = stancekit::text::Tokenizer::new(params.tokenizer.clone());
//! let docs: Vec<Document> = texts.iter().map(|t| Document::plain(&tokenizer, t)).collect();
//! let terms = TermDocs::from_documents(&docs)?;
//! let set = TrainingSet { docs: &terms, labels: &labels, data_sha256: String::new(),
//!                         pair_rows: 0, pair_fallback_rows: 0, task: "stance".into() };
//! let model = Classifier::train(&set, &params)?;
//! let p = model.predict(&Document::plain(model.tokenizer(), "Rabat praised Tunis"));
//! assert_eq!(model.labels()[p.label], "supportive");
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

pub mod actors;
pub mod classify;
pub mod corpus;
pub mod data;
pub mod defaults;
pub mod error;
pub mod eval;
pub mod features;
pub mod io;
pub mod model;
pub mod statements;
pub mod summary;
pub mod text;

pub use error::{Error, Result};
