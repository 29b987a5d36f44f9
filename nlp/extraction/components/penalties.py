"""Penalties (法律责任): for each sanctioning article or item, the conduct, the provisions it violates,
the authority and each sanction typed, fines with their bounds.

A sentence sanctions when a conduct clause ending in 的 (制造、销售…的，) is followed by a clause with a
sanction cue (责令, 没收, 罚款, 吊销, 处分, 刑事责任…); a cue inside the 的-clause is part of a condition
(对罚款、没收违法所得的行政处罚决定不服的) and sanctions nothing. Qualifier clauses (情节严重的, 逾期不改正的,
没有违法所得的, 构成犯罪的) set the condition of the sanctions after them. An article whose lead says
有下列行为之一的 takes its conduct from its items: one record for the article, or one per item where the
items differ (有前款第（二）项情形的，…赔偿责任 adds to item （二） only).

The component reads one provision. The pipeline hands it the whole article in ``doc.user_data``
(:func:`article_context`) so an item sees its article's lead and the paragraphs after the items;
offsets of a sanction read in the lead may then lie before the item's own text.
The articles violated are the citations (:mod:`metrokg.nlp.structure.citations`) inside 违反…规定:
本条例第十三条第一款、第十六条 → 第十三条第一款, 第十六条; another law's keep its title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc

from metrokg.nlp.extraction.components.base import RuleComponent, rule_component
from metrokg.nlp.extraction.facts import Penalty, Sanction
from metrokg.nlp.reading.normalize import to_simplified
from metrokg.nlp.structure.amounts import read_bounds
from metrokg.nlp.structure.citations import find_citations
from metrokg.nlp.structure.document import ParsedDocument, Provision
from metrokg.nlp.structure.textspans import ITEM_MARKER_RE, clauses, doc_text, sentences

NAME = "metrokg_penalties"
VERSION = "v1"
CONTEXT_KEY = "metrokg_article"

_NUM = "[0-9一二三四五六七八九十百零〇]+"
ARTICLE_MARKER = re.compile(rf"\s*第{_NUM}条")
ITEM_LINE = re.compile(rf"\s*[（(]{_NUM}[）)]")
VIOLATES = re.compile(r"违反(?P<body>[^，,；;。]{0,80}?)(?:的)?(?:有关)?规定")
QUALIFIER = re.compile(r"^(?:情节(?:较|特别)?(?:严重|轻微|较轻)|构成犯罪|拒不改正|逾期不(?:改正|缴纳|履行)|"
                       r"没有违法所得|违法所得不足|无违法所得|属出版物|"
                       r"有前款.{0,12}(?:情形|行为)|有.{0,4}前款|其中).*的$")
LIST_LEAD = re.compile(r"下列(?:行为|情形|情况)")
ITEM_REF = re.compile(rf"前款第[（(](?P<n>{_NUM})[）)]项")

# sanction kinds by cue; the first that matches a piece of a clause wins for that piece
_CUES: tuple[tuple[str, re.Pattern], ...] = (
    ("criminal", re.compile(r"刑事责任")),
    ("administrative_sanction", re.compile(r"处分")),
    ("warning", re.compile(r"警告|通报批评")),
    ("revoke", re.compile(r"吊销|撤销.{0,12}(?:证|资格|授权|许可|执照|登记)|取消.{0,8}资格")),
    ("fine", re.compile(r"罚款")),
    ("suspend", re.compile(r"停止使用|停产停业|停业整顿|责令停业|暂停|暂扣")),
    ("compensation", re.compile(r"赔偿")),
    ("order_to_correct", re.compile(r"责令|限期改正|改正")),
    ("other", re.compile(r"封存|追究法律责任|取缔|查封|扣押|收缴|销毁|(?:予以|依法|给予|规定)(?:行政)?(?:处罚|处理)|进行处理")),
)
CONFISCATE = re.compile(r"没收(?P<what>[^，,；;。]+)")
_ILLEGAL_INCOME = re.compile(r"违法所得|非法所得|违法收入|收取的费用")
_AUTHORITY_END = re.compile(r"依法|依照|按照|给予|处以|处(?=[0-9一二三四五六七八九十百千万]|罚)|责令|没收|吊销|追究|封存|撤销"
                            r"|有权|可以")
_AUTHORITY_NAME = re.compile(r"(?:部门|机关|机构|政府|局|委员会|单位)$")
# a conduct written as the one who does it: 制造、销售…计量器具的单位和个人，没收…
_CONDUCT_BY = re.compile(r"的(?:单位|个人|机构|企业|人员|经营者|组织)(?:(?:和|或者|或)(?:单位|个人|其他组织))?$")
_FILLER = re.compile(r"^(?:可以?|并|可并|并可)+")


@dataclass
class Article:
    """An article's whole text (lead, items, paragraphs after them) and where the provision read lies in it."""

    text: str
    own_start: int
    own_end: int
    article: str
    item: str | None = None
    items: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, marker) of each item


