"""Files as they were at a git ref, read with ``git show``, for ``check --base`` and ``diff``."""

from __future__ import annotations

import subprocess
from pathlib import Path

from freemium_advisor.base.errors import InputError
from freemium_advisor.base.limits import MAX_FILE_BYTES
from freemium_advisor.base.textfile import decode_text, too_large


def _git(args: list[str], cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, check=False)
    except FileNotFoundError:
        raise InputError(None, None, None, "git is not installed; --base and REF:path need it") from None


def verify_ref(ref: str, near: str) -> None:
    """Fail with one line unless ``ref`` names a commit in the repository holding ``near``."""
    if ref.startswith("-"):  # git would read it as an option ('--output=FILE' writes a file)
        raise InputError(None, None, None, f"unknown git ref '{ref}'")
    folder = _folder(near)
    done = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], folder)
    if done.returncode != 0:
        inside = _git(["rev-parse", "--is-inside-work-tree"], folder)
        if inside.returncode != 0:
            raise InputError(near, None, None, "is not in a git repository; --base needs one")
        raise InputError(None, None, None, f"unknown git ref '{ref}'")


def file_at_ref(path: str, ref: str) -> str | None:
    """The text of ``path`` at ``ref``, or ``None`` when the file did not exist there."""
    file = Path(path)
    verify_ref(ref, path)
    blob = f"{ref}:./{file.name}"
    # "<object> <type> <size>", or "<name> missing": one question for both, before git
    # writes anything out.
    found = _git(["cat-file", "--batch-check"], _folder(path), f"{blob}\n".encode()).stdout.split()
    if len(found) != 3:
        return None
    if found[1] != b"blob":  # git would print a folder's listing, or a submodule's commit
        kind = {b"tree": "a folder", b"commit": "a submodule"}.get(found[1], "not a file")
        raise InputError(f"{ref}:{path}", None, None, f"is {kind} at {ref}, not a file")
    if int(found[2]) > MAX_FILE_BYTES:  # refused before git writes it all out
        raise too_large(f"{ref}:{path}")
    done = _git(["show", blob], _folder(path))
    if done.returncode != 0:
        return None
    return decode_text(done.stdout, f"{ref}:{path}")


def read_revision(spec: str) -> tuple[str, str]:
    """``REF:path`` (read with git) or a plain path: ``(display name, text)``."""
    from freemium_advisor.base.yamlpos import read_text

    if ":" in spec and not Path(spec).exists():
        ref, path = spec.split(":", 1)
        text = file_at_ref(path, ref)
        if text is None:
            raise InputError(spec, None, None, f"no file '{path}' at {ref}")
        return spec, text
    return read_text(spec)


def _folder(path: str) -> Path:
    folder = Path(path).parent
    if not folder.is_dir():
        raise InputError(path, None, None, "no such file")
    return folder
