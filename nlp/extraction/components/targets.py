"""Quantitative targets: indicator, scope verb, value, counter/unit, comparator, deadline.

A target is a counted quantity in a clause (split at ，；。：), read in one of two orders:

* noun first: ``新建国家级、省级产业计量测试中心10家`` (scope 新建, indicator
  产业计量测试中心) or ``强制检定项目覆盖率达92%以上``;
* number first: ``培育10个具有核心竞争力的仪器仪表品牌`` (indicator after the counter).

Comparators come before (不少于, 超过, 达到, 不超过, 约, 力争) or after (以上, 以下, 以内,
左右, 余) the number; a clause with no noun of its own (``全省总数达到15家以上``) takes the
indicator of the target before it in the same sentence and is flagged as a total, and a
clause with no verb of its own takes the scope before it (``建成…2家以上，…基地1家以上``).
Level qualifiers (国家级、省级) are left out of the indicator. ``每年`` marks a recurring
quantity, and a count inherits the frequency of the clause before it (每季度开展检查，抽查商户
不少于200户); a rate never does. The deadline comes from the deadline component.

More rules, each for a way plans are written rather than for one plan:

* the scope verb may follow a subject, a place or a frequency (县市场监管局每年组织…,
  粤东西北地区建成…); a verb of having before 的 (获得国际互认的…) is a modifier, not a scope;
* a count reached with 达到/超过/保持在… and no scope verb is the stock as a whole
  (全区社会公用计量标准达到45项 -> total); 累计新建 is an amount added, not a total;
* a bare amount with no noun and no target before it takes the object of the clause before
  it (统筹安排专项经费，每年投入不低于50万元 -> 专项经费);
* amounts in a clause about a fine (处…元以上…元以下罚款) are never targets;
* numbers that count nothing to reach are skipped (:mod:`metrokg.nlp.extraction.lexicon.quantities`):
  in a 《title》 or a short quoted slogan, ordinals (十二届二次全会), participants (两名以上人员参加),
  principles (三个原则) and ranks (8个国家之一); so are numbers another component has claimed (time
  limits, funding amounts), and in a law or regulation every count without a deadline (a rule);
* ``至少``/``最多`` before the verb bound the count (至少建成3个 -> ``>=``); a second number's words
  start after the first one's 以上 and a joining 、/和 (150项以上和15项以上);
* achievements the targets read this way are moved out afterwards by the baselines component;
* indicator tables flattened to tab-separated lines are read by :func:`table_targets`
  (target column = the one marked 目标 or the latest non-base year; base-year cells are not
  targets).
"""

from __future__ import annotations

import re
from decimal import Decimal

from spacy.language import Language
from spacy.tokens import Doc

from metrokg.nlp.structure.deadlines import deadline_at
from metrokg.nlp.extraction.facts import Target
from metrokg.nlp.extraction.components.numbers import claimed, parse_number
from metrokg.nlp.extraction.lexicon.quantities import inside, not_a_quantity, slogan_spans, title_spans
from metrokg.nlp.extraction.lexicon.verbs import ACTION_VERBS, LEAD_VERBS, VERB_RE
from metrokg.nlp.structure.textspans import ITEM_MARKER, clauses, doc_text, paragraphs, sentences, token_offsets
from metrokg.nlp.structure.tables import tab_cells


NAME = "metrokg_targets"
VERSION = "v1"

PRE_COMPARATORS: tuple[tuple[str, str], ...] = tuple(sorted({
    "不少于": ">=", "不低于": ">=", "不小于": ">=", "至少": ">=", "达到": ">=", "达": ">=", "力争达到": ">=",
    "力争": ">=", "提高到": ">=", "提升到": ">=", "提高至": ">=", "提升至": ">=", "增加到": ">=", "增至": ">=",
    "增长到": ">=", "保持在": ">=", "稳定在": ">=", "超过": ">", "高于": ">", "大于": ">", "多于": ">", "突破": ">",
    "不超过": "<=", "不高于": "<=", "不大于": "<=", "不多于": "<=", "控制在": "<=", "降至": "<=", "降低到": "<=",
    "低于": "<", "小于": "<", "少于": "<", "约": "~", "近": "~", "大约": "~", "接近": "~",
}.items(), key=lambda kv: len(kv[0]), reverse=True))
POST_COMPARATORS: tuple[tuple[str, str], ...] = (
    ("及以上", ">="), ("以上", ">="), ("及以下", "<="), ("以下", "<="), ("以内", "<="), ("之内", "<="),
    ("左右", "~"), ("上下", "~"),
)
QUALIFIER_COMPARATOR = {"余": ">", "多": ">"}
RECURRENCE = (("每年度", "year"), ("每年", "year"), ("年均", "year"), ("每季度", "quarter"), ("每半年", "half-year"),
              ("每月", "month"), ("每周", "week"))
