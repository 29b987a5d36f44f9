"""`metrokg ingest PATH...` and `metrokg remove ID`: add, replace or remove documents."""

from __future__ import annotations

import os
import sys
from dataclasses import asdict
from typing import TYPE_CHECKING

from metrokg.ui.cli.commands._common import listing_parser, progress_bar, refresh_indexes
from metrokg.ui.cli.commands._via_server import run_write
from metrokg.ui.cli.output import emit

if TYPE_CHECKING:
    from metrokg.kg.graph.ingest import IngestResult

COLUMNS = ["id", "status", "provisions", "facts", "title", "warnings"]


def register(sub) -> None:
    p = listing_parser(sub, "ingest", "ingest documents (.txt .md .html .docx .pdf); all or nothing")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--bulk", action="store_true",
                   help="add new documents through the store's bulk loader: several times faster for large "
                        "loads, but readers may see documents appear one by one (an interrupted load is undone)")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="extraction processes (default: one per core, up to 4, for batches of 1,000+ provisions)")
    p.add_argument("--replace", action="store_true",
                   help="a file that duplicates a stored document (same text or 文号) replaces it, keeping its id")
    p.set_defaults(func=run_ingest)
    r = listing_parser(sub, "remove", "remove a document and everything extracted from it")
    r.add_argument("doc_id", metavar="ID")
    r.set_defaults(func=run_remove)


def run_ingest(args) -> int:
    from metrokg.kg.graph.ingest import IngestResult

    params = {"paths": list(args.paths), "cwd": os.getcwd(), "bulk": args.bulk, "workers": args.workers,
              "replace": args.replace}
    with progress_bar(len(args.paths), "ingest") as bar:
        rows = run_write(args, "ingest", params, progress=lambda _id: bar.update(1))
    emit(rows, args.fmt, COLUMNS)
    report_warnings([IngestResult(**r) for r in rows])
    return 0


def apply_ingest(store, params: dict, progress) -> list[dict]:
    """The write of `metrokg ingest` (here or in a running server): the results as rows."""
    from metrokg.kg.graph.ingest import ingest_paths

    paths = [os.path.join(params["cwd"], p) for p in params["paths"]] if params["cwd"] != os.getcwd() \
        else params["paths"]  # a server resolves the caller's relative paths where the caller is
    results = ingest_paths(store, paths, progress=progress, bulk=params["bulk"], workers=params["workers"],
                           replace=params.get("replace", False))
    refresh_indexes(store)
    return [asdict(r) for r in results]


def report_warnings(results: list[IngestResult]) -> None:
    """The coded warnings ([W0xx]: facts missing) on stderr, where they are not lost in a table,
    and how many extraction failures there were."""
    for r in results:
        for w in (w for w in r.warnings if w.startswith("[W")):
            print(f"metrokg ingest: {r.id}: warning: {w}", file=sys.stderr)
    failures = sum(r.failures for r in results)
    if failures:
        print(f"metrokg ingest: {failures} extraction failure(s) in {sum(bool(r.failures) for r in results)} "
              "document(s): the facts of the components named above are missing there. Report this as a bug.",
              file=sys.stderr)


def run_remove(args) -> int:
    emit([run_write(args, "remove", {"doc_id": args.doc_id})], args.fmt, ["id", "status"])
    return 0


def apply_remove(store, params: dict, _progress) -> dict:
    """The write of `metrokg remove`."""
    from metrokg.kg.graph.ingest import remove_document

    result = remove_document(store, params["doc_id"])
    refresh_indexes(store)
    return asdict(result)
