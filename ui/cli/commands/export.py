"""`metrokg export`: the whole graph in a standard RDF format."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from metrokg.errors import MetrokgError

FORMATS = ("ttl", "trig", "jsonld", "nq")


def register(sub) -> None:
    p = sub.add_parser("export", help="write the graph as Turtle, TriG, JSON-LD or N-Quads",
                       description="Write the whole graph in a standard RDF format: TriG or N-Quads keep the "
                                   "named graphs (one per document, the ontology, progress), Turtle and JSON-LD "
                                   "merge them. Prefixes are metrokg's own (mkg:, skos:, ...). The file is "
                                   "written whole or not at all.")
    p.add_argument("--format", default="trig", help="ttl, trig, jsonld or nq (default trig)")
    p.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")
    p.set_defaults(func=run)


def write_atomically(path: Path, data: bytes) -> None:
    """Write the whole file or nothing: a backup cut short by a full disk must not look complete.
    Only regular files are replaced; a device or a pipe (``/dev/stdout``) is written to as is."""
    if path.exists() and not path.is_file():
        with open(path, "wb") as fh:
            fh.write(data)
        return
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with open(partial, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(partial, path)
    except OSError as err:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise OSError(err.errno, err.strerror, str(path)) from None


def run(args) -> int:
    from metrokg.kg.store.export import export_graph
    from metrokg.ui.cli.commands._common import opened_store

    if args.format not in FORMATS:
        raise MetrokgError("E023", fmt=args.format, choices=", ".join(FORMATS))
    with opened_store(args) as store:
        data = export_graph(store, args.format)
    if args.output:
        write_atomically(Path(args.output), data)
        print(f"wrote {len(data)} bytes to {args.output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
    return 0
