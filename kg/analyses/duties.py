"""Legal duties by what they require: who must (or must not, or may) do something, with the subject
the modality component read (written, inherited in the article, or read from a condition)."""

from __future__ import annotations

from rdflib import Literal

from metrokg.kg.store.base import Store
from metrokg.ontology.namespace import MKG_PREFIX
from metrokg.terms import DEONTIC_MODALITIES

DUTIES_QUERY = MKG_PREFIX + """
SELECT ?modality ?subject ?object ?text ?start ?end ?p ?number ?heading ?docId WHERE {
  ?f a mkg:DeonticStatement ; mkg:modality ?modality ; mkg:dutySubject ?subject ; mkg:text ?text ;
     mkg:start ?start ; mkg:end ?end ; mkg:inProvision ?p .
  OPTIONAL { ?f mkg:dutyObject ?object }
  ?p mkg:number ?number ; mkg:inDocument ?d . OPTIONAL { ?p mkg:heading ?heading }
  ?d mkg:documentId ?docId .
  FILTER(?modality IN (%s))
  FILTER(CONTAINS(?text, ?topic))
} ORDER BY ?docId ?start""" % ", ".join(f'"{m}"' for m in DEONTIC_MODALITIES)


def who_must(store: Store, topic: str, modalities: tuple[str, ...] = DEONTIC_MODALITIES[:2]) -> list[dict]:
    """Answer items for 谁必须… / 谁不得…: the subjects of the duties whose text contains ``topic``."""
    out = []
    for modality, subject, obj, text, start, end, p, number, heading, doc in store.rows(
            DUTIES_QUERY, {"topic": Literal(topic)}):
        if str(modality) not in modalities:
            continue
        out.append({"actor": str(subject), "modality": str(modality), "object": None if obj is None else str(obj),
                    "provision": {"iri": p, "document": str(doc), "number": str(number),
                                  "heading": "" if heading is None else str(heading)},
                    "span": {"start": int(start), "end": int(end), "text": str(text)}})
    return out
