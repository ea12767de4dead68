"""Writing files so that a user's existing file is never half-overwritten."""

import os
import tempfile
from pathlib import Path

__all__ = ["atomic_write_text"]


def atomic_write_text(path, text, *, overwrite=True):
    """Write ``text`` to ``path`` through a temporary file and an atomic rename.

    An interrupted write leaves any previous file at ``path`` untouched.

    Raises
    ------
    FileExistsError
        If ``path`` exists and ``overwrite`` is False.
    FileNotFoundError
        If the folder of ``path`` does not exist.
    """
    path = Path(path)
    if not overwrite and path.exists():
        raise FileExistsError(
            f"{path} already exists; pass overwrite=True to replace it."
        )
    folder = path.parent
    if not folder.is_dir():
        raise FileNotFoundError(f"cannot write {path}: folder {folder} does not exist.")
    # The temporary file sits in the same folder, so the rename never crosses devices.
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return path
