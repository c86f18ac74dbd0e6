//! Sentiment-lexicon features: counts of positive and negative words (flipped inside a
//! negation scope), overall and near the target mention. The lexicon is our own
//! (`dictionaries/sentiment_lexicon.csv`) and is embedded in the binary.

use rust_stemmers::Stemmer;
use rustc_hash::FxHashMap;

use crate::features::pair::TARGET_TOKEN;
use crate::text::tokenize::NEGATION_PREFIX;
use crate::text::{StemLanguage, Token};

/// The embedded lexicon file: `word,polarity,strength`.
const LEXICON_CSV: &str = include_str!("../../dictionaries/sentiment_lexicon.csv");

/// How many tokens around the target count as "near" it.
const TARGET_WINDOW: usize = 6;

/// Word polarities keyed by stem.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    by_stem: FxHashMap<String, (bool, u8)>,
}

impl Lexicon {
    /// The embedded lexicon, stemmed as the tokenizer stems (`None`: no stemming).
    pub fn embedded(stem: Option<StemLanguage>) -> Lexicon {
        let stemmer = stem.map(|l| Stemmer::create(l.algorithm()));
        let mut by_stem = FxHashMap::default();
        for line in LEXICON_CSV.lines().skip(1) {
            let mut parts = line.split(',');
            let (Some(word), Some(polarity), Some(strength)) =
                (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            let positive = match polarity.trim() {
                "positive" => true,
                "negative" => false,
                _ => continue,
            };
            let strength = strength.trim().parse().unwrap_or(1u8).clamp(1, 2);
            let word = word.trim().to_lowercase();
            let key = match &stemmer {
                Some(s) => s.stem(&word).into_owned(),
                None => word,
            };
            by_stem.entry(key).or_insert((positive, strength));
        }
        Lexicon { by_stem }
    }

    /// Number of stems in the lexicon.
    pub fn len(&self) -> usize {
        self.by_stem.len()
    }

    /// Whether the lexicon is empty.
    pub fn is_empty(&self) -> bool {
        self.by_stem.is_empty()
    }

    /// Appends the lexicon terms of `tokens` to `out`.
    pub fn extras(&self, tokens: &[Token], out: &mut Vec<String>) {
        let targets: Vec<usize> = tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| t.term == TARGET_TOKEN)
            .map(|(i, _)| i)
            .collect();
        for (i, tok) in tokens.iter().enumerate() {
            let (negated, base) = match tok.term.strip_prefix(NEGATION_PREFIX) {
                Some(b) => (true, b),
                None => (false, tok.term.as_str()),
            };
            let Some(&(positive, strength)) = self.by_stem.get(base) else {
                continue;
            };
            let tag = if positive != negated { "pos" } else { "neg" };
            for _ in 0..strength {
                out.push(format!("_lex_{tag}"));
            }
            if targets.iter().any(|&t| t.abs_diff(i) <= TARGET_WINDOW) {
                out.push(format!("_lex_{tag}_near_target"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Tokenizer, TokenizerParams};

    #[test]
    fn negation_flips_polarity() {
        let lex = Lexicon::embedded(Some(StemLanguage::English));
        assert!(lex.len() > 1000);
        let tok = Tokenizer::new(TokenizerParams::default());
        let mut out = Vec::new();
        lex.extras(&tok.tokenize("The plan was not a disaster"), &mut out);
        assert!(out.iter().all(|t| t.starts_with("_lex_pos")), "{out:?}");
        out.clear();
        lex.extras(&tok.tokenize("The plan was a disaster"), &mut out);
        assert!(
            !out.is_empty() && out.iter().all(|t| t.starts_with("_lex_neg")),
            "{out:?}"
        );
    }
}
