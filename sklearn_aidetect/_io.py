"""Writing files so that a user's existing file is never half-overwritten."""

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

__all__ = ["atomic_output", "atomic_write_text", "check_writable"]


def check_writable(path, *, overwrite):
    """Fail early, before any long work, if ``path`` cannot be written.

    Raises
    ------
    FileExistsError
        If ``path`` exists and ``overwrite`` is False.
    FileNotFoundError
        If the folder of ``path`` does not exist.
    IsADirectoryError
        If ``path`` is a folder.
    """
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(
            f"cannot write {path}: it is a folder; give a file name."
        )
    if not overwrite and path.exists():
        raise FileExistsError(
            f"{path} already exists; pass overwrite=True (--force on the command "
            "line) to replace it."
        )
    if not path.parent.is_dir():
        raise FileNotFoundError(
            f"cannot write {path}: folder {path.parent} does not exist; "
            "create it first."
        )
    return path


@contextmanager
def atomic_output(path, *, overwrite=True, binary=False):
    """Open a temporary file beside ``path``; rename it to ``path`` on success.

    The body of the ``with`` block writes to the yielded handle. If it raises (or is
    interrupted), the temporary file is removed and any previous file at ``path`` is
    left untouched.
    """
    path = check_writable(path, overwrite=overwrite)
    # The temporary file sits in the same folder, so the rename never crosses devices.
    fd, tmp_name = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        mode = "wb" if binary else "w"
        encoding = None if binary else "utf-8"
        newline = None if binary else ""
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if not overwrite and path.exists():  # created by someone else meanwhile
            raise FileExistsError(f"{path} appeared while writing; not replacing it.")
        os.chmod(tmp_name, _new_file_mode(path))
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def _new_file_mode(path):
    """The permissions a plain ``open(path, "w")`` would leave: those of the file it
    replaces, else 0o666 less the umask (mkstemp's own 0o600 would hide the output
    from everyone else)."""
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


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
    with atomic_output(path, overwrite=overwrite) as handle:
        handle.write(text)
    return Path(path)
