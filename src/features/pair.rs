//! Pair-aware documents: the source and target mentions of a statement become role tokens,
//! the words between them get their own prefix, and the order of the two is a feature.

use std::ops::Range;

use crate::features::tfidf::word_key;
use crate::text::{Marker, Token, Tokenizer};

/// Token standing for the source actor's mention.
pub const SOURCE_TOKEN: &str = "_src_";
/// Token standing for the target actor's mention.
pub const TARGET_TOKEN: &str = "_tgt_";
/// Token standing for any other actor mentioned in the sentence.
pub const OTHER_TOKEN: &str = "_actor_";
/// Prefix of the terms of the words between source and target.
pub const BETWEEN_PREFIX: &str = "btw:";

/// The role of a mention in a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The actor whose stance is classified.
    Source,
    /// The actor the stance is about.
    Target,
    /// Any other actor in the sentence.
    Other,
}

impl Role {
    /// The token that replaces a mention with this role.
    pub fn token(self) -> &'static str {
        match self {
            Role::Source => SOURCE_TOKEN,
            Role::Target => TARGET_TOKEN,
            Role::Other => OTHER_TOKEN,
        }
    }
}

/// Where the actors of a statement are mentioned in its sentence (byte spans).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PairSpans {
    /// The source mention, when known.
    pub source: Option<Range<usize>>,
    /// The target mention, when known.
    pub target: Option<Range<usize>>,
    /// Mentions of other actors.
    pub others: Vec<Range<usize>>,
}

/// A tokenized document ready for the vectorizer: tokens, over which n-grams are built,
/// and extra single terms (between-words and order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    /// Tokens in text order.
    pub tokens: Vec<Token>,
    /// Extra terms that take part as unigrams only.
    pub extras: Vec<String>,
}

impl Document {
    /// Tokenizes plain text (no actor roles).
    pub fn plain(tokenizer: &Tokenizer, text: &str) -> Self {
        let tokens = tokenizer.tokenize(text);
        let mut extras = Vec::new();
        if let Some(lex) = tokenizer.lexicon() {
            lex.extras(&tokens, &mut extras);
        }
        Document { tokens, extras }
    }

    /// Tokenizes a statement's sentence with its actor roles marked.
    pub fn with_pair(tokenizer: &Tokenizer, text: &str, spans: &PairSpans) -> Self {
        let mut tokens = Vec::new();
        tokenizer.tokenize_into(text, &pair_markers(text, spans), &mut tokens);
        Self::with_tokens(tokenizer, tokens, spans)
    }

    /// The tokens of a sentence with every mention span replaced by the other-actor token:
    /// tokenized once, they give the document of every pair of the sentence through
    /// [`Document::with_roles`]. `None` when spans overlap or do not lie on char boundaries
    /// (use [`Document::with_pair`] then).
    pub fn mention_tokens(
        tokenizer: &Tokenizer,
        text: &str,
        mentions: &[Range<usize>],
    ) -> Option<Vec<Token>> {
        let markers = mention_markers(text, mentions)?;
        let mut tokens = Vec::new();
        tokenizer.tokenize_into(text, &markers, &mut tokens);
        Some(tokens)
    }

    /// The pair document from [`Document::mention_tokens`] of the same sentence, whose
    /// mentions include the pair's: equal to [`Document::with_pair`], without tokenizing again.
    pub fn with_roles(tokenizer: &Tokenizer, base: &[Token], spans: &PairSpans) -> Self {
        let tokens = base
            .iter()
            .map(|t| {
                let role = if t.term != OTHER_TOKEN {
                    None
                } else if spans.source.as_ref().is_some_and(|s| s.start == t.start) {
                    Some(SOURCE_TOKEN)
                } else if spans.target.as_ref().is_some_and(|s| s.start == t.start) {
                    Some(TARGET_TOKEN)
                } else {
                    None
                };
                match role {
                    Some(r) => Token {
                        term: r.to_string(),
                        start: t.start,
                    },
                    None => t.clone(),
                }
            })
            .collect();
        Self::with_tokens(tokenizer, tokens, spans)
    }

