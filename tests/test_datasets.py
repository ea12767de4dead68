"""Tests of load_csv (every layout and every error) and of make_essays.

Every CSV file is written under pytest's ``tmp_path`` from short sentences written for
these tests.
"""

import csv
import gzip
import json
import os
import subprocess
import sys

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.utils import Bunch

from sklearn_aidetect.datasets import load_csv, make_essays

HUMAN = "my brother says the bus is late every day and honestly he is right"
MACHINE = "Furthermore, reliable transportation plays a crucial role in attendance."


def write_rows(path, rows, *, encoding="utf-8"):
    """Write ``rows`` with the csv module (which quotes what needs quoting)."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "wt", newline="", encoding=encoding) as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_text(path, text):
    """Write ``text`` byte for byte (for files the csv module would not write)."""
    path.write_bytes(text.encode("utf-8"))
    return path


# --- load_csv: layouts ---------------------------------------------------------------


def test_daigt_layout(tmp_path):
    path = write_rows(
        tmp_path / "train_v2_drcat_02.csv",
        [
            ["text", "label", "prompt_name", "source", "RDizzl3_seven"],
            [HUMAN, "0", "Car-free cities", "persuade_corpus", "True"],
            [MACHINE, "1", "Car-free cities", "mistral7binstruct_v1", "True"],
            ["we walked to the park since the road was closed", "0", "Phones", "p", ""],
        ],
    )
    essays = load_csv(path)
    assert isinstance(essays, Bunch)
    assert essays.data == [
        HUMAN,
        MACHINE,
        "we walked to the park since the road was closed",
    ]
    assert essays.target.dtype == np.int64
    np.testing.assert_array_equal(essays.target, [0, 1, 0])
    assert essays.layout == "daigt"
    assert (essays.text_column, essays.label_column) == ("text", "label")
    assert essays.ids is None
    assert essays.id_column is None
    assert essays.filename == str(path)


def test_kaggle_train_layout(tmp_path):
    path = write_rows(
        tmp_path / "train_essays.csv",
        [
            ["id", "prompt_id", "text", "generated"],
            ["0059830c", "0", HUMAN, "0"],
            ["005db917", "1", MACHINE, "1"],
        ],
    )
    essays = load_csv(path)
    assert essays.layout == "kaggle"
    assert essays.label_column == "generated"
    assert essays.ids == ["0059830c", "005db917"]
    assert essays.id_column == "id"
    np.testing.assert_array_equal(essays.target, [0, 1])


def test_kaggle_test_layout_needs_require_labels_false(tmp_path):
    path = write_rows(
        tmp_path / "test_essays.csv",
        [
            ["id", "prompt_id", "text"],
            ["0000aaaa", "2", HUMAN],
            ["1111bbbb", "2", MACHINE],
        ],
    )
    with pytest.raises(ValueError, match=r"no label column.*require_labels=False"):
        load_csv(path)
    essays = load_csv(path, require_labels=False)
    assert essays.target is None
    assert essays.label_column is None
    assert essays.layout == "kaggle"
    assert essays.ids == ["0000aaaa", "1111bbbb"]
    assert essays.data == [HUMAN, MACHINE]


def test_custom_columns(tmp_path):
    path = write_rows(
        tmp_path / "mine.csv",
        [["doc", "essay", "is_ai"], ["d1", HUMAN, "0"], ["d2", MACHINE, "1"]],
    )
    essays = load_csv(path, "essay", "is_ai", id_column="doc")
    assert essays.layout == "custom"
    assert essays.data == [HUMAN, MACHINE]
    assert essays.ids == ["d1", "d2"]
    assert (essays.text_column, essays.label_column, essays.id_column) == (
        "essay",
        "is_ai",
        "doc",
    )
    np.testing.assert_array_equal(essays.target, [0, 1])


def test_a_group_column_is_read_as_it_is(tmp_path):
    path = write_rows(
        tmp_path / "groups.csv",
        [["text", "label", "domain"], [HUMAN, "0", "wiki"], [MACHINE, "1", " qa "]],
    )
    essays = load_csv(path, group_column="domain")
    assert essays.groups == ["wiki", " qa "]
    assert essays.group_column == "domain"
    assert load_csv(path).groups is None
    with pytest.raises(ValueError, match=r"no column 'Domain' .group_column.*'domain'"):
        load_csv(path, group_column="Domain")
    with pytest.raises(TypeError, match="group_column must be a column name"):
        load_csv(path, group_column=3)


def test_label_and_id_columns_can_be_left_unread(tmp_path):
    path = write_rows(tmp_path / "a.csv", [["id", "text", "label"], ["x", HUMAN, "0"]])
    essays = load_csv(path, label_column=None, id_column=None, require_labels=False)
    assert essays.target is None
    assert essays.ids is None
    assert essays.label_column is None
    assert essays.id_column is None
    # A file with labels gives them even when they are not required.
    np.testing.assert_array_equal(load_csv(path, require_labels=False).target, [0])


def test_gzip(tmp_path):
    rows = [["text", "label"], [HUMAN, "0"], [MACHINE, "1"]]
    plain = load_csv(write_rows(tmp_path / "essays.csv", rows))
    packed = load_csv(write_rows(tmp_path / "essays.csv.gz", rows))
    assert packed.data == plain.data
    np.testing.assert_array_equal(packed.target, plain.target)


def test_byte_order_mark_is_dropped(tmp_path):
    # Excel's "CSV UTF-8" starts the file with a BOM, which must not stick to "text".
    path = write_rows(
        tmp_path / "excel.csv", [["text", "label"], [HUMAN, "0"]], encoding="utf-8-sig"
    )
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert load_csv(path).data == [HUMAN]


def test_quoted_text_with_line_breaks_commas_and_quotes(tmp_path):
    text = 'First line, with a comma.\n\nSecond paragraph, "quoted" words.\r\nThird.'
    path = write_rows(
        tmp_path / "multi.csv", [["text", "label"], [text, "1"], [HUMAN, "0"]]
    )
    essays = load_csv(path)
    assert essays.data == [text, HUMAN]
    np.testing.assert_array_equal(essays.target, [1, 0])


def test_line_numbers_count_physical_lines(tmp_path):
    # The quoted text spans lines 2 to 4, so the broken row is on line 5.
    path = write_text(
        tmp_path / "broken.csv",
        'text,label\n"one\ntwo\nthree",0\nno label here\n',
    )
    with pytest.raises(ValueError, match=r"line 5 \(data row 2\) has 1 field"):
        load_csv(path)


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        ("0", 0),
        ("0.0", 0),
        ("false", 0),
        ("False", 0),
        (" Human ", 0),
        ("1", 1),
        ("1.0", 1),
        ("TRUE", 1),
        ("machine", 1),
        ("AI", 1),
        ("generated", 1),
        ("LLM", 1),
    ],
)
def test_label_spellings(tmp_path, spelling, expected):
    path = write_rows(tmp_path / "labels.csv", [["text", "label"], [HUMAN, spelling]])
    np.testing.assert_array_equal(load_csv(path).target, [expected])


def test_labels_of_one_class_load(tmp_path):
    # Data to score may be all of one class; only training needs both.
    path = write_rows(
        tmp_path / "one.csv", [["text", "label"], [HUMAN, "0"], [HUMAN, "0"]]
    )
    np.testing.assert_array_equal(load_csv(path).target, [0, 0])


def test_return_X_y(tmp_path):
    path = write_rows(
        tmp_path / "xy.csv", [["text", "label"], [HUMAN, "0"], [MACHINE, "1"]]
    )
    X, y = load_csv(path, return_X_y=True)
    assert X == [HUMAN, MACHINE]
    np.testing.assert_array_equal(y, [0, 1])


def test_blank_lines_are_skipped(tmp_path):
    path = write_text(tmp_path / "blank.csv", f"\ntext,label\n\n{HUMAN},0\n\n\n")
    essays = load_csv(path)
    assert essays.data == [HUMAN]


def test_header_names_are_stripped(tmp_path):
    path = write_text(tmp_path / "spaces.csv", f" text , label\n{HUMAN},0\n")
    assert load_csv(path).data == [HUMAN]


def test_multi_megabyte_document_loads(tmp_path):
    # Far beyond the csv module's default field size limit (131,072 characters).
    long_text = "The essay goes on, and on.\n" * 200_000  # about 5.4 MB
    path = write_rows(tmp_path / "long.csv", [["text", "label"], [long_text, "1"]])
    essays = load_csv(path)
    assert essays.data == [long_text]
    assert csv.field_size_limit() >= 2**31 - 1


def test_accepts_str_paths(tmp_path):
    path = write_rows(tmp_path / "str.csv", [["text", "label"], [HUMAN, "0"]])
    assert load_csv(str(path)).data == [HUMAN]


# --- load_csv: errors ----------------------------------------------------------------


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"no file at .*nothing\.csv"):
        load_csv(tmp_path / "nothing.csv")


def test_folder(tmp_path):
    with pytest.raises(ValueError, match="is a folder, not a CSV file"):
        load_csv(tmp_path)


@pytest.mark.parametrize("content", ["", "\n\n", "\ufeff"])
def test_empty_file(tmp_path, content):
    path = write_text(tmp_path / "empty.csv", content)
    with pytest.raises(ValueError, match="is empty: it has no header row"):
        load_csv(path)


def test_empty_gzip_file(tmp_path):
    path = tmp_path / "empty.csv.gz"
    with gzip.open(path, "wb"):
        pass
    with pytest.raises(ValueError, match="is empty"):
        load_csv(path)


def test_header_without_rows(tmp_path):
    path = write_text(tmp_path / "header.csv", "text,label\n")
    with pytest.raises(ValueError, match=r"has a header .* but no data rows"):
        load_csv(path)


def test_not_utf8(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"text,label\nna\xefve text,0\n")
    with pytest.raises(
        ValueError, match=r"not UTF-8 text: the byte 0xef at offset 13 \(line 2\)"
    ) as error:
        load_csv(path)
    assert "Re-save the file as UTF-8" in str(error.value)


def test_not_utf8_deep_in_a_gzip_file(tmp_path):
    # The offset counts the decompressed bytes, across the reader's chunks.
    path = tmp_path / "late.csv.gz"
    head = b"text,label\n" + b"a fine line of text,0\n" * 100_000
    with gzip.open(path, "wb") as handle:
        handle.write(head + b"bad \xff byte,1\n")
    with pytest.raises(
        ValueError, match=rf"byte 0xff at offset {len(head) + 4} \(line 100002\)"
    ):
        load_csv(path)


def test_not_utf8_after_characters_cut_by_chunks(tmp_path):
    # Two-byte characters straddle the 1 MiB chunks the position is searched in;
    # neither they nor the offset may be reported wrong.
    head = b"text,label\n" + "é".encode() * 600_000 + b",0\nbad "
    path = tmp_path / "accents.csv"
    path.write_bytes(head + b"\xff,1\n")
    with pytest.raises(ValueError, match=rf"0xff at offset {len(head)} \(line 3\)"):
        load_csv(path)


def test_utf16(tmp_path):
    path = tmp_path / "utf16.csv"
    path.write_bytes(f"text,label\n{HUMAN},0\n".encode("utf-16"))
    with pytest.raises(ValueError, match=r"not UTF-8 text.*UTF-16"):
        load_csv(path)


def test_gzip_file_without_gz_suffix(tmp_path):
    path = tmp_path / "packed.csv"
    path.write_bytes(gzip.compress(f"text,label\n{HUMAN},0\n".encode()))
    with pytest.raises(ValueError, match=r"not UTF-8.*looks gzip-compressed.*\.gz"):
        load_csv(path)


def test_plain_file_with_gz_suffix(tmp_path):
    path = write_text(tmp_path / "plain.csv.gz", f"text,label\n{HUMAN},0\n")
    with pytest.raises(ValueError, match=r"not a valid gzip file.*rename"):
        load_csv(path)


def test_truncated_gzip(tmp_path):
    path = tmp_path / "cut.csv.gz"
    path.write_bytes(gzip.compress(f"text,label\n{HUMAN},0\n".encode() * 50)[:-20])
    with pytest.raises(ValueError, match="not a valid gzip file"):
        load_csv(path)


def test_unterminated_quote(tmp_path):
    path = write_text(
        tmp_path / "open.csv", f'text,label\n{HUMAN},0\n"this never ends,1\nmore,0\n'
    )
    with pytest.raises(
        ValueError, match=r"not a valid CSV file: line 3: .*never closed"
    ):
        load_csv(path)


def test_stray_quote(tmp_path):
    path = write_text(tmp_path / "stray.csv", 'text,label\n"quoted" then not,0\n')
    with pytest.raises(
        ValueError, match=r'not a valid CSV file: line 2: .*must be doubled \(""\)'
    ):
        load_csv(path)


def test_nul_character(tmp_path):
    path = write_text(tmp_path / "nul.csv", f"text,label\n{HUMAN},0\nbad\x00,1\n")
    with pytest.raises(ValueError, match=r"not a valid CSV file: line 3: .*NUL"):
        load_csv(path)


def test_wrong_number_of_fields(tmp_path):
    path = write_text(
        tmp_path / "fields.csv",
        f"text,label\n{HUMAN},0\nit has, a comma,1\n",
    )
    with pytest.raises(
        ValueError,
        match=r"line 3 \(data row 2\) has 3 field\(s\), but the header on line 1 "
        r"has 2 column\(s\).*must be quoted",
    ):
        load_csv(path)


def test_duplicate_columns(tmp_path):
    path = write_text(tmp_path / "dup.csv", f"text,label,text\n{HUMAN},0,again\n")
    with pytest.raises(
        ValueError, match=r"repeats column names: 'text' \(columns 1, 3\).*unique"
    ):
        load_csv(path)


def test_missing_text_column(tmp_path):
    path = write_rows(tmp_path / "essay.csv", [["essay", "label"], [HUMAN, "0"]])
    with pytest.raises(
        ValueError,
        match=r"no column 'text' \(text_column\); its columns are \['essay', "
        r"'label'\].*DAIGT.*Kaggle.*text_column=",
    ):
        load_csv(path)


def test_missing_column_suggests_other_case(tmp_path):
    path = write_rows(tmp_path / "case.csv", [["Text", "Label"], [HUMAN, "0"]])
    with pytest.raises(ValueError, match=r"Did you mean text_column='Text'\?"):
        load_csv(path)
    with pytest.raises(ValueError, match=r"Did you mean label_column='Label'\?"):
        load_csv(path, text_column="Text")
    np.testing.assert_array_equal(load_csv(path, "Text", "Label").target, [0])


def test_missing_label_column(tmp_path):
    path = write_rows(tmp_path / "nolabel.csv", [["text", "source"], [HUMAN, "x"]])
    with pytest.raises(
        ValueError,
        match=r"no label column.*'label' or 'generated'.*\['text', 'source'\].*"
        r"label_column=.*require_labels=False",
    ):
        load_csv(path)


@pytest.mark.parametrize(
    ("parameter", "message"),
    [
        ({"label_column": "is_ai"}, r"no column 'is_ai' \(label_column\)"),
        ({"id_column": "essay_id"}, r"no column 'essay_id' \(id_column\)"),
    ],
)
def test_missing_named_column(tmp_path, parameter, message):
    path = write_rows(tmp_path / "named.csv", [["text", "label"], [HUMAN, "0"]])
    with pytest.raises(ValueError, match=message + r".*\['text', 'label'\]"):
        load_csv(path, **parameter)


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_text(tmp_path, text):
    path = write_rows(
        tmp_path / "gap.csv", [["text", "label"], [HUMAN, "0"], [text, "1"]]
    )
    with pytest.raises(
        ValueError,
        match=r"data row 2 \(line 3\) has an empty text in column 'text'.*"
        r"Remove that row or fill it in",
    ):
        load_csv(path)


@pytest.mark.parametrize("label", ["", "  "])
def test_empty_label(tmp_path, label):
    path = write_rows(
        tmp_path / "nolab.csv", [["text", "label"], [HUMAN, "0"], [MACHINE, label]]
    )
    with pytest.raises(
        ValueError, match=r"data row 2 \(line 3\) has an empty label.*Fill it in"
    ):
        load_csv(path)


def test_labels_that_are_not_binary(tmp_path):
    values = ["0", "2", "maybe", "2", "-1", "0.5", "yes", "no", "human-ish"]
    path = write_rows(
        tmp_path / "odd.csv", [["text", "label"]] + [[HUMAN, v] for v in values]
    )
    with pytest.raises(ValueError, match="not human/machine labels") as error:
        load_csv(path)
    message = str(error.value)
    assert "holds labels that are not human/machine labels, in 8 row(s)" in message
    # The first five distinct values, each with the line where it first appears.
    assert (
        "'2' (first on line 3), 'maybe' (first on line 4), '-1' (first on line 6)"
        in (message)
    )
    assert "'yes' (first on line 8)" in message
    assert "'no'" not in message
    assert "'human-ish'" not in message
    assert "and 2 other value(s)" in message
    assert "human; 1 (machine): 1, 1.0, true, machine, ai, generated, llm" in message


@pytest.mark.parametrize(
    ("parameters", "error", "message"),
    [
        ({"text_column": 0}, TypeError, "text_column must be a column name"),
        ({"text_column": None}, TypeError, "text_column must be a column name"),
        ({"label_column": 1}, TypeError, "label_column must be"),
        ({"id_column": ["id"]}, TypeError, "id_column must be"),
        ({"require_labels": "no"}, TypeError, "require_labels must be True or False"),
        ({"return_X_y": 1}, TypeError, "return_X_y must be True or False"),
        ({"label_column": None}, ValueError, "Pass require_labels=False"),
    ],
)
def test_bad_parameters(tmp_path, parameters, error, message):
    path = write_rows(tmp_path / "ok.csv", [["text", "label"], [HUMAN, "0"]])
    with pytest.raises(error, match=message.replace("(", r"\(")):
        load_csv(path, **parameters)


def test_bad_path_type():
    with pytest.raises(TypeError, match="path must be a file path"):
        load_csv(123)


# --- make_essays ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def essays():
    return make_essays(1000, random_state=0)


def test_make_essays_output(essays):
    texts, labels = essays
    assert isinstance(texts, list)
    assert all(isinstance(t, str) for t in texts)
    assert labels.dtype == np.int64
    assert labels.shape == (1000,)
    assert np.bincount(labels).tolist() == [500, 500]
    # Shuffled: not all of one class first.
    assert 0 < labels[:100].sum() < 100
    n_words = np.array([len(t.split()) for t in texts])
    assert n_words.min() >= 80
    assert n_words.max() <= 350
    assert all("\n\n" in t for t in texts)
    assert all(t == t.strip() for t in texts)


def test_make_essays_has_the_markers_of_each_register(essays):
    texts, labels = essays
    human = " ".join(t for t, y in zip(texts, labels) if y == 0)
    machine = " ".join(t for t, y in zip(texts, labels) if y == 1)
    for marker in ["In conclusion", "Furthermore", "it is essential", "Moreover"]:
        assert marker.lower() in machine.lower()
    for marker in ["alot", " i ", "dont", "I'm", "my "]:
        assert marker in human
    # Overlap: each register also appears, less often, in the other class.
    assert "Furthermore" in human
    assert "honestly" in machine


def test_make_essays_are_not_near_duplicates(essays):
    texts = essays[0]
    assert len(set(texts)) == len(texts)
    trigrams = CountVectorizer(ngram_range=(3, 3), binary=True).fit_transform(
        texts[:300]
    )
    shared = (trigrams @ trigrams.T).toarray().astype(float)
    sizes = np.diag(shared)
    jaccard = shared / (sizes[:, None] + sizes[None, :] - shared)
    np.fill_diagonal(jaccard, 0)
    assert jaccard.max() < 0.6


def test_make_essays_difficulty(essays):
    """Learnable but not trivially separable, and length alone gives little away."""
    texts, labels = essays
    detector = make_pipeline(
        TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), min_df=2),
        LogisticRegression(class_weight="balanced"),
    )
    auc = cross_val_score(detector, texts, labels, cv=5, scoring="roc_auc").mean()
    assert 0.90 <= auc <= 0.985
    for length in ([len(t) for t in texts], [len(t.split()) for t in texts]):
        assert roc_auc_score(labels, length) < 0.8
        assert roc_auc_score(labels, length) > 0.2  # nor its reverse


def test_make_essays_is_deterministic():
    texts, labels = make_essays(50, random_state=7)
    again_texts, again_labels = make_essays(50, random_state=7)
    assert texts == again_texts
    np.testing.assert_array_equal(labels, again_labels)
    other_texts, _ = make_essays(50, random_state=8)
    assert not set(texts) & set(other_texts)
    rng_texts, _ = make_essays(50, random_state=np.random.RandomState(7))
    assert rng_texts == texts


def test_make_essays_is_the_same_in_another_process():
    # Another process, with another string-hash seed, makes the same essays.
    code = (
        "import json; from sklearn_aidetect.datasets import make_essays; "
        "texts, labels = make_essays(40, random_state=3); "
        "print(json.dumps([texts, labels.tolist()]))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "12345"},
    ).stdout
    texts, labels = make_essays(40, random_state=3)
    assert json.loads(output) == [texts, labels.tolist()]


@pytest.mark.parametrize(
    ("n_samples", "weights", "n_machine"),
    [
        (10, [0.8, 0.2], 2),
        (7, None, 4),  # round(3.5) == 4
        (9, None, 4),  # round(4.5) == 4: Python rounds halves to even
        (1000, (0.9, 0.1), 100),
        (3, np.array([1 / 3, 2 / 3]), 2),
        (2, [0.5, 0.5], 1),
    ],
)
def test_make_essays_class_counts(n_samples, weights, n_machine):
    texts, labels = make_essays(n_samples, weights=weights, random_state=0)
    assert len(texts) == n_samples
    assert int(labels.sum()) == n_machine


# scikit-learn's validate_params words the rule (one essay of each class at least).
N_SAMPLES_RULE = (
    r"'n_samples' parameter of make_essays must be an int in the range \[2, inf\)"
)


@pytest.mark.parametrize(
    ("parameters", "error", "message"),
    [
        ({"n_samples": 1}, ValueError, N_SAMPLES_RULE),
        ({"n_samples": 2.0}, TypeError, N_SAMPLES_RULE),
        ({"n_samples": True}, TypeError, N_SAMPLES_RULE),
        ({"weights": [0.5, 0.6]}, ValueError, "weights must sum to 1"),
        ({"weights": [1.2, -0.2]}, ValueError, "weights must be non-negative"),
        ({"weights": [0.2]}, ValueError, "weights must hold 2 shares"),
        ({"weights": [0.2, 0.3, 0.5]}, ValueError, "weights must hold 2 shares"),
        ({"weights": 0.5}, ValueError, "weights must be a pair of numbers"),
        ({"weights": "ab"}, ValueError, "is not a pair"),
        ({"weights": [float("nan"), 1]}, ValueError, "non-negative"),
        ({"weights": [1, 0]}, ValueError, "each class needs at least one"),
        (
            {"n_samples": 10, "weights": [0.99, 0.01]},
            ValueError,
            "0 machine essays.*Raise n_samples",
        ),
        (
            {"random_state": "seed"},
            ValueError,
            "'random_state' parameter of make_essays",
        ),
    ],
)
def test_make_essays_validation(parameters, error, message):
    with pytest.raises(error, match=message):
        make_essays(**parameters)


def test_make_essays_round_trip_through_load_csv(tmp_path):
    texts, labels = make_essays(200, random_state=1)
    rows = [["id", "text", "label"]]
    rows += [[f"e{i}", t, int(y)] for i, (t, y) in enumerate(zip(texts, labels))]
    for name in ["essays.csv", "essays.csv.gz"]:
        loaded = load_csv(write_rows(tmp_path / name, rows))
        assert loaded.data == texts
        np.testing.assert_array_equal(loaded.target, labels)
        assert loaded.ids == [f"e{i}" for i in range(200)]
