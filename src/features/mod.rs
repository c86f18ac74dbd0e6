//! Feature stage: documents (tokens plus pair features) and the TF-IDF vectorizer.

pub mod lexicon;
pub mod pair;
pub mod terms;
pub mod tfidf;

pub use pair::{
    row_document, row_spans, statement_keys, Document, MentionLocator, PairSpans, Placement, Role,
    SentenceKeys, TextLocator,
};
pub use terms::TermDocs;
pub use tfidf::{SparseRows, TfIdf, TfIdfParams};
