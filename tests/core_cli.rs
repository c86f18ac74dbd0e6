//! The `stancekit` binary on files: train, evaluate, predict, inspect and every bad-input case.

use std::path::{Path, PathBuf};
use std::process::Output;

mod common;
use common::{fixture, jsonl, stancekit, stderr, write};

/// Trains on a fixture into `out` with `settings`; the run must succeed.
fn train_fixture(name: &str, out: &Path, settings: &[&str]) -> Output {
    let data = fixture(name);
    let mut args = vec![
        "train",
        "--data",
        data.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(settings);
    let o = stancekit(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    o
}

fn train_tiny(dir: &Path, name: &str) -> PathBuf {
    let out = dir.join(name);
    let grid = ["--c-grid", "1,10", "--folds", "3", "--min-df", "1"];
    train_fixture("tiny_stance.csv", &out, &grid);
    out
}

#[test]
fn retraining_gives_identical_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let a = std::fs::read(train_tiny(dir.path(), "a.model")).unwrap();
    let b = std::fs::read(train_tiny(dir.path(), "b.model")).unwrap();
    assert_eq!(a, b);
    assert_eq!(&a[..8], b"STKMODEL");
}

#[test]
fn evaluate_reports_every_metric_and_gates() {
    let dir = tempfile::tempdir().unwrap();
    let model = train_tiny(dir.path(), "m.model");
    let data = fixture("tiny_stance.csv");
    let o = stancekit(&[
        "evaluate",
        "--model",
        model.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    for key in [
        "accuracy",
        "macro_f1",
        "weighted_f1",
        "per_class",
        "confusion",
        "n",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["n"], 30);
    assert_eq!(v["confusion"]["labels"].as_array().unwrap().len(), 3);
    assert!(v["per_class"]["hostile"]["support"] == 10);
    let o = stancekit(&[
        "evaluate",
        "--model",
        model.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
        "--min-macro-f1",
        "1.01",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("below the required"));
}

#[test]
fn predict_gives_probabilities_that_sum_to_one() {
    let dir = tempfile::tempdir().unwrap();
    let model = train_tiny(dir.path(), "m.model");
    let rows = write(
        dir.path(),
        "rows.csv",
        "text,source,target\nUruguay praised Paraguay for its aid,Uruguay,Paraguay\nLatvia condemned the raid by Belarus,Latvia,Belarus\n"
            .as_bytes(),
    );
    let o = stancekit(&[
        "predict",
        "--model",
        model.to_str().unwrap(),
        "--data",
        &rows,
    ]);
    let lines = jsonl(&o);
    assert_eq!(lines.len(), 2);
    for l in &lines {
        let sum: f64 = l["probabilities"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_f64().unwrap())
            .sum();
        assert!((sum - 1.0).abs() < 1e-9);
        assert!(l["confidence"].as_f64().unwrap() >= 1.0 / 3.0);
    }
    assert_eq!(lines[0]["label"], "supportive");
    assert_eq!(lines[1]["label"], "hostile");
    let out = dir.path().join("out.csv");
    let o = stancekit(&[
        "predict",
        "--model",
        model.to_str().unwrap(),
        "--data",
        &rows,
        "--format",
        "csv",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let csv = std::fs::read_to_string(out).unwrap();
    assert!(csv.starts_with("id,label,confidence,p_hostile,p_reconciliatory,p_supportive"));
}

#[test]
fn inspect_shows_metadata_and_top_features() {
    let dir = tempfile::tempdir().unwrap();
    let model = train_tiny(dir.path(), "m.model");
    let o = stancekit(&["inspect", model.to_str().unwrap(), "--top", "3"]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["metadata"]["rows"], 30);
    assert_eq!(v["metadata"]["cv"].as_array().unwrap().len(), 2);
    assert_eq!(v["metadata"]["data_sha256"].as_str().unwrap().len(), 64);
    assert_eq!(v["top_features"]["hostile"].as_array().unwrap().len(), 3);
}

/// Runs `train` on `data` and checks it fails with exit code 2, `needle` in the message, and
/// no model file left behind.
fn train_fails(dir: &Path, data: &str, extra: &[&str], needle: &str) {
    let out = dir.join("never.model");
    let mut args = vec![
        "train",
        "--data",
        data,
        "--out",
        out.to_str().unwrap(),
        "--c",
        "1",
    ];
    args.extend_from_slice(extra);
    let o = stancekit(&args);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(needle),
        "expected {needle:?} in {}",
        stderr(&o)
    );
    assert!(!out.exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn bad_training_input_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    train_fails(d, "/nonexistent/rows.csv", &[], "/nonexistent/rows.csv");
    let p = write(d, "cols.csv", b"body,label\nx,y\n");
    train_fails(d, &p, &[], "no column 'text' (columns found: body, label)");
    let p = write(d, "empty_text.csv", b"text,label\nfine,a\n  ,b\n");
    train_fails(d, &p, &[], "empty_text.csv:3:1: column 'text' is empty");
    let p = write(d, "utf8.csv", b"text,label\nfine,a\nbad \xc3\x28,b\n");
    train_fails(d, &p, &[], "utf8.csv:3: invalid UTF-8");
    let p = write(d, "fields.csv", b"text,label\nfine,a\nsplit,b,extra\n");
    train_fails(d, &p, &[], "fields.csv:3: expected 2 fields, found 3");
    let p = write(d, "one.csv", b"text,label\nfine,a\nalso fine,a\n");
    train_fails(d, &p, &[], "holds only one class");
    let p = write(d, "empty.csv", b"");
    train_fails(d, &p, &[], "is empty");
    let p = write(
        d,
        "bad.jsonl",
        b"{\"text\":\"a\",\"label\":\"x\"}\n{\"label\":\"y\"}\n",
    );
    train_fails(d, &p, &[], "bad.jsonl:2:1: no string field 'text'");
}

#[test]
fn skip_invalid_reports_and_counts_skipped_rows() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = std::fs::read(fixture("tiny_stance.csv")).unwrap();
    csv.extend_from_slice(b"t99,,Chad,Niger,hostile\nt98,x,y\n");
    let p = write(dir.path(), "mixed.csv", &csv);
    let out = dir.path().join("m.model");
    let o = stancekit(&[
        "train",
        "--data",
        &p,
        "--out",
        out.to_str().unwrap(),
        "--c",
        "1",
        "--skip-invalid",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("skipped 2 invalid row(s)"),
        "{}",
        stderr(&o)
    );
    assert!(out.exists());
}

#[test]
fn unknown_label_at_evaluation_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let model = train_tiny(dir.path(), "m.model");
    let p = write(
        dir.path(),
        "test.csv",
        b"text,label\nOman hosted talks,neutral\n",
    );
    let o = stancekit(&["evaluate", "--model", model.to_str().unwrap(), "--data", &p]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("test.csv:2: unknown label \"neutral\""),
        "{}",
        stderr(&o)
    );
    let o = stancekit(&[
        "evaluate",
        "--model",
        model.to_str().unwrap(),
        "--data",
        &p,
        "--exclude-label",
        "neutral",
    ]);
    assert_eq!(o.status.code(), Some(2), "no rows left is an error too");
}

#[test]
fn broken_model_files_get_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let model = train_tiny(dir.path(), "m.model");
    let bytes = std::fs::read(&model).unwrap();
    let data = fixture("tiny_stance.csv");
    let check = |name: &str, content: &[u8], needle: &str| {
        let p = write(dir.path(), name, content);
        let o = stancekit(&["evaluate", "--model", &p, "--data", data.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2));
        assert!(
            stderr(&o).contains(needle),
            "{needle:?} not in {}",
            stderr(&o)
        );
    };
    check(
        "text.model",
        b"hello, this is not a model",
        "wrong magic bytes",
    );
    check("short.model", &bytes[..bytes.len() / 2], "truncated");
    let mut newer = bytes.clone();
    newer[8] = 99;
    check("newer.model", &newer, "newer than this stancekit reads");
    let mut flipped = bytes.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 0xff;
    check("flipped.model", &flipped, "checksum mismatch");
}

#[test]
fn every_command_has_help_with_an_example() {
    for cmd in ["train", "evaluate", "predict", "inspect"] {
        let o = stancekit(&[cmd, "--help"]);
        assert!(o.status.success());
        assert!(
            String::from_utf8_lossy(&o.stdout).contains("Example:"),
            "{cmd}"
        );
    }
}

/// Pair-aware features: the same sentence with two different actor pairs gets two different
/// labels, learned from rows of that shape (tests/fixtures/pair_labels.csv, our own).
#[test]
fn one_sentence_two_pairs_two_labels() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("pairs.model");
    let o = train_fixture("pair_labels.csv", &model, &["--c", "10", "--min-df", "1"]);
    assert!(
        stderr(&o).contains("pair features on 16 rows, 0 fell back"),
        "{}",
        stderr(&o)
    );
    let rows = write(
        dir.path(),
        "new.csv",
        "text,source,target\n\
         Greece protected Cyprus from the raids launched by Turkey.,Greece,Cyprus\n\
         Greece protected Cyprus from the raids launched by Turkey.,Turkey,Cyprus\n"
            .as_bytes(),
    );
    let o = stancekit(&[
        "predict",
        "--model",
        model.to_str().unwrap(),
        "--data",
        &rows,
    ]);
    let labels: Vec<String> = jsonl(&o)
        .iter()
        .map(|l| l["label"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(labels, ["supportive", "hostile"]);
}
