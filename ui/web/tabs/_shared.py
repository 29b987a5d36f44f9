"""What several tabs share: the components other tabs need (:class:`UI`), the documents' choices and table,
the click script of drawings and the blank-field rule."""

from __future__ import annotations

from dataclasses import dataclass, field

import gradio as gr

from metrokg.ui.web.i18n import Labels, t
from metrokg.ui.web.render import OPEN_JS
from metrokg.ui.web.state import AppState

# A click on a heatmap cell or a network node sends its data attributes to the server.
CELL_JS = """
element.addEventListener('click', (ev) => {
  const td = ev.target.closest('[data-column]');
  if (td && element.contains(td)) { trigger('click', {industry: td.dataset.industry, column: td.dataset.column}); return; }
  const node = ev.target.closest('[data-node]');
  if (node && element.contains(node)) trigger('click', {node: node.dataset.node});
});
"""


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
    facet_filters: list = field(default_factory=list)  # (dropdown, lang -> choices) of the documents' facets
    doc_pickers: list = field(default_factory=list)  # dropdowns of documents only (viewer, removal, ...)
    doc_table: gr.Dataframe | None = None  # the Documents tab's list
    write_events: list = field(default_factory=list)  # events that write: every list refreshes after them
    doc_known: gr.State | None = None  # the store generation this session's lists show
    tab_loaders: dict = field(default_factory=dict)  # tab id -> (fn, inputs, outputs) run when the tab opens
    lang_followers: list = field(default_factory=list)  # (fn, inputs, outputs) run after a language switch
    row_openers: list = field(default_factory=list)  # (Dataframe, State of [document, number] per row)
    doc_current: gr.State | None = None
    open_js: str = OPEN_JS


def doc_choices(state: AppState) -> list[tuple[str, str]]:
    return [(f"{d['title']} ({d['id']})", d["id"]) for d in state.documents()]


def doc_table(state: AppState, lang: str) -> dict:
    """The document list as a table value (headers in ``lang``)."""
    return {"headers": [t(f"docs.col.{c}", lang) for c in ("id", "title", "issuer", "date", "implements", "provisions")],
            "data": [[d["id"], d["title"], d["issuer"] or "", d["date"] or "", implements_text(d, lang), d["provisions"]]
                     for d in state.documents()]}


def implements_text(doc: dict, lang: str) -> str:
    """What a document implements, as a cell: each parent the store holds by its title and id, each
    other by the cited title and "not in the store"."""
    open_, close, sep = ("（", "）", "；") if lang == "zh" else (" (", ")", "; ")
    return sep.join(f"《{p['document_title']}》{open_}{p['document']}{close}" if p.get("document") else
                    f"《{p['title']}》{open_}{t('compare.parent_missing', lang)}{close}" for p in doc.get("parents") or [])


def blank(value):
    return None if value in (None, "", []) else value
