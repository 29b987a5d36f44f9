"""The shared terms facts_rdf builds triples with (#19): looked up and built once, yet the same
terms as rdflib's own, and never one value's literal given for another's."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Literal
from rdflib.namespace import XSD

from metrokg.kg.graph.facts_rdf import M, _dec, flag, lit
from metrokg.ontology.namespace import MKG


def test_resolved_terms_are_the_namespace_terms_and_refuse_undeclared_names():
    assert M.inProvision == MKG.inProvision and M.inProvision is M.inProvision
    with pytest.raises(AttributeError):
        M.noSuchProperty  # noqa: B018 - the lookup is the test


def test_shared_literals_keep_values_of_equal_hash_apart():
    assert lit(1).datatype == XSD.integer and lit(True).datatype == XSD.boolean
    assert str(lit(1)) == "1" and str(lit(True)) == "true"
    assert flag(0) == Literal(False) and flag("yes") == Literal(True)
    # Decimal 1.0 equals Decimal 1, but their literals (as written before) differ
    assert (str(_dec(Decimal("1.0"))), str(_dec(Decimal("1")))) == ("1.0", "1")
    assert _dec(0.85) == Literal("0.85", datatype=XSD.decimal)
