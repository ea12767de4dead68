"""Explanations: exact linear contributions, occlusion, the HTML report and its
rendering in headless Chromium (skipped, with the reason, where there is none)."""

import itertools
import shutil
import subprocess

import numpy as np
import pytest
from sklearn.ensemble import RandomForestClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_aidetect import (
    Explanation,
    explain_predictions,
    make_detector,
    make_essays,
    make_fpr_threshold_classifier,
    write_explanation_report,
)
from sklearn_aidetect.cli import main


@pytest.fixture(scope="module")
def essays():
    return make_essays(80, random_state=0)


@pytest.fixture(scope="module")
def detector(essays):
    return make_detector("tfidf-logistic").fit(*essays)


def _total(explanation):
    return explanation.base + sum(weight for *_, weight in explanation.spans)


def _covers(explanation):
    spans = explanation.spans
    assert spans[0][0] == 0
    assert spans[-1][1] == len(explanation.text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))


def test_linear_weights_add_up_to_the_decision_function(detector, essays):
    texts = essays[0][:4]
    explanations = explain_predictions(detector, texts)
    expected = detector.decision_function(texts)
    for explanation, value in zip(explanations, expected):
        assert explanation.method == "linear"
        assert _total(explanation) == pytest.approx(value, abs=1e-5)
        _covers(explanation)
    probabilities = detector.predict_proba(texts)[:, 1]
    assert [e.probability for e in explanations] == pytest.approx(probabilities)


def test_word_and_character_features_behind_calibration_are_exact(essays):
    model = make_detector("tfidf-wordchar", random_state=0)
    model.set_params(vectorizer__char__ngram_range=(2, 3))
    model.fit(*essays)
    text = essays[0][0].replace(" ", "   ", 3)  # whitespace runs the analyzer folds
    [explanation] = explain_predictions(model, [text])
    inner = model[-1].calibrated_classifiers_[0].estimator
    features = model[1:-1].transform([explanation.text])
    assert explanation.method == "linear"
    assert _total(explanation) == pytest.approx(
        inner.decision_function(features)[0], abs=1e-4
    )


def test_stop_words_and_a_token_pattern_with_a_group_are_placed(essays):
    vectorizer = TfidfVectorizer(
        stop_words=["the", "a"], token_pattern=r"(?u)\b(\w\w+)\b", ngram_range=(1, 2)
    )
    model = make_pipeline(vectorizer, LogisticRegression()).fit(*essays)
    explanations = explain_predictions(model, essays[0][:3])
    expected = model.decision_function(essays[0][:3])
    assert [_total(e) for e in explanations] == pytest.approx(expected, abs=1e-6)


def test_occlusion_finds_the_word_the_model_keys_on():
    human = [f"we walked to the park on day {i} and it rained" for i in range(30)]
    machine = [
        f"let us delve into the park on day {i} and it rained" for i in range(30)
    ]
    model = make_pipeline(
        TfidfVectorizer(), RandomForestClassifier(n_estimators=20, random_state=0)
    ).fit(human + machine, [0] * 30 + [1] * 30)
    [explanation] = explain_predictions(
        model, ["so we delve into the park on day 99 and it rained"], window=1
    )
    assert explanation.method == "occlusion"
    assert explanation.base is None
    assert explanation.top(1)[0][0] == "delve"
    _covers(explanation)


def test_occlusion_on_a_linear_model_when_asked(detector, essays):
    [explanation] = explain_predictions(
        detector, essays[0][:1], method="occlusion", window=3, stride=2
    )
    assert explanation.method == "occlusion"
    assert any(weight != 0 for *_, weight in explanation.spans)


def test_a_threshold_wrapper_is_explained_as_its_detector(essays):
    wrapped = make_fpr_threshold_classifier(
        make_detector("tfidf-logistic"), target_fpr=0.1, cv=2
    ).fit(*essays)
    [explanation] = explain_predictions(wrapped, essays[0][:1])
    assert explanation.method == "linear"


