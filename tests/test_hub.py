"""Pretrained keras-hub transformers: vectors, fine-tuning, presets, persistence.

Every test loads a tiny randomly initialised BERT preset that conftest writes with
``save_to_preset`` (about two thousand parameters, its own vocabulary), as a real
preset is written: the tests check behaviour, not accuracy, and download nothing
(``benchmarks/bench_hub.py`` measures speed).
"""

import json
import pickle
import shutil
import subprocess
import sys

import joblib
import numpy as np
import pytest
from conftest import HUMAN_TEXTS, MACHINE_TEXTS, outputs_of_fresh_processes
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline

pytest.importorskip("keras_hub")

from sklearn_aidetect import (
    PretrainedTransformerClassifier,
    PretrainedTransformerVectorizer,
    make_detector,
)
from sklearn_aidetect.cli import main

TEXTS = HUMAN_TEXTS + MACHINE_TEXTS
LABELS = [0] * len(HUMAN_TEXTS) + [1] * len(MACHINE_TEXTS)
SMALL = {
    "max_length": 24,
    "learning_rate": 0.01,
    "epochs": 2,
    "validation_split": 0.0,
    "patience": None,
    "random_state": 0,
}


def _classifier(preset, **params):
    return PretrainedTransformerClassifier(preset, **{**SMALL, **params})


def _token_embeddings(model):
    """The token-embedding matrix of the backbone inside ``model``."""
    (layer,) = [
        layer for layer in model._flatten_layers() if layer.name == "token_embedding"
    ]
    return layer.get_weights()[0]


@pytest.fixture(scope="module")
def fitted(tiny_preset):
    """One classifier fitted on string labels, shared by the tests that only read."""
    labels = np.where(np.asarray(LABELS) == 1, "machine", "human")
    return _classifier(tiny_preset).fit(TEXTS, labels)


# --- the vectorizer ---------------------------------------------------------------


def test_vectors_have_the_hidden_size_and_are_float32(tiny_preset):
    vectors = PretrainedTransformerVectorizer(tiny_preset, max_length=24).fit_transform(
        TEXTS
    )
    assert vectors.shape == (len(TEXTS), 8)
    assert vectors.dtype == np.float32
    assert np.isfinite(vectors).all()


@pytest.mark.parametrize("pooling", ["mean", "cls"])
def test_a_documents_vector_does_not_depend_on_its_batch(tiny_preset, pooling):
    """Padding is masked and batches are cut to their longest document."""
    vectorizer = PretrainedTransformerVectorizer(
        tiny_preset, max_length=48, pooling=pooling, batch_size=3
    ).fit()
    together = vectorizer.transform(TEXTS)
    alone = np.vstack([vectorizer.transform([text]) for text in TEXTS[:4]])
    np.testing.assert_allclose(together[:4], alone, rtol=1e-5, atol=1e-6)


def test_documents_are_truncated_to_max_length(tiny_preset):
    vectorizer = PretrainedTransformerVectorizer(tiny_preset, max_length=6).fit()
    short, longer = vectorizer.transform(
        ["in conclusion it is", "in conclusion it is important to consider"]
    )
    # [CLS] + 4 words + [SEP]: both keep the same first four words.
    np.testing.assert_allclose(short, longer, rtol=1e-5, atol=1e-6)


def test_mean_and_cls_pooling_differ(tiny_preset):
    mean = PretrainedTransformerVectorizer(tiny_preset, max_length=24).fit()
    cls = PretrainedTransformerVectorizer(tiny_preset, max_length=24, pooling="cls")
    cls.fit()
    assert not np.allclose(mean.transform(TEXTS[:3]), cls.transform(TEXTS[:3]))


def test_vectors_feed_a_scikit_learn_classifier(tiny_preset):
    pipeline = make_pipeline(
        PretrainedTransformerVectorizer(tiny_preset, max_length=24),
        LogisticRegression(),
    ).fit(TEXTS, LABELS)
    assert pipeline.predict_proba(TEXTS).shape == (len(TEXTS), 2)
    assert list(pipeline[0].get_feature_names_out()[:2]) == [
        "pretrainedtransformervectorizer0",
        "pretrainedtransformervectorizer1",
    ]


