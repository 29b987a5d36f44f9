"""The map of rooms (docs/architecture.md) names every module, and imports flow one way."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("ontology", "nlp", "kg", "ui")  # each may import only from itself and layers to its left


def modules() -> list[Path]:
    return sorted(p for d in ("metrokg", *LAYERS) for p in (ROOT / d).rglob("*.py") if p.name != "__init__.py")


def test_every_module_is_on_the_map():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = []
    for path in modules():
        rel = path.relative_to(ROOT)
        folder = f"`{rel.parent}/`"
        if str(rel) not in text and not (folder in text and f"`{path.name}`" in text) \
                and f"{folder} one module per" not in text:
            missing.append(str(rel))
    assert not missing, f"modules missing from docs/architecture.md: {missing}"


def test_every_subpackage_is_on_the_map():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    packages = sorted(p.parent.relative_to(ROOT) for d in LAYERS for p in (ROOT / d).rglob("__init__.py")
                      if p.parent != ROOT / d)
    missing = [str(p) for p in packages if f"`{p}/`" not in text]
    assert not missing, f"sub-packages missing from docs/architecture.md: {missing}"


def test_top_level_folders_stay_small():
    for layer in ("kg", "nlp", "ui"):
        flat = [p.name for p in (ROOT / layer).glob("*.py") if p.name != "__init__.py"]
        assert len(flat) <= 8, f"{layer}/ has {len(flat)} flat modules: put them in sub-packages ({flat})"


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    return ".".join(parts) if parts[0] == "metrokg" else ".".join(["metrokg", *parts])


def _imported(path: Path, top_level_only: bool = False) -> set[str]:
    names = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else ast.walk(tree)
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    return {n for n in names if n.startswith("metrokg.")}


def test_imports_flow_from_ontology_to_ui():
    backward = []
    for path in modules():
        layer = path.relative_to(ROOT).parts[0]
        if layer not in LAYERS:
            continue
        allowed = set(LAYERS[: LAYERS.index(layer) + 1])
        for name in _imported(path):
            target = name.split(".")[1]
            if target in LAYERS and target not in allowed:
                backward.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not backward, "imports against the flow ontology → nlp → kg → ui:\n" + "\n".join(backward)


def test_module_level_imports_have_no_cycles():
    """A cycle means two rooms need each other: one of them holds code that belongs elsewhere."""
    known = {_module_name(p): p for p in modules()}
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        targets = set()
        for imported in _imported(path, top_level_only=True):
            while imported and imported not in known:  # `from pkg import module` names the package
                imported = imported.rpartition(".")[0]
            if imported and imported != name:
                targets.add(imported)
        graph[name] = targets
    cycles, state = [], {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                cycles.append(" -> ".join(stack[stack.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)
