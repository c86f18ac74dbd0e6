//! The command line: one file per subcommand (its arguments and a `run` function).
//! `main` only parses and dispatches; all work happens in the library.

pub mod actors;
pub mod classify;
pub mod evaluate;
pub mod inspect;
pub mod output;
pub mod pairs;
pub mod predict;
pub mod sentiment;
pub mod summarize;
pub mod train;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use stancekit::data::{self, Columns, Rows};
use stancekit::features::{
    row_document, Document, MentionLocator, Placement, TermDocs, TextLocator,
};
use stancekit::model::Classifier;
use stancekit::text::Tokenizer;

/// stancekit: who supports, reconciles with or attacks whom in news text.
#[derive(Debug, Parser)]
#[command(name = "stancekit", version, about, long_about = None)]
pub struct Cli {
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Classify the actor-pair statements of articles (the main job).
    Classify(classify::ClassifyArgs),
    /// Label the sentiment of every sentence of articles.
    Sentiment(sentiment::SentimentArgs),
    /// Summarize a classify JSONL output per dyad (and period).
    Summarize(summarize::SummarizeArgs),
    /// Train a model from labeled CSV/JSONL rows.
    Train(train::TrainArgs),
    /// Score a model on labeled rows.
    Evaluate(evaluate::EvaluateArgs),
    /// Label rows with a model.
    Predict(predict::PredictArgs),
    /// Show a model's metadata and strongest features.
    Inspect(inspect::InspectArgs),
    /// List the directed actor pairs (statements) of articles, without classifying them.
    Pairs(pairs::PairsArgs),
    /// Work with actor dictionaries (check one).
    Actors(actors::ActorsArgs),
}

/// Runs the parsed command; `Ok` carries the exit code (0 ok, 1 a gate not met).
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Classify(a) => classify::run(a),
        Command::Sentiment(a) => sentiment::run(a),
        Command::Summarize(a) => summarize::run(a),
        Command::Train(a) => train::run(a),
        Command::Evaluate(a) => evaluate::run(a),
        Command::Predict(a) => predict::run(a),
        Command::Inspect(a) => inspect::run(a),
        Command::Pairs(a) => pairs::run(a),
        Command::Actors(a) => actors::run(a),
    }
}

/// Input files and the columns to read from them.
#[derive(Debug, Args, Clone)]
pub struct DataArgs {
    /// Input CSV or JSONL file(s) (`.jsonl`/`.ndjson` are read as JSON lines).
    #[arg(long = "data", required = true, num_args = 1..)]
    pub data: Vec<PathBuf>,
    /// Column holding the text.
    #[arg(long, default_value = "text")]
    pub text_col: String,
    /// Column holding the label.
    #[arg(long, default_value = "label")]
    pub label_col: String,
    /// Column naming the source actor (used when present).
    #[arg(long, default_value = "source")]
    pub source_col: String,
    /// Column naming the target actor (used when present).
    #[arg(long, default_value = "target")]
    pub target_col: String,
    /// Keep only rows whose `split` column has this value (e.g. train, dev, test).
    #[arg(long)]
    pub split: Option<String>,
    /// Skip invalid rows (reported and counted) instead of stopping at the first.
    #[arg(long)]
    pub skip_invalid: bool,
    /// Actor dictionaries that resolve `source`/`target` cells given as codes or aliases and
    /// mark the other actors of each sentence.
    #[command(flatten)]
    pub actors: actors::ActorArgs,
    /// Place actor cells by their text only (no dictionary).
    #[arg(long)]
    pub no_actors: bool,
}

impl DataArgs {
    /// Reads the rows, reporting skipped ones on stderr.
    pub fn read(&self, with_labels: bool) -> anyhow::Result<Rows> {
        let rows = data::read(&self.data, &self.columns(with_labels), self.skip_invalid)?;
        report_skipped(&rows.skipped);
        Ok(rows)
    }

    /// Hands the rows to `each` one at a time (see [`data::for_each_row`]), reporting
    /// skipped ones on stderr.
    pub fn for_each_row(
        &self,
        with_labels: bool,
        each: impl FnMut(data::Row) -> std::ops::ControlFlow<()>,
    ) -> anyhow::Result<()> {
        let skipped = data::for_each_row(
            &self.data,
            &self.columns(with_labels),
            self.skip_invalid,
            each,
        )?;
        report_skipped(&skipped);
        Ok(())
    }

