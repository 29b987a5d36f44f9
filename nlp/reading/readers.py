"""Document readers: bytes in the formats users have -> one normalised text.

The format is decided by content, not by the file name: ``%PDF`` is a PDF, a zip holding
``word/document.xml`` is a DOCX, other known binary kinds (legacy .doc, images, other zips)
are refused as unsupported, anything else must decode as text (and the name's suffix then
only says whether the text is Markdown or HTML; HTML is also recognised by its content).

What each reader keeps:

* ``.txt`` — the decoded text; a space-aligned task table (a header such as 序号  重点任务  牵头单位,
  cells apart by two or more spaces) has its gaps turned into tabs, so its columns survive the
  normalisation that drops spaces next to Chinese (:mod:`metrokg.nlp.structure.tables`). Encodings: UTF-8 with or without BOM, UTF-16/32 with BOM,
  GB18030/GBK/GB2312, Big5 and BOM-less UTF-16, told apart by content (charset-normalizer
  restricted to these candidates), never assumed.
* ``.md`` — the text without Markdown markup: heading ``#``, emphasis, inline code, code
  fences (their content is kept), links and images (their text is kept), block quotes,
  bullets (ordered list numbers are kept: they are provision numbers), table pipes (cells
  become tab-separated), horizontal rules, reference definitions, HTML tags. Lines are kept
  as written (soft line breaks are not joined: Chinese authors put one provision per line).
* ``.html``/``.htm`` — visible text; ``script``, ``style``, ``nav``, ``head``, ``noscript``,
  ``template``, ``svg``, ``iframe``, ruby annotations (``rt``, ``rp``) and comments are
  dropped; each block element is one line (no blank lines, as in plain text), ``<br>`` is a
  line break, table cells are tab-separated, one row per line, an empty cell written ``—``; whitespace in the source is
  not layout (except ``<pre>``). Read in one pass, so time is linear in the size whatever
  the nesting.
* ``.docx`` — body paragraphs and tables in document order (one table row per line, cells
  tab-separated, an empty cell written ``—``, paragraphs inside a cell joined by a space; nested
  tables flattened; a cell merged across columns written once, the columns it covers empty, so
  every row keeps the header's columns; a cell merged down several rows written in each of them,
  as a 牵头单位 shared by several tasks is every one's), text
  boxes, then footnotes and endnotes after the body, one per line starting ``[n]``, with
  ``[n]`` also at the reference in the body. Page headers/footers, comments and deleted revisions are not
  kept. Word's automatic list numbering is not text in the file: a warning says so. The zip
  is checked before anything is unpacked: at most ``METROKG_MAX_ZIP_MEMBERS`` files (E174),
  at most ``METROKG_MAX_UNZIPPED_MB`` unpacked as declared and as actually read (E175: zip
  bombs, headers that understate sizes), stored or deflated parts only (E176).
* ``.pdf`` — pypdf's text layer, page by page. Lines wrapped by the page width are joined
  back into paragraphs (table rows never) and page-number lines (``— 3 —``) are dropped;
  space-aligned tables become tab-separated, as in ``.txt``. No text layer ->
  E005 (no OCR); encrypted -> E171; a text layer that decodes to garbage -> E172; more
  than ``METROKG_MAX_PDF_PAGES`` pages -> E177; content streams unpacking past
  ``METROKG_MAX_UNZIPPED_MB`` -> E175; past one of pypdf's own limits -> E178.

User mistakes raise :class:`metrokg.errors.MetrokgError`, never a traceback.
"""

from __future__ import annotations

import io
import logging
import re
import struct
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from metrokg import settings
from metrokg.errors import MetrokgError, warning_text
from metrokg.nlp.reading.normalize import normalize
from metrokg.nlp.structure.tables import align_spaced_tables
from metrokg.nlp.structure.tables import display_width as _width

__all__ = [
    "RawDocument",
    "read_document",
    "read_bytes",
    "decode_text",
    "max_upload_bytes",
    "check_upload_size",
    "SUPPORTED_SUFFIXES",
]

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".xhtml", ".docx", ".pdf")
_SUPPORTED_TEXT = ".txt, .md, .html, .docx, .pdf (with a text layer)"

_MARKDOWN_SUFFIXES = {".md", ".markdown"}
_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


@dataclass
class RawDocument:
    """A document's normalised text and where it came from; offsets point into ``text``."""

    text: str
    format: str  # "txt" | "md" | "html" | "docx" | "pdf"
    source_name: str  # base file name only, never a path
    warnings: list[str] = field(default_factory=list)
    encoding: str | None = None  # the detected text encoding (text formats only)


