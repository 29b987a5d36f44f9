"""End-to-end, two browsers on one server: an upload in one shows in the other's document lists
without a reload or a restart, and the upload box's smaller points (no preview needed, files it
cannot read refused with the reason, fact counts and status in Chinese).

Debian's Chromium through Playwright against a real `metrokg serve` over a copy of the built
store; screenshots under test-output/browser-live-*.png.
"""

from __future__ import annotations

import os
import shutil

import pytest

from serving import running_server
import test_browser
from test_browser import CHROMIUM, SLOW, open_tab, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (/usr/bin/chromium); "
                                                     "run scripts/system-deps.sh"),
]
PLAN = ("某区计量工作方案\n一、总体要求\n到2025年，新建社会公用计量标准20项以上。\n"
        "二、重点任务\n（一）加强民生计量。区市场监管局要加强对加油机、电能表的监督检查。\n")


@pytest.fixture(scope="module")
def server(built_store, tmp_path_factory):
    store = tmp_path_factory.mktemp("browser-live") / "store"
    shutil.copytree(built_store, store)
    before = os.environ.get("METROKG_WEB_REFRESH_SECONDS")
    os.environ["METROKG_WEB_REFRESH_SECONDS"] = "2"  # the server reads it at start-up
    try:
        with running_server(store) as url:
            yield url
    finally:
        if before is None:
            os.environ.pop("METROKG_WEB_REFRESH_SECONDS", None)
        else:
            os.environ["METROKG_WEB_REFRESH_SECONDS"] = before


browser = test_browser.browser  # the same Chromium fixture as the other browser tests


def new_page(browser, url: str):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(url + "/")
    page.wait_for_selector("#search-box textarea")
    return context, page


def options(page, elem_id: str) -> str:
    """The texts of a dropdown's options (opened, read, closed again; a list the timer re-rendered
    while it opened is opened again)."""
    listbox = page.locator("[role=listbox]:visible").first
    for attempt in range(4):
        page.click(f"#{elem_id} input")
        try:
            listbox.wait_for(timeout=5_000)
            text = listbox.inner_text()
            break
        except Exception:  # noqa: BLE001 - not open yet: close whatever is half-open and try again
            if attempt == 3:
                raise
            page.keyboard.press("Escape")
            page.click("#app-header")
    page.keyboard.press("Escape")
    page.click("#app-header")  # blur: the next click opens the list afresh
    return text


def upload(page, path) -> None:
    """Put ``path`` in the upload box (the file there before, if any, cleared first)."""
    file_input = page.locator("#upload-file input[type=file]")
    for _ in range(10):  # the box shows a file until it is cleared; the input comes back then
        if file_input.count():
            break
        clear = page.locator("#upload-file button.icon-button")  # 清除 (Clear): labelled in the page's locale
        if clear.count():
            clear.first.click()
        page.wait_for_timeout(500)
    file_input.wait_for(state="attached")
    file_input.set_input_files(str(path))
    page.locator("#upload-file").get_by_text(path.stem).wait_for(timeout=SLOW)  # name and suffix apart


def test_an_upload_in_one_browser_shows_in_the_others_lists(browser, server, tmp_path, output_dir):
    doc = tmp_path / "live-district-plan.txt"
    doc.write_text(PLAN, encoding="utf-8")
    ctx_a, a = new_page(browser, server)
    ctx_b, b = new_page(browser, server)  # open before the upload: its lists were made without the document
    try:
        assert "live-district-plan" not in options(b, "search-document")
        open_tab(a, "文档")
        a.get_by_text("上传新文件").click()
        upload(a, doc)
        a.click("#add-button")  # no preview first
        a.locator("#upload-status .mk-ok").wait_for(timeout=SLOW)
        added = a.locator("#upload-status").inner_text()
        assert "live-district-plan" in added and "新增" in added and "added" not in added
        shot(a, output_dir, "live-a-added")
        # B does nothing: its search filter follows the store on the page's timer
        for _ in range(30):
            if "live-district-plan" in options(b, "search-document"):
                break
            b.wait_for_timeout(1_000)
        assert "live-district-plan" in options(b, "search-document")
        open_tab(b, "义务")
        assert "live-district-plan" in options(b, "obl-document")
        open_tab(b, "文档")
        b.locator("#doc-table").get_by_text("live-district-plan").wait_for(timeout=SLOW)
        b.get_by_text("删除文件").click()
        assert "live-district-plan" in options(b, "remove-select")
        b.locator("#doc-table").scroll_into_view_if_needed()
        shot(b, output_dir, "live-b-sees-it")
        # B removes it; A's lists follow, again without a reload
        b.click("#remove-select input")
        b.get_by_role("option", name="某区计量工作方案 (live-district-plan)", exact=True).click()
        b.click("#remove-button")
        b.click("#remove-confirm")
        b.locator("#remove-status .mk-ok").wait_for(timeout=SLOW)
        a.locator("#doc-table").get_by_text("live-district-plan").wait_for(state="detached", timeout=SLOW)
        shot(a, output_dir, "live-a-sees-removal")
    finally:
        ctx_a.close()
        ctx_b.close()


