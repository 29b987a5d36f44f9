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

from metrokg.nlp.structure.dates import DATE_RE, is_date_line, parse_date
from metrokg.nlp.structure.document import ParsedDocument, Provision, Span
from metrokg.nlp.reading.normalize import to_simplified
from metrokg.nlp.structure.numerals import CHINESE_NUMERAL_CHARS, to_int

_CN = f"[{CHINESE_NUMERAL_CHARS}]+"

# (style name, regex matching the marker at a line start, group "n" holds the numeral)
MARKER_STYLES: list[tuple[str, re.Pattern[str]]] = [
    ("chapter", re.compile(rf"第(?P<n>{_CN}|[0-9]+)章\s*")),
    ("section", re.compile(rf"第(?P<n>{_CN}|[0-9]+)节\s*")),
    ("article", re.compile(rf"第(?P<n>{_CN}|[0-9]+)条\s*")),
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

TITLE_SUFFIXES = ("意见", "方案", "规划", "通知", "办法", "规定", "条例", "措施", "计划", "纲要",
                  "决定", "细则", "规程", "规范", "法", "函", "通告", "公告", "指南", "要点", "实施意见")
DOC_TYPES = [  # (title ending, ontology class local name)
    ("实施意见", "ImplementationOpinion"), ("实施方案", "ImplementationPlan"),
    ("工作方案", "ImplementationPlan"), ("行动方案", "ImplementationPlan"), ("意见", "ImplementationOpinion"),
    ("方案", "ImplementationPlan"), ("规划", "Plan"), ("纲要", "Plan"), ("通知", "Notice"),
    ("条例", "LocalRegulation"), ("规定", "DepartmentalRule"), ("办法", "DepartmentalRule"),
    ("细则", "DepartmentalRule"), ("法", "Law"),
]
ORG_SUFFIXES = ("办公室", "人民政府", "政府", "委员会", "局", "厅", "部", "院", "会议", "委", "中心", "办",
                "联席会议办公室", "署", "总局", "领导小组")
SENTENCE_END = "。！？!?"
DOC_NUMBER_RE = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［【(（]\s*[0-9]{4}\s*[〕\]］】)）]\s*[0-9]+\s*号")
IMPLEMENTS_RE = re.compile(r"(?:贯彻落实|贯彻|落实|实施|推进)(?:国务院|国家)?《")
MAX_HEADING = 40


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


def _lines(text: str) -> list[_Line]:
    out, pos = [], 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            out.append(_Line(pos + lead, pos + lead + len(stripped), stripped))
        pos += len(raw) + 1
    return out


def find_references(text: str) -> list[Span]:
    """Every 《…》 title in the text, nested 〈〉 kept inside, outermost brackets included."""
    spans, depth, start = [], 0, -1
    for i, ch in enumerate(text):
        if ch == "《":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "》" and depth:
            depth -= 1
            if depth == 0:
                spans.append(Span(start, i + 1, text[start:i + 1]))
        elif ch == "\n":
            depth = 0
    return spans


def _unbracket(title: str) -> str:
    """A reference without its outer 《》, with nested 〈〉 written as 《》 again."""
    inner = title[1:-1] if title.startswith("《") and title.endswith("》") else title
    return inner.replace("〈", "《").replace("〉", "》")


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


_TRAILING_PAREN = re.compile(r"\s*[（(][^（）()]{1,30}[）)]$")


def _looks_like_title(line: str) -> bool:
    if len(line) > 90 or line[-1:] in "。；;，,：:" or _marker(_Line(0, len(line), line)):
        return False
    core = _TRAILING_PAREN.sub("", to_simplified(line))  # 实施方案（2023—2025年）, 条例（草案）
    return core.endswith(TITLE_SUFFIXES) or core.startswith("关于")


def _looks_like_org(line: str) -> bool:
    return (len(line) <= 40 and line.endswith(ORG_SUFFIXES)
            and not any(p in line for p in "。，,；;：:《"))


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


class _Front:
    """Cover notice, title, issuer and date found before (or after) the body."""

    def __init__(self, lines: list[_Line]):
        self.title_idx: int | None = None
        self.issuer: str | None = None
        self.date: str | None = None
        self.doc_number: str | None = None
        self.recipients: str | None = None
        self.body_from = 0
        self.body_until = len(lines)
        self._scan(lines)

    def _scan(self, lines: list[_Line]) -> None:
        first_heading = next((i for i, ln in enumerate(lines) if _marker(ln)), len(lines))
        head = lines[:min(first_heading, 25)]
        notice_title = None
        for i, ln in enumerate(head):
            if self.doc_number is None and DOC_NUMBER_RE.fullmatch(ln.text):
                self.doc_number = ln.text
            if self.recipients is None and ln.text.endswith(("：", ":")) and len(ln.text) <= 120 \
                    and i < first_heading and "，" not in ln.text[:4]:
                if re.search(r"(各|人民政府|部门|单位|局|厅|委)", ln.text):
                    self.recipients = ln.text.rstrip("：:")
            if "印发" in ln.text or "转发" in ln.text:
                refs = find_references(ln.text)
                if refs:
                    notice_title = _unbracket(refs[0].text)
        # the title: the line that repeats the title quoted by the notice, else the last
        # title-like line before the body (cover notices put their own title first)
        same = [i for i, ln in enumerate(head) if notice_title and ln.text == notice_title]
        candidates = same or [i for i, ln in enumerate(head) if _looks_like_title(ln.text)]
        if candidates:
            self.title_idx = candidates[-1] if notice_title else candidates[0]
        self.body_from = (self.title_idx + 1) if self.title_idx is not None else 0
        # signature: an issuer line followed by a date line, before the title or at the end
        tail = range(max(self.body_from, len(lines) - 4), len(lines))
        for idx in [*range(self.body_from), *tail]:
            if not is_date_line(lines[idx].text):
                continue
            self.date = parse_date(lines[idx].text)
            signed = idx > 0 and _looks_like_org(lines[idx - 1].text)
            if signed:
                self.issuer = lines[idx - 1].text
            if idx >= self.body_from:
                self.body_until = max(idx - 1 if signed else idx, self.body_from)
            break
        if self.date is None:
            for ln in lines[:self.body_from]:
                if DATE_RE.search(ln.text) and len(ln.text) <= 30:
                    self.date = parse_date(ln.text)
                    break


