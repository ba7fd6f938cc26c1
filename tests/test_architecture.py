"""The layout shows the architecture: packages by capability, layered, with no import cycle.

Every ``import`` counts, also those inside functions (they run too, just later).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "textkit"

# Lower layers never import higher ones. A module may import its own layer and below.
LAYERS = [
    {"errors", "checks"},
    {"io"},
    {"text"},
    {"keywords", "classify", "augment", "summarize", "newwords"},
    {"commands", "cli", "__main__"},
]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """The textkit modules ``path`` imports (``from textkit.x import y`` counts as
    textkit.x.y when that is a module, else textkit.x)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    modules = {_module_name(p) for p in PACKAGE.rglob("*.py")}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("textkit")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("textkit"):
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in modules else node.module)
    return {m for m in found if m != "textkit"}


def _graph() -> dict[str, set[str]]:
    return {_module_name(p): _imports(p) for p in PACKAGE.rglob("*.py")}


def _layer(module: str) -> int:
    if module == "textkit":  # the public API: re-exports from every layer, lazily
        return len(LAYERS) - 1
    top = module.split(".")[1]
    for level, names in enumerate(LAYERS):
        if top in names:
            return level
    raise AssertionError(f"{module} belongs to no layer: add its package to LAYERS")


def test_every_module_has_a_layer_and_imports_nothing_above_it():
    wrong = []
    for module, imported in _graph().items():
        if module == "textkit":
            continue
        for target in imported:
            if _layer(target) > _layer(module):
                wrong.append(f"{module} -> {target}")
    assert not wrong, wrong


def test_no_import_cycles():
    graph = _graph()
    # A package imports its own modules from __init__; that edge is not a cycle of design.
    edges = {m: {t for t in ts if not m.startswith(t + ".")} for m, ts in graph.items()}
    state: dict[str, int] = {}
    cycle: list[str] = []

    def visit(node: str, path: list[str]) -> bool:
        state[node] = 1
        for target in sorted(edges.get(node, ())):
            if state.get(target) == 1:
                cycle.extend([*path[path.index(target) :], target])
                return True
            if state.get(target) is None and visit(target, [*path, target]):
                return True
        state[node] = 2
        return False

    for start in sorted(edges):
        if state.get(start) is None and visit(start, [start]):
            break
    assert not cycle, " -> ".join(cycle)


def test_library_packages_never_print():
    """The library raises; only the CLI layer writes to the terminal."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        module = _module_name(path)
        if _layer(module) == len(LAYERS) - 1 or module.startswith("textkit.io.terminal"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "print":
                offenders.append(f"{module}:{node.lineno}")
    assert not offenders, offenders
