"""Write a readable, bilingual Markdown reference of the ontology and its vocabularies.

The reference (docs/ontology.md) is generated, never edited by hand, so it cannot drift
from the Turtle files.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from metrokg.ontology.namespace import MKG, ONTOLOGY_IRI, scheme_iri
from metrokg.ontology.vocab import Concept, concepts, load_ontology, schemes

MKG_NS = str(MKG._NS)
_SCHEME_ORDER = ["discipline", "quantity", "unit", "prefix", "counter", "instrument", "industry",
                 "actortype", "actor", "facility", "standard", "activity", "work"]


def _lit(g: Graph, s, p, lang: str) -> str:
    for o in g.objects(s, p):
        if isinstance(o, Literal) and o.language == lang:
            return str(o)
    return ""


def _curie(term) -> str:
    text = str(term)
    for prefix, ns in (("mkg:", MKG_NS), ("skos:", str(SKOS)), ("prov:", "http://www.w3.org/ns/prov#"),
                       ("eli:", "http://data.europa.eu/eli/ontology#"), ("qudt:", "http://qudt.org/schema/qudt/"),
                       ("xsd:", "http://www.w3.org/2001/XMLSchema#"), ("dcterms:", "http://purl.org/dc/terms/"),
                       ("lrmlmm:", "http://docs.oasis-open.org/legalruleml/ns/v1.0/metamodel#"),
                       ("unit:", "http://qudt.org/vocab/unit/"), ("quantitykind:", "http://qudt.org/vocab/quantitykind/"),
                       ("prefix:", "http://qudt.org/vocab/prefix/")):
        if text.startswith(ns):
            return prefix + text[len(ns):]
    return text


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _terms(g: Graph, kind: URIRef) -> list[URIRef]:
    return sorted(s for s in g.subjects(RDF.type, kind) if isinstance(s, URIRef) and str(s).startswith(MKG_NS))


def _class_section(g: Graph) -> list[str]:
    out = ["## 类 Classes", "", "| 类 Class | 中文 | English | 上位类 Superclasses | 定义 Definition |",
           "|---|---|---|---|---|"]
    for c in _terms(g, OWL.Class):
        supers = ", ".join(sorted(_curie(o) for o in g.objects(c, RDFS.subClassOf) if isinstance(o, URIRef)))
        definition = _lit(g, c, SKOS.definition, "zh") + " / " + _lit(g, c, SKOS.definition, "en")
        out.append(f"| `{_curie(c)}` | {_cell(_lit(g, c, RDFS.label, 'zh'))} | {_cell(_lit(g, c, RDFS.label, 'en'))} "
                   f"| {_cell(supers)} | {_cell(definition)} |")
    return out + [""]


def _property_section(g: Graph) -> list[str]:
    out = ["## 属性 Properties", "", "| 属性 Property | 种类 Kind | 中文 | English | 定义域 Domain | 值域 Range | 定义 Definition |",
           "|---|---|---|---|---|---|---|"]
    kinds = [(OWL.ObjectProperty, "object"), (OWL.DatatypeProperty, "datatype"), (OWL.AnnotationProperty, "annotation")]
    rows = {}
    for kind, name in kinds:
        for p in _terms(g, kind):
            rows.setdefault(p, name)
    for p in sorted(rows):
        dom = ", ".join(_curie(o) for o in g.objects(p, RDFS.domain))
        rng = ", ".join(_curie(o) for o in g.objects(p, RDFS.range))
        definition = _lit(g, p, SKOS.definition, "zh") + " / " + _lit(g, p, SKOS.definition, "en")
        out.append(f"| `{_curie(p)}` | {rows[p]} | {_cell(_lit(g, p, RDFS.label, 'zh'))} | "
                   f"{_cell(_lit(g, p, RDFS.label, 'en'))} | {_cell(dom)} | {_cell(rng)} | {_cell(definition)} |")
    return out + [""]


def _extra(g: Graph, c: Concept) -> str:
    s = URIRef(c.iri)
    bits = []
    if c.symbol:
        bits.append(f"symbol `{c.symbol}`")
    mult = g.value(s, MKG.conversionMultiplier)
    if mult is not None:
        bits.append(f"× {float(mult):.10g}")
    dim = g.value(s, MKG.dimension)
    if dim is not None:
        bits.append(f"dim {dim}")
    si = g.value(s, MKG.siUnit)
    if si is not None:
        bits.append(f"SI unit {_curie_concept(si)}")
    for prop, name in ((MKG.quantityMeasured, "measures"), (MKG.legalControl, "control"),
                       (MKG.gbt4754Code, "GB/T 4754"), (MKG.documentNumber, "no."), (MKG.issued, "issued"),
                       (MKG.actorType, "type"), (SKOS.exactMatch, "=")):
        vals = sorted(g.objects(s, prop))
        if vals:
            bits.append(f"{name} " + ", ".join(_curie_concept(v) for v in vals))
    if str(MKG.NonLegalUnit) in c.types:
        bits.append("**非法定 not legal**")
    return "; ".join(bits)


def _curie_concept(term) -> str:
    if isinstance(term, URIRef):
        from metrokg.ontology.vocab import concept

        c = concept(str(term))
        if c is not None:
            return c.pref_zh
        return _curie(term)
    return str(term)


def _scheme_section(g: Graph, scheme: str) -> list[str]:
    node = scheme_iri(scheme)
    title_zh = _lit(g, node, SKOS.prefLabel, "zh") or scheme
    title_en = _lit(g, node, SKOS.prefLabel, "en") or scheme
    items = concepts(scheme)
    out = [f"### {title_zh} {title_en} (`{scheme}`, {len(items)})", ""]
    note = _lit(g, node, SKOS.definition, "zh")
    if note:
        out += [note + " " + _lit(g, node, SKOS.definition, "en"), ""]
    out += ["| 中文 | English | 同义词 Synonyms | 上位 Broader | 说明 Details |", "|---|---|---|---|---|"]
    for c in sorted(items, key=lambda c: c.iri):
        broader = ", ".join(_curie_concept(URIRef(b)) for b in c.broader)
        details = _extra(g, c)
        if c.note_zh:
            details = (details + "; " if details else "") + c.note_zh
        out.append(f"| {_cell(c.pref_zh)} | {_cell(c.pref_en)} | {_cell('、'.join(c.alt_labels))} | "
                   f"{_cell(broader)} | {_cell(details)} |")
    return out + [""]


def markdown_reference() -> str:
    """The whole reference as one Markdown string."""
    g = load_ontology()
    onto = ONTOLOGY_IRI
    classes = _terms(g, OWL.Class)
    props = {p for k in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty) for p in _terms(g, k)}
    out = [
        "# metrokg 本体参考 / metrokg ontology reference", "",
        "> 本文件由 `metrokg ontology --markdown --output docs/ontology.md` 从 `ontology/*.ttl` 生成，请勿手工编辑。",
        "> Generated from `ontology/*.ttl` by `metrokg ontology --markdown --output docs/ontology.md`; do not edit by hand.", "",
        _lit(g, onto, RDFS.label, "zh") + " / " + _lit(g, onto, RDFS.label, "en"), "",
        _lit(g, onto, URIRef("http://purl.org/dc/terms/description"), "zh"), "",
        _lit(g, onto, URIRef("http://purl.org/dc/terms/description"), "en"), "",
        f"- 类 classes: {len(classes)}", f"- 属性 properties: {len(props)}",
        f"- 概念 concepts: {len(concepts())} in {len(schemes())} schemes", "",
    ]
    out += _class_section(g)
    out += _property_section(g)
    out += ["## 词表 Vocabularies", ""]
    ordered = [s for s in _SCHEME_ORDER if s in schemes()] + [s for s in schemes() if s not in _SCHEME_ORDER]
    for scheme in ordered:
        out += _scheme_section(g, scheme)
    return "\n".join(out).rstrip() + "\n"
