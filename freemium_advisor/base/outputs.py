"""Writing results: stdout for ``-``, otherwise an atomic replace, so that an interrupted
or failed run never leaves a half-written file, and an input file is never overwritten.

Stdout is written whatever it is: text its encoding cannot hold (a cp1252 pipe,
``PYTHONIOENCODING=ascii``) is written as ``\\uXXXX`` escapes instead of failing; a reader
that goes away (``analyze | head``) ends the run quietly (:class:`ClosedPipe`); a full or
failing device is one line of bad output and exit 2.

A temporary file is named after its target and its writer's process id
(``.advice.json.<pid>.<random>.tmp``) and locked while it is written: SIGTERM and SIGINT
remove it (:class:`Interrupted`), and one left behind by a writer killed outright (SIGKILL,
a power cut) is recognised and removed by the next write to the same path.
"""

from __future__ import annotations

import codecs
import errno
import io
import os
import re
import signal
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from freemium_advisor.base.errors import InputError
from freemium_advisor.base.textfile import was_read

try:  # POSIX: a writer holds a lock on its temporary file until it is renamed
    import fcntl
except ImportError:  # pragma: no cover - Windows: the writer's process id alone decides
    fcntl = None

STDOUT = "-"
STDOUT_NAME = "<stdout>"
ESCAPE_ERRORS = "freemium-advisor-escape"
# The shell's status for a process its signal ended: 128 + the signal's number.
SIGNAL_EXIT_BASE = 128
SIGPIPE_NUMBER = 13  # the same on every POSIX system; Windows has no SIGPIPE to read it from


class ClosedPipe(Exception):
    """Stdout's reader went away (``analyze | head``): nothing more can be written."""


class StdoutFailed(InputError):
    """A write to stdout failed (a full device, an I/O error): bad output, exit 2."""


class Interrupted(BaseException):
    """SIGTERM or SIGINT arrived: the run stops, removing any temporary file on the way.

    A ``BaseException``, as ``KeyboardInterrupt`` is, so that no ``except Exception`` on the
    way takes it for an error of the input."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum

    @property
    def status(self) -> int:
        """The conventional exit status: 128 + the signal's number (143 for SIGTERM)."""
        return SIGNAL_EXIT_BASE + self.signum


def _escape_unencodable(error: UnicodeError) -> tuple[str, int]:
    """A codec error handler: each character the encoding lacks as a ``\\uXXXX`` escape
    (a surrogate pair above U+FFFF), which is also what JSON would write for it."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    escapes = []
    for character in error.object[error.start:error.end]:
        code = ord(character)
        if code > 0xFFFF:
            code -= 0x10000
            escapes.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            escapes.append(f"\\u{code:04x}")
    return "".join(escapes), error.end


codecs.register_error(ESCAPE_ERRORS, _escape_unencodable)


class _GuardedStdout:
    """Stdout for the length of a run: a write that fails says why in one line (or ends the
    run quietly when the reader has gone), whoever writes (a format, ``--help``, a message)."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as exc:
            raise stdout_failure(exc) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            raise stdout_failure(exc) from None

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def stdout_failure(exc: OSError) -> Exception:
    """What a failed write to stdout means: :class:`ClosedPipe`, or one line of bad output."""
    if isinstance(exc, BrokenPipeError) or exc.errno in (errno.EPIPE, errno.EINVAL):
        # EINVAL: what Windows says when the pipe's reader has closed it.
        return ClosedPipe()
    return StdoutFailed(STDOUT_NAME, None, None, f"cannot write: {exc.strerror or exc}")


@contextmanager
def guarded_stdout() -> Iterator[None]:
    """Within the block, stdout and stderr escape what their encoding cannot hold, and a
    write to stdout that fails raises :class:`ClosedPipe` or :class:`InputError`."""
    for stream in (sys.stdout, sys.stderr):
        # A user's own choice (PYTHONIOENCODING=ascii:replace) is kept; only failing is not.
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors=ESCAPE_ERRORS)
    original = sys.stdout
    sys.stdout = _GuardedStdout(original)
    try:
        yield
    finally:
        sys.stdout = original


