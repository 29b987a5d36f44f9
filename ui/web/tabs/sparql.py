"""The SPARQL tab: example queries, a query box, the results table and its CSV."""

from __future__ import annotations

import time

import gradio as gr

from metrokg.ontology.namespace import MKG_PREFIX
from metrokg.ui.cli.output import render_csv
from metrokg.ui.web.callbacks import guarded
from metrokg.ui.web.i18n import t
from metrokg.ui.web.render import ok_html
from metrokg.ui.web.state import AppState, whole_number
from metrokg.ui.web.tabs._shared import UI

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
        columns, records, truncated = state.sparql(text, row_limit=limit, timeout_s=secs)
        elapsed = time.perf_counter() - started
        path = state.download_path("sparql-results", ".csv")
        path.write_text(render_csv(records, columns), encoding="utf-8")
        msg = t("sparql.status", lang, n=len(records), s=elapsed)
        if truncated:
            msg += t("sparql.truncated", lang, limit=limit)
        value = {"headers": columns, "data": [[r[c] for c in columns] for r in records]}
        return ok_html(msg), gr.update(value=value), str(path)

    run.click(do_run, [query, rows, timeout, ui.lang], [status, table, download], api_visibility="private")
