//! `stancekit predict`: label rows with a model (JSONL or CSV out).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use rayon::prelude::*;

use stancekit::data::Row;
use stancekit::features::row_document;
use stancekit::io::AtomicFile;
use stancekit::model::Prediction;

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

/// Rows per parallel chunk: documents and output of one chunk at a time stay in memory.
const CHUNK_ROWS: usize = 8192;

/// Runs `predict`.
pub fn run(args: PredictArgs) -> anyhow::Result<ExitCode> {
    let model = super::load_model(&args.model)?;
    let rows = args.data.read(false)?;
    let locator = args.data.locator()?;
    let labels = model.labels();
    let mut file = args.output.as_ref().map(AtomicFile::create).transpose()?;
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let sink: &mut dyn Write = match &mut file {
        Some(f) => f,
        None => &mut stdout,
    };
    if args.format == RowFormat::Csv {
        let mut header = vec!["id".to_string(), "label".into(), "confidence".into()];
        header.extend(labels.iter().map(|l| format!("p_{l}")));
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&header)?;
        sink.write_all(&w.into_inner()?)?;
    }
    for chunk in rows.rows.chunks(CHUNK_ROWS) {
        // Each row is tokenized, scored and rendered in the parallel stage.
        let rendered: Vec<Vec<u8>> = chunk
            .par_iter()
            .map_init(Vec::new, |scratch, r| {
                let (doc, _) = row_document(
                    model.tokenizer(),
                    locator.as_ref(),
                    &r.text,
                    r.source.as_deref(),
                    r.target.as_deref(),
                );
                let p = model.predict_with(&doc, scratch);
                render(args.format, labels, r, &p)
            })
            .collect();
        for line in rendered {
            sink.write_all(&line)?;
        }
    }
    sink.flush()?;
    if let Some(f) = file {
        f.commit()?;
    }
    Ok(ExitCode::SUCCESS)
}

/// One output line for a row.
fn render(format: RowFormat, labels: &[String], r: &Row, p: &Prediction) -> Vec<u8> {
    let id = r.id.clone().unwrap_or_else(|| r.line.to_string());
    let mut out = Vec::with_capacity(128);
    match format {
        RowFormat::Jsonl => {
            let probs: serde_json::Map<String, serde_json::Value> = labels
                .iter()
                .zip(&p.probabilities)
                .map(|(l, &v)| (l.clone(), serde_json::json!(v)))
                .collect();
            let obj = serde_json::json!({
                "id": id,
                "label": labels[p.label],
                "confidence": p.confidence,
                "probabilities": probs,
            });
            // Serializing into memory cannot fail.
            let _ = serde_json::to_writer(&mut out, &obj);
            out.push(b'\n');
        }
        RowFormat::Csv => {
            let mut rec = vec![id, labels[p.label].clone(), format!("{:.6}", p.confidence)];
            rec.extend(p.probabilities.iter().map(|v| format!("{v:.6}")));
            let mut w = csv::Writer::from_writer(&mut out);
            let _ = w.write_record(&rec);
            let _ = w.flush();
        }
    }
    out
}
