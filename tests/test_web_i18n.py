"""The web page says stored warnings and every callback's texts in the page's language (issue 18)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from metrokg.errors import Warnings, warning_text
from metrokg.kg.graph.uploads import UploadPreview
from metrokg.nlp.structure.parser import parse_document
from metrokg.ui.web.i18n import warning_in
from metrokg.ui.web.render import preview_html

WEB = Path(__file__).resolve().parents[1] / "ui" / "web"
LATIN_WORD = re.compile(r"\b[a-z]{4,}\b")  # an English word (codes, ids and file names aside)


def _preview(warnings: list[str]) -> UploadPreview:
    return UploadPreview(token="t", id="doc", title="标题", format="txt", source_name="a.txt", provisions=[],
                         facts={}, replaces=False, warnings=warnings)


def test_coded_warning_is_said_in_chinese_with_its_fields():
    w229 = warning_text("W229", source="a.txt", doc_id="seed", title="实施意见", reason="the same text",
                        outcome="it was not added again (ingest --replace replaces it)")
    zh = warning_in(w229, "zh")
    assert zh == "[W229] a.txt 与文档“seed”（实施意见）重复：正文相同；未再次加入（ingest --replace 可替换它）。"
    assert warning_in(w229, "en") == w229
    long = warning_text("W157", count=3, limit=2000, longest=5000)
    assert "最长 5,000" in warning_in(long, "zh") and not LATIN_WORD.search(warning_in(long, "zh").lower()
                                                                            .replace("metrokg_max_embed_chars_per_provision", ""))


def test_every_chinese_warning_template_reads_its_english_text_back():
    """Each coded warning with a Chinese text is recognised from its English text, whatever the fields."""
    from metrokg.errors import WarningsZh

    for code in (c for c in vars(WarningsZh) if re.fullmatch(r"W\d{3}", c)):
        import string

        parts = [(n, spec) for _, n, spec, _ in string.Formatter().parse(getattr(Warnings, code)) if n]
        fields = {n: 1234 if spec else f"v{n}" for n, spec in parts}  # {limit:,} takes a number
        english = warning_text(code, **fields)
        assert warning_in(english, "zh") != english, code


def test_preview_in_chinese_shows_parser_and_duplicate_warnings_in_chinese():
    doc = parse_document("某某文件\n一、总则\n内容。\n三、要求\n内容。\n", doc_id="x")
    dup = warning_text("W229", source="b.txt", doc_id="x", title="某某", reason="the same 文号 鄂政发〔2022〕5号",
                       outcome="it replaced that document")
    page = preview_html(_preview([*doc.warnings, dup]), "zh")
    items = re.findall(r"<li>(.*?)</li>", page)
    assert len(items) == len(doc.warnings) + 1 and doc.warnings
    for item in items:
        assert not LATIN_WORD.search(item.replace("W229", "")), item
    english = preview_html(_preview([*doc.warnings, dup]), "en")
    assert "numbering jumps" in english and "the same 文号" in english


def _calls_without_language(path: Path) -> list[str]:
    """t(key) calls (no language) inside callbacks: functions nested in a builder, or taking ``lang``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for outer in ast.walk(tree):
        if not isinstance(outer, (ast.FunctionDef, ast.Lambda)):
            continue
        params = {a.arg for a in outer.args.args + outer.args.kwonlyargs}
        nested = [f for f in ast.walk(outer) if f is not outer and isinstance(f, ast.FunctionDef)]
        scopes = nested + ([outer] if params & {"lang", "lang_value"} else [])
        for fn in scopes:
            for call in ast.walk(fn):
                if (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "t"
                        and len(call.args) < 2 and not any(k.arg == "lang" for k in call.keywords)):
                    found.append(f"{path.name}:{call.lineno} {ast.unparse(call)}")
    return found


def test_no_callback_calls_t_without_the_page_language():
    found = [c for p in sorted(WEB.rglob("*.py")) for c in _calls_without_language(p)]
    assert not found, found


def _uncoded_notes(path: Path) -> list[str]:
    """``warnings.append(x)`` calls whose ``x`` is not a ``warning_text(code, ...)`` call."""
    found = []
    for call in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "append"
                and ast.unparse(call.func.value).endswith("warnings")):
            arg = call.args[0] if call.args else None
            if not (isinstance(arg, ast.Call) and ast.unparse(arg.func) == "warning_text"):
                found.append(f"{path.name}:{call.lineno} {ast.unparse(call)}")
    return found


def test_every_note_of_the_readers_and_the_parser_has_a_code():
    """The upload preview says notes by their code in the page's language, so none may be plain English."""
    nlp = WEB.parents[1] / "nlp"
    files = sorted([*(nlp / "structure").glob("*.py"), nlp / "reading" / "readers.py"])
    assert not [c for p in files for c in _uncoded_notes(p)]


def test_law_notes_are_said_in_chinese():
    law = ("某某条例\n第一条 为了加强管理，制定本条例。\n第二条 本条例适用于全省。\n总则补充\n"
           "第三条 计量器具应当检定。\n第三条 重复的条。\n")
    doc = parse_document(law, doc_id="law")
    codes = {w[1:5] for w in doc.warnings}
    assert {"W256", "W257", "W260"} <= codes, doc.warnings
    for w in doc.warnings:
        zh = warning_in(w, "zh")
        assert zh.startswith(w[:7]) and not LATIN_WORD.search(zh[7:]), zh


def test_an_answers_notices_are_said_in_the_pages_language():
    """The Ask and Search tabs show a cut query (W155) or English words naming no concept (W250) above the
    answer, in the page's language with the code in front."""
    from metrokg.ui.web.render import notices_html

    notices = [warning_text("W155", length=5000, limit=2000), warning_text("W250", topic="flux capacitors")]
    zh = re.findall(r"<p class='mk-notice' role='status'>(.*?)</p>", notices_html(notices, "zh"))
    assert [n[:6] for n in zh] == ["[W155]", "[W250]"]
    assert "5,000" in zh[0] and "flux capacitors" in zh[1]
    assert not LATIN_WORD.search(zh[0].lower().replace("metrokg_max_query_chars", ""))
    en = notices_html(notices, "en")
    assert "only its first 2,000 were searched" in en and "name no concept" in en
    assert notices_html([], "zh") == ""
