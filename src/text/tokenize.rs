//! A Unicode-aware word tokenizer for news text.
//!
//! It lowercases, folds curly apostrophes, keeps hyphenated names (`al-Qassam`) and
//! apostrophe names (`O'Neill`) whole, drops possessive `'s`, splits `n't`, folds numbers,
//! marks the tokens inside a negation scope with `neg_`, and stems with `rust-stemmers`.
//! Callers can replace byte spans of the text by marker tokens (the actor roles of a
//! statement) so the model sees `_src_ condemn _tgt_` instead of actor names.

use std::ops::Range;

use rust_stemmers::{Algorithm, Stemmer};
use serde::{Deserialize, Serialize};

use crate::features::lexicon::Lexicon;

/// Prefix put on tokens inside a negation scope.
pub const NEGATION_PREFIX: &str = "neg_";
/// Token that stands for any number.
pub const NUMBER_TOKEN: &str = "_num_";

/// Languages the stemmer knows (those of `rust-stemmers`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)]
pub enum StemLanguage {
    Arabic,
    Danish,
    Dutch,
    English,
    Finnish,
    French,
    German,
    Greek,
    Hungarian,
    Italian,
    Norwegian,
    Portuguese,
    Romanian,
    Russian,
    Spanish,
    Swedish,
    Tamil,
    Turkish,
}

impl StemLanguage {
    /// The `rust-stemmers` algorithm of this language.
    pub fn algorithm(self) -> Algorithm {
        match self {
            StemLanguage::Arabic => Algorithm::Arabic,
            StemLanguage::Danish => Algorithm::Danish,
            StemLanguage::Dutch => Algorithm::Dutch,
            StemLanguage::English => Algorithm::English,
            StemLanguage::Finnish => Algorithm::Finnish,
            StemLanguage::French => Algorithm::French,
            StemLanguage::German => Algorithm::German,
            StemLanguage::Greek => Algorithm::Greek,
            StemLanguage::Hungarian => Algorithm::Hungarian,
            StemLanguage::Italian => Algorithm::Italian,
            StemLanguage::Norwegian => Algorithm::Norwegian,
            StemLanguage::Portuguese => Algorithm::Portuguese,
            StemLanguage::Romanian => Algorithm::Romanian,
            StemLanguage::Russian => Algorithm::Russian,
            StemLanguage::Spanish => Algorithm::Spanish,
            StemLanguage::Swedish => Algorithm::Swedish,
            StemLanguage::Tamil => Algorithm::Tamil,
            StemLanguage::Turkish => Algorithm::Turkish,
        }
    }
}

/// Settings of the tokenizer; saved with every model so prediction tokenizes as training did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenizerParams {
    /// Stemming language, or `None` for no stemming. Default: English.
    pub stem: Option<StemLanguage>,
    /// Mark tokens after a negation cue up to the next punctuation. Default: true.
    pub negation: bool,
    /// Replace numbers by one token. Default: true.
    pub fold_numbers: bool,
    /// Add sentiment-lexicon features to documents. Default: false.
    #[serde(default)]
    pub lexicon: bool,
}

impl Default for TokenizerParams {
    fn default() -> Self {
        TokenizerParams {
            stem: Some(StemLanguage::English),
            negation: true,
            fold_numbers: true,
            lexicon: false,
        }
    }
}

/// One token: its normalised term and the byte offset where it starts in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The normalised term (lowercased, stemmed, maybe `neg_`-prefixed) or a marker.
    pub term: String,
    /// Byte offset of the token's first character in the original text.
    pub start: usize,
}

/// A byte span of the text to emit as one fixed token (e.g. an actor role).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    /// Byte span replaced by the marker; must lie on char boundaries.
    pub span: Range<usize>,
    /// The token emitted in its place.
    pub token: &'static str,
}

/// The tokenizer, built from [`TokenizerParams`].
pub struct Tokenizer {
    params: TokenizerParams,
    stemmer: Option<Stemmer>,
    lexicon: Option<Lexicon>,
}

impl std::fmt::Debug for Tokenizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokenizer")
            .field("params", &self.params)
            .finish()
    }
}

impl Clone for Tokenizer {
    fn clone(&self) -> Self {
        Tokenizer::new(self.params.clone())
    }
}

fn is_cue(word: &str) -> bool {
    matches!(
        word,
        "not"
            | "no"
            | "never"
            | "without"
            | "nor"
            | "neither"
            | "cannot"
            | "none"
            | "nobody"
            | "nothing"
            | "refuse"
            | "refused"
            | "refuses"
            | "refusing"
            | "deny"
            | "denied"
            | "denies"
            | "denying"
            | "decline"
            | "declined"
            | "declines"
            | "declining"
            | "fail"
            | "failed"
            | "fails"
            | "failing"
    )
}

