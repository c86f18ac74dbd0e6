//! `stancekit evaluate`: score a model on labeled rows; optionally gate on macro-F1.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use stancekit::eval::Metrics;

use super::DataArgs;

/// Output format of `evaluate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MetricsFormat {
    /// Human-readable table.
    Table,
    /// JSON object.
    Json,
}

/// Arguments of `evaluate`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  stancekit evaluate --model stance.model --data test.csv --format json --min-macro-f1 0.6"
)]
pub struct EvaluateArgs {
    /// The model file.
    #[arg(long)]
    pub model: PathBuf,
    /// Labeled rows to score.
    #[command(flatten)]
    pub data: DataArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: MetricsFormat,
    /// Drop rows with these true labels before scoring (e.g. `neutral`).
    #[arg(long, value_delimiter = ',')]
    pub exclude_label: Vec<String>,
    /// Exit with code 1 when macro-F1 is below this value.
    #[arg(long)]
    pub min_macro_f1: Option<f64>,
    /// Write plots (confusion, reliability, per-label), metrics.json and a self-contained
    /// report.html into this directory.
    #[arg(long)]
    pub report: Option<PathBuf>,
}

/// Runs `evaluate`.
pub fn run(args: EvaluateArgs) -> anyhow::Result<ExitCode> {
    let model = super::load_model(&args.model)?;
    let mut rows = args.data.read(true)?;
    rows.rows.retain(|r| {
        !args
            .exclude_label
            .iter()
            .any(|x| r.label.as_deref() == Some(x))
    });
    if rows.rows.is_empty() {
        anyhow::bail!(
            "{}: no rows left to evaluate (after --split/--exclude-label)",
            args.data.data[0].display()
        );
    }
    let labels = model.labels();
    let y_true = super::label_indices(&rows.rows, labels, None)?;
    let locator = args.data.locator()?;
    let (docs, _) = super::documents(model.tokenizer(), locator.as_ref(), &rows.rows);
    let predicted = super::predict_documents(&model, &docs);
    let y_pred: Vec<usize> = predicted.iter().map(|p| p.0).collect();
    let metrics = Metrics::compute(labels, &y_true, &y_pred);
    match args.format {
        MetricsFormat::Json => println!("{}", serde_json::to_string_pretty(&metrics)?),
        MetricsFormat::Table => print!("{}", table(&metrics)),
    }
    if let Some(dir) = &args.report {
        use stancekit::eval::report;
        let mistakes = report::confident_mistakes(
            &model,
            &docs,
            &rows.rows,
            &y_true,
            &predicted,
            report::MISTAKES_SHOWN,
        )?;
        let metadata = serde_json::to_value(model.metadata())?;
        let title = args.model.display().to_string();
        let input = report::EvaluationReport {
            title: &title,
            metrics: &metrics,
            y_true: &y_true,
            predicted: &predicted,
            mistakes: &mistakes,
            metadata: &metadata,
        };
        let reliability = report::write_evaluation_report(dir, &input)?;
        eprintln!(
            "wrote the report to {} (ECE {:.4})",
            dir.join("report.html").display(),
            reliability.ece
        );
    }
    if let Some(min) = args.min_macro_f1 {
        if metrics.macro_f1 < min {
            eprintln!(
                "stancekit: macro-F1 {:.4} is below the required {min:.4}",
                metrics.macro_f1
            );
            return Ok(ExitCode::from(1));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Renders metrics as an aligned text table.
pub fn table(m: &Metrics) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "rows {}   accuracy {:.4}   macro-F1 {:.4}   weighted-F1 {:.4}\n",
        m.n, m.accuracy, m.macro_f1, m.weighted_f1
    );
    let w = m
        .confusion
        .labels
        .iter()
        .map(|l| l.len())
        .max()
        .unwrap_or(5)
        .max(5);
    let _ = writeln!(s, "{:w$}  precision  recall      f1  support", "label");
    for l in &m.confusion.labels {
        let c = &m.per_class[l];
        let _ = writeln!(
            s,
            "{l:w$}  {:>9.4}  {:>6.4}  {:>6.4}  {:>7}",
            c.precision, c.recall, c.f1, c.support
        );
    }
    let _ = writeln!(s, "\nconfusion (rows = true, columns = predicted)");
    let _ = write!(s, "{:w$}", "");
    for l in &m.confusion.labels {
        let _ = write!(s, "  {l:>w$}");
    }
    let _ = writeln!(s);
    for (l, row) in m.confusion.labels.iter().zip(&m.confusion.matrix) {
        let _ = write!(s, "{l:w$}");
        for v in row {
            let _ = write!(s, "  {v:>w$}");
        }
        let _ = writeln!(s);
    }
    s
}
