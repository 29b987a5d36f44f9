"""End-to-end in Debian's Chromium: the 比较 tab on the seed and a city plan of our own, the gap map's
legend and marks in both languages, the graph's 未找到 and the SPARQL console's error.

One server per module over a copy of the built store with the city plan ingested before it starts.
Screenshots go to test-output/ (browser-compare-*.png, browser-gaps-legend-*.png, ...)."""

from __future__ import annotations

import shutil

import pytest

from conftest import DATA, run_cli
from serving import running_server
import test_browser
from test_browser import CHROMIUM, SLOW, choose, open_tab, shot

CITY = DATA / "compare" / "city-plan-implementing-hubei.txt"
SEED_OPTION = "关于贯彻落实《计量发展规划(2021—2035年)》的实施意见 (hubei-2022-metrology-implementation)"
CITY_OPTION = "襄江市计量发展实施方案 (city-plan-implementing-hubei)"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,  # a real `metrokg serve` and Chromium
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (/usr/bin/chromium); "
                                                     "run scripts/system-deps.sh"),
]


@pytest.fixture(scope="module")
def server(built_store, tmp_path_factory):
    store = tmp_path_factory.mktemp("browser-compare") / "store"
    shutil.copytree(built_store, store)
    run_cli("ingest", str(CITY), store=store)
    with running_server(store) as url:
        yield url


browser = test_browser.browser  # the same Chromium and page fixtures, over this module's server
page = test_browser.page


def shows(page, elem_id: str, text: str) -> None:
    """Wait until an element's text holds ``text`` (a table's cells may be rendered hidden twice)."""
    page.wait_for_function("([id, text]) => (document.getElementById(id)?.innerText || '').includes(text)",
                           arg=[elem_id, text], timeout=SLOW)


def pick(page, elem_id: str, option: str) -> None:
    """Choose a document; again if the page's first refresh of its lists (on load) reset the choice."""
    for _ in range(3):
        choose(page, elem_id, option)
        page.wait_for_timeout(1500)
        if page.eval_on_selector(f"#{elem_id} input", "e => e.value") == option:
            return
    raise AssertionError(f"{option} could not be chosen in #{elem_id}")


def test_compare_a_city_plan_with_the_seed_it_implements(page, output_dir):
    open_tab(page, "比较")
    pick(page, "compare-b", CITY_OPTION)
    # picking the plan proposes the document it implements, which the store holds
    page.wait_for_function("() => document.querySelector('#compare-a input').value.includes('hubei-2022')",
                           timeout=SLOW)
    page.click("#compare-button")
    shows(page, "compare-pairs", "严厉打击加油站作弊、缺斤短两等违法行为")
    assert "加大计量执法力度" in page.locator("#compare-pairs").inner_text()
    status = page.locator("#compare-status")
    assert "对应" in status.inner_text() and status.locator("a[data-doc='hubei-2022-metrology-implementation']").count()
    missing = page.locator("#compare-missing").inner_text()
    assert "国家现代先进测量实验室" in missing
    # the parent's untaken items under its chapters, with counts and a bounded number each (the XLSX has all)
    assert "【总体要求】共" in missing and "完整列表见 XLSX" in missing
    assert "更严" in page.locator("#compare-diffs").inner_text()
    assert "开展燃油加油机专项检查" in page.locator("#compare-added").inner_text()
    assert page.locator("#compare-xlsx").get_by_text(".xlsx").count() >= 1
    shot(page, output_dir, "compare-zh")
    page.locator("#compare-missing").scroll_into_view_if_needed()
    shot(page, output_dir, "compare-missing-zh")
    page.locator("#lang-switch").get_by_text("English").click()
    page.get_by_role("button", name="Compare", exact=True).wait_for()
    page.click("#compare-button")
    shows(page, "compare-pairs", "A provision")
    # each English column header on one line, not broken inside its words (A prov/isio/n, Similar/ity)
    lines = page.eval_on_selector_all(
        "#compare-pairs .header-cell .cell-wrap span",
        "els => els.map(e => e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight))")
    assert len(lines) == 6 and max(lines) < 1.5, lines
    shows(page, "compare-diffs", "stricter")
    shows(page, "compare-missing", "more (the XLSX lists them all)")
    shot(page, output_dir, "compare-en")


