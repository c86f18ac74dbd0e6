//! Core benchmarks on our own data (`datasets/stance`): the sparse solver against
//! linfa-logistic's dense solver on the same rows (the baseline, measured in the same run),
//! tokenizing + vectorizing, and predicting rows one by one.
//!
//! `cargo bench --bench core`; the peer comparison with scikit-learn is `benches/peer.py`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use linfa::dataset::DatasetBase;
use linfa::traits::Fit;
use ndarray::Array1;

use stancekit::data::{read, Columns};
use stancekit::features::{Document, TfIdfParams};
use stancekit::model::reference::fit_dense;
use stancekit::model::SoftmaxRegressionParams;
use stancekit::text::{Tokenizer, TokenizerParams};

fn rows() -> Vec<stancekit::data::Row> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/stance");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("datasets/stance exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    paths.sort();
    read(&paths, &Columns::default(), false)
        .expect("our data reads")
        .rows
}

fn bench(c: &mut Criterion) {
    let rows = rows();
    let labels: Vec<String> = rows
        .iter()
        .map(|r| r.label.clone().unwrap_or_default())
        .collect();
    let mut names = labels.clone();
    names.sort();
    names.dedup();
    let y: Vec<usize> = labels
        .iter()
        .map(|l| names.binary_search(l).unwrap_or(0))
        .collect();
    let tok = Tokenizer::new(TokenizerParams::default());
    let docs: Vec<Document> = rows
        .iter()
        .map(|r| Document::plain(&tok, &r.text))
        .collect();
    let bytes: usize = rows.iter().map(|r| r.text.len()).sum();

    let mut g = c.benchmark_group("tokenize+vectorize");
    g.throughput(Throughput::Bytes(bytes as u64));
    let refs: Vec<&Document> = docs.iter().collect();
    let tfidf = TfIdfParams::default().fit(&refs).expect("fit");
    g.bench_function("all rows", |b| {
        b.iter(|| {
            let d: Vec<Document> = rows
                .iter()
                .map(|r| Document::plain(&tok, &r.text))
                .collect();
            let r: Vec<&Document> = d.iter().collect();
            tfidf.transform(&r)
        })
    });
    g.finish();

    // Solver comparison on 600 rows: small enough for the dense solver.
    let n = 600.min(docs.len());
    let small: Vec<&Document> = docs[..n].iter().collect();
    let small_tfidf = TfIdfParams::default().fit(&small).expect("fit");
    let x = small_tfidf.transform(&small);
    let ys = Array1::from(y[..n].to_vec());
    let params = SoftmaxRegressionParams {
        c: 4.0,
        n_classes: Some(names.len()),
        ..SoftmaxRegressionParams::default()
    };
    let mut g = c.benchmark_group("fit 600 rows");
    g.sample_size(10);
    g.bench_function("sparse L-BFGS (ours)", |b| {
        b.iter(|| {
            params
                .fit(&DatasetBase::new(x.clone(), ys.clone()))
                .expect("fit")
        })
    });
    g.bench_function("linfa-logistic dense (baseline)", |b| {
        b.iter(|| fit_dense(&params, &x, &ys).expect("fit"))
    });
    g.finish();

    let x_all = tfidf.transform(&refs);
    let model = params
        .fit(&DatasetBase::new(x_all, Array1::from(y.clone())))
        .expect("fit");
    let mut g = c.benchmark_group("predict");
    g.throughput(Throughput::Elements(rows.len() as u64));
    g.bench_function("rows one by one", |b| {
        let mut row = Vec::new();
        let mut p = vec![0.0; names.len()];
        b.iter(|| {
            for d in &docs {
                tfidf.transform_one(d, &mut row);
                model.probabilities_of(row.iter().map(|&(c, v)| (c as usize, v)), &mut p);
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
