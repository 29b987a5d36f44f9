"""The SPARQL tab: example queries, a query box, the results table and its CSV."""

from __future__ import annotations

import re
import time

import gradio as gr

from metrokg.errors import MetrokgError
from metrokg.ontology.namespace import MKG_PREFIX
from metrokg.ui.cli.output import render_csv
from metrokg.ui.web.callbacks import guarded
from metrokg.ui.web.i18n import t
from metrokg.ui.web.render import ok_html
from metrokg.ui.web.state import AppState, whole_number
from metrokg.ui.web.tabs._shared import UI

_OX_POSITION = re.compile(r"^error at (\d+):(\d+): (.*)$", re.S)
_PREFIXED = re.compile(r"(?<![\w<\"'#?$:])([A-Za-z][\w-]*):[A-Za-z_]")
_NEAR = 30
_MAX_EXPECTED = 80  # a longer "expected ..." is the parser's character classes, no help to a reader
_CHECKED = re.compile(r"^syntax error at line (\d+), column (\d+), (?:near '(.*)'|(at the end of the query)[^,]*?"
                      r"|at the end of the line)( \(write the character itself, not a \\u escape\))?$", re.S)

MAX_ROWS = 10000
MAX_TIMEOUT_S = 60

SPARQL_EXAMPLES = {
    "documents": MKG_PREFIX + """
SELECT ?id ?title ?issued WHERE {
  ?d a mkg:Document ; mkg:documentId ?id ; mkg:title ?title .
  OPTIONAL { ?d mkg:issued ?issued }
} ORDER BY ?id""",
    "provisions": MKG_PREFIX + """
SELECT ?number ?heading WHERE {
  ?p a mkg:Provision ; mkg:number ?number ; mkg:heading ?heading ; mkg:text ?text .
  FILTER(CONTAINS(?text, "计量"))
} ORDER BY ?number LIMIT 50""",
    "graphs": """SELECT ?g (COUNT(*) AS ?triples) WHERE {
  GRAPH ?g { ?s ?p ?o }
} GROUP BY ?g ORDER BY DESC(?triples)""",
    "units": MKG_PREFIX + """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?unit ?zh ?en ?symbol WHERE {
  ?unit a mkg:Unit ; skos:prefLabel ?zh .
  FILTER(LANG(?zh) = "zh")
  OPTIONAL { ?unit skos:prefLabel ?en FILTER(LANG(?en) = "en") }
  OPTIONAL { ?unit mkg:symbol ?symbol }
} ORDER BY ?zh LIMIT 100""",
    "targets": MKG_PREFIX + """
SELECT ?number ?indicator ?comparator ?value ?unitText ?year WHERE {
  ?t a mkg:QuantitativeTarget ; mkg:inProvision ?p ; mkg:indicator ?indicator ; mkg:value ?value .
  ?p mkg:number ?number .
  OPTIONAL { ?t mkg:comparator ?comparator }
  OPTIONAL { ?t mkg:unitText ?unitText }
  OPTIONAL { ?t mkg:deadlineYear ?year }
} ORDER BY ?number""",
}
EXAMPLE_LABELS = {
    "documents": ("文件及其标题", "Documents and their titles"),
    "provisions": ("含“计量”的条款", "Provisions that mention 计量"),
    "graphs": ("各命名图的三元组数", "Triples per named graph"),
    "units": ("词表中的计量单位", "Units in the vocabulary"),
    "targets": ("量化目标", "Quantitative targets"),
}


