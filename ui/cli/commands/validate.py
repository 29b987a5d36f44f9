"""`metrokg validate`: check the store's data against the SHACL shapes, in plain words."""

from __future__ import annotations

import sys

COLUMNS = ["focus", "path", "message", "value"]


def register(sub) -> None:
    p = sub.add_parser("validate", help="check the extracted data against the SHACL shapes",
                       description="Check every named graph of the store against ontology/shapes.ttl "
                                   "and list the violations in plain words (exit code 1 when any).")
    from metrokg.ui.cli.output import add_format_options

    add_format_options(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from metrokg.kg.graph.validate import validate
    from metrokg.ui.cli.commands._common import opened_store
    from metrokg.ui.cli.output import emit

    with opened_store(args) as store:
        data = store.union_graph()
    violations = validate(data)
    rows = [v.as_row() for v in violations]
    if args.fmt == "json":
        emit(rows, "json")
    elif args.fmt == "csv":
        emit(rows, "csv", COLUMNS)
    else:  # full sentences: a clipped table cell would cut the message short
        for v in violations:
            where = f"{v.focus} {v.path}" if v.path else v.focus
            extra = f" (value: {v.value})" if v.value else ""
            print(f"- {where}: {v.message}{extra}")
    if not rows:
        if args.fmt != "json":
            print("The data conforms to the shapes: no violations.", file=sys.stderr)
        return 0
    print(f"metrokg: {len(rows)} violation(s).", file=sys.stderr)
    return 1