def article_context(doc: ParsedDocument, p: Provision, by_number: dict[str, Provision] | None = None) -> dict | None:
    """What the pipeline hands the component for provision ``p``: the article holding it (itself, or the
    nearest 第X条 above an item), its whole text to the end of its last descendant, simplified as the
    provision's own text is; None outside articles. ``by_number``: the provisions by number, once per document."""
    by_number = by_number if by_number is not None else {q.number: q for q in doc.provisions}
    art, hops = p, 0
    while art is not None and not ARTICLE_MARKER.match(art.marker or "") and hops < 32:
        art, hops = by_number.get(art.parent) if art.parent else None, hops + 1
    if art is not None and not ARTICLE_MARKER.match(art.marker or ""):
        art = None
    if art is None:
        return None
    prefix = art.number + "."
    end = max([q.end for q in doc.provisions if q.number.startswith(prefix)] + [art.end])
    return {"text": to_simplified(doc.text[art.start:end]), "offset": p.start - art.start,
            "article": art.marker.strip(), "item": None if art is p else (p.marker or "").strip() or None}


def _article(text: str, context: dict | None) -> Article:
    if context is None:
        m = ARTICLE_MARKER.match(text)
        art = Article(text, 0, len(text), m.group().strip() if m else "")
    else:
        off = context["offset"]
        art = Article(context["text"], off, off + len(text), context["article"], context.get("item"))
    pos = 0
    for line in art.text.splitlines(keepends=True):
        m = ITEM_LINE.match(line)
        if m:
            body = line.rstrip("\n")
            art.items.append((pos + (len(m.group()) - len(m.group().lstrip())), pos + len(body), m.group().strip()))
        pos += len(line)
    return art


def violated(text: str) -> list[str]:
    """The provisions a conduct violates, as cited: 违反本条例第十三条第一款、第十六条规定 → 第十三条第一款, 第十六条;
    a provision of another law keeps its title (《中华人民共和国计量法》第十四条)."""
    out: list[str] = []
    for m in VIOLATES.finditer(text):
        for c in find_citations(m.group("body"), headings=False):
            out += [f"《{c.title}》{t.citation}" if c.title else t.citation for t in c.targets]
    return out


_JOINT = re.compile(r"(?=(?:可以?|并可以?)?并(?:处|可处|给予|对|责令|没收|吊销)|可并处)")


def _sanctions(text: str, a: int, b: int, condition: str | None) -> list[Sanction]:
    """The sanctions of one clause ``text[a:b]``: one per piece joined by 并处/并给予…, and one per thing
    confiscated (没收计量器具和违法所得 → goods and income)."""
    clause = text[a:b]
    cuts = sorted({0, *(m.start() for m in _JOINT.finditer(clause) if m.start() > 0), len(clause)})
    out: list[Sanction] = []
    authority = None
    for x, y in zip(cuts, cuts[1:]):
        piece = clause[x:y]
        m = CONFISCATE.search(piece)
        hits = [(c.start(), kind) for kind, cue in _CUES for c in [cue.search(piece)] if c]
        at = min(([m.start()] if m else []) + [h[0] for h in hits] + [len(piece)])
        if x == 0:
            authority = _authority(piece[:at])
        if m:
            for part in re.split(r"和|及|以及", m.group("what")):
                if part.strip():
                    kind = "confiscate_income" if _ILLEGAL_INCOME.search(part) else "confiscate_goods"
                    out.append(Sanction(kind, a + x + m.start(), a + x + m.end(), m.group(), condition=condition))
            continue
        if not hits:
            continue
        kind = hits[0][1]  # the cues are in order of precedence: 责令赔偿 is compensation, not an order
        s = Sanction(kind, a + x, a + y, piece, condition=condition)
        if kind == "fine":
            bounds = read_bounds(piece)
            if bounds:
                s.min, s.max, s.unit, s.basis = bounds[0].min, bounds[0].max, bounds[0].unit, bounds[0].basis
        out.append(s)
    for s in out:
        s.authority = authority
    return out


