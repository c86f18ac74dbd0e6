//! TF-IDF of our own: n-grams, sublinear tf, smooth idf, l2-normalised sparse rows.
//!
//! The vocabulary and the idf are learned once by [`TfIdfParams::fit`] and reused for every
//! later row, so one sentence is weighted exactly as it would be inside a million.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use sprs::CsMat;

use crate::error::{Error, Result};
use crate::features::terms::{ngram_ids, ngram_key, TermDocs};
use crate::features::Document;

/// Settings of the vectorizer. Defaults: n-grams 1–2, `min_df` 2, no `max_features`,
/// sublinear tf on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TfIdfParams {
    /// Smallest and largest n-gram length.
    pub ngrams: (usize, usize),
    /// Minimum number of training documents a term must occur in.
    pub min_df: usize,
    /// Keep only the most frequent terms (by document frequency, ties by term).
    pub max_features: Option<usize>,
    /// Use `1 + ln(tf)` instead of raw counts.
    pub sublinear_tf: bool,
}

impl Default for TfIdfParams {
    fn default() -> Self {
        TfIdfParams {
            ngrams: (1, 2),
            min_df: 2,
            max_features: None,
            sublinear_tf: true,
        }
    }
}

/// A fitted vectorizer: vocabulary in a fixed (sorted) order and one idf per term.
#[derive(Debug, Clone)]
pub struct TfIdf {
    params: TfIdfParams,
    vocabulary: Vec<String>,
    idf: Vec<f64>,
    /// Column of each term, keyed by [`term_key`]; `None` if two terms share a key (then
    /// lookups go through `by_term`).
    index: Option<FxHashMap<u64, u32>>,
    by_term: FxHashMap<String, u32>,
}