    /// Adds the pair extras (order, between-words, lexicon) to a pair's tokens.
    fn with_tokens(tokenizer: &Tokenizer, tokens: Vec<Token>, spans: &PairSpans) -> Self {
        let mut extras = Vec::new();
        if let (Some(s), Some(t)) = (&spans.source, &spans.target) {
            let (first, second) = if s.start <= t.start { (s, t) } else { (t, s) };
            extras.push(if s.start <= t.start {
                "_order_src_first".to_string()
            } else {
                "_order_tgt_first".to_string()
            });
            for tok in &tokens {
                if tok.start >= first.end && tok.start < second.start {
                    extras.push(format!("{BETWEEN_PREFIX}{}", tok.term));
                }
            }
        }
        if let Some(lex) = tokenizer.lexicon() {
            lex.extras(&tokens, &mut extras);
        }
        Document { tokens, extras }
    }
}

/// The role markers of a statement, sorted by start: where spans overlap, the source wins
/// over the target and both over other actors.
fn pair_markers(text: &str, spans: &PairSpans) -> Vec<Marker> {
    let mut markers: Vec<(Marker, u8)> = Vec::new();
    let mut push = |span: &Range<usize>, role: Role, priority: u8| {
        if span.start < span.end && span.end <= text.len() {
            markers.push((
                Marker {
                    span: span.clone(),
                    token: role.token(),
                },
                priority,
            ));
        }
    };
    if let Some(s) = &spans.source {
        push(s, Role::Source, 0);
    }
    if let Some(t) = &spans.target {
        push(t, Role::Target, 1);
    }
    for o in &spans.others {
        push(o, Role::Other, 2);
    }
    // Keep the highest-priority marker where spans overlap.
    markers.sort_by_key(|(m, p)| (*p, m.span.start));
    let mut kept: Vec<Marker> = Vec::with_capacity(markers.len());
    for (m, _) in markers {
        if kept
            .iter()
            .all(|k| k.span.end <= m.span.start || m.span.end <= k.span.start)
        {
            kept.push(m);
        }
    }
    kept.sort_by_key(|m| m.span.start);
    kept
}

/// The vectorizer keys of a statement, without building its [`Document`]: the keys of the
/// tokens and extra terms of [`Document::with_pair`] (or [`Document::plain`] when `spans`
/// is `None`), for [`crate::features::TfIdf::transform_keys`]. Returns `false`, and leaves
/// the keys empty, for tokenizers with lexicon features (build the document then).
pub fn statement_keys(
    tokenizer: &Tokenizer,
    text: &str,
    spans: Option<&PairSpans>,
    keys: &mut Vec<u64>,
    extras: &mut Vec<u64>,
) -> bool {
    keys.clear();
    extras.clear();
    if tokenizer.lexicon().is_some() {
        return false;
    }
    let markers = spans.map(|s| pair_markers(text, s)).unwrap_or_default();
    let pair = spans.and_then(|s| Some((s.source.as_ref()?, s.target.as_ref()?)));
    let between = pair.map(|(s, t)| {
        if s.start <= t.start {
            s.end..t.start
        } else {
            t.end..s.start
        }
    });
    let mut term = String::from(BETWEEN_PREFIX);
    let mut between_keys = Vec::new();
    tokenizer.for_each_token(text, &markers, |word, start| {
        keys.push(word_key(word));
        if between.as_ref().is_some_and(|b| b.contains(&start)) {
            term.truncate(BETWEEN_PREFIX.len());
            term.push_str(word);
            between_keys.push(word_key(&term));
        }
    });
    if let Some((s, t)) = pair {
        extras.push(word_key(if s.start <= t.start {
            "_order_src_first"
        } else {
            "_order_tgt_first"
        }));
        extras.extend(between_keys);
    }
    true
}

/// Every mention as an other-actor marker, sorted; `None` when spans overlap or do not lie
/// on char boundaries.
fn mention_markers(text: &str, mentions: &[Range<usize>]) -> Option<Vec<Marker>> {
    let mut spans: Vec<Range<usize>> = mentions.to_vec();
    spans.sort_by_key(|r| r.start);
    let valid = spans.iter().all(|r| {
        r.start < r.end
            && r.end <= text.len()
            && text.is_char_boundary(r.start)
            && text.is_char_boundary(r.end)
    }) && spans.windows(2).all(|w| w[0].end <= w[1].start);
    valid.then(|| {
        spans
            .into_iter()
            .map(|span| Marker {
                span,
                token: OTHER_TOKEN,
            })
            .collect()
    })
}

