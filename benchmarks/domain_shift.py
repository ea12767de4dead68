"""Why ``essays-to-hc3`` is hard: style statistics that flip between the two domains.

For a few document statistics that stylometric detectors rely on, it prints the
ROC AUC of the statistic alone (higher value = machine) on the training part of
``essays-to-hc3`` (OUTFOX ``valid`` essays) and on its test set (all of HC3). An
AUC above 0.5 in one domain and below it in the other means the statistic points
the other way there: a detector that learns it on essays is misled on HC3. The
last rows are two classifiers trained on the statistics of the essays and scored
on HC3.

Word rarity is measured against the training essays' own word counts: nothing is
learned from the HC3 texts.

A second table splits two n-gram models trained on the essays into their two
sides of evidence: the features whose weight points to the machine, and those
that point to the human (the word and character TF-IDF of ``tfidf-wordchar`` with
its SGD weights, and the log-odds of ``bpe-naive-bayes``), and scores each side
alone. It is an analysis of the test set, not used to choose any detector's
defaults.

Usage::

    python benchmarks/domain_shift.py [--data DIR] [--output FILE]
"""

import argparse
import collections
import math
import re
from pathlib import Path

import numpy as np
from _common import load_rows, machine, markdown, write_report
from bench_detection import DEFAULT_DATA, load_tasks

WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
DOMAINS = ["open_qa", "medicine", "wiki_csai"]


def statistics(text, counts, total):
    words = WORD.findall(text)
    lower = [word.lower() for word in words] or [""]
    n = max(len(words), 1)
    sentences = [len(WORD.findall(s)) for s in SENTENCE_END.split(text) if s.strip()]
    lengths = np.array(sentences or [0])
    log_frequency = [math.log((counts[word] + 1) / total) for word in lower]
    return {
        "mean word log-frequency (in the training essays)": np.mean(log_frequency),
        "share of words unseen in the training essays": np.mean(
            [counts[word] == 0 for word in lower]
        ),
        "mean word length": np.mean([len(word) for word in lower]),
        "type-token ratio of the first 100 words": len(set(lower[:100]))
        / len(lower[:100]),
        "words per sentence": lengths.mean(),
        "sentence-length variation (std / mean)": lengths.std() / (lengths.mean() + 1),
        "commas per word": text.count(",") / n,
        "log number of words": math.log(n),
        "space before punctuation, per word": len(re.findall(r" [,.;:!?]", text)) / n,
    }


def evidence_sides(data, X_train, y_train, tests):
    """The table of the machine and human sides of two n-gram models' weights."""
    from sklearn.metrics import roc_auc_score

    from sklearn_aidetect import make_detector

    # essays-to-hc3's test set is every HC3 row, in the file's order.
    hc3 = load_rows(Path(data) / "hc3_en_qa.csv.gz")
    domains = np.array([row["domain"] for row in hc3])
    columns = {
        key: (X, np.array(y))
        for key, (X, y) in [
            ("outfox-clean", tests["outfox-clean"]),
            ("HC3", tests["essays-to-hc3"]),
        ]
    }
    rows = []
    for name in ["tfidf-wordchar", "bpe-naive-bayes"]:
        detector = make_detector(name, random_state=0).fit(X_train, y_train)
        features = detector[:-1]
        # The weights that turn features into the machine's score: SGD's
        # coefficients, or naive Bayes's log-ratio of the two classes.
        model = detector[-1].calibrated_classifiers_[0].estimator
        if hasattr(model, "coef_"):
            weights = model.coef_.ravel()
        else:
            weights = model.feature_log_prob_[1] - model.feature_log_prob_[0]
        matrices = {key: features.transform(X) for key, (X, _) in columns.items()}
        for side, kept in [
            ("all weights", weights),
            ("machine side only", np.clip(weights, 0, None)),
            ("human side only", np.clip(weights, None, 0)),
        ]:
            cells = [f"{name}: {side}"]
            for key, (_, y) in columns.items():
                scores = matrices[key] @ kept
                cells.append(f"{roc_auc_score(y, scores):.3f}")
                if key == "HC3":
                    cells += [
                        f"{roc_auc_score(y[domains == d], scores[domains == d]):.3f}"
                        for d in DOMAINS
                    ]
            rows.append(cells)
    header = ["model and weights", "outfox-clean", "HC3, all", *DOMAINS]
    return markdown(header, rows)


def main(argv=None):
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--output", type=Path)
    args = parser.parse_args(argv)
    X_train, y_train, tests = load_tasks(args.data)["outfox valid"]
    X_test, y_test = tests["essays-to-hc3"]
    counts = collections.Counter(
        word.lower() for text in X_train for word in WORD.findall(text)
    )
    total = sum(counts.values())
    train = [statistics(text, counts, total) for text in X_train]
    test = [statistics(text, counts, total) for text in X_test]
    names = list(train[0])
    A = np.array([[row[name] for name in names] for row in train])
    B = np.array([[row[name] for name in names] for row in test])
    rows = [
        [
            name,
            f"{roc_auc_score(y_train, A[:, j]):.3f}",
            f"{roc_auc_score(y_test, B[:, j]):.3f}",
        ]
        for j, name in enumerate(names)
    ]
    models = {
        "all of them: logistic regression": make_pipeline(
            StandardScaler(), LogisticRegression(class_weight="balanced")
        ),
        "all of them: gradient boosting": HistGradientBoostingClassifier(
            class_weight="balanced", random_state=0
        ),
    }
    for name, model in models.items():
        model.fit(A, y_train)
        scores = model.predict_proba(B)[:, 1]
        rows.append([name, "(trained here)", f"{roc_auc_score(y_test, scores):.3f}"])
    evidence = evidence_sides(args.data, X_train, y_train, tests)
    header = [
        "statistic (higher = machine)",
        f"ROC AUC, OUTFOX valid ({len(X_train):,} essays)",
        f"ROC AUC, HC3 ({len(X_test):,} answers)",
    ]
    report = "\n\n".join(
        [
            "# Domain shift: essays to HC3",
            f"Machine: {machine('scikit-learn')}",
            markdown(header, rows),
            "## Which evidence carries to HC3",
            "Each n-gram model trained on the OUTFOX valid essays, then scored with "
            "all its weights, with only those that point to the machine (the "
            "others set to 0), or with only those that point to the human. ROC AUC "
            "on outfox-clean's test essays, on all of HC3 and on each HC3 domain.",
            evidence,
            "Command: `python benchmarks/domain_shift.py`.",
        ]
    )
    print(report)
    if args.output:
        write_report(args.output, report)


if __name__ == "__main__":
    main()
