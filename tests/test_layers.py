"""The package's layers: each sub-package imports only from its own layer or the ones below,
and no module imports one that imports it back, directly or through others.

Every import counts, module-level or inside a function, because a deferred import is still
a dependency. The layers, lowest first, are the sub-packages' order in ``LAYERS``.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "freemium_advisor"
LAYERS = ("base", "model", "result", "reading", "engine", "render", "formats", "cli", "launch")
# Import circles still being taken apart; this set only ever shrinks.
KNOWN_CIRCLES: set[frozenset[str]] = {
    frozenset({"model.expressions", "model.sandbox"}),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports_of(path: Path, known: dict[str, Path]) -> set[str]:
    """The package's modules that ``path`` imports (``from X import Y`` counts Y when Y is one)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            if name == "freemium_advisor" or not name.startswith("freemium_advisor."):
                continue
            short = name.removeprefix("freemium_advisor.")
            if short in known:
                found.add(short)
    return found


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports_of(path, known) - {name} for name, path in known.items()}


def layer_of(module: str) -> int:
    head = module.split(".")[0]
    if head in ("", "__main__"):
        return len(LAYERS)
    return LAYERS.index(head)


def circles(edges: dict[str, set[str]]) -> list[frozenset[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_every_module_belongs_to_a_layer():
    unplaced = [name for name in modules() if name and name not in ("__main__",) and name.split(".")[0] not in LAYERS]
    assert unplaced == []


def test_no_module_imports_from_a_higher_layer():
    upward = sorted(
        f"{source} -> {target}"
        for source, targets in graph().items()
        for target in targets
        if layer_of(target) > layer_of(source)
    )
    assert upward == []


def test_no_import_circles():
    assert set(circles(graph())) <= KNOWN_CIRCLES


def test_the_circle_finder_finds_a_circle():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [frozenset({"a", "b", "c"})]
