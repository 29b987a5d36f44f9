"""A provision as search and the listings show it, and the fact links read for each provision.

Kept apart from both the records that derive them (:mod:`metrokg.kg.records.factview`) and the
index that ranks them (:mod:`metrokg.kg.search.index`), so each imports this without the other.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

# The provision's and its statements' links that facets and expansion read, and where each goes.
FACT_LINKS = {"mentions": "concepts", "refersTo": "concepts", "concerns": "concepts",
              "indicatorConcept": "concepts", "actor": "actors", "actorName": "actor_names",
              "modality": "modalities", "deadlineYear": "years"}


@dataclass
class ProvisionRecord:
    """A provision as search and listings show it (the foundation's JSON contract)."""

    iri: str
    document: str
    number: str
    heading: str
    text: str
    start: int
    end: int
    order: int = 0
    citation: str | None = None  # a law provision as lawyers cite it (第九条); None in a plan

    def public(self) -> dict:
        d = asdict(self)
        d.pop("order")
        return d

    def reference(self) -> dict:
        """Where an answer cites it from: iri, document, number and heading."""
        return {"iri": self.iri, "document": self.document, "number": self.number, "heading": self.heading}