TOTAL_WORDS = re.compile(r"总数|总量|累计|总计|合计|共计|总规模|总体")
# Verbs that state what is done to the counted things; chained with 和/及/并/、 (新建和升级).
SCOPE_VERBS = tuple(sorted({
    "新建", "建立", "建成", "建设", "保存", "编制", "制修订", "制定", "修订", "培育", "引导培育", "开展", "组建",
    "认定", "打造", "创建", "培养", "研制", "新增", "完成", "引进", "发展", "形成", "争创", "申报", "筹建",
    "升级", "改造", "推广", "检定", "校准", "检测", "举办", "组织", "发布", "实施", "评选", "命名", "设立",
    "培训", "招收", "选树", "遴选", "建", "研发", "获批", "获得", "新培育", "新认定", "新增建", "扶持", "支持",
    "资助", "奖励", "补助", "提供", "服务", "覆盖", "达标", "攻克", "突破", "制(修)订", "主导制定", "参与制定",
    "复查", "考核", "复查考核", "复审", "审核", "抽查", "比对", "验证", "核准", "注册",
    "投入", "安排", "送检", "攻关", "设置", "配备", "改造升级", "升级改造", "监督检查", "检查", "抽检", "招引",
}, key=len, reverse=True))
# comparators that state a level reached, not an amount added: a count read this way with no
# scope verb is the stock as a whole (全区社会公用计量标准达到45项 -> a total)
LEVEL_WORDS = frozenset({"达到", "达", "力争达到", "超过", "突破", "保持在", "稳定在", "增加到", "增至", "增长到",
                         "提高到", "提升到", "提高至", "提升至"})
# verbs of having, before 的: 获得国际互认的校准测量能力 is a noun phrase, not a scope verb + noun
STATIVE_VERBS = ("获得", "取得", "具有", "具备", "拥有", "通过")
# a clause about a fine or a penalty holds amounts, never targets (处5000元以上3万元以下罚款)
_PENALTY = re.compile(r"罚款|罚金|处罚|没收|赔偿")
# what may stand between a subject or place and the scope verb: 县市场监管局每年组织…
_SUBJECT_END = re.compile(r"(?:政府|局|厅|委|办|部门|单位|企业|机构|院|所|中心|站|财政|者|各|均|地区|地方|城市|"
                          r"[省市州县区]|每年度|每年|年均|每季度|每半年|每月|每周)$")
_SCOPE_RE = re.compile(rf"(?:{'|'.join(map(re.escape, SCOPE_VERBS))})(?:(?:和|及|与|并|、)?(?:{'|'.join(map(re.escape, SCOPE_VERBS))}))*")
_MODAL_RE = re.compile(r"要|应当|应|必须|须|务必")
_LEVEL_QUALIFIERS = re.compile(
    r"^(?:(?:国家级|省级|市级|县级|区级|部级|省部级|国家|省|市|县)(?:、|和|及|或|与)?)*(?:国家级|省级|市级|县级|区级|部级|省部级)")
_MARKER = re.compile(rf"^\s*{ITEM_MARKER}\s*")
_DEADLINE_WORDS = (r"(?:力争|争取)?(?:到|至|在|于|截至)?(?:(?:19|20)\d{2}年(?:\d{1,2}月)?(?:份)?(?:底|末|年底)?"
                   r"(?:前|以前|之前)?)[，,]?")
