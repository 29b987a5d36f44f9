"""Check data graphs against the SHACL shapes in ``ontology/shapes.ttl`` (pyshacl).

Violations come back as plain sentences with the node and property they concern, so
``metrokg validate`` can print them to a drafter without SHACL jargon.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from metrokg.ontology import shapes_file
from metrokg.ontology.namespace import MKG


@dataclass(frozen=True)
class Violation:
    """One SHACL result: which node, which property, what is wrong."""

    focus: str
    path: str | None
    message: str
    severity: str = "violation"
    value: str | None = None

    def as_row(self) -> dict:
        return {"focus": self.focus, "path": self.path or "", "message": self.message,
                "severity": self.severity, "value": self.value or ""}


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """The shapes, parsed once per process."""
    g = Graph()
    g.parse(shapes_file(), format="turtle")
    return g


@lru_cache(maxsize=1)
def _class_hierarchy() -> Graph:
    """Only the subclass axioms of the ontology: enough for sh:targetClass and sh:class."""
    from metrokg.ontology.vocab import load_ontology

    onto = load_ontology()
    g = Graph()
    for c, d in onto.subject_objects(RDFS.subClassOf):
        if isinstance(c, URIRef) and isinstance(d, URIRef):
            g.add((c, RDFS.subClassOf, d))
    for c, d in onto.subject_objects(OWL.equivalentClass):
        if isinstance(c, URIRef) and isinstance(d, URIRef):
            g.add((c, RDFS.subClassOf, d))
            g.add((d, RDFS.subClassOf, c))
    for s, o in onto.subject_objects(RDF.type):  # vocabulary concepts keep their classes (sh:class)
        if isinstance(s, URIRef):
            g.add((s, RDF.type, o))
    return g


def _short(term) -> str | None:
    if term is None:
        return None
    if isinstance(term, BNode):
        return "(blank node)"
    text = str(term)
    for prefix, ns in (("mkg:", str(MKG)),):
        if text.startswith(ns):
            return prefix + text[len(ns):]
    return text


def _path_text(report: Graph, node) -> str | None:
    path = report.value(node, SH.resultPath)
    if path is None:
        return None
    if isinstance(path, BNode):
        return "(complex path)"
    return _short(path)


def validate(data: Graph, with_ontology: bool = True) -> list[Violation]:
    """SHACL violations of ``data`` (empty when it conforms), sorted by node and property.

    With ``with_ontology`` the ontology's class hierarchy and concept types are mixed in,
    so a target typed with a subclass is checked and vocabulary units count as units.
    """
    import pyshacl

    target = data
    if with_ontology:  # pyshacl's own mix-in copies axioms only, not the concepts' types
        target = Graph()
        for t in data:
            target.add(t)
        for t in _class_hierarchy():
            target.add(t)
    conforms, report, _ = pyshacl.validate(
        target, shacl_graph=shapes_graph(), inference="none", advanced=True,
        allow_warnings=True, abort_on_first=False)
    if conforms:
        return []
    out = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        msg = report.value(result, SH.resultMessage)
        sev = report.value(result, SH.resultSeverity)
        value = report.value(result, SH.value)
        out.append(Violation(
            focus=_short(report.value(result, SH.focusNode)) or "",
            path=_path_text(report, result),
            message=str(msg) if msg is not None else "The data does not satisfy a shape.",
            severity=str(sev).rsplit("#", 1)[-1].lower() if sev is not None else "violation",
            value=str(value) if isinstance(value, (Literal, URIRef)) and value != report.value(result, SH.focusNode) else None,
        ))
    return sorted(set(out), key=lambda v: (v.focus, v.path or "", v.message))
