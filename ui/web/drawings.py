"""Drawings for the page in plain HTML and inline SVG (nothing is loaded from a network).

Progress bars for targets, a line chart of recorded progress, the gap heatmap and the
neighbourhood network of the Graph tab.
"""

from __future__ import annotations

import math
from typing import Sequence

from metrokg.ui.web.render import esc, note_html

STATUS_COLOURS = {"achieved": "#2e7d32", "on-track": "#1565c0", "behind": "#e65100", "missed": "#b71c1c",
                  "no-data": "#9e9e9e", "no-deadline": "#757575", "no-baseline": "#757575"}
SERIES = ("#1565c0", "#e65100", "#2e7d32", "#6a1b9a", "#00838f", "#ad1457", "#5d4037", "#455a64")

DRAWING_CSS = """
.mk-bars, .prose table.mk-bars, .mk-bars tr {width: 100%; border-collapse: collapse; border: none !important;}
.mk-bars td {padding: 6px 8px; border: none !important; border-bottom: 1px solid #eceff3 !important;
             vertical-align: middle; font-size: 95%;}
.mk-bar {position: relative; background: #eef1f5; border-radius: 4px; height: 18px; min-width: 160px;}
.mk-bar > span {position: absolute; left: 0; top: 0; bottom: 0; border-radius: 4px;}
.mk-bar > i {position: absolute; top: -3px; bottom: -3px; width: 2px; background: #333;}
.mk-bar-label {font-size: 85%; color: #444; white-space: nowrap;}
.mk-status {font-size: 80%; color: #fff; border-radius: 8px; padding: 1px 8px; white-space: nowrap;}
.mk-heat {border-collapse: collapse; font-size: 85%; border: none !important;}
.mk-heat th, .mk-heat td {border: 1px solid #fff !important;}
.mk-heat th {font-weight: normal; padding: 2px 4px; white-space: nowrap;}
.mk-heat th.mk-col {writing-mode: vertical-rl; text-orientation: mixed; vertical-align: bottom; height: auto;}
.mk-heat td {width: 30px; height: 26px; text-align: center; border: 1px solid #fff; cursor: pointer;}
.mk-heat td.mk-empty {cursor: default; background: #f7f7f7;}
.mk-heat td:hover {outline: 2px solid #333;}
.mk-net text {font-size: 12px; pointer-events: none;}
.mk-net .mk-node {cursor: pointer;}
"""


def progress_bars(targets: Sequence[dict], labels: dict[str, str]) -> str:
    """One row per target: indicator, goal, a bar of the share achieved (with the expected mark)."""
    if not targets:
        return note_html(labels["none"])
    rows = []
    for t in targets:
        share = t.get("share_display")
        width = 0 if share is None else max(0.0, min(1.0, float(share))) * 100
        colour = STATUS_COLOURS.get(t.get("status") or "no-data", "#9e9e9e")
        expected = t.get("expected_share")
        mark = (f"<i title='{esc(labels['expected'])}' style='left:{min(1.0, float(expected)) * 100:.1f}%'></i>"
                if expected is not None else "")
        goal = f"{esc(t.get('comparator') or '')} {esc(t.get('value'))}{esc(t.get('unit') or '')}"
        latest = ("—" if t.get("latest_value") is None
                  else f"{esc(t['latest_value'])}{esc(t.get('unit') or '')} ({esc(t.get('as_of'))})")
        pct = "" if share is None else f"{float(t.get('share') or 0) * 100:.0f}%"
        rows.append(
            f"<tr data-target='{esc(t['id'])}'><td><b>{esc(t['number'])}</b>"
            f"<div class='mk-meta'>{esc(t.get('document') or '')}</div></td>"
            f"<td>{esc(t.get('indicator') or t.get('text'))}<div class='mk-meta'>{esc(t.get('text'))}</div></td>"
            f"<td style='white-space:nowrap'>{goal}<div class='mk-meta'>{esc(t.get('deadline') or '')}</div></td>"
            f"<td style='width:30%'><div class='mk-bar' role='progressbar' aria-valuenow='{width:.0f}' "
            f"aria-valuemin='0' aria-valuemax='100'><span style='width:{width:.1f}%;background:{colour}'></span>"
            f"{mark}</div><span class='mk-bar-label'>{' · '.join(x for x in (pct, latest) if x)}</span></td>"
            f"<td><span class='mk-status' style='background:{colour}'>"
            f"{esc(labels.get(t.get('status') or 'no-data', t.get('status')))}</span></td></tr>")
    return "<table class='mk-bars'>" + "".join(rows) + "</table>"


