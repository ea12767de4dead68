"""Abstention: word counts, the first N words, decisions with NaN for short texts."""

import numpy as np
import pytest
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_aidetect import MIN_WORDS, WordTokenizer, count_words, decide, first_words


def test_count_words_counts_what_the_word_tokenizer_finds():
    texts = ["Don't stop, it's well-known: 3.14!", "", "  ", "Один два", "中文字"]
    tokens = WordTokenizer(punctuation=False).transform(texts)
    assert count_words(texts).tolist() == [len(t) for t in tokens] == [5, 0, 0, 2, 3]


def test_first_words_keeps_the_text_as_written():
    text = "One,  two;\nthree four."
    assert first_words(text, 2) == "One,  two"
    assert first_words(text, 4) == "One,  two;\nthree four"
    assert first_words(text, 5) == text
    assert first_words(text, 0) == ""
    assert count_words([first_words(text, 3)]).tolist() == [3]


def test_decide_abstains_below_the_minimum_and_thresholds_the_rest():
    long_text = "word " * MIN_WORDS
    short_text = "word " * (MIN_WORDS - 1)
    decisions = decide([0.7, 0.3, 0.7], [long_text, long_text, short_text])
    np.testing.assert_array_equal(decisions, [1.0, 0.0, np.nan])
    assert decide([0.7], [long_text], threshold=0.8).tolist() == [0.0]
    assert decide([0.5], [long_text], threshold=0.5).tolist() == [1.0]  # at: machine
    assert decide([0.9], ["two words"], min_words=0).tolist() == [1.0]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: decide([0.5, 0.5], ["a b"]), ValueError, "one number per text"),
        (lambda: decide([0.5], "a text"), InvalidParameterError, "array-like"),
        (lambda: count_words([1, 2]), TypeError, "list of strings"),
        (lambda: decide([0.5], ["a"], min_words=-1), InvalidParameterError, "min_w"),
        (lambda: first_words("a b", -1), InvalidParameterError, "n_words"),
    ],
)
def test_bad_input_is_a_clear_error(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_invisible_characters_do_not_split_words():
    soft_hyphens = " ".join(["wo\u00adrd"] * 25)
    zero_width = " ".join(["wo\u200brd"] * 25)
    assert count_words([soft_hyphens, zero_width]).tolist() == [25, 25]


def test_exactly_the_minimum_is_decided():
    at_minimum = " ".join(["word"] * MIN_WORDS)
    assert count_words([at_minimum]).tolist() == [MIN_WORDS]
    assert decide([0.9], [at_minimum]).tolist() == [1.0]
