//! `evaluate --report` and `train --report [--learning-curve]` on our own tiny data: the
//! files exist, the SVGs are XML, the confusion plot shows the right counts, the page is
//! self-contained and `metrics.json` matches `evaluate --format json`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

mod common;
use common::{fixture, ok, stancekit};

fn s(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

/// Held-out rows (ours): some are clear, some mix the cues so the model errs.
const HELD_OUT: &str = "\
id,text,source,target,label
h01,Austria praised Hungary for its help and sent thanks.,Austria,Hungary,supportive
h02,Nepal sent food and medicine to Bhutan after the floods.,Nepal,Bhutan,supportive
h03,Laos signed a cooperation pact with Vietnam and pledged grants.,Laos,Vietnam,supportive
h04,Egypt condemned the attack by Libya on its border posts.,Egypt,Libya,hostile
h05,Chad accused Cameroon of stoking tension and expelled diplomats.,Chad,Cameroon,hostile
h06,Bolivia warned Paraguay and imposed sanctions over the dispute.,Bolivia,Paraguay,hostile
h07,Belize and Honduras agreed to resume dialogue and talks.,Belize,Honduras,reconciliatory
h08,Gabon offered talks and a truce to Congo to end the quarrel.,Gabon,Congo,reconciliatory
h09,Malawi restored diplomatic ties with Zambia after the talks.,Malawi,Zambia,reconciliatory
h10,Oman agreed to talks with Yemen but warned of an answer to any attack.,Oman,Yemen,hostile
h11,Latvia praised Estonia yet cut ties over the dispute.,Latvia,Estonia,hostile
h12,Cuba backed Haiti at the meeting and offered talks to end the quarrel.,Cuba,Haiti,supportive
h13,Jordan accused Syria of an attack but agreed to a ceasefire.,Jordan,Syria,reconciliatory
";

/// Trains on the fixture with one C, as the issue asks.
fn train(dir: &Path) -> PathBuf {
    let model = dir.join("tiny.model");
    ok(stancekit(&[
        "train",
        "--data",
        s(&fixture("tiny_stance.csv")),
        "--out",
        s(&model),
        "--c",
        "4",
        "--min-df",
        "1",
    ]));
    model
}

fn parse_svg(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    roxmltree::Document::parse(&text)
        .unwrap_or_else(|e| panic!("{} is not XML: {e}", path.display()));
    text
}

/// Every `<text>` of an SVG with its position.
fn texts(svg: &str) -> Vec<(f64, f64, String)> {
    let doc = roxmltree::Document::parse(svg).expect("XML");
    doc.descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "text")
        .map(|n| {
            let num = |a: &str| n.attribute(a).and_then(|v| v.parse().ok()).unwrap_or(0.0);
            (
                num("x"),
                num("y"),
                n.text().unwrap_or_default().trim().to_string(),
            )
        })
        .collect()
}

