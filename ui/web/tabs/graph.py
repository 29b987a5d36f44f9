"""The Graph tab: find an entity and walk its neighbourhood."""

from __future__ import annotations

import html

import gradio as gr

from metrokg.ui.web.callbacks import guarded
from metrokg.ui.web.drawings import network
from metrokg.ui.web.i18n import t
from metrokg.ui.web.render import esc, note_html, table_html
from metrokg.ui.web.state import AppState
from metrokg.ui.web.tabs._shared import CELL_JS, UI


def build(state: AppState, ui: UI) -> None:
    L = ui.labels
    limit = 40
    with gr.Row():
        text = L.add(gr.Textbox(label=t("graph.find"), placeholder=t("graph.find_placeholder"), elem_id="graph-find",
                                scale=3), label="graph.find", placeholder="graph.find_placeholder")
        find = L.add(gr.Button(t("graph.find_button"), elem_id="graph-find-button", scale=1), value="graph.find_button")
        pick = L.add(gr.Dropdown(label=t("graph.pick"), choices=[], elem_id="graph-pick", allow_custom_value=True,
                                 scale=4), label="graph.pick")
    status = gr.HTML(elem_id="graph-status")
    L.add(gr.Markdown(t("graph.help")), value="graph.help")
    with gr.Row():
        with gr.Column(scale=3):
            drawing = gr.HTML(elem_id="graph-network", js_on_load=CELL_JS)
        with gr.Column(scale=1, min_width=240):
            details = gr.HTML(elem_id="graph-details")

    @guarded(2, 0, lang_arg=1)
    def do_find(text_v, lang):
        found = state.find_entities(text_v)
        if not found:
            return note_html(t("graph.none", lang, text=(text_v or "").strip())), gr.update(choices=[], value=None)
        # in English the entity's English label, not the Chinese one the text matched
        named = state.labels([f["iri"] for f in found], lang) if lang == "en" else {}
        choices = [(f"{named.get(f['iri']) or f['label']} · {t('graph.kind.' + f['kind'], lang)}", f["iri"])
                   for f in found]
        return "", gr.update(choices=choices, value=choices[0][1])

    @guarded(3, 0, lang_arg=1)
    def draw(entity, lang):
        if not entity:  # a find that found nothing clears the pick: its 未找到 note stays
            return gr.update(), "", ""
        n = state.neighbourhood(entity, limit=limit, lang=lang)
        note = t("graph.truncated", lang, n=limit) if n["truncated"] else ""
        head = (f"<p><b>{esc(n['label'])}</b> <span class='mk-meta'>{esc(t('graph.kind.' + n['kind'], lang))}</span><br>"
                f"<code style='font-size:80%;word-break:break-all'>{html.escape(n['center'])}</code></p>")
        props = table_html([t("graph.details", lang), ""], [(d["property"], d["value"]) for d in n["details"]])
        return (note_html(note) if note else ""), network(n["nodes"], n["edges"], n["center"]), head + props

    find.click(do_find, [text, ui.lang], [status, pick], api_visibility="private")
    text.submit(do_find, [text, ui.lang], [status, pick], api_visibility="private")
    pick.change(draw, [pick, ui.lang], [status, drawing, details], api_visibility="private")
    # the drawing's labels and properties are in the page's language: a switch draws the entity again
    ui.lang_followers.append((draw, [pick, ui.lang], [status, drawing, details]))

    def on_node(lang, evt: gr.EventData):
        data = getattr(evt, "_data", None) or {}
        node = data.get("node")
        if not node:
            return gr.update()
        label = state.labels([node], lang).get(node, node)
        return gr.update(choices=[(label, node)], value=node)  # the pick's change event draws it

    drawing.click(on_node, [ui.lang], pick, api_visibility="private")
