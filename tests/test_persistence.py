"""Saving and loading detectors: atomic writes and clear errors."""

import json
import pickle
import sys
from pathlib import Path

import joblib
import numpy as np
import pytest
from conftest import rewrite_manifest

from sklearn_aidetect import (
    ModelVersionWarning,
    load_model,
    make_detector,
    read_manifest,
    save_model,
)


@pytest.fixture(scope="module")
def fitted(corpus, labels):
    return make_detector("tfidf-logistic", vectorizer__min_df=1).fit(corpus, labels)


def test_round_trip_gives_the_same_scores(fitted, corpus, tmp_path):
    path = save_model(fitted, tmp_path / "model.joblib")
    assert path == tmp_path / "model.joblib"
    np.testing.assert_array_equal(
        load_model(path).predict_proba(corpus), fitted.predict_proba(corpus)
    )
    assert [p.name for p in tmp_path.iterdir()] == ["model.joblib"]  # no temp left


def test_existing_file_is_kept_unless_overwrite(fitted, tmp_path):
    path = tmp_path / "model.joblib"
    path.write_bytes(b"the user's own file")
    with pytest.raises(FileExistsError, match="already exists"):
        save_model(fitted, path)
    assert path.read_bytes() == b"the user's own file"
    save_model(fitted, path, overwrite=True)
    assert hasattr(load_model(path), "predict_proba")


def test_failed_save_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "model.joblib"
    path.write_bytes(b"old model")

    class Unpicklable:
        predict_proba = None

        def __reduce__(self):
            raise pickle.PicklingError("cannot pickle this")

    with pytest.raises(pickle.PicklingError):
        save_model(Unpicklable(), path, overwrite=True)
    assert path.read_bytes() == b"old model"
    assert [p.name for p in tmp_path.iterdir()] == ["model.joblib"]


def test_missing_folder_is_a_clear_error(fitted, tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist; create it"):
        save_model(fitted, tmp_path / "nowhere" / "model.joblib")


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"", "damaged or truncated"),
        (b"this is not a model at all", "not a model saved by"),
    ],
)
def test_unreadable_files_are_clear_errors(tmp_path, content, match):
    path = tmp_path / "model.joblib"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=match):
        load_model(path)


def test_truncated_model_is_a_clear_error(fitted, tmp_path):
    path = save_model(fitted, tmp_path / "model.joblib")
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(ValueError, match="damaged or truncated"):
        load_model(path)


def test_a_file_holding_something_else_is_refused(tmp_path):
    path = tmp_path / "numbers.joblib"
    joblib.dump([1, 2, 3], path)
    with pytest.raises(ValueError, match="holds a list, not a fitted detector"):
        load_model(path)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_model(tmp_path / "absent.joblib")
    with pytest.raises(IsADirectoryError, match="is a folder"):
        load_model(tmp_path)


def test_the_file_is_still_a_plain_pickle_for_joblib_and_pickle(
    fitted, corpus, tmp_path
):
    path = save_model(fitted, tmp_path / "model.joblib")
    expected = fitted.predict_proba(corpus)
    np.testing.assert_array_equal(joblib.load(path).predict_proba(corpus), expected)
    with open(path, "rb") as handle:
        np.testing.assert_array_equal(
            pickle.load(handle).predict_proba(corpus), expected
        )


def test_files_written_by_joblib_dump_load_too(fitted, corpus, tmp_path):
    path = tmp_path / "by_joblib.joblib"
    joblib.dump(fitted, path, compress=3)
    np.testing.assert_array_equal(
        load_model(path).predict_proba(corpus), fitted.predict_proba(corpus)
    )


def test_manifest_records_versions_time_and_checksum(fitted, tmp_path):
    import hashlib

    import sklearn

    import sklearn_aidetect

    path = save_model(fitted, tmp_path / "model.joblib")
    manifest = read_manifest(path)
    assert manifest["sklearn_aidetect"] == sklearn_aidetect.__version__
    assert manifest["dependencies"]["scikit-learn"] == sklearn.__version__
    assert manifest["model"] == "Pipeline"
    assert manifest["created"].endswith("+00:00")
    payload = path.read_bytes()[: manifest["payload_bytes"]]
    assert hashlib.sha256(payload).hexdigest() == manifest["sha256"]


