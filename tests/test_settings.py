"""Every METROKG_* setting is declared once, documented in the README, and refused clearly when bad."""

from __future__ import annotations

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
