//! `stancekit train`: fit a TF-IDF + softmax regression model from labeled rows.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context};
use clap::Args;

use stancekit::model::classifier::TrainingSet;
use stancekit::model::{ClassWeight, Classifier, Solver, TrainParams};
use stancekit::text::{StemLanguage, Tokenizer, TokenizerParams};

use super::DataArgs;

/// Arguments of `train`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  stancekit train --data datasets/stance/*.csv --split train \\\n      --c-grid 0.25,1,4,16,64 --out stance.model"
)]
pub struct TrainArgs {
    /// Labeled input rows.
    #[command(flatten)]
    pub data: DataArgs,
    /// Where to write the model (atomically).
    #[arg(long)]
    pub out: PathBuf,
    /// One C value (inverse regularisation); skips cross-validation.
    #[arg(long, conflicts_with = "c_grid")]
    pub c: Option<f64>,
    /// C values to choose from by stratified k-fold CV (macro-F1).
    #[arg(long, value_delimiter = ',', default_value = "0.25,1,4,16,64")]
    pub c_grid: Vec<f64>,
    /// Number of CV folds.
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
    /// Smallest and largest word n-gram, e.g. `1,2`.
    #[arg(long, value_delimiter = ',', default_value = "1,2")]
    pub ngrams: Vec<usize>,
    /// Minimum number of training rows a term must occur in.
    #[arg(long, default_value_t = 2)]
    pub min_df: usize,
    /// Keep only this many most frequent terms.
    #[arg(long)]
    pub max_features: Option<usize>,
    /// Seed of the CV fold assignment.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Optimiser: sparse L-BFGS, or linfa-logistic's dense solver (small data only).
    #[arg(long, value_enum, default_value = "sparse")]
    pub solver: Solver,
    /// Weight rows by inverse class frequency.
    #[arg(long, value_enum, default_value = "none")]
    pub class_weight: ClassWeight,
    /// Stemming language.
    #[arg(long, value_enum, default_value = "english")]
    pub language: StemLanguage,
    /// Do not stem.
    #[arg(long)]
    pub no_stem: bool,
    /// Add features from our sentiment lexicon (positive/negative words, near the target).
    #[arg(long)]
    pub lexicon: bool,
    /// Do not mark negation scope.
    #[arg(long)]
    pub no_negation: bool,
    /// Maximum L-BFGS iterations.
    #[arg(long, default_value_t = 500)]
    pub max_iter: u64,
    /// Stop when the gradient norm of the mean objective falls below this.
    #[arg(long, default_value_t = 1e-3)]
    pub tol: f64,
    /// Drop rows with these labels before training (e.g. `neutral`).
    #[arg(long, value_delimiter = ',')]
    pub exclude_label: Vec<String>,
    /// Label that is not trained on but chooses the abstention threshold ("no clear stance").
    #[arg(long, requires = "abstain_split")]
    pub abstain_label: Option<String>,
    /// Split (of the same --data files) whose rows choose the abstention threshold.
    #[arg(long, requires = "abstain_label")]
    pub abstain_split: Option<String>,
    /// Name of the task, stored in the model (e.g. stance, sentiment).
    #[arg(long, default_value = "stance")]
    pub task: String,
    /// Write plots of the training into this directory: cv.svg (CV macro-F1 against C).
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// With --report, also write learning_curve.svg: CV macro-F1 at the chosen C on
    /// stratified 10%, 20%, ... 100% subsets of the training rows.
    #[arg(long, requires = "report")]
    pub learning_curve: bool,
}