#[test]
fn evaluate_report_draws_the_metrics_it_reports() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let model = train(dir.path());
    let data = dir.path().join("held_out.csv");
    std::fs::write(&data, HELD_OUT).expect("written");
    let report = dir.path().join("report");

    let json = ok(stancekit(&[
        "evaluate",
        "--model",
        s(&model),
        "--data",
        s(&data),
        "--format",
        "json",
    ]));
    let metrics: Value = serde_json::from_slice(&json.stdout).expect("JSON metrics");
    ok(stancekit(&[
        "evaluate",
        "--model",
        s(&model),
        "--data",
        s(&data),
        "--report",
        s(&report),
    ]));

    for name in ["confusion.svg", "reliability.svg", "per_class.svg"] {
        parse_svg(&report.join(name));
    }

    // metrics.json: the JSON metrics plus the ECE.
    let written: Value = serde_json::from_str(
        &std::fs::read_to_string(report.join("metrics.json")).expect("metrics.json"),
    )
    .expect("metrics.json is JSON");
    let mut without_ece = written.clone();
    let ece = without_ece
        .as_object_mut()
        .and_then(|o| o.remove("ece"))
        .and_then(|v| v.as_f64())
        .expect("an ece number");
    assert!((0.0..=1.0).contains(&ece), "ece {ece}");
    assert_eq!(without_ece, metrics);

    // The confusion plot: one cell per label pair, each with its count as a bare number,
    // laid out as a k×k grid (rows top to bottom = true labels, columns = predicted).
    let labels: Vec<String> = metrics["confusion"]["labels"]
        .as_array()
        .expect("labels")
        .iter()
        .map(|l| l.as_str().expect("a label").to_string())
        .collect();
    let matrix: Vec<Vec<u64>> = metrics["confusion"]["matrix"]
        .as_array()
        .expect("matrix")
        .iter()
        .map(|r| {
            r.as_array()
                .expect("a row")
                .iter()
                .map(|v| v.as_u64().expect("a count"))
                .collect()
        })
        .collect();
    let k = labels.len();
    assert_eq!(k, 3);
    assert!(
        (0..k).any(|i| (0..k).any(|j| i != j && matrix[i][j] > 0)),
        "the held-out rows should give at least one mistake: {matrix:?}"
    );
    let svg = parse_svg(&report.join("confusion.svg"));
    let all = texts(&svg);
    let mut counts: Vec<(f64, f64, u64)> = all
        .iter()
        .filter_map(|(x, y, t)| t.parse::<u64>().ok().map(|n| (*x, *y, n)))
        .collect();
    assert_eq!(counts.len(), k * k, "one count per cell: {counts:?}");
    let xs: BTreeSet<i64> = counts.iter().map(|c| c.0.round() as i64).collect();
    let ys: BTreeSet<i64> = counts.iter().map(|c| c.1.round() as i64).collect();
    assert_eq!((xs.len(), ys.len()), (k, k), "a {k}×{k} grid of counts");
    counts.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.total_cmp(&b.0)));
    let drawn: Vec<Vec<u64>> = counts
        .chunks(k)
        .map(|row| row.iter().map(|c| c.2).collect())
        .collect();
    assert_eq!(drawn, matrix);
    // Row shares and both axes' labels are there too.
    let strings: Vec<&str> = all.iter().map(|t| t.2.as_str()).collect();
    for (i, row) in matrix.iter().enumerate() {
        let support: u64 = row.iter().sum();
        for &n in row {
            let share = format!("{:.1}%", 100.0 * n as f64 / support.max(1) as f64);
            assert!(
                strings.contains(&share.as_str()),
                "row {i}: no {share} in {strings:?}"
            );
        }
    }
    for l in &labels {
        assert_eq!(
            strings.iter().filter(|t| **t == l.as_str()).count(),
            2,
            "{l} on both axes"
        );
    }

    // The reliability diagram names the ECE; the bars name every label with its support.
    let reliability = parse_svg(&report.join("reliability.svg"));
    assert!(
        reliability.contains(&format!("ECE {ece:.4}")),
        "no ECE in the title"
    );
    let per_class = parse_svg(&report.join("per_class.svg"));
    for l in &labels {
        let support = metrics["per_class"][l]["support"]
            .as_u64()
            .expect("support");
        assert!(
            per_class.contains(&format!("{l} (n={support})")),
            "{l} is missing"
        );
        let f1 = metrics["per_class"][l]["f1"].as_f64().expect("f1");
        assert!(
            texts(&per_class).iter().any(|t| t.2 == format!("{f1:.2}")),
            "{l}'s F1"
        );
    }

    // The page: self-contained, with the plots inlined and the mistakes listed.
    let html = std::fs::read_to_string(report.join("report.html")).expect("report.html");
    let lower = html.to_lowercase();
    for banned in ["http", "src=", "<link", "<script", "url(", "@import"] {
        assert!(!lower.contains(banned), "report.html contains {banned:?}");
    }
    assert_eq!(html.matches("<svg").count(), 3);
    let mistakes: u64 = (0..k)
        .flat_map(|i| (0..k).filter(move |&j| j != i).map(move |j| (i, j)))
        .map(|(i, j)| matrix[i][j])
        .sum();
    assert!(html.contains(&format!("The {} most confident mistakes", mistakes.min(20))));
    assert!(html.contains("data_sha256"), "the metadata is shown");
    assert!(html.contains(&format!(
        "{:.4}",
        metrics["macro_f1"].as_f64().expect("macro_f1")
    )));
}

#[test]
fn train_report_plots_cv_and_learning_curve() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let report = dir.path().join("train-report");
    let model = dir.path().join("grid.model");
    let o = ok(stancekit(&[
        "train",
        "--data",
        s(&fixture("tiny_stance.csv")),
        "--out",
        s(&model),
        "--c-grid",
        "1,4,16",
        "--folds",
        "3",
        "--min-df",
        "1",
        "--report",
        s(&report),
        "--learning-curve",
    ]));
    let stderr = String::from_utf8_lossy(&o.stderr);
    let cv = parse_svg(&report.join("cv.svg"));
    let chosen = stderr
        .lines()
        .find(|l| l.contains("<- chosen"))
        .and_then(|l| l.trim().strip_prefix("C="))
        .and_then(|l| l.split_whitespace().next())
        .expect("the chosen C in the log")
        .to_string();
    assert!(
        cv.contains(&format!("chosen C = {chosen}")),
        "chosen C {chosen} not marked"
    );
    let cv_texts: Vec<String> = texts(&cv).into_iter().map(|t| t.2).collect();
    for c in ["1", "4", "16"] {
        assert!(
            cv_texts.iter().any(|t| t == c),
            "no tick for C={c}: {cv_texts:?}"
        );
    }
    let curve = parse_svg(&report.join("learning_curve.svg"));
    assert!(curve.contains("Learning curve"));

    // The same run gives the same plots.
    let again = dir.path().join("again");
    ok(stancekit(&[
        "train",
        "--data",
        s(&fixture("tiny_stance.csv")),
        "--out",
        s(&dir.path().join("again.model")),
        "--c-grid",
        "1,4,16",
        "--folds",
        "3",
        "--min-df",
        "1",
        "--report",
        s(&again),
        "--learning-curve",
    ]));
    for name in ["cv.svg", "learning_curve.svg"] {
        assert_eq!(
            std::fs::read(report.join(name)).expect("first"),
            std::fs::read(again.join(name)).expect("second"),
            "{name} differs between runs"
        );
    }

    // One C: no CV to plot, but the learning curve still runs; --learning-curve needs --report.
    let single = dir.path().join("single");
    ok(stancekit(&[
        "train",
        "--data",
        s(&fixture("tiny_stance.csv")),
        "--out",
        s(&dir.path().join("single.model")),
        "--c",
        "4",
        "--min-df",
        "1",
        "--folds",
        "3",
        "--report",
        s(&single),
        "--learning-curve",
    ]));
    assert!(!single.join("cv.svg").exists());
    parse_svg(&single.join("learning_curve.svg"));
    let o = stancekit(&[
        "train",
        "--data",
        s(&fixture("tiny_stance.csv")),
        "--out",
        s(&dir.path().join("x.model")),
        "--learning-curve",
    ]);
    assert_eq!(o.status.code(), Some(2));
}
