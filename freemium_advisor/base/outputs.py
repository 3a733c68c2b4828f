"""Writing results: stdout for ``-``, otherwise an atomic replace, so that an interrupted
or failed run never leaves a half-written file, and an input file is never overwritten."""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from freemium_advisor.base.errors import InputError
from freemium_advisor.base.textfile import was_read

STDOUT = "-"


def write_output(text: str, path: str, *, inputs: tuple[str, ...] = ()) -> None:
    """Write ``text`` to ``path`` (``-`` for stdout) in one atomic step.

    See :func:`write_chunks`, which this is for a text made at once.
    """
    if path == STDOUT:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_chunks((text.encode("utf-8"),), path, inputs=inputs)


def write_chunks(chunks: Iterable[bytes], path: str, *, inputs: tuple[str, ...] = ()) -> None:
    """Write UTF-8 ``chunks`` as they are made to ``path`` (``-`` for stdout), in one atomic
    step: a large result never has to sit in memory whole.

    Writing over a file this run has read (any inventory, rule pack, template or
    configuration, and stdin when it is a file), or over one of ``inputs``, is refused:
    files are compared by device and inode, so no other name or link for them slips through.
    """
    if path == STDOUT:
        _write_stdout(chunks)
        return
    target = Path(path)
    if was_read(target) or any(_same_file(target, source) for source in inputs):
        raise InputError(path, None, None, "refusing to overwrite an input file; choose another output")
    try:
        mode = target.stat().st_mode
    except OSError:
        mode = None
    if mode is not None and stat.S_ISDIR(mode):
        raise InputError(path, None, None, "is a directory; name a file to write")
    if mode is not None and not stat.S_ISREG(mode):
        # /dev/stdout, /dev/null, a FIFO: a stream to write to, never a file to replace
        # (renaming over /dev/null would put a regular file in its place).
        _write_stream(chunks, path)
        return
    _replace(chunks, target, path)


def rewrite_file(data: bytes, path: str) -> None:
    """Replace the text of a file this run read with ``data``, in one atomic step: an edit in
    place, as ``--fix`` tools make (``ask`` writing answers into the inventory). Through a
    symlink, the file it points at is replaced."""
    _replace((data,), Path(path), path)


def _replace(chunks: Iterable[bytes], target: Path, path: str) -> None:
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(path, None, None, f"no such folder '{folder}'")
    if target.is_symlink():  # replace the file it points at, and keep the link
        target = Path(os.path.realpath(target))
        folder = target.parent
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise InputError(path, None, None, f"cannot write here: {exc.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            for chunk in chunks:
                stream.write(chunk)
            stream.flush()
            # On disk before the rename: after a crash the name holds the old or the new text.
            os.fsync(stream.fileno())
        # mkstemp creates 0600 files: give the result the mode a plain open() would have.
        os.chmod(temporary, target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask())
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise InputError(path, None, None, f"cannot write: {exc.strerror}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _write_stdout(chunks: Iterable[bytes]) -> None:
    sys.stdout.flush()
    binary = getattr(sys.stdout, "buffer", None)
    for chunk in chunks:
        if binary is not None:
            binary.write(chunk)
        else:  # a text-only stdout (a test's capture): decode as it goes
            sys.stdout.write(chunk.decode("utf-8"))
    sys.stdout.flush()


def _write_stream(chunks: Iterable[bytes], path: str) -> None:
    try:
        with open(path, "wb") as stream:
            for chunk in chunks:
                stream.write(chunk)
    except OSError as exc:
        raise InputError(path, None, None, f"cannot write: {exc.strerror}") from None


def _same_file(target: Path, source: str) -> bool:
    try:
        return source != STDOUT and target.exists() and target.samefile(source)
    except OSError:
        return False


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
