"""The OWL ontology: declared terms, bilingual labels, consistency (HermiT), closure, reference."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from conftest import ROOT, run_cli
from metrokg.kg.graph.entailment import closure
from metrokg.ontology.namespace import MKG
from metrokg.ontology.vocab import load_ontology

NS = str(MKG._NS)
CONCEPT = "https://w3id.org/metrokg/id/"

EXTRACTION_CLASSES = ["Task", "QuantitativeTarget", "Responsibility", "DeonticStatement", "Obligation",
                      "Prohibition", "Encouragement", "Permission", "Exploration", "Mention", "Actor"]
EXTRACTION_PROPERTIES = ["inProvision", "inDocument", "start", "end", "text", "indicator", "indicatorConcept",
                         "scope", "value", "unitText", "unit", "comparator", "deadlineYear", "recurrence", "isTotal",
                         "action", "object", "concerns", "role", "actor", "actorName", "modality", "cue", "refersTo",
                         "mentions", "confidence", "extractedBy"]


def core() -> Graph:
    """The OWL part of the ontology: every Turtle file (metrokg.ttl and those that add terms)."""
    from metrokg.ontology import turtle_files

    g = Graph()
    for path in turtle_files():
        g.parse(path)
    return g


def declared_terms(g: Graph) -> set[str]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.NamedIndividual)
    return {str(s)[len(NS):] for k in kinds for s in g.subjects(RDF.type, k) if str(s).startswith(NS)}


def test_namespace_and_turtle_declare_the_same_terms():
    in_python = {name for name in MKG.__annotations__}
    assert in_python == declared_terms(core())


def test_extraction_vocabulary_is_declared_with_the_right_kinds():
    g = core()
    for name in EXTRACTION_CLASSES:
        assert (MKG[name], RDF.type, OWL.Class) in g, name
    for name in EXTRACTION_PROPERTIES:
        assert any((MKG[name], RDF.type, k) in g for k in (OWL.ObjectProperty, OWL.DatatypeProperty)), name
    for sub in ("Obligation", "Prohibition", "Encouragement", "Permission", "Exploration"):
        assert (MKG[sub], RDFS.subClassOf, MKG.DeonticStatement) in g
    assert (MKG.value, RDFS.range, XSD.decimal) in g and (MKG.deadlineYear, RDFS.range, XSD.integer) in g
    assert (URIRef(NS + "Deadline"), None, None) not in g  # a deadline is a year property, not a class


def test_every_class_and_property_has_bilingual_label_and_definition():
    g = core()
    missing = []
    for name in declared_terms(g):
        term = MKG[name]
        for p in (RDFS.label, SKOS.definition):
            langs = {o.language for o in g.objects(term, p) if isinstance(o, Literal)}
            if not {"zh", "en"} <= langs:
                missing.append(f"{name} {p.n3(g.namespace_manager)}")
    assert not missing, missing


def test_no_term_outside_the_namespace_is_misspelt_inside_it():
    g = load_ontology()
    used = {str(t)[len(NS):] for t in g.all_nodes() if isinstance(t, URIRef) and str(t).startswith(NS)}
    assert used <= declared_terms(core()), used - declared_terms(core())


def test_alignments_use_known_external_vocabularies():
    g = core()
    external = {str(o) for o in g.objects(None, RDFS.subClassOf) if isinstance(o, URIRef) and not str(o).startswith(NS)}
    external |= {str(o) for o in g.objects(None, OWL.equivalentClass) if isinstance(o, URIRef)}
    allowed = ("http://www.w3.org/ns/prov#", "http://data.europa.eu/eli/ontology#", "http://qudt.org/schema/qudt/")
    assert external and all(e.startswith(allowed) for e in external), external
    assert (MKG.Obligation, SKOS.closeMatch,
            URIRef("http://docs.oasis-open.org/legalruleml/ns/v1.0/metamodel#Obligation")) in g


def _hermit_graph(extra: list[tuple] = ()) -> Graph:
    """The ontology as HermiT can read it: xsd:date is outside the OWL 2 datatype map, so
    dates become xsd:dateTime (nothing else changes)."""
    g = Graph()
    for s, p, o in list(load_ontology()) + list(extra):
        if isinstance(o, Literal) and o.datatype == XSD.date:
            o = Literal(f"{o}T00:00:00Z", datatype=XSD.dateTime)
        elif o == XSD.date:
            o = XSD.dateTime
        g.add((s, p, o))
    return g


def _run_hermit(g: Graph, tmp_path: Path) -> None:
    import owlready2

    path = tmp_path / "metrokg.nt"
    g.serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    onto = world.get_ontology(path.as_uri()).load(format="ntriples")
    with onto:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    assert list(world.inconsistent_classes()) == []


needs_java = pytest.mark.skipif(shutil.which("java") is None,
                                reason="HermiT needs a Java runtime: install openjdk-17-jre-headless")


@pytest.mark.slow
@needs_java
def test_ontology_is_consistent_under_hermit(tmp_path):
    _run_hermit(_hermit_graph(), tmp_path)


@pytest.mark.slow
@needs_java
def test_hermit_catches_a_unit_both_legal_and_not(tmp_path):
    import owlready2

    mu = URIRef(CONCEPT + "unit/mu")
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        _run_hermit(_hermit_graph([(mu, RDF.type, MKG.LegalUnit)]), tmp_path)


def test_closure_infers_membership_and_broader_transitive():
    g = Graph()
    for t in load_ontology():
        g.add(t)
    fact = URIRef("urn:test:responsibility")
    amr = URIRef(CONCEPT + "actortype/market-regulation-bureau")
    g.add((fact, RDF.type, MKG.Responsibility))
    g.add((fact, MKG.actor, amr))
    inferred = closure(g)
    assert (amr, RDF.type, MKG.GovernmentBody) in inferred
    assert (fact, RDF.type, MKG.Fact) in inferred
    torque = URIRef(CONCEPT + "quantity/torque")
    mechanical = URIRef(CONCEPT + "discipline/mechanical")
    assert (torque, SKOS.broader, mechanical) in inferred  # from mkg:discipline ⊑ skos:broader
    assert (torque, SKOS.broaderTransitive, mechanical) in inferred
    thickness = URIRef(CONCEPT + "quantity/thickness")
    assert (thickness, SKOS.broaderTransitive, URIRef(CONCEPT + "discipline/geometric")) in inferred
    assert (URIRef(CONCEPT + "industry/new-energy-vehicle"), SKOS.broaderTransitive,
            URIRef(CONCEPT + "industry/advanced-manufacturing")) in inferred
    assert not any(t in g for t in inferred)  # only new triples


def test_closure_makes_sparql_find_government_bodies_and_mechanical_quantities():
    g = Graph()
    for t in load_ontology():
        g.add(t)
    fact = URIRef("urn:test:r1")
    g.add((fact, MKG.actor, URIRef(CONCEPT + "actortype/market-regulation-bureau")))
    g.add((fact, MKG.actorName, Literal("省市场监管局")))
    for t in closure(g):
        g.add(t)
    names = {str(r[0]) for r in g.query(
        "SELECT ?n WHERE { ?f mkg:actor ?a ; mkg:actorName ?n . ?a a mkg:GovernmentBody }",
        initNs={"mkg": MKG._NS})}
    assert names == {"省市场监管局"}
    quantities = {str(r[0]) for r in g.query(
        "SELECT ?l WHERE { ?q a mkg:QuantityKind ; skos:broaderTransitive ?d ; skos:prefLabel ?l . "
        "?d skos:prefLabel '力学'@zh . FILTER(lang(?l) = 'zh') }", initNs={"mkg": MKG._NS, "skos": SKOS})}
    assert {"扭矩", "压力", "质量", "重力加速度"} <= quantities
    assert "电压" not in quantities


def test_reference_markdown_covers_classes_properties_and_schemes(tmp_path):
    out = tmp_path / "ontology.md"
    proc = run_cli("ontology", "--markdown", "--output", str(out))
    assert proc.returncode == 0
    text = out.read_text(encoding="utf-8")
    for needle in ("## 类 Classes", "## 属性 Properties", "`mkg:QuantitativeTarget`", "量化目标",
                   "扭矩", "转矩", "市场监管局", "国发〔2021〕37号", "非法定 not legal"):
        assert needle in text, needle


def test_shipped_reference_is_up_to_date():
    from metrokg.ontology.reference import markdown_reference

    shipped = ROOT / "docs" / "ontology.md"
    assert shipped.read_text(encoding="utf-8") == markdown_reference(), \
        "regenerate with: metrokg ontology --markdown --output docs/ontology.md"


def test_ontology_command_without_markdown_is_a_coded_error():
    proc = run_cli("ontology", check=False)
    assert proc.returncode == 2 and "[E111]" in proc.stderr
