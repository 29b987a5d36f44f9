"""Document metadata from wherever the text prints it, and the document's legal kind.

Plans and notices print their issuer, date and 文号 in a cover notice, in the title
(《四川省人民政府关于…的实施意见》), in a signature block at the end (also when 附件 or 抄送 lines
follow it), only in the 文号 prefix (川府发〔2023〕2号 → 四川省人民政府, from the divisions table in
``metrokg.ontology.divisions``) or in the notice's own 印发 sentence. Laws print their history
under the title (…第十三届全国人民代表大会常务委员会第六次会议…第五次修正) and their effective date
in an article (本法自…起施行). The scan works on the parser's lines; it is given the parser's
heading test so that it imports nothing from the parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Protocol, Sequence

from metrokg.nlp.reading.normalize import to_simplified
from metrokg.nlp.structure.citations import find_references, unbracket
from metrokg.nlp.structure.dates import DATE_RE, is_date_line, parse_date
from metrokg.nlp.structure.document import ParsedDocument, Version
from metrokg.ontology.divisions import issuers_for_prefix
from metrokg.terms import PROVINCIAL_OR_ABOVE

TITLE_SUFFIXES = ("意见", "方案", "规划", "通知", "办法", "规定", "条例", "措施", "计划", "纲要",
                  "决定", "细则", "规程", "规范", "法", "函", "通告", "公告", "指南", "要点", "实施意见")
FORMS = [  # (title ending, ontology class of the document's form) for normative documents
    ("实施意见", "ImplementationOpinion"), ("实施方案", "ImplementationPlan"),
    ("工作方案", "ImplementationPlan"), ("行动方案", "ImplementationPlan"), ("意见", "ImplementationOpinion"),
    ("方案", "ImplementationPlan"), ("规划", "Plan"), ("纲要", "Plan"), ("通知", "Notice"),
]
# legal kind → ontology class (ELI-aligned in ontology/legalkinds.ttl)
KIND_CLASSES = {"law": "Law", "administrative_regulation": "AdministrativeRegulation",
                "local_regulation": "LocalRegulation", "departmental_rule": "DepartmentalRule",
                "local_government_rule": "LocalGovernmentRule", "normative_document": "PolicyDocument"}
ORG_SUFFIXES = ("办公室", "人民政府", "政府", "委员会", "局", "厅", "部", "院", "会议", "委", "中心", "办",
                "联席会议办公室", "署", "总局", "领导小组")
DOC_NUMBER_RE = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［【(（]\s*[0-9]{4}\s*[〕\]］】)）]\s*[0-9]+\s*号")
DOC_PREFIX_RE = re.compile(r"^(?P<prefix>[\u4e00-\u9fff]{1,12})[〔\[［【(（]")
SERIAL_RE = re.compile(r"(?:[0-9]{4}年)?第\s*[0-9]+\s*号")  # 2019年第48号 under a 公告's title
ORDER_RE = re.compile(r"(?P<body>[\u4e00-\u9fff、]{2,60}?)令(?:第\s*[0-9一二三四五六七八九十百零〇]+\s*号)")
_TRAILING_PAREN = re.compile(r"\s*[（(][^（）()]{1,30}[）)]$")
_ORG = "|".join(sorted(ORG_SUFFIXES, key=len, reverse=True))
TITLE_ISSUER_RE = re.compile(rf"^(?P<org>[\u4e00-\u9fff、]{{2,40}}?(?:{_ORG}))(?:关于|印发|转发)")
ISSUE_SENTENCE_RE = re.compile(rf"^(?P<org>[\u4e00-\u9fff]{{2,30}}?(?:{_ORG}))(?:决定)?(?:印发|发布)《")
_ORDINAL = "[一二三四五六七八九十]+"
VERSION_RE = re.compile(
    rf"(?:根据)?(?P<date>{DATE_RE.pattern})\s*(?P<rest>.*?)"
    rf"(?P<event>(?:第{_ORDINAL}次)?(?:修正|修订)|通过|批准|发布|公布)(?=根据|\s*$|[0-9]{{4}}年)")
EFFECTIVE_RE = re.compile(rf"本(?:法|条例|办法|规定|细则|实施细则|决定|规则)(?:自|从)(?P<when>{DATE_RE.pattern}|"
                          r"(?:发布|公布|印发)之日)起(?:施行|实施|生效)")
_LEADING_TERM = re.compile(rf"^第{_ORDINAL}届")
_SESSION = re.compile(rf"第{_ORDINAL}次(?:全体)?会议")
_TAIL_EXTRA = re.compile(r"^(?:附件|附表|抄送|抄报|[（(]此件|主题词|[\u4e00-\u9fff]*办公(?:厅|室)\s*[0-9]{4}年)")
LEGISLATURE = "人民代表大会"
ANNEX_RE = re.compile(r"附件\s*[0-9一二三四五六七八九十]*[:：]?")
IMPLEMENTS_RE = re.compile(r"(?:贯彻落实|贯彻|落实|实施|推进)(?:国务院|国家)?《")
# a legal basis: 根据《中华人民共和国计量法》（第三十三条）的规定…，制定本细则 (in the same sentence)
LEGAL_BASIS_RE = re.compile(r"(?:根据|依据)《(?=[^。]*?制定本(?:法|条例|实施细则|细则|办法|规定|规则|决定|"
                            r"方案|意见|规划|计划|措施|要点)[^\u4e00-\u9fff]?)")
# what may stand between two implemented works: the first one's 文号, bracketed or not, then a joiner
_WORK_JOIN_RE = re.compile(
    rf"\s*(?:[（(][^（）()《》。，,；;]{{1,40}}[）)]|{DOC_NUMBER_RE.pattern})?\s*(?:以及|和|及|与|、)?\s*")


class LineLike(Protocol):
    start: int
    end: int
    text: str


@dataclass
class FrontMatter:
    """What the scan found, and where the body lies between ``body_from`` and ``body_until``."""

    title_idx: int | None = None
    issuer: str | None = None
    date: str | None = None
    doc_number: str | None = None
    recipients: str | None = None
    body_from: int = 0
    body_until: int = 0
    versions: list[Version] = field(default_factory=list)
    issue_sentence_issuer: str | None = None


def looks_like_title(line: str, is_heading: Callable[[str], bool]) -> bool:
    """A short line without closing punctuation that ends as titles end (or opens with 关于)."""
    if len(line) > 90 or line[-1:] in "。；;，,：:" or is_heading(line):
        return False
    core = _TRAILING_PAREN.sub("", to_simplified(line))  # 实施方案（2023—2025年）, 条例（草案）
    return core.endswith(TITLE_SUFFIXES) or core.startswith("关于")


def implemented_works(title: str, text: str) -> list[str]:
    """Titles of the works this document says it implements (贯彻落实《…》（国发〔2021〕37号）和《…》)
    or is made under (根据《中华人民共和国计量法》的规定，制定本细则): every work of the list, each with or
    without its 文号 after it, joined by 和, 及, 以及, 与 or 、."""
    found: list[str] = []
    for source in (title, text[:2000]):
        for m in sorted([*IMPLEMENTS_RE.finditer(source), *LEGAL_BASIS_RE.finditer(source)], key=lambda m: m.start()):
            rest = source[m.end() - 1:]
            pos = 0
            for ref in find_references(rest):
                if not _WORK_JOIN_RE.fullmatch(rest, pos, ref.start):
                    break  # the list of implemented works has ended
                name = unbracket(ref.text)
                if name not in found and name != title:
                    found.append(name)
                pos = ref.end
    return found


def looks_like_org(line: str) -> bool:
    """A line that names an issuing body (a signature)."""
    return (len(line) <= 40 and line.endswith(ORG_SUFFIXES)
            and not any(p in line for p in "。，,；;：:《"))


def _body_name(text: str) -> str | None:
    """The body in a version line's words before its session or decision, as commonly named
    (a leading 第十三届 term number dropped: 全国人民代表大会常务委员会)."""
    rest = text.strip()
    order = ORDER_RE.match(rest)
    if order:
        rest = order.group("body")
    rest = _SESSION.split(rest, maxsplit=1)[0]
    rest = rest.split("《", 1)[0].strip(" 　，,")
    rest = _LEADING_TERM.sub("", rest)
    return rest or None


def parse_versions(line: str) -> list[Version] | None:
    """The versions a history line under a law's title prints, or None when it is not one."""
    found, pos = [], 0
    for m in VERSION_RE.finditer(line):
        if line[pos:m.start()].strip():
            return None
        rest, event = m.group("rest"), m.group("event")
        decision = re.search(r"《[^《》]*(?:〈[^〈〉]*〉[^《》]*)*》", rest)
        body = _body_name(rest)
        if body is None and decision:
            head = TITLE_ISSUER_RE.match(decision.group(0)[1:])
            body = head.group("org") if head else None
        order = ORDER_RE.match(rest.strip())
        kind = "修正" if event.endswith("修正") else "修订" if event.endswith("修订") else event
        found.append(Version(date=parse_date(m.group("date")), event=kind, body=body,
                             decision=decision.group(0)[1:-1] if decision else None,
                             text=line[m.start():m.end()].strip(),
                             order=order.group(0).strip() if order else None))
        pos = m.end()
    return found if found and not line[pos:].strip() else None


