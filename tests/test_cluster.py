"""Search and batch scoring on a Dask cluster: a 2-process LocalCluster on loopback.

Tests that need Dask skip when it is not installed (it is the optional ``[dask]``
extra; ``dev`` installs it, so CI runs them); the others check what happens without
it.
"""

import csv
import gzip
import os
import subprocess
import sys

import numpy as np
import pytest
from conftest import write_csv

from sklearn_aidetect import load_csv, make_detector, make_essays, save_model
from sklearn_aidetect.cli import main

FAST = ["--detector", "tfidf-logistic", "--set", "vectorizer__min_df=1"]
GRID = {"classifier__C": [0.1, 1.0, 10.0], "vectorizer__ngram_range": [(1, 1), (1, 2)]}
INSTALL = 'pip install "sklearn_aidetect[dask]"'
ENVIRONMENT = {
    name: os.environ.get(name) for name in ("OMP_NUM_THREADS", "PYTHONHASHSEED")
}


def run(capsys, *args):
    """Exit status, stdout and stderr of one command."""
    status = main([str(arg) for arg in args])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture(scope="module")
def dask():
    return pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client(dask):
    """Two worker processes of one thread each, on 127.0.0.1, for the whole module."""
    from sklearn_aidetect.cluster import dask_client

    with dask_client(n_workers=2) as client:
        yield client


@pytest.fixture(scope="module")
def essays():
    texts, labels = make_essays(150, weights=(0.7, 0.3), random_state=0)
    return texts, labels


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("cluster")


@pytest.fixture(scope="module")
def model(folder, essays):
    detector = make_detector("tfidf-logistic", random_state=0, vectorizer__min_df=1)
    return save_model(detector.fit(*essays), folder / "model.joblib")


@pytest.fixture(scope="module")
def labelled_csv(folder):
    """Essays with ids and labels; each text spans several lines (paragraphs)."""
    texts, labels = make_essays(90, weights=(0.6, 0.4), random_state=3)
    rows = [[f"essay-{i:03d}", t, y] for i, (t, y) in enumerate(zip(texts, labels))]
    return write_csv(folder / "essays.csv", ["id", "text", "label"], rows)


def tricky_rows():
    """Rows that a naive split at a newline would cut: quotes, commas, line breaks."""
    rows = []
    for i in range(40):
        text = f'Essay {i}, "quoted" words,\nthen a second line\r\nand a third.'
        if i % 7 == 3:
            text = "one line only"
        rows.append([f"id-{i}", text, ["human", "AI", "1", "0.0"][i % 4]])
    return rows


# --- without Dask -------------------------------------------------------------------


