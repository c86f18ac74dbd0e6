//! `stancekit summarize`: dyad summaries from the JSONL output of `classify`.

use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use serde_json::Value;

use stancekit::summary::{Observation, Period, Summarizer};

use super::output::{Output, OutputFormat};

/// Arguments of `summarize`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  stancekit classify news/ --format jsonl -o s.jsonl && stancekit summarize s.jsonl\n  \
    stancekit summarize s.jsonl --by week --format csv"
)]
pub struct SummarizeArgs {
    /// JSONL files written by `classify` (`-` for standard input).
    #[arg(value_name = "FILE", default_value = "-")]
    pub files: Vec<PathBuf>,
    /// Also group by the statements' `date` (day, week or month).
    #[arg(long, value_enum)]
    pub by: Option<Period>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: OutputFormat,
    /// Write to this file (atomically) instead of standard output.
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
}

/// Runs `summarize`.
pub fn run(args: SummarizeArgs) -> anyhow::Result<ExitCode> {
    let mut summarizer = Summarizer::default();
    for path in &args.files {
        let reader: Box<dyn BufRead> = if path.as_os_str() == "-" {
            Box::new(std::io::BufReader::new(std::io::stdin()))
        } else {
            Box::new(std::io::BufReader::new(
                std::fs::File::open(path).map_err(|e| stancekit::Error::io(path, e))?,
            ))
        };
        for (i, line) in reader.lines().enumerate() {
            let line = line.with_context(|| format!("{}:{}", path.display(), i + 1))?;
            if line.trim().is_empty() {
                continue;
            }
            let at = || format!("{}:{}", path.display(), i + 1);
            let v: Value =
                serde_json::from_str(&line).with_context(|| format!("{}: invalid JSON", at()))?;
            let code = |k: &str| -> anyhow::Result<String> {
                v.get(k)
                    .and_then(|m| m.get("code"))
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .with_context(|| format!("{}: no {k}.code (is this classify output?)", at()))
            };
            let (source, target) = (code("source")?, code("target")?);
            let label = v
                .get("label")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let probabilities: Vec<(String, f64)> = v
                .get("probabilities")
                .and_then(Value::as_object)
                .map(|o| {
                    o.iter()
                        .filter_map(|(k, p)| p.as_f64().map(|p| (k.clone(), p)))
                        .collect()
                })
                .unwrap_or_default();
            let period = args.by.and_then(|p| {
                v.get("date")
                    .and_then(Value::as_str)
                    .and_then(|d| p.bucket(d))
            });
            summarizer.add(&Observation {
                source: &source,
                target: &target,
                period,
                label: &label,
                probabilities: &probabilities,
            });
        }
    }
    let mut out = Output::open(args.output.as_deref(), args.format)?;
    for row in summarizer.finish() {
        out.write_summary(&row)?;
    }
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}
