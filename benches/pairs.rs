//! Benchmarks of the actors stage: dictionary load time (parse + matcher build) and the
//! throughput of `pairs` (sentence splitting, matching, coreference, statements) on one
//! core, over a corpus made by repeating our own `datasets/articles/*.txt` to ~4 MB.
//!
//! `cargo bench --bench pairs` prints criterion's figures and, first, a plain summary:
//! entries and names of the default and PETRARCH dictionaries, load times, and MB/s.

use std::path::Path;
use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use stancekit::actors::{load_file, Dictionary, DictionaryFormat, Matcher};
use stancekit::statements::extract_statements;
use stancekit::text::sentences::split_sentences;

/// Our articles, repeated until they hold at least `bytes` bytes.
fn corpus(bytes: usize) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/articles");
    let mut articles: Vec<String> = std::fs::read_dir(&dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "txt"))
                .filter_map(|p| std::fs::read_to_string(p).ok())
                .collect()
        })
        .unwrap_or_default();
    articles.sort();
    if articles.is_empty() {
        articles.push("Iran said Hamas would visit Tehran. The group thanked Iran.".to_string());
    }
    let mut out = Vec::new();
    let mut total = 0;
    while total < bytes {
        for a in &articles {
            total += a.len();
            out.push(a.clone());
        }
    }
    out
}

fn run_pairs(matcher: &Matcher, articles: &[String]) -> usize {
    articles
        .iter()
        .map(|a| extract_statements(a, matcher, false).len())
        .sum()
}

/// CPU time of this thread in seconds (Linux `schedstat`), so that throughput per core
/// is measured even when other processes share the machine; `None` elsewhere.
fn thread_cpu_seconds() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = s.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

/// A one-off summary with plain numbers, easier to quote than criterion's output.
fn summary() {
    let mut load_ms = f64::MAX;
    let mut m = None;
    for _ in 0..5 {
        let started = Instant::now();
        m = Some(Matcher::default_embedded().expect("default dictionary"));
        load_ms = load_ms.min(started.elapsed().as_secs_f64() * 1e3);
    }
    let Some(m) = m else { return };
    let parse_started = Instant::now();
    let d = Dictionary::default_embedded().expect("default dictionary");
    let parse_ms = parse_started.elapsed().as_secs_f64() * 1e3;
    eprintln!(
        "default dictionary: {} entries, {} names, {} patterns; load {load_ms:.1} ms, best of 5 (parse {parse_ms:.1} ms)",
        d.len(),
        d.alias_count(),
        m.pattern_count()
    );
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/petrarch");
    for name in [
        "PETR.Validate.actors.txt",
        "Phoenix.Countries.actors.txt",
        "Phoenix.International.actors.txt",
        "Phoenix.MilNonState.actors.txt",
    ] {
        let path = dir.join(name);
        if !path.exists() {
            continue;
        }
        let started = Instant::now();
        match load_file(&path, DictionaryFormat::Petrarch).and_then(Matcher::new) {
            Ok(pm) => eprintln!(
                "{name}: {} entries, {} names; load {:.1} ms",
                pm.dictionary().len(),
                pm.dictionary().alias_count(),
                started.elapsed().as_secs_f64() * 1e3
            ),
            Err(e) => eprintln!("{name}: {e}"),
        }
    }
    let articles = corpus(4_000_000);
    let bytes: usize = articles.iter().map(String::len).sum();
    let mut best = f64::MAX;
    let mut best_cpu = f64::MAX;
    let mut statements = 0;
    for _ in 0..5 {
        let started = Instant::now();
        let cpu = thread_cpu_seconds();
        statements = run_pairs(&m, &articles);
        best = best.min(started.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (cpu, thread_cpu_seconds()) {
            best_cpu = best_cpu.min(b - a);
        }
    }
    let mb = bytes as f64 / 1e6;
    // Stages alone, best of 5 (CPU seconds).
    let stage = |f: &dyn Fn() -> usize| {
        let mut best = f64::MAX;
        for _ in 0..5 {
            let (a, w) = (thread_cpu_seconds(), Instant::now());
            std::hint::black_box(f());
            let t = match (a, thread_cpu_seconds()) {
                (Some(a), Some(b)) => b - a,
                _ => w.elapsed().as_secs_f64(),
            };
            best = best.min(t);
        }
        best
    };
    let split = stage(&|| articles.iter().map(|a| split_sentences(a).len()).sum());
    let find = stage(&|| articles.iter().map(|a| m.find(a).len()).sum());
    eprintln!(
        "stages: split_sentences {:.1} MB/s, matcher.find {:.1} MB/s",
        mb / split,
        mb / find
    );
    eprintln!(
        "pairs: {mb:.1} MB in {best:.3} s wall = {:.1} MB/s; {best_cpu:.3} s CPU = {:.1} MB/s per core \
         ({statements} statements)",
        mb / best,
        mb / best_cpu
    );
}

fn bench(c: &mut Criterion) {
    summary();
    let mut g = c.benchmark_group("actors");
    g.sample_size(20);
    g.bench_function("default_dictionary_load", |b| {
        b.iter(|| Matcher::default_embedded().expect("default dictionary"))
    });
    let m = Matcher::default_embedded().expect("default dictionary");
    let articles = corpus(4_000_000);
    let bytes: usize = articles.iter().map(String::len).sum();
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(10);
    g.bench_function("pairs_4mb", |b| b.iter(|| run_pairs(&m, &articles)));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
