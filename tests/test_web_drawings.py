"""The graph tab's drawing stays readable when an entity has many neighbours (a concept scheme's members)."""

from __future__ import annotations

import re

from metrokg.ui.web.drawings import RADIAL_FROM, network


def _star(n: int) -> str:
    nodes = [{"id": "c", "label": "计量器具", "kind": "concept"}]
    nodes += [{"id": f"n{i}", "label": "呼出气体酒精含量检测仪"[: 3 + i % 9], "kind": "concept"} for i in range(n)]
    return network(nodes, [{"source": f"n{i}", "target": "c", "label": ""} for i in range(n)], "c")


def test_many_neighbours_have_their_labels_along_the_rays_inside_the_drawing():
    svg = _star(37)
    width, height = map(float, re.search(r"viewBox='0 0 (\S+) (\S+)'", svg).groups())
    turned = re.findall(r"<text x='(\S+)' y='(\S+)' font-size='11'[^>]*transform='rotate\(", svg)
    assert len(turned) == 37  # every neighbour's label, none of the centre's
    reach = 18 * 11  # the longest label drawn (18 characters) at 11 px
    for x, y in ((float(a), float(b)) for a, b in turned):
        dist = ((x - width / 2) ** 2 + (y - height / 2) ** 2) ** 0.5
        assert dist + reach <= min(width, height) / 2, (x, y)


def test_few_neighbours_keep_their_labels_level_under_the_nodes():
    svg = _star(RADIAL_FROM)
    assert "rotate(" not in svg and svg.count("text-anchor='middle'") >= RADIAL_FROM + 1
