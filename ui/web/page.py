"""The page: ten tabs, Chinese first, one language switch; every callback is one library call.

Tab builders register their components with :class:`Labels` (for the language switch) and
put what other tabs need (the document viewer, the lists to refresh) into ``ui``.
"""

from __future__ import annotations

import html

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import gradio as gr

from metrokg.errors import MetrokgError
from metrokg.kg.graph.uploads import received_file
from metrokg.ui.web import learn
from metrokg.ui.cli.output import render_csv
from metrokg.ui.web.callbacks import as_api_errors, guarded
from metrokg.ui.web.i18n import Labels, t
from metrokg.ui.web.render import (OPEN_JS, SCROLL_JS, SCROLL_TO_CURRENT, document_html, hits_html, learn_html,
                                   note_html, ok_html, preview_html, tree_html)
from metrokg.ui.web import views
from metrokg.ui.web.state import FACETS, AppState, whole_number
from metrokg.ontology.namespace import MKG_PREFIX
from metrokg.terms import MODALITIES

log = logging.getLogger("metrokg.web")
TAB_IDS = ("search", "ask", "obligations", "targets", "gaps", "graph", "documents", "sparql", "learn", "export")
MAX_ROWS = 10000
MAX_K = 100  # most hits /search and /ask return, as the page's "results" field allows
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
GRAPH_FORMATS = (("Turtle", "ttl"), ("TriG", "trig"), ("JSON-LD", "jsonld"), ("N-Quads", "nq"))
GRAPH_SUFFIX = {"ttl": ".ttl", "trig": ".trig", "jsonld": ".jsonld", "nq": ".nq"}
TABLES = ("documents", "provisions", "obligations", "targets", "gaps")


@dataclass
class UI:
    """Components shared between tabs."""

    labels: Labels
    lang: gr.Radio
    tabs: gr.Tabs | None = None
    doc_filter: gr.Dropdown | None = None
    doc_select: gr.Dropdown | None = None
    doc_tree: gr.HTML | None = None
    doc_view: gr.HTML | None = None
    learn: gr.HTML | None = None
    openers: list = field(default_factory=list)  # HTML components whose [data-num] clicks open a provision
    doc_filters: list = field(default_factory=list)  # "all documents" + documents dropdowns
    tab_loaders: dict = field(default_factory=dict)  # tab id -> (fn, inputs, outputs) run when the tab opens
    row_openers: list = field(default_factory=list)  # (Dataframe, State of [document, number] per row)
    doc_current: gr.State | None = None
    open_js: str = OPEN_JS


def _doc_choices(state: AppState) -> list[tuple[str, str]]:
    return [(f"{d['title']} ({d['id']})", d["id"]) for d in state.documents()]


def _doc_table(state: AppState, lang: str) -> dict:
    """The document list as a table value (headers in ``lang``)."""
    return {"headers": [t(f"docs.col.{c}", lang) for c in ("id", "title", "issuer", "date", "provisions")],
            "data": [[d["id"], d["title"], d["issuer"] or "", d["date"] or "", d["provisions"]]
                     for d in state.documents()]}


def header(lang: str) -> str:
    return f"## metrokg · {t('app.title', lang)}\n{t('app.intro', lang)}"


# ----------------------------------------------------------------------------- Search

