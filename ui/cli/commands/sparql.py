"""`metrokg sparql QUERY`: read-only SPARQL over the store."""

from __future__ import annotations

import sys

from metrokg.errors import MetrokgError

FORMATS = ("json", "csv", "table")


def register(sub) -> None:
    p = sub.add_parser("sparql", help="run a read-only SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE)",
                       description="Run a read-only SPARQL 1.1 query over the store (every named graph as the "
                                   "default graph) in a worker process with a time and row limit. Updates and "
                                   "SERVICE are refused (E021). Prefixes such as mkg: must be declared.")
    p.add_argument("query", metavar="QUERY", help="the query text, or '-' to read it from stdin")
    p.add_argument("--format", default="table", help="json (W3C SPARQL results JSON), csv or table")
    p.add_argument("--limit", type=int, default=10000, help="most rows returned (default 10000)")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds before the query is stopped")
    p.set_defaults(func=run)


def run(args) -> int:
    from metrokg.kg.store.user_sparql import result_rows, run_user_query
    from metrokg.ui.cli.commands._common import opened_store
    from metrokg.ui.cli.output import emit

    if args.format not in FORMATS:
        raise MetrokgError("E023", fmt=args.format, choices=", ".join(FORMATS))
    query = sys.stdin.read() if args.query == "-" else args.query
    with opened_store(args) as store:
        result, truncated = run_user_query(store, query, row_limit=args.limit, timeout_s=args.timeout)
    if truncated:
        print(f"metrokg: only the first {args.limit} rows are shown (--limit)", file=sys.stderr)
    if args.format == "json" and result.type in ("SELECT", "ASK"):
        sys.stdout.write(result.serialize(format="json").decode("utf-8") + "\n")
        return 0
    columns, rows = result_rows(result)
    emit(rows, "csv" if args.format == "csv" else ("json" if args.format == "json" else "table"), columns)
    return 0
