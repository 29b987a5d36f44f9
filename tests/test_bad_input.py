"""Bad documents through the real `metrokg ingest` (issue 9): each is ingested correctly or refused
with a message naming the problem, and the store then holds exactly the previous state or the
complete new documents.

The documents that should be accepted are ingested in one call (extraction start-up dominates
the time); the refusals each get their own call and a before/after comparison of the store.
"""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import cli_json, run_cli
from test_readers import _ascii_pdf, _make_docx, _page_objects, _pdf
from metrokg.kg.graph.ingest import doc_id_for

pytestmark = pytest.mark.slow  # one ingest subprocess of twelve documents, and one more per refusal

BODY = ("关于加强计量工作的实施意见\n"
        "一、总体要求\n"
        "（一）到2025年，建成10家以上产业计量测试中心。\n"
        "二、重点任务\n"
        "（一）加强能源计量。省市场监管局负责组织实施。\n")
TRADITIONAL = ("關於加強計量工作的實施意見\n一、總體要求\n"
               "（一）到2025年，建成10家以上產業計量測試中心。\n")
SKIPPED = ("关于完善计量体系的通知\n一、总体要求\n（一）到2025年，建成10家以上产业计量测试中心。\n"
           "三、保障措施\n（一）省市场监管局负责组织实施。\n")
HEADINGS_ONLY = "关于计量工作的安排\n一、总体要求\n二、重点任务\n三、保障措施\n"
LONG_SENTENCE = "到2025年，全省建成10家以上产业计量测试中心，计量服务能力显著增强；"
HTML = ("<!DOCTYPE html><html><head><title>站点标题</title><style>p{color:red}</style>"
        "<script>var secret = '脚本文字';</script></head><body><nav>首页 | 政务公开</nav>"
        "<h1>关于加强计量工作的实施意见</h1><p>一、总体要求</p>"
        "<p>（一）到2025年，建成10家以上产业计量测试中心。</p>"
        "<script>document.write('注入文字')</script><noscript>请启用脚本</noscript></body></html>")
ODD_NAME = "湖北 计量 意见 (2022).txt"
PROVISION_COUNT = "SELECT (COUNT(?p) AS ?n) WHERE { ?p a <https://w3id.org/metrokg/ontology#Provision> }"


def _state(store) -> tuple:
    """What must not change when an input is refused: the documents and the provisions."""
    out = json.loads(run_cli("sparql", PROVISION_COUNT, "--format", "json", store=store).stdout)
    return cli_json("documents", store=store), out["results"]["bindings"][0]["n"]["value"]


@pytest.fixture(scope="module")
def store(built_store, tmp_path_factory):
    dest = tmp_path_factory.mktemp("bad-input") / "store"
    shutil.copytree(built_store, dest)
    return dest


@pytest.fixture(scope="module")
def ingested(store, tmp_path_factory):
    """The acceptable bad documents, ingested in one call: (results by id, provisions by id, before, after)."""
    folder = tmp_path_factory.mktemp("good")
    files = {
        "utf8.txt": BODY.encode("utf-8"),
        "gbk.txt": BODY.encode("gbk"),
        "gb18030.txt": BODY.encode("gb18030"),
        "utf16.txt": BODY.encode("utf-16"),  # with BOM
        "bom.txt": b"\xef\xbb\xbf" + BODY.encode("utf-8"),
        "traditional.txt": TRADITIONAL.encode("utf-8"),
        "skipped.txt": SKIPPED.encode("utf-8"),
        "headings.txt": HEADINGS_ONLY.encode("utf-8"),
        "longline.txt": ("关于计量能力的说明\n一、总体要求\n" + LONG_SENTENCE * 400).encode("utf-8"),
        "page.html": HTML.encode("utf-8"),
        "plan.docx": _make_docx(),
    }
    paths = []
    for name, data in files.items():
        (folder / name).write_bytes(data)
        paths.append(str(folder / name))
    odd = folder / "上传 文件"
    odd.mkdir()
    (odd / ODD_NAME).write_bytes(BODY.replace("计量工作", "地方计量工作").encode("utf-8"))
    paths.append(str(folder / "上传 文件" / ".." / "上传 文件" / ODD_NAME))
    before = _state(store)
    results = {r["id"]: r for r in cli_json("ingest", *paths, store=store)}
    provisions: dict[str, list[dict]] = {}
    for p in cli_json("provisions", store=store):
        provisions.setdefault(p["document"], []).append(p)
    return results, provisions, before, _state(store)


def _outline(provisions: list[dict]) -> list[tuple[str, str]]:
    return [(p["number"], p["heading"]) for p in provisions]


ENCODED_AGAIN = ["gbk", "gb18030", "utf16", "bom"]  # the utf8 document's text in other encodings


def test_the_batch_is_complete(ingested):
    results, provisions, (docs_before, n_before), (docs_after, n_after) = ingested
    assert len(results) == 12
    added = {doc_id for doc_id, r in results.items() if r["status"] == "added"}
    assert added == set(results) - set(ENCODED_AGAIN)
    new = {d["id"] for d in docs_after} - {d["id"] for d in docs_before}
    assert new == added
    for doc_id in added:
        assert len(provisions[doc_id]) == results[doc_id]["provisions"] > 0, doc_id
    assert int(n_after) == int(n_before) + sum(results[d]["provisions"] for d in added)


