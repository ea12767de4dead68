"""Keras classifiers: scikit-learn contracts, training behaviour, persistence, errors.

Every network here is tiny and trains for a few epochs on a few dozen rows: the
tests check behaviour, not accuracy (``benchmarks/bench_neural.py`` measures that).
"""

import pickle

import joblib
import numpy as np
import pytest
from conftest import outputs_of_fresh_processes
from sklearn.base import clone, is_classifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.utils.estimator_checks import estimator_checks_generator

from sklearn_aidetect import BPETokenizer, WordTokenizer
from sklearn_aidetect.neural import (
    CNNClassifier,
    DenseClassifier,
    RNNClassifier,
    TransformerClassifier,
)
from sklearn_aidetect.neural._sequence import _TokenIdEncoder

SMALL = {"random_state": 0, "epochs": 2, "validation_split": 0, "patience": None}
SEQUENCE_MODELS = [
    CNNClassifier(maxlen=16, embedding_dim=8, filters=8, **SMALL),
    RNNClassifier(maxlen=16, embedding_dim=8, units=4, **SMALL),
    TransformerClassifier(maxlen=16, embedding_dim=8, ff_dim=8, **SMALL),
]
ALL_MODELS = [DenseClassifier(hidden_layer_sizes=(8,), **SMALL), *SEQUENCE_MODELS]


def _name(estimator):
    return type(estimator).__name__