def test_importing_the_package_or_the_cli_does_not_import_dask():
    code = (
        "import sys, sklearn_aidetect, sklearn_aidetect.cli, sklearn_aidetect.cluster; "
        "print(sorted(m for m in ('dask', 'distributed') "
        "if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


@pytest.fixture
def without_dask(monkeypatch):
    """Imports of dask and distributed fail, as when the extra is not installed."""
    for name in ("dask", "dask.dataframe", "distributed"):
        monkeypatch.setitem(sys.modules, name, None)


@pytest.mark.parametrize(
    "args",
    [
        ["search", "{data}", *FAST, "--local-cluster", "2", "--out", "{out}"],
        ["search", "{data}", *FAST, "--scheduler", "tcp://127.0.0.1:8786", "--out",
         "{out}"],
        ["predict", "{model}", "{data}", "--out", "{out}", "--blocksize", "1MB"],
        ["predict", "{model}", "{data}", "--out", "{out}", "--local-cluster", "2"],
        ["predict", "{model}", "{folder}/texts.parquet", "--out", "{out}"],
    ],
)  # fmt: skip
def test_without_dask_the_cluster_options_fail_in_one_line_naming_the_extra(
    capsys, without_dask, model, labelled_csv, folder, tmp_path, args
):
    names = {"data": labelled_csv, "model": model, "folder": folder}
    names["out"] = tmp_path / "out.csv"
    status, _, err = run(capsys, *(arg.format(**names) for arg in args))
    assert status == 1
    assert err.startswith("aidetect: error: ")
    assert err.count("\n") == 1
    assert INSTALL in err
    assert "needs Dask" in err
    assert not (tmp_path / "out.csv").exists()


def test_without_dask_the_python_api_says_what_to_install(without_dask, essays):
    from sklearn_aidetect import cluster

    with pytest.raises(ImportError, match=r"pip install \"sklearn_aidetect\[dask\]\""):
        cluster.search_on_cluster(make_detector("tfidf-logistic"), *essays, GRID)
    with pytest.raises(ImportError, match="read_texts needs Dask"):
        cluster.read_texts("essays.csv")


def test_in_memory_predict_does_not_need_dask(
    capsys, without_dask, model, labelled_csv, tmp_path
):
    status, out, _ = run(
        capsys, "predict", model, labelled_csv, "--out", tmp_path / "p.csv"
    )
    assert status == 0
    assert "wrote 90 predictions" in out


@pytest.mark.parametrize(
    "args",
    [
        ["search", "x.csv", "--scheduler", "tcp://h:8786", "--local-cluster", "2"],
        ["search", "x.csv", "--n-jobs", "2", "--local-cluster", "2"],
        ["search", "x.csv", "--local-cluster", "0"],
        ["predict", "m", "x.csv", "--out", "p", "--local-cluster", "2",
         "--scheduler", "tcp://h:8786"],
        ["predict", "m", "x.csv", "--out", "p", "--blocksize", "lots"],
        ["predict", "m", "x.csv", "--out", "p", "--blocksize", "0"],
    ],
)  # fmt: skip
def test_cluster_usage_errors_are_one_line(capsys, args):
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "--help" in err


@pytest.mark.parametrize(
    ("text", "size"),
    [("65536", 65536), ("64MB", 64 * 10**6), ("64MiB", 64 * 2**20),
     ("1.5 GB", 15 * 10**8), ("100kb", 100_000), ("2KiB", 2048), ("10b", 10)],
)  # fmt: skip
def test_blocksize_reads_units(text, size):
    from sklearn_aidetect.cli import _byte_size

    assert _byte_size(text) == size


def test_only_this_librarys_n_jobs_are_pinned_to_one():
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from sklearn_aidetect import Doc2VecVectorizer, WordTokenizer
    from sklearn_aidetect.cluster._search import _single_threaded

    doc2vec = make_pipeline(WordTokenizer(), Doc2VecVectorizer(), LogisticRegression())
    assert _single_threaded(doc2vec).get_params()["doc2vecvectorizer__n_jobs"] == 1
    # scikit-learn's own n_jobs (deprecated on LogisticRegression) are left alone.
    tfidf = make_detector("tfidf-logistic")
    assert _single_threaded(tfidf).get_params() == tfidf.get_params()


def test_public_functions_have_numpydoc_docstrings_with_examples():
    import inspect

    from sklearn_aidetect import cluster

    for name in cluster.__all__:
        doc = inspect.getdoc(getattr(cluster, name))
        assert "Examples\n--------" in doc, name
        assert "Parameters\n----------" in doc, name
        assert "Raises\n------" in doc, name


# --- reading in partitions ----------------------------------------------------------


@pytest.mark.parametrize("blocksize", [1, 50, 333, 10**6])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_partitions_read_exactly_what_load_csv_reads(
    dask, tmp_path, blocksize, encoding
):
    from sklearn_aidetect.cluster import read_texts

    path = tmp_path / "tricky.csv"
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "label"])
        for row in tricky_rows():
            writer.writerow(row)
            if row[0] == "id-5":
                handle.write("\r\n")  # a blank line, which load_csv skips
    expected = load_csv(path)
    texts = read_texts(path, blocksize=blocksize)
    if blocksize < 100:
        assert texts.npartitions > 10
    frame = texts.compute(scheduler="sync")
    assert frame["text"].tolist() == expected.data
    assert frame["id"].tolist() == expected.ids
    assert frame["label"].tolist() == expected.target.tolist()


