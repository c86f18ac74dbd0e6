//! `stancekit classify`, `sentiment` and `summarize` through the binary, on our own articles:
//! files, directories, standard input, JSONL corpora, every output format, and bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

mod common;
use common::{jsonl, stancekit, stancekit_stdin};

fn articles() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/articles")
}

fn article(name: &str) -> String {
    articles().join(name).to_str().unwrap().to_string()
}

const GULF: &str = "01-gulf-mediation.txt";

#[test]
fn jsonl_statements_have_every_key() {
    let o = stancekit(&[
        "classify",
        &article(GULF),
        "--format",
        "jsonl",
        "--explain",
        "5",
        "--sentiment",
    ]);
    let rows = jsonl(&o);
    assert!(rows.len() > 20, "{} statements", rows.len());
    for r in &rows {
        for key in [
            "doc",
            "sentence",
            "text",
            "source",
            "target",
            "direction_rule",
            "label",
            "confidence",
            "probabilities",
            "explanation",
            "sentiment",
            "sentiment_probabilities",
        ] {
            assert!(r.get(key).is_some(), "missing {key} in {r}");
        }
        for side in ["source", "target"] {
            for key in ["code", "name", "mention", "start", "end"] {
                assert!(r[side].get(key).is_some(), "missing {side}.{key}");
            }
            let text = r["text"].as_str().unwrap();
            let (s, e) = (
                r[side]["start"].as_u64().unwrap() as usize,
                r[side]["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(&text[s..e], r[side]["mention"].as_str().unwrap());
        }
        let p: f64 = r["probabilities"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_f64().unwrap())
            .sum();
        assert!((p - 1.0).abs() < 1e-9);
        let label = r["label"].as_str().unwrap();
        assert!(["supportive", "reconciliatory", "hostile", "uncertain"].contains(&label));
        assert!(r["explanation"].as_array().unwrap().len() <= 5);
    }
    // The article's Qatar -> Hamas or Egypt -> Hamas mediation shows up as a dyad.
    assert!(rows
        .iter()
        .any(|r| r["source"]["code"] == "QAT" || r["target"]["code"] == "QAT"));
}

#[test]
fn uncertain_statements_keep_their_forced_label_on_request() {
    let o = stancekit(&[
        "classify",
        &article(GULF),
        "--format",
        "jsonl",
        "--min-confidence",
        "0.99",
        "--all-labels",
    ]);
    let rows = jsonl(&o);
    assert!(rows.iter().all(|r| r["label"] == "uncertain"));
    assert!(rows.iter().all(|r| r.get("forced_label").is_some()));
    let o = stancekit(&[
        "classify",
        &article(GULF),
        "--format",
        "jsonl",
        "--min-confidence",
        "0",
    ]);
    assert!(jsonl(&o).iter().all(|r| r["label"] != "uncertain"));
}

#[test]
fn directories_stdin_and_jsonl_corpora() {
    let dir = stancekit(&[
        "classify",
        articles().to_str().unwrap(),
        "--format",
        "jsonl",
    ]);
    let rows = jsonl(&dir);
    let docs: std::collections::BTreeSet<&str> =
        rows.iter().map(|r| r["doc"].as_str().unwrap()).collect();
    assert_eq!(docs.len(), 6, "one doc per article: {docs:?}");

    let text = std::fs::read(article(GULF)).unwrap();
    let stdin = jsonl(&stancekit_stdin(
        &["classify", "-", "--format", "jsonl"],
        &text,
    ));
    let file = jsonl(&stancekit(&[
        "classify",
        &article(GULF),
        "--format",
        "jsonl",
    ]));
    assert_eq!(stdin.len(), file.len());
    assert_eq!(stdin[0]["doc"], "<stdin>");

    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("c.jsonl");
    let body = String::from_utf8(text).unwrap();
    let lines = [
        serde_json::json!({"id": "a", "date": "2025-03-02", "outlet": "wire", "text": body}),
        serde_json::json!({"id": "b", "date": "2025-04-10", "text": body}),
    ];
    std::fs::write(&corpus, format!("{}\n{}\n", lines[0], lines[1])).unwrap();
    let rows = jsonl(&stancekit(&[
        "classify",
        corpus.to_str().unwrap(),
        "--input-format",
        "jsonl",
        "--format",
        "jsonl",
    ]));
    assert_eq!(rows.len(), 2 * file.len());
    assert_eq!(rows[0]["doc"], "a");
    assert_eq!(rows[0]["outlet"], "wire");
    assert_eq!(rows.last().unwrap()["date"], "2025-04-10");

    // Summary per month: the same dyads in two months.
    let o = stancekit(&[
        "classify",
        corpus.to_str().unwrap(),
        "--input-format",
        "jsonl",
        "--summary",
        "--by",
        "month",
        "--format",
        "jsonl",
    ]);
    let dyads = jsonl(&o);
    assert!(dyads.iter().any(|d| d["period"] == "2025-03"));
    assert!(dyads.iter().any(|d| d["period"] == "2025-04"));
    for d in &dyads {
        let n: u64 = d["counts"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum();
        assert_eq!(n, d["statements"].as_u64().unwrap());
        let net = d["net_score"].as_f64().unwrap();
        assert!((-1.0..=1.0).contains(&net));
    }
}

#[test]
fn summarize_reads_classify_output_and_csv_and_table_formats_work() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("s.jsonl");
    let o = stancekit(&[
        "classify",
        &article(GULF),
        "--format",
        "jsonl",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("documents"),
        "closing line on stderr"
    );
    let n = std::fs::read_to_string(&out).unwrap().lines().count();
    let o = stancekit(&["summarize", out.to_str().unwrap(), "--format", "jsonl"]);
    let dyads = jsonl(&o);
    let total: u64 = dyads
        .iter()
        .map(|d| d["statements"].as_u64().unwrap())
        .sum();
    assert_eq!(total as usize, n);
    let o = stancekit(&["summarize", out.to_str().unwrap(), "--format", "table"]);
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("source -> target"));
    let o = stancekit(&["classify", &article(GULF), "--format", "csv"]);
    let csv = String::from_utf8(o.stdout).unwrap();
    assert!(csv.lines().next().unwrap().contains("source_code"));
    assert_eq!(csv.lines().count(), n + 1);
    let o = stancekit(&["classify", &article(GULF), "--format", "table"]);
    let table = String::from_utf8(o.stdout).unwrap();
    assert!(table.lines().next().unwrap().contains("source -> target"));
    assert!(table.contains("[Qatar]"), "mentions are highlighted");
    let o = stancekit(&["sentiment", &article(GULF), "--format", "jsonl"]);
    let sentences = jsonl(&o);
    assert!(sentences.len() > 20);
    assert!(sentences
        .iter()
        .all(|s| ["positive", "neutral", "negative"].contains(&s["label"].as_str().unwrap())));
}

#[test]
fn bad_inputs_are_reported_and_the_rest_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("latin1.txt");
    std::fs::write(&bad, b"Caf\xe9 owners in Cairo praised Amman.").unwrap();
    let o = stancekit(&[
        "classify",
        "/nonexistent/a.txt",
        bad.to_str().unwrap(),
        &article(GULF),
        "--format",
        "jsonl",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("/nonexistent/a.txt"), "{err}");
    assert!(err.contains("invalid UTF-8 at byte offset 3"), "{err}");
    assert!(err.contains("2 input(s) failed"), "{err}");
    let rows: Vec<serde_json::Value> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(rows
        .iter()
        .all(|r| r["doc"].as_str().unwrap().ends_with(GULF)));
    assert!(!rows.is_empty());
    // --lossy decodes it instead.
    let o = stancekit(&[
        "classify",
        bad.to_str().unwrap(),
        "--lossy",
        "--format",
        "jsonl",
    ]);
    assert_eq!(o.status.code(), Some(0));

    let corpus = tmp.path().join("c.jsonl");
    std::fs::write(
        &corpus,
        "{\"id\":\"x\",\"text\":\"Cairo praised Amman.\"}\n[1,2]\n{\"id\":\"y\"}\n",
    )
    .unwrap();
    let o = stancekit(&[
        "classify",
        corpus.to_str().unwrap(),
        "--input-format",
        "jsonl",
        "--format",
        "jsonl",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("c.jsonl:2:1: expected a JSON object"), "{err}");
    assert!(err.contains("c.jsonl:3:1: no string field 'text'"), "{err}");
}

#[test]
fn a_closed_pipe_ends_cleanly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_stancekit"))
        .args([
            "classify",
            articles().to_str().unwrap(),
            "--format",
            "jsonl",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 64];
    use std::io::Read;
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    assert!(status.success() || status.code() == Some(0), "{status:?}");
}

/// The real article of ../shared/examples (read at run time, never copied): its summary holds
/// the Hamas → Iran dyad with label counts and a net score.
#[test]
fn summary_of_the_example_article_has_the_hamas_iran_dyad() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/examples/article-hamas-iran-2016.txt"
    );
    let o = stancekit(&["classify", path, "--summary", "--format", "jsonl"]);
    let dyads = jsonl(&o);
    let d = dyads
        .iter()
        .find(|d| d["source"] == "HAMAS" && d["target"] == "IRN")
        .expect("a Hamas -> Iran dyad");
    assert!(d["statements"].as_u64().unwrap() >= 5, "{d}");
    assert!(d["counts"].as_object().is_some_and(|c| !c.is_empty()));
    let net = d["net_score"].as_f64().unwrap();
    assert!(
        net > 0.0 && net <= 1.0,
        "a friendly dyad on the whole: {net}"
    );
    let o = stancekit(&["classify", path, "--format", "table"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("HAMAS -> IRN"));
}
