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

    kind = "deontic"


FACT_TYPES: dict[str, type[Fact]] = {c.kind: c for c in (Mention, Target, Task, Responsibility, Deontic)}