def search_tab(state: AppState, ui: UI) -> None:
    L = ui.labels
    facets = FACETS
    with gr.Row():
        query = L.add(gr.Textbox(label=t("search.query"), placeholder=t("search.placeholder"), scale=4,
                                 elem_id="search-box"), label="search.query", placeholder="search.placeholder")
        k = L.add(gr.Number(label=t("search.k"), value=10, precision=0, minimum=1, maximum=100, scale=1,
                            elem_id="search-k"), label="search.k")
        doc_filter = L.add(gr.Dropdown(label=t("search.document"), choices=[(t("all"), "")] + _doc_choices(state),
                                       value="", scale=2, elem_id="search-document"), label="search.document",
                           choices=lambda lang: [(t("all", lang), "")] + _doc_choices(state))
    facet_boxes = []
    with gr.Row():
        for name in facets:
            if name == "modality":
                choices = lambda lang: [(t("all", lang), "")] + [(t(f"mod.{m}", lang), m) for m in MODALITIES]  # noqa: E731
                box = L.add(gr.Dropdown(label=t("search.modality"), choices=choices("zh"), value="",
                                        elem_id="search-modality"), label="search.modality", choices=choices)
            elif name == "deadline_year":
                box = L.add(gr.Textbox(label=t("search.deadline_year"), placeholder="2025",
                                       elem_id="search-deadline_year"), label="search.deadline_year")
            else:
                box = L.add(gr.Textbox(label=t(f"search.{name}"), elem_id=f"search-{name}"), label=f"search.{name}")
            facet_boxes.append(box)
    go = L.add(gr.Button(t("search.button"), variant="primary", elem_id="search-button"), value="search.button")
    status = gr.HTML(elem_id="search-status")
    results = gr.HTML(elem_id="search-results", js_on_load=OPEN_JS)
    ui.doc_filter = doc_filter
    ui.openers.append(results)

    @guarded(2, 0, lang_arg=3)
    def do_search(q, n, document, lang, *facet_values):
        k_val = whole_number(n if n not in (None, "") else 10, t("search.k", lang), 1, 100)
        extra = {name: (None if v in (None, "") else
                        (whole_number(v, t("search.deadline_year", lang), 1900, 2200) if name == "deadline_year" else v))
                 for name, v in zip(facets, facet_values)}
        hits, notices = state.search_with_notices(q, k_val, document or None, **extra)
        status_html = "".join(f'<p class="mk-notice">{html.escape(n)}</p>' for n in notices)
        return status_html, hits_html(hits, lang)

    inputs = [query, k, doc_filter, ui.lang, *facet_boxes]
    go.click(do_search, inputs, [status, results], api_visibility="private")
    query.submit(do_search, inputs, [status, results], api_visibility="private")


# ----------------------------------------------------------------------------- Documents

