"""Citations of laws as lawyers write them, read from text with their offsets (no store).

``《中华人民共和国计量法》第九条``, ``计量法第二十二条`` (a short title before its article),
``违反本条例第十七条第四款`` (the citing law itself), ``前款`` / ``本条`` / ``前条`` (relative to the
article they stand in), lists (``第十条、第十一条``, ``第一款、第二款``: a part without its article
keeps the one before) and ranges (``第二十五条至第二十八条``). A 《title》 alone cites a document.

A :class:`Citation` names what it cites by title (``None``: the citing document) and by
:class:`Target` (part, chapter, section, article, paragraph, item, sub-item): whether that
document is in a store is for :mod:`metrokg.kg.graph.citations` to say. The same module spells
a law provision's own citation and IRI path (:func:`cite`, :func:`law_parts`), so that what the
parser writes and what a citation asks for meet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from metrokg.nlp.structure.document import Provision, ProvisionPart, Span
from metrokg.nlp.structure.numerals import CHINESE_NUMERAL_CHARS, int_to_chinese, to_int

# structure of a law, outermost first: style -> (the character after 第N, the IRI path segment)
LAW_UNITS = {"part": ("编", "part"), "chapter": ("章", "chapter"), "section": ("节", "section"),
             "article": ("条", "article")}
PART_LEVELS = ("paragraph", "item", "subitem")  # 款 项 目: spans inside an article
LEVELS = (*LAW_UNITS, *PART_LEVELS)
MAX_RANGE = 60  # 第一条至第一千条 is a typo, not sixty links: longer ranges keep their ends only
SHORT_TITLE_MAX = 30  # characters looked back from 第X条 for a title written without 《》
TITLE_ENDINGS = ("法", "条例", "办法", "细则", "规定", "规则", "决定", "通告", "意见", "方案", "规划")
COUNTRY = "中华人民共和国"

_N = rf"(?:[{CHINESE_NUMERAL_CHARS}]+|[0-9]+)"
CHAIN_RE = re.compile(
    rf"(?:第(?P<part>{_N})编)?(?:第(?P<chapter>{_N})章)?(?:第(?P<section>{_N})节)?"
    rf"(?:第(?P<article>{_N})条(?!例)(?:之(?P<insert>[{CHINESE_NUMERAL_CHARS}]+))?)?(?:第(?P<paragraph>{_N})款)?"
    rf"(?:第[（(](?P<item>{_N})[）)]项|第(?P<item2>{_N})项)?(?:第(?P<subitem>{_N})目)?")
SELF_RE = re.compile(r"本(?:实施)?(?:法|条例|办法|细则|规定|规则|决定|通告|通知|意见|方案)(?!律|规)")
# 该法第十五条: the law named last before it in the same text
THAT_RE = re.compile(r"该(?:法|条例|办法|细则|规定|规则|决定)(?!律|规)(?=第)")
RELATIVE_RE = re.compile(r"前(?P<count>[两二三四])款|前款|本款|本条(?!例)|前条")
JOINERS = ("、", "和", "及", "以及", "或者", "或", "与")
RANGE_JOINERS = ("至", "到")
# words that end the text before a title written without 《》 (依照计量法第九条 -> 计量法)
_BEFORE_TITLE = re.compile(r".*(?:违反|依照|依据|根据|按照|参照|对照|适用|执行|符合|遵守|规定|关于|以及|"
                           r"或者|[和及与或由对按依据照经在将从向为即])")


@dataclass(frozen=True)
class Target:
    """One cited unit: the numbers given, ``None`` for the levels not named."""

    part: int | None = None
    chapter: int | None = None
    section: int | None = None
    article: int | None = None
    insert: int | None = None  # 第十七条之一: an article inserted after the 17th by an amendment
    paragraph: int | None = None
    item: int | None = None
    subitem: int | None = None

    @property
    def citation(self) -> str:
        """As lawyers write it: ``第十条第二款``, ``第二十五条第（三）项``, ``第二章第一节``."""
        out = []
        for level in LEVELS:
            n = getattr(self, level)
            if n is not None:
                out.append(_unit_text(level, n))
                if level == "article" and self.insert:
                    out.append(f"之{int_to_chinese(self.insert)}")
        return "".join(out)

    @property
    def path(self) -> str:
        """The IRI path of the cited unit: ``article/10/paragraph/2``, ``chapter/2/section/1``."""
        levels = [lv for lv in LEVELS if getattr(self, lv) is not None]
        if "article" in levels:  # articles are numbered through the law: chapters drop out
            levels = levels[levels.index("article"):]
        return "/".join(f"{_segment(lv)}/{self.article_key if lv == 'article' else getattr(self, lv)}"
                        for lv in levels)

    @property
    def article_key(self) -> str:
        """The article's number in IRI paths: ``17``, ``17-1`` for 第十七条之一."""
        return f"{self.article}-{self.insert}" if self.insert else str(self.article)

    def inherit(self, before: "Target") -> "Target":
        """A listed target that omits its outer levels keeps those of the one before it
        (``第九条第一款、第二款`` -> the second is 第九条第二款)."""
        given = [lv for lv in LEVELS if getattr(self, lv) is not None]
        if not given:
            return self
        first = LEVELS.index(given[0])
        inherited = {lv: getattr(before, lv) for lv in LEVELS[:first]}
        if "article" in inherited:
            inherited["insert"] = before.insert
        return replace(self, **inherited)


