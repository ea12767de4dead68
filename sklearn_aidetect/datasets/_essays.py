"""Synthetic essays: :func:`make_essays` and the writer that assembles them.

An essay is put together sentence by sentence from the templates and word lists of
``essay_words.json``, package data next to this module (read once, when this module
is imported), by :class:`_Writer`, which draws every choice from one seeded stream of
random numbers: the same ``random_state`` gives the same essays, byte for byte, in
any process and on any Python version.
"""

import json
import random
import re
from importlib import resources
from numbers import Integral

import numpy as np
from sklearn.utils import check_random_state

from .._base import Interval, validate_params

__all__ = ["make_essays"]

# Every sentence of essay_words.json was written for this module. An essay is a
# sequence of sentences, each drawn from a template of a "role" (hook, thesis, reason,
# example, counterargument, aside, closer) in one of two registers: informal ("_h",
# the way a student writes in a hurry) or formal ("_f", the stock register of a chat
# assistant). Templates hold {slots}, filled from the essay's topic or from the shared
# word lists. Each essay draws its own share of formal sentences, of sloppiness
# (typos, dropped apostrophes, lowercase "i", run-on sentences) and of paragraph
# structure, from distributions that differ by class but overlap: the classes are
# told apart by tendencies, as real detectors must, and not by any single marker.


def _load_words():
    """The word lists of essay_words.json: shared slots, templates and topics."""
    path = resources.files(__package__) / "essay_words.json"
    return json.loads(path.read_text(encoding="utf-8"))


# JSON keeps the order of keys and lists, which the essays depend on; every list
# holds strings, compiled below into tuples.
_WORDS = _load_words()
# Fillers any topic may use ({relative}, {friend}, {time_ago}, ...).
_SHARED_SLOTS = _WORDS["shared_slots"]
# Sentences by role and register ("hook_f", "hook_h", ..., "closer_h").
_TEMPLATES = _WORDS["templates"]
# The ten topics, each with its own slots; the file names them by their subject.
_TOPICS = list(_WORDS["topics"].values())

# Slots filled from the formal or the informal list of the topic: mostly in the
# register of their sentence, sometimes in the other (people mix registers). The
# claim_f and claim_h lists of a topic are in step: an essay takes one position,
# claim_f[i] when formal and claim_h[i] when not, and keeps it to its end.
_REGISTERED_SLOTS = ("claim", "reason", "counter")
_EXAMPLE_SLOT = "example"  # always in the sentence's register: anecdotes stay personal

_SLOT = re.compile(r"\{(\w+)\}")


def _compile(template):
    """Split a template into literal text (even positions) and slot names (odd)."""
    return tuple(_SLOT.split(template))


_COMPILED_TEMPLATES = {
    role: [_compile(t) for t in templates] for role, templates in _TEMPLATES.items()
}
# One table of slots per topic: the topic's own lists over the shared ones.
_TOPIC_SLOTS = [
    {
        name: [_compile(value) for value in values]
        for name, values in {**_SHARED_SLOTS, **topic}.items()
    }
    for topic in _TOPICS
]


def _swap(word, i):
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def _drop(word, i):
    return word[:i] + word[i + 1 :]


# Misspellings students make often, built from the correct words so that no
# misspelled word sits in the source.
_MISSPELLINGS = {
    "because": _swap("because", 3),
    "their": _swap("their", 2),
    "believe": _swap("believe", 3),
    "different": _drop("different", 4),
    "friends": _swap("friends", 2),
    "friend": _swap("friend", 2),
    "really": _drop("really", 3),
    "probably": _drop("probably", 5),
    "environment": _drop("environment", 6),
    "until": "until" + "l",
    "a lot": "alot",
    "too": "to",
    "you're": "your",
}
_MISSPELLABLE = re.compile(
    r"\b(?:" + "|".join(re.escape(word) for word in _MISSPELLINGS) + r")\b"
)
_CONTRACTION = re.compile(r"\b(\w+)'(t|s|m|re|ve|ll|d)\b")
_PRONOUN_I = re.compile(r"(?<= )I\b")