def test_linear_is_refused_for_a_model_it_cannot_explain():
    model = make_pipeline(
        TfidfVectorizer(), RandomForestClassifier(n_estimators=5, random_state=0)
    ).fit(["aa bb cc", "dd ee ff", "aa bb dd", "dd ee aa"], [0, 1, 0, 1])
    with pytest.raises(ValueError, match="method='occlusion'"):
        explain_predictions(model, ["aa bb cc"], method="linear")


def test_an_untrained_model_and_a_bare_string_are_clear_errors(detector):
    with pytest.raises(ValueError, match="never trained"):
        explain_predictions(make_detector("tfidf-logistic"), ["a text"])
    with pytest.raises(InvalidParameterError, match="array-like"):
        explain_predictions(detector, "a text")
    with pytest.raises(TypeError, match="list of strings"):
        explain_predictions(detector, ["a text", 3])


def test_the_report_escapes_text_and_keeps_an_existing_file(detector, tmp_path):
    texts = ["<script>alert(1)</script> " + "word " * 60, "Too short."]
    explanations = explain_predictions(detector, texts)
    path = write_explanation_report(
        explanations, tmp_path / "r.html", ids=["a&b", "c"], threshold=0.5
    )
    page = path.read_text(encoding="utf-8")
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    assert 'data-id="a&amp;b"' in page
    assert page.count('class="decision abstain"') == 1
    with pytest.raises(FileExistsError):
        write_explanation_report(explanations[:1], path)
    assert path.read_text(encoding="utf-8") == page
    with pytest.raises(ValueError, match="1 ids for 2 explanations"):
        write_explanation_report(explanations, tmp_path / "s.html", ids=["x"])
    with pytest.raises(TypeError, match="list of Explanation"):
        write_explanation_report(["not one"], tmp_path / "s.html")


def test_top_sums_a_words_occurrences():
    text = "Delve, delve and go"
    spans = ((0, 5, 0.5), (5, 6, 0.0), (6, 7, 0.0), (7, 12, 0.25), (12, 13, 0.0),
             (13, 16, -0.1), (16, 17, 0.0), (17, 19, 0.0))  # fmt: skip
    explanation = Explanation(text, 0.9, "occlusion", spans)
    assert explanation.top(2) == [("delve", 0.75)]
    assert explanation.top(2, towards="human") == [("and", -0.1)]


# --- the command line --------------------------------------------------------------


@pytest.fixture(scope="module")
def model_and_data(tmp_path_factory, essays):
    import csv

    from sklearn_aidetect import save_model

    folder = tmp_path_factory.mktemp("explain")
    model = make_detector("tfidf-logistic").fit(*essays)
    save_model(model, folder / "model.joblib")
    with open(folder / "texts.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text"])
        writer.writerows([f"e{i}", text] for i, text in enumerate(essays[0][:5]))
        writer.writerow(["short", "Far too short to judge."])
    return folder


def test_explain_writes_one_section_per_text(capsys, model_and_data, tmp_path):
    out = tmp_path / "report.html"
    folder = model_and_data
    status = main(
        [
            "explain",
            str(folder / "model.joblib"),
            str(folder / "texts.csv"),
            "--out",
            str(out),
        ]
    )
    stdout = capsys.readouterr().out
    assert status == 0
    assert "wrote explanations of 6 texts (linear)" in stdout
    page = out.read_text(encoding="utf-8")
    assert page.count('class="explained"') == 6
    assert 'data-id="short"' in page
    assert "decision abstain" in page

    status = main(
        ["explain", str(folder / "model.joblib"), str(folder / "texts.csv"),
         "--out", str(out), "--method", "occlusion", "--max-texts", "2"]
    )  # fmt: skip
    assert status == 1
    assert "--force" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == page


