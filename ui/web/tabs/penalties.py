"""The Penalties tab (法律责任): the sanctioning articles of laws, filtered by document and conduct."""

from __future__ import annotations

import gradio as gr

from metrokg.ui.cli.output import render_csv
from metrokg.ui.web.callbacks import guarded
from metrokg.ui.web.i18n import t
from metrokg.ui.web.render import ok_html
from metrokg.ui.web.state import AppState
from metrokg.ui.web.tabs._shared import UI, blank, doc_choices

PEN_COLUMNS = ("document", "article", "item", "conduct", "refers_to", "authority", "sanctions", "fine")


def penalty_table(rows: list[dict], lang: str) -> dict:
    """The rows as the Dataframe shows them: sanction kinds in the page's language, fines in words."""
    from metrokg.kg.analyses.penalties import fine_text

    return {"headers": [t(f"pen.col.{c}", lang) for c in PEN_COLUMNS],
            "data": [[r["document"], r["article"] or "", r["item"] or "", r["conduct"], "、".join(r["refers_to"]),
                      r["authority"] or "", "、".join(t(f"pen.kind.{s['kind']}", lang) for s in r["sanctions"]),
                      "; ".join(fine_text(s) for s in r["sanctions"] if s["kind"] == "fine")] for r in rows]}


def build(state: AppState, ui: UI) -> None:
    from metrokg.kg.analyses.penalties import FLAT_COLUMNS, flat_rows
    from metrokg.ui.reports.penalties_xlsx import write_penalties_xlsx

    L = ui.labels
    with gr.Row():
        document = L.add(gr.Dropdown(label=t("pen.document"), choices=[(t("all"), "")] + doc_choices(state),
                                     value="", elem_id="pen-document"), label="pen.document",
                         choices=lambda lang: [(t("all", lang), "")] + doc_choices(state))
        conduct = L.add(gr.Textbox(label=t("pen.conduct"), placeholder=t("pen.conduct_placeholder"),
                                   elem_id="pen-conduct"), label="pen.conduct", placeholder="pen.conduct_placeholder")
    ui.doc_filters.append(document)
    go = L.add(gr.Button(t("pen.button"), variant="primary", elem_id="pen-button"), value="pen.button")
    status = gr.HTML(elem_id="pen-status")
    table = L.add(gr.Dataframe(label=t("pen.table"), interactive=False, wrap=True, elem_id="pen-table",
                               max_height=560), label="pen.table")
    with gr.Row():
        csv_file = L.add(gr.File(label=t("pen.csv"), interactive=False, height=90, elem_id="pen-csv"), label="pen.csv")
        xlsx_file = L.add(gr.File(label=t("pen.xlsx"), interactive=False, height=90, elem_id="pen-xlsx"),
                          label="pen.xlsx")
    rows_state = gr.State([])

    @guarded(5, 0, lang_arg=2)
    def run(document_v, conduct_v, lang):
        rows = state.penalties(document=blank(document_v), conduct=blank(conduct_v))
        csv_path = state.download_path("penalties", ".csv")
        csv_path.write_text(render_csv(flat_rows(rows), FLAT_COLUMNS), encoding="utf-8-sig")
        xlsx_path = write_penalties_xlsx(rows, state.download_path("penalties", ".xlsx"))
        return (ok_html(t("pen.count", lang, n=len(rows))), penalty_table(rows, lang), str(csv_path), str(xlsx_path),
                [[r["document"], r["number"]] for r in rows])

    inputs = [document, conduct, ui.lang]
    outputs = [status, table, csv_file, xlsx_file, rows_state]
    go.click(run, inputs, outputs, api_visibility="private")
    conduct.submit(run, inputs, outputs, api_visibility="private")
    ui.tab_loaders["penalties"] = (run, inputs, outputs)
    ui.row_openers.append((table, rows_state))