@dataclass(frozen=True)
class Citation:
    """A citation found in a text: ``text == source[start:end]``; ``title`` as written
    (without 《》; None for the citing document), ``targets`` empty for a whole document."""

    start: int
    end: int
    text: str
    title: str | None
    targets: tuple[Target, ...] = field(default_factory=tuple)
    relative: bool = False  # 前款, 本条, 前条: read from the article the citation stands in

    @property
    def citations(self) -> list[str]:
        return [t.citation for t in self.targets]


def _segment(level: str) -> str:
    return LAW_UNITS[level][1] if level in LAW_UNITS else level


def _unit_text(level: str, n: int) -> str:
    if level == "item":
        return f"第（{int_to_chinese(n)}）项"
    char = LAW_UNITS[level][0] if level in LAW_UNITS else {"paragraph": "款", "subitem": "目"}[level]
    return f"第{n if level == 'subitem' else int_to_chinese(n)}{char}"


def cite(values: list[tuple[str, int]]) -> tuple[str, str]:
    """Citation and IRI path of a law provision from its units, outermost first
    (``[("chapter", 2), ("section", 1)]`` -> ``("第二章第一节", "chapter/2/section/1")``)."""
    target = Target(**{style: value for style, value in values})
    return target.citation, target.path


# ----------------------------------------------------------------- an article's parts

def law_parts(text: str, article_citation: str, lines: list[tuple[int, int, tuple[str, int, int] | None]],
              law_styles: tuple[str, ...]) -> list[ProvisionPart]:
    """An article's paragraphs (款: each unmarked line; items belong to the paragraph above
    them), items (项: the first marker style inside it, （一）) and sub-items (目: a second style
    under an item, 1.). ``lines`` are the article's lines after its marker (absolute offsets,
    with the marker each opens with); a paragraph is a part only where the article has two."""
    base = Target(**_target_fields(article_citation))
    rows: list[tuple[str, int, str, int]] = []  # (kind, number, label, start)
    styles: list[str] = []
    paragraphs = 0
    for k, (start, _end, marker) in enumerate(lines):
        if k and marker is not None and marker[0] not in law_styles:
            style, value, length = marker
            if style in styles:
                del styles[styles.index(style) + 1:]
            elif len(styles) < 2:
                styles.append(style)
            else:
                continue  # a third level stays in the sub-item's text
            kind = "item" if styles.index(style) == 0 else "subitem"
            rows.append((kind, value, text[start:start + length].strip(), start))
        else:
            styles = []
            paragraphs += 1
            rows.append(("paragraph", paragraphs, "", start))
    many = sum(r[0] == "paragraph" for r in rows) > 1
    depth = {"paragraph": 0, "item": 1, "subitem": 2}
    parts: list[ProvisionPart] = []
    paragraph = item = 0
    for i, (kind, number, label, start) in enumerate(rows):
        nxt = next((r for r in rows[i + 1:] if depth[r[0]] <= depth[kind]), None)
        stop = nxt[3] if nxt else lines[-1][1]
        while stop > start and text[stop - 1].isspace():
            stop -= 1
        if kind == "paragraph":
            paragraph = number
            if not many:
                continue
        item = number if kind == "item" else item
        target = replace(base, paragraph=paragraph if many else None,
                         item=item if kind != "paragraph" else None,
                         subitem=number if kind == "subitem" else None)
        parts.append(ProvisionPart(kind, number, label, target.citation, target.path[len(base.path) + 1:],
                                   start, stop, text[start:stop]))
    return parts


# ----------------------------------------------------------------- reading citations

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


def unbracket(title: str) -> str:
    """A reference without its outer 《》, with nested 〈〉 written as 《》 again."""
    inner = title[1:-1] if title.startswith("《") and title.endswith("》") else title
    return inner.replace("〈", "《").replace("〉", "》")


