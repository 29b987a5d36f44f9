"""Targets on the real documents in ../shared/real (skipped when absent): every gold target with its
value, unit, comparator and deadline, no false target, no `non_targets`, no target in any law."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from metrokg.nlp.extraction.evaluate import comparator_ok, evaluate_sets, real_gold_dir
from metrokg.nlp.extraction.pipeline import extract, load_pipeline
from metrokg.nlp.reading.normalize import normalize
from metrokg.nlp.structure.parser import parse_document
from metrokg.ui.cli.main import main

from conftest import ROOT

REAL = ROOT.parent / "shared" / "real"


def _entries() -> list[tuple[Path, dict]]:
    out = []
    for gold in (REAL / "gold.json", REAL / "laws" / "gold.json"):
        if gold.is_file():
            out += [(gold.parent / name, entry) for name, entry in json.loads(gold.read_text(encoding="utf-8")).items()]
    return out


ENTRIES = _entries()
pytestmark = pytest.mark.skipif(not ENTRIES, reason="../shared/real is not here")


@pytest.fixture(scope="module")
def extracted():
    nlp = load_pipeline()
    out = {}
    for path, _entry in ENTRIES:
        text = normalize(path.read_text(encoding="utf-8"))
        out[path.name] = (text, extract(parse_document(text, doc_id=path.stem), nlp))
    return out


def _overlaps(text: str, needle: str, f) -> bool:
    a = text.find(needle)
    assert a >= 0, needle
    return f.start < a + len(needle) and a < f.end


@pytest.mark.parametrize("path, entry", ENTRIES, ids=[p.name for p, _e in ENTRIES])
def test_targets_exactly_as_the_gold(extracted, path, entry):
    text, facts = extracted[path.name]
    targets = [f for f in facts if f.kind == "target"]
    golds = entry.get("targets") if isinstance(entry.get("targets"), list) else []
    unmatched = list(targets)
    for g in golds:
        hit = next((t for t in unmatched if _overlaps(text, g["text"], t) and t.value == Decimal(str(g["value"]))
                    and t.unit_text == g["unit"] and comparator_ok(g["comparator"], t, text)
                    and t.deadline == g.get("deadline")), None)
        assert hit is not None, f"{path.name}: gold target not found: {g}"
        unmatched.remove(hit)
    assert unmatched == [], f"{path.name}: false targets {[t.text for t in unmatched]}"
    for n in entry.get("non_targets") or []:
        assert not any(_overlaps(text, n["text"], t) for t in targets), n


def test_no_target_in_any_law(extracted):
    laws = [p.name for p, e in ENTRIES if e.get("kind") == "law"]
    assert len(laws) >= 4
    assert {name: [f.text for f in extracted[name][1] if f.kind == "target"] for name in laws} == \
        {name: [] for name in laws}


def test_achievements_are_baselines_and_the_budget_a_funding_rule(extracted):
    text, facts = extracted["guowuyuan-2021.txt"]
    baselines = {(b.value, b.unit_text) for b in facts if b.kind == "baseline"}
    assert {(185, "项"), (62000, "项"), (1779, "项")} <= baselines
    assert all(b.year == 2021 and b.year_inherited for b in facts if b.kind == "baseline")
    _text, facts = extracted["jiangmen-2016.txt"]
    [rule] = [f for f in facts if f.kind == "funding"]
    assert (rule.value, rule.unit_text, rule.amount_yuan, rule.beneficiary, rule.year) == (
        10, "万元", Decimal(100000), "小微企业", 2016)


def test_laws_time_limits(extracted):
    _text, facts = extracted["jiliangfa-2018.txt"]
    [limit] = [f for f in facts if f.kind == "time_limit"]
    assert (limit.value, limit.unit_text, limit.trigger) == (15, "日", "接到处罚通知")
    assert "向人民法院起诉" in limit.duty


def test_the_default_real_gold_is_found_in_place():
    assert real_gold_dir() == REAL.resolve() or real_gold_dir() == REAL


@pytest.mark.slow
def test_eval_marks_development_and_real_rows(capsys):
    sets = evaluate_sets()
    assert set(sets) == {"development", "real"} and sets["real"]["all"]["target"].f1 == 1.0
    assert main(["eval", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["set"] for r in rows} == {"development", "real"}
    laws = [r for r in rows if r["set"] == "real" and r["document"] == "jiliangfa-2018" and r["type"] == "target"]
    assert laws and laws[0]["predicted"] == 0
