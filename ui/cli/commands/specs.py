"""`metrokg specs import FILE`: load a specification catalogue (CSV) into the store."""

from __future__ import annotations

import sys


def register(sub) -> None:
    p = sub.add_parser("specs", help="manage the specification catalogue",
                       description="Manage the catalogue of metrological specifications (JJG, JJF, GB).")
    specs_sub = p.add_subparsers(dest="specs_command", metavar="ACTION")
    imp = specs_sub.add_parser("import", help="import a catalogue CSV (columns: id, title, type, "
                                              "quantity kinds, instruments, status, dates)")
    imp.add_argument("file", metavar="FILE", help="CSV file, UTF-8 or GB18030")
    imp.add_argument("--replace", action="store_true",
                     help="replace the whole imported catalogue instead of merging by id")
    from metrokg.ui.cli.output import add_format_options

    add_format_options(imp)
    imp.set_defaults(func=run_import)
    p.set_defaults(func=lambda args: p.print_help() or 0)


def run_import(args) -> int:
    import os

    from metrokg.kg.graph.catalogue import parse_catalogue_csv
    from metrokg.ontology.namespace import CATALOGUE_GRAPH, MKG
    from metrokg.ui.cli.commands._via_server import run_write
    from metrokg.ui.cli.output import emit

    imported = parse_catalogue_csv(args.file)  # raises before the store is touched
    run_write(args, "specs-import", {"file": os.path.abspath(args.file), "replace": args.replace})  # read there too
    entries = sorted(set(imported.subjects(MKG.documentNumber)))
    rows = [{"id": str(imported.value(e, MKG.documentNumber)), "title": str(imported.value(e, MKG.title)),
             "iri": str(e)} for e in entries]
    if args.fmt == "json":
        emit({"imported": len(rows), "entries": rows}, "json")
    else:
        emit(rows, args.fmt, ["id", "title", "iri"])
        print(f"imported {len(rows)} specification(s) into {CATALOGUE_GRAPH}", file=sys.stderr)
    return 0


def apply_import(store, params: dict, _progress) -> None:
    """The write of `metrokg specs import`: the catalogue merged into (or replacing) the imported one."""
    from metrokg.kg.graph.catalogue import merge_into, parse_catalogue_csv
    from metrokg.ontology.namespace import CATALOGUE_GRAPH
    from rdflib import Graph

    imported = parse_catalogue_csv(params["file"])
    existing = Graph()
    if not params["replace"] and CATALOGUE_GRAPH in store.graph_iris():
        existing = store.graph(CATALOGUE_GRAPH)
    store.replace_graphs({CATALOGUE_GRAPH: set(merge_into(existing, imported))})