def _target_fields(chain: str | re.Match) -> dict[str, int]:
    m = chain if isinstance(chain, re.Match) else CHAIN_RE.fullmatch(chain)
    if m is None:
        return {}
    out = {}
    for level in (*LEVELS, "insert"):
        raw = m.group(level) or (m.group("item2") if level == "item" else None)
        if raw is not None:
            value = to_int(raw)
            if value:
                out[level] = value
    return out


def parse_target(text: str) -> Target | None:
    """The :class:`Target` a citation string names (``第十条第二款``), None if it is not one."""
    fields = _target_fields(text.strip())
    return Target(**fields) if fields else None


def _chain_at(text: str, pos: int) -> re.Match | None:
    m = CHAIN_RE.match(text, pos)
    return m if m and m.end() > pos and _target_fields(m) else None


def _chains(text: str, pos: int, first: Target | None = None) -> tuple[list[tuple[int, int, tuple[Target, ...]]], int]:
    """The chains from ``pos`` on: the first, and each one joined to it by 、和及… (own span)
    or 至 (a range, in the span of the one before). ``first`` seeds the levels a chain omits."""
    out: list[tuple[int, int, tuple[Target, ...]]] = []
    before = first or Target()
    m = _chain_at(text, pos)
    if m is None:
        return out, pos
    t = Target(**_target_fields(m)).inherit(before)
    out.append((m.start(), m.end(), (t,)))
    end = m.end()
    while True:
        joiner = next((j for j in (*RANGE_JOINERS, *JOINERS) if text.startswith(j, end)), None)
        if joiner is None:
            break
        nxt = _chain_at(text, end + len(joiner))
        if nxt is None:
            break
        prev = out[-1][2][-1]
        t = Target(**_target_fields(nxt)).inherit(prev)
        if joiner in RANGE_JOINERS:
            start, _, targets = out.pop()
            out.append((start, nxt.end(), targets[:-1] + _range(prev, t)))
        else:
            out.append((nxt.start(), nxt.end(), (t,)))
        end = nxt.end()
    return out, end


def _range(a: Target, b: Target) -> tuple[Target, ...]:
    """第二十五条至第二十八条 -> 25, 26, 27, 28 (the deepest level that differs is counted)."""
    level = next((lv for lv in LEVELS if getattr(a, lv) != getattr(b, lv)), None)
    if level is None:
        return (a,) if a.insert == b.insert else (a, b)
    if a.insert or b.insert:  # 第十七条之一至第十八条: the ends, the inserted ones are not counted
        return (a, b)
    lo, hi = getattr(a, level), getattr(b, level)
    if lo is None or hi is None or hi <= lo:
        return (a, b)
    if hi - lo >= MAX_RANGE:
        return (a, b)
    return tuple(replace(a, **{level: n}) for n in range(lo, hi + 1))


def _short_title(text: str, end: int) -> tuple[int, str] | None:
    """A title written without 《》 right before offset ``end`` (依照计量法第九条 -> 计量法)."""
    lo = end
    while lo > 0 and end - lo < SHORT_TITLE_MAX and "\u4e00" <= text[lo - 1] <= "\u9fff":
        lo -= 1
    run = text[lo:end]
    if not run.endswith(TITLE_ENDINGS) or SELF_RE.fullmatch(run[-4:]) or run.endswith(("本法", "该法")):
        return None
    cut = _BEFORE_TITLE.match(run)
    title = run[cut.end():] if cut else run
    if len(title) < 3 or title in TITLE_ENDINGS:
        return None
    return end - len(title), title


def _paragraph_at(provision: Provision | None, offset: int) -> int | None:
    if provision is None:
        return None
    for part in provision.parts:
        if part.kind == "paragraph" and part.start <= offset < max(part.end, part.start + 1):
            return part.number
    return 1 if provision.citation and provision.path and provision.path.startswith("article/") else None


def _article_of(provision: Provision | None) -> Target | None:
    """The article a provision is (``article/17-1`` -> 第十七条之一), None outside articles."""
    if provision is None or not provision.path or not provision.path.startswith("article/"):
        return None
    number, _, insert = provision.path.split("/")[1].split("~")[0].partition("-")
    article = to_int(number)
    return Target(article=article, insert=to_int(insert) if insert else None) if article else None


def _relative(m: re.Match, provision: Provision | None, offset: int) -> tuple[Target, ...]:
    own = _article_of(provision)
    if own is None:
        return ()
    word, article = m.group(), own.article or 0
    if word == "本条":
        return (own,)
    if word == "前条":  # before 第十七条之一 stands 第十七条
        return (Target(article=article),) if own.insert else (Target(article=article - 1),) if article > 1 else ()
    paragraph = _paragraph_at(provision, offset) or 1
    if word == "本款":
        return (replace(own, paragraph=paragraph),)
    count = to_int(m.group("count")) if m.group("count") else 1
    first = max(1, paragraph - count)
    return tuple(replace(own, paragraph=n) for n in range(first, paragraph))