fn ends_scope(c: char) -> bool {
    matches!(
        c,
        '.' | ',' | ';' | ':' | '!' | '?' | '(' | ')' | '[' | ']' | '"' | '“' | '”' | '—' | '–'
    )
}

fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '\'' | '’' | '‘' | '‐')
}

/// Entries kept per thread in the stem cache before it is cleared.
const STEM_CACHE_LIMIT: usize = 200_000;

thread_local! {
    /// Stems already computed on this thread (and the language they are for): news text
    /// repeats its words, and stemming is the costliest step of tokenizing.
    static STEM_CACHE: std::cell::RefCell<(Option<StemLanguage>, rustc_hash::FxHashMap<String, String>)> =
        std::cell::RefCell::new((None, rustc_hash::FxHashMap::default()));
}

/// Appends the stem of `word` to `out`, through this thread's cache.
fn stem_into(stemmer: &Stemmer, lang: StemLanguage, word: &str, out: &mut String) {
    STEM_CACHE.with(|cache| {
        let (cached_lang, map) = &mut *cache.borrow_mut();
        if *cached_lang != Some(lang) || map.len() >= STEM_CACHE_LIMIT {
            map.clear();
            *cached_lang = Some(lang);
        }
        if let Some(s) = map.get(word) {
            out.push_str(s);
            return;
        }
        let stem = stemmer.stem(word).into_owned();
        out.push_str(&stem);
        map.insert(word.to_string(), stem);
    })
}

impl Tokenizer {
    /// Builds a tokenizer.
    pub fn new(params: TokenizerParams) -> Self {
        let stemmer = params.stem.map(|l| Stemmer::create(l.algorithm()));
        let lexicon = params.lexicon.then(|| Lexicon::embedded(params.stem));
        Tokenizer {
            params,
            stemmer,
            lexicon,
        }
    }

    /// The sentiment lexicon, when the settings ask for lexicon features.
    pub fn lexicon(&self) -> Option<&Lexicon> {
        self.lexicon.as_ref()
    }

    /// The settings this tokenizer was built from.
    pub fn params(&self) -> &TokenizerParams {
        &self.params
    }

    /// Tokenizes `text`, replacing each marker span by its token, appending to `out`.
    ///
    /// Markers must be sorted by start and must not overlap; spans that do not lie on char
    /// boundaries inside the text are ignored.
    pub fn tokenize_into(&self, text: &str, markers: &[Marker], out: &mut Vec<Token>) {
        self.for_each_token(text, markers, |term, start| {
            out.push(Token {
                term: term.to_string(),
                start,
            })
        });
    }

    /// Calls `emit(term, start)` for every token of `text`, as [`Tokenizer::tokenize_into`]
    /// would produce them, without allocating a string per token.
    pub fn for_each_token(
        &self,
        text: &str,
        markers: &[Marker],
        mut emit: impl FnMut(&str, usize),
    ) {
        let bytes = text.as_bytes();
        let mut term = String::new();
        let mut pos = 0;
        let mut next_marker = 0;
        let mut negated = false;
        let mut word = String::new();
        while pos < bytes.len() {
            while next_marker < markers.len() && markers[next_marker].span.start < pos {
                next_marker += 1;
            }
            if let Some(m) = markers.get(next_marker) {
                if m.span.start == pos {
                    next_marker += 1;
                    if m.span.end <= text.len()
                        && m.span.end > m.span.start
                        && text.is_char_boundary(m.span.end)
                    {
                        emit(m.token, pos);
                        pos = m.span.end;
                    }
                    continue;
                }
            }
            let Some(c) = text[pos..].chars().next() else {
                break;
            };
            if !c.is_alphanumeric() {
                if ends_scope(c) {
                    negated = false;
                }
                pos += c.len_utf8();
                continue;
            }
            // A word: alphanumerics joined by single hyphens or apostrophes.
            let start = pos;
            let limit = markers
                .get(next_marker)
                .map(|m| m.span.start)
                .filter(|&l| l > pos && l <= text.len() && text.is_char_boundary(l))
                .unwrap_or(text.len());
            let mut end = pos;
            let mut chars = text[pos..limit].char_indices().peekable();
            while let Some((i, ch)) = chars.next() {
                if ch.is_alphanumeric() {
                    end = pos + i + ch.len_utf8();
                } else if is_joiner(ch) && chars.peek().is_some_and(|&(_, n)| n.is_alphanumeric()) {
                    continue;
                } else {
                    break;
                }
            }
            pos = end;
            self.emit_word(
                &text[start..end],
                start,
                &mut negated,
                (&mut word, &mut term),
                &mut emit,
            );
        }
    }