def test_a_gzip_file_is_one_partition(dask, tmp_path):
    from sklearn_aidetect.cluster import read_texts

    path = tmp_path / "essays.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8", newline="") as handle:
        rows = [[row[1], row[2]] for row in tricky_rows()]
        csv.writer(handle).writerows([["text", "label"], *rows])
    texts = read_texts(path, blocksize=100)
    assert texts.npartitions == 1
    assert texts.compute()["text"].tolist() == load_csv(path).data


def test_a_wrong_row_names_its_line_in_the_file(dask, tmp_path):
    from sklearn_aidetect.cluster import read_texts

    rows = tricky_rows()
    rows[30][2] = "maybe"
    path = write_csv(tmp_path / "bad.csv", ["id", "text", "label"], rows)
    with pytest.raises(ValueError, match="label") as in_memory:
        load_csv(path)
    line = in_memory.value.args[0].split("first on line ")[1].split(")")[0]
    with pytest.raises(ValueError, match=f"'maybe' \\(first on line {line}\\)"):
        read_texts(path, blocksize=200).compute(scheduler="sync")

    rows[30][2] = "1"
    rows[25][1] = " "
    path = write_csv(tmp_path / "bad.csv", ["id", "text", "label"], rows)
    with pytest.raises(ValueError, match=r"\(line (\d+)\)") as in_memory:
        load_csv(path)
    line = in_memory.value.args[0].split("(line ")[1].split(")")[0]
    with pytest.raises(ValueError, match=f"^read_texts: .* line {line} has an empty"):
        read_texts(path, blocksize=200).compute(scheduler="sync")


@pytest.mark.parametrize(
    ("content", "kwargs", "message"),
    [
        ("text,label\n", {}, "no data rows"),
        ("words,label\nsome text,1\n", {}, "no column 'text'"),
        ("text,text\nsome text,more\n", {}, "repeats column names"),
        ("text,label\nsome text,1\n", {"id_column": "key"}, "no column 'key'"),
        ("", {}, "empty"),
    ],
)
def test_header_problems_fail_before_any_partition_is_read(
    dask, tmp_path, content, kwargs, message
):
    from sklearn_aidetect.cluster import read_texts

    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        read_texts(path, **kwargs)


def test_parquet_is_read_in_row_groups_with_the_same_checks(dask, tmp_path):
    import pandas as pd

    from sklearn_aidetect.cluster import read_texts

    rows = tricky_rows()
    frame = pd.DataFrame(
        {
            "id": [row[0] for row in rows],
            "text": [row[1] for row in rows],
            "label": [row[2] for row in rows],
        }
    )
    path = tmp_path / "texts.parquet"
    frame.to_parquet(path, row_group_size=7)
    texts = read_texts(path)
    assert texts.npartitions > 1 or texts.compute().shape[0] == 40
    read = texts.compute()
    assert read["text"].tolist() == frame["text"].tolist()
    assert read["label"].tolist() == [0, 1, 1, 0] * 10
    frame.loc[12, "label"] = "perhaps"
    frame.to_parquet(path)
    with pytest.raises(ValueError, match="'perhaps' in column 'label'"):
        read_texts(path).compute()


# --- on the cluster -----------------------------------------------------------------


def test_the_local_cluster_has_two_single_thread_worker_processes(client):
    workers = client.scheduler_info()["workers"].values()
    assert sorted(w["nthreads"] for w in workers) == [1, 1]
    assert all(w["host"] == "127.0.0.1" for w in workers)
    assert len(set(client.run(os.getpid).values()) | {os.getpid()}) == 3
    # distributed sets OMP_NUM_THREADS=1 here for its workers; it is put back.
    assert {name: os.environ.get(name) for name in ENVIRONMENT} == ENVIRONMENT


def test_workers_cap_their_threads(client):
    names = ("OMP_NUM_THREADS", "RAYON_NUM_THREADS", "TOKENIZERS_PARALLELISM")
    settings = client.run(lambda: [os.environ.get(name) for name in names])
    assert list(settings.values()) == [["1", "1", "false"]] * 2

    def tensorflow_threads():
        import tensorflow as tf

        import sklearn_aidetect.neural  # noqa: F401  (its first import caps TF)

        return (
            tf.config.threading.get_intra_op_parallelism_threads(),
            tf.config.threading.get_inter_op_parallelism_threads(),
        )

    one = sorted(settings)[0]
    assert client.run(tensorflow_threads, workers=[one]) == {one: (1, 1)}


