"""Citations resolved in a real store, across documents, and citations as search and ask queries."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import cli_json, run_cli

from metrokg.kg.graph.citations import citation_links
from metrokg.kg.store.registry import open_store

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "real"
QUERIES = Path(__file__).parent / "data" / "queries" / "law-citations.json"
REAL_LAWS = ("jiliangfa-2018", "jiliangfa-xize-2022", "shanghai-tiaoli-2018", "jinkou-banfa-2016")

LAW = """中华人民共和国测量仪器法
第一章 总　则
第一条 为了加强测量仪器管理，制定本法。
第二条 测量仪器应当定期检定。
未经检定的，不得使用。
第二章 法律责任
第三条 有下列行为之一的，责令改正：
（一）使用未经检定的测量仪器的；
（二）破坏测量仪器准确度的。
违反本法第二条第二款规定的，处一千元以下罚款。
"""
RULE = """测量仪器法实施细则
第一条 根据《中华人民共和国测量仪器法》第二条的规定，制定本细则。
第二条 违反测量仪器法第三条第（二）项的，从重处理。
第三条 依照本细则第一条和第二条执行。
"""
PLAN = """某市测量仪器工作方案
一、总体要求
依据《测量仪器法》，推进测量仪器检定。
"""


def _write(folder: Path, **texts: str) -> list[str]:
    out = []
    for name, text in texts.items():
        path = folder / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        out.append(str(path))
    return out


@pytest.mark.slow
def test_citations_resolve_across_documents_added_in_any_order(tmp_path):
    store = tmp_path / "store"
    run_cli("ingest", *_write(tmp_path, plan=PLAN, rule=RULE), store=store)
    with open_store(str(store)) as s:  # the law is not in the store yet: references stay unresolved
        early = {(link.document, link.text): link.target for link in citation_links(s)}
    assert early[("plan", "《测量仪器法》")] is None
    assert early[("rule", "本细则第一条")].endswith("/doc/rule/article/1")
    run_cli("ingest", *_write(tmp_path, law=LAW), store=store)
    with open_store(str(store)) as s:
        links = {(link.document, link.text): link for link in citation_links(s)}
    assert links[("plan", "《测量仪器法》")].target.endswith("/doc/law")
    assert links[("rule", "《中华人民共和国测量仪器法》第二条")].target.endswith("/doc/law/article/2")
    assert links[("rule", "测量仪器法第三条第（二）项")].target.endswith("/doc/law/article/3/paragraph/1/item/2")
    inside = links[("law", "本法第二条第二款")]
    assert inside.target.endswith("/doc/law/article/2/paragraph/2") and inside.target_document == "law"
    provisions = cli_json("provisions", "--document", "law", store=store)
    assert [p["citation"] for p in provisions] == ["第一章", "第一条", "第二条", "第二章", "第三条"]
    assert provisions[2]["iri"].endswith("/doc/law/article/2")
    for query, document, expected in [("测量仪器法第三条", None, "law/article/3"),
                                      ("《中华人民共和国测量仪器法》第二条第二款", None, "law/article/2"),
                                      ("实施细则第二条", None, "rule/article/2"),
                                      ("第一条", "rule", "rule/article/1")]:
        args = ["search", query, "--mode", "lexical"] + (["--document", document] if document else [])
        hits = cli_json(*args, store=store)
        assert hits[0]["iri"].endswith(expected), (query, hits[0]["iri"])
    # a title without an article: that document's provisions first (测量仪器法 of its 实施细则 is no mention)
    hits = cli_json("search", "测量仪器法怎么要求检定", "--mode", "lexical", store=store)
    documents = [h["document"] for h in hits]  # the plan says 《测量仪器法》 and 检定 too, and is shorter
    assert documents[0] == "law" and len(set(documents)) > 1, documents
    assert min(i for i, d in enumerate(documents) if d != "law") > max(i for i, d in enumerate(documents) if d == "law")
    hits = cli_json("search", "测量仪器法实施细则从重处理", "--mode", "lexical", store=store)
    assert hits[0]["document"] == "rule"
    answer = cli_json("ask", "测量仪器法第三条规定了什么", "--mode", "lexical", store=store)
    assert answer["kind"] == "citation" and answer["answers"][0]["provision"]["iri"].endswith("law/article/3")
    assert "（二）破坏测量仪器准确度的" in answer["answers"][0]["text"]


@pytest.fixture(scope="module")
def real_law_store(tmp_path_factory) -> Path:
    """A store of the four real laws, read in place from ../shared/real (skipped when absent)."""
    if not REAL.exists():
        pytest.skip("../shared/real is absent: real laws not checked")
    store = tmp_path_factory.mktemp("real-laws") / "store"
    run_cli("ingest", *(str(REAL / f"{name}.txt") for name in REAL_LAWS), store=store)
    return store


@pytest.mark.slow
def test_labelled_citation_queries_are_all_answered_first(real_law_store):
    out = cli_json("eval-search", "--queries", str(QUERIES), "--mode", "lexical", "--per-query", store=real_law_store)
    table = {row["config"]: row for row in out["table"]}
    for config in ("lexical + expansion (weighted, --mode lexical)", "lexical + expansion (rrf)"):
        assert table[config]["success@5"] == 1.0 and table[config]["mrr@10"] == 1.0, config
    assert all(row["mrr@10"] == 1.0 for row in out["per_query"])
    assert table["lexical only"]["mrr@10"] < 1.0  # a signal alone does not read citations


@pytest.mark.slow
def test_every_real_article_is_found_first_by_its_citation(real_law_store):
    store = real_law_store
    from metrokg.kg.search.index import SearchIndex
    from metrokg.nlp.structure.citations import parse_target

    with open_store(str(store)) as s:
        index = SearchIndex.open(s)
        titles = {doc_id: title for doc_id, title, _ in index.titles}
        short = {"jiliangfa-2018": "计量法", "jiliangfa-xize-2022": "计量法实施细则"}
        misses = []
        for r in index.records:
            if not (r.citation and parse_target(r.citation).article):
                continue
            for title in {titles[r.document], f"《{titles[r.document]}》", short.get(r.document, titles[r.document])}:
                hits = index.search(title + r.citation, k=3, mode="lexical")
                if not hits or hits[0].provision.iri != r.iri:
                    misses.append(title + r.citation)
            hits = index.search(r.citation, k=3, document=r.document, mode="lexical")
            if hits[0].provision.iri != r.iri:
                misses.append(f"{r.citation} in {r.document}")
        assert not misses, misses
        links = citation_links(s)
    resolved = [link for link in links if link.target]
    assert len(resolved) >= 25 and any(link.target_document == "jiliangfa-2018" and link.document != "jiliangfa-2018"
                                       for link in resolved)
