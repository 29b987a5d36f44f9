"""Every METROKG_* setting is declared once, documented in the README, and refused clearly when bad."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from metrokg import settings
from metrokg.errors import MetrokgError

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [p for d in ("kg", "nlp", "ui", "metrokg", "ontology") for p in (ROOT / d).rglob("*.py")]


def test_every_declared_setting_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    settings_part = readme.split("## Settings", 1)[1].split("\n## ", 1)[0]
    missing = [name for name in settings.SETTINGS if f"`{name}`" not in settings_part]
    assert not missing, f"settings missing from the README's Settings table: {missing}"


def test_every_setting_the_code_reads_is_declared():
    used = set()
    for path in SOURCES:
        used |= set(re.findall(r"\bMETROKG_[A-Z0-9_]+\b", path.read_text(encoding="utf-8")))
    undeclared = sorted(used - set(settings.SETTINGS))
    assert not undeclared, f"METROKG_* names used in the code but not declared in metrokg/settings.py: {undeclared}"


def test_every_setting_has_help_text():
    for setting in settings.SETTINGS.values():
        assert len(setting.help) > 20, setting.name


@pytest.mark.parametrize("name, value", [(n, v) for n, s in settings.SETTINGS.items()
                                         if s.parse is not settings.text for v in ("nan", "-1", "abc")])
def test_a_bad_value_names_the_setting(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(MetrokgError) as err:
        settings.get(name)
    assert err.value.code == "E016" and name in err.value.message


# ------------------------------------------------------------------ every read goes through settings.get

def _environ_keys(tree: ast.AST):
    """(line, key node) of each ``os.environ.get/setdefault/pop(key)``, ``os.environ[key]`` and ``os.getenv(key)``."""
    def is_environ(node: ast.AST) -> bool:
        return isinstance(node, ast.Attribute) and node.attr == "environ" and isinstance(node.value, ast.Name) \
            and node.value.id == "os"

    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and is_environ(node.value):
            yield node.lineno, node.slice
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
            f = node.func
            if (f.attr in ("get", "setdefault", "pop") and is_environ(f.value)) or \
                    (f.attr == "getenv" and isinstance(f.value, ast.Name) and f.value.id == "os"):
                yield node.lineno, node.args[0]


def test_no_module_reads_a_setting_around_settings_get():
    """A METROKG_* read outside settings.get skips its parser: a bad value became a traceback or
    was taken silently (METROKG_HTTP_TIMEOUT=-5, METROKG_MAX_UPLOAD_MB=inf, METROKG_FAST_QUERY=false)."""
    found = []
    for path in SOURCES:
        if path == ROOT / "metrokg" / "settings.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for line, key in _environ_keys(tree):
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str)) or key.value.startswith("METROKG_"):
                found.append(f"{path.relative_to(ROOT)}:{line} reads the environment for {ast.unparse(key)}")
        for node in ast.walk(tree):  # a constant that only holds a setting's name
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) \
                    and isinstance(node.value.value, str) and re.fullmatch(r"METROKG_[A-Z0-9_]+", node.value.value):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} keeps the setting name {node.value.value}")
    assert not found, "read settings with metrokg.settings.get(NAME):\n" + "\n".join(found)


def test_fast_query_is_strictly_zero_or_one(monkeypatch):
    """METROKG_FAST_QUERY=false used to leave the fast path on (only "0" turned it off)."""
    for raw, value in (("0", False), ("1", True), (" 1 ", True), ("", True)):
        monkeypatch.setenv("METROKG_FAST_QUERY", raw)
        assert settings.get("METROKG_FAST_QUERY") is value
    for raw in ("false", "off", "yes", "2"):
        monkeypatch.setenv("METROKG_FAST_QUERY", raw)
        with pytest.raises(MetrokgError) as err:
            settings.get("METROKG_FAST_QUERY")
        assert err.value.code == "E016" and "0 or 1" in err.value.message


def test_a_bad_fast_query_value_is_refused_before_a_model_loads(monkeypatch):
    from metrokg.kg.search.dense import QueryEncoder

    monkeypatch.setenv("METROKG_FAST_QUERY", "false")
    with pytest.raises(MetrokgError) as err:
        QueryEncoder("some/other-model").tokens("计量")
    assert err.value.code == "E016" and "METROKG_FAST_QUERY" in err.value.message


def _code(call) -> str | None:
    try:
        call()
    except MetrokgError as err:
        return err.code
    return None


def test_the_library_reads_its_settings_through_get(monkeypatch, tmp_path):
    """Each module that reads a setting refuses a bad value with E016 and uses a good one."""
    from metrokg import config
    from metrokg.kg.analyses.targets import default_agent
    from metrokg.kg.graph.ingest import default_workers
    from metrokg.kg.store.remote import RemoteStore
    from metrokg.nlp.reading.readers import read_bytes

    monkeypatch.setenv("METROKG_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("METROKG_STORE", raising=False)
    assert config.data_dir() == tmp_path and config.default_store() == str(tmp_path / "store")

    monkeypatch.setenv("METROKG_WORKERS", "0")  # was taken as 1
    assert _code(lambda: default_workers([])) == "E016"
    monkeypatch.setenv("METROKG_WORKERS", "3")
    assert default_workers([]) == 3

    spec = "sparql+http://127.0.0.1:9/query"
    for name, bad in (("METROKG_MAX_UPDATE_BYTES", "abc"), ("METROKG_HTTP_TIMEOUT", "-5")):  # ValueError; -5 s
        monkeypatch.setenv(name, bad)
        assert _code(lambda: RemoteStore(spec)) == "E016", name
        monkeypatch.delenv(name)
    monkeypatch.setenv("METROKG_MAX_UPDATE_BYTES", "1234")
    monkeypatch.setenv("METROKG_UPDATE_URL", "http://127.0.0.1:9/u")
    monkeypatch.delenv("METROKG_GSP_URL", raising=False)
    store = RemoteStore(spec)
    assert (store.max_update_bytes, store.update_url, store.gsp_url, store.timeout_s) == \
        (1234, "http://127.0.0.1:9/u", None, 600.0)

    monkeypatch.setenv("METROKG_MAX_UPLOAD_MB", "inf")  # was an OverflowError traceback
    assert _code(lambda: read_bytes(b"text", "a.txt")) == "E016"

    monkeypatch.setenv("METROKG_USER", "  ")  # was recorded as the agent "  "
    assert default_agent().strip()
    monkeypatch.setenv("METROKG_USER", "ana")
    assert default_agent() == "ana"
