"""Document readers: encodings, formats, refusals, names and limits.

Fixtures are generated here: DOCX with python-docx (plus a footnote part added to the zip),
PDFs written by hand (an ASCII text layer, a CJK text layer through a ToUnicode CMap, a page
with only a drawn rectangle), so no font or network is needed.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from metrokg.errors import MetrokgError
from metrokg.nlp.reading.normalize import normalize, to_simplified
from metrokg.nlp.reading.readers import RawDocument, decode_text, read_bytes, read_document

SEED = Path(__file__).resolve().parents[1] / "corpus" / "hubei-2022-metrology-plan-implementation-opinions.txt"


@pytest.fixture(scope="module")
def seed_head() -> str:
    """The seed's first lines: a cover notice, title, headings, full-width and ASCII text."""
    return "\n".join(SEED.read_text(encoding="utf-8").split("\n")[:12])


def _code(excinfo: pytest.ExceptionInfo[MetrokgError]) -> str:
    return excinfo.value.code


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    ("codec", "prefix", "expected_encoding"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
        ("gbk", b"", "gb18030"),
        ("gb18030", b"", "gb18030"),
        ("utf-16-le", b"\xff\xfe", "utf-16-le"),
        ("utf-16-be", b"\xfe\xff", "utf-16-be"),
        ("utf-16-le", b"", "utf-16-le"),
        ("utf-16-be", b"", "utf-16-be"),
    ],
)
def test_every_encoding_gives_the_same_text(tmp_path, seed_head, codec, prefix, expected_encoding):
    path = tmp_path / f"seed-{codec}.txt"
    path.write_bytes(prefix + seed_head.encode(codec))
    doc = read_document(path)
    assert doc.text == normalize(seed_head)
    assert doc.format == "txt"
    assert doc.encoding == expected_encoding
    assert "湖北省计量工作厅际联席会议办公室" in doc.text


def test_big5_traditional_text_is_detected(tmp_path, seed_head):
    import opencc

    traditional = opencc.OpenCC("s2t").convert(seed_head).replace("爲", "為")
    path = tmp_path / "big5.txt"
    path.write_bytes(traditional.encode("big5"))
    doc = read_document(path)
    assert doc.encoding == "big5"
    assert doc.text == normalize(traditional)


def test_traditional_characters_are_kept(tmp_path):
    path = tmp_path / "traditional.txt"
    path.write_text("關於貫徹落實《計量發展規劃（2021—2035年）》的實施意見\n一、總體要求\n", encoding="utf-8")
    doc = read_document(path)
    assert doc.text == "關於貫徹落實《計量發展規劃（2021—2035年）》的實施意見\n一、總體要求"
    assert to_simplified(doc.text).startswith("关于贯彻落实《计量发展规划")


def test_gbk_with_fullwidth_forms_and_crlf(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes("一、总体要求\r\n（一）到２０２５年，建成　１０　家以上。\r\n".encode("gbk"))
    assert read_document(path).text == "一、总体要求\n（一）到2025年，建成10家以上。"


# --------------------------------------------------------------------------- refusals


def test_binary_renamed_txt_is_refused(tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(MetrokgError) as excinfo:
        read_document(path)
    assert _code(excinfo) == "E003"
    assert "binary" in str(excinfo.value)


def test_binary_that_decodes_as_utf16_is_refused():
    with pytest.raises(MetrokgError) as excinfo:
        read_bytes(b"\x00\x01\x02\xff" * 200, "bad.txt")
    assert _code(excinfo) == "E003"


def test_executable_like_binary_is_refused():
    data = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" * 200
    with pytest.raises(MetrokgError) as excinfo:
        read_bytes(data, "notes.txt")
    assert _code(excinfo) == "E003"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, ".doc"),
        (b"{\\rtf1\\ansi hello}", "RTF"),
    ],
)
def test_known_unsupported_kinds_are_named(data, words):
    with pytest.raises(MetrokgError) as excinfo:
        read_bytes(data, "document.txt")
    assert _code(excinfo) == "E004"
    assert words in str(excinfo.value)


def test_zip_without_word_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(MetrokgError) as excinfo:
        read_bytes(buffer.getvalue(), "plan.docx")
    assert _code(excinfo) == "E004" and "Excel" in str(excinfo.value)


