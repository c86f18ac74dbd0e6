//! `stancekit predict`: label rows with a model (JSONL or CSV out).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use rayon::prelude::*;

use stancekit::io::AtomicFile;

use super::DataArgs;

/// Output format of `predict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RowFormat {
    /// One JSON object per row.
    Jsonl,
    /// CSV with one probability column per label.
    Csv,
}

/// Arguments of `predict`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  stancekit predict --model stance.model --data rows.csv --format csv -o labeled.csv"
)]
pub struct PredictArgs {
    /// The model file.
    #[arg(long)]
    pub model: PathBuf,
    /// Rows to label (the label column is not needed).
    #[command(flatten)]
    pub data: DataArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: RowFormat,
    /// Write to this file (atomically) instead of standard output.
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
}

/// Runs `predict`.
pub fn run(args: PredictArgs) -> anyhow::Result<ExitCode> {
    let model = super::load_model(&args.model)?;
    let rows = args.data.read(false)?;
    let locator = args.data.locator()?;
    let (docs, _) = super::documents(model.tokenizer(), locator.as_ref(), &rows.rows);
    let preds: Vec<_> = docs
        .par_iter()
        .map_init(Vec::new, |scratch, d| model.predict_with(d, scratch))
        .collect();
    let labels = model.labels();
    let mut buf: Vec<u8> = Vec::with_capacity(docs.len() * 96);
    match args.format {
        RowFormat::Jsonl => {
            for (r, p) in rows.rows.iter().zip(&preds) {
                let probs: serde_json::Map<String, serde_json::Value> = labels
                    .iter()
                    .zip(&p.probabilities)
                    .map(|(l, &v)| (l.clone(), serde_json::json!(v)))
                    .collect();
                let obj = serde_json::json!({
                    "id": r.id.clone().unwrap_or_else(|| r.line.to_string()),
                    "label": labels[p.label],
                    "confidence": p.confidence,
                    "probabilities": probs,
                });
                serde_json::to_writer(&mut buf, &obj)?;
                buf.push(b'\n');
            }
        }
        RowFormat::Csv => {
            let mut w = csv::Writer::from_writer(&mut buf);
            let mut header = vec!["id".to_string(), "label".into(), "confidence".into()];
            header.extend(labels.iter().map(|l| format!("p_{l}")));
            w.write_record(&header)?;
            for (r, p) in rows.rows.iter().zip(&preds) {
                let mut rec = vec![
                    r.id.clone().unwrap_or_else(|| r.line.to_string()),
                    labels[p.label].clone(),
                    format!("{:.6}", p.confidence),
                ];
                rec.extend(p.probabilities.iter().map(|v| format!("{v:.6}")));
                w.write_record(&rec)?;
            }
            w.flush()?;
        }
    }
    match &args.output {
        Some(path) => {
            let mut f = AtomicFile::create(path)?;
            f.write_all(&buf)?;
            f.commit()?;
        }
        None => std::io::stdout().lock().write_all(&buf)?,
    }
    Ok(ExitCode::SUCCESS)
}