/// The vectorizer keys of one sentence's tokens (every mention as the other-actor token),
/// from which the keys of each of its pairs are made without building strings: the same
/// terms as [`Document::with_roles`], for tokenizers without lexicon features.
#[derive(Debug, Clone, Default)]
pub struct SentenceKeys {
    starts: Vec<usize>,
    keys: Vec<u64>,
    other: Vec<bool>,
    between: Vec<u64>,
}

impl SentenceKeys {
    /// Keys of a sentence tokenized with every span of `mentions` as the other-actor token
    /// (the tokens of [`Document::mention_tokens`]); `None` in the same cases.
    pub fn new(tokenizer: &Tokenizer, text: &str, mentions: &[Range<usize>]) -> Option<Self> {
        let markers = mention_markers(text, mentions)?;
        // About one token per six bytes of news text: reserve instead of growing.
        let guess = text.len() / 6 + 8;
        let mut keys = SentenceKeys {
            starts: Vec::with_capacity(guess),
            keys: Vec::with_capacity(guess),
            other: Vec::with_capacity(guess),
            between: Vec::with_capacity(guess),
        };
        let mut between = String::new();
        tokenizer.for_each_token(text, &markers, |term, start| {
            keys.starts.push(start);
            keys.keys.push(word_key(term));
            keys.other.push(term == OTHER_TOKEN);
            between.clear();
            between.push_str(BETWEEN_PREFIX);
            between.push_str(term);
            keys.between.push(word_key(&between));
        });
        Some(keys)
    }

    /// The token keys and extra-term keys of the pair `spans` (whose mentions are among the
    /// sentence's), for [`crate::features::TfIdf::transform_keys`].
    pub fn pair(&self, spans: &PairSpans, keys: &mut Vec<u64>, extras: &mut Vec<u64>) {
        keys.clear();
        extras.clear();
        let source = spans.source.as_ref().map(|s| s.start);
        let target = spans.target.as_ref().map(|s| s.start);
        for i in 0..self.keys.len() {
            let key = if !self.other[i] {
                self.keys[i]
            } else if Some(self.starts[i]) == source {
                word_key(SOURCE_TOKEN)
            } else if Some(self.starts[i]) == target {
                word_key(TARGET_TOKEN)
            } else {
                self.keys[i]
            };
            keys.push(key);
        }
        if let (Some(s), Some(t)) = (&spans.source, &spans.target) {
            let (first, second) = if s.start <= t.start { (s, t) } else { (t, s) };
            extras.push(word_key(if s.start <= t.start {
                "_order_src_first"
            } else {
                "_order_tgt_first"
            }));
            for i in 0..self.keys.len() {
                if self.starts[i] >= first.end && self.starts[i] < second.start {
                    extras.push(self.between[i]);
                }
            }
        }
    }
}

/// Finds `needle` in `text` case-insensitively on word boundaries; returns its byte span.
///
/// Used to place the `source`/`target` cells of a training row in its sentence.
pub fn find_mention(text: &str, needle: &str) -> Option<Range<usize>> {
    let needle = needle.trim();
    if needle.is_empty() {
        return None;
    }
    let on_boundaries = |start: usize, end: usize| {
        !text[..start]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
            && !text[end..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric)
    };
    if needle.is_ascii() {
        // ASCII names (nearly all): compare in place, no lowercased copies.
        let (hay, pat) = (text.as_bytes(), needle.as_bytes());
        let first = pat[0].to_ascii_lowercase();
        return (0..hay.len().saturating_sub(pat.len() - 1))
            .filter(|&i| hay[i].to_ascii_lowercase() == first)
            .find(|&i| {
                hay[i..i + pat.len()].eq_ignore_ascii_case(pat) && on_boundaries(i, i + pat.len())
            })
            .map(|i| i..i + pat.len());
    }
    let lower_text = text.to_lowercase();
    let lower_needle = needle.to_lowercase();
    // Lowercasing may change byte lengths; only use the fast path when it does not.
    if lower_text.len() != text.len() || lower_needle.len() != needle.len() {
        return text.find(needle).map(|s| s..s + needle.len());
    }
    let mut from = 0;
    while let Some(i) = lower_text[from..].find(&lower_needle) {
        let start = from + i;
        let end = start + lower_needle.len();
        if on_boundaries(start, end) {
            return Some(start..end);
        }
        from = start + lower_needle.len().max(1);
        while !text.is_char_boundary(from) {
            from += 1;
        }
    }
    None
}

