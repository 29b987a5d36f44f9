"""`metrokg ontology --markdown [--output FILE]`: the bilingual ontology reference."""

from __future__ import annotations

import sys
from pathlib import Path

from metrokg.errors import MetrokgError


def register(sub) -> None:
    p = sub.add_parser("ontology", help="write the bilingual reference of the ontology and vocabularies",
                       description="Write a readable Markdown reference (Chinese and English) of the "
                                   "classes, properties and vocabularies.")
    p.add_argument("--markdown", action="store_true", help="write the reference as Markdown")
    p.add_argument("--output", "-o", default=None, help="file to write (default: stdout)")
    p.set_defaults(func=run)


def run(args) -> int:
    from metrokg.ontology.reference import markdown_reference

    if not args.markdown:
        raise MetrokgError("E111")
    text = markdown_reference()
    if args.output in (None, "-"):
        sys.stdout.write(text)
        return 0
    path = Path(args.output)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as err:
        raise MetrokgError("E110", path=str(path), reason=err.strerror or str(err)) from None
    print(f"wrote {path} ({len(text.splitlines())} lines)", file=sys.stderr)
    return 0