def _seeded_draw_after_a_pause():
    import random
    import time

    random.seed(0)
    time.sleep(1.5)  # meanwhile the worker measures what it holds, twice a second
    return random.random()


def test_workers_leave_the_global_random_generator_to_the_tasks(client):
    import random

    # Keras draws its layers' default seeds from Python's global generator after
    # a neural fit seeds it; nothing else in the worker may draw from it meanwhile.
    random.seed(0)
    expected = random.random()
    draws = [
        client.submit(_seeded_draw_after_a_pause, pure=False, workers=[worker])
        for worker in client.scheduler_info()["workers"]
    ]  # tasks, like a fit: the worker's event loop runs on meanwhile
    assert client.gather(draws) == [expected] * 2


def test_search_on_the_cluster_equals_n_jobs_1(client, essays):
    from distributed import get_task_stream

    from sklearn_aidetect import search_detector
    from sklearn_aidetect.cluster import search_on_cluster

    detector = make_detector("tfidf-logistic", random_state=0, vectorizer__min_df=1)
    for n_iter in (None, 4):
        serial = search_detector(detector, *essays, GRID, n_iter=n_iter, cv=3, n_jobs=1)
        with get_task_stream(client) as tasks:
            spread = search_on_cluster(
                detector, *essays, GRID, client=client, n_iter=n_iter, cv=3
            )
        assert spread.best_params_ == serial.best_params_
        for key in ("mean_test_roc_auc", "mean_test_average_precision"):
            np.testing.assert_allclose(
                spread.cv_results_[key], serial.cv_results_[key], rtol=0, atol=1e-9
            )
        assert spread.cv_results_["params"] == serial.cv_results_["params"]
        assert {task["worker"] for task in tasks.data} == set(
            client.scheduler_info()["workers"]
        )
    unchanged = make_detector("tfidf-logistic", random_state=0, vectorizer__min_df=1)
    assert repr(detector.get_params()) == repr(unchanged.get_params())


def test_any_search_runs_there_through_joblibs_dask_backend(client, essays):
    import joblib
    from sklearn.model_selection import GridSearchCV, StratifiedKFold

    folds = StratifiedKFold(3, shuffle=True, random_state=0)
    detector = make_detector("tfidf-logistic", random_state=0, vectorizer__min_df=1)
    serial = GridSearchCV(detector, GRID, cv=folds, scoring="roc_auc").fit(*essays)
    with joblib.parallel_config(backend="dask"):
        spread = GridSearchCV(detector, GRID, cv=folds, scoring="roc_auc").fit(*essays)
    assert spread.best_params_ == serial.best_params_
    np.testing.assert_allclose(
        spread.cv_results_["mean_test_score"],
        serial.cv_results_["mean_test_score"],
        rtol=0,
        atol=1e-9,
    )


def test_partitioned_scoring_equals_in_memory_scoring(
    capsys, client, model, labelled_csv, tmp_path
):
    from sklearn_aidetect import load_model
    from sklearn_aidetect.cluster import score_file

    in_memory = tmp_path / "in_memory.csv"
    status, *_ = run(capsys, "predict", model, labelled_csv, "--out", in_memory)
    assert status == 0
    result = score_file(
        model, labelled_csv, tmp_path / "partitioned.csv", client=client, blocksize=5000
    )
    assert result.n_partitions > 5
    assert (tmp_path / "partitioned.csv").read_bytes() == in_memory.read_bytes()
    data = load_csv(labelled_csv)
    np.testing.assert_array_equal(
        result.scores, load_model(model).predict_proba(data.data)[:, 1]
    )
    np.testing.assert_array_equal(result.target, data.target)


