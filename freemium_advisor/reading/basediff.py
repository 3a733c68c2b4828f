"""Files as they were at a git ref, read with ``git show``, for ``check --base`` (at the merge
base of the ref and ``HEAD``) and ``diff``; and the inventory a base revision holds, read
again only where a change touched it.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from pathlib import Path

from freemium_advisor.base.errors import InputError
from freemium_advisor.base.limits import MAX_FILE_BYTES
from freemium_advisor.base.textfile import decode_text, too_large
from freemium_advisor.model.inventory import Inventory
from freemium_advisor.reading.inventory_reader import parse_inventory


def _git(args: list[str], cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, check=False)
    except FileNotFoundError:
        raise InputError(None, None, None, "git is not installed; --base and REF:path need it") from None


def verify_ref(ref: str, near: str, *, spec: str | None = None) -> None:
    """Fail with one line unless ``ref`` names a commit in the repository holding ``near``
    (``spec``: the ``REF:path`` the user wrote, else the file ``--base`` reads)."""
    if ref.startswith("-"):  # git would read it as an option ('--output=FILE' writes a file)
        raise InputError(None, None, None, f"unknown git ref '{ref}'")
    folder = _folder(near)
    done = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], folder)
    if done.returncode != 0:
        inside = _git(["rev-parse", "--is-inside-work-tree"], folder)
        if inside.returncode != 0:
            needs = "a REF:path" if spec else "--base"
            raise InputError(spec or near, None, None, f"is not in a git repository; {needs} needs one")
        shallow = _git(["rev-parse", "--is-shallow-repository"], folder).stdout.strip() == b"true"
        hint = (" (this clone is shallow: fetch the history, e.g. actions/checkout with "
                "fetch-depth: 0, or 'git fetch --unshallow')") if shallow else ""
        raise InputError(None, None, None, f"unknown git ref '{ref}'{hint}")


def file_at_ref(path: str, ref: str, *, spec: str | None = None, shown: str | None = None) -> str | None:
    """The text of ``path`` at ``ref``, or ``None`` when the file did not exist there;
    messages name the commit ``shown`` (``ref`` itself when not given)."""
    verify_ref(ref, path, spec=spec)
    shown = shown or ref
    return _blob_text(f"{ref}:./{Path(path).name}", _folder(path), f"{shown}:{path}", shown)


def _blob_text(blob: str, folder: Path, name: str, shown: str) -> str | None:
    """The text of ``blob`` (``REF:path``), or ``None`` when there is no such file; messages
    call it ``name``, at the commit ``shown``."""
    # "<object> <type> <size>", or "<name> missing": one question for both, before git
    # writes anything out.
    found = _git(["cat-file", "--batch-check"], folder, f"{blob}\n".encode()).stdout.split()
    if len(found) != 3:
        return None
    if found[1] != b"blob":  # git would print a folder's listing, or a submodule's commit
        kind = {b"tree": "a folder", b"commit": "a submodule"}.get(found[1], "not a file")
        raise InputError(name, None, None, f"is {kind} at {shown}, not a file")
    if int(found[2]) > MAX_FILE_BYTES:  # refused before git writes it all out
        raise too_large(name)
    done = _git(["show", blob], folder)
    if done.returncode != 0:
        return None
    return decode_text(done.stdout, name)


def texts_at_base(paths, ref: str) -> dict[str, str | None]:
    """Each file's text where ``check --base REF`` compares it (``None``: absent there).

    That is the merge base of ``REF`` and ``HEAD``, as ``git diff REF...HEAD`` compares: what
    the branch started from, so that a finding fixed on ``REF`` after the branch point is not
    reported as new by a branch that never touched it. Without a ``HEAD`` (no commit yet) or
    a common history, it is ``REF`` itself. A file the branch renamed (or moved) is compared
    with the file it was there, as git sees the rename: its findings are not all new."""
    commits: dict[Path, tuple[str, str]] = {}
    renames: dict[Path, dict[str, str]] = {}
    texts = {}
    for path in paths:
        folder = _folder(path).resolve()
        if folder not in commits:
            commits[folder] = merge_base(ref, path)
        commit, shown = commits[folder]
        text = file_at_ref(path, commit, shown=shown)
        if text is None:
            if folder not in renames:
                renames[folder] = _renames(folder, commit)
            old = renames[folder].get(Path(path).name)
            if old is not None:
                text = _blob_text(f"{commit}:{old}", folder, f"{shown}:{old}", shown)
        texts[path] = text
    return texts


def _renames(folder: Path, commit: str) -> dict[str, str]:
    """The files of ``folder`` that git sees as renamed since ``commit`` (in a commit or in
    the index: ``git mv``), each name with where it was (from the top of the repository)."""
    prefix = _git(["rev-parse", "--show-prefix"], folder)
    # Rename detection compares every file that went with every file that came: no pathspec.
    done = _git(["diff", "--no-relative", "--no-color", "--name-status", "-z", "-M",
                 "--diff-filter=R", "--end-of-options", commit], folder)
    if prefix.returncode != 0 or done.returncode != 0:
        return {}
    here = prefix.stdout.decode("utf-8", "surrogateescape").strip()
    fields = done.stdout.decode("utf-8", "surrogateescape").split("\0")
    # "R<similarity>", old path, new path: the names of the new paths in this folder.
    return {new[len(here):]: old for old, new in zip(fields[1::3], fields[2::3])
            if new.startswith(here) and "/" not in new[len(here):]}


def merge_base(ref: str, near: str) -> tuple[str, str]:
    """The merge base of ``ref`` and ``HEAD`` in the repository holding ``near``, and how
    messages name it: ``ref`` when it is that commit, else its short id. ``(ref, ref)`` when
    there is no ``HEAD`` or no common history."""
    verify_ref(ref, near)  # refuses a ref git would read as an option
    folder = _folder(near)
    if _git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], folder).returncode != 0:
        return ref, ref
    done = _git(["merge-base", "--end-of-options", ref, "HEAD"], folder)
    found = done.stdout.decode("ascii", "replace").strip()
    if done.returncode != 0 or not found:
        return ref, ref
    tip = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], folder)
    return found, ref if tip.stdout.decode("ascii", "replace").strip() == found else found[:12]


def read_revision(spec: str) -> tuple[str, str]:
    """``REF:path`` (read with git) or a plain path: ``(display name, text)``."""
    from freemium_advisor.base.yamlpos import read_text

    if ":" in spec and not Path(spec).exists():
        ref, path = spec.split(":", 1)
        text = file_at_ref(path, ref, spec=spec)
        if text is None:
            raise InputError(spec, None, None, f"no file '{path}' at {ref}")
        return spec, text
    return read_text(spec)


def _folder(path: str) -> Path:
    folder = Path(path).parent
    if not folder.is_dir():
        raise InputError(path, None, None, "no such file")
    return folder


# A line that starts a feature of a block-style list: the items' indentation, a dash, a space.
_ITEM = "{indent}- "
# An alias (``*name``) anywhere: one feature's text could then stand for another's value.
_ALIAS = re.compile(r"(?:^|[\s,\[{:-])\*[^\s,\[\]{}]")


def base_inventory(head: Inventory, head_text: str, base_text: str) -> Inventory:
    """The inventory ``base_text`` holds, given the ``head`` inventory read from ``head_text``.

    When both are written in block style with the same text before the first feature, each
    feature is the text from its item's dash (``  - id: ...``) to the next one. A feature of
    the base whose text is one of the head's, verbatim, is that head feature (the same
    object, so that the analysis recognises it); only the rest are read again, together,
    under the same header. YAML indents whatever is inside a feature deeper than its dash,
    except quoted text running over lines: a cut inside it joins two pieces into one
    feature when they are read again, and the count then says so. Anything else (another
    header, flow or JSON style, an alias, text after the features, pieces read back as
    another number of features, a duplicate id) reads the base in full. An invalid base is
    an :class:`InputError`, as :func:`parse_inventory` raises it.
    """
    reused = _reuse(head, head_text, base_text)
    return reused if reused is not None else parse_inventory(base_text, head.path)


def _reuse(head: Inventory, head_text: str, base_text: str) -> Inventory | None:
    if not head.features or _aliased(head_text) or _aliased(base_text):
        return None
    lines = head_text.splitlines(keepends=True)
    first = head.features[0]
    header = "".join(lines[: first.line - 1])
    indent = lines[first.line - 1][: first.column - 1]
    if not indent.endswith("- ") or indent.strip() != "-" or not base_text.startswith(header):
        return None
    item = _ITEM.format(indent=indent[:-2])
    head_items = _items(head_text[len(header):], item)
    base_items = _items(base_text[len(header):], item)
    if head_items is None or base_items is None or len(head_items) != len(head.features):
        return None
    known = {text: feature for text, feature in zip(head_items, head.features)}
    # Every head feature starts its own item, on the line its text starts: the split is sound.
    line = first.line
    for text, feature in zip(head_items, head.features):
        if feature.line != line:
            return None
        line += text.count("\n")
    fresh = [text for text in base_items if text not in known]
    try:
        parsed = parse_inventory(header + "".join(fresh), head.path).features if fresh else ()
    except InputError:
        return None  # read in full, to say what is wrong where it is
    if len(parsed) != len(fresh):
        return None  # the cut was not between features (quoted text running over lines)
    read = iter(parsed)
    features = tuple(known[text] if text in known else next(read) for text in base_items)
    if len({f.id for f in features}) != len(features):
        return None  # a duplicate id: read in full, to say where
    return replace(head, features=features)


def _aliased(text: str) -> bool:
    return "*" in text and _ALIAS.search(text) is not None


def _items(body: str, item: str) -> list[str] | None:
    """``body`` cut before each line that starts with ``item``; ``None`` when it does not
    start with one, or a line leaves the list (less indented, not blank or a comment)."""
    if not body.startswith(item):
        return None
    indent = len(item) - 2
    leaves = re.compile(rf"^(?!{re.escape(item)}) {{0,{indent}}}[^ #\r\n]", re.M)
    if leaves.search(body):
        return None
    return re.split(rf"(?m)^(?={re.escape(item)})", body)[1:]