def _implements(title: str, text: str) -> list[str]:
    """Titles of the works this document says it implements (贯彻落实《…》)."""
    found: list[str] = []
    for source in (title, text[:2000]):
        for m in IMPLEMENTS_RE.finditer(source):
            rest = source[m.end() - 1:]
            pos = 0
            for ref in find_references(rest):
                if rest[pos:ref.start].strip() not in ("", "和", "、", "及", "以及", "与"):
                    break  # the list of implemented works has ended
                name = _unbracket(ref.text)
                if name not in found and name != title:
                    found.append(name)
                pos = ref.end
    return found


def _doc_type(title: str) -> str | None:
    core = _TRAILING_PAREN.sub("", to_simplified(title))
    for ending, cls in DOC_TYPES:
        if core.endswith(ending):
            return cls
    return None


def parse_document(text: str, doc_id: str, title: str | None = None,
                   source_file: str | None = None, source_format: str | None = None) -> ParsedDocument:
    """Parse normalised ``text`` into a :class:`ParsedDocument`.

    ``title`` overrides the detected title (a manifest knows better). A text with no
    recognisable headings becomes one provision and carries a warning; it is never refused.
    """
    lines = _lines(text)
    front = _Front(lines)
    detected_title = lines[front.title_idx].text if front.title_idx is not None else None
    doc = ParsedDocument(doc_id=doc_id, text=text, title=title or detected_title or "",
                         issuer=front.issuer, date=front.date, document_number=front.doc_number,
                         recipients=front.recipients, source_file=source_file,
                         source_format=source_format)
    if not doc.title and lines:
        doc.title = lines[0].text[:MAX_HEADING]
        doc.warnings.append("no title recognised; the first line is used")
    doc.doc_type = _doc_type(doc.title)
    doc.implements = _implements(doc.title, text)
    doc.references = find_references(text)
    body = lines[front.body_from:front.body_until]
    doc.provisions = _provisions(text, body, doc)
    return doc


def _provisions(text: str, body: list[_Line], doc: ParsedDocument) -> list[Provision]:
    headings: list[_Heading] = []
    last: dict[str, int] = {}
    for ln in body:
        m = _marker(ln, last)
        if m:
            headings.append(_Heading(ln, m[0], m[1], ln.start + m[2]))
            last[m[0]] = m[1]
    if not body:
        return []
    body_end = body[-1].end
    provisions: list[Provision] = []
    if not headings:
        doc.warnings.append("no numbered headings recognised; the body is kept as one provision")
        provisions.append(_make(text, "1", doc.title or "正文", "", 1, body[0].start, body_end, None))
        return provisions
    if headings[0].line.start > body[0].start:
        pre_end = _trim_end(text, body[0].start, headings[0].line.start)
        provisions.append(_make(text, "0", "前言", "", 1, body[0].start, pre_end, None))
    stack: list[tuple[str, str]] = []  # (style, number)
    used: set[str] = set()
    last_value: dict[str, int] = {}
    for i, h in enumerate(headings):
        styles = [s for s, _ in stack]
        if h.style in styles:
            del stack[styles.index(h.style):]
        parent = stack[-1][1] if stack else None
        number = f"{parent}.{h.value}" if parent else str(h.value)
        key = h.style if h.style == "article" else (parent or "") + "/" + h.style  # articles count globally
        expected = last_value.get(key, 0) + 1
        if h.value != expected:
            doc.warnings.append(f"numbering jumps from {expected - 1} to {h.value} at "
                                f"'{h.line.text[:12]}' (offset {h.line.start})")
        last_value[key] = h.value
        if number in used:
            n = 2
            while f"{number}~{n}" in used:
                n += 1
            doc.warnings.append(f"duplicate number {number} at offset {h.line.start}; kept as {number}~{n}")
            number = f"{number}~{n}"
        used.add(number)
        end = headings[i + 1].line.start if i + 1 < len(headings) else body_end
        end = _trim_end(text, h.line.start, end)
        marker = text[h.line.start:h.marker_end].strip()
        heading = _heading_text(text[h.marker_end:end])
        provisions.append(_make(text, number, heading, marker, len(stack) + 1, h.line.start, end, parent))
        stack.append((h.style, number))
    return provisions


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _make(text: str, number: str, heading: str, marker: str, level: int, start: int, end: int,
          parent: str | None) -> Provision:
    return Provision(number=number, heading=heading, marker=marker, level=level, start=start,
                     end=end, text=text[start:end], parent=parent,
                     sentences=split_sentences(text[start:end], start))
