"""Naive Bayes that scores by log-odds, for ranking, calibration and domain shift.

Multinomial naive Bayes over n-gram counts is the classic text detector, and on
texts from a generator never seen in training it is among our strongest
(``bpe-naive-bayes`` in ``benchmarks/results/detection.md``). scikit-learn's
:class:`~sklearn.naive_bayes.MultinomialNB` offers only probabilities, which sit
within a hair of 0 or 1 for most long documents. Fitted on them,
:class:`~sklearn.calibration.CalibratedClassifierCV`'s sigmoid squashes those
documents together and the ranking is lost (ROC AUC 0.9964 fell to 0.9718 on
``outfox-clean``, BPE 3-5-grams); the log-odds keep it, so the class here gives
them as ``decision_function``, which calibration and ``scoring="roc_auc"`` read
first.

Its ``evidence="positive"`` option scores a document only by what it shares with
the positive class (the machine), never by lacking what the other class's training
texts had; ``benchmarks/domain_shift.py`` shows why that carries to another domain
where the full model does not.
"""

import numpy as np
from sklearn.naive_bayes import MultinomialNB
from sklearn.utils.extmath import safe_sparse_dot
from sklearn.utils.validation import check_is_fitted

from ._base import StrOptions
from ._validation import check_binary_target, check_feature_matrix

__all__ = ["LogOddsMultinomialNB"]

# What an error suggests putting before the classifier when it is given text.
_VECTORIZER = ("TfidfVectorizer()", "bpe-naive-bayes")