/// Places the actors named by a data row's `source`/`target` cells in its sentence.
///
/// The plain implementation, [`TextLocator`], finds the cell text itself; the actors stage
/// adds one that also resolves codes and aliases through a dictionary and reports the other
/// actors of the sentence.
pub trait MentionLocator: Sync {
    /// The span of the actor named by `cell` in `text`, if it can be found.
    fn locate(&self, text: &str, cell: &str) -> Option<Range<usize>>;
    /// Spans of all actor mentions in `text` (the caller drops those of source and target).
    fn mentions(&self, text: &str) -> Vec<Range<usize>>;
}

/// Finds a cell's text verbatim (case-insensitive, on word boundaries); knows no other actors.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextLocator;

impl MentionLocator for TextLocator {
    fn locate(&self, text: &str, cell: &str) -> Option<Range<usize>> {
        find_mention(text, cell)
    }
    fn mentions(&self, _text: &str) -> Vec<Range<usize>> {
        Vec::new()
    }
}

/// How the actor cells of a batch of rows were placed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Placement {
    /// Rows whose source and target were both found (pair features).
    pub pair_rows: usize,
    /// Rows with an actor cell that could not be found (plain text, target marked if found).
    pub fallback_rows: usize,
}

/// Places a data row's `source`/`target` cells and the other actors in its text.
///
/// `None` when the row has neither cell (plain text). Otherwise the spans, and whether the
/// pair was placed: both found gives pair features; only the target found (as in
/// target-dependent sentiment data) marks the target.
pub fn row_spans(
    locator: &dyn MentionLocator,
    text: &str,
    source: Option<&str>,
    target: Option<&str>,
) -> Option<(PairSpans, bool)> {
    if source.is_none() && target.is_none() {
        return None;
    }
    let s = source.and_then(|c| locator.locate(text, c));
    let t = target.and_then(|c| locator.locate(text, c));
    let placed = (source.is_none() || s.is_some()) && (target.is_none() || t.is_some());
    let overlaps = |r: &Range<usize>, o: &Option<Range<usize>>| {
        o.as_ref()
            .is_some_and(|o| r.start < o.end && o.start < r.end)
    };
    let others = locator
        .mentions(text)
        .into_iter()
        .filter(|r| !overlaps(r, &s) && !overlaps(r, &t))
        .collect();
    let spans = PairSpans {
        source: s,
        target: t,
        others,
    };
    Some((spans, placed))
}