/// A 64-bit key of one word (or extra term), as the vectorizer looks it up.
pub fn word_key(word: &str) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = rustc_hash::FxBuildHasher.build_hasher();
    h.write(word.as_bytes());
    // Fx is weak on its own: finish with a strong mixer so n-gram keys spread well.
    let mut z = h.finish() ^ (word.len() as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Combines the key of an n-gram so far with the key of its next word.
fn extend_key(prefix: u64, next: u64) -> u64 {
    (prefix.rotate_left(23) ^ next).wrapping_mul(0xA24B_AED4_963E_E407) ^ 0x5851_F42D_4C95_7F2D
}

/// The key of a term (n-gram words separated by single spaces), equal to the key
/// [`TfIdf::transform_one`] computes from the word keys of a document.
fn term_key(term: &str) -> u64 {
    let mut words = term.split(' ');
    let first = words.next().map_or(0, word_key);
    words.fold(first, |k, w| extend_key(k, word_key(w)))
}

/// Rows of a sparse matrix in CSR form; the record type of the models.
#[derive(Debug, Clone)]
pub struct SparseRows(pub CsMat<f64>);

impl linfa::dataset::Records for SparseRows {
    type Elem = f64;
    fn nsamples(&self) -> usize {
        self.0.rows()
    }
    fn nfeatures(&self) -> usize {
        self.0.cols()
    }
}

impl SparseRows {
    /// The rows at `indices`, in that order.
    pub fn select(&self, indices: &[usize]) -> SparseRows {
        let m = &self.0;
        let mut indptr = Vec::with_capacity(indices.len() + 1);
        let mut cols = Vec::new();
        let mut vals = Vec::new();
        indptr.push(0);
        for &i in indices {
            if let Some(row) = m.outer_view(i) {
                cols.extend_from_slice(row.indices());
                vals.extend_from_slice(row.data());
            }
            indptr.push(cols.len());
        }
        SparseRows(CsMat::new((indices.len(), m.cols()), indptr, cols, vals))
    }

    /// Dense copy, for the linfa reference solver on small data.
    pub fn to_dense(&self) -> ndarray::Array2<f64> {
        self.0.to_dense()
    }
}

/// Calls `f` with every term of a document: its n-grams, then its extra terms.
fn for_each_term(
    doc: &Document,
    ngrams: (usize, usize),
    buf: &mut String,
    mut f: impl FnMut(&str),
) {
    let toks = &doc.tokens;
    for n in ngrams.0.max(1)..=ngrams.1 {
        if toks.len() < n {
            break;
        }
        for w in toks.windows(n) {
            buf.clear();
            for (k, t) in w.iter().enumerate() {
                if k > 0 {
                    buf.push(' ');
                }
                buf.push_str(&t.term);
            }
            f(buf);
        }
    }
    for e in &doc.extras {
        f(e);
    }
}

impl TfIdfParams {
    /// Checks the settings.
    pub fn check(&self) -> Result<()> {
        if self.ngrams.0 == 0 || self.ngrams.0 > self.ngrams.1 || self.ngrams.1 > 5 {
            return Err(Error::Params(format!(
                "ngrams must be 1 <= min <= max <= 5, got {},{}",
                self.ngrams.0, self.ngrams.1
            )));
        }
        if self.min_df == 0 {
            return Err(Error::Params("min_df must be at least 1".into()));
        }
        Ok(())
    }

    /// Learns the vocabulary and idf from training documents.
    pub fn fit(&self, docs: &[&Document]) -> Result<TfIdf> {
        let terms = TermDocs::from_documents(docs.iter().copied())?;
        let all: Vec<usize> = (0..terms.len()).collect();
        self.fit_terms(&terms, &all)
    }

    /// Learns the vocabulary and idf from the documents `rows` of `docs`.
    pub fn fit_terms(&self, docs: &TermDocs, rows: &[usize]) -> Result<TfIdf> {
        self.check()?;
        let mut df: FxHashMap<u128, u32> = FxHashMap::default();
        let mut seen: Vec<u128> = Vec::new();
        for &i in rows {
            seen.clear();
            let toks = docs.tokens(i);
            for n in self.ngrams.0..=self.ngrams.1.min(toks.len()) {
                seen.extend(toks.windows(n).map(ngram_key));
            }
            seen.extend(docs.extras(i).iter().map(|words| ngram_key(words)));
            seen.sort_unstable();
            seen.dedup();
            for &key in &seen {
                *df.entry(key).or_insert(0) += 1;
            }
        }
        let mut terms: Vec<(String, u32)> = df
            .into_iter()
            .filter(|(_, d)| *d as usize >= self.min_df)
            .map(|(key, d)| (docs.ngram_text(&ngram_ids(key)), d))
            .collect();
        if let Some(max) = self.max_features {
            terms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            terms.truncate(max);
        }
        terms.sort_by(|a, b| a.0.cmp(&b.0));
        let n = rows.len() as f64;
        let idf = terms
            .iter()
            .map(|(_, d)| ((1.0 + n) / (1.0 + *d as f64)).ln() + 1.0)
            .collect();
        let vocabulary = terms.into_iter().map(|(t, _)| t).collect();
        Ok(TfIdf::from_parts(self.clone(), vocabulary, idf))
    }
}

impl TfIdf {
    /// Rebuilds a fitted vectorizer from its saved parts.
    pub fn from_parts(params: TfIdfParams, vocabulary: Vec<String>, idf: Vec<f64>) -> Self {
        let by_term: FxHashMap<String, u32> = vocabulary
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), i as u32))
            .collect();
        let mut index = FxHashMap::default();
        let mut unique = true;
        for (i, t) in vocabulary.iter().enumerate() {
            unique &= index.insert(term_key(t), i as u32).is_none();
        }
        TfIdf {
            params,
            vocabulary,
            idf,
            index: unique.then_some(index),
            by_term,
        }
    }

    /// The settings it was fitted with.
    pub fn params(&self) -> &TfIdfParams {
        &self.params
    }

    /// Terms in column order.
    pub fn vocabulary(&self) -> &[String] {
        &self.vocabulary
    }

    /// Inverse document frequency per column.
    pub fn idf(&self) -> &[f64] {
        &self.idf
    }

    /// Number of columns.
    pub fn n_features(&self) -> usize {
        self.vocabulary.len()
    }

    /// The weighted, l2-normalised row of one document as sorted `(column, value)` pairs.
    pub fn transform_one(&self, doc: &Document, row: &mut Vec<(u32, f64)>) {
        row.clear();
        if self.index.is_some() {
            // Word keys once per token; n-gram keys by combining them, no strings built.
            let keys: Vec<u64> = doc.tokens.iter().map(|t| word_key(&t.term)).collect();
            let extras: Vec<u64> = doc.extras.iter().map(|e| word_key(e)).collect();
            self.transform_keys(&keys, &extras, row);
            return;
        }
        let mut buf = String::new();
        for_each_term(doc, self.params.ngrams, &mut buf, |t| {
            if let Some(&c) = self.by_term.get(t) {
                row.push((c, 1.0));
            }
        });
        self.weigh(row);
    }

    /// Whether [`TfIdf::transform_keys`] can be used (no two terms share a key).
    pub fn has_key_index(&self) -> bool {
        self.index.is_some()
    }

    /// The row of a document given by the [`word_key`]s of its tokens and of its extra terms;
    /// the same row as [`TfIdf::transform_one`] of that document. Leaves `row` empty when
    /// [`TfIdf::has_key_index`] is false.
    pub fn transform_keys(&self, keys: &[u64], extras: &[u64], row: &mut Vec<(u32, f64)>) {
        row.clear();
        let Some(index) = &self.index else {
            return;
        };
        let (lo, hi) = self.params.ngrams;
        for start in 0..keys.len() {
            let mut key = keys[start];
            for n in 1..=hi.min(keys.len() - start) {
                if n > 1 {
                    key = extend_key(key, keys[start + n - 1]);
                }
                if n >= lo {
                    if let Some(&c) = index.get(&key) {
                        row.push((c, 1.0));
                    }
                }
            }
        }
        for e in extras {
            if let Some(&c) = index.get(e) {
                row.push((c, 1.0));
            }
        }
        self.weigh(row);
    }

    /// Turns `row`, one `(column, 1)` entry per term hit, into the document's row: counts
    /// per column (in column order), (sublinear) tf times idf, l2-normalised.
    fn weigh(&self, row: &mut Vec<(u32, f64)>) {
        row.sort_unstable_by_key(|e| e.0);
        let mut kept = 0;
        for i in 0..row.len() {
            if kept > 0 && row[kept - 1].0 == row[i].0 {
                row[kept - 1].1 += 1.0;
            } else {
                row[kept] = row[i];
                kept += 1;
            }
        }
        row.truncate(kept);
        let mut norm = 0.0;
        for e in row.iter_mut() {
            // Most terms occur once, and 1 + ln(1) = 1.
            let tf = if self.params.sublinear_tf && e.1 > 1.0 {
                1.0 + e.1.ln()
            } else {
                e.1
            };
            e.1 = tf * self.idf[e.0 as usize];
            norm += e.1 * e.1;
        }
        if norm > 0.0 {
            let inv = 1.0 / norm.sqrt();
            for e in row.iter_mut() {
                e.1 *= inv;
            }
        }
    }

    /// Transforms many documents into CSR rows.
    pub fn transform(&self, docs: &[&Document]) -> SparseRows {
        let bound = docs
            .iter()
            .map(|d| self.max_terms(d.tokens.len(), d.extras.len()))
            .sum();
        self.transform_with(docs.len(), bound, |i, row| self.transform_one(docs[i], row))
    }

    /// The most columns a document of `tokens` tokens and `extras` extra terms can hit.
    fn max_terms(&self, tokens: usize, extras: usize) -> usize {
        let (lo, hi) = self.params.ngrams;
        (lo..=hi)
            .map(|n| tokens.saturating_sub(n - 1))
            .sum::<usize>()
            + extras
    }

    /// CSR rows of `n` documents with at most `bound` non-zeros in all, row `i` written by
    /// `row_of(i, row)`. Reserving the bound up front avoids growing (and, for a moment,
    /// doubling) the two largest arrays of training.
    fn transform_with(
        &self,
        n: usize,
        bound: usize,
        mut row_of: impl FnMut(usize, &mut Vec<(u32, f64)>),
    ) -> SparseRows {
        let mut indptr = Vec::with_capacity(n + 1);
        let mut indices = Vec::with_capacity(bound);
        let mut data = Vec::with_capacity(bound);
        let mut row = Vec::new();
        indptr.push(0);
        for i in 0..n {
            row_of(i, &mut row);
            for &(c, v) in &row {
                indices.push(c as usize);
                data.push(v);
            }
            indptr.push(indices.len());
        }
        SparseRows(CsMat::new((n, self.n_features()), indptr, indices, data))
    }

    /// Transforms the documents `rows` of `docs` into CSR rows.
    pub fn transform_terms(&self, docs: &TermDocs, rows: &[usize]) -> SparseRows {
        let mut keys = Vec::new();
        let mut extras = Vec::new();
        let bound = rows
            .iter()
            .map(|&i| self.max_terms(docs.tokens(i).len(), docs.extras(i).len()))
            .sum();
        self.transform_with(rows.len(), bound, |r, row| {
            let i = rows[r];
            if !self.has_key_index() {
                self.transform_one(&docs.document(i), row);
                return;
            }
            keys.clear();
            keys.extend(docs.tokens(i).iter().map(|&id| docs.key(id)));
            extras.clear();
            extras.extend(docs.extras(i).iter().map(|words| {
                let first = docs.key(words[0]);
                words[1..]
                    .iter()
                    .fold(first, |k, &w| extend_key(k, docs.key(w)))
            }));
            self.transform_keys(&keys, &extras, row);
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Tokenizer, TokenizerParams};

    fn docs(texts: &[&str]) -> Vec<Document> {
        let tok = Tokenizer::new(TokenizerParams {
            stem: None,
            ..TokenizerParams::default()
        });
        texts.iter().map(|t| Document::plain(&tok, t)).collect()
    }

    #[test]
    fn idf_and_norm_match_the_smooth_sublinear_definition() {
        let d = docs(&["a b a", "b c"]);
        let refs: Vec<&Document> = d.iter().collect();
        let v = TfIdfParams {
            ngrams: (1, 1),
            min_df: 1,
            ..TfIdfParams::default()
        }
        .fit(&refs)
        .unwrap();
        assert_eq!(v.vocabulary(), ["a", "b", "c"]);
        let idf_a = (3.0f64 / 2.0).ln() + 1.0;
        assert!((v.idf()[0] - idf_a).abs() < 1e-12);
        assert!((v.idf()[1] - 1.0).abs() < 1e-12);
        let mut row = Vec::new();
        v.transform_one(&d[0], &mut row);
        let a = (1.0 + 2f64.ln()) * idf_a;
        let b = 1.0;
        let n = (a * a + b * b).sqrt();
        assert_eq!(row.len(), 2);
        assert!((row[0].1 - a / n).abs() < 1e-12 && (row[1].1 - b / n).abs() < 1e-12);
    }

    #[test]
    fn min_df_and_max_features_limit_the_vocabulary() {
        let d = docs(&["x y", "x z", "x y w"]);
        let refs: Vec<&Document> = d.iter().collect();
        let p = TfIdfParams {
            ngrams: (1, 2),
            min_df: 2,
            ..TfIdfParams::default()
        };
        assert_eq!(p.fit(&refs).unwrap().vocabulary(), ["x", "x y", "y"]);
        let p = TfIdfParams {
            max_features: Some(1),
            ..p
        };
        assert_eq!(p.fit(&refs).unwrap().vocabulary(), ["x"]);
    }

    #[test]
    fn one_row_gets_the_same_weights_as_in_a_batch() {
        let d = docs(&["talks resumed today", "talks failed", "war resumed"]);
        let refs: Vec<&Document> = d.iter().collect();
        let v = TfIdfParams {
            min_df: 1,
            ..TfIdfParams::default()
        }
        .fit(&refs)
        .unwrap();
        let batch = v.transform(&refs);
        let single = v.transform(&refs[2..]);
        assert_eq!(
            batch.0.outer_view(2).unwrap().data(),
            single.0.outer_view(0).unwrap().data()
        );
    }
}
