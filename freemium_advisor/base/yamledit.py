"""Adding keys to a YAML mapping by editing its text at the positions the parser knows.

Only text is inserted: comments, key order, quoting and every line not edited stay byte for
byte as they were (what ``ask`` promises when it writes answers into an inventory). A block
mapping gets new lines after its last entry, indented like its first key; a flow mapping
(``{a: 1}``) gets ``, key: value`` before its closing brace; a key written with no value
(``virality:``) gets its value after the colon, and one written ``~`` or ``null`` gets it in
their place.
"""

from __future__ import annotations

import re

import yaml

from freemium_advisor.base.record import record

# The line breaks YAML knows, so that lines are counted as the parser counts them.
_BREAK = re.compile(r"\r\n|\r|\n|\x85|\u2028|\u2029")


@record
class Insert:
    """``text`` to insert at ``line`` (0-based) and ``column``, in place of the ``replace``
    characters there; ``column`` None means a whole new line after ``line``."""

    line: int
    column: int | None
    text: str
    replace: int = 0


class Lines:
    """A text as lines with their own line breaks, edited by inserts."""

    def __init__(self, text: str):
        self.lines: list[str] = []
        start = 0
        for match in _BREAK.finditer(text):
            self.lines.append(text[start:match.end()])
            start = match.end()
        if start < len(text):
            self.lines.append(text[start:])
        found = _BREAK.search(text)
        self.newline = found.group() if found else "\n"

    def body(self, line: int) -> str:
        """A line without its line break."""
        return _BREAK.sub("", self.lines[line])

    def apply(self, inserts: list[Insert]) -> str:
        # Last first, so that earlier positions stay where the parser saw them.
        for insert in sorted(inserts, key=lambda i: (i.line, -1 if i.column is None else i.column),
                             reverse=True):
            if insert.column is None:
                if not self.lines[insert.line].endswith(("\n", "\r", "\x85", "\u2028", "\u2029")):
                    self.lines[insert.line] += self.newline  # the last line had no line break
                self.lines.insert(insert.line + 1, insert.text + self.newline)
            else:
                text = self.lines[insert.line]
                end = insert.column + insert.replace
                self.lines[insert.line] = text[:insert.column] + insert.text + text[end:]
        return "".join(self.lines)


def add_entries(text: str, path: tuple, key: str, entries: list[tuple[str, str]]) -> str:
    """``text`` with ``entries`` (key, value text) added to the mapping under ``key`` of the
    mapping at ``path`` (keys and list indexes from the document's root), creating it if the
    mapping has no ``key``. The values are written as given: plain scalars."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    owner = _node_at(root, path)
    lines = Lines(text)
    pairs = dict((k.value, (k, v)) for k, v in owner.value)
    if key in pairs:
        key_node, value = pairs[key]
        if isinstance(value, yaml.MappingNode):
            return lines.apply(_into_mapping(lines, value, entries))
        if _empty(value):  # `signals:` with nothing after it
            indent = " " * (key_node.start_mark.column + 2)
            inserts = [Insert(key_node.start_mark.line, None, f"{indent}{k}: {v}")
                       for k, v in reversed(entries)]
            return lines.apply(inserts)
        raise ValueError(f"'{key}' is not a mapping")
    flat = ", ".join(f"{k}: {v}" for k, v in entries)
    if owner.flow_style:
        return lines.apply([_before_brace(lines, owner, f"{key}: {{{flat}}}")])
    first = owner.value[0][0].start_mark
    indent = " " * first.column
    after = _last_line(lines, owner.value[-1][1])
    new = [f"{indent}{key}:"] + [f"{indent}  {k}: {v}" for k, v in entries]
    return lines.apply([Insert(after, None, line) for line in reversed(new)])


def _into_mapping(lines: Lines, mapping: yaml.MappingNode, entries: list[tuple[str, str]]) -> list[Insert]:
    present = {k.value: (k, v) for k, v in mapping.value}
    inserts = []
    added = []
    for k, v in entries:
        if k not in present:
            added.append((k, v))
            continue
        key_node, value = present[k]
        if not _empty(value):
            raise ValueError(f"'{k}' is answered already")
        if value.value:  # ~ or null, where the answer goes
            mark = value.start_mark
            inserts.append(Insert(mark.line, mark.column, v, len(value.value)))
        else:
            colon = lines.body(key_node.end_mark.line).index(":", key_node.end_mark.column)
            inserts.append(Insert(key_node.end_mark.line, colon + 1, f" {v}"))
    if not added:
        return inserts
    if mapping.flow_style:
        return inserts + [_before_brace(lines, mapping, ", ".join(f"{k}: {v}" for k, v in added))]
    indent = " " * mapping.value[0][0].start_mark.column
    after = _last_line(lines, mapping.value[-1][1])
    return inserts + [Insert(after, None, f"{indent}{k}: {v}") for k, v in reversed(added)]


def _before_brace(lines: Lines, mapping: yaml.MappingNode, text: str) -> Insert:
    """Insert ``text`` as the last entry of a flow mapping, before its closing brace."""
    end = mapping.end_mark  # just after the '}'
    line, column = end.line, end.column - 1
    separator = ", " if mapping.value else ""
    return Insert(line, column, separator + text)


def _last_line(lines: Lines, node: yaml.Node) -> int:
    """The last line a node's text is on, leaving out the blank and comment-only lines a
    block collection's end runs over."""
    end = node.end_mark
    line = min(end.line, len(lines.lines) - 1)
    if end.line >= len(lines.lines) or not lines.body(line)[:end.column].strip():
        line = min(end.line - 1, len(lines.lines) - 1)  # the node ends before this line's text
    while line > node.start_mark.line:
        stripped = lines.body(line).strip()
        if stripped and not stripped.startswith("#"):
            break
        line -= 1
    return line


def _empty(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null") and node.value in ("", "~", "null")


def _node_at(root: yaml.Node, path: tuple) -> yaml.Node:
    node = root
    for step in path:
        if isinstance(step, int):
            node = node.value[step]
        else:
            node = next(v for k, v in node.value if k.value == step)
    return node