def test_a_changed_payload_is_refused(fitted, tmp_path):
    path = save_model(fitted, tmp_path / "model.joblib")
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="does not match the checksum"):
        load_model(path)


def test_read_manifest_of_a_file_without_one(fitted, tmp_path):
    path = tmp_path / "by_joblib.joblib"
    joblib.dump(fitted, path)
    assert read_manifest(path) is None


def test_other_versions_warn_naming_both_and_still_load(fitted, corpus, tmp_path):
    import sklearn

    import sklearn_aidetect

    path = save_model(fitted, tmp_path / "model.joblib")

    def older(manifest):
        manifest["sklearn_aidetect"] = "0.0.1"
        # Below our floor, so never the installed version (as 1.7.0 is under
        # make test-min).
        manifest["dependencies"]["scikit-learn"] = "1.6.1"

    rewrite_manifest(path, older)
    with pytest.warns(ModelVersionWarning) as record:
        model = load_model(path)
    (message,) = [str(w.message) for w in record]
    assert "saved with sklearn_aidetect 0.0.1, scikit-learn 1.6.1" in message
    assert f"has sklearn_aidetect {sklearn_aidetect.__version__}" in message
    assert f"scikit-learn {sklearn.__version__}" in message
    np.testing.assert_array_equal(
        model.predict_proba(corpus), fitted.predict_proba(corpus)
    )


def test_same_versions_load_without_warning(fitted, tmp_path):
    import warnings

    path = save_model(fitted, tmp_path / "model.joblib")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_model(path)


def test_a_damaged_trailer_is_a_clear_error(fitted, tmp_path):
    path = save_model(fitted, tmp_path / "model.joblib")
    rewrite_manifest(path, lambda manifest: manifest.update(payload_bytes=10))
    with pytest.raises(ValueError, match="damaged or truncated"):
        load_model(path)


# --- models saved by version 0.1, whose neural classifiers were built over scikeras ---

MODELS_0_1 = Path(__file__).parent / "data" / "models_0.1"


@pytest.mark.parametrize("name", ["dense", "rnn", "transformer"])
def test_a_neural_model_saved_by_version_0_1_loads_without_scikeras(name, tmp_path):
    from importlib.metadata import version

    path = MODELS_0_1 / f"{name}.joblib"
    saved = read_manifest(path)["dependencies"]
    differ = {
        package: (saved[package], version(package))
        for package in ("scikit-learn", "numpy", "keras", "tensorflow")
        if saved[package] != version(package)
    }
    if differ:
        pytest.skip(f"the file was saved with other versions (saved, here): {differ}")
    expected = json.loads((MODELS_0_1 / "expected.json").read_text())[name]
    with pytest.warns(ModelVersionWarning, match="sklearn_aidetect 0.1.0"):
        model = load_model(path)
    assert "scikeras" not in sys.modules
    proba = model.predict_proba(expected["X"])[:, 1]
    np.testing.assert_allclose(proba, expected["proba"], atol=1e-6)
    # ... and it saves and loads again in today's format.
    resaved = load_model(save_model(model, tmp_path / "model.joblib"))
    np.testing.assert_allclose(resaved.predict_proba(expected["X"])[:, 1], proba)


def test_output_files_get_the_permissions_a_plain_write_would(tmp_path):
    import os

    from sklearn_aidetect._io import atomic_write_text

    umask = os.umask(0o022)
    try:
        fresh = atomic_write_text(tmp_path / "fresh.txt", "x")
        assert (fresh.stat().st_mode & 0o777) == 0o644  # not mkstemp's 0o600
        kept = tmp_path / "kept.txt"
        kept.write_text("old")
        kept.chmod(0o640)
        atomic_write_text(kept, "new", overwrite=True)
        assert (kept.stat().st_mode & 0o777) == 0o640
        assert kept.read_text() == "new"
    finally:
        os.umask(umask)
