//! `stancekit classify`: every actor-pair statement of news articles with its stance,
//! confidence and the words behind it; or, with `--summary`, one row per dyad.
//!
//! Articles stream through in chunks: each chunk is classified in parallel and written in
//! input order, so memory stays bounded whatever the corpus size.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use rayon::prelude::*;
use serde::ser::SerializeMap;
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

use stancekit::actors::Mention;
use stancekit::classify::{
    readable_term, ClassifiedStatement, Pipeline, PipelineOptions, UNCERTAIN,
};
use stancekit::corpus::{self, Article, InputFormat, JsonlArticles};
use stancekit::features::Document;
use stancekit::model::Classifier;
use stancekit::summary::{Observation, Period, Summarizer};

use super::actors::ActorArgs;
use super::output::{Output, OutputArgs, OutputFormat};

/// Arguments of `classify`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    stancekit classify article.txt\n  \
    stancekit classify news/ --format jsonl --explain 5 --sentiment -o statements.jsonl\n  \
    stancekit classify corpus.jsonl --input-format jsonl --summary --by month\n  \
    cat article.txt | stancekit classify - --format csv\n\n\
    JSONL keys: doc, sentence, text, source and target {code, name, mention, start, end},\n\
    direction_rule, label, confidence, probabilities; with --explain: explanation;\n\
    with --sentiment: sentiment, sentiment_probabilities; with --all-labels: forced_label.")]
pub struct ClassifyArgs {
    /// The articles.
    #[command(flatten)]
    pub articles: ArticleArgs,
    /// Stance model file (default: the embedded model).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Add each sentence's sentiment.
    #[arg(long)]
    pub sentiment: bool,
    /// Sentiment model file (default: the embedded model).
    #[arg(long)]
    pub sentiment_model: Option<PathBuf>,
    /// Actor dictionaries.
    #[command(flatten)]
    pub actors: ActorArgs,
    /// Where and how to write.
    #[command(flatten)]
    pub output: OutputArgs,
    /// Statements below this confidence are labeled `uncertain` (default: the model's threshold).
    #[arg(long)]
    pub min_confidence: Option<f64>,
    /// Also report the forced label of uncertain statements.
    #[arg(long)]
    pub all_labels: bool,
    /// List the N features that pushed each statement's label most.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub explain: usize,
    /// Emit every statement in both directions.
    #[arg(long)]
    pub both_directions: bool,
    /// Print one row per dyad (source → target) instead of the statements.
    #[arg(long)]
    pub summary: bool,
    /// With --summary: also group by the articles' dates (JSONL `date`).
    #[arg(long, value_enum, requires = "summary")]
    pub by: Option<Period>,
}

/// Where the articles come from (shared by `classify` and `sentiment`).
#[derive(Debug, Args)]
pub struct ArticleArgs {
    /// Article files, directories (all `*.txt` inside, recursively) or `-` for standard input.
    #[arg(value_name = "INPUT", default_value = "-")]
    pub inputs: Vec<PathBuf>,
    /// How inputs are read: one article per file, or one JSON article per line.
    #[arg(long, value_enum, default_value = "text")]
    pub input_format: InputFormat,
    /// Decode invalid UTF-8 with replacement characters instead of skipping the article.
    #[arg(long)]
    pub lossy: bool,
}

impl ArticleArgs {
    /// The articles of all inputs, in order, read lazily.
    pub(super) fn open(&self) -> Inputs {
        Inputs::new(&self.inputs, self.input_format, self.lossy)
    }
}

/// Articles per parallel chunk, and the byte budget of a chunk.
const CHUNK_DOCS: usize = 256;
const CHUNK_BYTES: usize = 8 << 20;

/// Loads a model file, or the embedded default.
pub fn model_or_default(
    path: &Option<PathBuf>,
    default: fn() -> stancekit::Result<Classifier>,
) -> anyhow::Result<Classifier> {
    match path {
        Some(p) => super::load_model(p),
        None => default().context("cannot load the embedded model"),
    }
}