def test_the_upload_box_names_what_is_wrong_and_counts_in_chinese(browser, server, tmp_path, output_dir):
    ctx, page = new_page(browser, server)
    try:
        open_tab(page, "文档")
        page.get_by_text("上传新文件").click()
        image = tmp_path / "scan.png"
        image.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
        upload(page, image)
        page.click("#add-button")
        page.locator("#upload-status").get_by_text("E004").wait_for(timeout=SLOW)
        status = page.locator("#upload-status").inner_text()
        assert "scan.png" in status and "image" in status and "请先上传文件" not in status
        shot(page, output_dir, "live-png-refused")
        fake = tmp_path / "notes.pdf"
        fake.write_text(PLAN, encoding="utf-8")
        upload(page, fake)
        page.click("#preview-button")
        page.locator("#upload-status").get_by_text("E007").wait_for(timeout=SLOW)
        assert "not a PDF" in page.locator("#upload-status").inner_text()
        plan = tmp_path / "preview-district-plan.txt"
        plan.write_text(PLAN, encoding="utf-8")
        upload(page, plan)
        page.click("#preview-button")
        page.locator("#upload-preview table").wait_for(timeout=SLOW)
        preview = page.locator("#upload-preview").inner_text()
        assert "任务" in preview and "Task" not in preview and "QuantitativeTarget" not in preview
        page.locator("#upload-preview").scroll_into_view_if_needed()
        shot(page, output_dir, "live-preview-chinese")
    finally:
        ctx.close()


YICHANG_NOTICE = ("宜昌市人民政府关于加强计量工作的实施意见\n一、总体要求\n加强计量监督管理，提升计量服务能力。\n"
                  "二、重点任务\n开展加油机计量专项检查，严厉打击计量作弊行为。\n宜昌市人民政府\n2024年3月1日\n")


def test_the_search_facets_count_documents_and_follow_an_upload(browser, server, tmp_path, output_dir):
    """The search tab's kind, jurisdiction and year dropdowns show counts, gain an uploaded document's
    place and year in another browser without a reload, filter the hits, and speak English after the switch."""
    doc = tmp_path / "yichang-notice.txt"
    doc.write_text(YICHANG_NOTICE, encoding="utf-8")
    ctx_a, a = new_page(browser, server)
    ctx_b, b = new_page(browser, server)
    try:
        assert "宜昌市" not in options(b, "search-jurisdiction")
        b.wait_for_timeout(1_000)
        assert "规范性文件（" in options(b, "search-kind")
        b.wait_for_timeout(1_000)
        assert "份）" in options(b, "search-issued")
        open_tab(a, "文档")
        a.get_by_text("上传新文件").click()
        upload(a, doc)
        a.click("#add-button")
        a.locator("#upload-status .mk-ok").wait_for(timeout=SLOW)
        for _ in range(30):
            if "宜昌市（1 份）" in options(b, "search-jurisdiction"):
                break
            b.wait_for_timeout(1_000)
        places = options(b, "search-jurisdiction")
        assert "宜昌市（1 份）" in places and places.index("湖北省") < places.index("宜昌市")
        b.wait_for_timeout(1_000)  # the jurisdiction list closed before the year list opens
        assert "2024（1 份）" in options(b, "search-issued")
        b.click("#search-jurisdiction input")
        b.get_by_role("option").filter(has_text="宜昌市（1 份）").click()
        b.fill("#search-box textarea", "计量")
        b.click("#search-button")
        b.wait_for_selector("#search-results .mk-hit", timeout=SLOW)
        titles = b.locator("#search-results h4.mk-doc").all_inner_texts()
        assert titles and all("yichang-notice" in x for x in titles)
        shot(b, output_dir, "live-facets-zh")
        b.locator("#lang-switch").get_by_text("English").click()
        b.get_by_role("button", name="Search", exact=True).wait_for()
        b.wait_for_timeout(1_500)
        assert "Yichang (1)" in options(b, "search-jurisdiction")
        b.wait_for_timeout(1_000)
        assert "policy document (" in options(b, "search-kind")
        b.click("#search-button")
        b.wait_for_selector("#search-results .mk-hit", timeout=SLOW)
        shot(b, output_dir, "live-facets-en")
    finally:
        ctx_a.close()
        ctx_b.close()