class LogOddsMultinomialNB(MultinomialNB):
    """Multinomial naive Bayes with a ``decision_function``: the log-odds.

    The same estimator as scikit-learn's :class:`~sklearn.naive_bayes.MultinomialNB`
    (same parameters, same fit, same probabilities), plus ``decision_function``:
    for two classes, the log-odds of the second class against the first, the
    quantity that ``predict_proba`` squashes to within a hair of 0 or 1 on long
    documents. :class:`~sklearn.calibration.CalibratedClassifierCV` and
    ``scoring="roc_auc"`` use ``decision_function`` when there is one, so a
    calibrated naive Bayes keeps its ranking of documents instead of tying them.

    Parameters
    ----------
    alpha : float or array-like of shape (n_features,), default=1.0
        Additive (Laplace/Lidstone) smoothing; 0 for no smoothing.
    force_alpha : bool, default=True
        If False and ``alpha`` is below 1e-10, it is set to 1e-10; if True, it is
        used as given.
    fit_prior : bool, default=True
        Whether to learn the class prior probabilities; if False, they are uniform.
    class_prior : array-like of shape (n_classes,), default=None
        Prior probabilities of the classes, not adjusted to the data.
    evidence : {"both", "positive"}, default="both"
        Which features count. ``"both"``: all, as in naive Bayes. ``"positive"``:
        only those likelier under the positive class ``classes_[1]`` (the
        machine, with labels 0 = human and 1 = machine); the others count for
        neither class. A document then scores high for what it shares with the
        positive class's training texts, never for lacking what the other
        class's texts had. Trained on student essays, the full model reads "no
        student's spelling or phrasing" as a sign of the machine, which is wrong
        for human texts of another domain; the positive evidence carries better
        (``benchmarks/results/domain_shift.md``). The probabilities are then
        those of a one-sided score, to be calibrated.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    class_count_ : ndarray of shape (n_classes,)
        The number of training samples of each class (weighted).
    class_log_prior_ : ndarray of shape (n_classes,)
        Smoothed empirical log probability of each class.
    feature_count_ : ndarray of shape (n_classes, n_features)
        The sum of each feature over the samples of each class; float32 when
        ``X`` was (half the memory of scikit-learn's float64, on n-gram
        vocabularies of millions of columns), else float64.
    feature_log_prob_ : ndarray of shape (n_classes, n_features)
        Empirical log probability of the features given a class, of the same type.
    n_features_in_ : int
        Number of features seen during fit.

    See Also
    --------
    sklearn.naive_bayes.MultinomialNB : The estimator this one extends.
    make_detector : ``"bpe-naive-bayes"`` is this classifier, calibrated, over
        TF-IDF of BPE 3-5-grams.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_aidetect import LogOddsMultinomialNB
    >>> X = np.array([[3, 0, 1], [2, 1, 0], [0, 3, 2], [1, 2, 3]])
    >>> model = LogOddsMultinomialNB(alpha=0.5).fit(X, [0, 0, 1, 1])
    >>> model.decision_function([[4, 0, 0], [0, 4, 4]]).round(2)
    array([-6.74,  7.31])

    Two long documents that ``predict_proba`` ties, and the log-odds that rank them:

    >>> long_documents = [[0, 40, 40], [1, 30, 40]]
    >>> model.predict_proba(long_documents)[:, 1]
    array([1., 1.])
    >>> model.decision_function(long_documents).round(1)
    array([73.1, 62.3])

    With ``evidence="positive"``, a document made of what the first class's texts
    had (the first one here) gets no score for it:

    >>> machine_side = LogOddsMultinomialNB(alpha=0.5, evidence="positive")
    >>> machine_side.fit(X, [0, 0, 1, 1])
    LogOddsMultinomialNB(alpha=0.5, evidence='positive')
    >>> machine_side.decision_function([[4, 0, 0], [0, 4, 4]]).round(2)
    array([0.  , 7.31])
    """

    _parameter_constraints: dict = {
        **MultinomialNB._parameter_constraints,
        "evidence": [StrOptions({"both", "positive"})],
    }

    def __init__(
        self,
        *,
        alpha=1.0,
        force_alpha=True,
        fit_prior=True,
        class_prior=None,
        evidence="both",
    ):
        super().__init__(
            alpha=alpha,
            force_alpha=force_alpha,
            fit_prior=fit_prior,
            class_prior=class_prior,
        )
        self.evidence = evidence

    def fit(self, X, y, sample_weight=None):
        """Fit naive Bayes to a feature matrix and labels of two classes.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Non-negative feature counts (or TF-IDF values), one row per document.
        y : array-like of shape (n_samples,)
            Labels of exactly two classes (e.g. 0 = human, 1 = machine).
        sample_weight : array-like of shape (n_samples,), default=None
            Weights applied to individual samples.

        Returns
        -------
        self : LogOddsMultinomialNB
            The fitted classifier.
        """
        check_feature_matrix(X, estimator=self, vectorizer=_VECTORIZER)
        y = check_binary_target(y, estimator=self)
        super().fit(X, y, sample_weight=sample_weight)
        if getattr(X, "dtype", None) == np.float32:
            # MultinomialNB counts in float64 whatever X is; the arrays are as long as
            # the vocabulary, and float32 scores the same documents the same way.
            self.feature_count_ = self.feature_count_.astype(np.float32)
            self.feature_log_prob_ = self.feature_log_prob_.astype(np.float32)
        return self

    def decision_function(self, X):
        """Compute the log-odds of the second class against the first.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Non-negative feature counts (or TF-IDF values), one row per document.

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            The log-odds of ``classes_[1]`` against ``classes_[0]``: positive
            where the second class is the likelier. Fitted on more classes
            through ``partial_fit``, it is each class's joint log-likelihood, of
            shape (n_samples, n_classes).
        """
        check_is_fitted(self)
        joint = self.predict_joint_log_proba(X)
        if joint.shape[1] == 2:
            return joint[:, 1] - joint[:, 0]
        return joint

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False  # fit refuses other than 2 classes
        return tags

    def _joint_log_likelihood(self, X):
        # scikit-learn's hook behind every predict method: log P(c) + log P(x|c).
        if self.evidence == "both":
            return super()._joint_log_likelihood(X)
        if len(self.classes_) != 2:
            raise ValueError(
                f'evidence="positive" needs two classes; this model has '
                f"{len(self.classes_)}. Use evidence='both'."
            )
        # A feature likelier under classes_[0] gets classes_[1]'s probability there
        # too: it then adds the same to both classes, so its log-ratio is 0.
        log_prob = self.feature_log_prob_.copy()
        np.minimum(log_prob[0], log_prob[1], out=log_prob[0])
        return safe_sparse_dot(X, log_prob.T) + self.class_log_prior_

    def _check_X(self, X):
        # scikit-learn's naive Bayes passes X through this hook in every predict
        # method; the library's check first names text or an empty matrix plainly.
        check_feature_matrix(X, estimator=self, vectorizer=_VECTORIZER)
        return super()._check_X(X)
