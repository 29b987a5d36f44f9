"""Search at corpus scale on the shipped documents (the seed and corpus/docs together): the labelled
multi-document queries of corpus/queries/corpus/plans.json against plain BM25, the relevance cutoff,
intent, the conduct vocabulary, document facets and grouping."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import DEV_DOCS, ROOT, cli_json, run_cli

PLANS = ROOT / "corpus" / "queries" / "corpus" / "plans.json"


@pytest.fixture(scope="module")
def plans_store(built_store, tmp_path_factory) -> Path:
    """The seed store with the eight development documents ingested beside it."""
    store = tmp_path_factory.mktemp("plans") / "store"
    shutil.copytree(built_store, store)
    run_cli("ingest", *sorted(str(p) for p in DEV_DOCS.glob("*.txt")), store=store)
    return store


def _by_kind(out: dict, config: str) -> dict[str, dict]:
    return {r["kind"]: r for r in out["by_kind"] if r["config"] == config}


@pytest.mark.slow
def test_labelled_corpus_queries_beat_plain_bm25_per_kind(plans_store):
    out = cli_json("eval-search", "--queries", str(PLANS), store=plans_store)
    search, bm25 = _by_kind(out, "search"), _by_kind(out, "bm25 (jieba, baseline)")
    assert out["queries"] >= 40 and {"paraphrase", "keyword", "cross-document", "english", "target",
                                     "out-of-domain"} <= set(search)
    assert search["all"]["recall@5"] >= bm25["all"]["recall@5"] + 0.15, (search["all"], bm25["all"])
    assert search["out-of-domain"]["recall@5"] == 1.0  # "nothing relevant" for every one of them
    assert bm25["out-of-domain"]["recall@5"] < 1.0 and search["english"]["recall@5"] > bm25["english"]["recall@5"]
    for kind in ("keyword", "cross-document", "question"):
        assert search[kind]["recall@5"] >= 0.9, (kind, search[kind])
    assert all(0.0 <= r["coverage@10"] <= 1.0 for r in out["by_kind"])


@pytest.mark.slow
def test_nothing_relevant_k_is_a_maximum_and_documents_are_titled(plans_store):
    proc = run_cli("search", "红烧肉的做法", "--json", store=plans_store)
    assert proc.stdout.strip() == "[]" and "nothing relevant found / 未找到相关内容" in proc.stderr
    # 规定 is in many texts and meaning is near any text: two signals agreeing on it is no topic
    assert run_cli("search", "小狗的饲养规定", "--json", store=plans_store).stdout.strip() == "[]"
    # one English word of two or three in the vocabulary's labels is chance, not metrology
    for query in ("stock market news today", "best smartphone camera"):
        assert run_cli("search", query, "--json", store=plans_store).stdout.strip() == "[]", query
    assert cli_json("search", "farmers market scales", store=plans_store)  # the market of 集贸市场 is still named
    hits = cli_json("search", "打车计价器每年检定多少台", "--k", "10", store=plans_store)
    assert 1 <= len(hits) < 10 and hits[0]["document"] == "yichang-2023-metrology-implementation-plan"
    assert hits[0]["document_title"] == "宜昌市推进计量高质量发展实施方案" and hits[0]["jurisdiction"] == "宜昌市"
    # a citizen's words reach the article through the conduct vocabulary (动了手脚 -> 计量作弊 -> 作弊装置 ...)
    hits = cli_json("search", "加油站的油枪被人动了手脚，老板会受到什么处理", "--mode", "lexical", store=plans_store)
    assert hits[0]["number"] == "10" and hits[0]["document"] == "county-2025-livelihood-metrology-notice", \
        [(h["document"], h["number"]) for h in hits[:3]]
    grouped = cli_json("search", "加油站", "--group", "--jurisdiction", "浙江省", "--mode", "lexical", store=plans_store)
    assert {g["jurisdiction"] for g in grouped["groups"]} <= {"温州市", "青田县"} and grouped["groups"]
    assert all(h["document"] == g["document"] for g in grouped["groups"] for h in g["hits"])
    assert set(grouped["facets"]["jurisdiction"]) <= {"温州市", "青田县"}
    none = run_cli("search", "加油站", "--kind", "law", "--json", store=plans_store)
    assert none.stdout.strip() == "[]"


@pytest.mark.slow
def test_ask_by_role_across_documents_lists_lead_bodies_first(plans_store):
    led = cli_json("ask", "市市场监管局牵头哪些工作？", "--mode", "lexical", store=plans_store)
    assert led["kind"] == "by_role" and led["answers"] and all(a["role"] == "lead" for a in led["answers"])
    assert len({a["provision"]["document"] for a in led["answers"]}) >= 2  # every plan, not one
    english = cli_json("ask", "what does 市市场监管局 lead?", "--mode", "lexical", store=plans_store)
    assert english["kind"] == "by_role" and english["answers"] == led["answers"]
    who = cli_json("ask", "谁负责民生计量器具检定", "--mode", "lexical", store=plans_store)
    roles = [a.get("role") for a in who["answers"]]
    assert roles and roles == sorted(roles, key=lambda r: {"lead": 0, "responsible": 1, "subject": 2,
                                                            "supporting": 3}.get(r or "", 4))
    tasks = cli_json("ask", "市财政局有哪些任务？", "--mode", "lexical", store=plans_store)
    assert tasks["kind"] == "obligations" and {a["actor"] for a in tasks["answers"]} == {"市财政局"}


@pytest.mark.slow
def test_ask_what_is_answers_from_definitions_in_the_vocabulary_and_the_texts(plans_store):
    why = cli_json("ask", "计量是什么？为什么重要？", "--mode", "lexical", store=plans_store)
    assert why["kind"] == "what_is" and why["answers"][0]["topic"] == "what-is-metrology"  # the Learn topic first
    text = next(a for a in why["answers"] if "provision" in a)
    assert text["text"].startswith("计量是实现单位统一")
    assert text["provision"]["document"] == "national-2026-measurement-capability-plan"
    english = cli_json("ask", "what is compulsory verification?", "--mode", "lexical", store=plans_store)
    vocabulary = next(a for a in english["answers"] if "concept" in a)
    assert english["kind"] == "what_is" and vocabulary["text"].startswith("Periodic verification")
    zh = cli_json("ask", "什么是强制检定", "--mode", "lexical", store=plans_store)
    assert zh["kind"] == "what_is" and "检定" in zh["answers"][0]["text"]
