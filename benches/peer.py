#!/usr/bin/env python3
"""Peer comparison: stancekit against scikit-learn (TF-IDF + LogisticRegression) on the same CSV.

  python3 benches/peer.py [--train CSV] [--test CSV] [--rows 100000] [--json OUT]

Measures, in one run and on this machine:
  * training the same C grid with 5-fold stratified CV (ngrams 1-2, sublinear tf, the same min_df),
    stancekit on 1 and on all threads, scikit-learn single-threaded (newton-cg, one BLAS thread);
  * predicting --rows rows (the test CSV repeated) on one thread: stancekit's whole `predict`
    command (start, load the model and the actor dictionary, read CSV, place actors,
    tokenize, vectorize, score, write JSONL) against scikit-learn's vectorize + predict alone
    on texts already in memory; and, closer to like for like, stancekit's labeling stage
    alone (actors, tokens, features, scores, output lines; no reading or writing), which the
    command reports on stderr;
  * peak resident memory of each training process (stancekit on 1 and on all threads);
and prints the ratios. Needs scikit-learn (pip install scikit-learn) and a release build.
"""
import argparse, atexit, shutil, csv, json, os, re, sys, tempfile, time

from measure import run_child

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "stancekit")
SHARED = os.path.join(ROOT, "..", "shared", "data", "sentiment")
GRID = "0.25,1,4,16,64"


def sklearn_child(args):
    for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[v] = "1"
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV, StratifiedKFold
    from sklearn.pipeline import make_pipeline
    import pickle
    with open(args.train, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    xs, ys = [r["text"] for r in rows], [r["label"] for r in rows]
    pipe = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=args.min_df),
                         LogisticRegression(max_iter=2000, solver="newton-cg"))
    if args.sk_mode == "train":
        gs = GridSearchCV(pipe, {"logisticregression__C": [float(c) for c in GRID.split(",")]},
                          scoring="f1_macro", cv=StratifiedKFold(5, shuffle=True, random_state=0), n_jobs=1)
        gs.fit(xs, ys)
        with open(args.sk_model, "wb") as f:
            pickle.dump(gs.best_estimator_, f)
    else:
        with open(args.sk_model, "rb") as f:
            model = pickle.load(f)
        with open(args.big, newline="", encoding="utf-8") as f:
            texts = [r["text"] for r in csv.DictReader(f)]
        t0 = time.perf_counter()
        model.predict(texts)
        print(f"predict_seconds={time.perf_counter() - t0}", file=sys.stderr)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--train", default=os.path.join(SHARED, "newsmtsc-train.csv"))
    p.add_argument("--test", default=os.path.join(SHARED, "newsmtsc-test.csv"))
    p.add_argument("--rows", type=int, default=100_000)
    p.add_argument("--min-df", type=int, default=2)
    p.add_argument("--json")
    p.add_argument("--sk-mode", help=argparse.SUPPRESS)
    p.add_argument("--sk-model", help=argparse.SUPPRESS)
    p.add_argument("--big", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.sk_mode:
        return sklearn_child(a)
    if not os.access(BIN, os.X_OK):
        sys.exit("build first: cargo build --release")
    tmp = tempfile.mkdtemp(prefix="stancekit-peer-")
    atexit.register(shutil.rmtree, tmp, True)  # the corpora are large: never leave them
    model, sk_model = os.path.join(tmp, "m.model"), os.path.join(tmp, "m.pkl")
    big = os.path.join(tmp, "big.csv")
    with open(a.test, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with open(big, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "text", "target"])
        for i in range(a.rows):
            r = rows[i % len(rows)]
            w.writerow([i, r["text"], r["target"]])
    # scikit-learn gets the text (it knows no targets); stancekit also reads the target column
    # and, unless --no-actors, marks the other actors of the sentence with its dictionary.
    one = dict(os.environ, RAYON_NUM_THREADS="1")
    train = [BIN, "train", "--data", a.train, "--out", model, "--c-grid", GRID,
             "--folds", "5", "--min-df", str(a.min_df), "--task", "bench"]
    t_sk1, m_sk1, _ = run_child(train, env=one)
    t_sk, m_sk, _ = run_child(train)
    me = [sys.executable, os.path.abspath(__file__), "--train", a.train, "--min-df", str(a.min_df),
          "--sk-model", sk_model]
    t_py, m_py, _ = run_child(me + ["--sk-mode", "train"])
    t_pred, _, err = run_child([BIN, "predict", "--model", model, "--data", big, "-o",
                                os.path.join(tmp, "out.jsonl")], env=one)
    t_label = float(re.search(r"labeling \(.*?\) ([0-9.]+)s", err).group(1))
    # The same without the actor dictionary (trained without it too).
    plain_model = os.path.join(tmp, "plain.model")
    run_child(train[:5] + [plain_model] + train[6:] + ["--no-actors"], env=one)
    t_plain, _, err = run_child([BIN, "predict", "--model", plain_model, "--data", big,
                                 "--no-actors", "-o", os.path.join(tmp, "out.jsonl")], env=one)
    t_plain_label = float(re.search(r"labeling \(.*?\) ([0-9.]+)s", err).group(1))
    _, _, err = run_child(me + ["--sk-mode", "predict", "--big", big])
    t_pypred = float(err.strip().split("predict_seconds=")[-1])
    out = {
        "train_rows": sum(1 for _ in open(a.train, encoding="utf-8")) - 1,
        "grid": GRID, "folds": 5, "min_df": a.min_df, "predict_rows": a.rows,
        "stancekit_train_s_1thread": t_sk1, "stancekit_train_s": t_sk, "sklearn_train_s": t_py,
        "train_speedup_1thread": t_py / t_sk1, "train_speedup": t_py / t_sk,
        "stancekit_train_peak_mib_1thread": m_sk1, "stancekit_train_peak_mib": m_sk,
        "sklearn_train_peak_mib": m_py,
        "memory_ratio_1thread": m_sk1 / m_py, "memory_ratio": m_sk / m_py,
        "stancekit_predict_rows_per_s_1thread": a.rows / t_pred,
        "stancekit_labeling_rows_per_s_1thread": a.rows / t_label,
        "sklearn_predict_rows_per_s": a.rows / t_pypred,
        "predict_speedup_1thread": t_pypred / t_pred,
        "labeling_speedup_1thread": t_pypred / t_label,
        "no_actors_predict_speedup_1thread": t_pypred / t_plain,
        "no_actors_labeling_speedup_1thread": t_pypred / t_plain_label,
    }
    print(json.dumps(out, indent=1))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
