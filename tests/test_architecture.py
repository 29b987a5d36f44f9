"""The map of rooms (docs/architecture.md) names every module, and imports flow one way."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

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
    """The metrokg names a module imports; ``from pkg import name`` gives ``pkg.name`` too (a
    submodule, when it is one). Imports inside functions and ``TYPE_CHECKING`` blocks count
    unless ``top_level_only``."""
    names = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else ast.walk(tree)
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
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


def _import_graph(top_level_only: bool) -> dict[str, set[str]]:
    """Module -> the metrokg modules (and packages) it imports."""
    paths = sorted(p for d in ("metrokg", *LAYERS) for p in (ROOT / d).rglob("*.py"))
    known = {_module_name(p).removesuffix(".__init__"): p for p in paths}
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        targets = set()
        for imported in _imported(path, top_level_only):
            while imported and imported not in known:  # `from pkg import function` names the package
                imported = imported.rpartition(".")[0]
            if imported and imported != name:
                targets.add(imported)
        graph[name] = targets
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[str]:
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
    return cycles


def test_imports_have_no_cycles():
    """A cycle means two rooms need each other: one of them holds code that belongs elsewhere. Imports
    inside functions count too (a late import that only dodges a cycle is still one); only metrokg
    modules are nodes, so a late import of an optional library (gradio, torch) never is."""
    cycles = _cycles(_import_graph(top_level_only=False))
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_the_cycle_check_sees_late_and_package_imports(tmp_path, monkeypatch):
    """The check itself: a cycle made of a late ``from pkg import module`` is found."""
    for layer in LAYERS:
        (tmp_path / layer).mkdir()
    (tmp_path / "metrokg").mkdir()
    (tmp_path / "kg" / "room").mkdir()
    (tmp_path / "kg" / "room" / "__init__.py").write_text("")
    (tmp_path / "kg" / "room" / "a.py").write_text("from metrokg.kg.room.b import f\n")
    (tmp_path / "kg" / "room" / "b.py").write_text("def f():\n    from metrokg.kg.room import a\n")
    monkeypatch.setattr(__import__(__name__), "ROOT", tmp_path)
    assert _cycles(_import_graph(top_level_only=True)) == []
    assert _cycles(_import_graph(top_level_only=False)) == ["metrokg.kg.room.a -> metrokg.kg.room.b -> metrokg.kg.room.a"]


# ----------------------------------------------------------------- IRIs

def _code_strings(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string literal of a module but its docstrings (f-strings' parts too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings]


def test_iris_are_written_in_one_place():
    """Every IRI metrokg mints comes from ontology/namespace.py: its base, graph names and builders."""
    home = ROOT / "ontology" / "namespace.py"
    found = [f"{p.relative_to(ROOT)}:{line}" for p in modules() if p != home
             for line, text in _code_strings(p) if "w3id.org/metrokg" in text]
    assert not found, "IRIs written by hand (use metrokg.ontology.namespace):\n" + "\n".join(found)


def _named_terms(path: Path) -> list[tuple[int, str]]:
    """The ``mkg`` terms a module names: ``MKG.x``, ``MKG["x"]``, ``mkg_term("x")`` and ``mkg:x``
    in SPARQL text."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "MKG" \
                and not node.attr.startswith("_"):
            out.append((node.lineno, node.attr))
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "MKG" \
                and isinstance(node.slice, ast.Constant):
            out.append((node.lineno, node.slice.value))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "mkg_term" \
                and node.args and isinstance(node.args[0], ast.Constant):
            out.append((node.lineno, node.args[0].value))
    out += [(line, m) for line, text in _code_strings(path) for m in re.findall(r"\bmkg:([A-Za-z_]\w*)", text)]
    return out


def test_every_ontology_term_the_code_names_is_declared():
    """``MKG`` fails on an undeclared name only when the line runs; this reads every module at once,
    SPARQL text included (test_ontology checks that ``MKG`` and metrokg.ttl declare the same terms)."""
    from metrokg.ontology.namespace import MKG

    declared = set(MKG.__annotations__)
    unknown = [f"{p.relative_to(ROOT)}:{line}: mkg:{name}" for p in modules()
               for line, name in _named_terms(p) if name not in declared]
    assert not unknown, "terms the ontology does not declare:\n" + "\n".join(unknown)
    assert sum(len(_named_terms(p)) for p in modules()) > 200  # the scan sees the code's terms


def test_ontology_terms_are_not_glued_from_strings():
    """``MKG_TEXT + "name"`` mints any IRI without a check: use ``MKG.name`` or ``mkg_term("name")``."""
    glued = []
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and isinstance(node.left, ast.Name) \
                    and "mkg" in node.left.id.lower() and isinstance(node.right, ast.Constant) \
                    and re.fullmatch(r"[A-Za-z_]\w*", str(node.right.value)):
                glued.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not glued, "ontology IRIs glued from strings:\n" + "\n".join(glued)


def test_terms_named_as_text_are_checked():
    from metrokg.kg.records.provisions import FACT_LINKS
    from metrokg.ontology.namespace import MKG, mkg_term

    assert mkg_term("inDocument") == str(MKG.inDocument)
    with pytest.raises(AttributeError):
        mkg_term("inDocumnet")
    assert all(mkg_term(name) for name in FACT_LINKS)  # the links search reads by local name