def line_chart(series: Sequence[dict], title: str, width: int = 760, height: int = 300) -> str:
    """Share achieved over time, one line per target with recorded progress (inline SVG)."""
    points = [(p["as_of"], p["share"]) for s in series for p in s["points"] if p.get("share") is not None]
    if not points:
        return ""
    from datetime import date

    def day(iso: str) -> int:
        return date.fromisoformat(iso[:10]).toordinal()

    xs = [day(d) for d, _ in points]
    x0, x1 = min(xs), max(xs)
    if x1 == x0:
        x0, x1 = x0 - 30, x1 + 30
    ymax = max(1.2, max(v for _, v in points) * 1.05)
    left, right, top, bottom = 48, 16, 28, 36
    pw, ph = width - left - right, height - top - bottom

    def px(d: int) -> float:
        return left + (d - x0) / (x1 - x0) * pw

    def py(v: float) -> float:
        return top + ph - v / ymax * ph

    out = [f"<svg class='mk-chart' width='{width}' height='{height}' viewBox='0 0 {width} {height}' "
           f"role='img' aria-label='{esc(title)}'><text x='{left}' y='16' font-weight='bold'>{esc(title)}</text>"]
    for tick in [i / 4 for i in range(0, int(ymax * 4) + 1)]:
        y = py(tick)
        out.append(f"<line x1='{left}' x2='{width - right}' y1='{y:.1f}' y2='{y:.1f}' stroke='#e3e6ea'/>"
                   f"<text x='{left - 6}' y='{y + 4:.1f}' text-anchor='end' font-size='11'>{tick * 100:.0f}%</text>")
    out.append(f"<line x1='{left}' x2='{width - right}' y1='{py(1):.1f}' y2='{py(1):.1f}' stroke='#2e7d32' "
               f"stroke-dasharray='4 3'/>")
    for d, anchor in ((x0, "start"), (x1, "end")):
        out.append(f"<text x='{px(d):.1f}' y='{height - 12}' text-anchor='{anchor}' font-size='11'>"
                   f"{date.fromordinal(d).isoformat()}</text>")
    legend_y = top
    for i, s in enumerate(series):
        pts = [(day(p["as_of"]), p["share"]) for p in s["points"] if p.get("share") is not None]
        if not pts:
            continue
        colour = SERIES[i % len(SERIES)]
        path = " ".join(f"{px(d):.1f},{py(v):.1f}" for d, v in pts)
        out.append(f"<polyline fill='none' stroke='{colour}' stroke-width='2' points='{path}'/>")
        out += [f"<circle cx='{px(d):.1f}' cy='{py(v):.1f}' r='3.5' fill='{colour}'/>" for d, v in pts]
        out.append(f"<text x='{width - right - 4}' y='{legend_y + 12}' text-anchor='end' fill='{colour}' "
                   f"font-size='12'>{esc(s['label'])}</text>")
        legend_y += 16
    out.append("</svg>")
    return "".join(out)


def _heat_colour(value: float, vmax: float) -> str:
    if vmax <= 0 or value <= 0:
        return "#f7f7f7"
    f = math.sqrt(value / vmax)
    r, g, b = int(255 - f * (255 - 198)), int(243 - f * (243 - 40)), int(224 - f * (224 - 40))
    return f"rgb({r},{g},{b})"


def heatmap(industries: Sequence[str], columns: Sequence[str], values: Sequence[Sequence[float]],
            supply: dict[str, int], labels: dict[str, str]) -> str:
    """Industry × column table; a cell's colour is its value, a click on it lists what is behind it."""
    if not industries or not columns:
        return note_html(labels["none"])
    vmax = max((v for row in values for v in row), default=0.0)
    head = "".join(f"<th class='mk-col' title='{esc(c)}'>{esc(c)}</th>" for c in columns)
    sup = "".join(f"<th>{supply.get(c, 0)}</th>" for c in columns)
    rows = []
    for ind, row in zip(industries, values):
        cells = []
        for col, v in zip(columns, row):
            if v <= 0:
                cells.append("<td class='mk-empty'></td>")
                continue
            text_colour = "#fff" if vmax and v / vmax > 0.45 else "#222"
            cells.append(f"<td data-industry='{esc(ind)}' data-column='{esc(col)}' title='{esc(ind)} × {esc(col)}: "
                         f"{v:g}' style='background:{_heat_colour(v, vmax)};color:{text_colour}'>{v:g}</td>")
        rows.append(f"<tr><th style='text-align:right'>{esc(ind)}</th>{''.join(cells)}</tr>")
    return (f"<div style='overflow-x:auto'><table class='mk-heat'><thead><tr><th></th>{head}</tr>"
            f"<tr><th style='text-align:right' class='mk-meta'>{esc(labels['supply'])}</th>{sup}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></div>")