def _authority(before: str) -> str | None:
    """Who imposes a sanction, when the clause names it: 由其所在单位或者上级主管部门依法给予…, 计量行政部门有权封存…"""
    before = _FILLER.sub("", before.strip())
    lead = before.startswith("由")
    m = _AUTHORITY_END.search(before)
    name = (before[:m.start()] if m else before)[1 if lead else 0:].strip()
    if not name or (not lead and not _AUTHORITY_NAME.search(name)):
        return None
    return name


def _has_cue(clause: str) -> bool:
    return bool(CONFISCATE.search(clause)) or any(cue.search(clause) for _, cue in _CUES)


@dataclass
class _Reading:
    start: int
    end: int
    conduct: tuple[int, int] | None
    refers_to: list[str]
    sanctions: list[Sanction]
    list_lead: bool = False


def _read_sentence(text: str, s: int, e: int) -> _Reading | None:
    """One sentence: conduct clauses up to the last 的-clause before the first sanction, then sanctions
    (each with the qualifier clause before it as its condition); None when nothing is sanctioned."""
    parts = clauses(text, s, e, "；;，,：:")
    seps = [text[b] if b < len(text) else "" for _, b in parts]
    first = next((i for i, (a, b) in enumerate(parts) if _has_cue(text[a:b]) and not text[a:b].endswith("的")), None)
    if first is None:
        return None
    leading = [i for i in range(first) if text[parts[i][0]:parts[i][1]].endswith("的")
               or _CONDUCT_BY.search(text[parts[i][0]:parts[i][1]])]
    if not leading:
        return None
    last_conduct = leading[-1]
    conduct_idx = [i for i in range(last_conduct + 1) if not QUALIFIER.match(text[parts[i][0]:parts[i][1]])
                   and not re.fullmatch(VIOLATES.pattern + "的?", text[parts[i][0]:parts[i][1]])]
    refers = violated(text[s:parts[last_conduct][1]])
    conduct = None
    if conduct_idx:
        a, b = parts[conduct_idx[0]][0], parts[conduct_idx[-1]][1]
        b -= text[a:b].endswith("的")
        conduct = (a, b)
    condition = None
    qual = [i for i in range(last_conduct + 1) if QUALIFIER.match(text[parts[i][0]:parts[i][1]])]
    if qual and qual[-1] == last_conduct:
        condition = text[parts[last_conduct][0]:parts[last_conduct][1]]
    out: list[Sanction] = []
    for i in range(first, len(parts)):
        a, b = parts[i]
        clause = text[a:b]
        if clause.endswith("的"):
            condition = clause
            continue
        if i > first and seps[i - 1] in "；;" and condition and not text[parts[i - 1][0]:parts[i - 1][1]].endswith("的"):
            condition = None  # a ； closes the condition's reach
        out.extend(_sanctions(text, a, b, condition))
    if not out:
        return None
    lead = conduct is not None and bool(LIST_LEAD.search(text[conduct[0]:conduct[1]]))
    return _Reading(s, e, conduct, refers, out, lead)


def _strip_end(text: str, a: int, b: int) -> tuple[int, int]:
    while b > a and text[b - 1] in "。；;，,：: \n":
        b -= 1
    return a, b


def _readings(body: str, start: int, end: int, skip_marker: bool = True) -> list[_Reading]:
    """The sanctioning readings of ``body[start:end]``, a sentence that only qualifies (情节严重的，…)
    continuing the reading before it."""
    out: list[_Reading] = []
    for s, e in sentences(body, start, end):
        m = ARTICLE_MARKER.match(body, s) or (ITEM_MARKER_RE.match(body, s) if skip_marker else None)
        r = _read_sentence(body, m.end() if m else s, e)
        if r is None:
            continue
        if out and (r.conduct is None or QUALIFIER.match(body[r.conduct[0]:r.conduct[1]] + "的")):
            out[-1].sanctions.extend(r.sanctions)
            out[-1].end = r.end
        else:
            out.append(r)
    return out


