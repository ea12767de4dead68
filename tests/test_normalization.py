import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import FeatureUnion, make_pipeline
from sklearn.preprocessing import FunctionTransformer

from sklearn_aidetect import TextNormalizer, make_detector
from sklearn_aidetect._confusables import lookalikes, to_latin
from sklearn_aidetect.perturbation import ATTACKS

ESSAY = (
    "The essay was written by a student who likes dogs.\n\n"
    "Second paragraph: it argues that schools should start later."
)


@pytest.mark.parametrize(
    ("text", "expected", "counts"),
    [
        # Cyrillic е and а, a zero-width space, fullwidth i, two double spaces.
        (
            "Th\u0435 ess\u0430y\u200b  is   m\uff49ne.",
            "The essay is mine.",
            [1, 1, 2, 2],
        ),
        ("ordinary text.", "ordinary text.", [0, 0, 0, 0]),
        ("", "", [0, 0, 0, 0]),
        ("soft\u00adhyphen and \ufeffBOM", "softhyphen and BOM", [2, 0, 0, 0]),
        ("\ufb01ne \U0001d41a", "fine a", [0, 2, 0, 0]),  # ligature, math bold a
        ("a\u00a0b", "a b", [0, 1, 0, 0]),  # NFKC folds the no-break space
        ("a\tb\r\nc", "a b\nc", [0, 0, 0, 2]),
        ("a\n\n\n\nb", "a\n\nb", [0, 0, 0, 1]),
        ("a \n b", "a\nb", [0, 0, 0, 1]),
        ("a\u2029b", "a\n\nb", [0, 0, 0, 1]),
        ("  padded  ", "padded", [0, 0, 0, 2]),
        ("one\ntwo\n\nthree", "one\ntwo\n\nthree", [0, 0, 0, 0]),
    ],
)
def test_each_step_folds_what_it_should_and_counts_it(text, expected, counts):
    normalizer = TextNormalizer()
    assert normalizer.transform([text]) == [expected]
    assert normalizer.count_changes([text]).tolist() == [counts]


def test_a_text_of_another_script_keeps_its_letters():
    russian = "Привет, мир: это сочинение"  # о, е, с, р look like Latin letters
    assert TextNormalizer().transform([russian]) == [russian]
    assert TextNormalizer().count_changes([russian])[0, 2] == 0
    # A Latin text with a few look-alikes inside is mapped back.
    assert TextNormalizer().transform(["a c\u043eol essay"]) == ["a cool essay"]
    # min_latin_share=0 maps the look-alikes of any text.
    assert TextNormalizer(min_latin_share=0.0).transform(["\u043e\u043e"]) == ["oo"]


def test_steps_turn_off_one_by_one():
    text = "Th\u0435 ess\u0430y\u200b  is   m\uff49ne."
    off = {"invisible": False, "nfkc": False, "confusables": False, "whitespace": False}
    assert TextNormalizer(**off).transform([text]) == [text]
    assert TextNormalizer(**off).count_changes([text]).tolist() == [[0, 0, 0, 0]]
    assert TextNormalizer(invisible=False).transform([text]) == [
        "The essay\u200b is mine."
    ]
    assert TextNormalizer(confusables=False).transform([text])[0].startswith("Th\u0435")


@pytest.mark.parametrize("attack", ["homoglyphs", "zero-width", "whitespace"])
def test_it_undoes_the_character_attacks(attack):
    function, rate = ATTACKS[attack]
    edited = function([ESSAY], rate=rate, random_state=0)
    assert edited != [ESSAY]
    normalizer = TextNormalizer()
    assert normalizer.transform(edited) == normalizer.transform([ESSAY])
    assert normalizer.count_changes(edited).sum() > 0


def test_the_confusables_table_maps_every_lookalike_back():
    table = to_latin()
    assert len(table) > 1000
    for letter, characters in lookalikes().items():
        for character in characters:
            assert table[character] == letter
    assert table["\u0430"] == "a"  # Cyrillic а
    assert table["\u0406"] == "I"  # Cyrillic І: Unicode's prototype is l


def test_change_names_match_the_columns():
    normalizer = TextNormalizer()
    names = normalizer.get_change_names()
    assert names.tolist() == ["invisible", "nfkc", "confusables", "whitespace"]
    assert normalizer.count_changes(["a", "b"]).shape == (2, len(names))
    assert normalizer.count_changes(["a"]).dtype == np.int64


def test_counts_are_usable_as_features_in_a_feature_union():
    normalizer = TextNormalizer()
    union = FeatureUnion([("changes", FunctionTransformer(normalizer.count_changes))])
    features = union.fit_transform(["pl\u0430in", "plain"])
    assert features.tolist() == [[0, 0, 1, 0], [0, 0, 0, 0]]


def test_transform_needs_no_fit_and_pickles_clones_and_searches():
    normalizer = TextNormalizer(whitespace=False)
    assert normalizer.transform(["a  b"]) == ["a  b"]
    assert pickle.loads(pickle.dumps(normalizer)).get_params() == (
        normalizer.get_params()
    )
    assert clone(normalizer).get_params()["whitespace"] is False
    texts = ["my dog ate it lol", "Furthermore, it is essential."] * 6
    pipeline = make_pipeline(TextNormalizer(), *make_detector("tfidf-logistic")[1:])
    pipeline.set_params(tfidfvectorizer__min_df=1)
    search = GridSearchCV(
        pipeline, {"textnormalizer__nfkc": [True, False]}, cv=2, scoring="roc_auc"
    )
    assert search.fit(texts, [0, 1] * 6).best_score_ == 1.0


def test_every_ready_made_detector_normalizes_first():
    detector = make_detector("tfidf-logistic", vectorizer__min_df=1)
    assert isinstance(detector.named_steps["normalizer"], TextNormalizer)
    texts = ["my dog ate it lol", "Furthermore, it is essential."] * 4
    detector.fit(texts, [0, 1] * 4)
    edited = ["Furth\u0435rm\u043ere,\u200b it is ess\u0435ntial."]
    clean = ["Furthermore, it is essential."]
    assert (
        detector.predict_proba(edited).tolist()
        == detector.predict_proba(clean).tolist()
    )
    detector.set_params(normalizer="passthrough").fit(texts, [0, 1] * 4)
    assert detector.predict_proba(edited)[0, 1] < detector.predict_proba(clean)[0, 1]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"min_latin_share": 1.5}, "'min_latin_share' parameter of TextNormalizer"),
        ({"nfkc": "yes"}, "'nfkc' parameter of TextNormalizer must be"),
    ],
)
def test_bad_parameters_fail_with_their_name(params, message):
    with pytest.raises(ValueError, match=message):
        TextNormalizer(**params).transform(["text"])


def test_a_bare_string_is_refused():
    with pytest.raises(ValueError, match="TextNormalizer"):
        TextNormalizer().transform("one document")