def test_the_model_is_sent_to_each_worker_once(client, essays, labelled_csv, tmp_path):
    from distributed import get_task_stream

    from sklearn_aidetect import cluster
    from sklearn_aidetect.cluster import _score

    detector = make_detector("tfidf-logistic", classifier__C=3.0).fit(*essays)
    before = client.run(lambda: dict(_score._MODELS.loads))  # key: times unpickled
    with get_task_stream(client) as tasks:
        result = cluster.score_file(
            detector, labelled_csv, tmp_path / "p.csv", client=client, blocksize=3000
        )
    after = client.run(lambda: dict(_score._MODELS.loads))
    assert result.n_partitions >= 10
    scoring = {task["worker"] for task in tasks.data}
    assert scoring
    for worker, loads in after.items():
        new = [n for key, n in loads.items() if key not in before[worker]]
        assert new == ([1] if worker in scoring else [])  # once, not per partition


def test_predict_on_a_local_cluster_writes_what_in_memory_predict_writes(
    capfd, model, labelled_csv, tmp_path, dask
):
    outputs = {}
    for name, extra in [
        ("in_memory", []),
        ("cluster", ["--local-cluster", "2", "--blocksize", "4kB"]),
    ]:
        path = tmp_path / f"{name}.csv"
        status = main(
            ["predict", str(model), str(labelled_csv), "--out", str(path), *extra]
        )
        out, err = capfd.readouterr()
        assert status == 0, err
        outputs[name] = (path.read_bytes(), out.replace(str(path), "OUT"))
    assert outputs["cluster"] == outputs["in_memory"]
    assert "ROC AUC" in outputs["cluster"][1]
    assert "partition(s) on the Dask cluster" in err


def test_predict_on_a_running_cluster_by_its_address(
    capsys, client, model, labelled_csv, tmp_path
):
    in_memory, partitioned = tmp_path / "in_memory.csv", tmp_path / "partitioned.csv"
    status, *_ = run(capsys, "predict", model, labelled_csv, "--out", in_memory)
    assert status == 0
    status, _, err = run(
        capsys, "predict", model, labelled_csv, "--out", partitioned,
        "--scheduler", client.scheduler.address, "--blocksize", "8kB",
    )  # fmt: skip
    assert status == 0, err
    assert f"connecting to the Dask scheduler at {client.scheduler.address}" in err
    assert partitioned.read_bytes() == in_memory.read_bytes()
    assert client.submit(sum, [1, 2]).result() == 3  # the cluster is still there


@pytest.mark.parametrize("layout", ["kaggle", "no ids", "parquet"])
def test_every_output_layout_is_the_same_in_partitions(
    capsys, dask, model, folder, tmp_path, layout
):
    texts, _ = make_essays(40, random_state=5)
    if layout == "no ids":
        data = write_csv(tmp_path / "plain.csv", ["text"], ([t] for t in texts))
        options = []
    else:
        rows = [[f"k{i}", 7, t] for i, t in enumerate(texts)]
        data = write_csv(tmp_path / "kaggle.csv", ["id", "prompt_id", "text"], rows)
        options = ["--format", "kaggle"] if layout == "kaggle" else []
    in_memory = tmp_path / "in_memory.csv"
    status, *_ = run(capsys, "predict", model, data, "--out", in_memory, *options)
    assert status == 0
    if layout == "parquet":
        import pandas as pd

        parquet = folder / "texts.parquet"
        pd.DataFrame({"id": [f"k{i}" for i in range(40)], "text": texts}).to_parquet(
            parquet, row_group_size=9
        )
        data, blocks = parquet, []
    else:
        blocks = ["--blocksize", "2000"]
    partitioned = tmp_path / "partitioned.csv"
    status, _, err = run(
        capsys, "predict", model, data, "--out", partitioned, *options, *blocks
    )
    assert status == 0, err
    assert "in this process" in err
    assert partitioned.read_bytes() == in_memory.read_bytes()