def test_compare_two_documents_picked_by_hand(page, output_dir):
    open_tab(page, "比较")
    pick(page, "compare-a", SEED_OPTION)
    pick(page, "compare-b", SEED_OPTION)
    page.click("#compare-button")
    shows(page, "compare-pairs", "指导思想")  # the table draws its first rows: every one pairs with itself
    assert "对应 36 处" in page.locator("#compare-status").inner_text()
    assert "合并" not in page.locator("#compare-pairs").inner_text()
    shot(page, output_dir, "compare-self")


def test_gap_map_legend_catalogue_and_weak_cells_in_both_languages(page, output_dir):
    open_tab(page, "缺口")
    page.locator("#gap-heatmap td[data-column]").first.wait_for(timeout=SLOW)
    legend = page.locator("#gap-legend").inner_text()
    assert all(w in legend for w in ("需求", "规范", "缺口", "0.25", "0.5", "1.5", "specs-sample.csv"))
    assert "规范目录共" in page.locator("#gap-status").inner_text()
    assert page.locator("#gap-heatmap td.mk-weak").count() >= 1
    shot(page, output_dir, "gaps-legend-zh")
    page.locator("#lang-switch").get_by_text("English").click()
    page.locator("#gap-legend").get_by_text("How to read it").wait_for()
    page.get_by_role("button", name="Draw the gap map", exact=True).click()
    page.locator("#gap-status").get_by_text("The catalogue holds").wait_for(timeout=SLOW)
    heat = page.locator("#gap-heatmap")
    heat.locator("td[data-column='torque']").first.wait_for()
    assert "automotive" in heat.inner_text() and "扭矩" not in heat.inner_text()
    shot(page, output_dir, "gaps-legend-en")


def test_graph_says_not_found_for_an_unknown_term(page, output_dir):
    open_tab(page, "图谱")
    page.fill("#graph-find textarea", "不存在的词zzq")
    page.click("#graph-find-button")
    page.locator("#graph-status").get_by_text("未找到").wait_for(timeout=SLOW)
    assert "不存在的词zzq" in page.locator("#graph-status").inner_text()
    shot(page, output_dir, "graph-not-found")
    page.fill("#graph-find textarea", "汽车")
    page.click("#graph-find-button")
    page.wait_for_function("() => document.querySelector('#graph-pick input').value.startsWith('汽车产业')",
                           timeout=SLOW)


def test_graph_draws_the_instruments_of_the_instrument_scheme(page, output_dir):
    """计量器具 is a concept scheme: its neighbourhood is its member instruments, not a lone node."""
    open_tab(page, "图谱")
    page.fill("#graph-find textarea", "计量器具")
    page.click("#graph-find-button")
    page.wait_for_function("() => document.querySelectorAll('#graph-network .mk-node').length > 20", timeout=SLOW)
    drawing = page.locator("#graph-network svg").text_content()
    assert "电能表" in drawing and "所属概念体系" in drawing
    shot(page, output_dir, "graph-instrument-scheme-zh")
    page.locator("#lang-switch").get_by_text("English").click()  # the same entity, drawn again in English
    page.wait_for_function("() => (document.querySelector('#graph-network svg')?.textContent || '')"
                           ".includes('in scheme')", timeout=SLOW)
    assert "所属概念体系" not in page.locator("#graph-network svg").text_content()
    shot(page, output_dir, "graph-instrument-scheme-en")


def test_sparql_error_clears_the_previous_results(page, output_dir):
    open_tab(page, "SPARQL")
    page.click("#sparql-run")
    page.locator("#sparql-status .mk-ok").wait_for(timeout=SLOW)
    assert page.locator("#sparql-table").get_by_text("hubei-2022-metrology-implementation").count() >= 1
    page.click("#sparql-query .cm-content")
    page.keyboard.press("Control+A")
    page.keyboard.type("SELECT ?s WHERE { ?s ex:p ?o }")
    page.click("#sparql-run")
    error = page.locator("#sparql-status .mk-error")
    error.wait_for()
    assert "[E020]" in error.inner_text() and "前缀 ex: 未声明" in error.inner_text()  # in the page's language
    assert page.locator("#sparql-table").get_by_text("hubei-2022-metrology-implementation").count() == 0
    shot(page, output_dir, "sparql-error-cleared")
