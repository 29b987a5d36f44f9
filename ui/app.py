"""The Gradio web app: a thin layer over the library (every callback calls a kg function).

Imported only by ``metrokg serve``: gradio takes seconds to import.
"""

from __future__ import annotations

import html
import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402

from metrokg.errors import MetrokgError  # noqa: E402
from metrokg.kg.listing import list_documents, list_provisions  # noqa: E402
from metrokg.kg.search import SearchIndex  # noqa: E402
from metrokg.kg.store import Store  # noqa: E402

CSS = """
.mk-hit {border-bottom: 1px solid #ddd; padding: 8px 0;}
.mk-hit .mk-num {font-weight: bold; color: #1f4e79; margin-right: .5em;}
.mk-hit mark {background: #ffe58a;}
.mk-meta {color: #666; font-size: 90%;}
.mk-tree li {margin: 2px 0;}
"""


def as_gradio_errors(fn):
    """API functions raise gr.Error for user mistakes: clients see the coded message, not a trace."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except MetrokgError as err:
            raise gr.Error(str(err)) from None
    return wrapper


def _error_html(err: Exception) -> str:
    return f"<div class='mk-error' role='alert'>⚠ {html.escape(str(err))}</div>"


def highlight(text: str, start: int, end: int, base: int) -> str:
    """Provision text as HTML with the matched sentence (document offsets) marked."""
    s, e = max(0, start - base), max(0, end - base)
    if not (0 <= s < e <= len(text)):
        return html.escape(text)
    return html.escape(text[:s]) + "<mark>" + html.escape(text[s:e]) + "</mark>" + html.escape(text[e:])


def hits_html(hits: list[dict]) -> str:
    """Search hits as readable HTML: number, heading, the provision with its best sentence marked."""
    if not hits:
        return "<p>没有找到相关条款 No matching provisions.</p>"
    parts = []
    for h in hits:
        sent = h.get("sentence") or {}
        body = highlight(h["text"], sent.get("start", -1), sent.get("end", -1), h["start"])
        parts.append(
            f"<div class='mk-hit'><span class='mk-num'>{html.escape(h['number'])}</span>"
            f"<b>{html.escape(h['heading'])}</b> <span class='mk-meta'>{html.escape(h['document'])}"
            f" · {h['score']:.3f}</span><div>{body}</div></div>")
    return "\n".join(parts)


def tree_html(provisions: list[dict]) -> str:
    """A document's structure as a nested list of numbered headings."""
    if not provisions:
        return "<p>(empty)</p>"
    items = []
    for p in provisions:
        depth = p["number"].count(".")
        items.append(f"<li style='margin-left:{depth * 1.5}em'><b>{html.escape(p['number'])}</b> "
                     f"{html.escape(p['heading'])}</li>")
    return "<ul class='mk-tree'>" + "".join(items) + "</ul>"


class AppState:
    """The library objects the callbacks share: one open store for the process."""

    def __init__(self, store: Store):
        self.store = store

    def search(self, query: str, k: int = 10, document: str | None = None) -> list[dict]:
        index = SearchIndex.open(self.store)
        return [h.public() for h in index.search(query, k=int(k), document=document or None)]

    def documents(self) -> list[dict]:
        return list_documents(self.store)

    def provisions(self, document: str) -> list[dict]:
        return list_provisions(self.store, document)


def create_app(store: Store) -> gr.Blocks:
    """The web app over an open store."""
    state = AppState(store)

    def do_search(query: str, k: float, document: str | None):
        try:
            hits = state.search(query, int(k or 10), document)
            return hits_html(hits)
        except MetrokgError as err:
            return _error_html(err)

    def doc_choices():
        return [(f"{d['title']} ({d['id']})", d["id"]) for d in state.documents()]

    def show_document(doc_id: str | None):
        if not doc_id:
            return "<p>请选择文件 Choose a document.</p>"
        try:
            return tree_html(state.provisions(doc_id))
        except MetrokgError as err:
            return _error_html(err)

    @as_gradio_errors
    def api_search(query: str, k: int = 10, document: str = "") -> list[dict]:
        """Search provisions; returns hits with number, heading, text, offsets, score and sentence."""
        return state.search(query, k, document or None)

    with gr.Blocks(title="metrokg 计量知识图谱与法规助手") as demo:
        gr.Markdown("# metrokg 计量知识图谱与法规助手\nMetrology knowledge graph and regulation assistant")
        with gr.Tab("检索 Search"):
            with gr.Row():
                query = gr.Textbox(label="检索 Search", placeholder="例如：碳排放计量、充电桩、芯片", scale=4,
                                   elem_id="search-box")
                k = gr.Number(label="结果数 Results", value=10, precision=0, minimum=1, maximum=100, scale=1)
                doc_filter = gr.Dropdown(label="文件 Document", choices=[("全部 All", "")] + doc_choices(),
                                         value="", scale=2)
            go = gr.Button("检索 Search", variant="primary", elem_id="search-button")
            results = gr.HTML(elem_id="search-results")
            go.click(do_search, [query, k, doc_filter], results, api_visibility="private")
            query.submit(do_search, [query, k, doc_filter], results, api_visibility="private")
        with gr.Tab("文档 Documents"):
            docs = gr.Dropdown(label="文件 Document", choices=doc_choices(), elem_id="doc-select")
            tree = gr.HTML(elem_id="doc-tree")
            docs.change(show_document, docs, tree, api_visibility="private")
        gr.api(api_search, api_name="search")
    return demo


def serve(store: Store, host: str = "127.0.0.1", port: int = 7860,
          auth: tuple[str, str] | None = None) -> None:
    """Run the app until interrupted."""
    demo = create_app(store)
    demo.queue(default_concurrency_limit=8)
    demo.launch(server_name=host, server_port=port, auth=auth, css=CSS, show_error=False,
                quiet=False, footer_links=["api"])