def read_article(text: str, context: dict | None = None) -> list[Penalty]:
    """The penalties of one provision, offsets into ``text`` (which ``context`` may place inside a longer
    article: :func:`article_context`)."""
    art = _article(text, context)
    body = art.text
    first_item = art.items[0][0] if art.items else len(body)
    last_item_end = art.items[-1][1] if art.items else len(body)
    lead_readings = _readings(body, 0, first_item)
    item_readings = {marker: _readings(body, s, e) for s, e, marker in art.items}
    # paragraphs after the items: 有前款第（二）项情形的，…应当承担相应的赔偿责任 belongs to item （二）
    per_item: dict[str, list[Sanction]] = {}
    trailing: list[_Reading] = []
    for s, e in sentences(body, last_item_end, len(body)) if art.items else []:
        ref = ITEM_REF.search(body, s, e)
        found = _readings(body, s, e)
        if ref and found:
            per_item.setdefault(f"（{ref.group('n')}）", []).extend(x for r in found for x in r.sanctions)
        else:
            trailing.extend(found)
    lead = lead_readings[0] if lead_readings and art.items and lead_readings[0].conduct \
        and LIST_LEAD.search(body[lead_readings[0].conduct[0]:lead_readings[0].conduct[1]]) else None
    split = lead is not None and bool(per_item)
    records: list[tuple[int, int, _Reading, str | None, list[Sanction]]] = []
    for r in lead_readings + trailing:
        if r is lead and split:
            continue  # the items carry it
        a, b = _strip_end(body, r.conduct[0] if r.conduct else r.start, r.end)
        records.append((a, b, r, None, r.sanctions))
    for s, e, marker in art.items:
        a, b = _strip_end(body, ITEM_MARKER_RE.match(body, s).end(), e)
        for r in item_readings[marker]:  # an item with sanctions of its own
            records.append((a, b, _Reading(r.start, r.end, r.conduct, lead_refs(lead_readings, body, first_item)
                                           + r.refers_to, r.sanctions), marker, r.sanctions))
        if split and not item_readings[marker]:
            conduct = (a, b - body[a:b].endswith("的"))
            records.append((s, b, _Reading(s, e, conduct, lead.refers_to, []), marker,
                            lead.sanctions + per_item.get(marker, [])))
    return [_penalty(body, art, a, b, r, item, sanctions) for a, b, r, item, sanctions in records
            if art.own_start <= a and b <= art.own_end]


def lead_refs(readings: list[_Reading], body: str, end: int) -> list[str]:
    """The provisions the lead of an article violates (违反本条例规定的下列行为，按照下列规定处理：)."""
    return readings[0].refers_to if readings else violated(body[:end])


def _penalty(body: str, art: Article, a: int, b: int, r: _Reading, item: str | None,
             sanctions: list[Sanction]) -> Penalty:
    """A Penalty with offsets moved from the article's text into the provision's own."""
    off = art.own_start
    conduct = body[r.conduct[0]:r.conduct[1]] if r.conduct else ""
    moved = [Sanction(s.kind, s.start - off, s.end - off, s.text, s.min, s.max, s.unit, s.basis, s.condition,
                      s.authority) for s in sanctions]
    return Penalty(a - off, b - off, body[a:b], component=NAME, version=VERSION, confidence=0.85,
                   article=art.article, item=item, conduct=conduct,
                   conduct_start=r.conduct[0] - off if r.conduct else None,
                   conduct_end=r.conduct[1] - off if r.conduct else None, refers_to=list(r.refers_to),
                   authority=moved[0].authority if moved else None, sanctions=moved)


@rule_component(NAME, VERSION, "metrokg_penalties")
class PenaltyReader(RuleComponent):
    """spaCy component: ``doc._.metrokg_penalties`` (list of :class:`Penalty`)."""

    def extract(self, doc: Doc) -> list[Penalty]:
        return read_article(doc_text(doc), doc.user_data.get(CONTEXT_KEY))