    fn columns(&self, with_labels: bool) -> Columns {
        Columns {
            text: self.text_col.clone(),
            label: with_labels.then(|| self.label_col.clone()),
            source: self.source_col.clone(),
            target: self.target_col.clone(),
            split: self.split.clone(),
        }
    }
}

fn report_skipped(skipped: &[stancekit::Error]) {
    if !skipped.is_empty() {
        for e in skipped.iter().take(20) {
            eprintln!("skipped: {e}");
        }
        eprintln!("skipped {} invalid row(s)", skipped.len());
    }
}

impl DataArgs {
    /// The locator that places actor cells in sentences: the chosen dictionaries' matcher,
    /// or the cell text alone with `--no-actors`.
    pub fn locator(&self) -> anyhow::Result<Box<dyn MentionLocator>> {
        if self.no_actors {
            return Ok(Box::new(TextLocator));
        }
        Ok(Box::new(self.actors.matcher()?))
    }
}

/// Turns rows into documents for `tokenizer`, counting how actor cells were placed.
pub fn documents(
    tokenizer: &Tokenizer,
    locator: &dyn MentionLocator,
    rows: &[data::Row],
) -> (Vec<Document>, Placement) {
    use rayon::prelude::*;
    let built: Vec<(Document, Option<bool>)> = rows
        .par_iter()
        .map(|r| {
            row_document(
                tokenizer,
                locator,
                &r.text,
                r.source.as_deref(),
                r.target.as_deref(),
            )
        })
        .collect();
    let mut placement = Placement::default();
    let docs = built
        .into_iter()
        .map(|(d, placed)| {
            match placed {
                Some(true) => placement.pair_rows += 1,
                Some(false) => placement.fallback_rows += 1,
                None => {}
            }
            d
        })
        .collect();
    (docs, placement)
}

/// Rows per batch of [`term_documents`]: documents are built in parallel a batch at a
/// time and kept only as term ids.
const TERM_BATCH: usize = 512;

/// Turns rows into term-id documents for training, a batch at a time, so the token strings
/// of all rows are never held at once.
pub fn term_documents(
    tokenizer: &Tokenizer,
    locator: &dyn MentionLocator,
    rows: &[data::Row],
) -> anyhow::Result<(TermDocs, Placement)> {
    let mut terms = TermDocs::new();
    let mut placement = Placement::default();
    for batch in rows.chunks(TERM_BATCH) {
        let (docs, p) = documents(tokenizer, locator, batch);
        for doc in &docs {
            terms.push(doc)?;
        }
        placement.pair_rows += p.pair_rows;
        placement.fallback_rows += p.fallback_rows;
    }
    Ok((terms, placement))
}

/// The index of each row's label among `labels`; `extra` (e.g. the abstention label) gets
/// index `labels.len()`. A label the model does not know is an error naming its row.
pub fn label_indices(
    rows: &[data::Row],
    labels: &[String],
    extra: Option<&str>,
) -> anyhow::Result<Vec<usize>> {
    rows.iter()
        .map(|r| {
            let l = r.label.as_deref().unwrap_or_default();
            if Some(l) == extra {
                return Ok(labels.len());
            }
            labels.iter().position(|m| m == l).ok_or_else(|| {
                stancekit::Error::UnknownLabel {
                    path: r.file.to_path_buf(),
                    line: r.line,
                    label: l.to_string(),
                    known: labels.join(", "),
                }
                .into()
            })
        })
        .collect()
}

/// The predicted label index and confidence of every document.
pub fn predict_documents(model: &Classifier, docs: &[Document]) -> Vec<(usize, f64)> {
    use rayon::prelude::*;
    docs.par_iter()
        .map(|d| {
            let p = model.predict(d);
            (p.label, p.confidence)
        })
        .collect()
}

/// Loads a model file.
pub fn load_model(path: &std::path::Path) -> anyhow::Result<Classifier> {
    stancekit::model::file::load(path).with_context(|| "cannot load the model".to_string())
}