/// Runs `classify`.
pub fn run(args: ClassifyArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let stance = model_or_default(&args.model, stancekit::defaults::stance_model)?;
    let sentiment = if args.sentiment {
        Some(model_or_default(
            &args.sentiment_model,
            stancekit::defaults::sentiment_model,
        )?)
    } else {
        None
    };
    let matcher = args.actors.matcher()?;
    let pipeline = Pipeline {
        matcher: &matcher,
        stance: &stance,
        sentiment: sentiment.as_ref(),
        options: PipelineOptions {
            both_directions: args.both_directions,
            explain: args.explain,
            min_confidence: args.min_confidence,
        },
    };
    let (mut out, format) = args.output.open()?;
    let interrupted = Arc::new(AtomicBool::new(false));
    {
        let flag = interrupted.clone();
        let _ = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst));
    }
    let mut inputs = args.articles.open();
    let progress = super::output::progress_bar(inputs.total_bytes);
    let mut summarizer = Summarizer::default();
    let mut stats = Stats::default();
    let mut failures = 0usize;
    let mut broken_pipe = false;
    // JSONL lines are rendered inside the parallel stage; other formats keep state
    // (headers, widths) and are written in order afterwards.
    let render_jsonl = format == OutputFormat::Jsonl && !args.summary;
    let buffers: std::sync::Mutex<Vec<Vec<u8>>> = std::sync::Mutex::new(Vec::new());
    let classify_chunk =
        |chunk: Vec<stancekit::Result<Pending>>| -> Vec<stancekit::Result<(Article, Classified)>> {
            chunk
                .into_par_iter()
                .map(|item| {
                    let a = item.and_then(Pending::article)?;
                    let spans = stancekit::text::sentences::split_sentences(&a.text);
                    let sentences = spans.len();
                    let statements = pipeline.classify_sentences(&a.text, &spans);
                    let mut rendered = Vec::new();
                    if render_jsonl {
                        // Reuse the buffers of earlier chunks: fresh memory costs page faults.
                        if let Some(buf) = buffers.lock().ok().and_then(|mut pool| pool.pop()) {
                            rendered = buf;
                        }
                        rendered.reserve(statements.len() * 640);
                        let texts = sentence_texts(&statements);
                        for s in &statements {
                            let text = &texts[&s.statement.sentence_index];
                            let record =
                                statement_record(&stance, sentiment.as_ref(), &a, s, text, &args);
                            // Writing JSON into memory cannot fail.
                            let _ = serde_json::to_writer(&mut rendered, &record);
                            rendered.push(b'\n');
                        }
                    }
                    let done = Classified {
                        sentences,
                        statements,
                        rendered,
                    };
                    Ok((a, done))
                })
                .collect()
        };
    let mut to_write: Vec<Vec<u8>> = Vec::new();
    'chunks: loop {
        if interrupted.load(Ordering::SeqCst) {
            eprintln!("stancekit: interrupted; what was written is complete");
            break;
        }
        let mut chunk: Vec<stancekit::Result<Pending>> = Vec::new();
        let mut bytes = 0;
        while chunk.len() < CHUNK_DOCS && bytes < CHUNK_BYTES {
            match inputs.next() {
                None => break,
                Some(item) => {
                    bytes += item.as_ref().map_or(0, Pending::len);
                    chunk.push(item);
                }
            }
        }
        if chunk.is_empty() {
            break;
        }
        // The previous chunk's JSONL is written while this chunk is classified.
        let (written, results) = rayon::join(
            || write_pending(&mut out, &mut to_write, &buffers),
            || classify_chunk(chunk),
        );
        if let Err(e) = written {
            if is_broken_pipe(&e) {
                broken_pipe = true;
                break 'chunks;
            }
            return Err(e);
        }
        for result in results {
            let (article, done) = match result {
                Ok(r) => r,
                Err(e) => {
                    failures += 1;
                    match &progress {
                        Some(p) => p.suspend(|| eprintln!("stancekit: skipped: {e}")),
                        None => eprintln!("stancekit: skipped: {e}"),
                    }
                    continue;
                }
            };
            let article = &article;
            stats.documents += 1;
            stats.bytes += article.text.len();
            stats.sentences += done.sentences;
            stats.statements += done.statements.len();
            if args.summary {
                let period = args
                    .by
                    .and_then(|p| article.date.as_deref().and_then(|d| p.bucket(d)));
                for s in &done.statements {
                    let probs = probabilities(&stance, s);
                    summarizer.add(&Observation {
                        source: &s.statement.source.code,
                        target: &s.statement.target.code,
                        period: period.clone(),
                        label: reported_label(&stance, s),
                        probabilities: &probs,
                    });
                }
                continue;
            }
            let written = if render_jsonl {
                to_write.push(done.rendered);
                Ok(())
            } else {
                let texts = sentence_texts(&done.statements);
                done.statements.iter().try_for_each(|s| {
                    let text = &texts[&s.statement.sentence_index];
                    let record =
                        statement_record(&stance, sentiment.as_ref(), article, s, text, &args);
                    match serde_json::to_value(&record)? {
                        Value::Object(map) => out.write_statement(&map),
                        _ => Ok(()),
                    }
                })
            };
            if let Err(e) = written {
                if is_broken_pipe(&e) {
                    broken_pipe = true;
                    break 'chunks;
                }
                return Err(e);
            }
        }
        if let Some(p) = &progress {
            p.set_position(stats.bytes as u64);
        }
    }
    if !broken_pipe {
        if let Err(e) = write_pending(&mut out, &mut to_write, &buffers) {
            if !is_broken_pipe(&e) {
                return Err(e);
            }
            broken_pipe = true;
        }
    }
    if let Some(p) = &progress {
        p.finish_and_clear();
    }
    if args.summary && !broken_pipe {
        for row in summarizer.finish() {
            if let Err(e) = out.write_summary(&row) {
                if is_broken_pipe(&e) {
                    broken_pipe = true;
                    break;
                }
                return Err(e);
            }
        }
    }
    if !broken_pipe {
        out.finish()?;
    }
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "stancekit: {} documents, {} sentences, {} statements, {:.1} MB in {:.2}s ({:.1} MB/s){}",
        stats.documents,
        stats.sentences,
        stats.statements,
        stats.bytes as f64 / 1e6,
        secs,
        stats.bytes as f64 / 1e6 / secs.max(1e-9),
        if failures > 0 {
            format!("; {failures} input(s) failed")
        } else {
            String::new()
        }
    );
    Ok(if failures > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Writes the JSONL buffers of the previous chunk and returns them, emptied, to `pool`.
fn write_pending(
    out: &mut Output,
    pending: &mut Vec<Vec<u8>>,
    pool: &std::sync::Mutex<Vec<Vec<u8>>>,
) -> anyhow::Result<()> {
    for mut buf in pending.drain(..) {
        out.write_raw(&buf)?;
        buf.clear();
        if let Ok(mut pool) = pool.lock() {
            pool.push(buf);
        }
    }
    Ok(())
}

/// One article's results from the parallel stage.
struct Classified {
    sentences: usize,
    statements: Vec<ClassifiedStatement>,
    rendered: Vec<u8>,
}

#[derive(Debug, Default)]
struct Stats {
    documents: usize,
    sentences: usize,
    statements: usize,
    bytes: usize,
}

/// Whether an error chain ends in a broken pipe (the reader went away).
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// An input read but maybe not parsed yet: JSONL lines are parsed in the parallel stage.
pub(super) enum Pending {
    /// A whole text file.
    Ready(Article),
    /// A JSONL line.
    Line(corpus::JsonLine),
}

impl Pending {
    /// The article (parsing a JSONL line now).
    pub(super) fn article(self) -> stancekit::Result<Article> {
        match self {
            Pending::Ready(a) => Ok(a),
            Pending::Line(l) => l.parse(),
        }
    }

    fn len(&self) -> usize {
        match self {
            Pending::Ready(a) => a.text.len(),
            Pending::Line(l) => l.len(),
        }
    }
}

/// The articles of all inputs, in order, read lazily.
pub(super) struct Inputs {
    files: std::vec::IntoIter<stancekit::Result<PathBuf>>,
    format: InputFormat,
    lossy: bool,
    current: Option<JsonlArticles>,
    pub(super) total_bytes: u64,
}

impl Inputs {
    pub(super) fn new(inputs: &[PathBuf], format: InputFormat, lossy: bool) -> Self {
        let files = corpus::expand_inputs(inputs, format);
        let total_bytes = files
            .iter()
            .filter_map(|f| f.as_ref().ok())
            .filter_map(|p| std::fs::metadata(p).ok())
            .map(|m| m.len())
            .sum();
        Inputs {
            files: files.into_iter(),
            format,
            lossy,
            current: None,
            total_bytes,
        }
    }
}

impl Iterator for Inputs {
    type Item = stancekit::Result<Pending>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(stream) = &mut self.current {
                match stream.next_line() {
                    Some(item) => return Some(item.map(Pending::Line)),
                    None => self.current = None,
                }
            }
            let path = match self.files.next()? {
                Ok(p) => p,
                Err(e) => return Some(Err(e)),
            };
            match self.format {
                InputFormat::Text => {
                    return Some(corpus::read_text_article(&path, self.lossy).map(Pending::Ready))
                }
                InputFormat::Jsonl => match JsonlArticles::open(&path, self.lossy) {
                    Ok(s) => self.current = Some(s),
                    Err(e) => return Some(Err(e)),
                },
            }
        }
    }
}