class _Writer:
    """Draws the essays of one call of :func:`make_essays` from one seeded stream.

    Only ``random.Random.random`` is used (its output for an integer seed is fixed
    across Python versions and processes); sets only answer membership, so neither
    ``hash()`` nor set order can change an essay.
    """

    def __init__(self, seed):
        self.random = random.Random(seed).random
        self.used = set()  # the templates and fillers the current essay has used

    def pick(self, options):
        return options[int(self.random() * len(options))]

    def pick_fresh(self, options):
        """Pick an option the essay has not used yet, while there is one."""
        choice = options[int(self.random() * len(options))]
        if choice in self.used:
            fresh = [option for option in options if option not in self.used]
            if fresh:
                choice = fresh[int(self.random() * len(fresh))]
        self.used.add(choice)
        return choice

    def expand(self, parts, slots, p_formal_fill):
        if len(parts) == 1:
            return parts[0]
        out = [parts[0]]
        for index in range(1, len(parts), 2):
            name = parts[index]
            if name in _REGISTERED_SLOTS:
                name += "_f" if self.random() < p_formal_fill else "_h"
            elif name == _EXAMPLE_SLOT:
                name += "_f" if p_formal_fill > 0.5 else "_h"
            filler = self.pick_fresh(slots[name])
            out.append(self.expand(filler, slots, p_formal_fill))
            out.append(parts[index + 1])
        return "".join(out)

    def sentence(self, role, slots, formality):
        formal = self.random() < formality
        templates = _COMPILED_TEMPLATES[role + ("_f" if formal else "_h")]
        template = self.pick_fresh(templates)
        text = self.expand(template, slots, 0.9 if formal else 0.1)
        return text[0].upper() + text[1:]

    def essay(self, machine):
        rand = self.random
        self.used.clear()
        slots = self.pick(_TOPIC_SLOTS)
        position = int(rand() * len(slots["claim_f"]))
        slots = {
            **slots,
            "claim_f": [slots["claim_f"][position]],
            "claim_h": [slots["claim_h"][position]],
        }
        u = rand()
        # Share of formal sentences: mostly formal for machine essays, mostly
        # informal for human ones, with a wide overlap in the middle.
        formality = 1 - 0.6 * u * u if machine else 0.05 + 0.6 * u * u
        if machine:
            sloppiness = 0.3 * rand() if rand() < 0.12 else 0.0
        else:
            sloppiness = 0.0 if rand() < 0.3 else 0.2 + 0.8 * rand()
        structured = rand() < 0.15 + 0.75 * formality

        def sentences(roles):
            return [self.sentence(role, slots, formality) for role in roles]

        if structured:
            intro = ["hook", "thesis"] + (["aside"] if rand() < 0.3 else [])
            n_body = 2 + (rand() < 0.5)
            body = [
                ["reason"]
                + [
                    self.pick(("reason", "example", "aside", "example"))
                    for _ in range(2)
                ]
                + (["counter"] if rand() < 0.25 else [])
                for _ in range(n_body)
            ]
            outro = ["closer"] + (["aside"] if rand() < 0.5 else [])
        else:
            intro = self.pick(
                (["hook"], ["thesis"], ["hook", "thesis"], ["hook", "aside", "thesis"])
            )
            n_body = 1 + int(rand() * 3)
            body = [
                [
                    self.pick(("reason", "reason", "example", "aside", "counter"))
                    for _ in range(2 + int(rand() * 4))
                ]
                for _ in range(n_body)
            ]
            outro = self.pick((["closer"], ["closer", "aside"], [], ["aside"]))
        body = [sentences(roles) for roles in body]
        paragraphs = [sentences(intro), *body]
        if outro:
            paragraphs.append(sentences(outro))
        self._fit_length(paragraphs, body, slots, formality)
        if sloppiness:
            paragraphs = [self._run_on(p, sloppiness) for p in paragraphs]
        text = "\n\n".join(" ".join(p) for p in paragraphs)
        if sloppiness:
            text = self._sloppy(text, sloppiness)
        return text

    def _fit_length(self, paragraphs, body, slots, formality):
        """Add or drop body sentences to reach a length drawn the same for all.

        The length is measured as characters plus 6 per word, so that neither the
        number of words (larger in the short words of informal essays) nor the number
        of characters (larger in formal ones) gives the class away. Every essay ends
        with 85 to 340 words.
        """
        rand = self.random
        target = 11.5 * (70 + 120 * (rand() + rand()))
        n_words = sum(s.count(" ") + 1 for p in paragraphs for s in p)
        size = sum(len(s) for p in paragraphs for s in p) + 6 * n_words

        def add():
            role = self.pick(("reason", "example", "aside"))
            sentence = self.sentence(role, slots, formality)
            self.pick(body).append(sentence)
            n_added = sentence.count(" ") + 1
            return n_added, len(sentence) + 6 * n_added

        def drop():
            longest = max(body, key=len)
            if len(longest) == 1:
                return 0, 0
            sentence = longest.pop()
            n_dropped = sentence.count(" ") + 1
            return -n_dropped, -(len(sentence) + 6 * n_dropped)

        while size > target + 60:
            change = drop()
            if not change[0]:
                break
            n_words, size = n_words + change[0], size + change[1]
        while size < target or n_words < 85:
            change = add()
            n_words, size = n_words + change[0], size + change[1]
        while n_words > 340:
            change = drop()
            if not change[0]:
                break
            n_words, size = n_words + change[0], size + change[1]

    def _run_on(self, paragraph, sloppiness):
        """Join some neighbouring sentences into one, as hurried writers do."""
        joined = [paragraph[0]]
        for sentence in paragraph[1:]:
            previous = joined[-1]
            if previous.endswith(".") and self.random() < 0.3 * sloppiness:
                glue = self.pick((",", " and", " so", ",", ""))
                joined[-1] = (
                    f"{previous[:-1]}{glue} {sentence[0].lower()}{sentence[1:]}"
                )
            else:
                joined.append(sentence)
        return joined

    def _sloppy(self, text, sloppiness):
        rand = self.random
        if rand() < 0.6 * sloppiness:
            text = _PRONOUN_I.sub(lambda m: "i" if rand() < 0.9 else "I", text)
        if rand() < sloppiness:
            text = _CONTRACTION.sub(
                lambda m: m[1] + m[2] if rand() < 0.7 else m[0], text
            )
        p_misspell = 0.5 * sloppiness
        text = _MISSPELLABLE.sub(
            lambda m: _MISSPELLINGS[m[0]] if rand() < p_misspell else m[0], text
        )
        words = text.split(" ")
        for _ in range(int(rand() * 5 * sloppiness + 0.5)):
            index = int(rand() * len(words))
            word = words[index]
            if len(word) >= 4 and word.isalpha():
                words[index] = self._typo(word)
        return " ".join(words)

    def _typo(self, word):
        i = 1 + int(self.random() * (len(word) - 2))  # never the first letter
        kind = self.random()
        if kind < 0.45 and i < len(word) - 1:
            return _swap(word, i)
        if kind < 0.8:
            return _drop(word, i)
        return word[: i + 1] + word[i:]


