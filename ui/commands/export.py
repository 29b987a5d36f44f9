"""`metrokg export`: the whole graph in a standard RDF format."""

from __future__ import annotations

import sys

from metrokg.errors import MetrokgError

FORMATS = ("ttl", "trig", "jsonld", "nq")


def register(sub) -> None:
    p = sub.add_parser("export", help="write the graph as Turtle, TriG, JSON-LD or N-Quads")
    p.add_argument("--format", default="trig", help="ttl, trig, jsonld or nq (default trig)")
    p.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")
    p.set_defaults(func=run)


def run(args) -> int:
    from metrokg.kg.export import export_graph
    from metrokg.ui.commands._common import opened_store

    if args.format not in FORMATS:
        raise MetrokgError("E023", fmt=args.format, choices=", ".join(FORMATS))
    with opened_store(args) as store:
        data = export_graph(store, args.format)
    if args.output:
        with open(args.output, "wb") as fh:
            fh.write(data)
        print(f"wrote {len(data)} bytes to {args.output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
    return 0