def documents_tab(state: AppState, ui: UI) -> None:
    L = ui.labels
    with gr.Row():
        with gr.Column(scale=1, min_width=260):
            choices = _doc_choices(state)
            select = L.add(gr.Dropdown(label=t("docs.select"), choices=choices, elem_id="doc-select",
                                       value=choices[0][1] if choices else None), label="docs.select")
            L.add(gr.Markdown("**" + t("docs.tree") + "**"), value=lambda lang: "**" + t("docs.tree", lang) + "**")
            tree = gr.HTML(elem_id="doc-tree", js_on_load=OPEN_JS)
        with gr.Column(scale=2):
            L.add(gr.Markdown("**" + t("docs.text") + "**"), value=lambda lang: "**" + t("docs.text", lang) + "**")
            view = gr.HTML(note_html(t("docs.choose")), elem_id="doc-view", js_on_load=OPEN_JS + SCROLL_JS)
    status = gr.HTML(elem_id="doc-status")
    with L.add(gr.Accordion(t("docs.list"), open=True), label="docs.list"):
        table = L.add(gr.Dataframe(value=_doc_table(state, "zh"), interactive=False, elem_id="doc-table",
                                   wrap=True), value=lambda lang: _doc_table(state, lang))
    with L.add(gr.Accordion(t("docs.upload"), open=False, elem_id="upload-accordion"), label="docs.upload"):
        upload = L.add(gr.File(label=t("docs.upload_file"), type="filepath", elem_id="upload-file",
                               file_types=[".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".pdf"]),
                       label="docs.upload_file")
        with gr.Row():
            preview_btn = L.add(gr.Button(t("docs.preview_button"), elem_id="preview-button"),
                                value="docs.preview_button")
            add_btn = L.add(gr.Button(t("docs.add_button"), variant="primary", elem_id="add-button"),
                            value="docs.add_button")
        replace_box = L.add(gr.Checkbox(label=t("docs.replace"), value=False, elem_id="upload-replace"),
                            label="docs.replace")
        upload_status = gr.HTML(elem_id="upload-status")
        preview = gr.HTML(elem_id="upload-preview")
        token = gr.State("")
    with L.add(gr.Accordion(t("docs.remove"), open=False, elem_id="remove-accordion"), label="docs.remove"):
        with gr.Row():
            remove_select = L.add(gr.Dropdown(label=t("docs.select"), choices=_doc_choices(state),
                                              elem_id="remove-select", scale=3), label="docs.select")
            remove_btn = L.add(gr.Button(t("docs.remove_button"), variant="stop", elem_id="remove-button",
                                         scale=1), value="docs.remove_button")
        with gr.Row(visible=False) as confirm_row:
            confirm_text = gr.HTML()
            confirm_btn = L.add(gr.Button(t("docs.remove_confirm"), variant="stop", elem_id="remove-confirm"),
                                value="docs.remove_confirm")
            cancel_btn = L.add(gr.Button(t("docs.remove_cancel"), elem_id="remove-cancel"), value="docs.remove_cancel")
        remove_status = gr.HTML(elem_id="remove-status")

    ui.doc_select, ui.doc_tree, ui.doc_view = select, tree, view
    ui.openers += [tree, view]

    current = gr.State(["", ""])  # [document, provision] last opened, kept highlighted on every re-render

    @guarded(3, 0)
    def show(doc_id, opened=None):
        if not doc_id:
            return "", "", note_html(t("docs.choose"))
        provisions = state.provisions(doc_id)
        number = opened[1] if opened and opened[0] == doc_id else None
        return "", tree_html(provisions, number), document_html(provisions, number)

    select.change(show, [select, current], [status, tree, view], api_visibility="private")
    ui.tab_loaders["documents"] = (show, [select, current], [status, tree, view])
    ui.doc_current = current

    def refreshed_lists(lang: str, keep: str | None = None):
        choices = _doc_choices(state)
        ids = {c[1] for c in choices}
        return (gr.update(value=_doc_table(state, lang)),
                gr.update(choices=[(t("all", lang), "")] + choices),
                gr.update(choices=choices, value=keep if keep in ids else None),
                gr.update(choices=choices, value=None)) + tuple(
                    gr.update(choices=[(t("all", lang), "")] + choices) for _ in ui.doc_filters)

    lists = [table, ui.doc_filter, select, remove_select] + ui.doc_filters
    n_lists = len(lists)

    @guarded(3, 0, lang_arg=1)
    def do_preview(path, lang, progress=gr.Progress()):
        if not path:
            return note_html(t("docs.no_upload", lang)), "", ""
        progress(0.05, desc=t("progress.read", lang))
        steps = {"read": "progress.read", "parse": "progress.parse", "extract": "progress.extract"}
        tok, result = state.preview_upload(path, step=lambda s, f: progress(f, desc=t(steps.get(s, "progress.parse"),
                                                                                      lang)))
        progress(1.0)
        return "", preview_html(result, lang), tok

    preview_btn.click(do_preview, [upload, ui.lang], [upload_status, preview, token], api_visibility="private")

    @guarded(3 + n_lists, 0, lang_arg=2)
    def do_add(tok, replace, lang, progress=gr.Progress()):
        if not tok:
            return (note_html(t("docs.preview_first", lang)),) + (gr.update(),) * (2 + n_lists)
        steps = {"parse": "progress.parse", "write": "progress.write"}
        progress(0.05, desc=t("progress.parse", lang))
        res = state.add_upload(tok, replace=bool(replace),
                               step=lambda s, f: progress(f, desc=t(steps.get(s, "progress.write"), lang)))
        progress(1.0)
        msg = ok_html(t("docs.added", lang, title=res.title, id=res.id, status=res.status, n=res.provisions,
                        facts=res.facts))
        return (msg, "", "") + refreshed_lists(lang)

    add_btn.click(do_add, [token, replace_box, ui.lang], [upload_status, preview, token] + lists,
                  api_visibility="private")

    @guarded(3, 0, lang_arg=1)
    def ask_remove(doc_id, lang):
        if not doc_id:
            return note_html(t("docs.choose", lang)), gr.update(visible=False), ""
        return "", gr.update(visible=True), note_html(t("docs.remove_ask", lang, doc=doc_id))

    remove_btn.click(ask_remove, [remove_select, ui.lang], [remove_status, confirm_row, confirm_text],
                     api_visibility="private")
    cancel_btn.click(lambda: gr.update(visible=False), None, confirm_row, api_visibility="private")

    @guarded(2 + n_lists, 0, lang_arg=2)
    def do_remove(doc_id, current, lang):
        if not doc_id:
            return (note_html(t("docs.choose", lang)), gr.update(visible=False)) + (gr.update(),) * n_lists
        state.remove_document(doc_id)
        keep = current if current != doc_id else None
        return (ok_html(t("docs.removed", lang, doc=doc_id)), gr.update(visible=False)) + refreshed_lists(lang, keep)

    confirm_btn.click(do_remove, [remove_select, select, ui.lang], [remove_status, confirm_row] + lists,
                      api_visibility="private")


def open_provision(state: AppState, doc_id: str, number: str, lang: str = "zh"):
    """Outputs that show provision ``number`` of ``doc_id`` in the Documents tab, highlighted."""
    provisions = state.provisions(doc_id)
    return (gr.Tabs(selected="documents"), gr.update(value=doc_id), tree_html(provisions, number),
            document_html(provisions, number), [doc_id, number])


# ----------------------------------------------------------------------------- SPARQL

def sparql_tab(state: AppState, ui: UI) -> None:
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


# ----------------------------------------------------------------------------- Export

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


def export_tab(state: AppState, ui: UI) -> None:
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


# ----------------------------------------------------------------------------- Learn

def learn_tab(state: AppState, ui: UI) -> None:
    ui.learn = gr.HTML(elem_id="learn", js_on_load=OPEN_JS)
    ui.openers.append(ui.learn)


def render_learn(state: AppState, lang: str) -> str:
    return learn_html(learn.TOPICS, state.related(learn.TOPICS), lang)


# ----------------------------------------------------------------------------- named API

def jsonable(value):
    """Library results as plain JSON values (sets, decimals and dates become lists, numbers, text)."""
    import json

    def default(x):
        if isinstance(x, (set, frozenset, tuple)):
            return sorted(x, key=str)
        return str(x)

    return json.loads(json.dumps(value, default=default, ensure_ascii=False))


def add_analysis_api(state: AppState) -> None:
    """Named endpoints for the analyses (scriptable with gradio_client)."""
    @as_api_errors
    def api_ask(question: str, k: int = 10) -> dict:
        """Answer a question from the graph: answers with citations, and the SPARQL with its bindings."""
        return jsonable(state.ask(question, k=whole_number(k, "parameter 'k' of /ask", 1, MAX_K)))

    @as_api_errors
    def api_obligations(actor: str = "", modality: str = "", deadline: int | None = None, document: str = "",
                        industry: str = "", role: str = "") -> list[dict]:
        """The obligations register, filtered like `metrokg obligations` (empty text = no filter)."""
        return jsonable(state.obligations(actor=actor or None, modality=modality or None, deadline=deadline,
                                          document=document or None, industry=industry or None, role=role or None))

    @as_api_errors
    def api_targets(document: str = "") -> list[dict]:
        """Every quantitative target with its latest progress, share achieved and status."""
        return jsonable(state.targets(document or None))

    @as_api_errors
    def api_gaps(by: str = "quantity", document: str = "") -> dict:
        """The specification-gap map: ranked industry × column cells with provisions and specifications."""
        return jsonable(state.gaps(by=by or "quantity", document=document or None))

    for fn, name in ((api_ask, "ask"), (api_obligations, "obligations"), (api_targets, "targets"), (api_gaps, "gaps")):
        gr.api(fn, api_name=name)


# ----------------------------------------------------------------------------- the page

def build_page(state: AppState) -> gr.Blocks:
    """Every tab, the language switch and the named API endpoints."""
    labels = Labels()
    with UploadGuardedBlocks(title="metrokg 计量知识图谱与法规助手") as demo:
        demo.received = state.received
        with gr.Row(equal_height=True):
            with gr.Column(scale=5):
                labels.add(gr.Markdown(header("zh"), elem_id="app-header"), value=header)
            with gr.Column(scale=1, min_width=180):
                lang = gr.Radio(choices=[("中文", "zh"), ("English", "en")], value="zh", label="语言 Language",
                                elem_id="lang-switch")
        ui = UI(labels=labels, lang=lang)
        tab_objects: dict[str, gr.Tab] = {}
        with gr.Tabs(elem_id="tabs") as tabs:
            ui.tabs = tabs
            for tab_id in TAB_IDS:
                tab = labels.add(gr.Tab(t(f"tab.{tab_id}"), id=tab_id, elem_id=f"tab-{tab_id}"),
                                 label=f"tab.{tab_id}")
                tab_objects[tab_id] = tab
                with tab:
                    if tab_id == "search":
                        search_tab(state, ui)
                    elif tab_id == "obligations":
                        views.obligations_tab(state, ui, lambda: _doc_choices(state))
                    elif tab_id == "targets":
                        views.targets_tab(state, ui)
                    elif tab_id == "gaps":
                        views.gaps_tab(state, ui, lambda: _doc_choices(state))
                    elif tab_id == "graph":
                        views.graph_tab(state, ui)
                    elif tab_id == "documents":
                        documents_tab(state, ui)
                    elif tab_id == "sparql":
                        sparql_tab(state, ui)
                    elif tab_id == "learn":
                        learn_tab(state, ui)
                    elif tab_id == "export":
                        export_tab(state, ui)
                    elif tab_id == "ask":
                        views.ask_tab(state, ui)

        # A click on a provision anywhere opens it in the Documents tab.
        opened = [tabs, ui.doc_select, ui.doc_tree, ui.doc_view, ui.doc_current]

        def on_open(lang_value, evt: gr.EventData):
            data = getattr(evt, "_data", None) or {}
            doc_id, number = data.get("doc") or "", data.get("num") or ""
            if not number:
                return (gr.update(),) * 5
            if not doc_id:
                return (gr.update(),) * 5
            try:
                return open_provision(state, doc_id, number, lang_value)
            except Exception:  # noqa: BLE001 - keep the page usable; the tab shows the document list
                return (gr.update(),) * 5

        for comp in ui.openers:
            comp.click(on_open, [lang], opened, api_visibility="private").then(
                None, None, None, js=SCROLL_TO_CURRENT)

        def on_row(rows, lang_value, evt: gr.SelectData):
            index = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
            if not rows or index is None or not 0 <= index < len(rows):
                return (gr.update(),) * 5
            try:
                return open_provision(state, rows[index][0], rows[index][1], lang_value)
            except Exception:  # noqa: BLE001
                return (gr.update(),) * 5

        for table, rows_state in ui.row_openers:
            table.select(on_row, [rows_state, lang], opened, api_visibility="private").then(
                None, None, None, js=SCROLL_TO_CURRENT)
        for tab_id, (fn, inputs, outputs) in ui.tab_loaders.items():
            tab_objects[tab_id].select(fn, inputs, outputs, api_visibility="private")

        def switch(lang_value):
            return labels.updates(lang_value)

        def learn_page(lang_value):
            try:
                return render_learn(state, lang_value)
            except Exception:  # noqa: BLE001 - the texts still show; only the related provisions are missing
                log.exception("learn page failed")
                return learn_html(learn.TOPICS, {}, lang_value)

        # The labels change at once; the Learn page (which searches the corpus) follows.
        lang.change(switch, lang, labels.components, api_visibility="private").then(
            learn_page, lang, ui.learn, api_visibility="private")
        tab_objects["learn"].select(learn_page, lang, ui.learn, api_visibility="private")

        @as_api_errors
        def api_search(query: str, k: int = 10, document: str = "", industry: str = "", quantity: str = "",
                       actor: str = "", modality: str = "", deadline_year: str = "") -> list[dict]:
            """Search provisions; returns hits with number, heading, text, offsets, score, sentence and the
            concepts that matched. Empty filters are ignored."""
            given = {"industry": industry, "quantity": quantity, "actor": actor, "modality": modality,
                     "deadline_year": deadline_year}
            extra = {name: whole_number(value, name, 1900, 2200) if name == "deadline_year" else value
                     for name, value in given.items() if value not in (None, "")}
            k_val = whole_number(k, "parameter 'k' of /search", 1, MAX_K)
            return jsonable(state.search(query, k_val, document or None, **extra))

        gr.api(api_search, api_name="search")
        add_analysis_api(state)
        add_ingest_api(state)
    return demo


def add_ingest_api(state: AppState) -> None:
    """``/ingest``: add one uploaded document to the graph (for scripts; the Documents tab previews first).

    The document must come as an upload (gradio_client's ``handle_file``); a path on the server
    is refused (E257), so no file the server can read is ingested. It is read by content with the
    upload size limit; it replaces a document with the same id only with ``replace=True`` (E260).
    The write is one transaction, so concurrent readers see the document either not at all or complete.
    """
    @as_api_errors
    def api_ingest(file: dict | str, replace: bool = False) -> dict:
        """Add one document (.txt .md .html .docx .pdf) sent with handle_file(PATH); replace=True replaces a
        document with the same id. Returns id, title, status, provisions, facts, warnings."""
        path = file.get("path") if isinstance(file, dict) else file
        if not path:
            raise MetrokgError("E041")
        return jsonable(state.ingest_upload(path, replace).__dict__)

    gr.api(api_ingest, api_name="ingest")


class UploadGuardedBlocks(gr.Blocks):
    """Blocks that refuse a request naming a file outside the server's upload folder.

    Gradio copies every file value of a request (``{"path": ..., "meta": FileData}``, in any
    input, even a text field) into its cache before any callback runs; mounted with
    ``mount_gradio_app`` it does not check where the path points, so ``/etc/os-release`` or a
    26 MB file would be copied and then served. This check runs first and answers E257/E258.
    """

    received: Path | None = None

    async def preprocess_data(self, block_fn, inputs, *args, **kwargs):
        from gradio_client.utils import is_file_obj_with_meta, traverse

        def check(value: dict) -> dict:
            received_file(value["path"], self.received)
            return value

        if self.received is not None:
            try:
                traverse(inputs, check, is_file_obj_with_meta)
            except MetrokgError as err:
                raise gr.Error(str(err)) from None
        return await super().preprocess_data(block_fn, inputs, *args, **kwargs)
