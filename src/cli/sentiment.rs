//! `stancekit sentiment`: the sentiment of every sentence of articles.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use rayon::prelude::*;
use serde_json::{json, Map, Value};

use stancekit::classify::sentence_sentiment;

use super::classify::{is_broken_pipe, model_or_default, ArticleArgs};
use super::output::OutputArgs;

/// Arguments of `sentiment`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  stancekit sentiment article.txt\n  \
    stancekit sentiment corpus.jsonl --input-format jsonl --format csv -o sentences.csv")]
pub struct SentimentArgs {
    /// The articles.
    #[command(flatten)]
    pub articles: ArticleArgs,
    /// Sentiment model file (default: the embedded model).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Where and how to write.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Runs `sentiment`.
pub fn run(args: SentimentArgs) -> anyhow::Result<ExitCode> {
    let model = model_or_default(&args.model, stancekit::defaults::sentiment_model)?;
    let (mut out, _) = args.output.open()?;
    let mut failures = 0;
    let inputs = args.articles.open();
    let mut articles = inputs.map(|item| item.and_then(super::classify::Pending::article));
    loop {
        let mut chunk = Vec::new();
        while chunk.len() < 256 {
            match articles.next() {
                None => break,
                Some(Ok(a)) => chunk.push(a),
                Some(Err(e)) => {
                    failures += 1;
                    eprintln!("stancekit: skipped: {e}");
                }
            }
        }
        if chunk.is_empty() {
            break;
        }
        let labeled: Vec<_> = chunk
            .par_iter()
            .map(|a| sentence_sentiment(&model, &a.text))
            .collect();
        for (a, sentences) in chunk.iter().zip(labeled) {
            for s in sentences {
                let mut r = Map::new();
                r.insert("doc".into(), json!(a.doc));
                r.insert("sentence".into(), json!(s.index));
                r.insert("text".into(), json!(&a.text[s.span.clone()]));
                r.insert("label".into(), json!(model.labels()[s.prediction.label]));
                r.insert("confidence".into(), json!(s.prediction.confidence));
                let probs: Map<String, Value> = model
                    .labels()
                    .iter()
                    .zip(&s.prediction.probabilities)
                    .map(|(l, p)| (l.clone(), json!(p)))
                    .collect();
                r.insert("probabilities".into(), Value::Object(probs));
                if let Err(e) = out.write_statement(&r) {
                    if is_broken_pipe(&e) {
                        return Ok(ExitCode::SUCCESS);
                    }
                    return Err(e);
                }
            }
        }
    }
    out.finish()?;
    Ok(if failures > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
