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
        folder_rule = f"`{rel.parent}/` one module per"  # e.g. the CLI's command modules
        if str(rel) not in text and path.name not in text and folder_rule not in text:
            missing.append(str(rel))
    assert not missing, f"modules missing from docs/architecture.md: {missing}"


def _imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
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