@pytest.mark.parametrize("data", [b"", b"   \n\t \r\n", b"\xef\xbb\xbf", b"\xff\xfe \x00\n\x00",
                                  "\u3000\u3000\n".encode("utf-8")])
def test_empty_or_blank_file_is_refused(tmp_path, data):
    path = tmp_path / "empty.txt"
    path.write_bytes(data)
    with pytest.raises(MetrokgError) as excinfo:
        read_document(path)
    assert _code(excinfo) == "E002"


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(MetrokgError) as excinfo:
        read_document(tmp_path / "absent.txt")
    assert _code(excinfo) == "E001"
    with pytest.raises(MetrokgError) as excinfo:
        read_document(tmp_path)
    assert _code(excinfo) == "E007" and "directory" in str(excinfo.value)


def test_size_limits(tmp_path, monkeypatch):
    data = ("计量发展规划。" * 200).encode("utf-8")
    with pytest.raises(MetrokgError) as excinfo:
        read_bytes(data, "big.txt", max_bytes=1000)
    assert _code(excinfo) == "E170" and "METROKG_MAX_UPLOAD_MB" in str(excinfo.value)
    monkeypatch.setenv("METROKG_MAX_UPLOAD_MB", "0.001")
    with pytest.raises(MetrokgError) as excinfo:
        read_bytes(data, "big.txt")
    assert _code(excinfo) == "E170"
    monkeypatch.setenv("METROKG_MAX_UPLOAD_MB", "lots")
    with pytest.raises(MetrokgError) as excinfo:
        read_bytes(data, "big.txt")
    assert _code(excinfo) == "E016"
    monkeypatch.setenv("METROKG_MAX_UPLOAD_MB", "1")
    assert read_bytes(data, "big.txt").text.startswith("计量发展规划。")
    path = tmp_path / "big.txt"
    path.write_bytes(data)
    with pytest.raises(MetrokgError) as excinfo:
        read_document(path, max_bytes=100)
    assert _code(excinfo) == "E170" and "METROKG_MAX_DOCUMENT_MB" in str(excinfo.value)


# --------------------------------------------------------------------------- names


def test_file_names_keep_only_the_base_name(tmp_path):
    folder = tmp_path / "上传 文件"
    folder.mkdir()
    path = folder / "湖北 计量 规划 (2022).txt"
    path.write_text("一、总体要求", encoding="utf-8")
    doc = read_document(folder / ".." / "上传 文件" / "湖北 计量 规划 (2022).txt")
    assert doc.source_name == "湖北 计量 规划 (2022).txt"
    assert read_bytes(b"text", "../../etc/passwd").source_name == "passwd"
    assert read_bytes(b"text", "..\\..\\计量 意见.txt").source_name == "计量 意见.txt"
    assert read_bytes(b"text", "../").source_name == "upload"


def test_messages_for_uploads_do_not_echo_paths():
    with pytest.raises(MetrokgError) as excinfo:
        read_bytes(b"", "/srv/secret/dir/x.txt")
    assert "/srv" not in str(excinfo.value) and "x.txt" in str(excinfo.value)


# --------------------------------------------------------------------------- markdown, html


def test_markdown_markup_is_stripped(tmp_path):
    source = (
        "# 关于加强计量工作的意见 #\n\n"
        "## 一、总体要求\n\n"
        "**到2025年**，建成*一批*计量中心，详见[规划原文](https://example.org/plan)。\n\n"
        "> 引用：`JJF 1059.1-2012`\n\n"
        "- 第一项\n* 第二项\n1. 编号项保留\n\n"
        "```\n代码块 内容\n```\n\n"
        "| 指标 | 目标 |\n|---|---|\n| 计量标准 | 100项 |\n\n"
        "---\n![示意图](a.png)\n[ref]: https://example.org\n"
    )
    path = tmp_path / "plan.md"
    path.write_text(source, encoding="utf-8")
    doc = read_document(path)
    assert doc.format == "md"
    assert doc.text == (
        "关于加强计量工作的意见\n\n一、总体要求\n\n"
        "到2025年，建成一批计量中心，详见规划原文。\n\n"
        "引用：JJF 1059.1-2012\n\n"
        "第一项\n第二项\n1.编号项保留\n\n"
        "代码块内容\n\n"
        "指标\t目标\n计量标准\t100项\n\n"
        "示意图"
    )


