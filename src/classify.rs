//! The article pipeline: sentences → actor-pair statements → stance (and sentence sentiment)
//! with probabilities, abstention and explanations.

use crate::actors::Matcher;
use crate::features::{pair, Document, SentenceKeys};
use crate::model::classifier::Contribution;
use crate::model::{Classifier, Prediction};
use crate::statements::{extract_statements_in, Statement};
use crate::text::sentences::split_sentences;
use crate::text::Token;

/// The label given to a statement whose confidence is below the abstention threshold.
pub const UNCERTAIN: &str = "uncertain";

/// A classified statement.
#[derive(Debug, Clone)]
pub struct ClassifiedStatement {
    /// The statement (sentence, actors, direction).
    pub statement: Statement,
    /// The stance model's prediction.
    pub stance: Prediction,
    /// Whether the confidence is below the threshold (reported as [`UNCERTAIN`]).
    pub uncertain: bool,
    /// The features that pushed the predicted label most (empty unless asked for).
    pub explanation: Vec<Contribution>,
    /// The sentiment of the statement's sentence, when a sentiment model is given.
    pub sentiment: Option<Prediction>,
}

/// Settings of a classification run.
#[derive(Debug, Clone, Copy)]
pub struct PipelineOptions {
    /// Emit each statement in both directions.
    pub both_directions: bool,
    /// Number of explaining features per statement (0: none).
    pub explain: usize,
    /// Confidence below which a statement is uncertain; `None` uses the model's own.
    pub min_confidence: Option<f64>,
}

/// Everything needed to classify articles.
#[derive(Debug)]
pub struct Pipeline<'a> {
    /// The actor matcher.
    pub matcher: &'a Matcher,
    /// The stance model.
    pub stance: &'a Classifier,
    /// The sentiment model, if sentence sentiment is wanted.
    pub sentiment: Option<&'a Classifier>,
    /// Run settings.
    pub options: PipelineOptions,
}

impl Pipeline<'_> {
    /// The abstention threshold in force.
    pub fn threshold(&self) -> f64 {
        self.options
            .min_confidence
            .or(self.stance.metadata().abstain_below)
            .unwrap_or(0.0)
    }

    /// Classifies every statement of an article.
    pub fn classify(&self, article: &str) -> Vec<ClassifiedStatement> {
        self.classify_sentences(article, &split_sentences(article))
    }

    /// Classifies every statement of an article already split into `sentences`.
    pub fn classify_sentences(
        &self,
        article: &str,
        sentences: &[std::ops::Range<usize>],
    ) -> Vec<ClassifiedStatement> {
        let statements = extract_statements_in(
            article,
            sentences,
            self.matcher,
            self.options.both_directions,
        );
        let threshold = self.threshold();
        let mut scratch = Vec::new();
        let mut sentiment_of: Option<(usize, Prediction)> = None;
        // Every statement of a sentence has the same mentions: tokenize the sentence once,
        // and (without explanations or lexicon features) derive each pair's vectorizer keys
        // from the sentence's keys instead of building its document.
        let mut sentence: Option<(usize, Option<Vec<Token>>, Option<SentenceKeys>)> = None;
        let tokenizer = self.stance.tokenizer();
        let keyed = self.options.explain == 0
            && tokenizer.lexicon().is_none()
            && self.stance.tfidf().has_key_index();
        let (mut keys, mut extras) = (Vec::new(), Vec::new());
        statements
            .into_iter()
            .map(|statement| {
                let spans = statement.pair_spans();
                if sentence.as_ref().map(|s| s.0) != Some(statement.sentence_index) {
                    let mut all = spans.others.clone();
                    all.extend(spans.source.clone());
                    all.extend(spans.target.clone());
                    sentence = Some(if keyed {
                        let keys = SentenceKeys::new(tokenizer, &statement.text, &all);
                        (statement.sentence_index, None, keys)
                    } else {
                        let base = Document::mention_tokens(tokenizer, &statement.text, &all);
                        (statement.sentence_index, base, None)
                    });
                }
                let (base, sentence_keys) = match &sentence {
                    Some((_, b, k)) => (b.as_ref(), k.as_ref()),
                    None => (None, None),
                };
                let (stance, explanation) = match (sentence_keys, base) {
                    (Some(k), _) => {
                        k.pair(&spans, &mut keys, &mut extras);
                        self.stance
                            .tfidf()
                            .transform_keys(&keys, &extras, &mut scratch);
                        (self.stance.predict_row(&scratch), Vec::new())
                    }
                    (None, base) => {
                        let doc = match base {
                            Some(base) => Document::with_roles(tokenizer, base, &spans),
                            None => Document::with_pair(tokenizer, &statement.text, &spans),
                        };
                        let stance = self.stance.predict_with(&doc, &mut scratch);
                        let explanation = if self.options.explain > 0 {
                            self.stance
                                .explain(&doc, stance.label, self.options.explain)
                        } else {
                            Vec::new()
                        };
                        (stance, explanation)
                    }
                };
                let sentiment = self.sentiment.map(|model| match &sentiment_of {
                    Some((i, p)) if *i == statement.sentence_index => p.clone(),
                    _ => {
                        let p = model.predict(&Document::plain(model.tokenizer(), &statement.text));
                        sentiment_of = Some((statement.sentence_index, p.clone()));
                        p
                    }
                });
                ClassifiedStatement {
                    uncertain: stance.confidence < threshold,
                    statement,
                    stance,
                    explanation,
                    sentiment,
                }
            })
            .collect()
    }
}