def abandon_stdout() -> None:
    """After a failed write, point stdout at the null device: what is still buffered must
    not fail again (and print a traceback) when Python flushes it at exit."""
    try:
        descriptor = sys.stdout.fileno()
    except (OSError, ValueError):  # not a real file (a test runner's capture)
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, descriptor)
    finally:
        os.close(null)


@contextmanager
def signals_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM and SIGINT raise :class:`Interrupted`, so that the write in
    progress removes its temporary file before the run exits with 128 + the signal."""

    def interrupt(signum, frame):
        raise Interrupted(signum)

    previous = {}
    for signum in (signal.SIGTERM, signal.SIGINT):
        try:
            previous[signum] = signal.signal(signum, interrupt)
        except ValueError:  # not the main thread (an embedding application's worker)
            pass
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def write_output(
    text: str, path: str, *, inputs: tuple[str, ...] = (), replacing: str | None = None,
) -> None:
    """Write ``text`` to ``path`` (``-`` for stdout) in one atomic step.

    See :func:`write_chunks`, which this is for a text made at once.
    """
    if path == STDOUT:
        _write_stdout((text.encode("utf-8"),))
        return
    write_chunks((text.encode("utf-8"),), path, inputs=inputs, replacing=replacing)


def write_outputs(
    outputs: Sequence[tuple[str, str]], *, inputs: tuple[str, ...] = (), replacing: str | None = None,
) -> None:
    """Write each ``(text, path)`` of one run, all or none: every file is checked and written
    whole to its temporary file; then the streams, which cannot be staged (stdout as ``-``,
    a device, a FIFO), are written; and only then is every file put in place. A failure on
    the way (a name too long, a read-only folder, a full disk or device) removes the
    temporary files and leaves every file as it was. See :func:`write_chunks` for what is
    refused."""
    pending = []
    try:
        for text, path in outputs:
            if path == STDOUT:
                pending.append(_StdoutWrite((text.encode("utf-8"),)))
            else:
                pending.append(_prepare((text.encode("utf-8"),), path, inputs, replacing))
        for write in sorted(pending, key=lambda write: isinstance(write, _Replacement)):
            write.commit()
    finally:
        for write in pending:
            write.discard()


def write_chunks(
    chunks: Iterable[bytes], path: str, *, inputs: tuple[str, ...] = (), replacing: str | None = None,
) -> None:
    """Write UTF-8 ``chunks`` as they are made to ``path`` (``-`` for stdout), in one atomic
    step: a large result never has to sit in memory whole.

    Writing over a file this run has read (any inventory, rule pack, template or
    configuration, and stdin when it is a file), or over one of ``inputs``, is refused:
    files are compared by device and inode, so no other name or link for them slips through.
    ``replacing`` names the one input the caller was explicitly asked to rewrite (a
    baseline being updated). Replacing a read-only file is refused too. A path that cannot
    be written (a name too long, a folder that is not one) is one line of bad output.
    """
    if path == STDOUT:
        _write_stdout(chunks)
        return
    write = _prepare(chunks, path, inputs, replacing)
    try:
        write.commit()
    finally:
        write.discard()


def rewrite_file(data: bytes, path: str) -> None:
    """Replace the text of a file this run read with ``data``, in one atomic step: an edit in
    place, as ``--fix`` tools make (``ask`` writing answers into the inventory). Through a
    symlink, the file it points at is replaced."""
    write = _Replacement((data,), Path(path), path)
    try:
        write.commit()
    finally:
        write.discard()


def _prepare(chunks: Iterable[bytes], path: str, inputs: tuple[str, ...], replacing: str | None):
    """The write of ``chunks`` to ``path``, checked and (for a file) written to its
    temporary file: :meth:`commit` puts it in place, :meth:`discard` removes what is left."""
    check_output_name(path)
    target = Path(path)
    mode = _mode(target, path)
    read = was_read(target) or any(_same_file(target, source) for source in inputs)
    if read and not (replacing and _same_file(target, replacing)):
        raise InputError(path, None, None, "refusing to overwrite an input file; choose another output")
    if mode is not None and not stat.S_ISREG(mode):
        # /dev/stdout, /dev/null, a FIFO: a stream to write to, never a file to replace
        # (renaming over /dev/null would put a regular file in its place).
        return _StreamWrite(chunks, path)
    if mode is not None and (not mode & 0o222 or not os.access(target, os.W_OK)):
        # Renaming over it needs only the folder's permission; its own says "keep".
        raise InputError(path, None, None, "is read-only; refusing to replace it")
    return _Replacement(chunks, target, path)


def check_output_name(path: str) -> None:
    """Refuse an output path that names a folder: an existing one, or a name ending in ``/``
    (or ``/.``), which :class:`~pathlib.Path` would quietly read as the file ``newdir``."""
    if path == STDOUT:
        return
    if _names_folder(path):
        if _is_dir(Path(path), path):
            raise InputError(path, None, None, "is a directory; name a file to write")
        raise InputError(path, None, None, "names a folder, not a file; name a file to write")
    mode = _mode(Path(path), path)
    if mode is not None and stat.S_ISDIR(mode):
        raise InputError(path, None, None, "is a directory; name a file to write")


def _names_folder(path: str) -> bool:
    separators = tuple(s for s in (os.sep, os.altsep) if s)
    return path.endswith(separators) or os.path.basename(path) in (".", "..")


def _mode(target: Path, path: str) -> int | None:
    """The mode of the file ``target`` names (through links), ``None`` when there is none
    yet; a name the system refuses (too long, through a file) is bad output."""
    try:
        return target.stat().st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            return None
        if exc.errno == errno.ELOOP:
            return None  # a looping link: the replacement says what is wrong
        raise InputError(path, None, None, f"cannot write: {exc.strerror or exc}") from None


class _StreamWrite:
    """A write to a stream (a FIFO or device): nothing to prepare, nothing to remove."""

    def __init__(self, chunks: Iterable[bytes], path: str):
        self.chunks, self.path = chunks, path

    def commit(self) -> None:
        _write_stream(self.chunks, self.path)

    def discard(self) -> None:
        pass


class _StdoutWrite(_StreamWrite):
    """A write to stdout, in its turn among the streams of a run."""

    def __init__(self, chunks: Iterable[bytes]):
        super().__init__(chunks, STDOUT)

    def commit(self) -> None:
        _write_stdout(self.chunks)


class _Replacement:
    """A file written whole to a temporary file beside its target, then renamed over it."""

    def __init__(self, chunks: Iterable[bytes], target: Path, path: str):
        folder = target.parent if str(target.parent) else Path(".")
        if not _is_dir(folder, path):
            raise InputError(path, None, None, f"no such folder '{folder}'")
        if _is_link(target, path):  # replace the file it points at, and keep the link
            target = Path(os.path.realpath(target))
            folder = target.parent
        remove_abandoned(target)
        self.path, self.target = path, target
        self.temporary: str | None = None
        try:
            handle, self.temporary = tempfile.mkstemp(
                dir=folder, prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp",
            )
        except OSError as exc:
            raise InputError(path, None, None, f"cannot write here: {exc.strerror}") from None
        try:
            with os.fdopen(handle, "wb") as stream:
                if fcntl is not None:  # held until the file is closed: "a writer is alive"
                    fcntl.flock(stream.fileno(), fcntl.LOCK_EX)
                for chunk in chunks:
                    stream.write(chunk)
                stream.flush()
                # On disk before the rename: after a crash the name holds the old or the new text.
                os.fsync(stream.fileno())
            # mkstemp creates 0600 files: give the result the mode a plain open() would have.
            os.chmod(self.temporary, target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask())
        except OSError as exc:
            self.discard()
            raise InputError(path, None, None, f"cannot write: {exc.strerror}") from None
        except BaseException:
            self.discard()
            raise

    def commit(self) -> None:
        """Put the written file in place of its target."""
        if self.temporary is None:
            return
        try:
            os.replace(self.temporary, self.target)
        except OSError as exc:
            raise InputError(self.path, None, None, f"cannot write: {exc.strerror}") from None
        self.temporary = None

    def discard(self) -> None:
        """Remove the temporary file, unless it was put in place."""
        if self.temporary is not None:
            Path(self.temporary).unlink(missing_ok=True)
            self.temporary = None


def _is_dir(folder: Path, path: str) -> bool:
    try:
        return stat.S_ISDIR(folder.stat().st_mode)
    except FileNotFoundError:
        return False
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            return False
        raise InputError(path, None, None, f"cannot write: {exc.strerror or exc}") from None


def _is_link(target: Path, path: str) -> bool:
    try:
        return stat.S_ISLNK(target.lstat().st_mode)
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise InputError(path, None, None, f"cannot write: {exc.strerror or exc}") from None


def remove_abandoned(target: Path) -> list[Path]:
    """Remove the temporary files of ``target`` whose writers are gone; return them.

    A writer is gone when the process id in the name is not running here and no process
    holds the file's lock; a live writer (another run writing the same output right now)
    keeps its file."""
    pattern = re.compile(rf"\.{re.escape(target.name)}\.(\d+)\.[a-z0-9_]{{8}}\.tmp")
    removed = []
    try:
        names = os.listdir(target.parent if str(target.parent) else ".")
    except OSError:
        return removed
    for name in sorted(names):
        found = pattern.fullmatch(name)
        if not found or int(found.group(1)) == os.getpid() or _running(int(found.group(1))):
            continue
        leftover = target.parent / name
        if _unlocked(leftover):
            leftover.unlink(missing_ok=True)
            removed.append(leftover)
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # someone else's process, or a number no process can have: keep it
    return True


def _unlocked(path: Path) -> bool:
    if fcntl is None:
        return True
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    finally:
        os.close(fd)
    return True


def distinct_outputs(**outputs: str | None) -> None:
    """Refuse two outputs that name one file (``-o x --write-baseline x``): one would be
    lost. Two on stdout (``-``) are refused too: one document after another is neither.
    ``outputs`` maps each option's name to its path (``None`` when not given, or not
    written)."""
    seen: dict[str, str] = {}
    for option, path in outputs.items():
        if not path:
            continue
        if path == STDOUT:
            if STDOUT in seen:
                raise InputError(
                    None, None, None,
                    f"{seen[STDOUT]} and {option} both write to stdout; give one of them a file",
                )
            seen[STDOUT] = option
            continue
        key = _identity(path)
        if key in seen:
            raise InputError(
                path, None, None, f"named by both {seen[key]} and {option}; give each output its own file",
            )
        seen[key] = option


def _identity(path: str) -> str:
    try:
        info = os.stat(path)
    except OSError:
        return os.path.realpath(path)  # not there yet: the file its name will make
    return f"{info.st_dev}:{info.st_ino}"


def _write_stdout(chunks: Iterable[bytes]) -> None:
    stream = sys.stdout
    try:
        stream.flush()
        binary = getattr(stream, "buffer", None)
        if binary is None:  # a text-only stdout (a test's capture): decode as it goes
            decoder = codecs.getincrementaldecoder("utf-8")()
            for chunk in chunks:
                stream.write(decoder.decode(chunk))
        elif _utf8(stream):
            for chunk in chunks:
                _write_all(binary, chunk)
        else:  # another encoding: what it lacks becomes escapes (or the user's own choice)
            decoder = codecs.getincrementaldecoder("utf-8")()
            errors = ESCAPE_ERRORS if stream.errors == "strict" else stream.errors
            for chunk in chunks:
                _write_all(binary, decoder.decode(chunk).encode(stream.encoding, errors))
        stream.flush()
    except OSError as exc:
        raise stdout_failure(exc) from None


def _write_all(binary, data: bytes) -> None:
    # A buffered writer returns a short count, without an error, when the pipe's reader
    # leaves mid-write: write the rest, which then raises.
    view = memoryview(data)
    while view:
        view = view[binary.write(view):]


def _utf8(stream) -> bool:
    try:
        return codecs.lookup(stream.encoding or "").name == "utf-8"
    except LookupError:
        return False


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