fn reported_label<'a>(model: &'a Classifier, s: &ClassifiedStatement) -> &'a str {
    if s.uncertain {
        UNCERTAIN
    } else {
        &model.labels()[s.stance.label]
    }
}

fn probabilities(model: &Classifier, s: &ClassifiedStatement) -> Vec<(String, f64)> {
    model
        .labels()
        .iter()
        .cloned()
        .zip(s.stance.probabilities.iter().copied())
        .collect()
}

/// A mention as written in the output.
#[derive(Serialize)]
struct MentionRecord<'a> {
    code: &'a str,
    name: &'a str,
    mention: &'a str,
    start: usize,
    end: usize,
}

impl<'a> From<&'a Mention> for MentionRecord<'a> {
    fn from(m: &'a Mention) -> Self {
        MentionRecord {
            code: &m.code,
            name: &m.name,
            mention: &m.text,
            start: m.start,
            end: m.end,
        }
    }
}

/// Label → probability, serialized as a JSON object in label order.
struct LabelProbabilities<'a> {
    labels: &'a [String],
    probabilities: &'a [f64],
}

impl Serialize for LabelProbabilities<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.labels.len()))?;
        for (l, p) in self.labels.iter().zip(self.probabilities) {
            map.serialize_entry(l, p)?;
        }
        map.end()
    }
}

