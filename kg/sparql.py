"""Read-only SPARQL for users: refuses updates and SERVICE, limits rows and time."""

from __future__ import annotations

import re
import threading

from rdflib.query import Result

from metrokg.errors import MetrokgError
from metrokg.kg.store import Store

FORBIDDEN = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "SERVICE", "WITH")
_STRIP = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*')
_KEYWORD = re.compile(r"\b(" + "|".join(FORBIDDEN) + r")\b", re.IGNORECASE)
DEFAULT_ROW_LIMIT = 10000
DEFAULT_TIMEOUT_S = 10.0


def check_read_only(query: str) -> None:
    """Raise E021 when the query contains an update keyword or SERVICE outside strings and IRIs."""
    code = _STRIP.sub(" ", query)
    m = _KEYWORD.search(code)
    if m:
        raise MetrokgError("E021", keyword=m.group(1).upper())


def run_user_query(store: Store, query: str, row_limit: int = DEFAULT_ROW_LIMIT,
                   timeout_s: float = DEFAULT_TIMEOUT_S) -> tuple[Result, bool]:
    """Run a user's query with the safety rules; returns (result, truncated)."""
    if not query or not query.strip():
        raise MetrokgError("E020", reason="the query is empty")
    check_read_only(query)
    box: dict = {}

    def work() -> None:
        try:
            box["result"] = store.query(query)
        except BaseException as err:  # handed to the caller's thread
            box["error"] = err

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    worker.join(timeout_s)
    if worker.is_alive():
        raise MetrokgError("E022", seconds=timeout_s)
    if "error" in box:
        err = box["error"]
        if isinstance(err, MetrokgError):
            raise err
        raise MetrokgError("E020", reason=str(err)) from None
    result = box["result"]
    truncated = False
    if result.type == "SELECT" and len(result.bindings) > row_limit:
        result.bindings = result.bindings[:row_limit]
        truncated = True
    return result, truncated


def result_rows(result: Result) -> tuple[list[str], list[dict]]:
    """Column names and rows of plain strings, for tables and CSV."""
    if result.type == "ASK":
        return ["boolean"], [{"boolean": str(bool(result.askAnswer)).lower()}]
    if result.type == "SELECT":
        cols = [str(v) for v in result.vars]
        return cols, [{c: (str(b[v]) if v in b else "") for c, v in zip(cols, result.vars)}
                      for b in result.bindings]
    cols = ["subject", "predicate", "object"]
    return cols, [dict(zip(cols, map(str, t))) for t in result.graph]