def scan_front(lines: Sequence[LineLike], is_heading: Callable[[str], bool]) -> FrontMatter:
    """Cover notice, title, version history, issuer, date and 文号 before (or after) the body.

    ``is_heading`` says whether a line opens with a heading marker (the parser's test)."""
    front = FrontMatter(body_until=len(lines))
    first_heading = next((i for i, ln in enumerate(lines) if is_heading(ln.text)), len(lines))
    head = lines[:min(first_heading, 25)]
    notice_title = None
    for ln in head:
        if front.doc_number is None and DOC_NUMBER_RE.fullmatch(ln.text):
            front.doc_number = ln.text
        if front.recipients is None and ln.text.endswith(("：", ":")) and len(ln.text) <= 120 \
                and "，" not in ln.text[:4] and re.search(r"(各|人民政府|部门|单位|局|厅|委)", ln.text):
            front.recipients = ln.text.rstrip("：:")
        if "印发" in ln.text or "转发" in ln.text:
            refs = find_references(ln.text)
            if refs and notice_title is None:
                notice_title = unbracket(refs[0].text)
            m = ISSUE_SENTENCE_RE.match(ln.text)
            if m and front.issue_sentence_issuer is None:
                front.issue_sentence_issuer = m.group("org")
    # the title: the line that repeats the title quoted by the notice, else the first
    # title-like line before the body (cover notices put their own title first)
    same = [i for i, ln in enumerate(head) if notice_title and ln.text == notice_title]
    candidates = same or [i for i, ln in enumerate(head) if looks_like_title(ln.text, is_heading)]
    if not candidates and len(head) > 1 and ANNEX_RE.fullmatch(head[0].text) \
            and looks_like_org(head[1].text) is False and len(head[1].text) <= 60 \
            and not any(p in head[1].text for p in "。；;，,：:"):
        candidates = [1]  # an annex printed alone: 附件 then its title (…重点项目表)
    if candidates:
        front.title_idx = candidates[-1] if notice_title else candidates[0]
    front.body_from = (front.title_idx + 1) if front.title_idx is not None else 0
    _scan_history(front, lines, first_heading)
    _scan_signature(front, lines)
    _scan_serial(front, lines)
    return front


