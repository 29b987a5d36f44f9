"""The public Python API: ``metrokg.KnowledgeGraph`` over a real temporary store."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from metrokg.errors import MetrokgError

ROOT = Path(__file__).resolve().parent.parent
NOTICE = ROOT / "corpus" / "docs" / "county-2025-livelihood-metrology-notice.txt"
DOC_ID = "county-2025-livelihood-metrology-notice"
pytestmark = pytest.mark.slow  # ingest loads the extraction pipeline, search the embedding model


@pytest.fixture(scope="module")
def graph_path(tmp_path_factory) -> Path:
    """A store holding one shipped development document, ingested through the API."""
    from metrokg import KnowledgeGraph

    path = tmp_path_factory.mktemp("api") / "store"
    with KnowledgeGraph(path) as graph:
        (result,) = graph.ingest(NOTICE)
    assert result["id"] == DOC_ID and result["status"] == "added" and result["provisions"] >= 12
    return path


def test_ingest_search_ask_and_list(graph_path):
    from metrokg import KnowledgeGraph

    with KnowledgeGraph(str(graph_path)) as graph:
        assert [d["id"] for d in graph.documents()] == [DOC_ID]
        hits = graph.search("加油机", k=3)
        assert hits and hits[0]["document"] == DOC_ID and "加油机" in hits[0]["text"]
        assert set(hits[0]) >= {"number", "heading", "text", "score", "sentence", "concepts"}
        assert graph.search("加油机", k=1, modality="prohibition")[0]["number"] == hits[0]["number"]
        answer = graph.ask("到2027年要完成哪些目标？")
        assert answer["kind"] == "targets_by_year" and answer["answers"]
        assert {a["provision"]["number"] for a in answer["answers"]} == {"11"}  # 到２０２７年，…受检率达到９５％
        provisions = graph.provisions(DOC_ID)
        assert provisions == graph.provisions() and len(provisions) >= 12
        assert any(r["modality"] == "prohibition" for r in graph.obligations(document=DOC_ID))
        assert {"3", "8", "11"} <= {t["number"] for t in graph.targets(DOC_ID)}
        assert graph.gaps(by="instrument")["by"] == "instrument"


def test_ingesting_again_changes_nothing_and_reads_see_the_writes(graph_path, tmp_path):
    import shutil

    from metrokg import KnowledgeGraph

    copy = tmp_path / "store"
    shutil.copytree(graph_path, copy)
    graph = KnowledgeGraph(copy)
    try:
        assert len(graph.documents()) == 1  # a read-only snapshot first
        (again,) = graph.ingest([str(NOTICE)])
        assert again["status"] == "unchanged"
        (seed,) = graph.ingest([ROOT / "corpus" / "docs" / "guangxi-2024-metrology-work-points.txt"])
        assert seed["status"] == "added" and len(graph.documents()) == 2  # the writer reads its own write
    finally:
        graph.close()
    graph.close()  # closing twice is harmless


def test_mistakes_are_coded_errors_and_leave_the_store_as_it_was(graph_path, tmp_path):
    from metrokg import KnowledgeGraph

    with KnowledgeGraph(graph_path) as graph:
        with pytest.raises(MetrokgError) as err:
            graph.search("计量", document="no-such-document")
        assert err.value.code == "E010"
        with pytest.raises(MetrokgError) as err:
            graph.gaps(by="planet")
        assert err.value.code == "E332"
    with KnowledgeGraph(tmp_path / "nothing-here") as empty:
        with pytest.raises(MetrokgError) as err:
            empty.documents()
        assert err.value.code == "E380" and not (tmp_path / "nothing-here").exists()  # reading creates nothing
    with KnowledgeGraph(graph_path) as graph:
        with pytest.raises(MetrokgError) as err:
            graph.ingest([NOTICE, tmp_path / "missing.txt"])  # all or nothing
        assert err.value.code == "E001"
        assert [d["id"] for d in graph.documents()] == [DOC_ID]


def test_a_long_query_is_cut_with_a_warning(graph_path, monkeypatch):
    from metrokg import KnowledgeGraph

    monkeypatch.setenv("METROKG_MAX_QUERY_CHARS", "20")
    with KnowledgeGraph(graph_path) as graph, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        graph.search("加油机" * 20, k=1, mode="lexical")
    assert any("[W155]" in str(w.message) for w in caught)


def test_importing_metrokg_stays_light():
    code = ("import sys, metrokg; metrokg.KnowledgeGraph('/nonexistent'); "
            "print(sorted(m for m in sys.modules if m.startswith(('metrokg.', 'rdflib', 'pyoxigraph', 'numpy', "
            "'jieba', 'spacy', 'gradio'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "[]", out.stdout + out.stderr