# --------------------------------------------------------------------------- limits


def _megabytes(name: str) -> int:
    """A size setting given in MB, in bytes (E016 unless a positive, finite number)."""
    return int(float(settings.get(name)) * 1048576)


def max_upload_bytes() -> int:
    """Largest upload ``read_bytes`` accepts: ``METROKG_MAX_UPLOAD_MB`` (default 20 MB)."""
    return _megabytes("METROKG_MAX_UPLOAD_MB")


def _check_size(size: int, limit: int, display: str, setting: str) -> None:
    if size > limit:
        raise MetrokgError("E170", path=display, size_mb=size / 1048576,
                           limit_mb=limit / 1048576, setting=setting)


def check_upload_size(size: int, display: str, limit: int | None = None) -> None:
    """E170 when an upload of ``size`` bytes is over ``limit`` (default ``METROKG_MAX_UPLOAD_MB``),
    before its bytes are read or kept."""
    _check_size(size, max_upload_bytes() if limit is None else limit, display, "METROKG_MAX_UPLOAD_MB")


class _Unpacked:
    """How many bytes a document's compressed parts have unpacked to so far, against
    ``METROKG_MAX_UNZIPPED_MB``: a 1.5 MB zip bomb unpacks to 1.5 GB, so the file size limit
    alone bounds nothing once the content is compressed."""

    def __init__(self, display: str, what: str) -> None:
        self.limit = _megabytes("METROKG_MAX_UNZIPPED_MB")
        self.used = 0
        self.display = display
        self.what = what

    def take(self, size: int) -> None:
        """Count ``size`` more unpacked bytes; E175 once the total passes the limit."""
        self.used += size
        if self.used > self.limit:
            raise MetrokgError("E175", path=self.display, what=self.what, limit_mb=self.limit / 1048576)


# --------------------------------------------------------------------------- entry points