_LEAD_NOISE = re.compile(rf"^(?:{ITEM_MARKER}|{_DEADLINE_WORDS}|其中|同时|此外|另外|全省|全市|全区|全州|全县|全国|"
                         r"力争|累计|已经|已|每年度|每年|年均|每季度|每半年|每月|每周|共|再|各)+")
_TABLE_YEAR = re.compile(r"((?:19|20)\d{2})年")
_TABLE_BASE = re.compile(r"基数|基期|现状|现值|基准值|实际")
_SYMBOL_COMPARATORS = (("≥", ">="), ("≤", "<="), (">=", ">="), ("<=", "<="), ("＞", ">"), ("＜", "<"), (">", ">"),
                       ("<", "<"), ("约", "~"), ("~", "~"), ("～", "~"))
_UNIT_IN_NAME = re.compile(r"[（(]([^（）()]{1,6})[）)]$")
_TIME_COUNTERS = {"小时", "天", "个月", "周"}
_JOIN = re.compile(r"(?:以及|和|及|与|、|或)")
_BOUND_ADVERBS = {"至少": ">=", "最少": ">=", "最多": "<=", "至多": "<="}
_BOUND_ADVERB = re.compile("|".join(_BOUND_ADVERBS))


def _after_value(text: str, pos: int, end: int) -> int:
    """Where the words of the next number start: past this one's 以上/以下 and a joining 和/及/、
    (``150项以上和15项以上``: the second target starts at 15)."""
    for word, _c in POST_COMPARATORS:
        if text.startswith(word, pos):
            pos += len(word)
            break
    m = _JOIN.match(text, pos, end)
    return m.end() if m else pos


def _strip_qualifiers(s: str) -> str:
    s = s.strip(" ,，、:：")
    s = _LEVEL_QUALIFIERS.sub("", s).lstrip("、和及与 ")
    return s


def _strip_comparator_end(pre: str) -> tuple[str, str | None, str | None]:
    for word, comp in PRE_COMPARATORS:
        if pre.endswith(word):
            return pre[: -len(word)], comp, word
    return pre, None, None


def _scope_at(s: str) -> tuple[str | None, str]:
    m = _SCOPE_RE.match(s)
    if not m:
        return None, s
    return m.group(0), s[m.end():]


def _np_after(post: str) -> str:
    """Indicator written after the counter: drop 的-modifiers, keep the head noun phrase."""
    depth = 0
    cut = 0
    for i, ch in enumerate(post):
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
        elif ch == "的" and depth == 0 and i + 1 < len(post):
            cut = i + 1
    return _strip_qualifiers(post[cut:])


def _plain(v: Decimal) -> Decimal:
    """``Decimal('15000.0')`` -> ``Decimal('15000')`` without exponent notation."""
    return Decimal(int(v)) if v == v.to_integral_value() else v.normalize()


def _object_of(text: str, span: tuple[int, int]) -> str:
    """The object of the clause before a bare amount (统筹安排专项经费，每年投入不低于50万元 ->
    专项经费): the words after its last scope or action verb, if they look like a noun phrase."""
    clause = text[span[0]:span[1]]
    cue = None
    for m in _MODAL_RE.finditer(clause):
        cue = m.end()
    pos = cue or 0
    verb = VERB_RE.search(clause, pos) or _SCOPE_RE.search(clause, pos)
    if verb is None:
        return ""
    end = verb.end()
    while (nxt := VERB_RE.match(clause, end)) is not None and (
            clause[verb.start():end] in LEAD_VERBS or clause[verb.start():nxt.end()] in ACTION_VERBS):
        end = nxt.end()  # 统筹安排: verbs written together
    obj = _np_after(clause[end:].strip(" 。"))
    return obj if 2 <= len(obj) <= 16 and re.fullmatch(r"[\u4e00-\u9fff（）()、]+", obj) else ""


def _table_value(cell: str) -> tuple[Decimal, str, bool] | None:
    """(value, comparator, percent) of a table cell such as ``≥98``, ``3500``, ``95%以上``."""
    comp = "="
    body = cell.strip()
    for sym, c in _SYMBOL_COMPARATORS:
        if body.startswith(sym):
            comp, body = c, body[len(sym):].strip()
            break
    else:
        for word, c in PRE_COMPARATORS:
            if body.startswith(word):
                comp, body = c, body[len(word):]
                break
    for word, c in POST_COMPARATORS:
        if body.endswith(word):
            comp, body = c, body[: -len(word)]
            break
    percent = body.endswith(("%", "％"))
    v = parse_number(body)
    return None if v is None else (v, comp, percent)


