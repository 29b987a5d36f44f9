"""The Search tab: the query, its filters (the statements' facets, then the documents' kind, jurisdiction
and year with their counts) and the ranked hits."""

from __future__ import annotations

from collections import Counter
from typing import Callable

import gradio as gr

from metrokg.kg.search.documents import DOCUMENT_FACETS, NATIONAL
from metrokg.terms import MODALITIES
from metrokg.ui.web.callbacks import guarded
from metrokg.ui.web.i18n import t
from metrokg.ui.web.render import OPEN_JS, hits_html, kind_label, notices_html, place_label
from metrokg.ui.web.state import FACETS, AppState, whole_number
from metrokg.ui.web.tabs._shared import UI, doc_choices


def document_facet_choices(facets: dict[str, dict], lang: str) -> dict[str, list[tuple[str, str]]]:
    """The dropdown choices of the documents' facets, each with how many documents it holds: kinds and
    years by count and year, provinces by count, each followed (indented) by its cities and counties."""
    docs = list(facets.values())

    def counted(label: str, n: int) -> str:
        return t("search.facet_count", lang, label=label, n=n)

    kinds = Counter(d["kind"] for d in docs if d.get("kind"))
    years = Counter(str(d["year"]) for d in docs if d.get("year"))
    provinces = Counter(d["province"] for d in docs if d.get("province"))
    local = Counter((d["province"], d["jurisdiction"]) for d in docs
                    if d.get("jurisdiction") and d["jurisdiction"] != d.get("province"))
    places: list[tuple[str, str]] = []
    for province, n in sorted(provinces.items(), key=lambda x: (x[0] != NATIONAL, -x[1], x[0])):
        places.append((counted(place_label(province, lang), n), province))
        places += [("\u3000" + counted(place_label(place, lang), m), place)
                   for (p, place), m in sorted(local.items()) if p == province]
    everything = [(t("all", lang), "")]
    return {"kind": everything + [(counted(kind_label(k, lang), n), k) for k, n in sorted(kinds.items(), key=lambda x: -x[1])],
            "jurisdiction": everything + places,
            "issued": everything + [(counted(y, n), y) for y, n in sorted(years.items(), reverse=True)]}


def facet_choices(state: AppState, name: str) -> Callable[[str], list[tuple[str, str]]]:
    """The choices of one document facet in a language, from the store's documents now."""
    return lambda lang: document_facet_choices(state.document_facets(), lang)[name]


def build(state: AppState, ui: UI) -> None:
    L = ui.labels
    facets = FACETS
    with gr.Row():
        query = L.add(gr.Textbox(label=t("search.query"), placeholder=t("search.placeholder"), scale=4,
                                 elem_id="search-box"), label="search.query", placeholder="search.placeholder")
        k = L.add(gr.Number(label=t("search.k"), value=10, precision=0, minimum=1, maximum=100, scale=1,
                            elem_id="search-k"), label="search.k")
        doc_filter = L.add(gr.Dropdown(label=t("search.document"), choices=[(t("all"), "")] + doc_choices(state),
                                       value="", scale=2, elem_id="search-document"), label="search.document",
                           choices=lambda lang: [(t("all", lang), "")] + doc_choices(state))
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
    document_boxes = []
    with gr.Row():
        for name in DOCUMENT_FACETS:
            choices = facet_choices(state, name)
            box = L.add(gr.Dropdown(label=t(f"search.facet.{name}"), choices=choices("zh"), value="",
                                    elem_id=f"search-{name}"), label=f"search.facet.{name}", choices=choices)
            document_boxes.append(box)
            ui.facet_filters.append((box, choices))
    go = L.add(gr.Button(t("search.button"), variant="primary", elem_id="search-button"), value="search.button")
    status = gr.HTML(elem_id="search-status")
    results = gr.HTML(elem_id="search-results", js_on_load=OPEN_JS)
    ui.doc_filter = doc_filter
    ui.openers.append(results)
    n_facets = len(facets)

    @guarded(2, 0, lang_arg=3)
    def do_search(q, n, document, lang, *values):
        k_val = whole_number(n if n not in (None, "") else 10, t("search.k", lang), 1, 100)
        extra = {name: (None if v in (None, "") else
                        (whole_number(v, t("search.deadline_year", lang), 1900, 2200) if name == "deadline_year" else v))
                 for name, v in zip(facets, values[:n_facets])}
        extra |= {name: v or None for name, v in zip(DOCUMENT_FACETS, values[n_facets:])}
        hits, notices = state.search_with_notices(q, k_val, document or None, **extra)
        return notices_html(notices, lang), hits_html(hits, lang)

    inputs = [query, k, doc_filter, ui.lang, *facet_boxes, *document_boxes]
    go.click(do_search, inputs, [status, results], api_visibility="private")
    query.submit(do_search, inputs, [status, results], api_visibility="private")
