//! Documents as ids into one table of distinct terms: the compact form training works on.
//!
//! A training set keeps every token of every row through cross-validation. As strings that
//! is one allocation per token and a string key per n-gram when document frequencies are
//! counted; as ids it is four bytes per token, and an n-gram is a 128-bit key packed from
//! the ids of its words. Fitting on [`TermDocs`] gives the same vocabulary, idf and rows as
//! fitting on the documents themselves.

use rustc_hash::FxHashMap;

use crate::error::{Error, Result};
use crate::features::tfidf::word_key;
use crate::features::Document;
use crate::text::Token;

/// Bits per word id in a packed n-gram key (5 words and a 3-bit length fit in 128 bits).
const ID_BITS: u32 = 25;

/// Distinct terms a [`TermDocs`] can hold.
pub const MAX_TERMS: usize = 1 << ID_BITS;

/// Tokens and extra terms of many documents, as ids into one table of distinct terms.
#[derive(Debug, Clone, Default)]
pub struct TermDocs {
    terms: Vec<String>,
    /// The [`word_key`] of each term, for the vectorizer's key index.
    keys: Vec<u64>,
    ids: FxHashMap<String, u32>,
    tokens: Vec<u32>,
    token_ends: Vec<usize>,
    /// Extra terms; one with spaces (`"a b"`) is stored as the ids of its words.
    extras: Vec<Vec<u32>>,
    extra_ends: Vec<usize>,
}

impl TermDocs {
    /// An empty collection.
    pub fn new() -> Self {
        TermDocs::default()
    }

    /// The documents, in order.
    pub fn from_documents<'a>(docs: impl IntoIterator<Item = &'a Document>) -> Result<Self> {
        let mut out = TermDocs::new();
        for doc in docs {
            out.push(doc)?;
        }
        Ok(out)
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.token_ends.len()
    }

    /// Whether there are no documents.
    pub fn is_empty(&self) -> bool {
        self.token_ends.is_empty()
    }

    /// Number of distinct terms.
    pub fn n_terms(&self) -> usize {
        self.terms.len()
    }

    /// The term with id `id`.
    pub fn term(&self, id: u32) -> &str {
        &self.terms[id as usize]
    }

    /// The [`word_key`] of the term with id `id`.
    pub fn key(&self, id: u32) -> u64 {
        self.keys[id as usize]
    }

    fn intern(&mut self, term: &str) -> Result<u32> {
        if let Some(&id) = self.ids.get(term) {
            return Ok(id);
        }
        if self.terms.len() >= MAX_TERMS {
            return Err(Error::Params(format!(
                "more than {MAX_TERMS} distinct terms in the training data"
            )));
        }
        let id = self.terms.len() as u32;
        self.terms.push(term.to_string());
        self.keys.push(word_key(term));
        self.ids.insert(term.to_string(), id);
        Ok(id)
    }

    /// Appends one document.
    pub fn push(&mut self, doc: &Document) -> Result<()> {
        for t in &doc.tokens {
            let id = self.intern(&t.term)?;
            self.tokens.push(id);
        }
        self.token_ends.push(self.tokens.len());
        for e in &doc.extras {
            let words = e
                .split(' ')
                .map(|w| self.intern(w))
                .collect::<Result<Vec<u32>>>()?;
            self.extras.push(words);
        }
        self.extra_ends.push(self.extras.len());
        Ok(())
    }

    /// The token ids of document `i`.
    pub fn tokens(&self, i: usize) -> &[u32] {
        let start = if i == 0 { 0 } else { self.token_ends[i - 1] };
        &self.tokens[start..self.token_ends[i]]
    }

    /// The extra terms of document `i`, each as the ids of its words.
    pub fn extras(&self, i: usize) -> &[Vec<u32>] {
        let start = if i == 0 { 0 } else { self.extra_ends[i - 1] };
        &self.extras[start..self.extra_ends[i]]
    }

    /// The documents at `indices`, in that order, sharing this term table.
    pub fn subset(&self, indices: &[usize]) -> TermDocs {
        let mut out = TermDocs {
            terms: self.terms.clone(),
            keys: self.keys.clone(),
            ids: self.ids.clone(),
            ..TermDocs::default()
        };
        for &i in indices {
            out.tokens.extend_from_slice(self.tokens(i));
            out.token_ends.push(out.tokens.len());
            out.extras.extend_from_slice(self.extras(i));
            out.extra_ends.push(out.extras.len());
        }
        out
    }

    /// Document `i` rebuilt with its term strings (token offsets are not kept: all 0).
    pub fn document(&self, i: usize) -> Document {
        Document {
            tokens: self
                .tokens(i)
                .iter()
                .map(|&id| Token {
                    term: self.term(id).to_string(),
                    start: 0,
                })
                .collect(),
            extras: self
                .extras(i)
                .iter()
                .map(|words| self.ngram_text(words))
                .collect(),
        }
    }

    /// The text of an n-gram: its words joined by single spaces.
    pub fn ngram_text(&self, ids: &[u32]) -> String {
        let mut s = String::new();
        for (k, &id) in ids.iter().enumerate() {
            if k > 0 {
                s.push(' ');
            }
            s.push_str(self.term(id));
        }
        s
    }
}

/// The exact key of an n-gram of 1 to 5 term ids: the length, then 25 bits per id.
pub fn ngram_key(ids: &[u32]) -> u128 {
    debug_assert!((1..=5).contains(&ids.len()));
    let mut key = ids.len() as u128;
    for (k, &id) in ids.iter().enumerate() {
        key |= u128::from(id) << (3 + ID_BITS * k as u32);
    }
    key
}

/// The term ids of an n-gram key made by [`ngram_key`].
pub fn ngram_ids(key: u128) -> Vec<u32> {
    let n = (key & 0b111) as u32;
    let mask = (1u128 << ID_BITS) - 1;
    (0..n)
        .map(|k| ((key >> (3 + ID_BITS * k)) & mask) as u32)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(tokens: &[&str], extras: &[&str]) -> Document {
        Document {
            tokens: tokens
                .iter()
                .map(|t| Token {
                    term: t.to_string(),
                    start: 0,
                })
                .collect(),
            extras: extras.iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn documents_round_trip_through_ids() {
        let docs = [
            doc(&["cairo", "back", "doha"], &["btw:back", "_lex_pos"]),
            doc(&[], &[]),
            doc(&["doha", "cairo"], &["new york"]),
        ];
        let terms = TermDocs::from_documents(&docs).unwrap();
        assert_eq!(terms.len(), 3);
        for (i, d) in docs.iter().enumerate() {
            let back = terms.document(i);
            let words: Vec<&str> = back.tokens.iter().map(|t| t.term.as_str()).collect();
            let want: Vec<&str> = d.tokens.iter().map(|t| t.term.as_str()).collect();
            assert_eq!(words, want);
            assert_eq!(back.extras, d.extras);
        }
        let sub = terms.subset(&[2, 0]);
        assert_eq!(sub.document(0).extras, ["new york"]);
        assert_eq!(sub.tokens(1), terms.tokens(0));
    }

    #[test]
    fn ngram_keys_are_exact() {
        for ids in [
            vec![0],
            vec![7, 0],
            vec![0, 7],
            vec![(1 << 25) - 1, 3, 4, 5, (1 << 25) - 1],
        ] {
            assert_eq!(ngram_ids(ngram_key(&ids)), ids);
        }
        assert_ne!(ngram_key(&[1]), ngram_key(&[1, 0]));
    }
}