def table_targets(text: str, deadline_spans=(), base: bool = False) -> list[Target]:
    """Targets in indicator tables flattened to tab-separated lines.

    A header line names the columns (指标名称, 单位, ``2024年基数``, ``2027年目标值``); the
    target column is the one that says 目标, else the latest year that is not a base
    (基数, 现状). Each following row with as many cells gives one target: value and
    comparator from the target cell (``≥98``), unit from the 单位 column or the name's
    bracket (``计量标准（项）``), deadline from the column's year. A count with no scope
    verb is a stock (total); base-year cells are never targets: ``base=True`` reads them instead
    (their ``deadline`` is then the base year), for the baselines component."""
    out: list[Target] = []
    lines = paragraphs(text)
    i = 0
    while i < len(lines):
        s, e = lines[i]
        cells = tab_cells(text, s, e)
        if len(cells) < 3:
            i += 1
            continue
        heads = [text[a:b] for a, b in cells]
        years = [(k, int(m.group(1))) for k, h in enumerate(heads) if (m := _TABLE_YEAR.search(h))]
        if not years:
            i += 1
            continue
        if base:  # the base-year column (2020年基数): what exists when the plan starts
            col, year = next(((k, y) for k, y in years if _TABLE_BASE.search(heads[k])), (None, None))
        else:
            marked = [(k, y) for k, y in years if "目标" in heads[k]]
            plain = [(k, y) for k, y in years if not _TABLE_BASE.search(heads[k])]
            col, year = (marked or plain or [(None, None)])[-1]
        if col is None:
            i += 1
            continue
        name_col = next((k for k, h in enumerate(heads) if "指标" in h or "名称" in h or "项目" in h), None)
        unit_col = next((k for k, h in enumerate(heads) if h.strip() in ("单位", "计量单位")), None)
        j = i + 1
        while j < len(lines):
            rs, re_ = lines[j]
            row = tab_cells(text, rs, re_)
            if len(row) != len(cells):
                break
            j += 1
            vals = [text[a:b] for a, b in row]
            nc = name_col if name_col is not None else next(
                (k for k, v in enumerate(vals) if re.search(r"[\u4e00-\u9fff]{2,}", v)), None)
            if nc is None or nc == col:
                continue
            parsed = _table_value(vals[col])
            if parsed is None:
                continue
            value, comp, percent = parsed
            name = vals[nc].strip()
            unit = vals[unit_col].strip().strip("（）()") if unit_col is not None else ""
            um = _UNIT_IN_NAME.search(name)
            if um:
                unit = unit or um.group(1)
                name = name[: um.start()].strip()
            if percent or unit in ("%", "％"):
                unit, percent = "%", True
            if not unit or not name:
                continue
            scope, rest = _scope_at(name)
            indicator = _strip_qualifiers(rest if scope else name)
            start, end = row[nc][0], row[col][1]
            out.append(Target(start, end, text[start:end], component=NAME, version=VERSION, confidence=0.8,
                              indicator=indicator, scope=scope, value=_plain(value), unit_text=unit,
                              comparator=comp, deadline=year, is_total=not percent and scope is None,
                              value_start=row[col][0], value_end=row[col][1]))
        i = j
    return out