def _sequences(n=40, seed=0):
    """Token-id documents of varied length; class 1 uses ids 20-39, class 0 0-19."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    X = [list(rng.integers(0, 20, rng.integers(3, 25)) + 20 * label) for label in y]
    return X, y


def _matrix(n=40, seed=0):
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    X = rng.normal(size=(n, 6)).astype(np.float32) + y[:, None]
    return X, y


def _data_for(estimator, n=40):
    return _matrix(n) if isinstance(estimator, DenseClassifier) else _sequences(n)


# --- scikit-learn's own checks, for the one numeric-input classifier ------------------

# Every entry says why the check cannot pass for a neural network trained by SGD.
EXPECTED_FAILED_CHECKS = {
    "check_sample_weight_equivalence_on_dense_data": (
        "Keras divides the weighted loss by the number of rows, not the sum of the "
        "weights, so a weight of 2 and a duplicated row give different losses"
    ),
    "check_sample_weight_equivalence_on_sparse_data": (
        "as on dense data: Keras averages the weighted loss over the rows"
    ),
    "check_methods_sample_order_invariance": (
        "TensorFlow's CPU matrix product sums a row's terms in an order that can "
        "depend on where the row sits in the batch: on an AMD EPYC machine, "
        "shuffling the rows moved probabilities by 6e-8 (float32 rounding), over "
        "the check's rtol of 1e-7, in some runs and not in others"
    ),
}


# A list, not parametrize_with_checks: scikit-learn 1.6's version hands pytest a
# generator, which recent pytest refuses.
SCIKIT_LEARN_CHECKS = list(
    estimator_checks_generator(
        DenseClassifier(
            hidden_layer_sizes=(16,),
            epochs=20,
            batch_size="full",
            learning_rate=0.05,
            validation_split=0,
            patience=None,
            random_state=0,
        ),
        expected_failed_checks=EXPECTED_FAILED_CHECKS,
        mark="xfail",
    )
)


@pytest.mark.parametrize(
    ("estimator", "check"),
    SCIKIT_LEARN_CHECKS,
    ids=lambda value: getattr(value, "func", type(value)).__name__,
)
def test_dense_classifier_passes_scikit_learn_checks(estimator, check):
    check(estimator)


# --- classifier type: ClassifierMixin first ---------------------------------------


@pytest.mark.parametrize("estimator", ALL_MODELS, ids=_name)
def test_is_a_classifier_whose_cv_stratifies(estimator):
    assert is_classifier(estimator)
    assert estimator.__sklearn_tags__().estimator_type == "classifier"


def test_grid_search_stratifies_and_scores_roc_auc_with_string_labels():
    X, y = _matrix(60)
    y = np.where(np.arange(60) % 4 == 0, "ai", "human")  # 15 "ai", 45 "human"
    fold_counts = []

    def roc_auc_recording_folds(estimator, X_test, y_test):
        fold_counts.append(sorted(np.unique(y_test, return_counts=True)[1].tolist()))
        from sklearn.metrics import roc_auc_score

        return roc_auc_score(y_test, estimator.predict_proba(X_test)[:, 1])

    search = GridSearchCV(
        DenseClassifier(hidden_layer_sizes=(4,), **SMALL),
        {"learning_rate": [0.01, 0.05]},
        cv=5,
        scoring=roc_auc_recording_folds,
    ).fit(X, y)
    # StratifiedKFold: every test fold holds 3 "ai" and 9 "human".
    assert fold_counts == [[3, 9]] * 10
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    assert list(search.best_estimator_.classes_) == ["ai", "human"]


def test_cross_val_score_roc_auc_is_finite():
    X, y = _sequences(40)
    scores = cross_val_score(
        clone(SEQUENCE_MODELS[0]), X, y, cv=StratifiedKFold(4), scoring="roc_auc"
    )
    assert np.isfinite(scores).all()


# --- predictions ----------------------------------------------------------------------


@pytest.mark.parametrize("estimator", ALL_MODELS, ids=_name)
def test_predict_proba_has_two_columns_in_classes_order(estimator):
    X, y = _data_for(estimator)
    labels = np.where(y == 1, "ai", "human")
    clf = clone(estimator).set_params(epochs=8, learning_rate=0.02).fit(X, labels)
    proba = clf.predict_proba(X)
    assert proba.shape == (len(y), 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert list(clf.classes_) == ["ai", "human"]
    # Column 0 is "ai": it is higher on the "ai" documents.
    assert proba[labels == "ai", 0].mean() > proba[labels == "human", 0].mean()
    predicted = clf.predict(X)
    assert set(predicted) <= {"ai", "human"}
    assert (predicted == clf.classes_[proba.argmax(axis=1)]).all()


@pytest.mark.parametrize("estimator", ALL_MODELS, ids=_name)
def test_same_random_state_gives_identical_predictions(estimator):
    X, y = _data_for(estimator)
    first = clone(estimator).fit(X, y).predict_proba(X)
    second = clone(estimator).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(first, second)


@pytest.mark.parametrize("estimator", ALL_MODELS, ids=_name)
def test_pickle_and_joblib_round_trip(estimator, tmp_path):
    X, y = _data_for(estimator)
    clf = clone(estimator).fit(X, y)
    expected = clf.predict_proba(X)
    np.testing.assert_array_equal(
        pickle.loads(pickle.dumps(clf)).predict_proba(X), expected
    )
    joblib.dump(clf, tmp_path / "model.joblib")
    np.testing.assert_array_equal(
        joblib.load(tmp_path / "model.joblib").predict_proba(X), expected
    )


def test_loaded_model_predicts_the_same_in_a_fresh_process(tmp_path):
    """Fit and save in one process, load and predict in two others."""
    path = tmp_path / "models.joblib"
    script = f"""
        import joblib, numpy as np
        from sklearn.base import clone
        from test_neural import ALL_MODELS, _data_for
        path = {str(path)!r}
        try:
            models = joblib.load(path)
        except FileNotFoundError:
            models = [clone(m).fit(*_data_for(m)) for m in ALL_MODELS]
            joblib.dump(models, path)
        for model in models:
            print(*np.round(model.predict_proba(_data_for(model)[0])[:, 1], 7))
    """
    saved, loaded, loaded_again = outputs_of_fresh_processes(script, runs=3)
    assert saved == loaded == loaded_again


# --- training behaviour ---------------------------------------------------------------


def test_history_has_loss_and_auc_per_epoch():
    X, y = _matrix(60)
    clf = DenseClassifier(epochs=4, patience=None, random_state=0).fit(X, y)
    assert set(clf.history_) == {"loss", "auc", "val_loss", "val_auc"}
    assert all(len(values) == 4 for values in clf.history_.values())
    assert clf.best_epoch_ == 3


@pytest.mark.parametrize("model", ALL_MODELS, ids=_name)
def test_fit_traces_the_training_step_once(model, monkeypatch):
    # Keras traces train_step when it builds its tf.function; the optimizer's
    # variables exist before that (the wrapper builds it), so TensorFlow has no
    # reason to trace a second time. 64 rows make batches of one shape.
    import keras

    traces = []
    train_step = keras.Model.train_step

    def counting_train_step(self, data):
        traces.append(1)
        return train_step(self, data)

    monkeypatch.setattr(keras.Model, "train_step", counting_train_step)
    clone(model).fit(*_data_for(model, n=64))
    assert len(traces) == 1


def test_early_stopping_keeps_the_best_epoch():
    X, y = _matrix(80)
    clf = DenseClassifier(
        epochs=40,
        patience=2,
        learning_rate=0.05,
        validation_split=0.25,
        random_state=0,
    ).fit(X, y)
    val_auc = clf.history_["val_auc"]
    assert len(val_auc) < 40  # stopped early
    assert clf.best_epoch_ == int(np.argmax(val_auc))
    assert len(val_auc) - 1 - clf.best_epoch_ == 2  # patience epochs past the best


def test_early_stopping_restores_the_best_weights():
    X, y = _matrix(80)
    params = {
        "epochs": 40,
        "learning_rate": 0.05,
        "validation_split": 0.25,
        "random_state": 0,
    }
    stopped = DenseClassifier(patience=2, **params).fit(X, y)
    best = stopped.best_epoch_
    # The same training run for exactly best + 1 epochs ends on those weights.
    replay = DenseClassifier(patience=None, **{**params, "epochs": best + 1}).fit(X, y)
    np.testing.assert_allclose(
        stopped.predict_proba(X), replay.predict_proba(X), rtol=1e-6
    )


def test_early_stopping_without_validation_split_is_an_error():
    X, y = _matrix()
    with pytest.raises(ValueError, match="validation_split > 0"):
        DenseClassifier(validation_split=0, patience=3).fit(X, y)


def test_validation_split_is_stratified_and_says_when_it_cannot_be():
    X, y = _matrix(40)
    y = (np.arange(40) == 0).astype(int)  # one document of class 1
    with pytest.raises(ValueError, match="stratified validation_split"):
        DenseClassifier(validation_split=0.2, random_state=0).fit(X, y)


def test_full_batch_training_learns():
    X, y = _matrix(60)
    clf = DenseClassifier(
        batch_size="full",
        epochs=30,
        learning_rate=0.05,
        validation_split=0,
        patience=None,
        random_state=0,
    ).fit(X, y)
    assert clf.score(X, y) > 0.8


def test_balanced_class_weight_evens_out_the_classes():
    y = np.array(["human"] * 30 + ["ai"] * 10)
    clf = DenseClassifier(class_weight="balanced")
    clf.classes_ = np.array(["ai", "human"])
    encoded = (y == "human").astype(np.float32)
    weights = clf._training_weights(encoded, None)
    assert weights[encoded == 0].sum() == pytest.approx(weights[encoded == 1].sum())
    clf.set_params(class_weight={"ai": 3.0})
    weights = clf._training_weights(encoded, np.full(40, 2.0))
    assert set(weights[encoded == 0]) == {6.0}
    assert set(weights[encoded == 1]) == {2.0}


def test_class_weight_changes_what_is_learned_on_imbalanced_data():
    X, y = _matrix(80)
    y = (np.arange(80) % 8 == 0).astype(int)  # 10 positives in 80
    X = X + y[:, None] * 0.5
    params = {"epochs": 5, "validation_split": 0, "patience": None, "random_state": 0}
    plain = DenseClassifier(**params).fit(X, y).predict_proba(X)[:, 1]
    balanced = DenseClassifier(class_weight="balanced", **params).fit(X, y)
    # Up-weighting the minority class raises the probability the model gives it.
    assert balanced.predict_proba(X)[:, 1].mean() > plain.mean()


def test_class_weight_with_an_unknown_label_is_an_error():
    X, y = _matrix()
    with pytest.raises(ValueError, match="not classes of y"):
        DenseClassifier(class_weight={"cat": 2.0}, **SMALL).fit(X, y)


# --- inputs ---------------------------------------------------------------------------


def test_sparse_tfidf_input_is_fed_sparse(corpus, labels):
    tfidf = TfidfVectorizer().fit(corpus)
    X = tfidf.transform(corpus)
    clf = DenseClassifier(hidden_layer_sizes=(4,), **SMALL).fit(X, labels)
    assert clf.model_.inputs[0].sparse
    np.testing.assert_allclose(
        clf.predict_proba(X), clf.predict_proba(X.toarray()), rtol=1e-5
    )


def test_sequences_of_any_length_and_unseen_ids():
    X, y = _sequences()
    clf = clone(SEQUENCE_MODELS[0]).fit(X, y)
    proba = clf.predict_proba([[1], list(range(100)), [10**6, 999, 5]])
    assert proba.shape == (3, 2)
    assert np.isfinite(proba).all()


@pytest.mark.parametrize("model", SEQUENCE_MODELS, ids=_name)
def test_prediction_pads_a_batch_only_to_its_longest_document(model, monkeypatch):
    # The RNN and the transformer mask padding, so predict_proba pads each batch
    # (shortest documents first) to its own width, not to maxlen; every document
    # keeps the probability it has with full padding. The CNN's pooling sees
    # padding: it is always fed maxlen tokens.
    import keras

    from sklearn_aidetect.neural import _base

    X, y = _sequences()  # 3 to 24 tokens, in no order of length
    X.append(list(range(40)) * 3)  # one document longer than maxlen
    clf = clone(model).set_params(maxlen=64).fit(X, np.append(y, 1))
    widths = []
    predict_on_batch = keras.Model.predict_on_batch

    def recording_predict_on_batch(self, x):
        widths.append(x.shape[1])
        return predict_on_batch(self, x)

    monkeypatch.setattr(keras.Model, "predict_on_batch", recording_predict_on_batch)
    monkeypatch.setattr(_base, "_PREDICT_BATCH_SIZE", 8)
    proba = clf.predict_proba(X)[:, 1]
    padded = clf.feature_encoder_.transform(clf._check_features(X, reset=False))
    full_width = np.ravel(clf.model_.predict(padded, verbose=0))
    np.testing.assert_allclose(proba, full_width, atol=1e-6)
    if isinstance(clf, CNNClassifier):
        assert widths == []
    else:  # six batches of 32 tokens, the one with the long document cut at 64
        assert widths == [32] * 5 + [64]


def test_token_id_encoder_maps_unseen_and_rare_ids_to_one_row():
    encoder = _TokenIdEncoder(maxlen=4, vocab_size=2).fit(
        [np.array([7, 7, 7, 3, 3, 9])]
    )
    assert encoder.vocab_size_ == 2
    # 7 (most frequent) -> 2, 3 -> 3, 9 (cut by vocab_size) and unseen ids -> 1.
    np.testing.assert_array_equal(
        encoder.transform([np.array([7, 3, 9, 5, 7]), np.array([10**9])]),
        [[2, 3, 1, 1], [1, 0, 0, 0]],
    )


def test_vocab_size_is_inferred_from_the_data():
    X, y = _sequences()
    clf = clone(SEQUENCE_MODELS[0]).fit(X, y)
    assert clf.vocab_size_ == len({token for doc in X for token in doc})
    limited = clone(SEQUENCE_MODELS[0]).set_params(vocab_size=5).fit(X, y)
    assert limited.vocab_size_ == 5


def test_pipeline_from_text_with_a_tokenizer(corpus, labels):
    pipeline = make_pipeline(
        BPETokenizer(vocab_size=200, output="ids"), clone(SEQUENCE_MODELS[0])
    )
    pipeline.fit(corpus, labels)
    assert pipeline.predict_proba(["A new essay."]).shape == (1, 2)


@pytest.mark.parametrize(
    ("X", "error", "match"),
    [
        ("one essay", ValueError, "single str"),
        (["an essay", "another"], TypeError, "token ids, not text"),
        ([[1, 2], []], ValueError, "document 1 has no tokens"),
        ([[1, 2], [3, -1]], ValueError, "negative token id"),
        ([[1, 2], [0.5, 2.0]], TypeError, "integer token ids"),
        ([[1, 2], None], TypeError, "token ids, not text"),
        ([[1, [2, 3]], [1]], TypeError, "flat sequence"),
    ],
)
def test_bad_sequence_input_gets_a_clear_error(X, error, match):
    clf = clone(SEQUENCE_MODELS[0])
    with pytest.raises(error, match=match):
        clf.fit(X, [0, 1] if not isinstance(X, str) else [0])


@pytest.mark.parametrize("estimator", ALL_MODELS, ids=_name)
def test_bad_targets_get_a_clear_error(estimator):
    X, _ = _data_for(estimator, n=6)
    clf = clone(estimator)
    with pytest.raises(ValueError, match="only one class"):
        clf.fit(X, [1] * 6)
    with pytest.raises(ValueError, match="3 classes"):
        clf.fit(X, [0, 1, 2, 0, 1, 2])
    with pytest.raises(ValueError, match="NaN or infinite labels"):
        clf.fit(X, [0, 1, np.nan, 0, 1, 0])
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        clf.fit(X, [0, 1, 0, 1, 0])


def test_nan_features_get_a_clear_error():
    X, y = _matrix()
    X[3, 2] = np.nan
    with pytest.raises(ValueError, match="contains NaN"):
        DenseClassifier(**SMALL).fit(X, y)


def test_use_before_fit_is_an_error():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        clone(SEQUENCE_MODELS[0]).predict_proba([[1, 2]])


def test_no_partial_fit():
    assert not hasattr(DenseClassifier(), "partial_fit")


def test_transformer_heads_must_divide_the_embedding():
    X, y = _sequences()
    with pytest.raises(ValueError, match="multiple of num_heads"):
        TransformerClassifier(embedding_dim=10, num_heads=3, **SMALL).fit(X, y)


def test_text_from_word_tokens_is_refused_with_the_fix():
    tokens = WordTokenizer().transform(["an essay here", "another one"])
    with pytest.raises(TypeError, match="output='ids'"):
        clone(SEQUENCE_MODELS[0]).fit(tokens, [0, 1])


# --- threads --------------------------------------------------------------------------


def test_tensorflow_threads_follow_omp_num_threads_in_joblib_workers():
    """joblib sets OMP_NUM_THREADS = cores // n_jobs in its workers; TF follows.

    Run in a fresh process, so that the workers are new and TensorFlow starts there.
    """
    script = """
        import joblib

        def tensorflow_threads():
            import tensorflow as tf
            import sklearn_aidetect.neural  # applies the limit
            return (
                tf.config.threading.get_intra_op_parallelism_threads(),
                tf.config.threading.get_inter_op_parallelism_threads(),
            )

        with joblib.parallel_config(backend="loky", inner_max_num_threads=1):
            print(*joblib.Parallel(n_jobs=2)(
                joblib.delayed(tensorflow_threads)() for _ in range(2)
            ))
    """
    (printed,) = outputs_of_fresh_processes(script, runs=1)
    assert printed == ["(1,", "1)", "(1,", "1)"]


def test_tensorflow_threads_are_not_capped_without_omp_num_threads():
    script = """
        import os
        os.environ.pop("OMP_NUM_THREADS", None)
        import tensorflow as tf
        import sklearn_aidetect.neural
        print(tf.config.threading.get_intra_op_parallelism_threads())
    """
    assert outputs_of_fresh_processes(script, runs=1) == [["0"]]  # 0: TF's default