/// Runs `train`.
pub fn run(args: TrainArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let mut rows = args.data.read(true)?;
    rows.rows.retain(|r| {
        let l = r.label.as_deref();
        !args.exclude_label.iter().any(|x| l == Some(x)) && l != args.abstain_label.as_deref()
    });
    let labels: Vec<String> = rows
        .rows
        .iter()
        .map(|r| r.label.clone().unwrap_or_default())
        .collect();
    let counts = stancekit::data::label_counts(&rows.rows);
    if counts.len() < 2 {
        let only = counts.first().map(|c| c.0.clone()).unwrap_or_default();
        return Err(stancekit::Error::OneClass {
            path: args.data.data[0].clone(),
            column: args.data.label_col.clone(),
            label: only,
        }
        .into());
    }
    if args.ngrams.len() != 2 {
        bail!("--ngrams takes two numbers, e.g. 1,2");
    }
    let params = TrainParams {
        tokenizer: TokenizerParams {
            stem: (!args.no_stem).then_some(args.language),
            negation: !args.no_negation,
            fold_numbers: true,
            lexicon: args.lexicon,
        },
        tfidf: stancekit::features::TfIdfParams {
            ngrams: (args.ngrams[0], args.ngrams[1]),
            min_df: args.min_df,
            max_features: args.max_features,
            sublinear_tf: true,
        },
        regression: stancekit::model::SoftmaxRegressionParams {
            max_iterations: args.max_iter,
            tolerance: args.tol,
            class_weight: args.class_weight,
            ..Default::default()
        },
        c_grid: args.c.map_or(args.c_grid.clone(), |c| vec![c]),
        folds: args.folds,
        seed: args.seed,
        solver: args.solver,
    };
    let tokenizer = Tokenizer::new(params.tokenizer.clone());
    let locator = args.data.locator()?;
    let (docs, placement) = super::term_documents(&tokenizer, locator.as_ref(), &rows.rows)?;
    let data_sha256 = rows.sha256.clone();
    drop(rows);
    let set = TrainingSet {
        docs: &docs,
        labels: &labels,
        data_sha256,
        pair_rows: placement.pair_rows,
        pair_fallback_rows: placement.fallback_rows,
        task: args.task.clone(),
    };
    let mut model = Classifier::train(&set, &params).context("training failed")?;
    if let (Some(label), Some(split)) = (&args.abstain_label, &args.abstain_split) {
        let choice = choose_abstention(&model, &args.data, label, split)?;
        eprintln!(
            "abstention: below confidence {:.2} a prediction becomes '{label}' (macro-F1 on {split} {:.4}, {:.4} without)",
            choice.threshold, choice.macro_f1, choice.macro_f1_without
        );
        model.set_abstain_below((choice.threshold > 0.0).then_some(choice.threshold));
    }
    stancekit::model::file::save(&model, &args.out)?;
    let meta = model.metadata();
    eprintln!(
        "trained on {} rows ({}), {} features; pair features on {} rows, {} fell back to text",
        meta.rows,
        counts
            .iter()
            .map(|(l, n)| format!("{l} {n}"))
            .collect::<Vec<_>>()
            .join(", "),
        model.tfidf().n_features(),
        meta.pair_rows,
        meta.pair_fallback_rows
    );
    for row in &meta.cv {
        eprintln!(
            "  C={:<8} cv macro-F1 {:.4} ± {:.4}  accuracy {:.4}{}",
            row.c,
            row.macro_f1,
            row.macro_f1_std,
            row.accuracy,
            if row.c == meta.c { "  <- chosen" } else { "" }
        );
    }
    eprintln!(
        "C={} ; {} iterations ({}) ; wrote {} in {:.2}s",
        meta.c,
        meta.iterations,
        meta.stop_reason,
        args.out.display(),
        started.elapsed().as_secs_f64()
    );
    if let Some(dir) = &args.report {
        use stancekit::eval::{learning, report};
        let tenths = &learning::TENTHS;
        let curve = args
            .learning_curve
            .then(|| learning::learning_curve(&docs, &labels, &params, meta.c, tenths))
            .transpose()?;
        for path in report::write_training_plots(dir, meta, curve.as_deref())? {
            eprintln!("wrote {}", path.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Scores the held-out split (abstention label included) and picks the threshold.
fn choose_abstention(
    model: &Classifier,
    data: &DataArgs,
    label: &str,
    split: &str,
) -> anyhow::Result<stancekit::eval::abstain::AbstentionChoice> {
    let held_out = DataArgs {
        split: Some(split.to_string()),
        ..data.clone()
    };
    let rows = held_out.read(true)?;
    let labels = model.labels();
    let y_true = super::label_indices(&rows.rows, labels, Some(label))?;
    let locator = data.locator()?;
    let (docs, _) = super::documents(model.tokenizer(), locator.as_ref(), &rows.rows);
    let predicted = super::predict_documents(model, &docs);
    Ok(stancekit::eval::abstain::choose_threshold(
        labels, label, &y_true, &predicted,
    ))
}
