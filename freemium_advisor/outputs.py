"""Writing results: stdout for ``-``, otherwise an atomic replace, so that an interrupted
or failed run never leaves a half-written file, and an input file is never overwritten."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from freemium_advisor.errors import InputError

STDOUT = "-"


def write_output(text: str, path: str, *, inputs: tuple[str, ...] = ()) -> None:
    """Write ``text`` to ``path`` (``-`` for stdout) in one atomic step.

    ``inputs`` are the files the command read: writing over one of them is refused.
    """
    if path == STDOUT:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    target = Path(path)
    for source in inputs:
        if source != "-" and target.exists() and Path(source).exists() and target.samefile(source):
            raise InputError(path, None, None, "refusing to overwrite an input file; choose another output")
    if target.is_dir():
        raise InputError(path, None, None, "is a directory; name a file to write")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(path, None, None, f"no such folder '{folder}'")
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise InputError(path, None, None, f"cannot write here: {exc.strerror}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        # mkstemp creates 0600 files: give the result the mode a plain open() would have.
        os.chmod(temporary, target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask())
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise InputError(path, None, None, f"cannot write: {exc.strerror}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