def test_vectorizer_pickles_without_the_preset(tiny_preset, tmp_path):
    copy = shutil.copytree(tiny_preset, tmp_path / "preset")
    vectorizer = PretrainedTransformerVectorizer(copy, max_length=24).fit()
    expected = vectorizer.transform(TEXTS)
    data = pickle.dumps(vectorizer)
    shutil.rmtree(copy)
    np.testing.assert_array_equal(pickle.loads(data).transform(TEXTS), expected)


# --- the classifier -----------------------------------------------------------------


def test_fit_and_predict_proba_in_classes_order(fitted):
    assert list(fitted.classes_) == ["human", "machine"]
    proba = fitted.predict_proba(TEXTS)
    assert proba.shape == (len(TEXTS), 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert set(fitted.predict(TEXTS)) <= {"human", "machine"}
    assert len(fitted.history_["loss"]) == 2


def test_fine_tuning_learns_the_training_set(tiny_preset):
    classifier = _classifier(tiny_preset, epochs=30, pooling="mean")
    proba = classifier.fit(TEXTS, LABELS).predict_proba(TEXTS)[:, 1]
    assert proba[np.asarray(LABELS) == 1].min() > proba[np.asarray(LABELS) == 0].max()


def test_early_stopping_on_validation_auc_and_class_weight(tiny_preset):
    classifier = _classifier(
        tiny_preset,
        epochs=6,
        validation_split=0.25,
        patience=1,
        class_weight="balanced",
    ).fit(TEXTS[:18] + TEXTS[-6:], [0] * 18 + [1] * 6)
    assert "val_auc" in classifier.history_
    assert classifier.best_epoch_ == int(np.argmax(classifier.history_["val_auc"]))


def test_grid_search_over_one_parameter(tiny_preset):
    search = GridSearchCV(
        _classifier(tiny_preset),
        {"pooling": ["mean", "cls"]},
        cv=StratifiedKFold(2),
        scoring="roc_auc",
    ).fit(TEXTS, LABELS)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    assert search.best_estimator_.pooling == search.best_params_["pooling"]


def test_same_random_state_gives_identical_predictions(tiny_preset, fitted):
    """``fitted`` was trained on string labels, this one on 0/1: the same network."""
    again = _classifier(tiny_preset).fit(TEXTS, LABELS)
    np.testing.assert_array_equal(
        again.predict_proba(TEXTS), fitted.predict_proba(TEXTS)
    )


def test_clone_is_unfitted_with_the_same_parameters(fitted):
    copy = clone(fitted)
    assert copy.get_params() == fitted.get_params()
    assert not hasattr(copy, "model_")


def test_pickle_and_joblib_round_trip(fitted, tmp_path):
    expected = fitted.predict_proba(TEXTS)
    np.testing.assert_array_equal(
        pickle.loads(pickle.dumps(fitted)).predict_proba(TEXTS), expected
    )
    joblib.dump(fitted, tmp_path / "model.joblib")
    loaded = joblib.load(tmp_path / "model.joblib")
    np.testing.assert_array_equal(loaded.predict_proba(TEXTS), expected)


def test_frozen_backbone_trains_only_the_head(tiny_preset):
    classifier = _classifier(tiny_preset, freeze_backbone=True).fit(TEXTS, LABELS)
    head = classifier.model_.layers[-1]
    assert [id(v) for v in classifier.model_.trainable_variables] == [
        id(v) for v in head.trainable_variables
    ]
    pretrained = PretrainedTransformerVectorizer(tiny_preset, max_length=24).fit()
    np.testing.assert_array_equal(
        _token_embeddings(classifier.model_), _token_embeddings(pretrained.model_)
    )


def test_layerwise_decay_slows_the_lower_layers(tiny_preset):
    pretrained = PretrainedTransformerVectorizer(tiny_preset, max_length=24).fit()
    start = _token_embeddings(pretrained.model_)

    def fit(decay):
        classifier = _classifier(tiny_preset, layerwise_decay=decay)
        classifier.fit(TEXTS, LABELS)
        return classifier, np.abs(_token_embeddings(classifier.model_) - start).max()

    classifier, slow = fit(0.01)
    factors = classifier.model_.optimizer.learning_rate_multipliers
    # Head at the full rate, the one transformer layer at 0.01, the embeddings 1e-4.
    assert factors[-2:] == [1.0, 1.0]
    assert max(factors[:-2]) == pytest.approx(0.01)
    assert min(factors) == pytest.approx(1e-4)
    _, full = fit(1.0)
    assert 0 < slow < full / 100


def test_mixed_precision_computes_in_bfloat16(tiny_preset):
    classifier = _classifier(tiny_preset, mixed_precision=True, epochs=1)
    classifier.fit(TEXTS, LABELS)
    (backbone,) = [
        layer for layer in classifier.model_.layers if layer.name.startswith("bert")
    ]
    assert backbone.dtype_policy.name == "mixed_bfloat16"
    proba = classifier.predict_proba(TEXTS)
    assert proba.dtype == np.float64
    assert np.isfinite(proba).all()


def test_a_saved_model_loads_in_a_fresh_process_without_the_preset(
    tiny_preset, tmp_path
):
    """Fit and save in one process (the preset then deleted), load in another."""
    preset = shutil.copytree(tiny_preset, tmp_path / "preset")
    path = tmp_path / "model.joblib"
    script = f"""
        import shutil
        import joblib, numpy as np
        from test_hub import TEXTS, LABELS, _classifier
        path = {str(path)!r}
        try:
            model = joblib.load(path)
        except FileNotFoundError:
            model = _classifier({str(preset)!r}, layerwise_decay=0.5)
            model.fit(TEXTS, LABELS)
            joblib.dump(model, path)
            shutil.rmtree({str(preset)!r})
        print(*np.round(model.predict_proba(TEXTS)[:, 1], 7))
    """
    saved, loaded = outputs_of_fresh_processes(script, runs=2)
    assert saved == loaded
    assert len(saved) == len(TEXTS)


# --- bad presets and bad input ------------------------------------------------------


@pytest.mark.parametrize(
    "estimator", [PretrainedTransformerVectorizer, PretrainedTransformerClassifier]
)
def test_no_preset_says_how_to_get_one(estimator):
    with pytest.raises(ValueError, match=r"needs preset=.*save_to_preset"):
        estimator().fit(TEXTS, LABELS)


@pytest.mark.parametrize(
    "estimator", [PretrainedTransformerVectorizer, PretrainedTransformerClassifier]
)
def test_a_missing_preset_is_not_downloaded(estimator, tmp_path):
    for name in [str(tmp_path / "nowhere"), "bert_base_en"]:
        with pytest.raises(FileNotFoundError, match=r"does not exist.*not downloaded"):
            estimator(name).fit(TEXTS, LABELS)


def _broken_preset(tiny_preset, tmp_path, damage):
    preset = shutil.copytree(tiny_preset, tmp_path / "broken")
    damage(preset)
    return preset


def _truncate(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


@pytest.mark.parametrize(
    ("damage", "error", "match"),
    [
        (lambda p: (p / "config.json").unlink(), ValueError, "no config.json"),
        (lambda p: (p / "tokenizer.json").unlink(), ValueError, "no tokenizer.json"),
        (lambda p: (p / "model.weights.h5").unlink(), ValueError, "model.weights.h5"),
        (lambda p: (p / "config.json").write_text("{"), ValueError, "damaged"),
        (
            lambda p: (p / "config.json").write_text(json.dumps({"a": 1})),
            ValueError,
            "damaged",
        ),
        (lambda p: _truncate(p / "model.weights.h5"), ValueError, "damaged"),
        (
            lambda p: shutil.rmtree(p / "assets"),
            ValueError,
            "cannot load the tokenizer",
        ),
    ],
    ids=[
        "no-config",
        "no-tokenizer",
        "no-weights",
        "bad-json",
        "odd-config",
        "cut-weights",
        "no-vocabulary",
    ],
)
def test_a_damaged_preset_is_a_clear_error(tiny_preset, tmp_path, damage, error, match):
    preset = _broken_preset(tiny_preset, tmp_path, damage)
    with pytest.raises(error, match=match):
        PretrainedTransformerClassifier(preset, **SMALL).fit(TEXTS, LABELS)


def test_a_file_is_not_a_preset(tiny_preset):
    with pytest.raises(ValueError, match=r"is a file.*save_to_preset"):
        PretrainedTransformerVectorizer(tiny_preset / "model.weights.h5").fit()


def test_max_length_beyond_the_model_is_an_error(tiny_preset):
    with pytest.raises(ValueError, match="max_sequence_length=64"):
        PretrainedTransformerVectorizer(tiny_preset, max_length=100).fit()


def test_bad_documents_and_use_before_fit(tiny_preset):
    with pytest.raises(TypeError, match="document"):
        _classifier(tiny_preset).fit([1, 2, 3, 4], [0, 1, 0, 1])
    with pytest.raises(Exception, match="not fitted"):
        PretrainedTransformerVectorizer(tiny_preset).transform(TEXTS)


# --- the ready-made detector and the CLI --------------------------------------------


def test_bert_finetune_detector_takes_a_preset(tiny_preset):
    detector = make_detector(
        "bert-finetune",
        random_state=0,
        classifier__preset=str(tiny_preset),
        **{f"classifier__{key}": value for key, value in SMALL.items()},
    )
    proba = detector.fit(TEXTS, LABELS).predict_proba(TEXTS)
    assert proba.shape == (len(TEXTS), 2)


def test_bert_finetune_without_a_preset_names_the_setting():
    with pytest.raises(ValueError, match="classifier__preset"):
        make_detector("bert-finetune").fit(TEXTS, LABELS)


def test_cli_trains_and_predicts_with_a_preset(tiny_preset, tmp_path, capsys):
    from conftest import write_csv

    data = write_csv(tmp_path / "train.csv", ["text", "label"], zip(TEXTS, LABELS))
    model = tmp_path / "model.joblib"
    settings = [f"classifier__{key}={value}" for key, value in SMALL.items()]
    status = main(
        [
            "train",
            str(data),
            "--detector",
            "bert-finetune",
            "--set",
            f"classifier__preset={tiny_preset}",
            *[part for setting in settings for part in ("--set", setting)],
            "--out",
            str(model),
            "-q",
        ]
    )
    assert status == 0
    out = tmp_path / "predictions.csv"
    assert main(["predict", str(model), str(data), "--out", str(out), "-q"]) == 0
    assert len(out.read_text().splitlines()) == len(TEXTS) + 1
    capsys.readouterr()


def test_without_keras_hub_the_error_names_the_extra():
    code = (
        "import sys; sys.modules['keras_hub'] = None\n"
        "import sklearn_aidetect\n"
        "try:\n"
        "    sklearn_aidetect.PretrainedTransformerClassifier\n"
        "except ModuleNotFoundError as error:\n"
        "    print(error)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert 'pip install "sklearn_aidetect[hub]"' in result.stdout


def test_a_long_document_is_tokenized_from_its_head_with_the_same_tokens(tiny_preset):
    from sklearn_aidetect.hub._preset import PresetTextEncoder

    encoder = PresetTextEncoder(tiny_preset, max_length=8).fit()
    encoder.set_input_names(["padding_mask", "segment_ids", "token_ids"])
    long = " ".join(TEXTS) * 20
    spaces = " " * 1000 + "in conclusion"  # a head of blanks: tokenized whole
    head_only, whole_only = encoder.transform([long, spaces])
    full = encoder.preprocessor_([long, spaces])
    np.testing.assert_array_equal(head_only[2], np.asarray(full["token_ids"])[0])
    np.testing.assert_array_equal(whole_only[2], np.asarray(full["token_ids"])[1])
    assert whole_only[0].sum() == 4  # [CLS] in conclusion [SEP]
