"""Document comparison: alignment of provisions and differences between targets."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import cli_json, run_cli
from _analyses import JIANGXI_ID, SEED_ID, store_with_jiangxi

from metrokg.kg.analyses.compare import similarity_matrix


@pytest.fixture(scope="module")
def store(built_store, tmp_path_factory):
    return store_with_jiangxi(built_store, tmp_path_factory.mktemp("cmp") / "store")


def test_self_comparison_aligns_every_provision(store):
    result = cli_json("compare", SEED_ID, SEED_ID, "--method", "lexical", store=store)
    provisions = cli_json("provisions", "--document", SEED_ID, store=store)
    assert len(result["pairs"]) == len(provisions)
    assert all(p["a"] == p["b"] and p["similarity"] == 1.0 for p in result["pairs"])
    assert result["unmatched_a"] == [] and result["unmatched_b"] == [] and result["target_differences"] == []


def test_two_provinces(store):
    result = cli_json("compare", SEED_ID, JIANGXI_ID, "--method", "lexical", store=store)
    assert set(result) >= {"a", "b", "pairs", "unmatched_a", "unmatched_b", "target_differences"}
    pairs = {(p["a"], p["b"]) for p in result["pairs"]}
    assert ("3.2", "2.2.3") in pairs  # automotive sections: torque calibration in both
    assert ("1.2", "1") in pairs  # development goals
    matched_a = {p["a"] for p in result["pairs"]}
    assert {u["number"] for u in result["unmatched_a"]} == \
        {p["number"] for p in cli_json("provisions", "--document", SEED_ID, store=store)} - matched_a
    diffs = {d["indicator"]: d for d in result["target_differences"]}
    cov = diffs["强制检定项目覆盖率"]
    assert (cov["a"]["value"], cov["b"]["value"]) == (92, 95)
    assert (cov["a"]["deadline"], cov["b"]["deadline"]) == (2025, 2027)
    assert {"value", "deadline"} <= set(cov["differences"])


def test_unknown_document_is_refused(store):
    proc = run_cli("compare", SEED_ID, "no-such-doc", store=store, check=False)
    assert proc.returncode == 2 and "[E010]" in proc.stderr


class _FakeEmbedder:
    """Bag-of-characters vectors: enough to check how the dense signal is blended."""

    def embed_passages(self, texts):
        m = np.zeros((len(texts), 64))
        for i, t in enumerate(texts):
            for c in t:
                m[i, ord(c) % 64] += 1
        return m / np.linalg.norm(m, axis=1, keepdims=True)


def test_dense_signal_is_blended_and_identity_scores_one():
    a = ["研制动态扭矩校准装置", "加强计量文化建设"]
    b = ["加强计量文化建设", "建设动态扭矩校准平台"]
    sim = similarity_matrix(a, b, [set(), set()], [set(), set()], _FakeEmbedder())
    assert sim[1, 0] == 1.0
    assert sim[0, 1] > sim[0, 0]


def test_the_tab_groups_the_parents_untaken_items_by_chapter_and_bounds_each():
    """198 untaken tasks in one table were unreadable: the tab groups them under A's chapters with counts,
    shows a bounded number per chapter and says how many more the XLSX holds."""
    from metrokg.ui.web.tabs.compare import missing_by_chapter

    rows = [[f"3.{i // 4 + 1}", "task", "", "", f"任务{i}"] for i in range(20)] + [["1.2", "覆盖率", "≥92%", 2025, "目标"]]
    chapters = {"1": "总体要求", "2": "创新", "3": "重点任务"}
    zh = missing_by_chapter(rows, chapters, "zh", per_chapter=5)
    assert [r[1] for r in zh if r[0] in chapters] == ["【总体要求】共 1 项", "【重点任务】共 20 项"]
    assert [r[4] for r in zh if r[0].startswith("3.")] == [f"任务{i}" for i in range(5)]
    assert zh[-1][1] == "…… 另有 15 项（完整列表见 XLSX）"
    en = missing_by_chapter(rows, chapters, "en", per_chapter=5)
    assert en[2][1] == "[重点任务] 20 in all" and en[-1][1] == "… 15 more (the XLSX lists them all)"
    assert len(missing_by_chapter(rows, chapters, "zh", per_chapter=100)) == len(rows) + 2  # no "more" row


def test_a_cover_notice_title_resolves_to_the_work_it_issues():
    """常州 and 湖南 cite the national plan by its cover notice (国务院关于印发…的通知): that is the plan."""
    from metrokg.kg.records.parents import fold, resolve_title

    names = {fold("计量发展规划(2021—2035年)"): [("guowuyuan-2021", "title")]}
    for cited in ("国务院关于印发计量发展规划(2021—2035年)的通知", "国务院关于印发《计量发展规划（2021—2035年）》的通知"):
        assert resolve_title(names, cited)["document"] == "guowuyuan-2021", cited
    assert resolve_title(names, "国务院关于印发质量强国建设纲要的通知")["document"] is None
