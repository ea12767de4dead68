import pytest

from sklearn_aidetect._confusables import lookalikes
from sklearn_aidetect.perturbation import (
    ATTACKS,
    SPACES,
    ZERO_WIDTH,
    change_case,
    insert_homoglyphs,
    insert_typos,
    insert_whitespace,
    insert_zero_width,
)

TEXTS = [
    "The essay was written by a student who likes dogs and long walks.",
    "Second text: schools should start later, because teenagers sleep late.",
    "",
]


@pytest.mark.parametrize("name", list(ATTACKS))
def test_same_seed_same_edits_other_seed_other_edits(name):
    attack, rate = ATTACKS[name]
    first = attack(TEXTS, rate=rate, random_state=0)
    assert attack(TEXTS, rate=rate, random_state=0) == first
    assert attack(TEXTS, rate=rate, random_state=1) != first
    assert len(first) == len(TEXTS)
    assert first[2] == ""


@pytest.mark.parametrize("name", list(ATTACKS))
def test_rate_zero_changes_nothing(name):
    attack, _ = ATTACKS[name]
    assert attack(TEXTS, rate=0.0, random_state=0) == TEXTS


def test_homoglyphs_replace_the_share_of_letters_asked_for():
    [text] = TEXTS[:1]
    [edited] = insert_homoglyphs([text], rate=0.1, random_state=0)
    letters = sum(char.isalpha() for char in text)
    changed = [(a, b) for a, b in zip(text, edited) if a != b]
    assert len(edited) == len(text)
    assert len(changed) == round(0.1 * letters)
    assert all(b in lookalikes()[a] for a, b in changed)


def test_zero_width_characters_follow_the_share_of_characters_asked_for():
    [text] = TEXTS[:1]
    [edited] = insert_zero_width([text], rate=0.2, random_state=0)
    inserted = [char for char in edited if char in ZERO_WIDTH]
    assert len(inserted) == round(0.2 * sum(not c.isspace() for c in text))
    assert "".join(char for char in edited if char not in ZERO_WIDTH) == text


def test_whitespace_changes_only_spaces():
    [text] = TEXTS[:1]
    [edited] = insert_whitespace([text], rate=1.0, random_state=0)
    assert edited.split() == text.split()
    assert edited != text
    assert all(char in "".join(SPACES) for char in edited if char.isspace())


def test_typos_change_the_share_of_words_asked_for_by_one_edit_each():
    text = " ".join(["word"] * 40)
    [edited] = insert_typos([text], rate=0.25, random_state=0)
    words = edited.split(" ")
    assert len(words) == 40
    assert sum(word != "word" for word in words) <= 10
    assert (
        sum(word != "word" for word in words) >= 7
    )  # a swap of "o"/"o" can be a no-op
    assert all(abs(len(word) - 4) <= 1 for word in words)


def test_case_changes_swap_case_only():
    [text] = TEXTS[:1]
    [edited] = change_case([text], rate=0.5, random_state=0)
    assert edited.lower() == text.lower()
    assert edited != text
    assert change_case(["an essay"], rate=1.0, random_state=0) == ["AN ESSAY"]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: insert_typos(TEXTS, rate=1.5), ValueError, "'rate' parameter"),
        (lambda: insert_homoglyphs("one text"), ValueError, "insert_homoglyphs"),
        (lambda: change_case([1, 2]), TypeError, "change_case"),
        (
            lambda: insert_whitespace(TEXTS, random_state="x"),
            ValueError,
            "'random_state' parameter",
        ),
    ],
)
def test_bad_input_says_what_is_wrong(call, error, message):
    with pytest.raises(error, match=message):
        call()
