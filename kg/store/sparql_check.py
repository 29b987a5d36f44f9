"""The read-only check on users' SPARQL: a query that parses, with no update and no SERVICE.

Shared by :mod:`metrokg.kg.store.user_sparql`, which runs it before a query, and by
:mod:`metrokg.kg.store.sparql_worker`, which runs it for long queries where a time limit can stop
it. Only rdflib's SPARQL grammar and the error codes are imported (0.8 s, all of it the grammar).
"""

from __future__ import annotations

import re
import threading

from pyparsing import ParseBaseException, ParseResults
from rdflib.plugins.sparql.parser import Query, UpdateUnit
from rdflib.plugins.sparql.parserutils import CompValue

from metrokg.errors import MetrokgError

_LONE_CR = re.compile(r"\r\n?")
# pyparsing is not thread-safe (concurrent parses fail with TypeErrors inside rdflib's parse
# actions), and parsing holds the GIL anyway: one parse at a time loses nothing.
_PARSE_LOCK = threading.Lock()
_NEAR = 40  # characters of the query quoted after a syntax error's position


def check_read_only(query: str) -> None:
    """Raise E021 when the parsed query is an update or holds a SERVICE clause anywhere (subqueries,
    EXISTS, OPTIONAL, ...), E020 when it does not parse.

    Why a parser: a keyword filter reads text, and every place where it splits tokens otherwise
    than the engine (a comment it sees in ``ex:a\\#``, a digit before SERVICE) is a way around it
    (issue 13). rdflib's grammar is fed the text as Oxigraph reads it: without rdflib's own
    global ``\\u`` unescaping (Oxigraph unescapes only inside strings and IRIs, so ``\\u0022``
    would end a string for rdflib alone; such queries fail to parse here and are refused), and
    with CR ending a comment, as it does for Oxigraph. A few ms for a typical query.
    """
    text = _LONE_CR.sub("\n", query)
    try:
        with _PARSE_LOCK:
            parsed = Query.parse_string(text, parse_all=True)
    except (ParseBaseException, RecursionError, ValueError, TypeError) as err:
        keyword = _update_keyword(text)
        if keyword:
            raise MetrokgError("E021", keyword=keyword) from None
        raise MetrokgError("E020", reason=_syntax_reason(err, query)) from None
    if _has_service(parsed):
        raise MetrokgError("E021", keyword="SERVICE")


def _update_keyword(text: str) -> str | None:
    """The first operation of ``text`` read as a SPARQL update (``INSERT DATA``, ``DROP``...), else None."""
    try:
        with _PARSE_LOCK:
            update = UpdateUnit.parse_string(text, parse_all=True)[0]
    except (ParseBaseException, RecursionError, ValueError, TypeError):
        return None
    requests = dict.get(update, "request") or []
    if not requests:  # only a prologue or comments: no operation
        return None
    name = requests[0].name
    return "INSERT/DELETE" if name == "Modify" else re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).upper()


def _has_service(tree) -> bool:
    """Whether a parse tree holds a ServiceGraphPattern at any depth (iterative: trees nest deeply)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                return True
            stack.extend(dict.values(node))
        elif isinstance(node, (ParseResults, list, tuple)):
            stack.extend(node)
    return False


def _syntax_reason(err: Exception, query: str) -> str:
    """A one-line reason with line and column, never the parser's dump."""
    if isinstance(err, RecursionError):
        return ("it is nested too deeply to be checked (keep groups and parentheses under about 25 "
                "levels)")
    hint = " (write the character itself, not a \\u escape)" if re.search(r"\\[uU]", query) else ""
    if not isinstance(err, ParseBaseException):
        return f"{err}{hint}"
    near = err.line[err.col - 1:].strip()
    if err.loc >= len(err.pstr.rstrip()):
        where = "at the end of the query (something is missing)"
    elif near:
        where = f"near '{near[:_NEAR]}{'...' if len(near) > _NEAR else ''}'"
    else:
        where = "at the end of the line"
    return f"syntax error at line {err.lineno}, column {err.col}, {where}{hint}"