def _scan_history(front: FrontMatter, lines: Sequence[LineLike], first_heading: int) -> None:
    """Version lines right under the title; the body starts after them."""
    idx, stop = front.body_from, min(first_heading, len(lines))
    while idx < stop:
        text, nxt = lines[idx].text, idx + 1
        while text.count("《") > text.count("》") and nxt < min(stop, idx + 3):
            text, nxt = text + lines[nxt].text, nxt + 1  # a decision's title broken over lines
        versions = parse_versions(text)
        if versions is None:
            break
        front.versions += versions
        idx = nxt
    if not front.versions:
        return
    front.body_from = idx
    front.date = front.versions[-1].date
    front.issuer = law_issuer(front.versions)
    front.doc_number = front.doc_number or next((v.order for v in front.versions if v.order), None)


def law_issuer(versions: list[Version]) -> str | None:
    """The body of the latest version that names one outside a decision's title; a State
    Council approval followed by a ministry's promulgation reads 国务院批准，国家计量局发布."""
    explicit = [(i, v) for i, v in enumerate(versions) if v.body and v.body in v.text.split("《", 1)[0]]
    if not explicit:
        return None
    i, latest = explicit[-1]
    if latest.event in ("发布", "公布") and i > 0:
        before = versions[i - 1]
        if before.event == "批准" and before.body and before.body != latest.body:
            return f"{before.body}批准，{latest.body}{latest.event}"
    return latest.body


