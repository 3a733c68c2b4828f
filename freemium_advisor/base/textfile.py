"""Reading input files: only regular files (or stdin), bounded in size, checked as UTF-8.

Every file read is remembered by device and inode, so that an output can refuse to
overwrite any input of the run, whatever name or link the output is given.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import sys

from freemium_advisor.base.errors import InputError
from freemium_advisor.base.limits import MAX_FILE_BYTES

STDIN = "-"
STDIN_NAME = "<stdin>"

_read: set[tuple[int, int]] = set()  # (device, inode) of every regular file read this run

_UTF16_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# O_NONBLOCK: opening a FIFO must not wait for a writer; the file type is checked right after.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def read_text(path: str) -> tuple[str, str]:
    """Read a UTF-8 text file (or stdin for ``-``); return ``(display_name, text)``.

    A directory, FIFO, device or socket, a file over the size limit, text that is not UTF-8
    (UTF-16, NUL bytes, bad bytes) and control characters are :class:`InputError`.
    """
    if path == STDIN:
        return STDIN_NAME, decode_text(_read_stdin(), STDIN_NAME)
    return path, decode_text(_read_file(path), path)


def remember_read(path: str | os.PathLike) -> None:
    """Record a file this run reads by other means (a template, say)."""
    try:
        info = os.stat(path)
    except OSError:
        return
    _read.add((info.st_dev, info.st_ino))


def was_read(path: str | os.PathLike) -> bool:
    """Whether ``path`` is (a name or link of) a file this run has read."""
    try:
        info = os.stat(path)
    except OSError:
        return False
    return (info.st_dev, info.st_ino) in _read


def forget_reads() -> None:
    """Start a new run: forget the files read so far."""
    _read.clear()


def _read_file(path: str) -> bytes:
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise InputError(path, None, None, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, None, None, "is a directory, not a file") from None
    except OSError as exc:
        raise InputError(path, None, None, f"cannot read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(path, None, None, "is a directory, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise InputError(
                path, None, None,
                f"is {_kind(info.st_mode)}, not a regular file (pipe it to '-' to read it)",
            )
        if info.st_size > MAX_FILE_BYTES:
            raise too_large(path)
        _read.add((info.st_dev, info.st_ino))
        with os.fdopen(fd, "rb", closefd=False) as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise InputError(path, None, None, f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(raw) > MAX_FILE_BYTES:  # it grew while being read
        raise too_large(path)
    return raw


def _read_stdin() -> bytes:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise InputError(STDIN_NAME, None, None, "no standard input to read")
    try:
        info = os.fstat(stream.fileno())
    except (OSError, ValueError):  # io.UnsupportedOperation is both
        info = None  # not a real file descriptor (a test runner's stream)
    if info is not None and stat.S_ISREG(info.st_mode):
        _read.add((info.st_dev, info.st_ino))
    try:
        # Bounded: stdin may be /dev/zero or an endless pipe.
        raw = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise InputError(STDIN_NAME, None, None, f"cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise too_large(STDIN_NAME)
    return raw


def too_large(name: str) -> InputError:
    """The error for a file over :data:`~freemium_advisor.base.limits.MAX_FILE_BYTES`."""
    return InputError(
        name, None, None, f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; is it the right file?"
    )


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def decode_text(raw: bytes, name: str) -> str:
    """Decode UTF-8 (a leading BOM is dropped); UTF-16, NUL and bad bytes are errors."""
    if raw.startswith(_UTF16_BOMS):
        raise InputError(name, 1, 1, "UTF-16 or UTF-32 text; save the file as UTF-8")
    nul = raw.find(b"\0")
    if nul >= 0:
        line, column = _position(raw, nul)
        if _utf16_text(raw):
            raise InputError(name, line, column, "UTF-16 text; save the file as UTF-8")
        raise InputError(name, line, column, "NUL byte in the text (is it a binary file?)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = _position(raw, exc.start)
        raise InputError(
            name, line, column, f"not UTF-8 text (byte 0x{raw[exc.start]:02x})"
        ) from None
    found = CONTROL.search(text)
    if found:
        before = text[: found.start()]
        line, column = before.count("\n") + 1, found.start() - (before.rfind("\n") + 1) + 1
        raise InputError(name, line, column, control_message(found.group()))
    return text


def _utf16_text(raw: bytes) -> bool:
    """Whether bytes with NULs in them are UTF-16 text without a BOM: they decode as UTF-16
    (big-endian when the NULs come first in each pair) to text free of NULs and controls, and
    NULs are a quarter of the bytes or more. A binary file (an executable, an image) has many
    NULs too, but never decodes to clean text."""
    even = raw[:len(raw) - len(raw) % 2]
    first, second = even[0::2].count(0), even[1::2].count(0)
    if max(first, second) <= len(raw) // 4:  # Latin text in UTF-16 is a NUL every other byte
        return False
    encoding = "utf-16-be" if first >= second else "utf-16-le"
    try:
        text = even.decode(encoding)
    except UnicodeDecodeError:
        return False
    return not CONTROL.search(text)


# Control characters (but tab, line feed, carriage return and YAML's NEL): printed to a
# terminal, ESC and its kin can rewrite the screen or the window title.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")


def control_message(character: str) -> str:
    """The message for a control character found in text."""
    return f"control character U+{ord(character):04X} in the text"


def _position(raw: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (counted in bytes) of a byte offset."""
    before = raw[:offset]
    line = before.count(b"\n") + 1
    return line, offset - (before.rfind(b"\n") + 1) + 1
