"""Helpers shared by the command modules (not itself a command)."""

from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Sequence

from metrokg.ui.cli.output import add_format_options, emit


def listing_parser(sub, name: str, help_text: str) -> argparse.ArgumentParser:
    """A subcommand parser with the shared output switches."""
    parser = sub.add_parser(name, help=help_text, description=help_text)
    add_format_options(parser)
    return parser


@contextmanager
def opened_store(args: argparse.Namespace, write: bool = False) -> Iterator:
    """The store named by ``--store`` (or the default), closed afterwards."""
    from metrokg.kg.store.registry import open_store

    store = open_store(getattr(args, "store", None), write=write)
    try:
        yield store
    finally:
        store.close()


def side_file(path: str | None, write: Callable[[str], Path | str | None], rows: int | None = None) -> None:
    """Write a file a listing was asked for besides its output (--xlsx, --docx, --heatmap, --matrix)
    and say so on stderr, so that stdout stays the listing (one JSON value with --json)."""
    if not path:
        return
    written = write(path) or path
    count = f"{rows} rows to " if rows is not None else ""
    print(f"metrokg: wrote {count}{written}", file=sys.stderr)


def print_listing(args: argparse.Namespace, records: object, flat: Callable[[], Sequence[dict]],
                  columns: Sequence[str]) -> int:
    """A listing's output: with --json the records as they are, else their flat rows (built only
    then) under ``columns`` as CSV or a table. Returns the command's exit status."""
    if args.fmt == "json":
        emit(records, "json")
    else:
        emit(list(flat()), args.fmt, columns)
    return 0


def progress_bar(total: int, desc: str, enabled: bool = True):
    """A tqdm bar on stderr (stdout stays clean for --json)."""
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, file=sys.stderr, disable=not enabled, leave=False)


def refresh_indexes(store) -> None:
    """Bring the search indexes (lexical and dense) up to the store's state after a write,
    so that the first search afterwards does not pay for it."""
    from metrokg.kg.search.index import SearchIndex

    SearchIndex.open(store).prepare_dense()