    /// Tokenizes `text` without markers.
    pub fn tokenize(&self, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        self.tokenize_into(text, &[], &mut out);
        out
    }

    /// Normalises one word and emits its term(s); `buffers` are scratch space for the
    /// lowercased word and the term.
    fn emit_word(
        &self,
        raw: &str,
        start: usize,
        negated: &mut bool,
        buffers: (&mut String, &mut String),
        emit: &mut impl FnMut(&str, usize),
    ) {
        let (word, term) = buffers;
        word.clear();
        if raw.is_ascii() {
            word.push_str(raw);
            word.make_ascii_lowercase();
        } else {
            for ch in raw.chars() {
                match ch {
                    '’' | '‘' => word.push('\''),
                    '‐' => word.push('-'),
                    _ => word.extend(ch.to_lowercase()),
                }
            }
        }
        if let Some(stripped) = word.strip_suffix("'s") {
            let keep = stripped.len();
            word.truncate(keep);
        }
        let mut cue_after = false;
        if let Some(stem) = word.strip_suffix("n't") {
            let base = match stem {
                "ca" => "can",
                "wo" => "will",
                "sha" => "shall",
                other => other,
            }
            .to_string();
            *word = base;
            cue_after = true;
        }
        if word.is_empty() {
            return;
        }
        let is_number = word
            .chars()
            .all(|c| c.is_numeric() || c == '-' || c == '\'');
        term.clear();
        if self.params.fold_numbers && is_number {
            term.push_str(NUMBER_TOKEN);
        } else {
            let cue = self.params.negation && is_cue(word);
            if *negated && !cue {
                term.push_str(NEGATION_PREFIX);
            }
            match (&self.stemmer, self.params.stem) {
                (Some(s), Some(lang)) => stem_into(s, lang, word, term),
                _ => term.push_str(word),
            }
            if cue {
                *negated = true;
            }
        }
        emit(term, start);
        if cue_after && self.params.negation {
            emit("not", start);
            *negated = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        Tokenizer::new(TokenizerParams::default())
            .tokenize(text)
            .into_iter()
            .map(|t| t.term)
            .collect()
    }

    #[test]
    fn keeps_hyphenated_names_and_drops_possessives() {
        assert_eq!(
            terms("Al-Qassam’s fighters praised Tehran's envoys"),
            ["al-qassam", "fighter", "prais", "tehran", "envoy"]
        );
    }

    #[test]
    fn negation_scope_runs_to_punctuation() {
        assert_eq!(
            terms("They refused to condemn the strike, and left."),
            [
                "they",
                "refus",
                "neg_to",
                "neg_condemn",
                "neg_the",
                "neg_strike",
                "and",
                "left"
            ]
        );
        assert_eq!(
            terms("Cairo didn’t back it"),
            ["cairo", "did", "not", "neg_back", "neg_it"]
        );
    }

    #[test]
    fn folds_numbers_and_keeps_offsets() {
        let t = Tokenizer::new(TokenizerParams::default()).tokenize("In 2016 Ankara");
        assert_eq!(t[1].term, NUMBER_TOKEN);
        assert_eq!(t[2].start, 8);
    }

    #[test]
    fn markers_replace_spans() {
        let tok = Tokenizer::new(TokenizerParams::default());
        let text = "Hamas thanked Iran for its help";
        let markers = [
            Marker {
                span: 0..5,
                token: "_src_",
            },
            Marker {
                span: 14..18,
                token: "_tgt_",
            },
        ];
        let mut out = Vec::new();
        tok.tokenize_into(text, &markers, &mut out);
        let got: Vec<_> = out.iter().map(|t| t.term.as_str()).collect();
        assert_eq!(got, ["_src_", "thank", "_tgt_", "for", "it", "help"]);
    }

    #[test]
    fn no_stemming_when_disabled() {
        let tok = Tokenizer::new(TokenizerParams {
            stem: None,
            ..TokenizerParams::default()
        });
        let got: Vec<_> = tok
            .tokenize("Talks resumed")
            .into_iter()
            .map(|t| t.term)
            .collect();
        assert_eq!(got, ["talks", "resumed"]);
    }
}
