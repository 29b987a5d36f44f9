"""The Documents tab: the document viewer, the document list, uploads and removal."""

from __future__ import annotations

import gradio as gr

from metrokg.ui.web.callbacks import guarded
from metrokg.ui.web.i18n import t
from metrokg.ui.web.render import OPEN_JS, SCROLL_JS, document_html, note_html, ok_html, preview_html, tree_html
from metrokg.ui.web.state import AppState
from metrokg.ui.web.tabs._shared import UI, doc_choices, doc_table


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
        table = L.add(gr.Dataframe(value=doc_table(state, "zh"), interactive=False, elem_id="doc-table",
                                   wrap=True), value=lambda lang: doc_table(state, lang))
    with L.add(gr.Accordion(t("docs.upload"), open=False, elem_id="upload-accordion"), label="docs.upload"):
        # No file_types filter: the browser would drop another file silently; the reader refuses it by
        # content and says why (an image, a text named .pdf, ...).
        upload = L.add(gr.File(label=t("docs.upload_file"), type="filepath", elem_id="upload-file"),
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

    ui.doc_select, ui.doc_tree, ui.doc_view, ui.doc_table = select, tree, view, table
    ui.doc_pickers += [select, remove_select]
    ui.openers += [tree, view]

    current = gr.State(["", ""])  # [document, provision] last opened, kept highlighted on every re-render

    @guarded(3, 0, lang_arg=2)
    def show(doc_id, opened=None, lang="zh"):
        if not doc_id:
            return "", "", note_html(t("docs.choose", lang))
        provisions = state.provisions(doc_id)
        number = opened[1] if opened and opened[0] == doc_id else None
        return "", tree_html(provisions, number), document_html(provisions, number)

    select.change(show, [select, current, ui.lang], [status, tree, view], api_visibility="private")
    ui.tab_loaders["documents"] = (show, [select, current, ui.lang], [status, tree, view])
    ui.doc_current = current

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

    @guarded(3, 0, lang_arg=3)
    def do_add(tok, path, replace, lang, progress=gr.Progress()):
        if not tok and not path:
            return note_html(t("docs.no_upload", lang)), gr.update(), gr.update()
        steps = {"parse": "progress.parse", "write": "progress.write"}
        progress(0.05, desc=t("progress.read", lang))
        tok = tok or state.keep_upload(path)  # no preview run: the upload itself is added
        res = state.add_upload(tok, replace=bool(replace),
                               step=lambda s, f: progress(f, desc=t(steps.get(s, "progress.write"), lang)))
        progress(1.0)
        return ok_html(added_message(res, lang)), "", ""

    ui.write_events.append(add_btn.click(do_add, [token, upload, replace_box, ui.lang],
                                         [upload_status, preview, token], api_visibility="private",
                                         concurrency_id="writes", concurrency_limit=1))
    # A new file replaces the previewed one: its token no longer stands for what is in the box.
    upload.change(lambda: ("", ""), None, [preview, token], api_visibility="private", show_progress="hidden")

    @guarded(3, 0, lang_arg=1)
    def ask_remove(doc_id, lang):
        if not doc_id:
            return note_html(t("docs.choose", lang)), gr.update(visible=False), ""
        return "", gr.update(visible=True), note_html(t("docs.remove_ask", lang, doc=doc_id))

    remove_btn.click(ask_remove, [remove_select, ui.lang], [remove_status, confirm_row, confirm_text],
                     api_visibility="private")
    cancel_btn.click(lambda: gr.update(visible=False), None, confirm_row, api_visibility="private")

    @guarded(2, 0, lang_arg=1)
    def do_remove(doc_id, lang):
        if not doc_id:
            return note_html(t("docs.choose", lang)), gr.update(visible=False)
        state.remove_document(doc_id)
        return ok_html(t("docs.removed", lang, doc=doc_id)), gr.update(visible=False)

    ui.write_events.append(confirm_btn.click(do_remove, [remove_select, ui.lang], [remove_status, confirm_row],
                                             api_visibility="private", concurrency_id="writes",
                                             concurrency_limit=1))


def added_message(res, lang: str) -> str:
    """What adding an upload did, in ``lang`` (its status too: 新增, 替换, 未变)."""
    return t("docs.added", lang, title=res.title, id=res.id, status=t(f"status.{res.status}", lang),
             n=res.provisions, facts=res.facts)


def open_provision(state: AppState, doc_id: str, number: str, lang: str = "zh"):
    """Outputs that show provision ``number`` of ``doc_id`` in the Documents tab, highlighted."""
    provisions = state.provisions(doc_id)
    return (gr.Tabs(selected="documents"), gr.update(value=doc_id), tree_html(provisions, number),
            document_html(provisions, number), [doc_id, number])
