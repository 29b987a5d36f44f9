"""The Export tab: the whole graph in an RDF format, and each table as CSV."""

from __future__ import annotations

import gradio as gr

from metrokg.ui.cli.output import render_csv
from metrokg.ui.web.callbacks import guarded
from metrokg.ui.web.i18n import t
from metrokg.ui.web.render import ok_html
from metrokg.ui.web.state import AppState
from metrokg.ui.web.tabs._shared import UI

GRAPH_FORMATS = (("Turtle", "ttl"), ("TriG", "trig"), ("JSON-LD", "jsonld"), ("N-Quads", "nq"))
GRAPH_SUFFIX = {"ttl": ".ttl", "trig": ".trig", "jsonld": ".jsonld", "nq": ".nq"}
TABLES = ("documents", "provisions", "obligations", "targets", "gaps")


def table_records(state: AppState, name: str) -> tuple[list[dict], list[str]]:
    """The rows and columns of one exportable table, from the library function the CLI lists it with."""
    if name == "provisions":
        return state.provisions(), ["document", "number", "heading", "text", "start", "end", "iri"]
    if name == "obligations":
        from metrokg.kg.analyses.obligations import COLUMNS

        return state.obligations(), list(COLUMNS)
    if name == "targets":
        from metrokg.kg.analyses.targets import COLUMNS

        return state.targets(), list(COLUMNS)
    if name == "gaps":
        from metrokg.kg.analyses.gaps import cell_rows

        return cell_rows(state.gaps()), ["rank", "industry", "column", "demand", "supply", "gap", "provisions",
                                         "specifications"]
    return state.documents(), ["id", "title", "issuer", "date", "provisions", "implements"]


def build(state: AppState, ui: UI) -> None:
    L = ui.labels
    tables = list(TABLES)
    L.add(gr.Markdown("### " + t("export.graph")), value=lambda lang: "### " + t("export.graph", lang))
    with gr.Row():
        fmt = L.add(gr.Radio(label=t("export.format"), choices=list(GRAPH_FORMATS), value="ttl",
                             elem_id="export-format"), label="export.format")
        go = L.add(gr.Button(t("export.graph_button"), variant="primary", elem_id="export-graph"),
                   value="export.graph_button")
    graph_file = L.add(gr.File(label=t("export.file"), interactive=False, height=90, elem_id="export-graph-file"),
                       label="export.file")
    L.add(gr.Markdown("### " + t("export.tables")), value=lambda lang: "### " + t("export.tables", lang))
    with gr.Row():
        table = L.add(gr.Radio(label=t("export.table"), elem_id="export-table",
                               choices=[(t("table." + n), n) for n in tables], value="documents"),
                      label="export.table", choices=lambda lang: [(t("table." + n, lang), n) for n in tables])
        go_table = L.add(gr.Button(t("export.table_button"), elem_id="export-table-button"),
                         value="export.table_button")
    table_file = L.add(gr.File(label=t("export.file"), interactive=False, height=90, elem_id="export-table-file"),
                       label="export.file")
    status = gr.HTML(elem_id="export-status")

    @guarded(2, 0, lang_arg=1)
    def do_graph(name, lang):
        data = state.export_graph(name)
        path = state.download_path("graph", GRAPH_SUFFIX[name])
        path.write_bytes(data)
        return ok_html(t("export.done", lang, name=path.name, size=len(data))), str(path)

    @guarded(2, 0, lang_arg=1)
    def do_table(name, lang):
        records, columns = table_records(state, name)
        path = state.download_path(name, ".csv")
        path.write_text(render_csv(records, columns), encoding="utf-8-sig")  # BOM: spreadsheets read the Chinese
        return ok_html(t("export.done", lang, name=path.name, size=path.stat().st_size)), str(path)

    go.click(do_graph, [fmt, ui.lang], [status, graph_file], api_visibility="private")
    go_table.click(do_table, [table, ui.lang], [status, table_file], api_visibility="private")
