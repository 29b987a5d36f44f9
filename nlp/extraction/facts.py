"""Facts the extraction pipeline produces, one dataclass per kind.

Every fact carries ``start``/``end`` character offsets into the text it was found in
(the document's normalised text once :func:`metrokg.nlp.extraction.pipeline.extract` has mapped it),
so ``text[start:end] == fact.text``; the provision number it came from; the component
and version that produced it; and a confidence in [0, 1].
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from typing import Any


@dataclass
class Fact:
    """Common fields of every extracted fact."""

    start: int
    end: int
    text: str
    provision: str | None = None
    component: str = ""
    version: str = "v1"
    confidence: float = 1.0

    kind = "fact"

    @property
    def extracted_by(self) -> str:
        """``component.version``, the provenance string written to RDF."""
        return f"{self.component}.{self.version}"

    def shifted(self, offset: int, provision: str | None) -> "Fact":
        """A copy with every offset moved by ``offset`` (provision text -> document text)."""
        changes: dict[str, Any] = {"start": self.start + offset, "end": self.end + offset,
                                   "provision": provision}
        for f in fields(self):
            if f.name.endswith("_start") or f.name.endswith("_end"):
                value = getattr(self, f.name)
                if value is not None:
                    changes[f.name] = value + offset
        return replace(self, **changes)

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly view (Decimal -> int/float)."""
        out: dict[str, Any] = {"kind": self.kind}
        for f in fields(self):
            v = getattr(self, f.name)
            if isinstance(v, Decimal):
                v = int(v) if v == v.to_integral_value() else float(v)
            out[f.name] = v
        out["extracted_by"] = self.extracted_by
        return out


@dataclass
class Mention(Fact):
    """A span that names a vocabulary concept or a cited document."""

    label: str = ""
    iri: str | None = None
    scheme: str = ""
    types: tuple[str, ...] = ()

    kind = "mention"


@dataclass
class Target(Fact):
    """A quantitative target: ``新建…产业计量测试中心10家`` -> indicator, scope, 10, 家."""

    indicator: str = ""
    indicator_iri: str | None = None
    scope: str | None = None
    value: Decimal = Decimal(0)
    unit_text: str = ""
    unit_iri: str | None = None
    comparator: str = "="
    deadline: int | None = None
    recurrence: str | None = None
    is_total: bool = False
    value_start: int | None = None
    value_end: int | None = None

    kind = "target"


@dataclass
class Task(Fact):
    """A task clause: its action verb (as written) and object, with the concepts it concerns."""

    action: str = ""
    object: str = ""
    concerns: list[str] = field(default_factory=list)
    deadline: int | None = None

    kind = "task"


@dataclass
class Responsibility(Fact):
    """Who must do something: an actor with a role on a statement.

    ``start``/``end`` cover the statement (task or obligation) the actor is responsible
    for; ``actor_start``/``actor_end`` cover the actor's name as written.
    """

    actor_name: str = ""
    actor_start: int | None = None
    actor_end: int | None = None
    actor_iri: str | None = None
    actor_type_iri: str | None = None
    level: str | None = None
    role: str = "subject"
    modality: str | None = None
    action: str | None = None
    deadline: int | None = None

    kind = "responsibility"


@dataclass
class Deontic(Fact):
    """A clause with a modal cue: obligation, prohibition, encouragement, permission, exploration."""

    modality: str = ""
    cue: str = ""
    cue_start: int | None = None
    cue_end: int | None = None
    subject: str | None = None  # who the duty binds, as written (or read from a condition: 使用…的)
    subject_start: int | None = None  # None: not written in the clause (inherited or read from a condition)
    subject_end: int | None = None
    object: str | None = None  # what the duty is about: the words after the cue's verb

    kind = "deontic"


@dataclass
class Sanction:
    """One sanction of a penalty: its kind and, for a fine, its bounds (``min``/``max`` in 元 or 倍 of
    ``basis``); ``condition`` is the clause it depends on (没有违法所得的, 情节严重的)."""

    kind: str
    start: int
    end: int
    text: str
    min: Decimal | None = None
    max: Decimal | None = None
    unit: str | None = None
    basis: str | None = None
    condition: str | None = None
    authority: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly view (Decimal -> int/float)."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}


@dataclass
class Penalty(Fact):
    """A sanctioning article (or item): the conduct, the provisions it violates, who sanctions, and how."""

    article: str = ""
    item: str | None = None
    conduct: str = ""
    conduct_start: int | None = None
    conduct_end: int | None = None
    refers_to: list[str] = field(default_factory=list)
    authority: str | None = None
    sanctions: list[Sanction] = field(default_factory=list)

    kind = "penalty"

    def shifted(self, offset: int, provision: str | None) -> "Penalty":
        """The sanctions move with the penalty (they may stand in the article's lead, before an item)."""
        moved = Fact.shifted(self, offset, provision)
        moved.sanctions = [replace(s, start=s.start + offset, end=s.end + offset) for s in self.sanctions]
        return moved

    def as_dict(self) -> dict[str, Any]:
        out = Fact.as_dict(self)
        out["sanctions"] = [s.as_dict() for s in self.sanctions]
        return out


def _plain(v: Any) -> Any:
    return (int(v) if v == v.to_integral_value() else float(v)) if isinstance(v, Decimal) else v


@dataclass
class Baseline(Fact):
    """What exists, not a goal: ``建成185项国家计量基准`` in 编制背景 -> 国家计量基准, 185, 项, as of ``year``.

    ``year`` is the year the figure describes (截至2020年底 -> 2020); ``year_inherited`` says it was
    not written with the figure but taken from the document's date."""

    indicator: str = ""
    indicator_iri: str | None = None
    value: Decimal = Decimal(0)
    unit_text: str = ""
    comparator: str = "="
    year: int | None = None
    year_inherited: bool = False
    cue: str | None = None  # the words that make it a status: 截至, 已有, or the section's heading
    value_start: int | None = None
    value_end: int | None = None

    kind = "baseline"


@dataclass
class FundingRule(Fact):
    """Money a plan pays: ``给予每家不超过50万元补助`` -> 50 万元 (<=) per 家; ``按投资额的30%给予补助``
    -> a share of 30% of 投资额. ``amount_yuan`` is the amount in 元 (万元 and 亿元 multiplied out)."""

    instrument: str = ""  # 补助, 奖励, 资助…
    beneficiary: str | None = None
    value: Decimal = Decimal(0)
    unit_text: str = ""
    amount_yuan: Decimal | None = None
    share: bool = False  # value is a percentage of ``basis``
    basis: str | None = None
    per: str | None = None  # 每家 -> 家
    comparator: str = "="
    year: int | None = None
    value_start: int | None = None
    value_end: int | None = None

    kind = "funding"


@dataclass
class TimeLimit(Fact):
    """A time limit on a duty: ``自受理申请之日起二十个工作日内`` -> 20 工作日 (<=) from 受理申请;
    ``每年`` -> a period. ``duty_start``/``duty_end`` cover the clause it bounds."""

    value: Decimal | None = None
    unit_text: str = ""  # 工作日, 日, 个月, 年, 小时
    comparator: str = "<="
    period: bool = False  # 每年, 每季度: the duty recurs
    trigger: str | None = None  # the event the limit runs from (受理申请)
    duty: str = ""
    duty_start: int | None = None
    duty_end: int | None = None

    kind = "time_limit"


FACT_TYPES: dict[str, type[Fact]] = {c.kind: c for c in (Mention, Target, Task, Responsibility, Deontic, Penalty,
                                                         Baseline, FundingRule, TimeLimit)}
