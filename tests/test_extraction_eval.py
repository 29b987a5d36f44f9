"""Extraction quality against the gold annotations shipped in corpus/gold: floors that mean something;
a crash in a rule is an error, never a low score; the gold travels in the wheel."""

import json
import subprocess
import sys
import sysconfig
import zipfile
from decimal import Decimal

import pytest

from metrokg.corpus import corpus_dir
from metrokg.nlp.extraction import pipeline as pipeline_module
from metrokg.nlp.extraction.evaluate import GOLD_DIR, evaluate, evaluate_file, format_table, gold_files, locate
from metrokg.nlp.extraction.pipeline import load_pipeline
from metrokg.ui.cli.main import main

import _faulty
from conftest import ROOT

SEED_GOLD = GOLD_DIR / "hubei-2022-metrology-plan-implementation-opinions.json"


@pytest.fixture(scope="module")
def result():
    return evaluate(nlp=load_pipeline())


def test_all_sixteen_seed_targets_exactly(result):
    scores, gold, facts, text = evaluate_file(SEED_GOLD, load_pipeline())
    assert len(gold["targets"]) == 16
    targets = [f for f in facts if f.kind == "target"]
    for g in gold["targets"]:
        a, b = locate(text, g["text"])
        (t,) = [t for t in targets if t.start < b and a < t.end]
        assert (t.value, t.unit_text, t.comparator, t.deadline, t.is_total) == (
            Decimal(str(g["value"])), g["unit"], g["comparator"], g["deadline"], g["total"]), g["text"]
    s = scores["target"]
    assert (s.tp, s.pred, s.gold) == (16, 16, 16)


def test_seed_responsibilities_and_deontics(result):
    seed = result["hubei-2022-metrology-plan-implementation-opinions"]
    assert seed["responsibility"].recall == 1.0 and seed["responsibility"].precision >= 0.8
    assert seed["deontic"].f1 >= 0.9


@pytest.mark.parametrize("kind,floor", [("target", 0.9), ("responsibility", 0.85), ("deontic", 0.85),
                                        ("task", 0.8), ("mention", 0.9)])
def test_floors_over_all_documents(result, kind, floor):
    assert result["all"][kind].f1 >= floor, format_table(result)


def test_other_styles_are_covered(result):
    others = [k for k in result if k not in ("all", "hubei-2022-metrology-plan-implementation-opinions")]
    assert len(others) >= 2
    for k in others:
        assert result[k]["target"].recall >= 0.8 and result[k]["responsibility"].recall >= 0.8, k


# documents written in styles the rules were not first built on (national plan with 专栏,
# Guangdong action plan with a flattened indicator table, county notice in articles with
# full-width digits, Zhejiang city opinions): each type must hold up on each of them
HELD_OUT = ("national-2026-measurement-capability-plan", "guangdong-2025-metrology-action-plan",
            "county-2025-livelihood-metrology-notice", "wenzhou-2025-metrology-implementation-opinions")


@pytest.mark.parametrize("doc_id", HELD_OUT)
@pytest.mark.parametrize("kind", ["target", "responsibility", "deontic", "task"])
def test_other_styles_per_type(result, doc_id, kind):
    assert result[doc_id][kind].f1 >= 0.85, format_table({doc_id: result[doc_id]})


def test_seed_tasks(result):
    s = result["hubei-2022-metrology-plan-implementation-opinions"]["task"]
    assert s.gold >= 30 and s.f1 >= 0.9


def test_table_base_years_are_no_targets(result):
    _scores, _gold, facts, _text = evaluate_file(GOLD_DIR / "guangdong-2025-metrology-action-plan.json", load_pipeline())
    values = {int(f.value) for f in facts if f.kind == "target"}
    assert {3500, 25, 98, 1800} <= values and not values & {3050, 18, 95, 1200}


def test_fines_are_no_targets(result):
    _scores, _gold, facts, _text = evaluate_file(GOLD_DIR / "county-2025-livelihood-metrology-notice.json", load_pipeline())
    assert not [f for f in facts if f.kind == "target" and "罚款" in f.text]


def test_the_default_gold_ships_in_the_package():
    files = gold_files()
    assert GOLD_DIR == corpus_dir() / "gold" and len(files) == 8
    for f in files:  # every source resolves next to the gold, inside the package
        source = f.parent / json.loads(f.read_text(encoding="utf-8"))["source"]
        assert source.is_file() and corpus_dir() in source.resolve().parents


def test_eval_reports_a_crash_as_an_error_not_as_missing_facts(tmp_path, monkeypatch):
    (tmp_path / "plan.txt").write_text(_faulty.TEXT, encoding="utf-8")
    gold = tmp_path / "plan.json"
    gold.write_text(json.dumps({"doc_id": _faulty.DOC_ID, "source": "plan.txt", "deontics": [
        {"context": "省市场监管局要加强", "cue": "要", "modality": "obligation"}]}, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(pipeline_module, "load_pipeline", lambda: _faulty.pipeline())
    assert main(["eval", str(gold), "--json"]) == 0  # the gold is right: a clean pipeline scores it
    monkeypatch.setattr(pipeline_module, "load_pipeline", lambda: _faulty.pipeline(_faulty.FAILING))
    with pytest.raises(RuntimeError, match="a bug in a rule") as caught:
        main(["eval", str(gold), "--json"])
    notes = "\n".join(caught.value.__notes__)
    assert _faulty.FAILING in notes and f"provision {_faulty.FAULTY_PROVISION} of {_faulty.DOC_ID}" in notes


def test_eval_without_gold_files_is_a_coded_error(tmp_path, capsys):
    assert main(["eval", str(tmp_path)]) == 2
    assert "[E221]" in capsys.readouterr().err


@pytest.mark.slow
def test_eval_runs_from_an_unpacked_wheel(tmp_path):
    """The wheel alone (no checkout, no editable install) holds the gold, its documents and the queries."""
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
                           "-q", "-w", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    installed = tmp_path / "site"
    zipfile.ZipFile(next(tmp_path.glob("metrokg-*.whl"))).extractall(installed)
    # -S: no site processing, so the editable install's import hook is not loaded; the dependencies
    # come from site-packages as a plain path
    code = ("import json, sys, metrokg; from metrokg.kg.search.evaluate import load_queries; "
            "from metrokg.ui.cli.main import main; "
            "print(json.dumps([metrokg.__file__, len(load_queries())])); sys.exit(main(['eval', '--json']))")
    env = {"PYTHONPATH": f"{installed}:{sysconfig.get_paths()['purelib']}:{sysconfig.get_paths()['platlib']}",
           "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True, timeout=300,
                          cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr
    first, rest = proc.stdout.split("\n", 1)
    where, n_queries = json.loads(first)
    assert where.startswith(str(installed)) and n_queries == 64
    rows = json.loads(rest)
    assert {r["document"] for r in rows} >= {"hubei-2022-metrology-plan-implementation-opinions", "all"}
    assert len({r["document"] for r in rows}) == 9
