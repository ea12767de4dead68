"""Property tests: arbitrary unicode never crashes a fitted transformer or detector.

Every public transformer (and the fast ready-made detectors) is fitted once on the
small corpus of ``conftest.py``; hypothesis then feeds it lists of arbitrary unicode
documents (empty strings, control characters, emoji, right-to-left and zero-width
text, lone combining marks). ``transform`` must return one row per document, and
vectors must be finite.
"""

import numpy as np
import pytest
from conftest import ensemble_settings
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone

import sklearn_aidetect
from sklearn_aidetect import (
    BPETokenizer,
    CharNGramVectorizer,
    Doc2VecVectorizer,
    FastTextVectorizer,
    PretrainedTokenizer,
    PretrainedVectorizer,
    StopWordRemover,
    StyleVectorizer,
    TextNormalizer,
    TokenNGramVectorizer,
    TokenProbabilityVectorizer,
    TypoAugmenter,
    UnigramTokenizer,
    VocabularyFilter,
    Word2VecVectorizer,
    WordPieceTokenizer,
    WordTokenizer,
    make_detector,
)

DOCUMENTS = st.lists(st.text(), max_size=5)
# Token-list transformers take token lists or raw strings (split on whitespace).
TOKEN_DOCUMENTS = st.lists(
    st.one_of(st.text(), st.lists(st.text(min_size=1), max_size=6)), max_size=5
)
# Token-id transformers take any non-negative ids, also ids no tokenizer made.
ID_DOCUMENTS = st.lists(st.lists(st.integers(0, 2**40), max_size=8), max_size=5)
EXAMPLES = settings(max_examples=40)


@pytest.fixture(scope="module")
def tokenizers(corpus, tmp_path_factory):
    trained = [
        BPETokenizer(vocab_size=300),
        WordPieceTokenizer(vocab_size=200),
        UnigramTokenizer(vocab_size=100),
    ]
    fitted = [WordTokenizer().fit(corpus), *(clone(t).fit(corpus) for t in trained)]
    saved = fitted[1].save(tmp_path_factory.mktemp("tokenizer") / "tokenizer.json")
    return [*fitted, PretrainedTokenizer.from_file(saved)]


@pytest.fixture(scope="module")
def token_transformers(corpus, tmp_path_factory):
    vectors = tmp_path_factory.mktemp("vectors") / "vectors.txt"
    vectors.write_text("3 2\nthe 1.0 0.0\nschool 0.0 1.0\nbus 0.5 0.5\n")
    unfitted = [
        StopWordRemover(),
        VocabularyFilter(no_below=1),
        Doc2VecVectorizer(vector_size=8, min_count=1, epochs=5, random_state=0),
        Word2VecVectorizer(vector_size=8, min_count=1, random_state=0),
        FastTextVectorizer(vector_size=8, min_count=1, bucket=2000, random_state=0),
        PretrainedVectorizer(vectors),
    ]
    tokens = WordTokenizer(lowercase=True).fit_transform(corpus)
    return [transformer.fit(tokens) for transformer in unfitted]


@pytest.fixture(scope="module")
def id_transformers(corpus):
    ids = BPETokenizer(vocab_size=300, output="ids").fit_transform(corpus)
    return [TokenNGramVectorizer((1, 3)).fit(ids)]


@pytest.fixture(scope="module")
def document_transformers(corpus, labels, tiny_preset):
    """The vectorizers that read raw documents and return numbers."""
    tokens = TokenProbabilityVectorizer(
        tokenizer=BPETokenizer(vocab_size=300), cv=3, wordfreq=True, random_state=0
    )
    pretrained = sklearn_aidetect.PretrainedTransformerVectorizer(
        tiny_preset, max_length=16
    )
    return [
        tokens.fit(corpus, labels),
        StyleVectorizer().fit(corpus),
        CharNGramVectorizer(ngram_range=(1, 3)).fit(corpus),
        pretrained.fit(corpus),
    ]


