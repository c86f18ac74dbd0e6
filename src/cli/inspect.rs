//! `stancekit inspect`: a model's metadata as JSON and its strongest features per label.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

/// Arguments of `inspect`.
#[derive(Debug, Args)]
#[command(after_help = "Example:\n  stancekit inspect stance.model --top 15")]
pub struct InspectArgs {
    /// The model file.
    pub model: PathBuf,
    /// Number of top features per label.
    #[arg(long, default_value_t = 20)]
    pub top: usize,
}

/// Runs `inspect`.
pub fn run(args: InspectArgs) -> anyhow::Result<ExitCode> {
    let model = super::load_model(&args.model)?;
    let top: serde_json::Map<String, serde_json::Value> = model
        .top_features(args.top)
        .into_iter()
        .map(|(label, feats)| {
            let list = feats
                .into_iter()
                .map(|(t, w)| serde_json::json!({"feature": t, "weight": w}))
                .collect();
            (label, serde_json::Value::Array(list))
        })
        .collect();
    let out = serde_json::json!({
        "labels": model.labels(),
        "features": model.tfidf().n_features(),
        "tokenizer": model.tokenizer().params(),
        "tfidf": model.tfidf().params(),
        "metadata": model.metadata(),
        "top_features": top,
    });
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(ExitCode::SUCCESS)
}
