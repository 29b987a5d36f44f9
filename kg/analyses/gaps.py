"""The specification-gap map: where plans call for measurement capability that no specification covers.

* **Demand**: each task and target linked (by the extraction) to a quantity kind, an
  instrument (counted under the quantity it measures) or a facility with a quantity kind,
  placed under the industry it serves: the industries named in the statement, else in its
  sentence, else in its provision's heading (研制…动态扭矩校准装置 under 实施汽车制造产业…工程
  → 扭矩 × 汽车); statements naming no industry go to a cross-industry row.
* **Supply**: the catalogue's specifications (JJG, JJF, GB, measurement standards: any entry
  with ``mkg:coversQuantity`` / ``mkg:coversInstrument``) covering that column; a
  specification of an instrument supplies the quantity the instrument measures.
* **Gap** = demand / (1 + supply): many statements and no specification rank first (1 statement
  and 3 specifications give 0.25, 1 and 1 give 0.5, 3 and 1 give 1.5).

A gap is only as good as the catalogue: :func:`catalogue_summary` says how many specifications
it holds and where they came from, and a cell whose demand rests on one weak mention (a single
statement whose column or industry comes only from words around it, not from what the
extraction linked to the statement) is marked ``weak``.

Columns are quantity kinds, measurement disciplines (JJF 1022, through the quantity kinds)
or instruments. Every cell lists the provisions behind its demand and the specifications
behind its supply, so a committee can act on it.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict

from metrokg.errors import MetrokgError
from metrokg.kg.records.factview import (Concepts, by_number, document_deriver, industry_context, load_concepts, load_facts,
                                 load_provision_infos, number_key, per_document, scheme_of)
from metrokg.kg.records.listing import check_document
from metrokg.kg.store.base import Store
from metrokg.terms import GAP_DIMENSIONS as DIMENSIONS

CROSS_INDUSTRY = "通用（跨行业）"
CROSS_INDUSTRY_EN = "cross-industry"
STRONG_INDUSTRY_SOURCES = ("statement",)  # the industry named in the statement itself
COLUMNS = ["industry", "column", "demand", "supply", "gap", "provisions", "specifications"]


def _columns_for(concepts: Concepts, iri: str, by: str) -> set[str]:
    if by == "quantity":
        return concepts.quantities_of(iri)
    if by == "discipline":
        return concepts.disciplines_of(iri)
    return {iri} if scheme_of(iri) == "instrument" else set()


def _specs(concepts: Concepts) -> list:
    return [c for c in concepts.by_iri.values() if c.links.get("covers_quantity") or c.links.get("covers_instrument")]


def supply_index(concepts: Concepts, by: str) -> dict[str, list[dict]]:
    """Specifications per column concept."""
    out: dict[str, list[dict]] = defaultdict(list)
    for spec in _specs(concepts):
        covered: set[str] = set()
        for q in spec.links.get("covers_quantity", ()):
            covered |= {q} if by == "quantity" else (concepts.disciplines_of(q) if by == "discipline" else set())
        for i in spec.links.get("covers_instrument", ()):
            covered |= _columns_for(concepts, i, by)
            if by == "quantity":
                covered |= concepts.quantities_of(i)
        entry = {"iri": spec.iri, "number": spec.number, "title": spec.title or spec.label,
                 "status": spec.status}
        for col in covered:
            out[col].append(entry)
    for col in out:
        out[col].sort(key=lambda e: (e["number"] or e["title"] or ""))
    return out


def demand_items(store: Store, by: str, document: str | None = None) -> list[dict]:
    """One record per (task or target) × column concept × industry it calls for, kept per
    document (a write recomputes only the documents it touched)."""
    return [it for items in per_document(store, DEMAND, by, document) for it in items]


def _demand_items(store: Store, concepts: Concepts, by: str, document: str) -> list[dict]:
    provs = load_provision_infos(store, document)
    numbered = by_number(provs)
    items = []
    for kind in ("task", "target"):
        for f in load_facts(store, kind, document):
            prov = provs.get(f.provision)
            if prov is None:
                continue
            linked = list(f.multi.get("concerns", []))
            if f.get("indicatorConcept"):
                linked.append(str(f.get("indicatorConcept")))
            strong: set[str] = set()
            for c in linked:
                strong |= _columns_for(concepts, c, by)
            cols = set(strong)
            for c in prov.concepts_in(f.start, f.end):
                cols |= _columns_for(concepts, c, by)
            if not cols:
                continue
            industries, source = industry_context(numbered, prov, f.start, f.end)
            for col in cols:
                for ind in industries or [None]:
                    items.append({"column": col, "industry": ind, "industry_source": source, "kind": kind,
                                  "linked": col in strong,
                                  "iri": f.iri, "document": f.document, "number": f.number, "text": f.text,
                                  "start": f.start, "end": f.end})
    return items


DEMAND = document_deriver("demand", lambda store, doc_id: {
    by: _demand_items(store, load_concepts(store), by, doc_id) for by in DIMENSIONS})


def gap_map(store: Store, by: str = "quantity", document: str | None = None, industry: str | None = None) -> dict:
    """The gap map: ranked cells (industry × column) plus per-column totals; with ``industry``
    (resolved as every command resolves it), only that industry's rows and the narrower ones'.

    ``{"by", "industries": [...], "columns": [...], "cells": [...]}``; each cell has
    ``industry``, ``industry_iri``, ``column``, ``column_iri``, ``discipline`` (for quantity
    columns), ``demand`` (distinct statements), ``supply`` (specifications), ``gap``,
    ``provisions`` and ``specifications``.
    """
    if by not in DIMENSIONS:
        raise MetrokgError("E332", value=by, choices=", ".join(DIMENSIONS))
    check_document(store, document)
    concepts = load_concepts(store)
    wanted = concepts.narrower_closure(concepts.resolve(industry, "industry")) if industry else None
    supply = supply_index(concepts, by)
    cells: dict[tuple[str | None, str], dict] = {}
    for it in demand_items(store, by, document):
        if wanted is not None and it["industry"] not in wanted:
            continue
        key = (it["industry"], it["column"])
        cell = cells.get(key)
        if cell is None:
            specs = supply.get(it["column"], [])
            cell = cells[key] = {
                "industry": concepts.label(it["industry"]) if it["industry"] else CROSS_INDUSTRY,
                "industry_iri": it["industry"], "column": concepts.label(it["column"]),
                "column_en": concepts.label_en(it["column"]), "column_iri": it["column"],
                "industry_en": concepts.label_en(it["industry"]) if it["industry"] else CROSS_INDUSTRY_EN,
                "discipline": sorted(concepts.label(d) for d in concepts.disciplines_of(it["column"]))
                if by != "discipline" else None,
                "provisions": [], "specifications": specs, "supply": len(specs), "_seen": set()}
        if it["iri"] in cell["_seen"]:
            continue
        cell["_seen"].add(it["iri"])
        cell["provisions"].append({**{k: it[k] for k in ("document", "number", "kind", "text", "start", "end", "iri",
                                                         "industry_source")}, "linked": it.get("linked", True)})
    out_cells = []
    for cell in cells.values():
        cell.pop("_seen")
        cell["provisions"].sort(key=lambda p: (p["document"], number_key(p["number"]), p["start"]))
        cell["demand"] = len(cell["provisions"])
        cell["gap"] = round(cell["demand"] / (1 + cell["supply"]), 4)
        cell["weak"] = cell["demand"] == 1 and is_weak(cell["provisions"][0])
        out_cells.append(cell)
    out_cells.sort(key=lambda c: (-c["gap"], -c["demand"], c["industry"], c["column"]))
    for rank, c in enumerate(out_cells, start=1):
        c["rank"] = rank
    columns: dict[str, dict] = {}
    for c in out_cells:
        col = columns.setdefault(c["column_iri"], {"column": c["column"], "column_iri": c["column_iri"],
                                                   "supply": c["supply"], "_st": set()})
        col["_st"] |= {p["iri"] for p in c["provisions"]}
    col_list = []
    for col in columns.values():
        col["demand"] = len(col.pop("_st"))
        col["gap"] = round(col["demand"] / (1 + col["supply"]), 4)
        col_list.append(col)
    col_list.sort(key=lambda c: (-c["gap"], -c["demand"], c["column"]))
    industries: dict[str, int] = defaultdict(int)
    for c in out_cells:
        industries[c["industry"]] += c["demand"]
    return {"by": by, "industries": sorted(industries, key=lambda i: (-industries[i], i)),
            "columns": col_list, "cells": out_cells}


def is_weak(item: dict) -> bool:
    """A statement that supports its cell weakly: its column comes only from a word in its text
    (not from what the extraction linked to it), or its industry only from its sentence or heading."""
    return not item.get("linked", True) or item.get("industry_source") not in STRONG_INDUSTRY_SOURCES


def catalogue_summary(store: Store) -> dict:
    """How many specifications the gap map's supply counts, and where they came from:
    ``{"specifications", "shipped", "imported", "series": {"JJG": n, ...}}`` (shipped: the
    catalogue in ``ontology/catalogue.ttl``; imported: ``metrokg specs import`` and vocabularies)."""
    from metrokg.ontology.vocab import packaged

    specs = _specs(load_concepts(store))
    shipped = {c.iri for c in _specs(packaged())}
    series: dict[str, int] = defaultdict(int)
    for c in specs:
        series[(c.number or "").split(" ")[0].split("(")[0].split("（")[0] or "other"] += 1
    return {"specifications": len(specs), "shipped": sum(c.iri in shipped for c in specs),
            "imported": sum(c.iri not in shipped for c in specs), "series": dict(sorted(series.items()))}


def cell_rows(gmap: dict) -> list[dict]:
    """Cells flattened for CSV/table output (provisions and specifications as short lists)."""
    rows = []
    for c in gmap["cells"]:
        rows.append({**{k: c[k] for k in ("rank", "industry", "column", "demand", "supply", "gap")},
                     "weak": c.get("weak", False),
                     "provisions": [f"{p['document']} {p['number']}: {p['text']}" for p in c["provisions"]],
                     "specifications": [f"{s['number'] or ''} {s['title']}".strip() for s in c["specifications"]],
                     "industry_iri": c["industry_iri"], "column_iri": c["column_iri"]})
    return rows


def matrix(gmap: dict, value: str = "demand", max_rows: int | None = None,
           max_cols: int | None = None) -> tuple[list[str], list[str], list[list[float]]]:
    """(industries, columns, values) of the map as a dense matrix, busiest first."""
    industries = gmap["industries"][:max_rows] if max_rows else gmap["industries"]
    cols = sorted(gmap["columns"], key=lambda c: (-c["demand"], c["column"]))
    cols = cols[:max_cols] if max_cols else cols
    names = [c["column"] for c in cols]
    grid = {(c["industry"], c["column"]): c[value] for c in gmap["cells"]}
    return industries, names, [[float(grid.get((i, n), 0)) for n in names] for i in industries]


def matrix_csv(gmap: dict, value: str = "demand") -> str:
    """The industry × column matrix as CSV; each cell is ``demand/supply`` counts by default."""
    industries, names, _ = matrix(gmap)
    cells = {(c["industry"], c["column"]): c for c in gmap["cells"]}
    supply = {c["column"]: c["supply"] for c in gmap["columns"]}
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["industry \\ " + gmap["by"], *names])
    w.writerow(["(supply: specifications)", *[supply[n] for n in names]])
    for ind in industries:
        w.writerow([ind, *[cells[(ind, n)][value] if (ind, n) in cells else 0 for n in names]])
    return buf.getvalue()
