"""`metrokg targets` (targets with progress) and `metrokg progress set|history|chart`."""

from __future__ import annotations

import sys

from metrokg.ui.cli.commands._common import listing_parser, opened_store
from metrokg.ui.cli.output import add_format_options, emit

TABLE = ["id", "document", "indicator", "comparator", "value", "unit", "deadline", "baseline", "latest_value", "as_of",
         "share", "status"]


def register(sub) -> None:
    t = listing_parser(sub, "targets", "quantitative targets with their latest progress and on-track status")
    t.add_argument("--document", metavar="ID", help="only this document")
    t.set_defaults(func=run_targets)

    p = sub.add_parser("progress", help="record and show progress on targets",
                       description="record and show progress on targets (append-only observations)")
    psub = p.add_subparsers(dest="progress_command", metavar="ACTION")
    s = psub.add_parser("set", help="record an observation: TARGET reached VALUE as of DATE")
    s.add_argument("target", metavar="TARGET", help="a target id or IRI as `metrokg targets` lists them")
    s.add_argument("value", metavar="VALUE", help="a number, optionally with the target's unit "
                   "(12, 12家, 1.2万, 十二项, 三点五, 92%%, 百分之九十五, 九成)")
    s.add_argument("--as-of", required=True, metavar="DATE", help="YYYY-MM-DD (or YYYY-MM, YYYY)")
    s.add_argument("--source", metavar="TEXT", help="where the figure comes from (report, URL)")
    s.add_argument("--agent", metavar="NAME", help="who records it (default: $METROKG_USER or the login name)")
    add_format_options(s)
    s.set_defaults(func=run_set)
    h = psub.add_parser("history", help="every observation recorded for a target")
    h.add_argument("target", metavar="TARGET")
    add_format_options(h)
    h.set_defaults(func=run_history)
    c = psub.add_parser("chart", help="draw the progress of every observed target as a PNG")
    c.add_argument("output", metavar="FILE.png")
    c.add_argument("--document", metavar="ID")
    c.set_defaults(func=run_chart)
    p.set_defaults(func=lambda args: (p.print_help(), 0)[1])


def run_targets(args) -> int:
    from metrokg.kg.analyses.targets import list_targets

    with opened_store(args) as store:
        rows = list_targets(store, args.document)
    if args.fmt != "json":  # a baseline as one cell: 2020: 1779项
        rows = [{**r, "baseline": _baseline_cell(r.get("baseline"))} for r in rows]
    emit(rows, args.fmt, TABLE if args.fmt == "table" else None)
    return 0


def _baseline_cell(b: dict | None) -> str:
    if not b:
        return ""
    return f"{b['year']}: {b['value']}{b['unit'] or ''}" if b.get("year") else f"{b['value']}{b['unit'] or ''}"


def run_set(args) -> int:
    from metrokg.kg.analyses.targets import default_agent
    from metrokg.ui.cli.commands._via_server import run_write

    params = {"target": args.target, "value": args.value, "as_of": args.as_of, "source": args.source,
              "agent": args.agent or default_agent()}  # who runs this command, not who runs a server
    obs = run_write(args, "progress-set", params)
    emit(obs, args.fmt, ["id", "value", "unit", "as_of", "source", "agent", "recorded_at"])
    return 0


def apply_set(store, params: dict, _progress) -> dict:
    """The write of `metrokg progress set`: one observation, as a JSON record."""
    import json

    from metrokg.kg.analyses.targets import record_progress

    obs = record_progress(store, params["target"], params["value"], params["as_of"], params["source"], params["agent"])
    return json.loads(json.dumps(obs, ensure_ascii=False, default=str))


def run_history(args) -> int:
    from metrokg.kg.analyses.targets import progress_history

    with opened_store(args) as store:
        hist = progress_history(store, args.target)
    if args.fmt == "json":
        emit(hist, "json")
    else:
        emit(hist["history"], args.fmt, ["as_of", "value", "unit", "source", "agent", "recorded_at"])
    return 0


def run_chart(args) -> int:
    from metrokg.ui.reports.charts import progress_png

    with opened_store(args) as store:
        path = progress_png(store, args.output, args.document)
    print(f"metrokg: wrote {path}", file=sys.stderr)
    return 0
