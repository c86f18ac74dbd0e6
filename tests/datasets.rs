//! The rules our own data must keep (issue: data and default models): size and balance,
//! allowed labels and splits, actors present in their sentences, no duplicate or
//! near-duplicate rows, and no 8-word run shared with the independent data under
//! `../shared/` (which exists to measure us, never to train or be copied).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use stancekit::actors::Matcher;
use stancekit::data::{read, Columns, Row};
use stancekit::features::MentionLocator;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn csvs(dir: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    v.sort();
    v
}

fn rows(dir: &str) -> Vec<Row> {
    read(&csvs(dir), &Columns::default(), false).unwrap().rows
}

fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Word-set Jaccard at or above which two different sentences count as near-duplicates.
const NEAR_DUPLICATE: f64 = 0.7;

fn near_duplicates(texts: &[&str]) -> Vec<(String, String)> {
    let mut ids: HashMap<String, u32> = HashMap::new();
    let sets: Vec<Vec<u32>> = texts
        .iter()
        .map(|t| {
            let mut v: Vec<u32> = words(t)
                .into_iter()
                .map(|w| {
                    let n = ids.len() as u32;
                    *ids.entry(w).or_insert(n)
                })
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        })
        .collect();
    let mut found = Vec::new();
    for i in 0..sets.len() {
        for j in i + 1..sets.len() {
            let (a, b) = (&sets[i], &sets[j]);
            let (small, large) = (a.len().min(b.len()), a.len().max(b.len()));
            // The Jaccard index cannot exceed small/large: skip hopeless pairs early.
            if (small as f64) < NEAR_DUPLICATE * large as f64 {
                continue;
            }
            let (mut x, mut y, mut common) = (0, 0, 0);
            while x < a.len() && y < b.len() {
                match a[x].cmp(&b[y]) {
                    std::cmp::Ordering::Less => x += 1,
                    std::cmp::Ordering::Greater => y += 1,
                    std::cmp::Ordering::Equal => {
                        common += 1;
                        x += 1;
                        y += 1;
                    }
                }
            }
            let union = a.len() + b.len() - common;
            if common as f64 >= NEAR_DUPLICATE * union as f64 {
                found.push((texts[i].to_string(), texts[j].to_string()));
            }
        }
    }
    found
}

fn shared_runs() -> HashSet<String> {
    let mut runs = HashSet::new();
    let shared = root().join("../shared");
    let mut stack = vec![shared.join("data"), shared.join("examples")];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(bytes) = std::fs::read(&p) {
                let w = words(&String::from_utf8_lossy(&bytes));
                for run in w.windows(8) {
                    runs.insert(run.join(" "));
                }
            }
        }
    }
    assert!(
        runs.len() > 10_000,
        "../shared/data must be readable for this test"
    );
    runs
}

fn assert_no_shared_runs(texts: &[&str], runs: &HashSet<String>) {
    for t in texts {
        for run in words(t).windows(8) {
            assert!(
                !runs.contains(&run.join(" ")),
                "shares an 8-word run with ../shared: {t}"
            );
        }
    }
}

fn distinct_texts(rows: &[Row]) -> Vec<&str> {
    let set: BTreeSet<&str> = rows.iter().map(|r| r.text.as_str()).collect();
    set.into_iter().collect()
}

fn check_common(rows: &[Row], labels: &[&str]) {
    let mut ids = HashSet::new();
    let mut keys = HashSet::new();
    for r in rows {
        let at = format!("{}:{}", r.file.display(), r.line);
        assert!(
            labels.contains(&r.label.as_deref().unwrap_or("")),
            "{at}: bad label"
        );
        assert!(ids.insert(r.id.clone().expect("id")), "{at}: duplicate id");
        assert!(
            keys.insert((r.text.clone(), r.source.clone(), r.target.clone())),
            "{at}: duplicate row"
        );
    }
    for path in rows
        .iter()
        .map(|r| r.file.to_path_buf())
        .collect::<BTreeSet<_>>()
    {
        for split in ["train", "dev", "test"] {
            let cols = Columns {
                split: Some(split.into()),
                ..Columns::default()
            };
            let n = read(std::slice::from_ref(&path), &cols, false)
                .unwrap()
                .rows
                .len();
            assert!(n > 0, "{}: no {split} rows", path.display());
        }
    }
}

#[test]
fn stance_data_keeps_the_rules() {
    let rows = rows("datasets/stance");
    check_common(
        &rows,
        &["supportive", "reconciliatory", "hostile", "neutral"],
    );
    let count = |l: &str| {
        rows.iter()
            .filter(|r| r.label.as_deref() == Some(l))
            .count()
    };
    assert!(rows.len() >= 3000, "{} rows", rows.len());
    for l in ["supportive", "reconciliatory", "hostile"] {
        assert!(count(l) >= 700, "{l}: {}", count(l));
    }
    assert!(count("neutral") >= 400);
    // Actors: every cell is in its sentence; at least 300 distinct dictionary actors.
    let matcher = Matcher::default_embedded().unwrap();
    let mut actors = HashSet::new();
    for r in &rows {
        for cell in [&r.source, &r.target] {
            let cell = cell.as_deref().expect("source and target are given");
            let span = matcher.locate(&r.text, cell);
            assert!(
                span.is_some(),
                "{}:{}: {cell:?} not in the text",
                r.file.display(),
                r.line
            );
            for m in matcher.find(&r.text) {
                if span
                    .as_ref()
                    .is_some_and(|s| m.start < s.end && s.start < m.end)
                {
                    actors.insert(m.code.clone());
                }
            }
        }
    }
    assert!(
        actors.len() >= 300,
        "{} distinct dictionary actors",
        actors.len()
    );
    let texts = distinct_texts(&rows);
    let near = near_duplicates(&texts);
    assert!(
        near.is_empty(),
        "{} near-duplicate pairs, e.g. {:?}",
        near.len(),
        near.first()
    );
    assert_no_shared_runs(&texts, &shared_runs());
}

#[test]
fn sentiment_data_keeps_the_rules() {
    let rows = rows("datasets/sentiment");
    check_common(&rows, &["positive", "neutral", "negative"]);
    assert!(rows.len() >= 2000);
    for r in &rows {
        if let Some(t) = &r.target {
            assert!(
                r.text.contains(t.as_str()),
                "{}:{}: target not in text",
                r.file.display(),
                r.line
            );
        }
    }
    let texts = distinct_texts(&rows);
    let near = near_duplicates(&texts);
    assert!(
        near.is_empty(),
        "{} near-duplicate pairs, e.g. {:?}",
        near.len(),
        near.first()
    );
    assert_no_shared_runs(&texts, &shared_runs());
}

#[test]
fn our_articles_are_news_length_and_our_own() {
    let dir = root().join("datasets/articles");
    let mut n = 0;
    let runs = shared_runs();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let text = std::fs::read_to_string(e.path()).unwrap();
        let count = text.split_whitespace().count();
        assert!(
            (400..=1500).contains(&count),
            "{}: {count} words",
            e.path().display()
        );
        assert_no_shared_runs(&[text.as_str()], &runs);
        n += 1;
    }
    assert!(n >= 5);
}
