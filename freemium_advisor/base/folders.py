"""Walking a folder for files, failing closed: what cannot be listed is an error, not a gap.

``check FOLDER`` and a ``--rules`` folder both decide a verdict from the files found, so a
subfolder that cannot be read must never drop out of the result quietly (a pack's policy
would not load, an inventory would not be checked). Every folder is listed with
:func:`os.scandir`; an error listing one (permissions, an I/O error, the odd file systems
such as ``/proc``, where an entry may refuse to be listed or vanish) is one
:class:`~freemium_advisor.base.errors.InputError` naming it; so is a matching entry that is
not a file to read (a FIFO, which is never opened, a device, a link to nothing). Suffixes
match whatever the case of the name (``deep.YAML``). Links to folders are not followed (no
loops); links to files are.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field

from freemium_advisor.base.errors import InputError


@dataclass
class Walk:
    """The files a walk found (in name order, folder by folder) and the entries it passed
    over that a reader might have expected it to read, each with the reason."""

    files: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def walk_files(folder: str, suffixes: tuple[str, ...], *, hidden: bool = True) -> Walk:
    """Every regular file under ``folder`` whose name ends with one of ``suffixes`` (in
    any case: ``.yaml`` matches ``deep.YAML``).

    With ``hidden=False``, names starting with ``.`` are passed over (and listed in
    ``skipped`` when they are files that would have matched), and so is a matching link to
    a folder (not followed). Any other matching entry that is not a regular file (a FIFO, a
    device, a link to nothing) is an :class:`InputError` naming it: what a reader meant as a
    file and cannot be read fails the walk.
    """
    found = Walk()
    _walk(folder, tuple(suffix.lower() for suffix in suffixes), hidden, found)
    return found


def _walk(folder: str, suffixes: tuple[str, ...], hidden: bool, found: Walk) -> None:
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as exc:
        raise InputError(folder, None, None, f"cannot read this folder: {exc.strerror or exc}") from None
    for entry in entries:
        path = os.path.join(folder, entry.name)
        matches = entry.name.lower().endswith(suffixes)
        try:
            is_folder = entry.is_dir(follow_symlinks=False)
        except OSError as exc:
            raise InputError(path, None, None, f"cannot read: {exc.strerror or exc}") from None
        if not hidden and entry.name.startswith("."):
            # A hidden folder (.git, .venv) is another tool's; a hidden file a reader may
            # have meant, so it is named.
            if matches and not is_folder:
                found.skipped.append((path, "a hidden file"))
            continue
        if is_folder:
            _walk(path, suffixes, hidden, found)
        elif matches:
            kind = _kind(path)
            if kind is None:
                found.files.append(path)
            elif kind == _FOLDER_LINK:
                found.skipped.append((path, kind))
            else:
                raise InputError(path, None, None, f"cannot read: {kind}")


_FOLDER_LINK = "a link to a folder, not followed"


def _kind(path: str) -> str | None:
    """``None`` for a regular file (through links), else what the entry is instead; the
    entry is only looked at (``stat``), never opened: opening a FIFO would wait for a writer."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "a link to nothing" if os.path.islink(path) else "gone while the folder was read"
    except OSError as exc:
        raise InputError(path, None, None, f"cannot read: {exc.strerror or exc}") from None
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return _FOLDER_LINK
    if stat.S_ISFIFO(mode):
        return "a FIFO, not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a regular file"
    return "not a regular file"