def _scan_signature(front: FrontMatter, lines: Sequence[LineLike]) -> None:
    """An issuer line followed by a date line, before the title or at the end of the body
    (where only 附件, 抄送 and (此件公开发布) lines may follow it)."""
    if front.versions:
        return
    body = range(front.body_from, len(lines))
    tail = [i for i in body if i >= len(lines) - 4 or all(
        _TAIL_EXTRA.match(lines[j].text) for j in (i + 1,) if j < len(lines))]
    for idx in [*range(front.body_from), *sorted(set(tail), key=lambda i: -i)][:60]:
        if not is_date_line(lines[idx].text):
            continue
        front.date = parse_date(lines[idx].text)
        signed = idx > 0 and looks_like_org(lines[idx - 1].text)
        if signed:
            front.issuer = lines[idx - 1].text
        if idx >= front.body_from:
            front.body_until = max(idx - 1 if signed else idx, front.body_from)
        break
    if front.date is None:
        for ln in lines[:front.body_from]:
            if DATE_RE.search(ln.text) and len(ln.text) <= 30:
                front.date = parse_date(ln.text)
                break


def _scan_serial(front: FrontMatter, lines: Sequence[LineLike]) -> None:
    """A 公告's serial number (2019年第48号) on its own line under the title."""
    if front.doc_number or front.title_idx is None:
        return
    nxt = front.title_idx + 1
    if nxt < len(lines) and SERIAL_RE.fullmatch(lines[nxt].text):
        front.doc_number = lines[nxt].text
        front.body_from = max(front.body_from, nxt + 1)


def issuer_from_title(title: str) -> str | None:
    """四川省人民政府关于…的实施意见 → 四川省人民政府."""
    m = TITLE_ISSUER_RE.match(to_simplified(title))
    return m.group("org") if m else None


def issuer_from_number(number: str, context: str) -> str | None:
    """The issuer a 文号's prefix stands for; where short names collide (常 → 常州, 常德), the
    division the text names, else the province the 简称 stands for."""
    m = DOC_PREFIX_RE.match(number)
    if not m:
        return None
    candidates = issuers_for_prefix(m.group("prefix"))
    named = [c for c in candidates if any(p in context for p in c.places)]
    if named:
        return named[0].issuer
    if len(candidates) == 1 or (candidates and candidates[0].level in PROVINCIAL_OR_ABOVE):
        return candidates[0].issuer
    return None