/// One explaining feature as written in the output.
#[derive(Serialize)]
struct FeatureRecord<'a> {
    feature: String,
    term: &'a str,
    value: f64,
    weight: f64,
    contribution: f64,
}

/// One statement as written in the output (the JSONL line; CSV and table read from it too).
#[derive(Serialize)]
struct StatementRecord<'a> {
    doc: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
    sentence: usize,
    text: &'a RawValue,
    source: MentionRecord<'a>,
    target: MentionRecord<'a>,
    direction_rule: &'static str,
    label: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    forced_label: Option<&'a str>,
    confidence: f64,
    probabilities: LabelProbabilities<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    explanation: Option<Vec<FeatureRecord<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sentiment: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sentiment_probabilities: Option<LabelProbabilities<'a>>,
    #[serde(flatten)]
    extra: &'a Map<String, Value>,
}

/// Each sentence's text as a JSON string, escaped once for all its statements.
fn sentence_texts(statements: &[ClassifiedStatement]) -> BTreeMap<usize, Box<RawValue>> {
    let mut texts = BTreeMap::new();
    for s in statements {
        texts.entry(s.statement.sentence_index).or_insert_with(|| {
            let json = serde_json::to_string(&s.statement.text).unwrap_or_else(|_| "\"\"".into());
            RawValue::from_string(json).unwrap_or_else(|_| RawValue::NULL.to_owned())
        });
    }
    texts
}

fn statement_record<'a>(
    stance: &'a Classifier,
    sentiment_model: Option<&'a Classifier>,
    article: &'a Article,
    s: &'a ClassifiedStatement,
    text: &'a RawValue,
    args: &ClassifyArgs,
) -> StatementRecord<'a> {
    let st = &s.statement;
    let explanation = (args.explain > 0).then(|| {
        let doc = Document::with_pair(stance.tokenizer(), &st.text, &st.pair_spans());
        s.explanation
            .iter()
            .map(|c| FeatureRecord {
                feature: readable_term(&c.term, &doc, &st.text),
                term: &c.term,
                value: c.value,
                weight: c.weight,
                contribution: c.value * c.weight,
            })
            .collect()
    });
    let (sentiment, sentiment_probabilities) = match (&s.sentiment, sentiment_model) {
        (Some(p), Some(model)) => (
            Some(model.labels()[p.label].as_str()),
            Some(LabelProbabilities {
                labels: model.labels(),
                probabilities: &p.probabilities,
            }),
        ),
        _ => (None, None),
    };
    StatementRecord {
        doc: &article.doc,
        date: article.date.as_deref(),
        sentence: st.sentence_index,
        text,
        source: (&st.source).into(),
        target: (&st.target).into(),
        direction_rule: st.direction_rule.as_str(),
        label: reported_label(stance, s),
        forced_label: (args.all_labels && s.uncertain)
            .then(|| stance.labels()[s.stance.label].as_str()),
        confidence: s.stance.confidence,
        probabilities: LabelProbabilities {
            labels: stance.labels(),
            probabilities: &s.stance.probabilities,
        },
        explanation,
        sentiment,
        sentiment_probabilities,
        extra: &article.extra,
    }
}
