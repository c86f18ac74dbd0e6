//! `stancekit predict`: label rows with a model (JSONL or CSV out).

use std::io::Write;
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Args, ValueEnum};
use rayon::prelude::*;
use serde::Serialize;

use stancekit::data::Row;
use stancekit::features::row_spans;
use stancekit::io::AtomicFile;
use stancekit::model::classifier::StatementScratch;
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

/// Rows per chunk: the rows and output of one chunk at a time stay in memory.
const CHUNK_ROWS: usize = 8192;

/// Rows per parallel task; each task renders its rows into one buffer.
const TASK_ROWS: usize = 256;

/// Runs `predict`.
pub fn run(args: PredictArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let model = super::load_model(&args.model)?;
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
    // Rows are read as a stream and labeled a chunk at a time; within a chunk, each task
    // places the actors, vectorizes, scores and renders its rows.
    let (mut rows_done, mut labeling) = (0usize, Duration::ZERO);
    let mut label_chunk = |chunk: &[Row], sink: &mut dyn Write| -> std::io::Result<()> {
        let labeling_started = Instant::now();
        let rendered: Vec<Vec<u8>> = chunk
            .par_chunks(TASK_ROWS)
            .map_init(StatementScratch::default, |scratch, rows| {
                let mut out = Vec::with_capacity(rows.len() * 160);
                for r in rows {
                    let spans = row_spans(
                        locator.as_ref(),
                        &r.text,
                        r.source.as_deref(),
                        r.target.as_deref(),
                    );
                    let p =
                        model.predict_statement(&r.text, spans.as_ref().map(|(s, _)| s), scratch);
                    render(args.format, labels, r, &p, &mut out);
                }
                out
            })
            .collect();
        labeling += labeling_started.elapsed();
        rows_done += chunk.len();
        rendered.iter().try_for_each(|buf| sink.write_all(buf))
    };
    let mut chunk: Vec<Row> = Vec::with_capacity(CHUNK_ROWS);
    let mut failed = None;
    args.data.for_each_row(false, |row| {
        chunk.push(row);
        if chunk.len() == CHUNK_ROWS {
            if let Err(e) = label_chunk(&chunk, &mut *sink) {
                failed = Some(e);
                return ControlFlow::Break(());
            }
            chunk.clear();
        }
        ControlFlow::Continue(())
    })?;
    if let Some(e) = failed {
        return Err(e.into());
    }
    label_chunk(&chunk, &mut *sink)?;
    sink.flush()?;
    if let Some(f) = file {
        f.commit()?;
    }
    let total = started.elapsed().as_secs_f64();
    let labeling = labeling.as_secs_f64();
    let rate = |secs: f64| rows_done as f64 / secs.max(1e-9);
    eprintln!(
        "stancekit: {rows_done} rows in {total:.2}s ({:.0} rows/s); labeling (actors, tokens, features, scores, output lines) {labeling:.3}s ({:.0} rows/s)",
        rate(total),
        rate(labeling)
    );
    Ok(ExitCode::SUCCESS)
}

/// One JSONL output line; fields in alphabetical order.
#[derive(Serialize)]
struct JsonLine<'a> {
    confidence: f64,
    id: &'a str,
    label: &'a str,
    probabilities: LabelProbabilities<'a>,
}

/// Label → probability, serialized as a JSON object in label order.
struct LabelProbabilities<'a>(&'a [String], &'a [f64]);

impl Serialize for LabelProbabilities<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().zip(self.1))
    }
}

/// Appends the output line of a row to `out`.
fn render(format: RowFormat, labels: &[String], r: &Row, p: &Prediction, out: &mut Vec<u8>) {
    let line_number;
    let id = match &r.id {
        Some(id) => id.as_str(),
        None => {
            line_number = r.line.to_string();
            &line_number
        }
    };
    match format {
        RowFormat::Jsonl => {
            let line = JsonLine {
                confidence: p.confidence,
                id,
                label: &labels[p.label],
                probabilities: LabelProbabilities(labels, &p.probabilities),
            };
            // Serializing into memory cannot fail.
            let _ = serde_json::to_writer(&mut *out, &line);
            out.push(b'\n');
        }
        RowFormat::Csv => {
            let mut rec = vec![
                id.to_string(),
                labels[p.label].clone(),
                format!("{:.6}", p.confidence),
            ];
            rec.extend(p.probabilities.iter().map(|v| format!("{v:.6}")));
            let mut w = csv::Writer::from_writer(&mut *out);
            let _ = w.write_record(&rec);
            let _ = w.flush();
        }
    }
}
