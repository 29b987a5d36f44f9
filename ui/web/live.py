"""One live state for every session: the document lists of every open page follow the store.

Each page keeps the store generation its lists show (a ``gr.State``). When the page loads, when a
tab opens, after every write and on a timer (``METROKG_WEB_REFRESH_SECONDS``) it reads the store's
generation (one small query); only when that changed are the documents listed again (once per
generation for all sessions, :meth:`AppState.documents`) and every document list, filter and
picker updated, and the search tab's document facets (kinds, places and years with their counts).
So an upload in one browser shows in every other one without a restart.
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
    still there (a removed document's filter falls back to "all", its picker to nothing). ``values`` are
    what the lists showed when the refresh began: one that was empty is left as the page has it now,
    so a refresh that finishes after the user picked a document does not undo the pick."""
    choices = doc_choices(state)
    ids = {c[1] for c in choices}
    out = [gr.update(value=doc_table(state, lang))]
    n_filters = len(filters(ui))
    for i, value in enumerate(values[1:]):
        is_filter = i < n_filters
        shown = [(t("all", lang), "")] + choices if is_filter else choices
        if value in ids or value in ("", None):  # an empty one is not reset: the user may have chosen since
            out.append(gr.update(choices=shown))
        else:
            out.append(gr.update(choices=shown, value="" if is_filter else None))
    return out


def facet_updates(ui: UI, lang: str, values: list) -> list:
    """Updates that give the documents' facet dropdowns (kind, jurisdiction, year) the store's values and
    counts now, keeping a chosen value that is still there ("all" otherwise)."""
    out = []
    for (_box, choices), value in zip(ui.facet_filters, values):
        shown = choices(lang)
        kept = value in ("", None) or value in {c[1] for c in shown}
        out.append(gr.update(choices=shown) if kept else gr.update(choices=shown, value=""))
    return out


def wire(demo: gr.Blocks, state: AppState, ui: UI, tabs: dict) -> gr.State:
    """Refresh the lists on load, on every tab's opening, after every write event of ``ui.write_events``
    and on a timer; returns the session's generation state."""
    known = gr.State(-1)
    documents = document_lists(ui)
    lists = documents + [box for box, _ in ui.facet_filters]
    ui.doc_known = known

    def refresh(lang: str, seen: int, *values):
        generation = state.generation()
        if generation == seen:
            return (gr.skip(),) * (1 + len(lists))
        with state.page_lock:  # after any switch of language begun before: its lists are in the new one
            return (generation, *list_updates(state, ui, lang, list(values[:len(documents)])),
                    *facet_updates(ui, lang, list(values[len(documents):])))

    def relabel(lang: str, *values):
        """After a language switch: every list again in the new language, whatever the generation."""
        return refresh(lang, -2, *values)

    args = dict(fn=refresh, inputs=[ui.lang, known, *lists], outputs=[known, *lists], api_visibility="private",
                show_progress="hidden")
    demo.load(**args)
    ui.lang.change(fn=relabel, inputs=[ui.lang, *lists], outputs=[known, *lists], api_visibility="private",
                   show_progress="hidden")
    for tab in tabs.values():
        tab.select(**args)
    for event in ui.write_events:  # the writing session sees its own change at once
        event.then(**args)
    timer = gr.Timer(settings.get("METROKG_WEB_REFRESH_SECONDS"))
    timer.tick(**args)
    return known