/// One sentence with its sentiment.
#[derive(Debug, Clone)]
pub struct SentenceSentiment {
    /// Index of the sentence in the article.
    pub index: usize,
    /// Byte span in the article.
    pub span: std::ops::Range<usize>,
    /// The sentiment prediction.
    pub prediction: Prediction,
}

/// Labels every sentence of an article with a sentiment model.
pub fn sentence_sentiment(model: &Classifier, article: &str) -> Vec<SentenceSentiment> {
    let mut scratch = Vec::new();
    split_sentences(article)
        .into_iter()
        .enumerate()
        .map(|(index, span)| {
            let doc = Document::plain(model.tokenizer(), &article[span.clone()]);
            SentenceSentiment {
                index,
                span,
                prediction: model.predict_with(&doc, &mut scratch),
            }
        })
        .collect()
}

/// The word of `text` that starts at byte `start` (letters, digits, inner hyphens and
/// apostrophes).
fn word_at(text: &str, start: usize) -> &str {
    let rest = text.get(start..).unwrap_or("");
    let mut end = 0;
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_alphanumeric() {
            end = i + c.len_utf8();
        } else if matches!(c, '-' | '\'' | '’')
            && chars.peek().is_some_and(|&(_, n)| n.is_alphanumeric())
        {
            continue;
        } else {
            break;
        }
    }
    &rest[..end]
}

/// A feature term in words a reader understands: stems become the words of `text` they came
/// from (via `doc`'s token offsets), role tokens `[source]`, `[target]`, `[other actor]`,
/// negated words `not-…`, and words between the two actors are marked.
pub fn readable_term(term: &str, doc: &Document, text: &str) -> String {
    let surface = |stem: &str| -> Option<String> {
        doc.tokens
            .iter()
            .find(|t| t.term == stem && !t.term.starts_with('_'))
            .map(|t| word_at(text, t.start).to_string())
            .filter(|w| !w.is_empty())
    };
    term.split(' ')
        .map(|w| {
            let (prefix, w) = match w.strip_prefix(pair::BETWEEN_PREFIX) {
                Some(rest) => ("between: ", rest),
                None => ("", w),
            };
            let original = surface(w);
            let w = match w.strip_prefix(crate::text::tokenize::NEGATION_PREFIX) {
                Some(rest) => format!("not-{}", original.unwrap_or_else(|| rest.to_string())),
                None => original.unwrap_or_else(|| w.to_string()),
            };
            let w = match w.as_str() {
                pair::SOURCE_TOKEN => "[source]".to_string(),
                pair::TARGET_TOKEN => "[target]".to_string(),
                pair::OTHER_TOKEN => "[other actor]".to_string(),
                crate::text::tokenize::NUMBER_TOKEN => "[number]".to_string(),
                "_order_src_first" => "(source before target)".to_string(),
                "_order_tgt_first" => "(target before source)".to_string(),
                _ if w.starts_with("_lex_") => format!("(lexicon: {})", &w[5..]),
                _ => w,
            };
            format!("{prefix}{w}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}
