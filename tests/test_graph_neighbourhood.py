"""The graph tab's neighbourhoods: a concept scheme shows its members, and a property with many edges
does not hide those with few (issue 18: 计量器具 drew a lone node)."""

from __future__ import annotations

import re

from metrokg.kg.analyses.neighbourhood import drawn_neighbours, find_entities, neighbourhood
import test_one_language
from test_one_language import METER

store = test_one_language.store  # the built store, opened once per module
SCHEME = "https://w3id.org/metrokg/id/instrument"


def test_the_instrument_scheme_draws_its_instruments(store):
    assert find_entities(store, "计量器具")[0]["iri"] == SCHEME
    zh = neighbourhood(store, SCHEME, lang="zh")
    members = {n["id"] for n in zh["nodes"]} - {SCHEME}
    assert METER in members and len(members) >= 10
    assert all(e["target"] == SCHEME for e in zh["edges"])
    assert [e["label"] for e in zh["edges"] if e["label"]] == [f"所属概念体系 ×{len(members)}"]
    en = neighbourhood(store, SCHEME, lang="en")
    assert [e["label"] for e in en["edges"] if e["label"]] == [f"in scheme ×{len(members)}"]


def test_a_bounded_drawing_says_it_is_cut(store):
    small = neighbourhood(store, SCHEME, limit=5, lang="zh")
    assert len(small["nodes"]) == 6 and small["truncated"]
    assert not neighbourhood(store, SCHEME, lang="zh")["truncated"]


def test_an_instrument_links_up_to_its_scheme_and_its_quantity(store):
    n = neighbourhood(store, METER, lang="en")
    assert SCHEME in {e["target"] for e in n["edges"]}
    assert not any(re.search(r"[\u4e00-\u9fff]", e["label"]) for e in n["edges"])


def test_many_edges_of_one_property_leave_room_for_the_others():
    mentions = [(f"urn:p{i}", "urn:mentions", "urn:c") for i in range(100)]
    edges = [*mentions, ("urn:c", "urn:broader", "urn:parent"), ("urn:child", "urn:broader", "urn:c")]
    shown = drawn_neighbours("urn:c", edges, 10)
    assert len(shown) == 10 and {"urn:parent", "urn:child"} <= set(shown)
    assert drawn_neighbours("urn:c", edges[:3], 10) == ["urn:p0", "urn:p1", "urn:p2"]