@pytest.mark.parametrize("doc_id", ENCODED_AGAIN)
def test_encodings_give_the_same_document(ingested, doc_id):
    """Decoded and normalised, each encoding is the utf8 document's text to the character: its content
    hash matches, so it is reported as that document's duplicate and not stored twice."""
    results, provisions, _, _ = ingested
    assert results[doc_id]["title"] == "关于加强计量工作的实施意见"
    assert results[doc_id]["status"] == "duplicate" and doc_id not in provisions
    assert any("'utf8'" in w for w in results[doc_id]["warnings"]), results[doc_id]
    assert ("1.1", "到2025年，建成10家以上产业计量测试中心") in _outline(provisions["utf8"])


def test_traditional_characters_are_kept(ingested):
    results, provisions, _, _ = ingested
    assert results["traditional"]["title"] == "關於加強計量工作的實施意見"
    assert _outline(provisions["traditional"]) == [("1", "總體要求"), ("1.1", "到2025年，建成10家以上產業計量測試中心")]


def test_skipped_numbering_keeps_the_written_numbers_and_warns(ingested):
    results, provisions, _, _ = ingested
    assert [n for n, _ in _outline(provisions["skipped"])] == ["1", "1.1", "3", "3.1"]
    assert any("numbering jumps from 1 to 3" in w for w in results["skipped"]["warnings"])


def test_headings_only(ingested):
    _, provisions, _, _ = ingested
    assert _outline(provisions["headings"]) == [("1", "总体要求"), ("2", "重点任务"), ("3", "保障措施")]


def test_very_long_single_line(ingested):
    _, provisions, _, _ = ingested
    body = [p for p in provisions["longline"] if LONG_SENTENCE in p["text"]]
    assert len(body) == 1 and body[0]["text"].count(LONG_SENTENCE) == 400


def test_html_scripts_and_styles_are_dropped(ingested):
    results, provisions, _, _ = ingested
    assert results["page"]["title"] == "关于加强计量工作的实施意见"
    text = json.dumps(provisions["page"], ensure_ascii=False)
    for dropped in ("脚本文字", "注入文字", "color", "站点标题", "首页", "请启用脚本"):
        assert dropped not in text
    assert ("1.1", "到2025年，建成10家以上产业计量测试中心") in _outline(provisions["page"])


def test_docx_tables_and_footnotes(ingested):
    results, provisions, _, _ = ingested
    text = "\n".join(p["text"] for p in provisions["plan"])
    assert "计量标准\t100项\t150项" in text
    assert "（一）加强计量前沿技术研究[1]" in text and "[1]国务院2021年12月印发。" in text
    assert any("footnote" in w for w in results["plan"]["warnings"])


def test_name_with_spaces_chinese_and_dotdot(ingested):
    results, _, _, _ = ingested
    doc_id = doc_id_for(ODD_NAME)
    assert results[doc_id]["source"] == ODD_NAME  # the base name only: no folder, no '..'
    assert "/" not in doc_id and ".." not in doc_id and " " not in doc_id


# ----------------------------------------------------------------- refusals leave the store as it was


def _refused(store, path, code: str, *words: str) -> None:
    before = _state(store)
    proc = run_cli("ingest", str(path), store=store, check=False)
    assert proc.returncode == 2 and f"[{code}]" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    for word in words:
        assert word in proc.stderr
    assert _state(store) == before


def test_empty_file_is_refused(store, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    _refused(store, tmp_path / "empty.txt", "E002", "empty")


def test_binary_renamed_txt_is_refused(store, tmp_path):
    (tmp_path / "report.txt").write_bytes(bytes(range(256)) * 64)
    _refused(store, tmp_path / "report.txt", "E003", "binary")


def test_50_mb_text_is_refused_with_the_setting_to_raise(store, tmp_path):
    path = tmp_path / "huge.txt"
    line = ("到2025年，建成10家以上产业计量测试中心。" * 100 + "\n").encode("utf-8")
    with path.open("wb") as f:
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            f.write(line)
    assert path.stat().st_size > 50 * 1024 * 1024
    _refused(store, path, "E170", "50.0 MB", "limit of 20 MB", "METROKG_MAX_DOCUMENT_MB")


def test_pdf_without_text_layer_is_refused(store, tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(_pdf(_page_objects(b"0 0 1 rg 100 100 200 300 re f", None)))
    _refused(store, path, "E005", "no text layer, OCR is not supported")


def test_one_bad_file_refuses_the_whole_call(store, tmp_path):
    good = tmp_path / "fine.pdf"
    good.write_bytes(_ascii_pdf(["Metrology notice", "1. Calibrate the meters every year."]))
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(_pdf(_page_objects(b"0 0 1 rg 100 100 200 300 re f", None)))
    before = _state(store)
    proc = run_cli("ingest", str(good), str(bad), store=store, check=False)
    assert proc.returncode == 2 and "[E005]" in proc.stderr
    assert _state(store) == before
    assert "fine" not in {d["id"] for d in before[0]}