def find_citations(text: str, offset: int = 0, provision: Provision | None = None,
                   skip: tuple[int, int] | None = None, headings: bool = True) -> list[Citation]:
    """Every citation in ``text`` (offsets shifted by ``offset``), in text order.

    ``provision`` is the article the text belongs to (for 前款, 本条, 前条 and a bare 第二款);
    ``skip`` a span (relative to ``text``) that holds no citation, such as the article's own
    marker. With ``headings``, a 第X条 at a line start is a heading, not a citation."""
    out: list[Citation] = []
    pos = 0
    titles = {r.start: r for r in find_references(text)}
    last_title: str | None = None  # what 该法 stands for
    anchors = sorted([*titles, *(m.start() for m in SELF_RE.finditer(text)),
                      *(m.start() for m in THAT_RE.finditer(text)),
                      *(m.start() for m in RELATIVE_RE.finditer(text)),
                      *(m.start() for m in re.finditer("第", text))])
    for at in anchors:
        if at < pos or (skip and skip[0] <= at < skip[1]):
            continue
        title: str | None = None
        relative = False
        seed: Target | None = None
        head = at
        if at in titles:
            ref = titles[at]
            title, head = unbracket(ref.text), ref.end
        elif (m := SELF_RE.match(text, at)) is not None:
            head = m.end()
        elif (m := THAT_RE.match(text, at)) is not None:
            if last_title is None:  # 该法 with no law named before it: nothing to resolve to
                pos = (CHAIN_RE.match(text, m.end()) or m).end()
                continue
            title, head = last_title, m.end()
        elif (m := RELATIVE_RE.match(text, at)) is not None:
            targets = _relative(m, provision, offset + at)
            if not targets:
                pos = m.end()
                continue
            relative = True
            item = _chain_at(text, m.end())
            end = m.end()
            deepest = max(LEVELS.index(lv) for lv in LEVELS if getattr(targets[-1], lv) is not None)
            if item is not None and len(targets) == 1 and \
                    min(LEVELS.index(lv) for lv in _target_fields(item)) > deepest:  # 本条第二款, 前款第（一）项
                targets = (Target(**_target_fields(item)).inherit(targets[0]),)
                end = item.end()
            out.append(Citation(offset + at, offset + end, text[at:end], None, targets, relative))
            pos = end
            continue
        else:  # a bare 第X条: the citing document, or a short title written before it
            if headings and (at == 0 or text[at - 1] == "\n"):
                pos = (CHAIN_RE.match(text, at) or re.compile("").match(text, at)).end()
                continue
            short = _short_title(text, at)
            if short is not None:
                head, title = at, short[1]
                at = short[0]
            else:
                seed = _article_of(provision)
        chains, end = _chains(text, head, seed)
        if not chains:
            if title is not None and at in titles:  # 《title》 alone: the whole document
                out.append(Citation(offset + at, offset + head, text[at:head], title))
                last_title = title
            pos = head
            continue
        if seed is not None and chains[0][2][0].article is None and provision is not None:
            relative = True  # 第二款 inside an article: its own paragraph
        elif all(t.article is None and t.chapter is None and t.part is None for _, _, ts in chains for t in ts):
            pos = end  # 第（一）项 alone names nothing we can find
            continue
        for k, (s, e, targets) in enumerate(chains):
            s = at if k == 0 else s
            out.append(Citation(offset + s, offset + e, text[s:e], title, targets, relative))
        last_title = title if title is not None else last_title
        pos = end
    return out


def provision_citations(doc_text: str, provision: Provision) -> list[Citation]:
    """The citations in one provision's text, its own marker left out."""
    marker_len = len(provision.marker)
    return find_citations(provision.text, provision.start, provision, (0, marker_len) if marker_len else None)


def parse_query(query: str) -> Citation | None:
    """The first citation of an article (or deeper, or a chapter) in a query, as a user types
    it (计量法第二十二条, 《上海市计量监督管理条例》第十条第二款, 第九条规定了什么); None when the
    query cites no provision."""
    for c in find_citations(query.strip(), headings=False):
        if c.targets and not c.relative:
            return c
    return None


def title_key(title: str) -> str:
    """A title compared as users write it: without 《》, spaces, the country's name, and with
    half-width brackets (《中华人民共和国计量法》 and 计量法 meet)."""
    t = title.strip().strip("《》").replace(" ", "").replace("（", "(").replace("）", ")")
    return t[len(COUNTRY):] if t.startswith(COUNTRY) and len(t) > len(COUNTRY) + 1 else t
