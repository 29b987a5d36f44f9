"""The Obligations tab: the obligations register, filtered, with its CSV and XLSX."""

from __future__ import annotations

import gradio as gr

from metrokg.ui.cli.output import render_csv
from metrokg.ui.web.callbacks import guarded
from metrokg.ui.web.i18n import t
from metrokg.ui.web.render import ok_html, translated
from metrokg.ui.web.state import AppState
from metrokg.ui.web.tabs._shared import UI, blank, doc_choices

OBL_COLUMNS = ("number", "actor", "role", "modality", "action", "deadline", "text")


def _year(value, what: str):
    from metrokg.ui.web.state import whole_number

    return None if value in (None, "", 0) else whole_number(value, what, 1900, 2200)


def obligation_table(rows: list[dict], lang: str) -> dict:
    return {"headers": [t(f"obl.col.{c}", lang) for c in OBL_COLUMNS],
            "data": [[r["number"], r.get("actor_label") or r.get("actor") or "",
                      translated("role", r["role"], lang) if r.get("role") else "",
                      translated("modality", r["modality"], lang) if r.get("modality") else "", r.get("action") or "",
                      r.get("deadline") or "", r.get("text") or ""] for r in rows]}


def build(state: AppState, ui: UI) -> None:
    from metrokg.kg.analyses.obligations import COLUMNS
    from metrokg.terms import MODALITIES, ROLES
    from metrokg.ui.reports.xlsx import write_xlsx

    L = ui.labels
    mod_choices = lambda lang: [(t("all", lang), "")] + [(t(f"mod.{m}", lang), m) for m in MODALITIES]  # noqa: E731
    with gr.Row():
        actor = L.add(gr.Textbox(label=t("obl.actor"), placeholder=t("obl.actor_placeholder"), elem_id="obl-actor"),
                      label="obl.actor", placeholder="obl.actor_placeholder")
        modality = L.add(gr.Dropdown(label=t("obl.modality"), choices=mod_choices("zh"), value="",
                                     elem_id="obl-modality"), label="obl.modality", choices=mod_choices)
        role_choices = lambda lang: [(t("all", lang), "")] + [(t(f"role.{r}", lang), r) for r in ROLES]  # noqa: E731
        role = L.add(gr.Dropdown(label=t("obl.role"), choices=role_choices("zh"), value="", elem_id="obl-role"),
                     label="obl.role", choices=role_choices)
        deadline = L.add(gr.Textbox(label=t("obl.deadline"), placeholder="2025", elem_id="obl-deadline"),
                         label="obl.deadline")
        industry = L.add(gr.Textbox(label=t("obl.industry"), elem_id="obl-industry"), label="obl.industry")
        document = L.add(gr.Dropdown(label=t("obl.document"), choices=[(t("all"), "")] + doc_choices(state),
                                     value="", elem_id="obl-document"), label="obl.document",
                         choices=lambda lang: [(t("all", lang), "")] + doc_choices(state))
    ui.doc_filters.append(document)
    go = L.add(gr.Button(t("obl.button"), variant="primary", elem_id="obl-button"), value="obl.button")
    status = gr.HTML(elem_id="obl-status")
    table = L.add(gr.Dataframe(label=t("obl.table"), interactive=False, wrap=True, elem_id="obl-table",
                               max_height=560, column_widths=["9%", "16%", "8%", "12%", "8%", "8%", "39%"]),
                  label="obl.table")
    with gr.Row():
        csv_file = L.add(gr.File(label=t("obl.csv"), interactive=False, height=90, elem_id="obl-csv"), label="obl.csv")
        xlsx_file = L.add(gr.File(label=t("obl.xlsx"), interactive=False, height=90, elem_id="obl-xlsx"), label="obl.xlsx")
    rows_state = gr.State([])

    @guarded(5, 0, lang_arg=6)
    def run(actor_v, modality_v, role_v, deadline_v, industry_v, document_v, lang):
        rows = state.obligations(actor=blank(actor_v), modality=blank(modality_v), role=blank(role_v),
                                 deadline=_year(deadline_v, t("obl.deadline", lang)), industry=blank(industry_v),
                                 document=blank(document_v))
        csv_path = state.download_path("obligations", ".csv")
        csv_path.write_text(render_csv(rows, COLUMNS), encoding="utf-8-sig")
        xlsx_path = write_xlsx(rows, state.download_path("obligations", ".xlsx"))
        return (ok_html(t("obl.count", lang, n=len(rows))), obligation_table(rows, lang), str(csv_path),
                str(xlsx_path), [[r["document"], r["number"]] for r in rows])

    inputs = [actor, modality, role, deadline, industry, document, ui.lang]
    outputs = [status, table, csv_file, xlsx_file, rows_state]
    go.click(run, inputs, outputs, api_visibility="private")
    actor.submit(run, inputs, outputs, api_visibility="private")
    ui.tab_loaders["obligations"] = (run, inputs, outputs)
    ui.row_openers.append((table, rows_state))
