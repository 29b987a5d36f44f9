"""The Gaps tab: the specification-gap heatmap and the provisions behind a cell."""

from __future__ import annotations

import gradio as gr

from metrokg.ui.cli.output import render_csv
from metrokg.ui.web.callbacks import guarded
from metrokg.ui.web.drawings import heatmap
from metrokg.ui.web.i18n import t
from metrokg.ui.web.render import esc, note_html, table_html
from metrokg.ui.web.state import AppState
from metrokg.ui.web.tabs._shared import CELL_JS, UI, blank, doc_choices


def _gap_labels(lang: str) -> dict[str, str]:
    return {"none": t("gap.none", lang), "supply": t("gap.supply", lang)}


WEAK_STYLE = "<style>.mk-heat td.mk-weak{outline:2px dashed #c62828;outline-offset:-3px}</style>"


def localised(gmap: dict, lang: str) -> dict:
    """The map with industries and columns under their English labels in the English UI (the
    ontology has them); cells keep pointing at the same concepts."""
    if lang != "en" or not gmap.get("cells"):
        return gmap
    ind_en = {c["industry"]: c.get("industry_en") or c["industry"] for c in gmap["cells"]}
    col_en = {c["column"]: c.get("column_en") or c["column"] for c in gmap["cells"]}
    return {**gmap, "industries": [ind_en.get(i, i) for i in gmap["industries"]],
            "columns": [{**c, "column": col_en.get(c["column"], c["column"])} for c in gmap["columns"]],
            "cells": [{**c, "industry": ind_en[c["industry"]], "column": col_en[c["column"]]} for c in gmap["cells"]]}


def mark_weak(html_text: str, gmap: dict) -> str:
    """Outline the cells whose demand rests on one weak mention (see the legend)."""
    for c in gmap.get("cells", []):
        if c.get("weak"):
            key = f"data-industry='{esc(c['industry'])}' data-column='{esc(c['column'])}'"
            html_text = html_text.replace(f"<td {key}", f"<td class='mk-weak' {key}", 1)
    return WEAK_STYLE + html_text


def catalogue_note(summary: dict, lang: str) -> str:
    """How many specifications the supply counts and where they came from."""
    series = "、".join(f"{k} {v}" for k, v in summary["series"].items()) if lang == "zh" else \
        ", ".join(f"{k} {v}" for k, v in summary["series"].items())
    return t("gap.catalogue", lang, n=summary["specifications"], shipped=summary["shipped"],
             imported=summary["imported"], series=series or "—")


def cell_detail(gmap: dict, industry: str, column: str, lang: str) -> str:
    """The provisions and specifications behind one cell of the gap map."""
    cell = next((c for c in gmap.get("cells", []) if c["industry"] == industry and c["column"] == column), None)
    if cell is None:
        return ""
    head = t("gap.cell", lang, industry=industry, column=column, demand=cell["demand"], supply=cell["supply"],
             gap=cell["gap"]) + (t("gap.weak_cell", lang) if cell.get("weak") else "")
    provs = "".join(f"<li><a class='mk-open' style='margin-left:0' data-doc='{esc(p['document'])}' "
                    f"data-num='{esc(p['number'])}' href='#'>{esc(p['number'])}</a> {esc(p['text'])} "
                    f"<span class='mk-meta'>{esc(p['document'])}</span></li>" for p in cell["provisions"])
    specs = cell["specifications"]
    spec_html = (table_html(["", ""], [(s.get("number") or "", s.get("title") or "") for s in specs]) if specs
                 else f"<p class='mk-meta'>{esc(t('gap.no_specs', lang))}</p>")
    return (f"<h4>{esc(head)}</h4><p><b>{esc(t('gap.provisions', lang))}</b></p><ul class='mk-related'>{provs}</ul>"
            f"<p><b>{esc(t('gap.specs', lang))}</b></p>{spec_html}")


def build(state: AppState, ui: UI) -> None:
    from metrokg.kg.analyses.gaps import DIMENSIONS, cell_rows, matrix

    L = ui.labels
    by_choices = lambda lang: [(t(f"gap.by.{d}", lang), d) for d in DIMENSIONS]  # noqa: E731
    value_choices = lambda lang: [(t(f"gap.v.{v}", lang), v) for v in ("demand", "supply", "gap")]  # noqa: E731
    L.add(gr.Markdown(t("gap.help")), value="gap.help")
    L.add(gr.Markdown(t("gap.legend"), elem_id="gap-legend"), value="gap.legend")
    with gr.Row():
        by = L.add(gr.Radio(label=t("gap.by"), choices=by_choices("zh"), value="quantity", elem_id="gap-by"),
                   label="gap.by", choices=by_choices)
        value = L.add(gr.Radio(label=t("gap.value"), choices=value_choices("zh"), value="demand", elem_id="gap-value"),
                      label="gap.value", choices=value_choices)
        document = L.add(gr.Dropdown(label=t("gap.document"), choices=[(t("all"), "")] + doc_choices(state),
                                     value="", elem_id="gap-document"), label="gap.document",
                         choices=lambda lang: [(t("all", lang), "")] + doc_choices(state))
        go = L.add(gr.Button(t("gap.button"), variant="primary", elem_id="gap-button"), value="gap.button")
    ui.doc_filters.append(document)
    status = gr.HTML(elem_id="gap-status")
    with gr.Row():
        with gr.Column(scale=3):
            heat = gr.HTML(elem_id="gap-heatmap", js_on_load=CELL_JS)
        with gr.Column(scale=2):
            detail = gr.HTML(elem_id="gap-detail", js_on_load=ui.open_js)
    csv_file = L.add(gr.File(label=t("gap.csv"), interactive=False, height=90, elem_id="gap-csv"), label="gap.csv")
    gmap_state = gr.State({})
    ui.openers.append(detail)

    @guarded(5, 0, lang_arg=3)
    def run(by_v, value_v, document_v, lang):
        gmap = localised(state.gaps(by=by_v or "quantity", document=blank(document_v)), lang)
        industries, columns, values = matrix(gmap, value_v or "demand", max_rows=30, max_cols=40)
        supply = {c["column"]: c["supply"] for c in gmap["columns"]}
        rows = cell_rows(gmap)
        path = state.download_path("gaps", ".csv")
        path.write_text(render_csv(rows, ["rank", "industry", "column", "demand", "supply", "gap", "weak",
                                          "provisions", "specifications"]), encoding="utf-8-sig")
        note = note_html(catalogue_note(state.catalogue_summary(), lang))
        drawn = mark_weak(heatmap(industries, columns, values, supply, _gap_labels(lang)), gmap)
        return note, drawn, "", str(path), gmap

    outputs = [status, heat, detail, csv_file, gmap_state]
    go.click(run, [by, value, document, ui.lang], outputs, api_visibility="private")
    ui.tab_loaders["gaps"] = (run, [by, value, document, ui.lang], outputs)

    def on_cell(gmap, lang, evt: gr.EventData):
        data = getattr(evt, "_data", None) or {}
        if not data.get("column"):
            return gr.update()
        return cell_detail(gmap or {}, data.get("industry", ""), data["column"], lang)

    heat.click(on_cell, [gmap_state, ui.lang], detail, api_visibility="private")
