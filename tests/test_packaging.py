"""A plain (non-editable) install carries every module and data file under ``metrokg.*``."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from conftest import ROOT

MAPPED = {"metrokg": "metrokg", "kg": "metrokg/kg", "nlp": "metrokg/nlp", "ui": "metrokg/ui",
          "ontology": "metrokg/ontology", "corpus": "metrokg/corpus"}
DATA_SUFFIXES = {".py", ".ttl", ".json", ".txt", ".csv"}


def test_wheel_holds_every_module_and_data_file(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps",
                           "--no-build-isolation", "-q", "-w", str(tmp_path)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    wheel = next(tmp_path.glob("metrokg-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = set()
    for folder, target in MAPPED.items():
        for f in (ROOT / folder).rglob("*"):
            if f.suffix in DATA_SUFFIXES and "__pycache__" not in f.parts:
                expected.add(f"{target}/{f.relative_to(ROOT / folder).as_posix()}")
    assert sorted(expected - names) == []


def test_every_subpackage_is_declared():
    import tomllib

    declared = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = set()
    for folder, target in MAPPED.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / folder)
            found.add(".".join([target.replace("/", "."), *rel.parts]))
    assert found <= declared, sorted(found - declared)
