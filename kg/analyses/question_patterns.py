"""The one table of question patterns, Chinese and English side by side.

Each row is one kind of question (who is responsible for X, what does X lead, what is the penalty
for Z, ...) with the ways Chinese and English ask it; both languages give the same named groups
(``topic``, ``actor``, ``role``, ``year``, ``doc``, ``other``, ``cite``, ``modal``, ``scope``), so one handler
answers both and an English question never goes through a translation of its own. Rows are tried
in order: the first whose query finds something answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

_HAN = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")


@dataclass(frozen=True)
class QuestionPattern:
    """One kind of question and its phrasings in both languages."""

    kind: str
    zh: tuple[str, ...]
    en: tuple[str, ...]

    def compiled(self) -> tuple[re.Pattern, ...]:
        return tuple(re.compile(p) for p in self.zh) + tuple(re.compile(p, re.I) for p in self.en)


#: a body's role in a statement, as questions name it -> the stored role code
ROLE_WORDS = {"牵头": "lead", "主办": "lead", "负责": "responsible", "配合": "supporting", "协助": "supporting",
              "参与": "supporting", "lead": "lead", "led": "lead", "leads": "lead", "leading": "lead",
              "support": "supporting", "supported": "supporting", "supports": "supporting",
              "supporting": "supporting", "assist": "supporting", "assists": "supporting",
              "assisted": "supporting"}

#: what "哪些省份 / which provinces" restricts the documents to: (jurisdiction level, document kinds)
SCOPE_WORDS: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "省份": ("province", ()), "省": ("province", ()), "省区市": ("province", ()),
    "province": ("province", ()), "provinces": ("province", ()),
    "城市": ("city", ()), "市": ("city", ()), "地市": ("city", ()), "city": ("city", ()), "cities": ("city", ()),
    "地方": ("local", ()), "地区": ("local", ()), "places": ("local", ()), "regions": ("local", ()),
    "地方条例": ("local", ("local_regulation",)), "地方性法规": ("local", ("local_regulation",)),
    "条例": (None, ("local_regulation", "administrative_regulation")),
    "local regulations": ("local", ("local_regulation",)), "regulations": (None, (
        "local_regulation", "administrative_regulation")),
    "法律法规": (None, ("law", "administrative_regulation", "local_regulation", "departmental_rule")),
    "法规": (None, ("law", "administrative_regulation", "local_regulation")),
    "法律": (None, ("law",)), "laws": (None, ("law", "administrative_regulation", "local_regulation")),
    "规划": (None, ("normative_document",)), "方案": (None, ("normative_document",)),
    "plans": (None, ("normative_document",)), "文件": (None, ()), "documents": (None, ()),
}

#: what a scoped question asks the documents to do -> the modalities of the statements that answer it
MODAL_WORDS = {"要求": "obligation", "规定": "obligation", "必须": "obligation", "明确": "obligation",
               "提出": "obligation", "强调": "obligation", "禁止": "prohibition", "不得": "prohibition",
               "不准": "prohibition", "严禁": "prohibition", "鼓励": "encouragement", "支持": "encouragement",
               "require": "obligation", "mandate": "obligation", "prohibit": "prohibition",
               "forbid": "prohibition", "ban": "prohibition", "encourage": "encouragement",
               "support": "encouragement",
               # asking which documents speak of a topic at all: a statement of any modality answers
               "提到": "any", "提及": "any", "涉及": "any", "谈到": "any", "部署": "any",
               "mention": "any", "address": "any", "cover": "any"}

_ZH_SCOPE = "|".join(sorted((w for w in SCOPE_WORDS if not w.isascii()), key=len, reverse=True))
_EN_SCOPE = "|".join(sorted((w for w in SCOPE_WORDS if w.isascii()), key=len, reverse=True))
_ZH_MODAL = "|".join(sorted((w for w in MODAL_WORDS if not w.isascii()), key=len, reverse=True))
_EN_MODAL = "|".join(sorted((w for w in MODAL_WORDS if w.isascii()), key=len, reverse=True))
_BODY = r"(?:department|agency|body|office|authority|bureau)s?"
#: the words a document's title or short title ends in: the kind of text it is
_DOC_KINDS = "法|条例|细则|办法|规定|规划|方案|意见|通知|公告|决定|要点"
#: a document named by its title or short title (计量法, 上海条例, 实施细则, 进口计量器具监督管理办法, 湖北实施意见)
_DOC_NAME = rf"[^，,？?。《》\s]{{1,30}}?(?:{_DOC_KINDS})"
#: a document's kind alone (实施方案, 条例, the regulation): it names no document of the store
BARE_KIND = re.compile(rf"(?:本|该|这个|此|这部|上述)?(?:实施|工作|行动)?(?:法律|法规|{_DOC_KINDS})|"
                       r"(?:the |this )?(?:law|regulations?|rules|measures|plan|document)", re.I)
#: a "document name" that asks which documents (哪些省的条例, 各地的办法, which regulations): the
#: question spans documents, no one of them is named
ASKED_DOCUMENT = re.compile(r"哪些|哪个|哪几|哪|什么|各地|各省|各市|各|所有|多少|\b(?:which|what|all|every)\b", re.I)

PATTERNS: tuple[QuestionPattern, ...] = (
    QuestionPattern("which_documents", (
        rf"^(?:有)?(?:哪些|哪几个|哪个|什么)(?P<scope>{_ZH_SCOPE})(?:的(?:条例|法规|规划|文件|实施方案|方案|实施意见|意见|计划|措施))?(?:中|里)?(?:都|也|还)?"
        rf"(?P<modal>{_ZH_MODAL})(?:了)?(?P<topic>.+)$",), (
        rf"^(?:which|what) (?P<scope>{_EN_SCOPE})(?:'s?)?(?: (?:laws|regulations|plans|documents))? "
        rf"(?:also )?(?P<modal>{_EN_MODAL})s? (?P<topic>.+)$",)),
    QuestionPattern("compare", (
        r"^(?:请)?(?:比较|对比|比对)(?:一下)?(?P<doc>.+?)(?:和|与|跟|同)(?P<other>.+?)(?:的)?(?:异同|区别|差异|不同)?$",
        r"^(?P<doc>.+?)(?:和|与|跟|同)(?P<other>.+?)(?:相比|比较|对比|比)(?:起来)?[，,]?(?:有)?(?:什么|哪些|啥|何)"
        r"(?:不同|区别|差异|差别|变化|异同)",
        r"^(?P<doc>.+?)(?:和|与|跟|同)(?P<other>.+?)(?:之间)?(?:有)?(?:什么|哪些|啥|何)(?:不同|区别|差异|差别|异同)"), (
        r"^(?:compare|contrast) (?P<doc>.+?) (?:with|and|to|against) (?P<other>.+?)$",
        r"^how (?:does|do) (?P<doc>.+?) differ from (?P<other>.+?)$",
        r"^how (?:is|are) (?P<doc>.+?) different from (?P<other>.+?)$",
        r"^what (?:is|are) the differences? between (?P<doc>.+?) and (?P<other>.+?)$")),
    QuestionPattern("penalties", (
        r"^(?:如果|若|要是)?(?:违反)?(?P<topic>.+?)(?:的话)?(?:会|将|要|应)?(?:受到|承担|被|有)?"
        r"(?:怎样|怎么|如何|什么|哪些|何种|啥)(?:样)?的?(?:处罚|罚|法律责任)(?:吗|呢)?$",
        r"^(?:对)?(?P<topic>.+?)的(?:处罚|罚则|法律责任)(?:是什么|有哪些|是啥)?(?:吗|呢)?$",), (
        r"^what (?:is|are) the (?:penalt(?:y|ies)|sanctions?|fines?) for (?P<topic>.+)$",
        r"^(?:the )?(?:penalt(?:y|ies)|sanctions?|fines?) for (?P<topic>.+)$",
        r"^what happens (?:if|when) (?:someone |somebody |a business |a trader |you |i )?(?P<topic>.+)$",
        r"^how (?:is|are) (?P<topic>.+?) (?:punished|penali[sz]ed|sanctioned|fined)$")),
    QuestionPattern("deadlines", (
        r"^(?P<topic>.+?)(?:的)?(?:期限|时限|时间要求)(?:是)?(?:多少|多久|多长时间|什么|几天)?(?:天|日)?(?:呢)?$",
        r"^(?P<topic>.+?)(?:要|应|须|需要|应当|必须)?(?:在)?(?:多少|几)(?:天|日|个工作日|个月)(?:内|以内|之内)?",
        r"^(?P<topic>.+?)(?:要|应|须|需要|应当|必须)?(?:在)?(?:什么时候|何时|哪年|哪一年)(?:之前|以前|前)?"
        r"(?:完成|建成|实现|办结|办理|到期)"), (
        r"^(?:what is|what's|what are) the (?:deadlines?|time limits?) (?:for|to|of|on) (?P<topic>.+)$",
        r"^(?:within )?how (?:many days|long)\b.*?\b(?:to|for) (?P<topic>.+)$",
        r"^(?:by )?when (?:must|should|will|is|are) (?P<topic>.+?)(?: be)? (?:completed|done|finished|due|built)$")),
    QuestionPattern("who_must", (
        r"^(?:谁|哪些单位|哪些人|什么人|哪些主体|哪些机构)(?P<modal>必须|应当|应该|需要|不得|不能|禁止)(?P<topic>.+)$",), (
        r"^(?:who|which (?:bodies|units|entities|people|persons))\s+(?P<modal>must not|may not|shall not|cannot|"
        r"must|shall|has to|have to|should)\s+(?P<topic>.+)$",)),
    QuestionPattern("citation", (
        r"^(?P<cite>.+?[条款项目章节])(?:的)?(?:规定了?|说了?|讲了?|写了?|是)?(?:什么|哪些内容|啥|内容|怎么规定的?)?$",), (
        r"^what does (?P<cite>(?:article|art\.).+?) (?:say|provide|state)$",)),
    QuestionPattern("tasks_by_year", (
        r"(?:到|至|截至|截止|在)?(?P<year>(?:19|20)\d{2})\s*年(?:底|前|末|年底|以前)?(?:之前|以前|前)?"
        r"(?:要|需要|应|应当|须|必须)?(?:完成|办结|开展|落实|推进)?(?:的)?(?:哪些|什么)(?:任务|工作|事项)",
        r"^(?:有)?(?:哪些|什么)(?:任务|工作|事项)(?:要|需要|应|应当|须|必须)?(?:在)?(?P<year>(?:19|20)\d{2})\s*年"
        r"(?:底|前|末)?(?:之前|以前|前)?(?:完成|办结)"), (
        r"^(?:what|which) (?:tasks|work|measures) (?:are|is|must be|should be|have to be)"
        r"(?: due| completed| done| finished)? (?:by|before|in) (?:the end of )?(?P<year>(?:19|20)\d{2})",
        r"^tasks (?:due )?(?:by|before|in) (?:the end of )?(?P<year>(?:19|20)\d{2})")),
    QuestionPattern("targets_by_year", (
        r"(?:到|至|截至|截止)?(?P<year>(?:19|20)\d{2})\s*年(?:底|前|末|以前)?.*(?:目标|指标|完成|达到|实现|任务)",), (
        r"(?:target|goal|indicator)s?\b.*\b(?:by|due|in|for|until|before)\s+(?P<year>(?:19|20)\d{2})",
        r"\b(?:by|until|before)\s+(?P<year>(?:19|20)\d{2})\b.*(?:target|goal|achiev|complet|reach)")),
    QuestionPattern("targets_for", (
        r"^(?:关于)?(?P<topic>.+?)(?:方面)?(?:的|有)(?:哪些|什么)?(?:目标|指标)(?:是什么|有哪些|是多少)?$",
        r"^(?P<topic>.+?)(?:要|需要|应当|应)(?:达到|实现)(?:多少|什么|哪些)"), (
        r"^what (?:are|is) the (?:targets?|goals?|indicators?) (?:for|of|on) (?P<topic>.+)$",
        r"^(?:targets?|goals?) (?:for|of|on) (?P<topic>.+)$")),
    QuestionPattern("document_says", (
        r"^(?P<doc>.+?)(?:中|里|里面)?(?:关于|对|就|对于)(?P<topic>.+?)(?:是)?(?:怎么说|有什么规定|有哪些规定|说了什么|"
        r"怎样规定|如何规定|有何规定|提了什么|有什么要求|有哪些要求|的规定|讲了什么)",
        # 计量法规定哪些计量器具必须强制检定, 根据上海条例，集贸市场的秤要检定吗: a document named by its kind
        rf"^(?:根据|按照|依照|依据)?《?(?P<doc>{_DOC_NAME})》?(?:中|里)?(?:是)?(?:怎么|如何)?(?:规定|要求|明确)(?:了)?"
        r"(?P<topic>.+)$",
        rf"^(?:根据|按照|依照|依据)《?(?P<doc>{_DOC_NAME})》?(?:的规定)?[，,](?P<topic>.+)$"), (
        r"^what does (?P<doc>.+?) (?:say|require|provide|stipulate|prescribe) (?:about|on|for|regarding) (?P<topic>.+)$",
        r"^(?:according to|under) (?P<doc>the .+?(?:law|act|rules|regulations?|measures|plan|opinions)), (?P<topic>.+)$")),
    QuestionPattern("by_role", (
        r"^(?P<actor>.+?)(?P<role>牵头|主办|配合|协助|参与)(?:了|的)?(?:哪些|什么)(?:工作|任务|事项|事情|事)",
        r"^(?:有)?(?:哪些|什么)(?:工作|任务|事项)(?:是)?由(?P<actor>.+?)(?P<role>牵头|主办|配合|协助|参与)(?:的)?$"), (
        r"^(?:what|which (?:tasks|work|measures))(?: tasks)? (?:does|do) (?P<actor>.+?) (?P<role>lead|support|assist)"
        r"(?: on| with| in)?$",
        r"^(?:what|which) (?:tasks|work|measures) (?:is|are) (?P<role>led|supported|assisted) by (?P<actor>.+)$",
        r"^(?:what|which) (?:tasks|work) (?:is|are) (?P<actor>.+?) (?P<role>leading|supporting)$")),
    QuestionPattern("responsible", (
        r"^(?:请问)?(?:是)?(?:由)?(?:谁|哪个部门|哪些部门|哪个单位|哪家单位|什么部门)(?:来)?(?:负责|牵头|主管|承担|组织|开展)"
        r"(?P<topic>.+)$",
        r"^(?P<topic>.+?)(?:由|归|是)?(?:谁|哪个部门|哪些部门|哪个单位|什么部门)(?:来)?(?:负责|牵头|主管|承担|组织|开展|管)",
        r"^(?P<topic>.+?)的(?:牵头|责任|主管|主办|负责|承办)(?:单位|部门|机构|主体)(?:是|有)?(?:谁|哪个|哪些|哪家|什么)"), (
        rf"^(?:who|which {_BODY})\s+(?:is |are )?(?:responsible for|in charge of|leads?|handles?|"
        r"carr(?:y|ies) out)\s+(?P<topic>.+)$",)),
    QuestionPattern("obligations", (
        r"^(?P<actor>.+?)(?:有|承担|负有|要履行|应履行|负责)?(?:哪些|什么)(?:义务|职责|责任|任务)",
        r"^(?P<actor>.+?)(?:负责|承担)(?:了|的)?(?:哪些|什么)(?:工作|事项)",
        r"^(?P<actor>.+?)(?:要|需要|应该|应当|必须)(?:做|干|完成)(?:什么|哪些)"), (
        r"^what (?:obligations|duties|responsibilities|tasks) (?:does|do) (?P<actor>.+?) have$",
        r"^what (?:are|is) the (?:obligations|duties|responsibilities|tasks) of (?P<actor>.+)$",
        r"^what (?:must|should|shall) (?P<actor>.+?) do$")),
    QuestionPattern("tasks", (
        r"^(?:有)?(?:哪些|什么)(?:任务|工作|措施|举措)(?:涉及|关于|针对|与|和|围绕)(?P<topic>.+?)(?:有关|相关)?$",
        r"^(?:关于|涉及|针对|围绕)?(?P<topic>.+?)(?:方面|领域|行业|产业)?(?:有|的)(?:哪些|什么)(?:任务|工作|措施|举措)"), (
        r"^(?:what|which) (?:tasks|measures|actions|work) (?:concern|involve|relate to|target|are there for|address)"
        r" (?P<topic>.+)$",
        r"^tasks (?:for|about|concerning|on|in) (?P<topic>.+)$")),
    QuestionPattern("what_is", (
        r"^(?:什么是|何为|何谓)(?P<topic>[^，,？?。]+)",
        r"^(?:为什么|为何)(?:要)?(?P<topic>[^，,？?。]+?)(?:很|十分|非常)?(?:重要|有用|必要)",
        r"^(?P<topic>[^，,？?。]+?)(?:是什么|是指什么|指的是什么|是啥|有什么用|为什么重要|有什么意义|为什么要)"), (
        r"^(?:what (?:is|are)|define|explain) (?P<topic>[^?,]+?)(?:\?|,|$)",
        r"^why (?:does|do|is|are) (?P<topic>[^?,]+?) (?:matter|important|needed)(?:\?|,|$)")),
)

_COMPILED: tuple[tuple[str, tuple[re.Pattern, ...]], ...] = tuple((p.kind, p.compiled()) for p in PATTERNS)


def matches(question: str) -> Iterator[tuple[str, re.Match]]:
    """Every pattern ``question`` fits, in the table's order."""
    for kind, patterns in _COMPILED:
        for pattern in patterns:
            m = pattern.search(question)
            if m:
                yield kind, m


def language(question: str) -> str:
    """``en`` for a question in Latin letters without Chinese characters, else ``zh``: the language
    the answer's labels and notes are given in."""
    return "en" if _LATIN.search(question) and not _HAN.search(question) else "zh"
