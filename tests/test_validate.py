"""SHACL validation of pipeline data, with violations in plain words."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from conftest import run_cli
from metrokg.kg.graph.validate import validate
from metrokg.ontology.namespace import MKG, doc_iri, graph_iri, provision_iri

ID = "https://w3id.org/metrokg/id/"
TEXT = "到2025年，新建产业计量测试中心10家。"


def sample() -> tuple[Graph, dict[str, URIRef]]:
    g = Graph()
    d, p = doc_iri("t"), provision_iri("t", "1")
    g.add((d, RDF.type, MKG.ImplementationOpinion))
    g.add((d, MKG.fullText, Literal(TEXT)))
    g.add((p, RDF.type, MKG.Provision))
    for prop, val in ((MKG.number, Literal("1")), (MKG.text, Literal(TEXT[6:])), (MKG.start, Literal(6)),
                      (MKG.end, Literal(len(TEXT))), (MKG.inDocument, d)):
        g.add((p, prop, val))
    t = URIRef("urn:test:target")
    g.add((t, RDF.type, MKG.QuantitativeTarget))
    g.add((t, MKG.value, Literal(Decimal("10"))))
    g.add((t, MKG.comparator, Literal(">=")))
    g.add((t, MKG.unitText, Literal("家")))
    g.add((t, MKG.deadlineYear, Literal(2025)))
    g.add((t, MKG.inProvision, p))
    r = URIRef("urn:test:resp")
    g.add((r, RDF.type, MKG.Responsibility))
    g.add((r, MKG.role, Literal("lead")))
    g.add((r, MKG.actor, URIRef(ID + "actortype/market-regulation-bureau")))
    g.add((r, MKG.inProvision, p))
    o = URIRef("urn:test:obligation")
    g.add((o, RDF.type, MKG.Obligation))
    g.add((o, MKG.modality, Literal("obligation")))
    g.add((o, MKG.inProvision, p))
    return g, {"doc": d, "provision": p, "target": t, "resp": r, "obligation": o}


def test_good_data_conforms():
    g, _ = sample()
    assert validate(g) == []


def messages(g) -> list[str]:
    return [v.message for v in validate(g)]


def test_target_needs_value_comparator_unit_and_provision():
    g, n = sample()
    t = n["target"]
    g.remove((t, MKG.comparator, None))
    g.add((t, MKG.comparator, Literal("at least")))
    g.remove((t, MKG.unitText, None))
    g.add((t, MKG.value, Literal(Decimal("12"))))
    g.remove((t, MKG.inProvision, None))
    found = messages(g)
    assert any("exactly one value" in m for m in found)
    assert any("comparator, one of" in m for m in found)
    assert any("must have a unit" in m for m in found)
    assert any("exactly one provision" in m for m in found)
    assert all(v.focus == "urn:test:target" for v in validate(g))


def test_target_unit_must_be_a_vocabulary_unit():
    g, n = sample()
    g.add((n["target"], MKG.unit, URIRef(ID + "quantity/mass")))
    assert any("unit of the vocabulary" in m for m in messages(g))
    g.remove((n["target"], MKG.unit, None))
    g.add((n["target"], MKG.unit, URIRef(ID + "unit/tonne")))
    assert validate(g) == []


def test_provision_offsets_must_lie_inside_the_document_and_match_its_text():
    g, n = sample()
    p = n["provision"]
    g.remove((p, MKG.end, None))
    g.add((p, MKG.end, Literal(len(TEXT) + 5)))
    assert any("do not lie inside" in m for m in messages(g))
    g, n = sample()
    g.remove((n["provision"], MKG.text, None))
    g.add((n["provision"], MKG.text, Literal("别的文字")))
    assert any("is not the document text between its offsets" in m for m in messages(g))
    g, n = sample()
    g.remove((n["provision"], MKG.number, None))
    assert [v.path for v in validate(g)] == ["mkg:number"]


def test_responsibility_names_an_actor_and_deontic_has_a_modality():
    g, n = sample()
    g.remove((n["resp"], MKG.actor, None))
    assert any("must name an actor" in m for m in messages(g))
    g.add((n["resp"], MKG.actorName, Literal("省市场监管局")))
    assert validate(g) == []
    g.remove((n["obligation"], MKG.modality, None))
    g.add((n["obligation"], MKG.modality, Literal("must")))
    assert any("modality" in m for m in messages(g))


@pytest.mark.slow
def test_cli_validate_reports_violations_and_exit_code(tmp_path):
    from metrokg.kg.store.registry import open_store

    g, n = sample()
    store_dir = tmp_path / "store"
    store = open_store(str(store_dir), write=True)
    try:
        store.replace_graphs({graph_iri("t"): set(g)})
    finally:
        store.close()
    ok = run_cli("validate", "--json", store=store_dir)
    assert ok.stdout.strip() == "[]"
    g.remove((n["target"], MKG.value, None))
    store = open_store(str(store_dir), write=True)
    try:
        store.replace_graphs({graph_iri("t"): set(g)})
    finally:
        store.close()
    bad = run_cli("validate", store=store_dir, check=False)
    assert bad.returncode == 1 and "exactly one value" in bad.stdout and "1 violation" in bad.stderr


def _penalty(g, p, kind="fine", low=1000, high=10000) -> URIRef:
    pen, s = URIRef("urn:test:penalty"), URIRef("urn:test:sanction")
    g.add((pen, RDF.type, MKG.Penalty))
    g.add((pen, MKG.article, Literal("第二十七条")))
    g.add((pen, MKG.inProvision, p))
    g.add((pen, MKG.hasSanction, s))
    g.add((s, RDF.type, MKG.Sanction))
    g.add((s, MKG.sanctionKind, Literal(kind)))
    g.add((s, MKG.minAmount, Literal(Decimal(low))))
    g.add((s, MKG.maxAmount, Literal(Decimal(high))))
    g.add((s, MKG.amountUnit, Literal("元")))
    return pen


def test_penalty_with_a_typed_fine_conforms_and_bad_sanctions_are_named():
    g, n = sample()
    _penalty(g, n["provision"])
    assert validate(g) == []
    g, n = sample()
    _penalty(g, n["provision"], kind="fined", low=10000, high=1000)
    found = messages(g)
    assert any("exactly one kind" in m for m in found)
    assert any("lower bound (10000) is above its upper bound (1000)" in m for m in found)


def test_penalty_needs_a_sanction_and_its_article():
    g, n = sample()
    pen = _penalty(g, n["provision"])
    g.remove((pen, MKG.hasSanction, None))
    g.remove((pen, MKG.article, None))
    found = messages(g)
    assert any("at least one sanction" in m for m in found) and any("exactly one article" in m for m in found)