def test_decisions_and_abstentions_are_the_same_in_partitions(
    capsys, dask, folder, tmp_path
):
    texts, labels = make_essays(80, weights=(0.6, 0.4), random_state=3)
    train = write_csv(tmp_path / "train.csv", ["text", "label"], zip(texts, labels))
    tuned = tmp_path / "tuned.joblib"
    status, *_ = run(
        capsys, "train", train, *FAST, "--target-fpr", 0.1, "--out", tuned, "-q"
    )
    assert status == 0
    new, _ = make_essays(30, random_state=6)
    rows = [[f"d{i}", " ".join(t.split()[: 20 if i % 3 else 400])] for i, t in
            enumerate(new)]  # fmt: skip
    data = write_csv(tmp_path / "mixed.csv", ["id", "text"], rows)
    outputs = {}
    for name, blocks in [("memory", []), ("partitions", ["--blocksize", "3000"])]:
        outputs[name] = tmp_path / f"{name}.csv"
        status, _, err = run(
            capsys, "predict", tuned, data, "--out", outputs[name], *blocks
        )
        assert status == 0, err
    lines = outputs["partitions"].read_text().splitlines()
    assert lines[0] == "id,probability,decision"
    assert sum(line.endswith(",abstain") for line in lines) == 20
    assert outputs["partitions"].read_bytes() == outputs["memory"].read_bytes()


def test_search_on_a_local_cluster_from_the_command_line(capfd, dask, folder):
    texts, labels = make_essays(150, weights=(0.7, 0.3), random_state=0)
    data = write_csv(folder / "train.csv", ["text", "label"], zip(texts, labels))
    grid = folder / "grid.json"
    grid.write_text('{"classifier__C": [0.1, 1.0, 10.0]}')
    results = {}
    for name, extra in [("serial", []), ("cluster", ["--local-cluster", "2"])]:
        path = folder / f"results-{name}.csv"
        status = main(
            ["search", str(data), *FAST, "--cv", "3", "--grid", str(grid), "--out",
             str(folder / f"{name}.joblib"), "--results", str(path), *extra]
        )  # fmt: skip
        out, err = capfd.readouterr()
        assert status == 0, err
        assert "[CV]" not in out  # the workers' per-fold lines are progress: stderr
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        results[name] = [
            (row["rank"], row["params"], float(row["mean_roc_auc"])) for row in rows
        ]
    assert "[CV] END" in err
    assert "on 2 Dask worker(s), 2 thread(s) in all" in err
    assert [r[:2] for r in results["cluster"]] == [r[:2] for r in results["serial"]]
    np.testing.assert_allclose(
        [r[2] for r in results["cluster"]], [r[2] for r in results["serial"]], atol=1e-9
    )


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:1", "nonsense"])
def test_a_bad_scheduler_address_fails_in_one_line(
    capsys, dask, monkeypatch, model, labelled_csv, tmp_path, address
):
    from sklearn_aidetect.cluster import _client

    monkeypatch.setattr(_client, "_CONNECT_TIMEOUT", 1)
    status, _, err = run(
        capsys, "predict", model, labelled_csv, "--out", tmp_path / "p.csv",
        "--scheduler", address, "-q",
    )  # fmt: skip
    assert status == 1
    assert err.startswith("aidetect: error: cannot connect to a Dask scheduler at ")
    assert err.count("\n") == 1
    assert not (tmp_path / "p.csv").exists()


def test_a_failing_partition_leaves_no_output_file(client, model, tmp_path):
    from sklearn_aidetect.cluster import score_file

    rows = tricky_rows()
    rows[-1][2] = "unknown"
    data = write_csv(tmp_path / "bad.csv", ["id", "text", "label"], rows)
    out = tmp_path / "scores.csv"
    with pytest.raises(ValueError, match="'unknown'"):
        score_file(model, data, out, client=client, blocksize=100)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv"]


def test_scoring_checks_the_model_and_the_output_before_any_work(
    dask, model, labelled_csv, tmp_path
):
    from sklearn_aidetect.cluster import predict_partitions, read_texts, score_file

    texts = read_texts(labelled_csv)
    with pytest.raises(ValueError, match="never trained"):
        predict_partitions(make_detector("tfidf-logistic"), texts)
    existing = tmp_path / "scores.csv"
    existing.write_text("keep me")
    with pytest.raises(FileExistsError):
        score_file(model, labelled_csv, existing)
    assert existing.read_text() == "keep me"
    with pytest.raises(ValueError, match="no id column"):
        score_file(model, texts[["text"]], tmp_path / "k.csv", kaggle=True)
