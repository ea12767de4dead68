"""What the benchmark scripts share: data file, tables, description of the machine."""

import csv
import gzip
import os
import platform
from importlib.metadata import version
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data/outfox_essays.csv.gz"


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
    """The platform, core count, Python and the versions of ``packages``."""
    versions = ", ".join(f"{name} {version(name)}" for name in packages)
    return (
        f"{platform.platform()}, {os.cpu_count()} CPU cores, Python "
        f"{platform.python_version()}, {versions}"
    )


def write_report(path, report):
    """Write ``report`` to ``path`` through a temporary file and a rename."""
    from sklearn_aidetect._io import atomic_write_text

    atomic_write_text(path, report + "\n")
