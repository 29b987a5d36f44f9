"""The Obligations tab: the obligations register, filtered, with its CSV and XLSX, and a document's
任务分解表 as an XLSX to download."""

from __future__ import annotations

import gradio as gr

from metrokg.ui.cli.output import render_csv
from metrokg.ui.web.callbacks import guarded
from metrokg.ui.web.i18n import TEXT, t
from metrokg.ui.web.render import ok_html, place_en, translated
from metrokg.ui.web.state import AppState
from metrokg.ui.web.tabs._shared import UI, blank, doc_choices

OBL_COLUMNS = ("number", "actor", "role", "modality", "action", "deadline", "text")


def _year(value, what: str):
    from metrokg.ui.web.state import whole_number

    return None if value in (None, "", 0) else whole_number(value, what, 1900, 2200)


def actor_text(row: dict, lang: str, labels: dict[str, str]) -> str:
    """The actor as the table shows it. A body named by its type, level and place (人民政府（市级、县级，
    湖北）, built by the obligations analysis in Chinese) is said again from those parts in English; a
    named body takes its label in ``lang`` from ``labels`` (its own Chinese name where it has no other)."""
    label = row.get("actor_label") or row.get("actor") or ""
    type_iri, level = row.get("actor_type_iri"), row.get("level")
    key = row.get("actor_key") or ""
    if lang == "en" and key and key == row.get("actor_iri"):
        return labels.get(key) or label
    if lang != "en" or not type_iri or not level or not key.startswith(f"{type_iri}@{level}"):
        return label
    place = key[len(f"{type_iri}@{level}"):].removeprefix("@")
    levels = ", ".join(t(f"level.{x}", lang) if f"level.{x}" in TEXT else x for x in level.split(","))
    return f"{labels.get(type_iri) or label} ({levels} level{', ' + place_en(place) if place else ''})"


def obligation_table(rows: list[dict], lang: str, labels: dict[str, str] | None = None) -> dict:
    """The register as the tab shows it; ``labels`` name the actors and actor types in ``lang``."""
    return {"headers": [t(f"obl.col.{c}", lang) for c in OBL_COLUMNS],
            "data": [[r["number"], actor_text(r, lang, labels or {}),
                      translated("role", r["role"], lang) if r.get("role") else "",
                      translated("modality", r["modality"], lang) if r.get("modality") else "", r.get("action") or "",
                      _deadline(r, lang), r.get("text") or ""] for r in rows]}


def _deadline(row: dict, lang: str) -> str:
    """The row's year, marked where it is inherited from its provision or the plan's horizon."""
    if row.get("deadline") is None:
        return ""
    return f"{row['deadline']}{t('obl.inherited', lang) if row.get('deadline_inherited') else ''}"


def breakdown_cells(state: AppState, document: str | None, lang: str) -> tuple[list[dict], tuple, str]:
    """A document's 任务分解表: its rows, (headers, cells) as shown, and its title; E477 without a document."""
    from metrokg.errors import MetrokgError
    from metrokg.kg.analyses.breakdown import display_rows

    if not document:
        raise MetrokgError("E477")
    rows, title = state.breakdown(document)
    return rows, display_rows(rows, "en" if lang == "en" else "zh"), title


def build(state: AppState, ui: UI) -> None:
    from metrokg.kg.analyses.obligations import export_view
    from metrokg.terms import MODALITIES, ROLES
    from metrokg.ui.reports.xlsx import write_breakdown_xlsx, write_xlsx

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
        breakdown_go = L.add(gr.Button(t("obl.breakdown"), elem_id="obl-breakdown"), value="obl.breakdown")
        breakdown_file = L.add(gr.File(label=t("obl.breakdown_file"), interactive=False, height=90,
                                       elem_id="obl-breakdown-file"), label="obl.breakdown_file")
    rows_state = gr.State([])

    @guarded(2, 0, lang_arg=1)
    def breakdown(document_v, lang):
        """The chosen document's 任务分解表 as an XLSX to download."""
        rows, cells, title = breakdown_cells(state, blank(document_v), lang)
        path = write_breakdown_xlsx(*cells, state.download_path("breakdown", ".xlsx"), title)
        return ok_html(t("obl.breakdown_done", lang, n=len(rows))), str(path)

    breakdown_go.click(breakdown, [document, ui.lang], [status, breakdown_file], api_visibility="private")

    @guarded(5, 0, lang_arg=6)
    def run(actor_v, modality_v, role_v, deadline_v, industry_v, document_v, lang):
        rows = state.obligations(actor=blank(actor_v), modality=blank(modality_v), role=blank(role_v),
                                 deadline=_year(deadline_v, t("obl.deadline", lang)), industry=blank(industry_v),
                                 document=blank(document_v))
        csv_path = state.download_path("obligations", ".csv")
        headers, cells = export_view(rows, "en" if lang == "en" else "zh")
        csv_path.write_text(render_csv([dict(zip(headers, c)) for c in cells], headers), encoding="utf-8-sig")
        xlsx_path = write_xlsx(rows, state.download_path("obligations", ".xlsx"), lang="en" if lang == "en" else "zh")
        named = {r[k] for r in rows for k in ("actor_type_iri", "actor_iri") if r.get(k)} if lang == "en" else set()
        table = obligation_table(rows, lang, state.labels(sorted(named), lang) if named else {})
        return (ok_html(t("obl.count", lang, n=len(rows))), table, str(csv_path), str(xlsx_path),
                [[r["document"], r["number"]] for r in rows])

    inputs = [actor, modality, role, deadline, industry, document, ui.lang]
    outputs = [status, table, csv_file, xlsx_file, rows_state]
    go.click(run, inputs, outputs, api_visibility="private")
    actor.submit(run, inputs, outputs, api_visibility="private")
    ui.tab_loaders["obligations"] = (run, inputs, outputs)
    ui.row_openers.append((table, rows_state))