@pytest.fixture(scope="module")
def detectors(corpus, labels):
    tiny = {
        "tfidf-logistic": {"vectorizer__min_df": 1},
        "tfidf-ensemble": {"tokenizer__vocab_size": 300, "vectorizer__min_df": 1},
        "bpe-naive-bayes": {"tokenizer__vocab_size": 300},
        "tfidf-wordchar": {
            "vectorizer__word__min_df": 1,
            "vectorizer__char__min_df": 1,
        },
    }
    for name in ["tfidf-wordchar-bpe", "tfidf-cross-domain"]:
        tiny[name] = ensemble_settings(tiny, name)
    tiny["transfer-vote"] = {
        "classifier__features__vectorizer__tokens__tokenizer__vocab_size": 300,
        "classifier__features__vectorizer__tokens__cv": 3,
        "classifier__bpe__tokenizer__vocab_size": 300,
    }
    return [
        make_detector(name, random_state=0, **params).fit(corpus, labels)
        for name, params in tiny.items()
    ]


def test_every_public_transformer_is_covered(
    tokenizers, token_transformers, id_transformers, document_transformers
):
    import inspect

    import sklearn_aidetect

    fitted = [*tokenizers, *token_transformers, *id_transformers]
    fitted += document_transformers
    covered = {type(t).__name__ for t in fitted} | {"TextNormalizer", "TypoAugmenter"}
    public = {
        name
        for name in sklearn_aidetect.__all__
        if inspect.isclass(obj := getattr(sklearn_aidetect, name))
        and hasattr(obj, "transform")
    }
    assert covered == public


@EXAMPLES
@given(documents=DOCUMENTS)
def test_the_augmenter_edits_in_fit_transform_only_and_is_seeded(documents):
    augmenter = TypoAugmenter(typo_rate=0.3, case_rate=0.1, random_state=0)
    edited = augmenter.fit_transform(documents)
    assert len(edited) == len(documents)
    assert all(isinstance(text, str) for text in edited)
    assert augmenter.fit_transform(documents) == edited
    assert augmenter.transform(documents) == list(documents)


@EXAMPLES
@given(documents=DOCUMENTS)
def test_the_normalizer_gives_one_text_per_document_and_is_idempotent(documents):
    normalizer = TextNormalizer()
    once = normalizer.transform(documents)
    assert len(once) == len(documents)
    assert all(isinstance(text, str) for text in once)
    assert normalizer.transform(once) == once
    counts = normalizer.count_changes(documents)
    assert counts.shape == (len(documents), 4)
    assert (counts >= 0).all()


@EXAMPLES
@given(documents=DOCUMENTS)
def test_tokenizers_give_one_row_per_document(tokenizers, documents):
    for tokenizer in tokenizers:
        for output in ["tokens", "ids", "text"]:
            if output == "ids" and isinstance(tokenizer, WordTokenizer):
                continue  # a word tokenizer has no ids
            result = tokenizer.set_params(output=output).transform(documents)
            assert len(result) == len(documents)


@EXAMPLES
@given(documents=TOKEN_DOCUMENTS)
def test_token_transformers_give_one_row_per_document(token_transformers, documents):
    for transformer in token_transformers:
        result = transformer.transform(documents)
        assert len(result) == len(documents)
        if isinstance(result, np.ndarray):
            assert np.isfinite(result).all()


@EXAMPLES
@given(documents=ID_DOCUMENTS, texts=DOCUMENTS)
def test_id_transformers_give_one_finite_row_per_document(
    id_transformers, tokenizers, documents, texts
):
    bpe = tokenizers[1].set_params(output="ids")
    for transformer in id_transformers:
        for ids in [documents, bpe.transform(texts)]:
            result = transformer.transform(ids)
            assert result.shape == (len(ids), len(transformer.get_feature_names_out()))
            assert np.isfinite(result.data).all()


@EXAMPLES
@given(documents=DOCUMENTS)
def test_document_vectorizers_give_one_finite_row_per_document(
    document_transformers, documents
):
    for transformer in document_transformers:
        result = transformer.transform(documents)
        assert result.shape == (
            len(documents),
            len(transformer.get_feature_names_out()),
        )
        assert np.isfinite(result.data if hasattr(result, "nnz") else result).all()


@EXAMPLES
@given(documents=DOCUMENTS)
def test_detectors_score_every_document(detectors, documents):
    for detector in detectors:
        if not documents:  # refused, as scikit-learn's estimators refuse it
            with pytest.raises(ValueError, match="empty corpus"):
                detector.predict_proba(documents)
            continue
        scores = detector.predict_proba(documents)
        assert scores.shape == (len(documents), 2)
        assert np.isfinite(scores).all()
