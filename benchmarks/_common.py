"""What the benchmark scripts share: data file, tables, description of the machine."""

import csv
import gzip
import os
import platform
from importlib.metadata import version
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data/outfox_essays.csv.gz"

# Detectors that need a pretrained preset directory (classifier__preset), which no
# machine of this project has: left out of the default rows (bench_hub.py measures
# their speed on random weights).
NEEDS_PRESET = {"bert-finetune"}


def load_rows(path):
    """The rows of a gzip-compressed CSV file of ``../shared/data``, as dicts."""
    csv.field_size_limit(2**31 - 1)
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def markdown(header, rows):
    """A markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def machine(*packages):
    """The platform, processor, core count, Python and the versions of ``packages``."""
    versions = ", ".join(f"{name} {version(name)}" for name in packages)
    return (
        f"{platform.platform()}, {_processor()}, {os.cpu_count()} CPU cores, Python "
        f"{platform.python_version()}, {versions}"
    )


def _processor():
    """The processor's model, with its family and model numbers where Linux says.

    Seeded networks train the same weights on one processor, not on every one
    (docs/neural.rst), so a table says which it was measured on.
    """
    try:
        first = Path("/proc/cpuinfo").read_text().split("\n\n")[0]
    except OSError:
        return platform.processor() or "unknown processor"
    fields = {
        key.strip(): value.strip()
        for key, _, value in (line.partition(":") for line in first.splitlines())
    }
    name = fields.get("model name", platform.processor() or "unknown processor")
    if "cpu family" in fields and "model" in fields:
        name += f" (family {fields['cpu family']}, model {fields['model']})"
    return name


def write_report(path, report):
    """Write ``report`` to ``path`` through a temporary file and a rename."""
    from sklearn_aidetect._io import atomic_write_text

    atomic_write_text(path, report + "\n")
