"""The ``metrokg`` command line: a thin layer over the library.

Each command lives in its own module under ``metrokg.ui.cli.commands`` and exposes
``register(subparsers)``; this module only discovers them, parses arguments and turns
:class:`~metrokg.errors.MetrokgError` (and operating-system failures such as a full disk) into a
message on stderr and exit code 2; an internal error (a bug) says so and asks for a report.
Heavy libraries are imported inside the commands that need them, so ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import pkgutil
import sys
from typing import Sequence

from metrokg import __version__
from metrokg.errors import MetrokgError


def build_parser() -> argparse.ArgumentParser:
    """The full parser, with every command module registered."""
    parser = argparse.ArgumentParser(
        prog="metrokg",
        description="计量知识图谱与法规助手 — metrology knowledge graph and regulation assistant.",
    )
    parser.add_argument("--version", action="version", version=f"metrokg {__version__}")
    parser.add_argument("--store", default=None,
                        help="store: a directory (embedded) or a sparql+http(s):// URL; "
                             "default $METROKG_STORE or the per-user data directory")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    from metrokg.ui.cli import commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.register(sub)
    return parser


def _hoist_store(argv: list[str]) -> list[str]:
    """Accept ``--store DIR`` after the command name too (``metrokg build --store DIR``)."""
    out, i, store = [], 0, []
    while i < len(argv):
        arg = argv[i]
        if arg == "--store" and i + 1 < len(argv):
            store = ["--store", argv[i + 1]]
            i += 2
            continue
        if arg.startswith("--store="):
            store = [arg]
            i += 1
            continue
        out.append(arg)
        i += 1
    return store + out


def os_error(err: OSError) -> MetrokgError:
    """The coded error for an operating-system failure, with what to do about it."""
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        advice = "The disk is full: free some space and run the command again (`metrokg doctor` checks the store)."
    elif err.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        advice = "Check the permissions, and that the disk is not mounted read-only."
    else:
        advice = "Check the path and the disk."
    where = err.filename or "a file"
    return MetrokgError("E386", path=where, reason=err.strerror or str(err), advice=advice)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``metrokg`` script; returns the exit code."""
    args_list = _hoist_store(list(sys.argv[1:] if argv is None else argv))
    parser = build_parser()
    args = parser.parse_args(args_list)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        result = args.func(args)
    except MetrokgError as err:
        print(f"metrokg: error: {err.explain()}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("metrokg: interrupted; the store is unchanged.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as err:  # a full disk or an unwritable file outside the store's own guards
        print(f"metrokg: error: {os_error(err)}", file=sys.stderr)
        return 2
    return int(result or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