RADIAL_FROM = 16  # neighbours beyond which labels run along the rays
RADIAL_ROOM = 230  # px left outside the circle for a label of 18 characters at 11 px


def _ray_label(x: float, y: float, r: int, a: float, label: str) -> str:
    """A neighbour's label beside its node, turned along the ray from the centre (and upright)."""
    deg = math.degrees(a)
    right = math.cos(a) >= -1e-9
    tx, ty = x + (r + 4) * math.cos(a), y + (r + 4) * math.sin(a)
    turn = deg if right else deg + 180
    return (f"<text x='{tx:.1f}' y='{ty:.1f}' font-size='11' dominant-baseline='middle' "
            f"text-anchor='{'start' if right else 'end'}' transform='rotate({turn:.1f} {tx:.1f} {ty:.1f})'>"
            f"{esc(label)}</text>")


def network(nodes: Sequence[dict], edges: Sequence[dict], center: str, width: int = 900,
            height: int = 560) -> str:
    """The centre node and its neighbours on a circle (inline SVG); nodes carry ``data-node``. With more
    than :data:`RADIAL_FROM` neighbours (a concept scheme's members) the circle is round and each label
    runs outward along its node's ray, so the labels of neighbours side by side do not overlap."""
    if not nodes:
        return ""
    by_id = {n["id"]: n for n in nodes}
    others = [n for n in nodes if n["id"] != center]
    radial = len(others) > RADIAL_FROM
    if radial:
        height = width
    cx, cy = width / 2, height / 2
    radius = min(width, height) / 2 - (RADIAL_ROOM if radial else 70)
    pos = {center: (cx, cy)}
    angle = {}
    for i, n in enumerate(others):
        a = 2 * math.pi * i / max(1, len(others)) - math.pi / 2
        angle[n["id"]] = a
        pos[n["id"]] = (cx + radius * math.cos(a) * (1 if radial else 1.25), cy + radius * math.sin(a))
    colours = {"provision": "#1565c0", "document": "#37474f", "concept": "#2e7d32", "fact": "#e65100",
               "literal": "#9e9e9e", "other": "#6a1b9a"}
    out = [f"<svg class='mk-net' width='100%' viewBox='0 0 {width} {height}' role='img'>"]
    pairs: dict[tuple[str, str], list[str]] = {}  # several properties between two nodes: one line
    for e in edges:
        if e["source"] in pos and e["target"] in pos:
            labels = pairs.setdefault((e["source"], e["target"]), [])
            if e["label"] not in labels:
                labels.append(e["label"])
    for (source, target), labels in pairs.items():
        (x1, y1), (x2, y2) = pos[source], pos[target]
        mx, my = x1 + (x2 - x1) * 0.55, y1 + (y2 - y1) * 0.55
        text = ", ".join(labels[:2]) + ("…" if len(labels) > 2 else "")
        out.append(f"<line x1='{x1:.1f}' y1='{y1:.1f}' x2='{x2:.1f}' y2='{y2:.1f}' stroke='#b0bec5'/>"
                   f"<text x='{mx:.1f}' y='{my:.1f}' fill='#78909c' text-anchor='middle' font-size='10'>"
                   f"<title>{esc(', '.join(labels))}</title>{esc(text)}</text>")
    for nid, (x, y) in pos.items():
        n = by_id.get(nid)
        if n is None:
            continue
        colour = colours.get(n.get("kind", "other"), colours["other"])
        r = 12 if nid == center else 8
        label = n["label"] if len(n["label"]) <= 18 else n["label"][:17] + "…"
        weight = " font-weight='bold'" if nid == center else ""
        if radial and nid in angle:
            text = _ray_label(x, y, r, angle[nid], label)
        else:
            text = f"<text x='{x:.1f}' y='{y + r + 13:.1f}' text-anchor='middle'{weight}>{esc(label)}</text>"
        out.append(f"<g class='mk-node' data-node='{esc(nid)}'><title>{esc(n['label'])}\n{esc(nid)}</title>"
                   f"<circle cx='{x:.1f}' cy='{y:.1f}' r='{r}' fill='{colour}' stroke='#fff' stroke-width='2'/>"
                   f"{text}</g>")
    out.append("</svg>")
    return "".join(out)