def test_html_drops_scripts_styles_and_keeps_blocks(tmp_path):
    html = (
        "<!DOCTYPE html><html><head><title>站点标题</title><style>p{color:red}</style>"
        "<script>var x = '不应出现';</script></head><body>"
        "<nav>首页 | 政务公开</nav>"
        "<h1>关于贯彻落实\n《计量发展规划》的实施意见</h1>"
        "<p>一、总体要求</p><div>（一）指导思想<br>以习近平新时代&nbsp;中国特色社会主义思想为指导。</div>"
        "<table><tr><td>指标</td><td>目标</td></tr><tr><td>标准</td><td>100项</td></tr></table>"
        "<!-- 注释 --><script>alert(1)</script><noscript>请启用脚本</noscript>"
        "</body></html>"
    )
    path = tmp_path / "page.html"
    path.write_bytes(html.encode("gb18030"))
    doc = read_document(path)
    assert doc.format == "html"
    assert doc.encoding == "gb18030"
    assert doc.text == (
        "关于贯彻落实《计量发展规划》的实施意见\n一、总体要求\n（一）指导思想\n"
        "以习近平新时代中国特色社会主义思想为指导。\n指标\t目标\n标准\t100项"
    )
    for dropped in ("不应出现", "color", "首页", "站点标题", "注释", "请启用脚本", "alert"):
        assert dropped not in doc.text


def test_html_is_recognised_by_content_under_a_txt_name():
    doc = read_bytes("<html><body><p>甲</p><p>乙</p></body></html>".encode(), "page.txt")
    assert doc.format == "html" and doc.text == "甲\n乙"


# --------------------------------------------------------------------------- docx

_FOOTNOTES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:id="1"><w:p><w:r><w:t>国务院2021年12月印发。</w:t></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)


def _add_footnote(docx_bytes: bytes, anchor: str) -> bytes:
    """Add a footnotes part and a reference after the run holding ``anchor``."""
    source = zipfile.ZipFile(io.BytesIO(docx_bytes))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                marker = f"<w:t>{anchor}</w:t></w:r>"
                assert marker in text
                text = text.replace(marker, marker + '<w:r><w:footnoteReference w:id="1"/></w:r>', 1)
                data = text.encode("utf-8")
            elif item.filename == "word/_rels/document.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdFn1" Type="http://schemas.openxmlformats.org/officeDocument/'
                    b'2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>')
            elif item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/word/footnotes.xml" ContentType="application/vnd.'
                    b'openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>')
            target.writestr(item, data)
        target.writestr("word/footnotes.xml", _FOOTNOTES_XML)
    return out.getvalue()


def _make_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("关于贯彻落实《计量发展规划》的实施意见")
    document.add_paragraph("一、总体要求")
    table = document.add_table(rows=2, cols=3)
    for row, values in zip(table.rows, (("指标", "2025年", "2035年"), ("计量标准", "100项", "150项"))):
        for cell, value in zip(row.cells, values):
            cell.text = value
    document.add_paragraph("（一）加强计量前沿技术研究")
    buffer = io.BytesIO()
    document.save(buffer)
    return _add_footnote(buffer.getvalue(), "（一）加强计量前沿技术研究")


def test_docx_paragraphs_tables_and_footnotes_in_order(tmp_path):
    path = tmp_path / "意见 草稿.docx"
    path.write_bytes(_make_docx())
    doc = read_document(path)
    assert doc.format == "docx" and doc.source_name == "意见 草稿.docx"
    assert doc.text == (
        "关于贯彻落实《计量发展规划》的实施意见\n一、总体要求\n"
        "指标\t2025年\t2035年\n计量标准\t100项\t150项\n"
        "（一）加强计量前沿技术研究[1]\n\n[1]国务院2021年12月印发。"
    )
    assert any(w.startswith("[W264] 1 footnote") for w in doc.warnings)


def test_docx_is_recognised_by_content_under_another_name():
    doc = read_bytes(_make_docx(), "upload.bin")
    assert doc.format == "docx" and doc.source_name == "upload.bin"
    assert any(w.startswith("[W261] ") and "'.bin'" in w for w in doc.warnings)


