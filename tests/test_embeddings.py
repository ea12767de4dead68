import pickle
from functools import cache

import joblib
import numpy as np
import pytest
from conftest import outputs_of_fresh_processes
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_aidetect import (
    BPETokenizer,
    Doc2VecVectorizer,
    FastTextVectorizer,
    PretrainedVectorizer,
    Word2VecVectorizer,
    WordTokenizer,
)

# Tiny models: a few milliseconds to train on the test corpora.
TRAINED = [
    Doc2VecVectorizer(vector_size=8, min_count=1, epochs=5, random_state=0),
    Word2VecVectorizer(vector_size=8, min_count=1, random_state=0),
    FastTextVectorizer(vector_size=8, min_count=1, bucket=2000, random_state=0),
]
TRAINED_IDS = [type(v).__name__ for v in TRAINED]

GLOVE = "cat 1.0 0.0 0.0\ndog 0.0 1.0 0.0\nmat 0.0 0.0 1.0\nthe 0.5 0.5 0.5\n"


@pytest.fixture(scope="module")
def glove_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("vectors") / "glove.txt"
    path.write_text(GLOVE, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def vectorizers(glove_file):
    return [*TRAINED, PretrainedVectorizer(glove_file)]


ALL_IDS = [*TRAINED_IDS, "PretrainedVectorizer"]


@pytest.fixture(params=range(4), ids=ALL_IDS)
def vectorizer(request, vectorizers):
    return clone(vectorizers[request.param])


def _fit(vectorizer, corpus):
    return clone(vectorizer).fit(corpus)


# --- Shared behaviour ----------------------------------------------------------------


def test_dense_float_rows_and_feature_names(vectorizer, corpus):
    fitted = _fit(vectorizer, corpus)
    vectors = fitted.transform(corpus)
    width = 3 if isinstance(fitted, PretrainedVectorizer) else 8
    assert vectors.shape == (len(corpus), width)
    assert vectors.dtype == np.float32
    assert np.isfinite(vectors).all()
    names = fitted.get_feature_names_out()
    prefix = type(fitted).__name__.lower()
    assert list(names) == [f"{prefix}{i}" for i in range(width)]


def test_raw_strings_are_split_with_word_tokenizer(vectorizer, corpus):
    fitted = _fit(vectorizer, corpus)
    tokens = WordTokenizer().transform(corpus)
    np.testing.assert_array_equal(fitted.transform(corpus), fitted.transform(tokens))


def test_tokens_of_a_subword_tokenizer(vectorizer, corpus):
    tokens = BPETokenizer(vocab_size=300).fit(corpus).transform(corpus)
    assert _fit(vectorizer, tokens).transform(tokens).shape[0] == len(corpus)


def test_pickle_joblib_and_clone_round_trips(vectorizer, corpus, tmp_path):
    fitted = _fit(vectorizer, corpus)
    expected = fitted.transform(corpus)
    np.testing.assert_array_equal(
        pickle.loads(pickle.dumps(fitted)).transform(corpus), expected
    )
    joblib.dump(fitted, tmp_path / "vectorizer.joblib")
    np.testing.assert_array_equal(
        joblib.load(tmp_path / "vectorizer.joblib").transform(corpus), expected
    )
    np.testing.assert_array_equal(clone(fitted).fit(corpus).transform(corpus), expected)


def test_empty_and_unknown_documents_give_zero_rows(vectorizer, corpus):
    fitted = _fit(vectorizer, corpus)
    vectors = fitted.transform(["", [], ["qqqq"] if _subwords(fitted) else "zzz qqq"])
    if _subwords(fitted):
        np.testing.assert_array_equal(vectors[:2], 0)
        assert vectors[2].any()  # built from n-grams
    else:
        np.testing.assert_array_equal(vectors, 0)
    assert fitted.transform([]).shape == (0, vectors.shape[1])


def _subwords(fitted):
    return isinstance(fitted, FastTextVectorizer)


@pytest.mark.parametrize(
    ("bad", "error", "message"),
    [
        ("a bare string", ValueError, "got a single str"),
        (None, TypeError, "got None"),
        (["ok", float("nan")], TypeError, "document 1 is float \\(nan\\)"),
        (["ok", None], TypeError, "document 1 is NoneType.*missing value"),
        ([["ok", 3]], TypeError, "token 1 of document 0 is int"),
    ],
)
def test_bad_documents_are_named(vectorizer, corpus, bad, error, message):
    fitted = _fit(vectorizer, corpus)
    with pytest.raises(error, match=message):
        fitted.transform(bad)


@pytest.mark.parametrize("vectorizer", TRAINED, ids=TRAINED_IDS)
def test_fit_needs_words(vectorizer):
    with pytest.raises(ValueError, match="empty corpus"):
        clone(vectorizer).fit([])
    with pytest.raises(ValueError, match="all empty"):
        clone(vectorizer).fit(["", " "])
    with pytest.raises(ValueError, match=r"min_count=5 times.*Lower min_count"):
        clone(vectorizer).set_params(min_count=5).fit(["one short document"])


@pytest.mark.parametrize("vectorizer", TRAINED, ids=TRAINED_IDS)
def test_use_before_fit(vectorizer):
    with pytest.raises(NotFittedError):
        clone(vectorizer).transform(["text"])
    with pytest.raises(NotFittedError):
        clone(vectorizer).get_feature_names_out()


@pytest.mark.parametrize("vectorizer", TRAINED, ids=TRAINED_IDS)
@pytest.mark.parametrize(
    ("param", "value"),
    [("vector_size", 0), ("min_count", 0), ("epochs", 1.5), ("random_state", "x")],
)
def test_invalid_parameters_name_the_parameter(vectorizer, param, value, corpus):
    with pytest.raises(InvalidParameterError, match=f"'{param}' parameter"):
        clone(vectorizer).set_params(**{param: value}).fit(corpus)


@pytest.mark.parametrize("vectorizer", TRAINED, ids=TRAINED_IDS)
def test_same_random_state_same_vectors(vectorizer, corpus):
    first = _fit(vectorizer, corpus).transform(corpus)
    second = _fit(vectorizer, corpus).transform(corpus)
    np.testing.assert_array_equal(first, second)
    other = _fit(vectorizer.set_params(random_state=1), corpus).transform(corpus)
    assert not np.array_equal(first, other)


_FIT_IN_A_NEW_PROCESS = """
import hashlib
from conftest import HUMAN_TEXTS, MACHINE_TEXTS
from test_embeddings import TRAINED
corpus = HUMAN_TEXTS + MACHINE_TEXTS
for vectorizer in TRAINED:
    vectors = vectorizer.fit(corpus).transform(corpus)
    print(hashlib.sha256(vectors.tobytes()).hexdigest())
"""


def test_same_random_state_same_vectors_across_processes():
    # Python's string hash changes per process; nothing here may depend on it.
    runs = outputs_of_fresh_processes(_FIT_IN_A_NEW_PROCESS, runs=2)
    assert len(runs[0]) == len(TRAINED)
    assert runs[0] == runs[1]


@pytest.mark.timeout(240)
def test_grid_search_over_vector_size_in_parallel(corpus, labels):
    pipeline = make_pipeline(
        BPETokenizer(vocab_size=300),
        Word2VecVectorizer(min_count=1, random_state=0),
        LogisticRegression(),
    )
    grid = {"word2vecvectorizer__vector_size": [4, 8]}
    serial = GridSearchCV(pipeline, grid, cv=3, scoring="roc_auc").fit(corpus, labels)
    parallel = GridSearchCV(pipeline, grid, cv=3, scoring="roc_auc", n_jobs=2)
    parallel.fit(corpus, labels)
    assert parallel.best_params_ == serial.best_params_
    np.testing.assert_allclose(
        parallel.cv_results_["mean_test_score"], serial.cv_results_["mean_test_score"]
    )


# --- Doc2Vec -------------------------------------------------------------------------


def test_doc2vec_fit_transform_infers_like_transform(corpus):
    vectorizer = clone(TRAINED[0])
    np.testing.assert_array_equal(
        vectorizer.fit_transform(corpus), vectorizer.transform(corpus)
    )


def test_doc2vec_transform_never_trains(corpus):
    vectorizer = clone(TRAINED[0]).fit(corpus)
    before = pickle.dumps(vectorizer.model_)
    vectorizer.transform(["entirely new words about other things", *corpus])
    assert pickle.dumps(vectorizer.model_) == before


@pytest.mark.timeout(120)
def test_doc2vec_inference_ignores_n_jobs_batches_and_order(corpus):
    vectorizer = clone(TRAINED[0]).fit(corpus)
    serial = vectorizer.transform(corpus)
    parallel = vectorizer.set_params(n_jobs=2).transform(corpus)
    np.testing.assert_array_equal(parallel, serial)
    reversed_ = vectorizer.set_params(n_jobs=1).transform(corpus[::-1])[::-1]
    np.testing.assert_array_equal(reversed_, serial)
    one_by_one = np.vstack([vectorizer.transform([doc]) for doc in corpus[:5]])
    np.testing.assert_array_equal(one_by_one, serial[:5])


@pytest.mark.parametrize("algorithm", ["pv-dbow", "pv-dm"])
def test_doc2vec_inference_is_gensims_computation(algorithm, corpus, monkeypatch):
    # With gensim's per-process seeding pinned to ours, infer_vector must agree.
    import gensim.models.doc2vec as gensim_doc2vec

    from sklearn_aidetect.embeddings import _document_seed

    vectorizer = clone(TRAINED[0]).set_params(algorithm=algorithm).fit(corpus)
    model = vectorizer.model_
    tokens = WordTokenizer().transform(corpus[:1])[0]
    seed = _document_seed(tokens, vectorizer.seed_)
    start = np.random.Generator(np.random.SFC64(seed)).random(model.dv.vector_size)

    def pinned_start(size, seed_string=None, hashfxn=hash):
        return (start.astype(np.float32) - 0.5) / size

    monkeypatch.setattr(gensim_doc2vec, "pseudorandom_weak_vector", pinned_start)
    model.random = np.random.RandomState(seed)
    expected = model.infer_vector(tokens, epochs=model.epochs)
    np.testing.assert_allclose(vectorizer.transform([tokens])[0], expected, rtol=1e-6)


def test_doc2vec_separates_the_test_corpus(corpus, labels):
    vectorizer = Doc2VecVectorizer(
        vector_size=16, min_count=1, epochs=40, random_state=0
    )
    vectors = vectorizer.fit_transform(corpus)
    score = LogisticRegression().fit(vectors, labels).score(vectors, labels)
    assert score > 0.8


# --- Word2Vec and fastText pooling ---------------------------------------------------


@pytest.mark.parametrize("pooling", ["mean", "max", "mean+max", "idf"])
def test_pooling(pooling, corpus):
    vectorizer = clone(TRAINED[1]).set_params(pooling=pooling).fit(corpus)
    tokens = ["the", "bus", "unknownword", "the"]
    (row,) = vectorizer.transform([tokens])
    words = vectorizer.vectors_
    known = [t for t in tokens if t in words.key_to_index]
    matrix = np.vstack([words[t] for t in known])
    if pooling == "mean":
        expected = matrix.mean(axis=0)
    elif pooling == "max":
        expected = matrix.max(axis=0)
    elif pooling == "mean+max":
        expected = np.concatenate([matrix.mean(axis=0), matrix.max(axis=0)])
    else:
        weights = np.array([vectorizer.idf_[words.key_to_index[t]] for t in known])
        expected = weights @ matrix / weights.sum()
    np.testing.assert_allclose(row, expected, rtol=1e-5)
    assert len(vectorizer.get_feature_names_out()) == row.shape[0]


def test_idf_weights_rare_words_higher(corpus):
    vectorizer = clone(TRAINED[1]).fit(corpus)
    index = vectorizer.vectors_.key_to_index
    assert vectorizer.idf_[index["the"]] < vectorizer.idf_[index["bus"]]


def test_fasttext_covers_words_word2vec_never_saw(corpus):
    word2vec = clone(TRAINED[1]).fit(corpus)
    fasttext = clone(TRAINED[2]).fit(corpus)
    unseen = [["gardening", "homeworks"]]
    assert not word2vec.transform(unseen).any()
    assert fasttext.transform(unseen).any()
    assert "gardening" not in fasttext.vectors_.key_to_index


def test_fasttext_defaults_keep_the_model_small(corpus):
    fitted = FastTextVectorizer(random_state=0).fit(corpus)
    megabytes = len(pickle.dumps(fitted)) / 1e6
    assert megabytes < 30, megabytes


# --- Pretrained vectors --------------------------------------------------------------


def test_glove_text_file(glove_file):
    fitted = PretrainedVectorizer(glove_file).fit()
    assert fitted.file_format_ == "glove"
    np.testing.assert_allclose(
        fitted.transform([["cat", "dog", "owl"]]), [[0.5, 0.5, 0.0]]
    )


def test_word2vec_text_and_binary_files(tmp_path, glove_file):
    from gensim.models import KeyedVectors

    vectors = KeyedVectors(3)
    rows = [line.split() for line in glove_file.read_text().splitlines()]
    vectors.add_vectors([r[0] for r in rows], np.array([r[1:] for r in rows], float))
    for binary, name in [(False, "word2vec"), (True, "word2vec-binary")]:
        path = tmp_path / f"vectors-{name}.bin"
        vectors.save_word2vec_format(str(path), binary=binary)
        fitted = PretrainedVectorizer(path).fit()
        assert fitted.file_format_ == name
        np.testing.assert_allclose(fitted.transform([["mat"]]), [[0.0, 0.0, 1.0]])
        explicit = PretrainedVectorizer(path, file_format=name).fit()
        np.testing.assert_allclose(explicit.transform([["mat"]]), [[0.0, 0.0, 1.0]])


def test_fasttext_bin_file_with_subwords(tmp_path, corpus):
    from gensim.models import FastText
    from gensim.models.fasttext import save_facebook_model

    tokens = WordTokenizer().transform(corpus)
    model = FastText(tokens, vector_size=4, min_count=1, bucket=500, seed=0, workers=1)
    path = tmp_path / "model.bin"
    save_facebook_model(model, str(path))
    fitted = PretrainedVectorizer(path).fit()
    assert fitted.file_format_ == "fasttext"
    np.testing.assert_allclose(
        fitted.transform([["the"]])[0], model.wv["the"], rtol=1e-5
    )
    assert fitted.transform([["gardening"]]).any()


def test_limit_lowercase_and_idf(glove_file):
    assert len(PretrainedVectorizer(glove_file, limit=2).fit().vectors_) == 2
    fitted = PretrainedVectorizer(glove_file, lowercase=True).fit()
    np.testing.assert_allclose(fitted.transform([["CAT"]]), [[1.0, 0.0, 0.0]])
    idf = PretrainedVectorizer(glove_file, pooling="idf").fit([["the", "cat"], ["the"]])
    index = idf.vectors_.key_to_index
    assert idf.idf_[index["the"]] < idf.idf_[index["cat"]] < idf.idf_[index["dog"]]


def test_pretrained_file_errors(tmp_path):
    with pytest.raises(ValueError, match="needs path="):
        PretrainedVectorizer().fit()
    with pytest.raises(FileNotFoundError, match="no vector file at"):
        PretrainedVectorizer(tmp_path / "missing.txt").fit()
    bad = tmp_path / "bad.txt"
    bad.write_text("2 3\ncat 1.0 oops 0.0\n")
    with pytest.raises(ValueError, match=r"could not read .* as word2vec vectors"):
        PretrainedVectorizer(bad).fit()


def test_pretrained_loads_in_fit_not_init(tmp_path):
    vectorizer = PretrainedVectorizer(tmp_path / "not-yet.txt")
    assert vectorizer.get_params()["path"] == tmp_path / "not-yet.txt"


# --- Property test -------------------------------------------------------------------


@cache
# --- Real data -----------------------------------------------------------------------


@pytest.mark.shared_data
def test_word2vec_features_separate_real_essays(outfox_clean_auc):
    pipeline = make_pipeline(
        WordTokenizer(lowercase=True),
        Word2VecVectorizer(vector_size=50, pooling="mean+max", random_state=0),
        LogisticRegression(class_weight="balanced", max_iter=2000),
    )
    auc = outfox_clean_auc(pipeline)
    assert auc > 0.9, auc
