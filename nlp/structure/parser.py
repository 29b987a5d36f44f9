"""Structure of Chinese official documents: cover notice, title, headings, provisions.

The parser works on normalised text and only records offsets into it, so every provision
and sentence satisfies ``text[start:end] == span.text``. Heading levels are not fixed per
marker style: the first marker style seen nests under the current one, and a style seen
before closes everything below it. That covers 一、/（一）/1./（1）/① in any mix, items
``1.`` directly under a chapter (numbered ``1.1``) and laws written in 第X章/第X条.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from metrokg.errors import warning_text
from metrokg.nlp.structure.citations import LAW_UNITS, cite, find_references, law_parts
from metrokg.nlp.structure.document import ParsedDocument, Provision, Span
from metrokg.nlp.structure.metadata import FrontMatter, complete_metadata, implemented_works, scan_front
from metrokg.nlp.structure.numerals import CHINESE_NUMERAL_CHARS, to_int

_CN = f"[{CHINESE_NUMERAL_CHARS}]+"

# (style name, regex matching the marker at a line start, group "n" holds the numeral)
MARKER_STYLES: list[tuple[str, re.Pattern[str]]] = [
    ("part", re.compile(rf"第(?P<n>{_CN}|[0-9]+)编\s*")),
    ("chapter", re.compile(rf"第(?P<n>{_CN}|[0-9]+)章\s*")),
    ("section", re.compile(rf"第(?P<n>{_CN}|[0-9]+)节\s*")),
    ("article", re.compile(rf"第(?P<n>{_CN}|[0-9]+)条(?:之{_CN})?\s*")),  # 第十七条之一: inserted by an amendment
    ("cn", re.compile(rf"(?P<n>{_CN})\s*[、,，．.]\s*")),
    ("cn_paren", re.compile(rf"[（(]\s*(?P<n>{_CN})\s*[）)]\s*[、,，．.]?\s*")),
    ("arabic", re.compile(r"(?P<n>[0-9]+)\s*(?:[、，,]|[.．](?![0-9]))\s*")),
    ("arabic_paren", re.compile(r"[（(]\s*(?P<n>[0-9]+)\s*[）)]\s*[、,，．.]?\s*")),
    ("circled", re.compile(r"(?P<n>[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*")),
]
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# Above these values a marker is a heading only where it continues its own list (999. then
# 1000., 三十、 then 三十一、): a line that opens with a year (2024，… 二〇二二、…) stays text.
FREE_VALUE = {"arabic": 999, "arabic_paren": 999, "cn": 30}

SENTENCE_END = "。！？!?"
MAX_HEADING = 40
LAW_STYLES = tuple(LAW_UNITS)  # 编 章 节 条: the structure of a law; other markers inside an article are its items
BARE_HEADING_MAX = 20  # an unmarked chapter heading between two articles (河南 prints some so) is this short
_NOT_IN_HEADING = re.compile(r"[。，,；;：:！？!?]|的$")
_INSERTED = re.compile(rf"条之(?P<k>{_CN})")  # in an article's marker
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff])[ \u3000]+(?=[\u4e00-\u9fff])")


@dataclass
class _Line:
    start: int
    end: int
    text: str


@dataclass
class _Heading:
    line: _Line
    style: str
    value: int
    marker_end: int  # offset where the heading text starts
    insert: int | None = None  # 第十七条之一 -> 1: an article inserted after the 17th


def _lines(text: str) -> list[_Line]:
    out, pos = [], 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            out.append(_Line(pos + lead, pos + lead + len(stripped), stripped))
        pos += len(raw) + 1
    return out


def _marker(line: _Line, last: dict[str, int] | None = None) -> tuple[str, int, int] | None:
    """(style, value, length of marker) when the line opens with a heading marker.

    ``last`` holds the value of the latest heading of each style before this line; without
    it a value above :data:`FREE_VALUE` is never a heading.
    """
    for style, regex in MARKER_STYLES:
        m = regex.match(line.text)
        if not m:
            continue
        raw = m.group("n")
        value = _CIRCLED.index(raw) + 1 if style == "circled" else to_int(raw)
        rest = line.text[m.end():]
        if value is None or value == 0 or not rest:
            continue
        if value > FREE_VALUE.get(style, value) and (last or {}).get(style) != value - 1:
            continue  # 二〇二二、… or 2024，… opens a sentence, not heading 2024
        if style == "arabic" and rest[:1].isdigit():
            continue
        return style, value, m.end()
    return None


def _heading_text(text: str) -> str:
    """Heading of a provision: the whole line when short, else its first short sentence."""
    first_line = text.split("\n", 1)[0]
    if len(first_line) <= MAX_HEADING and not any(p in first_line[:-1] for p in SENTENCE_END):
        return first_line.rstrip("。：:")
    m = re.search(r"[。：:！？!?]", first_line)
    if m and m.start() <= MAX_HEADING:
        return first_line[:m.start()]
    m = re.search(r"[，,；;]", first_line)
    if m and m.start() <= MAX_HEADING:
        return first_line[:m.start()]
    return first_line[:MAX_HEADING]


def split_sentences(text: str, offset: int = 0) -> list[Span]:
    """Sentences of ``text`` at 。！？ and line ends; offsets are shifted by ``offset``."""
    spans, start = [], 0
    for i, ch in enumerate(text):
        if ch in SENTENCE_END or ch == "\n":
            end = i + 1 if ch != "\n" else i
            # keep a closing quote or bracket with its sentence
            while ch != "\n" and end < len(text) and text[end] in "”’」』)）":
                end += 1
            _append_span(spans, text, start, end, offset)
            start = max(end, i + 1)
    _append_span(spans, text, start, len(text), offset)
    return spans


def _append_span(spans: list[Span], text: str, start: int, end: int, offset: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append(Span(offset + start, offset + end, text[start:end]))


def untitled_name(first_line: str, front: FrontMatter, doc_id: str) -> str:
    """What a document that prints no title is called: its 文号 (湘政发〔2022〕18号, how such a text is
    cited), else its first line, unless that line is the addressees (各县(市、区)人民政府,市级有关部门:
    whom it is sent to, not what it is), else the name it was ingested by (its file name)."""
    if front.doc_number:
        return front.doc_number
    if front.recipients is None or first_line.rstrip("：:") != front.recipients:
        return first_line[:MAX_HEADING]
    return doc_id


def parse_document(text: str, doc_id: str, title: str | None = None,
                   source_file: str | None = None, source_format: str | None = None) -> ParsedDocument:
    """Parse normalised ``text`` into a :class:`ParsedDocument`.

    ``title`` overrides the detected title (a manifest knows better). A text with no
    recognisable headings becomes one provision and carries a warning; it is never refused.
    """
    lines = _lines(text)
    front = scan_front(lines, lambda line: _marker(_Line(0, len(line), line)) is not None)
    detected_title = lines[front.title_idx].text if front.title_idx is not None else None
    doc = ParsedDocument(doc_id=doc_id, text=text, title=title or detected_title or "",
                         issuer=front.issuer, date=front.date, document_number=front.doc_number,
                         recipients=front.recipients, source_file=source_file,
                         source_format=source_format)
    if not doc.title and lines:
        doc.title = untitled_name(lines[0].text, front, doc_id)
        doc.warnings.append(warning_text("W255", title=doc.title))
    doc.implements = implemented_works(doc.title, text)
    doc.references = find_references(text)
    body = lines[front.body_from:front.body_until]
    doc.provisions = _provisions(text, body, doc)
    complete_metadata(doc, front, lines[0].text if lines else None)
    return doc


def _law_headings(body: list[_Line], headings: list[_Heading], doc: ParsedDocument) -> list[_Heading]:
    """The headings of a law: markers inside an article are its items (parts of the article,
    not provisions), and a short unmarked line standing alone between two articles is a
    chapter heading printed without its number, numbered after the chapter before it."""
    at = {h.line.start: h for h in headings}
    out: list[_Heading] = []
    in_article, chapter = False, 0
    first_article: int | None = None  # where the articles before any chapter start in ``out``
    for i, ln in enumerate(body):
        h = at.get(ln.start)
        nxt = at.get(body[i + 1].start) if i + 1 < len(body) else None
        if h is None and in_article and nxt is not None and nxt.style == "article" \
                and len(ln.text) <= BARE_HEADING_MAX and not _NOT_IN_HEADING.search(ln.text):
            doc.warnings.append(warning_text("W256", heading=ln.text, offset=ln.start))
            h = _Heading(ln, "chapter", chapter + 1 if chapter or first_article is None else 2, ln.start)
        elif h is None or (h.style not in LAW_STYLES and in_article):
            continue
        if h.style in ("part", "chapter") and first_article is not None and not chapter:
            # articles before the first chapter heading: its chapter 1, printed without a heading
            lead = out[first_article].line
            out.insert(first_article, _Heading(_Line(lead.start, lead.start, ""), "chapter", 1, lead.start))
            doc.warnings.append(warning_text("W257", offset=lead.start))
        out.append(h)
        in_article = h.style == "article"
        if in_article and first_article is None and not chapter:
            first_article = len(out) - 1
        chapter = h.value if h.style == "chapter" else 0 if h.style == "part" else chapter
        if h.style == "part":
            first_article = None
    return out


def _provisions(text: str, body: list[_Line], doc: ParsedDocument) -> list[Provision]:
    headings: list[_Heading] = []
    last: dict[str, int] = {}
    for ln in body:
        m = _marker(ln, last)
        if m:
            inserted = _INSERTED.search(ln.text, 0, m[2]) if m[0] == "article" else None
            headings.append(_Heading(ln, m[0], m[1], ln.start + m[2],
                                     to_int(inserted.group("k")) if inserted else None))
            last[m[0]] = m[1]
    if not body:
        return []
    law = sum(h.style == "article" for h in headings) >= 2
    if law:
        headings = _law_headings(body, headings, doc)
    body_end = body[-1].end
    provisions: list[Provision] = []
    if not headings:
        doc.warnings.append(warning_text("W258"))
        provisions.append(_make(text, "1", doc.title or "正文", "", 1, body[0].start, body_end, None))
        return provisions
    if headings[0].line.start > body[0].start:
        pre_end = _trim_end(text, body[0].start, headings[0].line.start)
        provisions.append(_make(text, "0", "前言", "", 1, body[0].start, pre_end, None))
    stack: list[tuple[str, str]] = []  # (style, number)
    used: set[str] = set()
    last_value: dict[str, int] = {}
    last_of_style: dict[str, int] = {}  # plans often number items on across sections: （一）1. 2. （二）3.
    for i, h in enumerate(headings):
        styles = [s for s, _ in stack]
        if h.style in styles:
            del stack[styles.index(h.style):]
        elif law and h.style in LAW_STYLES:  # a chapter closes the articles before it, printed or not
            while stack and stack[-1][0] in LAW_STYLES[LAW_STYLES.index(h.style):]:
                stack.pop()
        parent = stack[-1][1] if stack else None
        value = f"{h.value}-{h.insert}" if h.insert else str(h.value)
        number = f"{parent}.{value}" if parent else value
        key = h.style if h.style == "article" else (parent or "") + "/" + h.style  # articles count globally
        expected = last_value.get(key, 0) + 1
        continued = h.value == last_of_style.get(h.style, 0) + 1 and h.value > 1
        if h.insert is None and h.value != expected and not continued:
            before = last_of_style.get(h.style, 0)
            before = before if expected - 1 < before < h.value else expected - 1  # the run it broke
            doc.warnings.append(warning_text("W259", before=before, after=h.value, heading=h.line.text[:12],
                                             offset=h.line.start))
        if h.insert is None:
            last_value[key] = last_of_style[h.style] = h.value
        if number in used:
            n = 2
            while f"{number}~{n}" in used:
                n += 1
            doc.warnings.append(warning_text("W260", number=number, offset=h.line.start, kept=f"{number}~{n}"))
            number = f"{number}~{n}"
        used.add(number)
        end = headings[i + 1].line.start if i + 1 < len(headings) else body_end
        end = _trim_end(text, h.line.start, end)
        marker = text[h.line.start:h.marker_end].strip()
        heading = _heading_text(text[h.marker_end:end])
        if law and h.style in LAW_STYLES and h.style != "article":
            heading = _CJK_GAP.sub("", heading)  # 第一章 总 则 -> 总则
        provisions.append(_make(text, number, heading, marker, len(stack) + 1, h.line.start, end, parent))
        stack.append((h.style, number))
        if law:
            _cite_law(provisions[-1], stack, h, text)
    return provisions


def _cite_law(p: Provision, stack: list[tuple[str, str]], h: _Heading, text: str) -> None:
    """The law provision's citation and IRI path from the units above it (第二编第一章, 第九条),
    and an article's paragraphs, items and sub-items."""
    if h.style not in LAW_STYLES:
        return
    values = [(style, int(number.rsplit(".", 1)[-1].split("~", 1)[0].split("-", 1)[0]))
              for style, number in stack if style in LAW_STYLES]
    if h.style == "article":
        values = values[-1:]  # articles are numbered through the whole law
        if h.insert:
            values.append(("insert", h.insert))
    elif h.style == "chapter":
        values = [v for v in values if v[0] in ("part", "chapter")]
    p.citation, p.path = cite(values)
    if "~" in p.number:
        p.path += "~" + p.number.rsplit("~", 1)[1]  # a duplicate number keeps its own IRI
    if h.style == "article":
        lines = [(h.marker_end + ln.start, h.marker_end + ln.end, _marker(ln))
                 for ln in _lines(text[h.marker_end:p.end])]
        p.parts = law_parts(text, p.citation, lines, LAW_STYLES)


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _make(text: str, number: str, heading: str, marker: str, level: int, start: int, end: int,
          parent: str | None) -> Provision:
    return Provision(number=number, heading=heading, marker=marker, level=level, start=start,
                     end=end, text=text[start:end], parent=parent,
                     sentences=split_sentences(text[start:end], start))