def test_docx_automatic_numbering_is_reported():
    import docx

    document = docx.Document()
    document.add_paragraph("加强计量前沿技术研究", style="List Number")
    document.add_paragraph("完善量值传递溯源体系", style="List Number")
    buffer = io.BytesIO()
    document.save(buffer)
    doc = read_bytes(buffer.getvalue(), "auto.docx")
    assert doc.text == "加强计量前沿技术研究\n完善量值传递溯源体系"
    assert any(w.startswith("[W265] 2 paragraph(s) use Word's automatic numbering") for w in doc.warnings)


def test_damaged_docx_is_refused():
    data = _make_docx()
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            payload = source.read(item.filename)
            if item.filename == "word/document.xml":
                payload = payload[: len(payload) // 2]
            target.writestr(item, payload)
    with pytest.raises(MetrokgError) as excinfo:
        read_bytes(broken.getvalue(), "broken.docx")
    assert _code(excinfo) == "E007" and "damaged" in str(excinfo.value)


# --------------------------------------------------------------------------- pdf


def _pdf(objects: list[bytes]) -> bytes:
    """Assemble a PDF from object bodies (object 1 must be the catalog)."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(content: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"


def _page_objects(content: bytes, font: bytes | None) -> list[bytes]:
    resources = b"<< /Font << /F1 5 0 R >> >>" if font else b"<< >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources " + resources
        + b" /Contents 4 0 R >>",
        _stream(content),
    ]
    if font:
        objects.append(font)
    return objects


def _ascii_pdf(lines: list[str]) -> bytes:
    ops = [b"BT /F1 12 Tf 72 760 Td 16 TL"]
    for line in lines:
        ops.append(b"(" + line.encode("ascii") + b") Tj T*")
    ops.append(b"ET")
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    return _pdf(_page_objects(b"\n".join(ops), font))


def _cjk_pdf(lines: list[str]) -> bytes:
    """A PDF whose CID font maps glyph ids to Unicode through a ToUnicode CMap (no font file)."""
    chars = sorted({ch for line in lines for ch in line})
    cid = {ch: i + 1 for i, ch in enumerate(chars)}
    ops = [b"BT /F1 12 Tf 72 760 Td 16 TL"]
    for line in lines:
        ops.append(b"<" + "".join(f"{cid[ch]:04X}" for ch in line).encode() + b"> Tj T*")
    ops.append(b"ET")
    bfchars = "\n".join(f"<{cid[ch]:04X}> <{ord(ch):04X}>" for ch in chars)
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        f"{len(chars)} beginbfchar\n{bfchars}\nendbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode("ascii")
    font = (b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H "
            b"/DescendantFonts [6 0 R] /ToUnicode 7 0 R >>")
    objects = _page_objects(b"\n".join(ops), font)
    objects.append(b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
                   b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                   b"/DW 1000 >>")
    objects.append(_stream(cmap))
    return _pdf(objects)


def test_pdf_with_ascii_text_layer(tmp_path):
    path = tmp_path / "spec.pdf"
    path.write_bytes(_ascii_pdf(["Metrology Development Plan", "JJF 1059.1-2012 applies."]))
    doc = read_document(path)
    assert doc.format == "pdf"
    assert doc.text == "Metrology Development Plan\nJJF 1059.1-2012 applies."


def test_pdf_with_chinese_text_layer_and_wrapped_lines(tmp_path):
    paragraph = ("以全省重大需求为牵引，以现代产业体系计量支撑保障能力建设为主攻方向，大力加强计量前沿技术研究和产业"
                 "计量服务供给，全面提升计量治理体系和治理能力现代化水平，助力打造科技创新高地、制造强国高地。")
    wrapped = [paragraph[i:i + 24] for i in range(0, len(paragraph), 24)]
    lines = ["关于贯彻落实《计量发展规划》的实施意见", "一、总体要求", "（一）指导思想",
             *wrapped, "（二）发展目标", *wrapped, "— 1 —"]
    path = tmp_path / "意见.pdf"
    path.write_bytes(_cjk_pdf(lines))
    doc = read_document(path)
    assert doc.format == "pdf"
    assert doc.text == ("关于贯彻落实《计量发展规划》的实施意见\n一、总体要求\n（一）指导思想\n"
                        f"{paragraph}\n（二）发展目标\n{paragraph}")
    assert any(w.startswith("[W267] ") and "joined" in w for w in doc.warnings)


def test_pdf_without_text_layer_is_refused(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(_pdf(_page_objects(b"0 0 1 rg 100 100 200 300 re f", None)))
    with pytest.raises(MetrokgError) as excinfo:
        read_document(path)
    assert _code(excinfo) == "E005"
    assert "no text layer, OCR is not supported" in str(excinfo.value)


def test_encrypted_pdf_is_refused():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(MetrokgError) as excinfo:
        read_bytes(buffer.getvalue(), "locked.pdf")
    assert _code(excinfo) == "E171"


def test_damaged_pdf_is_refused_without_traceback():
    with pytest.raises(MetrokgError) as excinfo:
        read_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\n" + b"\x00garbage" * 50,
                   "broken.pdf")
    assert _code(excinfo) in {"E005", "E007"}


# --------------------------------------------------------------------------- misc


def test_raw_document_fields(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("甲", encoding="utf-8")
    doc = read_document(str(path))
    assert doc == RawDocument(text="甲", format="txt", source_name="a.txt", warnings=[], encoding="utf-8")


def test_decode_text_rejects_nul_heavy_utf8():
    with pytest.raises(MetrokgError) as excinfo:
        decode_text(b"abc\x00\x00\x00\x01\x02" * 100, "x.txt")
    assert _code(excinfo) == "E003"


def test_long_single_line_and_large_text(tmp_path):
    line = "计量发展规划提出到2035年建成国际一流的现代计量体系。" * 40000  # ~1 MB, one line
    path = tmp_path / "long.txt"
    path.write_text(line, encoding="gb18030")
    doc = read_document(path)
    assert doc.text == line and doc.encoding == "gb18030"


def _merged_table_docx() -> bytes:
    """A 任务分解表 whose 牵头单位 is merged down two rows and whose last row merges two columns."""
    import docx

    document = docx.Document()
    document.add_paragraph("重点任务分工表")
    table = document.add_table(rows=4, cols=4)
    for cell, value in zip(table.rows[0].cells, ("序号", "重点任务", "牵头单位", "完成时限")):
        cell.text = value
    for r, (number, task, deadline) in enumerate((("1", "建设计量标准", "2025年"), ("2", "开展计量比对", "2026年"),
                                                   ("3", "完善计量法规", ""))):
        cells = table.rows[r + 1].cells
        cells[0].text, cells[1].text, cells[3].text = number, task, deadline
    table.cell(1, 2).merge(table.cell(2, 2)).text = "市市场监管局"
    table.cell(3, 2).merge(table.cell(3, 3)).text = "市科技局"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_merged_cells_keep_their_text_and_the_columns():
    from metrokg.nlp.structure.tables import find_tables

    doc = read_bytes(_merged_table_docx(), "tasks.docx")
    assert doc.text.splitlines()[1:] == ["序号\t重点任务\t牵头单位\t完成时限",
                                         "1\t建设计量标准\t市市场监管局\t2025年",
                                         "2\t开展计量比对\t市市场监管局\t2026年",  # merged down: each row's
                                         "3\t完善计量法规\t市科技局\t—"]  # merged across: written once
    (table,) = find_tables(doc.text)
    assert [(r.get("task").value, r.get("lead").value, r.get("deadline") and r.get("deadline").value)
            for r in table.rows] == [("建设计量标准", "市市场监管局", "2025年"), ("开展计量比对", "市市场监管局", "2026年"),
                                     ("完善计量法规", "市科技局", None)]


def test_docx_hostile_grid_spans_are_bounded():
    source = zipfile.ZipFile(io.BytesIO(_merged_table_docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "word/document.xml":
                assert b'w:gridSpan w:val="2"' in body
                body = body.replace(b'w:gridSpan w:val="2"', b'w:gridSpan w:val="999999999"')
            target.writestr(item, body)
    last = read_bytes(out.getvalue(), "tasks.docx").text.splitlines()[-1]
    assert last.startswith("3\t完善计量法规\t市科技局") and last.count("\t") <= 63 + 2
