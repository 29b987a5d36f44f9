"""The Documents tab: the document viewer, the document list, uploads and removal."""

from __future__ import annotations

import gradio as gr

from metrokg.ui.web.callbacks import guarded
from metrokg.ui.web.i18n import t
from metrokg.ui.web.render import OPEN_JS, SCROLL_JS, document_html, note_html, ok_html, preview_html, tree_html
from metrokg.ui.web.state import AppState
from metrokg.ui.web.tabs._shared import UI, doc_choices


def _doc_table(state: AppState, lang: str) -> dict:
    """The document list as a table value (headers in ``lang``)."""
    return {"headers": [t(f"docs.col.{c}", lang) for c in ("id", "title", "issuer", "date", "provisions")],
            "data": [[d["id"], d["title"], d["issuer"] or "", d["date"] or "", d["provisions"]]
                     for d in state.documents()]}


def build(state: AppState, ui: UI) -> None:
    L = ui.labels
    with gr.Row():
        with gr.Column(scale=1, min_width=260):
            choices = doc_choices(state)
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
            remove_select = L.add(gr.Dropdown(label=t("docs.select"), choices=doc_choices(state),
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
        choices = doc_choices(state)
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
