"""One live state for every session: the document lists of every open page follow the store.

Each page keeps the store generation its lists show (a ``gr.State``). When the page loads, when a
tab opens, after every write and on a timer (``METROKG_WEB_REFRESH_SECONDS``) it reads the store's
generation (one small query); only when that changed are the documents listed again (once per
generation for all sessions, :meth:`AppState.documents`) and every document list, filter and
picker updated. So an upload in one browser shows in every other one without a restart.
"""

from __future__ import annotations

import gradio as gr

from metrokg import settings
from metrokg.ui.web.i18n import t
from metrokg.ui.web.state import AppState
from metrokg.ui.web.tabs._shared import UI, doc_choices, doc_table


def filters(ui: UI) -> list:
    """The "all documents" + documents dropdowns (the search tab's, then the others')."""
    return ([ui.doc_filter] if ui.doc_filter is not None else []) + list(ui.doc_filters)


def document_lists(ui: UI) -> list:
    """Every component that lists documents: the table, the "all documents" filters, the pickers."""
    return [ui.doc_table, *filters(ui), *ui.doc_pickers]


def list_updates(state: AppState, ui: UI, lang: str, values: list) -> list:
    """Updates that give every document list the store's documents, keeping each chosen value that is
    still there (a removed document's filter falls back to "all", its picker to nothing)."""
    choices = doc_choices(state)
    ids = {c[1] for c in choices}
    out = [gr.update(value=doc_table(state, lang))]
    n_filters = len(filters(ui))
    for i, value in enumerate(values[1:]):
        is_filter = i < n_filters
        shown = [(t("all", lang), "")] + choices if is_filter else choices
        if value in ids or (is_filter and value in ("", None)):
            out.append(gr.update(choices=shown))
        else:
            out.append(gr.update(choices=shown, value="" if is_filter else None))
    return out


def wire(demo: gr.Blocks, state: AppState, ui: UI, tabs: dict) -> gr.State:
    """Refresh the lists on load, on every tab's opening, after every write event of ``ui.write_events``
    and on a timer; returns the session's generation state."""
    known = gr.State(-1)
    lists = document_lists(ui)
    ui.doc_known = known

    def refresh(lang: str, seen: int, *values):
        generation = state.generation()
        if generation == seen:
            return (gr.skip(),) * (1 + len(lists))
        return (generation, *list_updates(state, ui, lang, list(values)))

    args = dict(fn=refresh, inputs=[ui.lang, known, *lists], outputs=[known, *lists], api_visibility="private",
                show_progress="hidden")
    demo.load(**args)
    for tab in tabs.values():
        tab.select(**args)
    for event in ui.write_events:  # the writing session sees its own change at once
        event.then(**args)
    timer = gr.Timer(settings.get("METROKG_WEB_REFRESH_SECONDS"))
    timer.tick(**args)
    return known
