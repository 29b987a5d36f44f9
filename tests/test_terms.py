"""The domain's closed lists live once, in metrokg/terms.py: no second literal copy, and every
mapping keyed by one of them (cue words, RDF classes, labels) covers exactly its values."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from metrokg import terms

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted(p for d in ("metrokg", "ontology", "nlp", "kg", "ui") for p in (ROOT / d).rglob("*.py")
                 if p != ROOT / "metrokg" / "terms.py")
# Values that mean nothing else: a literal holding any two of them is a copy of the table.
CLOSED = {"MODALITIES": terms.MODALITIES, "ROLES": terms.ROLES, "LEVELS": terms.LEVELS,
          "PROVINCES": terms.PROVINCES}
# Words that also name other things (signals, schemes): a copy is a literal holding all of them.
WORDS = {"SEARCH_MODES": terms.SEARCH_MODES, "FUSION_METHODS": terms.FUSION_METHODS,
         "GAP_DIMENSIONS": terms.GAP_DIMENSIONS, "ENTITY_TYPES": terms.ENTITY_TYPES}


def copies(source: str) -> list[tuple[int, str]]:
    """(line, table) of each tuple, list or set literal in ``source`` that writes a table out again.
    Dicts keyed by a table's values attach data to them and are checked for coverage instead."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            continue
        values = {e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
        found += [(node.lineno, name) for name, table in CLOSED.items() if len(values & set(table)) >= 2]
        found += [(node.lineno, name) for name, table in WORDS.items() if values == set(table)]
    return found


def test_no_module_writes_a_domain_table_out_again():
    found = [f"{p.relative_to(ROOT)}:{line} copies terms.{name}"
             for p in SOURCES for line, name in copies(p.read_text(encoding="utf-8"))]
    assert not found, "import these from metrokg.terms instead:\n" + "\n".join(found)


@pytest.mark.parametrize("source, table", [
    ('p.add_argument("--modality", choices=["obligation", "prohibition"])', "MODALITIES"),
    ('if role in {"lead", "supporting"}: pass', "ROLES"),
    ('PROVINCES = ("北京", "天津", "湖北")', "PROVINCES"),
    ('MODES = ("hybrid", "lexical", "dense")', "SEARCH_MODES"),
])
def test_the_scan_finds_a_copy(source, table):
    assert [name for _, name in copies(source)] == [table]


def test_the_scan_leaves_other_lists_alone():
    assert copies('SIGNALS = ("lexical", "dense", "expansion")\nCUES = {"obligation": ["要"], "prohibition": []}') == []


def test_the_tables_hold_distinct_values_and_subsets_stay_inside():
    for table in (*CLOSED.values(), *WORDS.values()):
        assert len(set(table)) == len(table)
    assert set(terms.DEONTIC_MODALITIES) | set(terms.PROMOTIONAL_MODALITIES) == set(terms.MODALITIES)
    assert not set(terms.DEONTIC_MODALITIES) & set(terms.PROMOTIONAL_MODALITIES)
    assert set(terms.LEXICAL_MODES) < set(terms.SEARCH_MODES)
    assert terms.PROVINCIAL_OR_ABOVE < set(terms.LEVELS)
    assert set(terms.LEVEL_LABELS) == set(terms.LEVELS)


def test_all_34_provincial_level_divisions():
    assert len(terms.PROVINCES) == 34 and {"香港", "澳门", "台湾", "内蒙古"} <= set(terms.PROVINCES)
    assert terms.PROVINCES[:4] == terms.MUNICIPALITIES


def test_extraction_and_the_register_read_the_same_provinces():
    """The register knew 澳门 and 香港, the actor lexicon did not: a Macao body had no level."""
    from metrokg.nlp.extraction.components.responsibility import named_level
    from metrokg.nlp.extraction.lexicon.actors import level_of

    assert level_of("澳门") == "province" and level_of("湖北省") == "province" and level_of("北京市") == "province"
    assert named_level("香港特别行政区政府") == "province"


def test_mappings_keyed_by_a_table_cover_it():
    from metrokg.kg.analyses.entities import ENTITY_TYPES
    from metrokg.kg.graph.facts_rdf import DEONTIC_CLASS
    from metrokg.kg.records.factview import _DEONTIC_SUBCLASSES
    from metrokg.kg.search.fusion import RRF_WEIGHTS, WEIGHTS
    from metrokg.nlp.extraction.components.modality import DEFAULT_CUES
    from metrokg.nlp.extraction.lexicon.actors import LEVEL_OF_WORD

    assert list(DEFAULT_CUES) == list(terms.MODALITIES)
    assert set(DEONTIC_CLASS) == set(_DEONTIC_SUBCLASSES.values()) == set(terms.MODALITIES)
    assert set(LEVEL_OF_WORD.values()) <= set(terms.LEVELS)
    assert set(ENTITY_TYPES) == set(terms.ENTITY_TYPES)
    assert set(WEIGHTS) | set(RRF_WEIGHTS) <= set(terms.SEARCH_MODES)


def test_the_web_page_labels_every_value_and_nothing_else():
    from metrokg.ui.web.i18n import TEXT

    for prefix, table in (("mod.", terms.MODALITIES), ("role.", terms.ROLES), ("gap.by.", terms.GAP_DIMENSIONS)):
        keyed = {k[len(prefix):] for k in TEXT if k.startswith(prefix)}
        assert keyed == set(table), prefix
        assert all(all(TEXT[prefix + v]) for v in table), prefix  # a Chinese and an English label each
