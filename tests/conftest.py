"""Small corpora and settings shared by the tests.

Every text here was written for these tests; the real corpora in ``../shared/data``
are used only by tests marked ``shared_data``, which are skipped when that folder is
absent.
"""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests must be as repeatable as the rest of the suite.
settings.register_profile(
    "deterministic",
    derandomize=True,
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("deterministic")

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"

# Casual, personal writing (label 0) and stock, formal phrasing (label 1).
HUMAN_TEXTS = [
    "honestly i think summer break should be longer, we barely get time to rest",
    "My mom says phones in class are bad but i use mine to look stuff up alot",
    "I dont really agree with the new rule cause it makes lunch way too short.",
    "last year our team lost every game but we still had fun on the bus rides",
    "Some kids like online school, I hated it, my wifi kept dropping out lol",
    "my grandpa grew up on a farm and he says hard work beats being smart",
    "We should get to pick our own projects, thats when people actually try.",
    "The bus was late again today so i missed first period and the quiz too",
    "i guess community service is ok but forcing it kind of ruins the point",
    "When my sister started driving she got lost like three times in one week",
    "Teachers give to much homework on weekends and then wonder why we're tired",
    "our school garden was a mess until a few of us started watering it daily",
]
MACHINE_TEXTS = [
    "In conclusion, extending summer break offers numerous benefits for students.",
    "Furthermore, mobile devices can serve as valuable educational tools.",
    "It is important to consider the potential drawbacks of a shorter lunch period.",
    "Additionally, participation in team sports fosters collaboration and resilience.",
    "Online learning provides flexibility; however, it also presents challenges.",
    "Moreover, hard work and perseverance are essential qualities for success.",
    "Ultimately, allowing students to choose their projects enhances engagement.",
    "Overall, reliable transportation plays a crucial role in student achievement.",
    "In summary, mandatory community service can cultivate civic responsibility.",
    "Furthermore, new drivers benefit significantly from structured practice.",
    "It is essential to strike a balance between homework and well-being.",
    "Additionally, school gardens provide valuable hands-on learning opportunities.",
]


@pytest.fixture(scope="session")
def corpus():
    """Twenty-four short documents, half of each class."""
    return HUMAN_TEXTS + MACHINE_TEXTS


@pytest.fixture(scope="session")
def labels():
    return [0] * len(HUMAN_TEXTS) + [1] * len(MACHINE_TEXTS)


@pytest.fixture(scope="session")
def shared_data():
    """The folder of shared corpora; tests that need it skip when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"{SHARED_DATA} is absent (the shared corpora are not shipped)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def outfox_clean_auc(shared_data):
    """ROC AUC of a detector on a quarter of the outfox-clean task (fast enough)."""
    import csv
    import gzip

    from sklearn.metrics import roc_auc_score

    csv.field_size_limit(2**31 - 1)
    with gzip.open(shared_data / "outfox_essays.csv.gz", "rt", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["attack"] == "none"]
    train = [r for r in rows if r["split"] == "valid"][::4]
    test = [r for r in rows if r["split"] == "test"][::4]

    def score(detector):
        detector.fit([r["text"] for r in train], [int(r["label"]) for r in train])
        scores = detector.predict_proba([r["text"] for r in test])[:, 1]
        return roc_auc_score([int(r["label"]) for r in test], scores)

    return score


def outputs_of_fresh_processes(script, runs):
    """The printed words of ``script`` run in ``runs`` new Python processes.

    The script can import the test modules. Anything seeded per process (Python's
    string hash, Rust's hash maps) differs between the runs.
    """
    setup = f"import sys\nsys.path.insert(0, {str(Path(__file__).parent)!r})\n"
    code = setup + textwrap.dedent(script)
    return [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.split()
        for _ in range(runs)
    ]


def write_csv(path, header, rows):
    """Write a CSV file of ``header`` and ``rows`` as a user's spreadsheet would."""
    import csv

    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def rewrite_manifest(path, change):
    """Edit the manifest of a saved model, keeping its payload and checksum."""
    import json
    import struct

    from sklearn_aidetect import read_manifest
    from sklearn_aidetect.persistence import _MARKER

    data = path.read_bytes()
    manifest = read_manifest(path)
    payload = data[: manifest["payload_bytes"]]
    change(manifest)
    trailer = json.dumps(manifest).encode()
    path.write_bytes(payload + trailer + struct.pack("<Q", len(trailer)) + _MARKER)


# The members of the detectors that vote: (member name, detector name).
ENSEMBLE_MEMBERS = {
    "tfidf-wordchar-bpe": [("wordchar", "tfidf-wordchar"), ("bpe", "bpe-naive-bayes")],
    # Its bpe member is bpe-naive-bayes with a vote of two naive Bayes models; the
    # tokenizer and vectorizer settings are the same.
    "tfidf-cross-domain": [("wordchar", "tfidf-wordchar"), ("bpe", "bpe-naive-bayes")],
    "wordchar-transformer": [
        ("ngrams", "tfidf-wordchar"),
        ("transformer", "bpe-transformer"),
    ],
}


def ensemble_settings(settings, name):
    """The settings of the voting detector ``name``, from those of its members.

    ``settings`` maps detector names to parameter dicts; the ensemble's members are
    whole detectors, so their parameters sit one level down in its VotingClassifier.
    """
    return {
        f"classifier__{member}__{key}": value
        for member, detector in ENSEMBLE_MEMBERS[name]
        for key, value in settings[detector].items()
    }


def make_tiny_preset(folder, num_layers=1, hidden_dim=8, max_sequence_length=64):
    """A randomly initialised BERT-style keras-hub preset in ``folder``.

    About a thousand parameters and a vocabulary of the words of the corpus here,
    written with ``save_to_preset`` as a real preset is: what the pretrained
    transformer tests load (nothing is downloaded).
    """
    import re

    import keras_hub

    words = sorted(
        {w for text in HUMAN_TEXTS + MACHINE_TEXTS for w in re.findall(r"\w+", text)}
    )
    vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    vocabulary += sorted({w.lower() for w in words} | set(".,;'"))
    keras_hub.models.BertBackbone(
        vocabulary_size=len(vocabulary),
        num_layers=num_layers,
        num_heads=1,
        hidden_dim=hidden_dim,
        intermediate_dim=2 * hidden_dim,
        max_sequence_length=max_sequence_length,
    ).save_to_preset(str(folder))
    keras_hub.models.BertTokenizer(
        vocabulary=vocabulary, lowercase=True
    ).save_to_preset(str(folder))
    return Path(folder)


@pytest.fixture(scope="session")
def tiny_preset(tmp_path_factory):
    """A tiny random BERT preset directory (needs the ``hub`` extra)."""
    pytest.importorskip("keras_hub")
    return make_tiny_preset(tmp_path_factory.mktemp("tiny-bert-preset"))