@pytest.mark.skipif(
    shutil.which("chromium") is None,
    reason="Debian's chromium is not installed (make install puts it there where "
    "apt-get can run): the report is not rendered in a browser",
)
def test_the_report_renders_in_headless_chromium(model_and_data, tmp_path):
    out = tmp_path / "report.html"
    folder = model_and_data
    argv = ["explain", str(folder / "model.joblib"), str(folder / "texts.csv")]
    assert main([*argv, "--out", str(out), "-q"]) == 0
    flags = [
        "chromium",
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    url = out.resolve().as_uri()
    dom = subprocess.run(
        [*flags, "--dump-dom", url], capture_output=True, text=True, timeout=120
    ).stdout
    # The DOM as the browser built it: every section, weighted words, decisions.
    assert dom.count('class="explained"') == 6
    assert dom.count('class="w"') > 100
    assert "decision abstain" in dom
    assert "<h1>Why model.joblib scored" in dom
    shot = tmp_path / "report.png"
    subprocess.run(
        [*flags, "--window-size=1000,1400", f"--screenshot={shot}", url],
        capture_output=True,
        timeout=120,
        check=True,
    )
    image = shot.read_bytes()
    assert image[:8] == b"\x89PNG\r\n\x1a\n"
    pixels = _png_pixels(shot)
    r, g, b = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    red = (r > b + 40) & (r > g + 40)  # highlights, however light
    blue = b > r + 40
    assert red.sum() > 100
    assert blue.sum() > 100


def _png_pixels(path):
    matplotlib = pytest.importorskip("matplotlib.image")
    return (np.asarray(matplotlib.imread(path))[..., :3] * 255).astype(int)


def test_a_sparse_coef_and_svc_probabilities_are_exact(essays):
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.svm import SVC

    model = make_pipeline(
        TfidfVectorizer(),
        CalibratedClassifierCV(SVC(kernel="linear"), ensemble=False),  # sparse coef_
    ).fit(*essays)
    [explanation] = explain_predictions(model, essays[0][:1])
    assert explanation.method == "linear"
    inner = model[-1].calibrated_classifiers_[0].estimator
    expected = inner.decision_function(model[0].transform(essays[0][:1]))[0]
    assert _total(explanation) == pytest.approx(expected, abs=1e-6)


def test_preprocessing_that_moves_characters_still_places_the_weights(essays):
    model = make_pipeline(
        TfidfVectorizer(strip_accents="unicode"), LogisticRegression()
    ).fit(*essays)
    text = "İstanbul… the summer project e\u0301 e\u0301 " + essays[0][0]
    [explanation] = explain_predictions(model, [text])
    assert explanation.method == "linear"
    assert _total(explanation) == pytest.approx(
        model.decision_function([text])[0], abs=1e-6
    )
    weight = {explanation.text[a:b]: w for a, b, w in explanation.spans}
    assert weight["summer"] != 0
    assert weight[" "] == 0  # spaces carry nothing of a word feature


def test_a_pattern_with_empty_tokens_falls_back_to_occlusion(essays):
    model = make_pipeline(
        TfidfVectorizer(token_pattern=r"\w*"), LogisticRegression()
    ).fit(*essays)
    [explanation] = explain_predictions(model, essays[0][:1])
    assert explanation.method == "occlusion"
    with pytest.raises(ValueError, match="cannot be placed"):
        explain_predictions(model, essays[0][:1], method="linear")


def test_window_stride_and_side_are_checked(detector):
    with pytest.raises(ValueError, match="larger than window"):
        explain_predictions(detector, ["a text"], window=2, stride=3)
    [explanation] = explain_predictions(detector, ["a short text"])
    with pytest.raises(ValueError, match="'machine' or 'human'"):
        explanation.top(3, towards="robot")


def test_explain_shows_no_decisions_for_a_model_without_threshold(
    capsys, model_and_data, tmp_path
):
    folder = model_and_data
    out = tmp_path / "r.html"
    argv = ["explain", str(folder / "model.joblib"), str(folder / "texts.csv")]
    assert main([*argv, "--out", str(out)]) == 0
    assert "without decisions" in capsys.readouterr().out
    page = out.read_text(encoding="utf-8")
    assert "decision machine" not in page
    assert "decision human" not in page
    assert page.count("decision abstain") == 1  # the short text still abstains