def effective_date(doc: ParsedDocument) -> str | None:
    """From 本法自…起施行: the date printed, or the promulgation date for 自发布之日起."""
    found = list(EFFECTIVE_RE.finditer(doc.text))
    if not found:
        return None
    m = found[-1]  # the last such article is the document's own (earlier ones may quote others)
    when = m.group("when")
    if not when.endswith("之日"):
        return parse_date(when)
    return promulgation_date(doc.versions)


def promulgation_date(versions: list[Version]) -> str | None:
    """The first 发布/公布 date, else the adoption (通过/批准) date."""
    for events in (("发布", "公布"), ("通过", "批准")):
        for v in versions:
            if v.event in events:
                return v.date
    return None


def legal_kind(doc: ParsedDocument) -> str:
    """法律, 行政法规, 地方性法规, 部门规章, 地方政府规章 or 规范性文件, from title, issuer and structure."""
    title = _TRAILING_PAREN.sub("", to_simplified(doc.title or ""))
    issuer = doc.issuer or ""
    bodies = " ".join([issuer, *(v.body or "" for v in doc.versions)])
    articles = any(p.marker.startswith("第") and p.marker.endswith("条") for p in doc.provisions)
    enacted = bool(doc.versions) or "令" in (doc.document_number or "")
    local = not title.startswith("中华人民共和国") and bool(re.match(r"^[\u4e00-\u9fff]{2,12}?(?:省|市|自治区|自治州|县)", title))
    if title.endswith("法") and not title.endswith("办法") or LEGISLATURE in bodies and not local \
            and title.endswith(("决定", "法")):
        return "law"
    if title.endswith("条例") or LEGISLATURE in bodies:
        if LEGISLATURE in bodies or local and "国务院" not in bodies:
            return "local_regulation"
        return "administrative_regulation"
    if title.endswith(("规定", "办法", "细则", "规则")) and (articles or enacted):
        if "国务院" in bodies and ("批准" in bodies or any(v.event == "批准" for v in doc.versions)
                                  or bodies.strip() in ("国务院", "中华人民共和国国务院")):
            return "administrative_regulation"
        if "人民政府" in bodies or local and enacted:
            return "local_government_rule"
        if enacted or articles and not local:
            return "departmental_rule"
    return "normative_document"


def form_class(title: str) -> str | None:
    """The ontology class of a normative document's form (实施意见, 规划, 通知, …)."""
    core = _TRAILING_PAREN.sub("", to_simplified(title))
    for ending, cls in FORMS:
        if core.endswith(ending):
            return cls
    return None


def complete_metadata(doc: ParsedDocument, front: FrontMatter, cover_title: str | None = None) -> None:
    """Fill what the front matter left open, once the provisions are known: the issuer from the
    title, the 文号 prefix or the 印发 sentence; a 公告's full number; the law's dates; the kind."""
    doc.versions = list(front.versions)
    context = doc.text[:3000]
    if doc.issuer is None:
        for title in (doc.title, cover_title):
            doc.issuer = doc.issuer or (issuer_from_title(title) if title else None)
    if doc.issuer is None and doc.document_number:
        doc.issuer = issuer_from_number(doc.document_number, doc.title + context)
    if doc.issuer is None:
        doc.issuer = front.issue_sentence_issuer
    form = next((f for f in ("公告", "令") if to_simplified(doc.title).endswith(f)), None)
    if doc.document_number and SERIAL_RE.fullmatch(doc.document_number) and doc.issuer and form:
        doc.document_number = f"{doc.issuer}{form}{doc.document_number}"  # 市场监管总局公告2019年第48号
    doc.promulgated = promulgation_date(doc.versions)
    doc.effective = effective_date(doc)
    doc.legal_kind = legal_kind(doc)
    if doc.legal_kind == "normative_document":
        doc.doc_type = form_class(doc.title) or KIND_CLASSES[doc.legal_kind]
    else:
        doc.doc_type = KIND_CLASSES[doc.legal_kind]