class TargetExtractor:
    """spaCy component: ``doc._.metrokg_targets`` (list of :class:`Target`)."""

    version = VERSION

    def __init__(self, nlp: Language, name: str, min_confidence: float = 0.5) -> None:
        self.name = name
        self.min_confidence = min_confidence

    def __call__(self, doc: Doc) -> Doc:
        doc._.metrokg_targets = self.extract(doc)  # a failure is the pipeline's to report
        return doc

    def extract(self, doc: Doc) -> list[Target]:
        text = doc_text(doc)
        deadline_spans = doc._.metrokg_sentence_deadlines or []
        out: list[Target] = table_targets(text, deadline_spans)
        names = title_spans(text) + slogan_spans(text)  # 《…七部法律…》, “两个确立”
        numbers = [n for n in (doc._.metrokg_numbers or []) if n.unit and n.unit not in _TIME_COUNTERS
                   and not claimed(doc, n.start) and not inside(n.start, names)]
        if not numbers:
            return out
        legal = bool(doc._.metrokg_legal_text)
        mentions = doc._.metrokg_mentions or []
        starts = set(token_offsets(doc)[0])
        ni = 0
        for ss, se in sentences(text):
            if text.count("\t", ss, se) >= 2:
                continue  # a table row: read by table_targets, its base-year cells are no targets
            prev: Target | None = None
            prev_clause: tuple[int, int] | None = None
            recurrence_before: str | None = None
            for cs, ce in clauses(text, ss, se):
                while ni < len(numbers) and numbers[ni].start < cs:
                    ni += 1
                in_clause = []
                while ni < len(numbers) and numbers[ni].start < ce:
                    in_clause.append(numbers[ni])
                    ni += 1
                in_clause = [n for n in in_clause if not_a_quantity(text, (cs, ce), n.start, n.unit, n.unit_end) is None]
                if in_clause and not _PENALTY.search(text, cs, ce):
                    left = cs
                    for k, n in enumerate(in_clause):
                        # the words of this number end where the next number starts (185项A和6.2万项B)
                        stop = in_clause[k + 1].start if k + 1 < len(in_clause) else ce
                        t = self._target(text, left, stop, n, prev, deadline_spans, mentions, starts, prev_clause,
                                         recurrence_before)
                        left = _after_value(text, max(n.unit_end, t.end if t is not None else 0), ce)
                        if legal and t is not None and t.deadline is None:
                            continue  # a law's numbers are rules (limits, counts) unless a deadline makes a goal
                        if t is not None and t.confidence >= self.min_confidence:
                            out.append(t)
                            prev = t
                recurrence_before = next((r for w, r in RECURRENCE if w in text[cs:ce]), recurrence_before)
                prev_clause = (cs, ce)
        return out

    @staticmethod
    def _split_scope(core: str, offset: int, starts: set[int]) -> tuple[str | None, str]:
        """(scope verb, indicator part) of the words before a number.

        The scope verb leads (新建…), or follows a subject, a place or a frequency
        (县市场监管局每年组织…, 粤东西北地区建成…); 获得…的 is a modifier, not a scope."""
        if core.startswith(STATIVE_VERBS) and "的" in core:
            return None, core[core.rindex("的") + 1:]  # 取得资质认定的检测机构
        scope, rest = _scope_at(core)
        if scope is None:
            for m in _SCOPE_RE.finditer(core):
                if m.start() == 0:
                    continue
                if starts and offset + m.start() not in starts:
                    continue
                if _SUBJECT_END.search(core[:m.start()]):
                    scope, rest = m.group(0), core[m.end():]
                    break
        if scope in STATIVE_VERBS and "的" in rest:
            return None, rest[rest.rindex("的") + 1:]
        return scope, rest

    def _target(self, text: str, cs: int, ce: int, n, prev: Target | None, deadline_spans, mentions,
                starts: set[int] = frozenset(), prev_clause: tuple[int, int] | None = None,
                recurrence_before: str | None = None) -> Target | None:
        if text[max(0, n.start - 1):n.start] == "第":
            return None
        pre = text[cs:n.start]
        post = text[n.unit_end:ce]
        # comparators
        comp = None
        for word, c in POST_COMPARATORS:
            if post.startswith(word):
                comp = c
                post = post[len(word):]
                break
        if n.qualifier and comp is None:
            comp = QUALIFIER_COMPARATOR[n.qualifier]
        pre_core, pre_comp, pre_word = _strip_comparator_end(pre.rstrip())
        # an adverb of bound before the verb governs the count too: 至少建成3个…, 最多保留2家
        adverb = None if comp or pre_comp else _BOUND_ADVERB.search(pre_core)
        comp = comp or pre_comp or (_BOUND_ADVERBS[adverb.group(0)] if adverb else "=")
        recurrence = next((r for w, r in RECURRENCE if w in pre), None)
        if recurrence is None and not n.percent:
            recurrence = recurrence_before  # 每季度开展检查，抽查商户不少于200户
        total_word = TOTAL_WORDS.search(pre_core)
        is_total = bool(total_word)
        if n.text == "一" and n.unit in ("个", "批", "项") and comp == "=":
            return None  # 一个/一项: an article, not a count
        # indicator and scope
        stripped = pre_core.strip()
        core = _LEAD_NOISE.sub("", stripped)
        core_at = cs + (len(pre_core) - len(pre_core.lstrip())) + (len(stripped) - len(core))
        # a rate (…覆盖率达92%) has no scope verb: 抽查不合格率 is one indicator
        scope, rest = (None, core) if n.percent else self._split_scope(core, core_at, starts)
        post_np = _np_after(post.strip().rstrip("和及与、或"))
        indicator = ""
        if len(post_np) >= 2 and not re.match(r"^[以及和并、，,；;]", post.strip()):
            indicator = post_np
            if scope is None and rest:
                scope = rest.strip() or None
        else:
            rest = TOTAL_WORDS.sub("", rest)
            rest = re.sub(r"(?:分别|各自|均)?(?:达到|达|为|的)?$", "", rest.strip())
            indicator = _strip_qualifiers(rest)
        if not indicator or re.fullmatch(r"(全省|全市|全区|全州|全县|全国)?", indicator):
            if prev is not None:
                indicator = prev.indicator
                is_total = is_total or scope is None
            else:
                indicator = _object_of(text, prev_clause) if prev_clause else ""
                if not indicator:
                    return None  # 每年投入不低于50万元 with nothing before it to say what
        if is_total and total_word and total_word.group(0) == "累计" and scope is not None:
            is_total = False  # 累计新建60项: an amount added over the period, not the stock
        if (not is_total and not n.percent and scope is None and recurrence is None and pre_word in LEVEL_WORDS
                and indicator):
            is_total = True  # 全区社会公用计量标准达到45项: the stock as a whole
        if scope is None and prev is not None and not is_total and not n.percent:
            scope = prev.scope  # 建成A2家以上，B1家以上: the verb is shared
        mk = _MARKER.match(pre)
        start = cs + (mk.end() if mk else len(pre) - len(pre.lstrip()))
        end = n.unit_end
        for word, _c in POST_COMPARATORS:
            if text.startswith(word, end):
                end += len(word)
                break
        if indicator and text.find(indicator, n.unit_end, ce) >= 0:
            end = text.find(indicator, n.unit_end, ce) + len(indicator)
        deadline = deadline_at(deadline_spans, n.start)
        confidence = 0.55 + (0.15 if deadline else 0) + (0.15 if comp != "=" or scope else 0) \
            + (0.1 if indicator else 0) + (0.05 if recurrence else 0)
        indicator_iri = None
        for m in mentions:
            if m.start >= start and m.end <= end and m.text in indicator and m.scheme not in ("unit", "actortype", "work"):
                if indicator_iri is None or len(m.text) > 0:
                    indicator_iri = m.iri
        unit_iri = None
        for m in mentions:
            if m.scheme == "unit" and m.start == n.end and m.end <= n.unit_end:
                unit_iri = m.iri
        return Target(start, end, text[start:end], component=NAME, version=VERSION,
                      confidence=round(min(confidence, 1.0), 2), indicator=indicator,
                      indicator_iri=indicator_iri, scope=scope, value=_plain(n.value),
                      unit_text=n.unit, unit_iri=unit_iri, comparator=comp, deadline=deadline,
                      recurrence=recurrence, is_total=is_total, value_start=n.start, value_end=n.unit_end)

    def to_disk(self, path, exclude=()) -> None:  # noqa: D102 - config only
        pass

    def from_disk(self, path, exclude=()) -> "TargetExtractor":  # noqa: D102
        return self


if not Doc.has_extension("metrokg_targets"):
    Doc.set_extension("metrokg_targets", default=None)


@Language.factory(f"{NAME}_{VERSION}", default_config={"min_confidence": 0.5})
def make_targets(nlp: Language, name: str, min_confidence: float) -> TargetExtractor:
    """Factory for the target extractor."""
    return TargetExtractor(nlp, name, min_confidence)