/// Builds the document of one row from its text and optional source/target cells (see
/// [`row_spans`]). Returns whether the pair was placed, `None` for plain text.
pub fn row_document(
    tokenizer: &Tokenizer,
    locator: &dyn MentionLocator,
    text: &str,
    source: Option<&str>,
    target: Option<&str>,
) -> (Document, Option<bool>) {
    match row_spans(locator, text, source, target) {
        None => (Document::plain(tokenizer, text), None),
        Some((spans, placed)) => (Document::with_pair(tokenizer, text, &spans), Some(placed)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::TokenizerParams;

    #[test]
    fn roles_between_and_order() {
        let tok = Tokenizer::new(TokenizerParams::default());
        let text = "Qatar sheltered Hamas leaders from Israel";
        let spans = PairSpans {
            source: find_mention(text, "qatar"),
            target: find_mention(text, "Hamas"),
            others: vec![find_mention(text, "Israel").unwrap()],
        };
        let doc = Document::with_pair(&tok, text, &spans);
        let terms: Vec<_> = doc.tokens.iter().map(|t| t.term.as_str()).collect();
        assert_eq!(
            terms,
            ["_src_", "shelter", "_tgt_", "leader", "from", "_actor_"]
        );
        assert_eq!(doc.extras, ["_order_src_first", "btw:shelter"]);
    }

    #[test]
    fn tokenizing_once_per_sentence_gives_the_same_pair_documents() {
        let tok = Tokenizer::new(TokenizerParams::default());
        let text = "Cairo did not back Doha's plan, and Amman-based envoys praised Rabat";
        let mentions: Vec<Range<usize>> = ["Cairo", "Doha", "Amman", "Rabat"]
            .iter()
            .map(|m| find_mention(text, m).unwrap())
            .collect();
        let base = Document::mention_tokens(&tok, text, &mentions).unwrap();
        for (s, t) in [(0, 1), (1, 0), (2, 3), (3, 0)] {
            let spans = PairSpans {
                source: Some(mentions[s].clone()),
                target: Some(mentions[t].clone()),
                others: (0..4)
                    .filter(|&i| i != s && i != t)
                    .map(|i| mentions[i].clone())
                    .collect(),
            };
            assert_eq!(
                Document::with_roles(&tok, &base, &spans),
                Document::with_pair(&tok, text, &spans)
            );
        }
        assert!(Document::mention_tokens(&tok, text, &[0..5, 3..8]).is_none());
        // The key path gives the same vectorizer rows.
        let docs: Vec<Document> = [(0, 1), (2, 3)]
            .iter()
            .map(|&(s, t)| {
                let spans = PairSpans {
                    source: Some(mentions[s].clone()),
                    target: Some(mentions[t].clone()),
                    others: Vec::new(),
                };
                Document::with_roles(&tok, &base, &spans)
            })
            .collect();
        let tfidf = fitted_on(&docs);
        let sentence = SentenceKeys::new(&tok, text, &mentions).unwrap();
        let (mut keys, mut extras, mut a, mut b) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (s, t) in [(0, 1), (1, 0), (2, 3), (3, 0)] {
            let spans = PairSpans {
                source: Some(mentions[s].clone()),
                target: Some(mentions[t].clone()),
                others: Vec::new(),
            };
            sentence.pair(&spans, &mut keys, &mut extras);
            tfidf.transform_keys(&keys, &extras, &mut a);
            tfidf.transform_one(&Document::with_roles(&tok, &base, &spans), &mut b);
            assert_eq!(a, b);
            assert!(!a.is_empty());
        }
    }

    /// A vectorizer fitted on `docs` that keeps every term.
    fn fitted_on(docs: &[Document]) -> crate::features::TfIdf {
        let refs: Vec<&Document> = docs.iter().collect();
        crate::features::TfIdfParams {
            min_df: 1,
            ..Default::default()
        }
        .fit(&refs)
        .unwrap()
    }

    #[test]
    fn statement_keys_give_the_rows_of_the_documents() {
        let tok = Tokenizer::new(TokenizerParams::default());
        let text = "Cairo did not back Doha's plan, and Amman-based envoys praised Rabat";
        let at = |m: &str| find_mention(text, m).unwrap();
        let cases = [
            None,
            Some(PairSpans::default()),
            Some(PairSpans {
                source: None,
                target: Some(at("Doha")),
                others: vec![at("Rabat")],
            }),
            Some(PairSpans {
                source: Some(at("Rabat")),
                target: Some(at("Cairo")),
                others: vec![at("Amman"), at("Doha")],
            }),
            Some(PairSpans {
                source: Some(at("Cairo")),
                target: Some(at("Doha")),
                others: vec![at("Cairo")],
            }),
        ];
        let docs: Vec<Document> = cases
            .iter()
            .map(|c| match c {
                None => Document::plain(&tok, text),
                Some(spans) => Document::with_pair(&tok, text, spans),
            })
            .collect();
        let tfidf = fitted_on(&docs);
        let (mut keys, mut extras, mut a, mut b) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (case, doc) in cases.iter().zip(&docs) {
            assert!(statement_keys(
                &tok,
                text,
                case.as_ref(),
                &mut keys,
                &mut extras
            ));
            tfidf.transform_keys(&keys, &extras, &mut a);
            tfidf.transform_one(doc, &mut b);
            assert!(!a.is_empty());
            assert_eq!(a, b);
        }
        let lexicon = Tokenizer::new(TokenizerParams {
            lexicon: true,
            ..TokenizerParams::default()
        });
        assert!(!statement_keys(
            &lexicon,
            text,
            None,
            &mut keys,
            &mut extras
        ));
    }

    #[test]
    fn find_mention_respects_word_boundaries() {
        assert_eq!(find_mention("Iranians and Iran", "Iran"), Some(13..17));
        assert_eq!(find_mention("no match", "Iran"), None);
    }
}