# n_samples >= 2: one essay of each class. The weights' own rules (a pair of
# non-negative shares summing to 1) are _check_weights's, with messages that say which.
@validate_params(
    {
        "n_samples": [Interval(Integral, 2, None, closed="left")],
        "weights": "no_validation",
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_essays(n_samples=1000, *, weights=None, random_state=None):
    """Make a synthetic corpus of short school essays, labelled human or machine.

    The corpus is synthetic: every essay is assembled by this module's own code from
    templates and word lists written for it; no text is copied from any dataset. It
    is meant for demos, examples and tests (it is small, fast and free to ship),
    **not** for judging a detector: a score on it says nothing about real
    machine-generated text.

    The essays discuss ten school-essay topics (phones and driving, car-free cities,
    summer projects, distance learning, extracurricular activities, community
    service, asking several people for advice, a four-day school week, school
    uniforms, homework limits), in two or more paragraphs separated by ``"\\n\\n"``
    and of about 80 to 350 words. "Human" essays lean to an informal register:
    first-person anecdotes, contractions, sentences of uneven length, and in many
    essays typos, missing apostrophes, a lowercase "i" and run-on sentences.
    "Machine" essays lean to a formal register: stock transitions ("Furthermore",
    "In conclusion", "it is essential"), balanced paragraphs. The classes overlap on
    purpose: each essay draws its own mix of both registers, the topics and lengths
    are shared, and some human essays are tidy while a few machine ones are not, so a
    word TF-IDF and logistic regression reach a cross-validated ROC AUC of about
    0.95, not 1.

    Parameters
    ----------
    n_samples : int, default=1000
        The number of essays, at least 2.
    weights : array-like of shape (2,), default=None
        The shares ``(w_human, w_machine)`` of the two classes: non-negative and
        summing to 1. None means balanced. There are exactly
        ``round(n_samples * w_machine)`` machine essays (Python's ``round``: a half
        goes to the even number) and the rest are human; each class must get at
        least one essay.
    random_state : int, RandomState instance or None, default=None
        Controls the essays and their order. Pass an int for the same corpus on
        every call, in any process.

    Returns
    -------
    texts : list of str
        The essays, in random order.
    labels : ndarray of shape (n_samples,), dtype=int64
        0 for a human-style essay, 1 for a machine-style one.

    See Also
    --------
    load_csv : Load a real labelled corpus from a CSV file.

    Examples
    --------
    >>> from sklearn_aidetect.datasets import make_essays
    >>> texts, labels = make_essays(4, random_state=0)
    >>> labels
    array([1, 1, 0, 0])
    >>> print(texts[0].splitlines()[0])
    Many people have strong opinions about asking more than one person for advice,
    and for good reason. After careful consideration, it becomes clear that
    consulting several individuals provides a more complete perspective.
    >>> print(texts[2].splitlines()[0])
    Many people have strong opinions about taking classes from home, and for good
    reason. I've thought about it a lot and online school is fine for some people
    but it was terrible for me.

    Unequal classes:

    >>> texts, labels = make_essays(10, weights=[0.8, 0.2], random_state=0)
    >>> int(labels.sum())
    2
    """
    w_machine = _check_weights(weights)
    n_machine = round(n_samples * w_machine)
    n_human = n_samples - n_machine
    if not n_machine or not n_human:
        raise ValueError(
            f"make_essays: n_samples={n_samples} with weights={weights!r} gives "
            f"{n_human} human and {n_machine} machine essays; each class needs at "
            "least one. Raise n_samples or make both weights larger."
        )
    rng = check_random_state(random_state)
    labels = rng.permutation(
        np.repeat(np.array([0, 1], dtype=np.int64), [n_human, n_machine])
    )
    writer = _Writer(int(rng.randint(np.iinfo(np.int32).max)))
    texts = [writer.essay(machine=bool(label)) for label in labels]
    return texts, labels


def _check_weights(weights):
    """Return the machine share of ``weights`` (None: balanced), after checks."""
    if weights is None:
        return 0.5
    fix = (
        "Pass two non-negative shares (w_human, w_machine) that sum to 1, e.g. "
        "weights=[0.7, 0.3], or None for balanced classes."
    )
    if isinstance(weights, (str, bytes)):
        raise ValueError(f"make_essays: weights={weights!r} is not a pair. {fix}")
    try:
        values = [float(w) for w in weights]
    except (TypeError, ValueError):
        raise ValueError(
            f"make_essays: weights must be a pair of numbers, got {weights!r}. {fix}"
        ) from None
    if len(values) != 2:
        raise ValueError(
            f"make_essays: weights must hold 2 shares (human, machine), got "
            f"{len(values)}: {weights!r}. {fix}"
        )
    if not all(np.isfinite(values)) or min(values) < 0:
        raise ValueError(
            f"make_essays: weights must be non-negative numbers, got {values}. {fix}"
        )
    if abs(sum(values) - 1) > 1e-6:
        raise ValueError(
            f"make_essays: weights must sum to 1, got {values} (sum {sum(values):g}). "
            f"{fix}"
        )
    return values[1]
