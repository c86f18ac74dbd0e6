#!/usr/bin/env python3
"""Corpus-scale benchmark of `stancekit classify` against scikit-learn, in one run.

  python3 benches/classify.py [--mb 50] [--json OUT]

Builds a JSONL corpus of at least --mb MB by repeating our own articles (datasets/articles),
then measures:
  * stancekit's full pipeline (sentences, actors, pairs, features, stance model, JSONL out)
    on 1 and on 2 threads, streaming to a pipe: MB/s of corpus, and peak resident memory;
    and on 1 thread writing the output file atomically (with fsync);
  * peak memory on a corpus twice as large (memory must not grow with the input);
  * scikit-learn's TF-IDF + LogisticRegression (trained on our stance train split, the peer
    set-up of ../shared/tools/sklearn_baseline.py --pair) vectorizing and predicting the very
    statements stancekit found, timed alone (no reading, no sentence splitting, no actors).
Needs a release build and scikit-learn.
"""
import argparse, atexit, shutil, csv, glob, json, os, tempfile, time

from measure import run_child

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "stancekit")


def build_corpus(path, mb):
    arts = [open(p, encoding="utf-8").read() for p in sorted(glob.glob(os.path.join(ROOT, "datasets/articles/*.txt")))]
    size, n = 0, 0
    with open(path, "w", encoding="utf-8") as f:
        while size < mb * 1_000_000:
            line = json.dumps({"id": f"d{n}", "date": f"2025-{n % 12 + 1:02d}-{n % 28 + 1:02d}",
                               "text": arts[n % len(arts)]}) + "\n"
            f.write(line)
            size += len(line.encode())
            n += 1
    return size


def run(cmd, threads):
    """Runs cmd on `threads` threads; returns (seconds, peak RSS in MiB)."""
    seconds, peak, _ = run_child(cmd, dict(os.environ, RAYON_NUM_THREADS=str(threads)))
    return seconds, peak


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=50)
    ap.add_argument("--json")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="stancekit-bench-")
    atexit.register(shutil.rmtree, tmp, True)  # the corpora are large: never leave them
    corpus, big = os.path.join(tmp, "corpus.jsonl"), os.path.join(tmp, "corpus2.jsonl")
    size = build_corpus(corpus, a.mb)
    size2 = build_corpus(big, 2 * a.mb)
    out = os.path.join(tmp, "out.jsonl")
    # The pipeline streaming its JSONL to a pipe (discarded), and to a file written
    # atomically (temporary file, fsync, rename).
    cmd = [BIN, "classify", "--input-format", "jsonl", "--format", "jsonl"]
    t1, m1 = run(cmd + [corpus], 1)
    t2, m2 = run(cmd + [corpus], 2)
    t1_file, _ = run(cmd + ["-o", out, corpus], 1)
    _, m_big = run(cmd + [big], 2)
    statements = []
    with open(out, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            statements.append(f"{r['source']['mention']} [SEP] {r['target']['mention']} [SEP] {r['text']}")

    for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[v] = "1"
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    xs, ys = [], []
    for p in sorted(glob.glob(os.path.join(ROOT, "datasets/stance/*.csv"))):
        for r in csv.DictReader(open(p, encoding="utf-8")):
            if r["split"] == "train" and r["label"] != "neutral":
                xs.append(f"{r['source']} [SEP] {r['target']} [SEP] {r['text']}")
                ys.append(r["label"])
    model = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
                          LogisticRegression(C=4, max_iter=2000, solver="newton-cg")).fit(xs, ys)
    t0 = time.perf_counter()
    model.predict(statements)
    t_sk = time.perf_counter() - t0
    res = {
        "corpus_mb": size / 1e6, "statements": len(statements),
        "stancekit_1thread_s": t1, "stancekit_1thread_mb_s": size / 1e6 / t1,
        "stancekit_2threads_s": t2, "stancekit_2threads_mb_s": size / 1e6 / t2,
        "scaling_2_vs_1": t1 / t2,
        "stancekit_1thread_to_file_s": t1_file, "stancekit_1thread_to_file_mb_s": size / 1e6 / t1_file,
        "peak_mib_1thread": m1, "peak_mib_2threads": m2,
        "peak_mib_2threads_on_double_corpus": m_big, "double_corpus_mb": size2 / 1e6,
        "sklearn_vectorize_predict_s": t_sk,
        "stancekit_whole_pipeline_vs_sklearn_predict": t_sk / t1_file,
    }
    print(json.dumps(res, indent=1))
    if a.json:
        json.dump(res, open(a.json, "w"), indent=1)


if __name__ == "__main__":
    main()
