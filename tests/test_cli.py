"""The ``aidetect`` command line, run in-process on small synthetic CSV files."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import write_csv

from sklearn_aidetect import load_model, make_essays
from sklearn_aidetect.cli import main

FAST = ["--detector", "tfidf-logistic", "--set", "vectorizer__min_df=1"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("cli")


@pytest.fixture(scope="module")
def train_csv(folder):
    texts, labels = make_essays(120, weights=(0.7, 0.3), random_state=0)
    return write_csv(folder / "train.csv", ["text", "label"], zip(texts, labels))


@pytest.fixture(scope="module")
def kaggle_test_csv(folder):
    texts, _ = make_essays(30, random_state=1)
    rows = [[f"id{i:03d}", 3, text] for i, text in enumerate(texts)]
    return write_csv(folder / "test_essays.csv", ["id", "prompt_id", "text"], rows)


@pytest.fixture(scope="module")
def model(folder, train_csv):
    path = folder / "model.joblib"
    assert main(["train", str(train_csv), *FAST, "--out", str(path), "-q"]) == 0
    return path


def run(capsys, *args):
    """Exit status, stdout and stderr of one command."""
    status = main([str(arg) for arg in args])
    out, err = capsys.readouterr()
    return status, out, err


def read_rows(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_train_saves_a_model_that_scores_text(model, train_csv):
    detector = load_model(model)
    assert detector.predict_proba(["Furthermore, it is essential."]).shape == (1, 2)
    assert detector.get_params()["classifier__C"] == 1.0


def test_train_reports_progress_unless_quiet(capsys, train_csv, tmp_path):
    status, out, err = run(
        capsys, "train", train_csv, *FAST, "--out", tmp_path / "m.joblib"
    )
    assert status == 0
    assert "saved tfidf-logistic trained on 120 texts" in out
    assert "read 120 texts" in err
    assert "Processing classifier" in err  # the pipeline's step timings
    status, out, err = run(
        capsys, "train", train_csv, *FAST, "--out", tmp_path / "n.joblib", "--quiet"
    )
    assert status == 0
    assert out
    assert err == ""


def test_set_values_are_python_literals(capsys, train_csv, tmp_path):
    path = tmp_path / "m.joblib"
    status, *_ = run(
        capsys, "train", train_csv, *FAST, "--set", "vectorizer__ngram_range=(1, 3)",
        "--set", "classifier__C=5", "--out", path, "-q",
    )  # fmt: skip
    assert status == 0
    params = load_model(path).get_params()
    assert params["vectorizer__ngram_range"] == (1, 3)
    assert params["classifier__C"] == 5


def test_an_existing_model_is_never_overwritten_without_force(capsys, model, train_csv):
    before = model.read_bytes()
    status, _, err = run(capsys, "train", train_csv, *FAST, "--out", model)
    assert status == 1
    assert err.count("\n") == 1
    assert "already exists; pass --force" in err
    assert model.read_bytes() == before
    status, *_ = run(capsys, "train", train_csv, *FAST, "--out", model, "--force", "-q")
    assert status == 0


def test_evaluate_prints_the_report_and_plots(capsys, train_csv, tmp_path):
    plot = tmp_path / "roc.png"
    status, out, err = run(
        capsys, "evaluate", train_csv, *FAST, "--cv", 3, "--plot", plot
    )
    assert status == 0
    assert "ROC AUC" in out
    assert "(3 folds:" in out
    assert "average precision" in out
    assert "confusion matrix at threshold 0.5" in out
    assert "84 human, 36 machine" in out
    assert "fold 3/3" in err
    assert plot.read_bytes()[:4] == b"\x89PNG"


def test_predict_writes_one_probability_per_row_in_input_order(
    capsys, model, kaggle_test_csv, tmp_path
):
    out_path = tmp_path / "predictions.csv"
    status, out, _ = run(capsys, "predict", model, kaggle_test_csv, "--out", out_path)
    assert status == 0
    assert "wrote 30 predictions" in out
    rows = read_rows(out_path)
    assert rows[0] == ["id", "probability"]
    assert [row[0] for row in rows[1:]] == [f"id{i:03d}" for i in range(30)]
    assert all(0.0 <= float(row[1]) <= 1.0 for row in rows[1:])

    kaggle = tmp_path / "submission.csv"
    status, *_ = run(
        capsys, "predict", model, kaggle_test_csv, "--out", kaggle, "--format", "kaggle"
    )
    assert status == 0
    submission = read_rows(kaggle)
    assert submission[0] == ["id", "generated"]
    assert [row[1] for row in submission[1:]] == [row[1] for row in rows[1:]]


def test_predict_scores_a_labelled_file(capsys, model, train_csv, tmp_path):
    status, out, _ = run(
        capsys, "predict", model, train_csv, "--out", tmp_path / "p.csv"
    )
    assert status == 0
    assert "the file has labels (84 human, 36 machine): ROC AUC" in out


def test_predict_without_ids_numbers_the_rows(capsys, model, tmp_path):
    data = write_csv(tmp_path / "plain.csv", ["text"], [["one text"], ["another"]])
    out_path = tmp_path / "predictions.csv"
    status, *_ = run(capsys, "predict", model, data, "--out", out_path)
    assert status == 0
    assert [row[0] for row in read_rows(out_path)] == ["row", "1", "2"]
    status, _, err = run(
        capsys,
        "predict",
        model,
        data,
        "--out",
        tmp_path / "k.csv",
        "--format",
        "kaggle",
    )
    assert status == 1
    assert "has no id column" in err


def test_search_default_grid_table_results_and_best_model(capsys, train_csv, tmp_path):
    best, results = tmp_path / "best.joblib", tmp_path / "results.csv"
    status, out, err = run(
        capsys, "search", train_csv, *FAST, "--cv", 3, "--out", best,
        "--results", results,
    )  # fmt: skip
    assert status == 0
    lines = out.splitlines()
    assert lines[0].startswith("rank  ROC AUC")
    assert len([line for line in lines if "classifier__C=" in line]) == 6  # 2 x 3 grid
    assert "best model (tfidf-logistic" in out
    assert "Fitting 3 folds for each of 6 candidates" in err
    assert hasattr(load_model(best), "predict_proba")
    assert len(read_rows(results)) == 7


def test_search_reads_a_json_grid_and_samples_it(capsys, train_csv, tmp_path):
    grid = tmp_path / "grid.json"
    grid.write_text(
        json.dumps(
            {"vectorizer__ngram_range": [[1, 1], [1, 2]], "classifier__C": [1, 3]}
        )
    )
    status, out, _ = run(
        capsys, "search", train_csv, *FAST, "--cv", 3, "--grid", grid, "--n-iter", 3,
        "--out", tmp_path / "best.joblib", "-q",
    )  # fmt: skip
    assert status == 0
    assert len([line for line in out.splitlines() if "ngram_range=(1, " in line]) == 3


def test_demo_runs_the_whole_flow(capsys, tmp_path):
    status, out, _ = run(
        capsys, "demo", "--detector", "tfidf-logistic", "--n-samples", 200,
        "--workdir", tmp_path, "-q",
    )  # fmt: skip
    assert status == 0
    for step in ["1. data", "2. evaluate", "3. train", "4. reload", "demo finished"]:
        assert step in out
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "model.joblib",
        "new_essays.csv",
        "predictions.csv",
    ]
    assert len(read_rows(tmp_path / "predictions.csv")) == 51


def test_list_shows_every_detector(capsys):
    status, out, _ = run(capsys, "list", "--grids")
    assert status == 0
    assert "tfidf-ensemble" in out
    assert "default grid:" in out


@pytest.fixture(scope="module")
def bad_files(folder):
    files = {
        "garbage.joblib": b"not a model",
        "bad.csv": b'text,label\n"unterminated,1\n',
        "nolabel.csv": b"text,score\nsome text,1\n",
        "onelabel.csv": b"text,label\nsome text,1\nmore text,1\n",
        "grid.json": b"{not json",
    }
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return folder


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["train", "{f}/absent.csv", "--out", "{f}/m1.joblib"], "absent.csv"),
        (["train", "{f}/bad.csv", "--out", "{f}/m1.joblib"], "not a valid CSV"),
        (["train", "{f}/nolabel.csv", "--out", "{f}/m1.joblib"], "label"),
        (["train", "{f}/onelabel.csv", "--out", "{f}/m1.joblib"], "needs both"),
        (
            ["train", "{f}/train.csv", "--detector", "magic", "--out", "{f}/m1.joblib"],
            "unknown detector 'magic'",
        ),
        (
            ["train", "{f}/train.csv", "--detector", "tfidf-logistic",
             "--set", "classifier__C=-2", "--out", "{f}/m.j"],
            "'C' parameter of LogisticRegression",
        ),
        (
            ["train", "{f}/train.csv", "--detector", "tfidf-logistic",
             "--set", "C=1", "--out", "{f}/m1.joblib"],
            "did you mean",
        ),
        (["train", "{f}/train.csv", "--out", "{f}/no/m.joblib"], "does not exist"),
        (["predict", "{f}/garbage.joblib", "{f}/train.csv", "--out", "{f}/p.csv"],
         "cannot load model"),
        (["predict", "{f}/absent.joblib", "{f}/train.csv", "--out", "{f}/p.csv"],
         "does not exist"),
        (["search", "{f}/train.csv", "--grid", "{f}/grid.json"], "not valid JSON"),
        (["search", "{f}/train.csv", "--detector", "magic"], "unknown detector"),
        (["evaluate", "{f}/train.csv", "--cv", "50"], "cv=50 folds need"),
        (["evaluate", "{f}/train.csv", "--plot", "{f}/roc.docx", "--cv", "2",
          "--detector", "tfidf-logistic"], "suffixes"),
    ],
)  # fmt: skip
def test_errors_are_one_line_without_traceback(
    capsys, bad_files, train_csv, args, message
):
    status, _, err = run(capsys, *(a.format(f=bad_files) for a in args), "-q")
    assert status == 1
    assert err.startswith("aidetect: error: ")
    assert err.count("\n") == 1
    assert message in err
    assert "Traceback" not in err
    assert not (bad_files / "m1.joblib").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["train", "x.csv", "--set", "no-equals-sign", "--out", "m.joblib"],
        ["train", "x.csv"],
        ["evaluate", "x.csv", "--cv", "1"],
        ["frobnicate"],
    ],
)
def test_usage_errors_are_one_line_too(capsys, args):
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "error:" in err
    assert "--help" in err


def test_interrupted_training_writes_nothing(capsys, train_csv, tmp_path, monkeypatch):
    from sklearn.pipeline import Pipeline

    def interrupted(self, *args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(Pipeline, "fit", interrupted)
    status, _, err = run(
        capsys, "train", train_csv, *FAST, "--out", tmp_path / "m.joblib"
    )
    assert status == 130
    assert "interrupted" in err
    assert list(tmp_path.iterdir()) == []


def test_neural_training_shows_epochs(capsys, train_csv, tmp_path):
    path = tmp_path / "cnn.joblib"
    status, _, err = run(
        capsys, "train", train_csv, "--detector", "bpe-cnn",
        "--set", "tokenizer__vocab_size=300", "--set", "classifier__maxlen=32",
        "--set", "classifier__epochs=2", "--out", path,
    )  # fmt: skip
    assert status == 0
    assert "Epoch 2/2" in err
    assert load_model(path).named_steps["classifier"].verbose == 0


def test_the_console_script_is_installed():
    script = Path(sys.executable).parent / "aidetect"
    result = subprocess.run(
        [str(script), "list"], capture_output=True, text=True, check=True
    )
    assert "bpe-transformer" in result.stdout


def test_ctrl_c_during_training_leaves_no_file(tmp_path):
    import signal

    texts, labels = make_essays(3000, random_state=0)
    data = write_csv(tmp_path / "train.csv", ["text", "label"], zip(texts, labels))
    out = tmp_path / "model.joblib"
    script = Path(sys.executable).parent / "aidetect"
    process = subprocess.Popen(
        [str(script), "train", str(data), "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen = []
    for line in process.stderr:  # wait until training has started
        seen.append(line)
        if line.startswith("training on"):
            break
    process.send_signal(signal.SIGINT)
    _, rest = process.communicate(timeout=120)
    assert process.returncode == 130, "".join(seen) + rest
    assert rest.strip().splitlines()[-1] == (
        "aidetect: interrupted; no output file was written."
    )
    assert "Traceback" not in rest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["train.csv"]


def test_predict_warns_in_one_line_about_other_versions(
    capsys, model, kaggle_test_csv, tmp_path
):
    import shutil

    from conftest import rewrite_manifest

    older = shutil.copy(model, tmp_path / "older.joblib")
    rewrite_manifest(
        older, lambda manifest: manifest["dependencies"].update(numpy="1.0.0")
    )
    status, _, err = run(
        capsys, "predict", older, kaggle_test_csv, "--out", tmp_path / "p.csv"
    )
    assert status == 0
    assert err.count("\n") == 2  # the warning, then the progress line
    assert err.startswith("aidetect: warning: ModelVersionWarning: ")
    assert "saved with numpy 1.0.0; this environment has numpy" in err


def test_predict_warns_of_texts_with_look_alike_or_invisible_characters(
    capsys, model, tmp_path
):
    rows = [
        ["a", "an ordinary essay"],
        ["b", "an ess\u0430y"],
        ["c", "zero\u200bwidth"],
    ]
    data = write_csv(tmp_path / "evasive.csv", ["id", "text"], rows)
    status, _, err = run(capsys, "predict", model, data, "--out", tmp_path / "p.csv")
    assert status == 0
    [warning] = [line for line in err.splitlines() if "look-alike" in line]
    assert warning.startswith("aidetect: warning: 2 of 3 texts hold look-alike")
    assert "(b, c)" in warning
    assert "the model's TextNormalizer maps them back" in warning
    clean = write_csv(tmp_path / "clean.csv", ["id", "text"], rows[:1])
    _, _, err = run(capsys, "predict", model, clean, "--out", tmp_path / "q.csv")
    assert "look-alike" not in err


@pytest.fixture(scope="module")
def grouped_csv(folder):
    texts, labels = make_essays(120, weights=(0.6, 0.4), random_state=2)
    rows = [[f"g{i}", text, label, f"p{i % 2}"] for i, (text, label) in
            enumerate(zip(texts, labels))]  # fmt: skip
    return write_csv(folder / "grouped.csv", ["id", "text", "label", "prompt"], rows)


def test_train_with_a_target_fpr_stores_the_threshold_and_predict_decides(
    capsys, grouped_csv, tmp_path
):
    from sklearn_aidetect import decision_threshold, read_manifest

    path = tmp_path / "tuned.joblib"
    status, out, _ = run(
        capsys, "train", grouped_csv, *FAST, "--target-fpr", 0.05, "--out", path
    )
    assert status == 0
    assert "decision threshold 0." in out
    assert "flag at most 5.00% of human texts" in out
    threshold, target = decision_threshold(load_model(path))
    assert target == 0.05
    assert read_manifest(path)["decision"] == {
        "threshold": threshold,
        "target_fpr": 0.05,
    }
    predictions = tmp_path / "p.csv"
    status, out, _ = run(
        capsys, "predict", path, grouped_csv, "--out", predictions,
        "--group-column", "prompt",
    )  # fmt: skip
    assert status == 0
    rows = read_rows(predictions)
    assert rows[0] == ["id", "probability", "decision"]
    assert all(int(r[2]) == (float(r[1]) >= threshold) for r in rows[1:])
    assert f"threshold {threshold:.6f}, chosen for 5.00% false positives" in out
    table = out.splitlines()[-4:]
    assert table[0].startswith("prompt")
    assert f"FPR@{threshold:g}" in table[0]
    assert [line.split()[0] for line in table[1:]] == ["all", "p0", "p1"]


def test_predict_abstains_on_short_texts(capsys, grouped_csv, tmp_path):
    model = tmp_path / "tuned.joblib"
    run(capsys, "train", grouped_csv, *FAST, "--target-fpr", 0.05, "--out", model)
    texts, _ = make_essays(2, random_state=5)
    short = " ".join(texts[0].split()[:49])  # one word under the default minimum
    data = write_csv(
        tmp_path / "mixed.csv",
        ["id", "text"],
        [["long", texts[1]], ["short", short], ["tiny", "Two words."]],
    )
    out_path = tmp_path / "p.csv"
    status, out, _ = run(capsys, "predict", model, data, "--out", out_path)
    assert status == 0
    rows = read_rows(out_path)
    assert [row[2] for row in rows[1:]][1:] == ["abstain", "abstain"]
    assert rows[1][2] in {"0", "1"}
    assert all(row[1] for row in rows[1:])  # the probability is still written
    assert "abstain for the 2 texts under 50 words" in out

    status, _, _ = run(
        capsys, "predict", model, data, "--out", out_path, "--min-words", 0, "--force"
    )
    assert status == 0
    assert all(row[2] in {"0", "1"} for row in read_rows(out_path)[1:])


def test_predict_without_a_threshold_warns_of_short_texts(capsys, model, tmp_path):
    data = write_csv(tmp_path / "short.csv", ["text"], [["Only a few words here."]])
    status, _, err = run(capsys, "predict", model, data, "--out", tmp_path / "p.csv")
    assert status == 0
    assert "1 of 1 texts have fewer than 50 words" in err
    assert read_rows(tmp_path / "p.csv")[0] == ["row", "probability"]


@pytest.mark.parametrize("value", ["-1", "x"])
def test_a_bad_min_words_is_a_usage_error(capsys, tmp_path, value):
    with pytest.raises(SystemExit) as exit_info:
        main(["predict", "m.joblib", "d.csv", "--out", "p.csv", "--min-words", value])
    assert exit_info.value.code == 2
    assert "--min-words" in capsys.readouterr().err


def test_evaluate_reports_metrics_per_group(capsys, grouped_csv):
    status, out, _ = run(
        capsys, "evaluate", grouped_csv, *FAST, "--cv", 3, "--group-column", "prompt"
    )
    assert status == 0
    lines = out.splitlines()
    assert lines[-4].startswith("prompt")
    assert "TPR@1%FPR" in lines[-4]
    assert [line.split()[0] for line in lines[-3:]] == ["all", "p0", "p1"]


@pytest.mark.parametrize(
    ("value", "message"),
    [("1", "must be at least 0 and below 1"), ("x", "is not a number")],
)
def test_a_bad_target_fpr_is_a_usage_error(
    capsys, grouped_csv, tmp_path, value, message
):
    with pytest.raises(SystemExit) as exit_info:
        main([
            "train", str(grouped_csv), *FAST, "--target-fpr", value,
            "--out", str(tmp_path / "m.joblib"),
        ])  # fmt: skip
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_an_unknown_group_column_is_one_line_of_error(capsys, grouped_csv):
    status, _, err = run(capsys, "evaluate", grouped_csv, *FAST, "--group-column", "x")
    assert status == 1
    assert "no column 'x' (group_column)" in err


def test_predict_can_ignore_a_label_column(capsys, model, tmp_path):
    data = write_csv(
        tmp_path / "odd.csv", ["text", "label"], [["one text", "2"], ["two", "0"]]
    )
    status, _, err = run(capsys, "predict", model, data, "--out", tmp_path / "p.csv")
    assert status == 1
    assert "label" in err
    status, out, _ = run(
        capsys, "predict", model, data, "--out", tmp_path / "p.csv",
        "--label-column", "none",
    )  # fmt: skip
    assert status == 0
    assert "wrote 2 predictions" in out