def readable_reason(query: str, reason: str, lang: str = "en") -> str:
    """Oxigraph's ``error at 1:27: expected OPTIONAL`` as line, column, the text there and, when the
    query uses a prefix it does not declare, which one to declare; in ``lang``."""
    m = _OX_POSITION.match(reason.strip())
    checked = _CHECKED.match(reason.strip()) if lang == "zh" else None
    if checked:  # the store's own check (kg/store/sparql_check.py) words it in English: say it again in zh
        line, col, near, end_of_query, hint = checked.groups()
        where = (t("sparql.near", lang, text=near) if near is not None
                 else t("sparql.query_end" if end_of_query else "sparql.line_end", lang))
        reason = t("sparql.syntax", lang, line=line, col=col, where=where) + (t("sparql.escape", lang) if hint else "")
    elif m:
        line, col, expected = int(m.group(1)), int(m.group(2)), m.group(3).strip()
        if "Prefix not found" in expected or len(expected) > _MAX_EXPECTED:
            expected = ""  # the parser's list of every character it could take: the prefix note says it
        if lang == "zh":
            expected = re.sub(r"^expected\b", "应为", expected)
        lines = query.splitlines() or [""]
        near = lines[line - 1][max(col - 1, 0):].strip() if 0 < line <= len(lines) else ""
        where = (t("sparql.near", lang, text=near[:_NEAR] + ("..." if len(near) > _NEAR else "")) if near
                 else t("sparql.line_end", lang))
        reason = t("sparql.syntax", lang, line=line, col=col, where=where)
        reason += (f"（{expected}）" if lang == "zh" else f" ({expected})") if expected else ""
    declared = {d.lower() for d in re.findall(r"PREFIX\s+([\w-]*):", query, re.I)}
    stripped = re.sub(r"<[^>]*>|\"[^\"]*\"|'[^']*'", "", query)
    undeclared = sorted({p for p in _PREFIXED.findall(stripped) if p.lower() not in declared
                         and p.upper() != "PREFIX" and not p.lower().startswith(("http", "urn"))})
    if undeclared:
        reason += t("sparql.undeclared", lang, prefixes=", ".join(f"{p}:" for p in undeclared), first=undeclared[0])
    return reason


def build(state: AppState, ui: UI) -> None:
    L = ui.labels
    example_choices = lambda lang: [(en if lang == "en" else zh, key)  # noqa: E731
                                    for key, (zh, en) in EXAMPLE_LABELS.items()]
    examples = L.add(gr.Dropdown(label=t("sparql.examples"), elem_id="sparql-examples", choices=example_choices("zh")),
                     label="sparql.examples", choices=example_choices)
    query = L.add(gr.Code(value=SPARQL_EXAMPLES["documents"], language="sql", label=t("sparql.query"),
                          lines=8, elem_id="sparql-query", interactive=True), label="sparql.query")
    with gr.Row():
        rows = L.add(gr.Number(label=t("sparql.rows"), value=1000, precision=0, minimum=1, maximum=MAX_ROWS,
                               elem_id="sparql-rows"), label="sparql.rows")
        timeout = L.add(gr.Number(label=t("sparql.timeout"), value=10, precision=0, minimum=1,
                                  maximum=MAX_TIMEOUT_S, elem_id="sparql-timeout"), label="sparql.timeout")
        run = L.add(gr.Button(t("sparql.run"), variant="primary", elem_id="sparql-run"), value="sparql.run")
    status = gr.HTML(elem_id="sparql-status")
    table = L.add(gr.Dataframe(label=t("sparql.results"), interactive=False, wrap=True, elem_id="sparql-table",
                               max_height=520), label="sparql.results")
    download = L.add(gr.File(label=t("sparql.download"), interactive=False, height=90, elem_id="sparql-download"),
                     label="sparql.download")
    L.add(gr.Markdown(t("sparql.endpoint", url="/sparql")), value=lambda lang: t("sparql.endpoint", lang, url="/sparql"))

    examples.change(lambda key: SPARQL_EXAMPLES.get(key) or gr.update(), examples, query, api_visibility="private")

    @guarded(3, 0, lang_arg=3)
    def do_run(text, n_rows, seconds, lang):
        limit = whole_number(n_rows, t("sparql.rows", lang), 1, MAX_ROWS)
        secs = whole_number(seconds, t("sparql.timeout", lang), 1, MAX_TIMEOUT_S)
        started = time.perf_counter()
        try:
            columns, records, truncated = state.sparql(text, row_limit=limit, timeout_s=secs)
        except MetrokgError as err:
            if err.code != "E020":
                raise
            raise MetrokgError("E020", reason=readable_reason(text or "", str(err.fields.get("reason", "")), lang)) from None
        elapsed = time.perf_counter() - started
        path = state.download_path("sparql-results", ".csv")
        path.write_text(render_csv(records, columns), encoding="utf-8")
        msg = t("sparql.status", lang, n=len(records), s=elapsed)
        if truncated:
            msg += t("sparql.truncated", lang, limit=limit)
        value = {"headers": columns, "data": [[r[c] for c in columns] for r in records]}
        return ok_html(msg), gr.update(value=value), str(path)

    def clear():
        """Results of an earlier query never stand under the error of this one."""
        return "", gr.update(value=None), None

    run.click(clear, None, [status, table, download], api_visibility="private").then(
        do_run, [query, rows, timeout, ui.lang], [status, table, download], api_visibility="private")
