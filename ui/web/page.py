"""The page: ten tabs, Chinese first, one language switch; every callback is one library call.

Each tab is built by ``build(state, ui)`` of its module in :mod:`metrokg.ui.web.tabs`; tab builders
register their components with :class:`~metrokg.ui.web.i18n.Labels` (for the language switch) and
put what other tabs need (the document viewer, the lists to refresh) into ``ui``.
"""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from metrokg import settings
from metrokg.errors import MetrokgError
from metrokg.kg.graph.uploads import received_file
from metrokg.ui.web import live
from metrokg.ui.web.callbacks import as_api_errors
from metrokg.ui.web.i18n import GRADIO_LOCALE_JS, Labels, t
from metrokg.ui.web.render import SCROLL_TO_CURRENT
from metrokg.ui.web.state import AppState, whole_number
from metrokg.ui.web.tabs import ask, compare, documents, export, gaps, graph, learn, obligations, search, sparql, targets
from metrokg.ui.web.tabs import penalties
from metrokg.ui.web.tabs._shared import UI
from metrokg.ui.web.tabs.documents import open_provision

TAB_IDS = ("search", "ask", "obligations", "penalties", "targets", "compare", "gaps", "graph", "documents", "sparql", "learn",
           "export")
BUILDERS = {"search": search.build, "ask": ask.build, "obligations": obligations.build, "targets": targets.build,
            "gaps": gaps.build, "graph": graph.build, "documents": documents.build, "sparql": sparql.build,
            "learn": learn.build, "export": export.build, "compare": compare.build,
            "penalties": penalties.build}
MAX_K = 100  # most hits /search and /ask return, as the page's "results" field allows


def header(lang: str) -> str:
    return f"## metrokg · {t('app.title', lang)}\n{t('app.intro', lang)}"


# ----------------------------------------------------------------------------- named API

def jsonable(value):
    """Library results as plain JSON values (sets, decimals and dates become lists, numbers, text)."""
    import json

    def default(x):
        if isinstance(x, (set, frozenset, tuple)):
            return sorted(x, key=str)
        return str(x)

    return json.loads(json.dumps(value, default=default, ensure_ascii=False))


def add_analysis_api(state: AppState) -> dict:
    """Named endpoints for the analyses (scriptable with gradio_client); returns them by name."""
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

    @as_api_errors
    def api_documents() -> list[dict]:
        """Every document in the store, as `metrokg documents --json` lists them (read afresh after each write)."""
        return jsonable(state.documents())

    endpoints = {"ask": api_ask, "obligations": api_obligations, "targets": api_targets, "gaps": api_gaps,
                 "documents": api_documents}
    for name, fn in endpoints.items():
        read_api(fn, name)
    return endpoints


def read_api(fn, name: str) -> None:
    """A read-only named endpoint: the read endpoints share one queue of which up to
    METROKG_WEB_READ_CONCURRENCY requests run at once against the shared read state (in arrival
    order, so a busy moment spreads evenly); writes have their own queue, one at a time."""
    gr.api(fn, api_name=name, concurrency_id="reads", concurrency_limit=settings.get("METROKG_WEB_READ_CONCURRENCY"))


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
                    BUILDERS[tab_id](state, ui)

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
            with state.page_lock:  # after a refresh of the lists begun before the switch (ui/web/live.py)
                return labels.updates(lang_value)

        def learn_page(lang_value):
            return learn.learn_page(state, lang_value)

        # The labels change at once; the Learn page (which searches the corpus) and the graph follow.
        demo.load(None, lang, None, js=GRADIO_LOCALE_JS)  # Gradio's own texts in the page's language
        switched = lang.change(switch, lang, labels.components, js=GRADIO_LOCALE_JS, api_visibility="private")
        switched.then(learn_page, lang, ui.learn, api_visibility="private")
        for fn, inputs, outputs in ui.lang_followers:  # what a tab draws again in the new language (the graph)
            switched.then(fn, inputs, outputs, api_visibility="private")
        tab_objects["learn"].select(learn_page, lang, ui.learn, api_visibility="private")

        @as_api_errors
        def api_search(query: str, k: int = 10, document: str = "", industry: str = "", quantity: str = "",
                       actor: str = "", modality: str = "", deadline_year: str = "", kind: str = "",
                       jurisdiction: str = "", issued: str = "") -> list[dict]:
            """Search provisions; returns hits with number, heading, text, offsets, score, sentence and the
            concepts that matched. Empty filters are ignored; kind, jurisdiction and issued filter by
            document as `metrokg search --kind --jurisdiction --issued` does."""
            given = {"industry": industry, "quantity": quantity, "actor": actor, "modality": modality,
                     "deadline_year": deadline_year, "kind": kind, "jurisdiction": jurisdiction, "issued": issued}
            extra = {name: whole_number(value, name, 1900, 2200) if name == "deadline_year" else value
                     for name, value in given.items() if value not in (None, "")}
            k_val = whole_number(k, "parameter 'k' of /search", 1, MAX_K)
            return jsonable(state.search(query, k_val, document or None, **extra))

        read_api(api_search, "search")
        # the same functions, without Gradio, for /api/NAME (ui/web/json_api.py)
        demo.read_endpoints = {name: fn.checked for name, fn in
                               {"search": api_search, **add_analysis_api(state)}.items()}
        add_ingest_api(state)
        live.wire(demo, state, ui, tab_objects)
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

    gr.api(api_ingest, api_name="ingest", concurrency_id="writes", concurrency_limit=1)


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