def safe_name(name: str) -> str:
    """The base name of a user-given file name: no directories, no control characters."""
    base = PurePosixPath(str(name).replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    return base if base not in ("", ".", "..") else "upload"


def read_document(path: str | Path, *, max_bytes: int | None = None) -> RawDocument:
    """Read a document file; ``max_bytes`` defaults to ``METROKG_MAX_DOCUMENT_MB`` (20 MB)."""
    p = Path(path)
    display = str(path)
    try:
        if not p.exists():
            raise MetrokgError("E001", path=display)
        if p.is_dir():
            raise MetrokgError("E007", path=display, reason="it is a directory; give a file.")
        limit = max_bytes if max_bytes is not None else _megabytes("METROKG_MAX_DOCUMENT_MB")
        _check_size(p.stat().st_size, limit, display, "METROKG_MAX_DOCUMENT_MB")
        data = p.read_bytes()
    except OSError as exc:
        raise MetrokgError("E007", path=display, reason=exc.strerror or str(exc)) from None
    return _read(data, safe_name(p.name), display)


def read_bytes(data: bytes, name: str, *, max_bytes: int | None = None) -> RawDocument:
    """Read an upload; the type is checked on content, ``name`` only gives ``source_name``.

    ``max_bytes`` defaults to ``METROKG_MAX_UPLOAD_MB`` (20 MB). Messages name the base name
    only, so no server path leaks back to the uploader.
    """
    source = safe_name(name)
    check_upload_size(len(data), source, max_bytes)
    return _read(bytes(data), source, source)


# --------------------------------------------------------------------------- dispatch

_OTHER_ZIP_KINDS = (
    ("xl/", "Excel workbook (.xlsx)"),
    ("ppt/", "PowerPoint file (.pptx)"),
    ("content.xml", "OpenDocument file (.odt/.ods)"),
)


def _sniff_binary_kind(data: bytes) -> str | None:
    """Name a known unsupported binary kind from magic bytes, or None."""
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "legacy Word/Excel file (.doc/.xls); save it as .docx"
    if data.startswith(b"{\\rtf"):
        return "RTF file; save it as .docx"
    if data.startswith(b"\x89PNG") or data.startswith(b"\xff\xd8\xff") \
            or data.startswith(b"GIF8") or data[:4] in (b"II*\x00", b"MM\x00*"):
        return "image; OCR is not supported"
    if data.startswith(b"7z\xbc\xaf") or data.startswith(b"Rar!") or data.startswith(b"\x1f\x8b"):
        return "compressed archive"
    if data.startswith(b"%!PS"):
        return "PostScript file; convert it to PDF"
    return None


def _read(data: bytes, source: str, display: str) -> RawDocument:
    if not data.strip(b" \t\r\n\x00\x0b\x0c") or data in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        raise MetrokgError("E002", path=display)
    suffix = PurePosixPath(source).suffix.lower()
    warnings: list[str] = []
    if data[:1024].lstrip().startswith(b"%PDF"):
        text, fmt, encoding = _pdf_to_text(data, display, warnings), "pdf", None
    elif data.startswith(b"PK\x03\x04"):
        text, fmt, encoding = _docx_to_text(data, display, warnings), "docx", None
    else:
        kind = _sniff_binary_kind(data)
        if kind is not None:
            raise MetrokgError("E004", path=display, suffix=suffix or "(none)", kind=kind,
                               supported=_SUPPORTED_TEXT)
        decoded, encoding = decode_text(data, display)
        head = decoded[:2048].lstrip().lower()
        looks_html = head.startswith(("<!doctype html", "<html")) or (
            head.startswith("<?xml") and "<html" in head)
        if suffix in _HTML_SUFFIXES or looks_html:
            text, fmt = _html_to_text(decoded, display), "html"
        elif suffix in _MARKDOWN_SUFFIXES:
            text, fmt = _markdown_to_text(decoded), "md"
        else:
            text, fmt = decoded, "txt"
    if suffix in (".pdf", ".docx") and fmt != suffix[1:]:  # a text named .pdf is a mistake, not a PDF
        raise MetrokgError("E007", path=display, reason=f"its name ends in '{suffix}' but it is not a "
                           f"{suffix[1:].upper()} file (its content is {fmt}). Give it the right extension, or "
                           f"save the document as {suffix} again.")
    if suffix and suffix not in SUPPORTED_SUFFIXES:
        warnings.append(warning_text("W261", suffix=suffix, format=fmt))
    if fmt == "txt":
        text = align_spaced_tables(text)
    text = normalize(text)
    if not text:
        if fmt == "txt":
            raise MetrokgError("E002", path=display)
        raise MetrokgError("E007", path=display, reason="it contains no text after "
                           "removing markup and blank space.")
    return RawDocument(text=text, format=fmt, source_name=source, warnings=warnings,
                       encoding=encoding)


# --------------------------------------------------------------------------- text decoding

_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_CANDIDATES = ["gb18030", "utf_16_le", "utf_16_be", "big5"]
_CODEC_NAMES = {"utf_16_le": "utf-16-le", "utf_16_be": "utf-16-be"}

# Characters a document in any of our languages is made of; anything else counts against
# a decoding (controls, private use, scripts a wrong codec lands in).
_TEXTLIKE = re.compile(
    "[\t\n\r\x0c -~\u00a0-\u00ff\u0391-\u03c9\u2000-\u27bf\u2e80-\u2fdf"
    "\u3000-\u303f\u30fb\u3200-\u33ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\ufe10-\ufe1f\ufe30-\ufe4f\uff01-\uff5e\uffe0-\uffe6\U00020000-\U0003134f]"
)
# Letters, digits and ideographs: a document is mostly made of these, binary noise is not.
_CORE = re.compile("[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f]")


def _core_ratio(text: str, sample: int = 20000) -> float:
    text = text[:sample]
    return len(_CORE.findall(text)) / len(text) if text else 0.0


def _textlike_ratio(text: str, sample: int = 20000) -> float:
    """Share of characters in ``text`` (a sample of it) that documents are made of."""
    if len(text) > sample:
        step = len(text) // 4
        text = "".join(text[i * step:i * step + sample // 4] for i in range(4))
    if not text:
        return 0.0
    bad = len(_TEXTLIKE.sub("", text))
    return 1.0 - bad / len(text)


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_text(data: bytes, display: str = "input") -> tuple[str, str]:
    """Decode document bytes, detecting the encoding; returns ``(text, encoding)``.

    Raises E003 for binary data and E006 when no candidate encoding decodes cleanly.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text = _strict(data, codec)
            if text is None:
                raise MetrokgError("E006", path=display)
            text = text.lstrip("\ufeff")
            if _textlike_ratio(text) < 0.9:
                raise MetrokgError("E003", path=display)
            return text, codec
    text = _strict(data, "utf-8")
    if text is not None and "\x00" not in text:
        if _textlike_ratio(text) < 0.9:
            raise MetrokgError("E003", path=display)
        return text, "utf-8"

    best: tuple[float, str, str] | None = None
    from charset_normalizer import from_bytes  # imported here: only non-UTF-8 text needs it

    guess = from_bytes(data[:262144] if len(data) > 262144 else data,
                       cp_isolation=_CANDIDATES).best()
    order = _CANDIDATES if guess is None else [guess.encoding] + [
        c for c in _CANDIDATES if c != guess.encoding]
    for rank, codec in enumerate(order):
        codec = _CODEC_NAMES.get(codec, codec)
        decoded = _strict(data, codec)
        if decoded is None:
            continue
        ratio = _textlike_ratio(decoded)
        # charset-normalizer's pick wins unless another candidate is clearly more text-like.
        score = ratio + (0.02 if rank == 0 else 0.0)
        if best is None or score > best[0]:
            best = (score, decoded, codec)
    if best is None:
        if b"\x00" in data or _textlike_ratio(data.decode("latin-1")) < 0.9:
            raise MetrokgError("E003", path=display)
        raise MetrokgError("E006", path=display)
    if best[0] < 0.9 or _core_ratio(best[1]) < 0.3:
        raise MetrokgError("E003", path=display)
    return best[1], best[2]


# --------------------------------------------------------------------------- markdown

_MD_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}(?:\s+|$)(.*?)(?:\s+#+\s*)?$")
_MD_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_MD_RULE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
_MD_QUOTE = re.compile(r"^\s{0,3}(?:>\s?)+")
_MD_BULLET = re.compile(r"^(\s*)[-*+]\s+")
_MD_REFDEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+.*$")
_MD_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\[[^\]]*\])")
_MD_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_MD_CODE = re.compile(r"`+([^`]+)`+")
_MD_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_EM_STAR = re.compile(r"\*(?=\S)([^*]+?)(?<=\S)\*")
_MD_EM_UNDER = re.compile(r"(?<![A-Za-z0-9_])_(?=\S)([^_]+?)(?<=\S)_(?![A-Za-z0-9_])")
_MD_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_MD_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_MD_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")


def _md_inline(line: str) -> str:
    line = _MD_BR.sub("\n", line)
    line = _MD_TAG.sub("", line)
    line = _MD_IMAGE.sub(r"\1", line)
    line = _MD_LINK.sub(r"\1", line)
    line = _MD_AUTOLINK.sub(r"\1", line)
    line = _MD_CODE.sub(r"\1", line)
    line = _MD_STRONG.sub(r"\2", line)
    line = _MD_STRIKE.sub(r"\1", line)
    line = _MD_EM_STAR.sub(r"\1", line)
    line = _MD_EM_UNDER.sub(r"\1", line)
    return _MD_ESCAPE.sub(r"\1", line)


def _markdown_to_text(source: str) -> str:
    """Markdown -> plain text (see the module docstring for what is kept)."""
    out: list[str] = []
    in_fence = False
    for line in source.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if _MD_FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            out.append(line)
            continue
        if _MD_REFDEF.match(line) or _MD_RULE.match(line):
            out.append("")
            continue
        if _MD_SETEXT.match(line) and out and out[-1].strip():
            continue  # underline of a setext heading; the heading line is already out
        heading = _MD_HEADING.match(line)
        if heading:
            line = heading.group(1)
        else:
            line = _MD_QUOTE.sub("", line)
            line = _MD_BULLET.sub(r"\1", line)
            if "|" in line and line.strip().startswith("|"):
                if _MD_TABLE_SEP.match(line):
                    continue
                cells = [c.strip() for c in line.strip().strip("|").split("|")]
                line = "\t".join(cells)
        out.append(_md_inline(line))
    return "\n".join(out)


# --------------------------------------------------------------------------- html

_HTML_DROP = ("script", "style", "nav", "head", "noscript", "template", "svg", "iframe",
              "object", "embed", "canvas", "rt", "rp")
_HTML_BLOCKS = frozenset(
    "address article aside blockquote body caption center dd details dialog div dl dt "
    "fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr html legend li "
    "main ol p pre section summary table tbody tfoot thead title ul".split())
_WS_RUN = re.compile(r"\s+")


_HTML_RAW = ("pre", "textarea")
# An empty table cell is written as this, so the cells after it stay in their columns (tabs
# collapse in normalisation; a task table's 配合单位 is often empty).
_EMPTY_CELL = "—"
# libxml2's HTML parser (with huge_tree) keeps at most this many nested elements and silently
# drops what lies deeper, so a tree that reaches it may have lost text: refused (E179).
_HTML_MAX_DEPTH = 2048
# What an element's end adds: a tab after a table cell, a line break after a row or a block.
_HTML_END = {"td": "\t", "th": "\t", "tr": "\n", **{name: "\n" for name in _HTML_BLOCKS}}


def _parse_html(source: str):  # noqa: ANN202 - an lxml element, or None
    """The HTML tree from lxml's forgiving parser (the one BeautifulSoup drives, without its
    Python object per node: 20 MB of tags took 1.5 GB through BeautifulSoup)."""
    from lxml import etree

    parser = etree.HTMLParser(recover=True, no_network=True, huge_tree=True)
    try:
        parser.feed(source)
        return parser.close()
    except etree.LxmlError:
        return None


def _html_to_text(source: str, display: str = "input") -> str:
    """HTML -> visible text with block structure as line breaks, table cells tab-separated.

    One walk over the tree with an explicit stack, so time is linear in the number of nodes
    whatever the nesting (inserting markers into a BeautifulSoup tree was quadratic: 20k
    nested divs took a minute)."""
    root = _parse_html(source)
    out: list[str] = []

    def text(value: str | None, raw: bool) -> None:
        if value:
            out.append(value if raw else _WS_RUN.sub(" ", value))

    # (element, raw: inside <pre>/<textarea>, closing: its end rather than its start, depth)
    pending: list[tuple[object, bool, bool, int]] = [(root, False, False, 1)] if root is not None else []
    cell_marks: list[int] = []  # where each open table cell's text starts in ``out``
    while pending:
        node, raw, closing, depth = pending.pop()
        name = node.tag if isinstance(node.tag, str) else None
        if closing:
            if name in ("td", "th") and cell_marks and not "".join(out[cell_marks.pop():]).strip():
                out.append(_EMPTY_CELL)  # an empty cell keeps its column
            out.append(_HTML_END.get(name, ""))
            text(node.tail, raw)
            continue
        if name is None or name in _HTML_DROP:  # comments, processing instructions, dropped elements
            text(node.tail, raw)
            continue
        if name == "br":
            out.append("\n")
            text(node.tail, raw)
            continue
        if name in _HTML_BLOCKS:
            out.append("\n")
        if depth >= _HTML_MAX_DEPTH:
            raise MetrokgError("E179", path=display, reason=f"elements nested {depth} deep; text below "
                                                            f"that depth would be lost")
        inner = raw or name in _HTML_RAW
        if name in ("td", "th"):
            cell_marks.append(len(out))
        text(node.text, inner)
        pending.append((node, raw, True, depth))
        pending.extend((child, inner, False, depth + 1) for child in reversed(node))
    text_out = "".join(out)
    # Drop the trailing tab of each table row; one block is one line, as in plain text.
    text_out = re.sub(r"\t+ *(?=\n|$)", "", text_out)
    return re.sub(r"\n[ \t]*(?:\n[ \t]*)+", "\n", text_out)


# --------------------------------------------------------------------------- docx

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
MAX_GRID_SPAN = 63  # Word's most columns: a larger gridSpan is hostile, not a table


class _DocxText:
    """Walks WordprocessingML in document order, collecting text with notes marked ``[n]``."""

    def __init__(self, numbered_styles: frozenset[str] = frozenset()) -> None:
        self.note_ids: dict[tuple[str, str], int] = {}
        self.numbered_styles = numbered_styles
        self.auto_numbered = 0

    def note_marker(self, kind: str, note_id: str) -> str:
        key = (kind, note_id)
        if key not in self.note_ids:
            self.note_ids[key] = len(self.note_ids) + 1
        return f"[{self.note_ids[key]}]"

    def runs(self, element) -> str:  # noqa: ANN001 - lxml element
        """Inline text of a paragraph (including text boxes, hyperlinks, fields' results)."""
        parts: list[str] = []
        for node in element.iter():
            tag = node.tag
            if not isinstance(tag, str):
                continue
            if tag == _W + "t":
                parts.append(node.text or "")
            elif tag == _W + "tab":
                parts.append("\t")
            elif tag in (_W + "br", _W + "cr"):
                parts.append("\n")
            elif tag == _W + "noBreakHyphen":
                parts.append("-")
            elif tag == _W + "footnoteReference":
                parts.append(self.note_marker("footnote", node.get(_W + "id", "")))
            elif tag == _W + "endnoteReference":
                parts.append(self.note_marker("endnote", node.get(_W + "id", "")))
            elif tag == _W + "p" and node is not element:
                parts.append("\n")  # a paragraph inside a text box
        return "".join(parts)

    def block(self, element, out: list[str]) -> None:  # noqa: ANN001
        """Append the lines of a body-level element (paragraph, table, content control).

        Iterative, with an explicit stack of pending work in document order: content controls
        and tables nest without bound (1000 nested ``w:sdt`` exhausted Python's recursion)."""
        pending: list = [(element, out)]
        while pending:
            item, sink = pending.pop()
            if callable(item):
                item()
                continue
            tag = item.tag
            if tag == _W + "p":
                style = item.find(f"{_W}pPr/{_W}pStyle")
                if item.find(f"{_W}pPr/{_W}numPr") is not None or (
                        style is not None and style.get(_W + "val") in self.numbered_styles):
                    self.auto_numbered += 1
                sink.append(self.runs(item))
            elif tag == _W + "tbl":
                pending.extend(reversed(self._table_work(item, sink)))
            elif tag in (_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "ins"):
                pending.extend((child, sink) for child in reversed(list(item.iterchildren())))

    @staticmethod
    def _table_work(table, sink: list[str]) -> list:  # noqa: ANN001
        """The work a table is, in order: each cell's children into the cell's lines, then the
        cell joined into its row, then the row (cells tab-separated) appended to ``sink``.

        Cells are placed on the table's grid: one merged across columns (``gridSpan``, or
        ``hMerge`` continuing the one before) leaves the columns it covers empty, one merged down
        (``vMerge`` continuing) repeats the text of the cell above it in its column."""
        work: list = []
        above: dict[int, str] = {}  # grid column -> the text of the cell last started there
        for row in table.iterchildren(_W + "tr"):
            cells: list[str] = []
            col = _grid_number(row.find(f"{_W}trPr/{_W}gridBefore"), 0)
            cells.extend([""] * col)
            for cell in row.iterchildren(_W + "tc"):
                span = _grid_number(cell.find(f"{_W}tcPr/{_W}gridSpan"), 1)
                down = _continues(cell.find(f"{_W}tcPr/{_W}vMerge"))
                across = _continues(cell.find(f"{_W}tcPr/{_W}hMerge"))
                inner: list[str] = []
                if not (down or across):
                    work.extend((child, inner) for child in cell.iterchildren())

                def place(inner=inner, cells=cells, col=col, span=span, down=down, across=across) -> None:
                    text = "" if across else above.get(col, "") if down else \
                        " ".join(s.replace("\n", " ").strip() for s in inner if s.strip())
                    above[col] = text
                    for covered in range(col + 1, col + span):
                        above.pop(covered, None)
                    cells.extend([text] + [""] * (span - 1))
                work.append((place, None))
                col += span
            work.append((lambda cells=cells: sink.append("\t".join(c or _EMPTY_CELL for c in cells))
                         if any(cells) else None, None))
        return work


def _grid_number(element, default: int) -> int:  # noqa: ANN001 - lxml element or None
    """A ``w:gridSpan``/``w:gridBefore`` value, within 0..MAX_GRID_SPAN; ``default`` when absent or unreadable."""
    if element is None:
        return default
    try:
        value = int(element.get(_W + "val", default))
    except ValueError:
        return default
    return max(default, min(value, MAX_GRID_SPAN))


def _continues(element) -> bool:  # noqa: ANN001 - lxml element or None
    """Whether a ``w:vMerge``/``w:hMerge`` continues the merged cell before it (no value means continue)."""
    return element is not None and element.get(_W + "val", "continue") != "restart"


def _strip_fallbacks(root) -> None:  # noqa: ANN001
    """Remove mc:Fallback copies so text boxes are not read twice."""
    for node in list(root.iter(_MC_FALLBACK)):
        node.getparent().remove(node)


_ZIP_END = b"PK\x05\x06"  # end of central directory record
_READ_CHUNK = 1 << 20


def _declared_members(data: bytes) -> int | None:
    """The member count the zip's end record declares (None if not found or ZIP64), read before
    ``zipfile`` builds an object per central-directory entry (220k entries cost it 2 s, 120 MB)."""
    at = data.rfind(_ZIP_END, max(0, len(data) - 65557))
    if at < 0 or at + 22 > len(data):
        return None
    count = struct.unpack_from("<H", data, at + 10)[0]
    return None if count == 0xFFFF else count


def _check_archive(data: bytes, archive: zipfile.ZipFile | None, display: str) -> None:
    """E174/E175 from the central directory: too many members, or more unpacked bytes declared
    than the limit allows. Called with no archive first (the end record only), then with it."""
    limit = int(settings.get("METROKG_MAX_ZIP_MEMBERS"))
    count = _declared_members(data) if archive is None else len(archive.infolist())
    if count is not None and count > limit:
        raise MetrokgError("E174", path=display, count=count, limit=limit)
    if archive is not None:
        _Unpacked(display, "its zipped parts (as the zip's directory declares them)").take(
            sum(info.file_size for info in archive.infolist()))


def _read_member(archive: zipfile.ZipFile, name: str, unpacked: _Unpacked) -> bytes:
    """A member's bytes, read a chunk at a time and counted against the unpacking budget, so a
    member whose header understates its size stops at the limit instead of filling memory."""
    info = archive.getinfo(name)
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise MetrokgError("E176", path=unpacked.display, part=name, method=info.compress_type)
    chunks = []
    with archive.open(info) as member:
        while chunk := member.read(_READ_CHUNK):
            unpacked.take(len(chunk))
            chunks.append(chunk)
    return b"".join(chunks)


def _parse_part(data: bytes, parser, display: str):  # noqa: ANN001, ANN202 - lxml objects
    """Parse an XML part; a document nested past libxml2's depth limit gets E179."""
    from lxml import etree

    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        if "depth" in str(exc).lower():
            raise MetrokgError("E179", path=display, reason=str(exc).split(",")[0][:120]) from None
        raise


def _numbered_styles(archive: zipfile.ZipFile, names: set[str], parser,  # noqa: ANN001
                     unpacked: _Unpacked) -> frozenset[str]:
    """Ids of paragraph styles that carry Word automatic numbering."""
    from lxml import etree

    if "word/styles.xml" not in names:
        return frozenset()
    try:
        root = _parse_part(_read_member(archive, "word/styles.xml", unpacked), parser, unpacked.display)
    except (etree.XMLSyntaxError, zipfile.BadZipFile, RuntimeError, EOFError):
        return frozenset()
    return frozenset(style.get(_W + "styleId", "") for style in root.iterchildren(_W + "style")
                     if style.find(f"{_W}pPr/{_W}numPr") is not None)


def _docx_to_text(data: bytes, display: str, warnings: list[str]) -> str:
    from lxml import etree

    _check_archive(data, None, display)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        raise MetrokgError("E003", path=display) from None
    _check_archive(data, archive, display)
    unpacked = _Unpacked(display, "the parts of the document that are read")
    if "word/document.xml" not in names:
        kind = next((k for prefix, k in _OTHER_ZIP_KINDS
                     if any(n.startswith(prefix) for n in names)), "zip archive")
        raise MetrokgError("E004", path=display, suffix=PurePosixPath(display).suffix or "(none)",
                           kind=kind, supported=_SUPPORTED_TEXT)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = _parse_part(_read_member(archive, "word/document.xml", unpacked), parser, display)
    except (etree.XMLSyntaxError, KeyError, zipfile.BadZipFile, RuntimeError, EOFError) as exc:
        raise MetrokgError("E007", path=display,
                           reason=f"the DOCX file is damaged ({str(exc)[:200]}).") from None
    _strip_fallbacks(root)
    walker = _DocxText(_numbered_styles(archive, names, parser, unpacked))
    lines: list[str] = []
    body = root.find(_W + "body")
    if body is not None:
        for child in body.iterchildren():
            walker.block(child, lines)
    notes: list[tuple[int, str]] = []
    for kind, part in (("footnote", "word/footnotes.xml"), ("endnote", "word/endnotes.xml")):
        if part not in names or not any(k == kind for k, _ in walker.note_ids):
            continue
        try:
            notes_root = _parse_part(_read_member(archive, part, unpacked), parser, display)
        except (etree.XMLSyntaxError, zipfile.BadZipFile, RuntimeError, EOFError):
            warnings.append(warning_text("W262" if kind == "footnote" else "W263"))
            continue
        _strip_fallbacks(notes_root)
        for note in notes_root.iterchildren(_W + kind):
            key = (kind, note.get(_W + "id", ""))
            if key not in walker.note_ids:
                continue  # separators and notes not referenced from the body
            inner: list[str] = []
            for child in note.iterchildren():
                walker.block(child, inner)
            text = " ".join(s.strip() for s in inner if s.strip())
            notes.append((walker.note_ids[key], f"[{walker.note_ids[key]}] {text}"))
    if notes:
        notes.sort()
        lines.append("")
        lines.extend(text for _, text in notes)
        warnings.append(warning_text("W264", count=len(notes)))
    if walker.auto_numbered:
        warnings.append(warning_text("W265", count=walker.auto_numbered))
    return "\n".join(lines)


# --------------------------------------------------------------------------- pdf

_PAGE_NUMBER = re.compile(r"^[-—–－\s]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*/\s*\d{1,4})?[-—–－\s]*$")
_SENTENCE_END = tuple("。！？；：!?;:")


def _reflow(lines: list[str]) -> tuple[list[str], bool]:
    """Join lines that were wrapped by the page width back into paragraphs.

    A line is a wrapped line when it is nearly as wide as the widest lines of the document
    and does not end a sentence; short lines (headings, last lines) end paragraphs.
    """
    widths = sorted(_width(line) for line in lines if line)
    if len(widths) < 8:
        return lines, False
    full = widths[int(len(widths) * 0.9)]
    if full < 30:
        return lines, False
    out: list[str] = []
    joined = False
    carry = False
    for line in lines:
        if carry and line and out:
            left, right = out[-1][-1:], line[:1]
            sep = " " if left.isascii() and right.isascii() and left.isalnum() and right.isalnum() else ""
            out[-1] = out[-1] + sep + line
            joined = True
        else:
            out.append(line)
        current = out[-1]
        carry = (bool(line) and _width(line) >= 0.85 * full and not current.endswith(_SENTENCE_END)
                 and "\t" not in line)  # a table row is never wrapped text
    return out, joined


def _declared_pages(reader) -> int | None:  # noqa: ANN001 - pypdf reader
    """The page count the page tree's root declares: read without flattening the tree, which
    takes seconds for 50,000 pages (the count is checked again while the pages are read)."""
    try:
        count = reader.trailer["/Root"]["/Pages"]["/Count"]
        return int(count)
    except Exception:  # noqa: BLE001 - untrusted structure: no usable count, the page loop still bounds
        return None


def _pdf_pages(reader, display: str) -> list[str]:  # noqa: ANN001 - pypdf reader
    """Each page's normalised text, within ``METROKG_MAX_PDF_PAGES`` pages (E177) and with the
    page content streams counted against ``METROKG_MAX_UNZIPPED_MB`` (E175): pypdf caps each
    stream, not their sum, and a small file can hold thousands of highly compressed pages."""
    limit = int(settings.get("METROKG_MAX_PDF_PAGES"))
    declared = _declared_pages(reader)
    if declared is not None and declared > limit:
        raise MetrokgError("E177", path=display, pages=declared, limit=limit)
    unpacked = _Unpacked(display, "its page content streams")
    pages = []
    for number, page in enumerate(reader.pages, start=1):
        if number > limit:
            raise MetrokgError("E177", path=display, pages=len(reader.pages), limit=limit)
        contents = page.get_contents()
        if contents is not None:
            unpacked.take(len(contents.get_data()))
        pages.append(normalize(align_spaced_tables(page.extract_text() or "")))
    return pages


def _pdf_to_text(data: bytes, display: str, warnings: list[str]) -> str:
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError

    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    pypdf_log.setLevel(logging.ERROR)
    try:
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                try:
                    opened = reader.decrypt("")
                except Exception:  # noqa: BLE001 - pypdf raises several kinds here
                    opened = 0
                if not opened:
                    raise MetrokgError("E171", path=display)
            pages = _pdf_pages(reader, display)
            empty_pages = sum(1 for page_text in pages if not page_text)
        except MetrokgError:
            raise
        except LimitReachedError as exc:
            raise MetrokgError("E178", path=display, reason=str(exc)[:200]) from None
        except Exception as exc:  # noqa: BLE001 - untrusted input: any parser failure is a damaged file
            detail = f"{type(exc).__name__}: {exc}"[:200]
            raise MetrokgError("E007", path=display,
                               reason=f"the PDF file is damaged ({detail}).") from None
    finally:
        pypdf_log.setLevel(level)
    lines = [line for page in pages for line in page.split("\n")
             if not _PAGE_NUMBER.match(line)]
    if not any(line.strip() for line in lines):
        raise MetrokgError("E005", path=display)
    text = "\n".join(lines)
    if _textlike_ratio(text) < 0.7:
        raise MetrokgError("E172", path=display)
    if empty_pages:
        warnings.append(warning_text("W266", empty=empty_pages, pages=len(pages)))
    lines, joined = _reflow(lines)
    if joined:
        warnings.append(warning_text("W267"))
    return "\n".join(lines)
