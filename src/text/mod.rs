//! Text stage: tokens with negation scope and stems, and sentences with byte spans.

pub mod sentences;
pub mod tokenize;

pub use tokenize::{Marker, StemLanguage, Token, Tokenizer, TokenizerParams};
