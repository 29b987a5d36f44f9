"""The analysis tabs: obligations register, targets tracker, gap map and the graph walk.

Each callback makes its library calls through :class:`~metrokg.ui.web.state.AppState`, one call
of the function the CLI also uses (obligations, targets, gaps, the graph neighbourhood, ask);
this module only lays the results out.
"""

from __future__ import annotations

import datetime as dt
import html

import gradio as gr

from metrokg.ui.cli.output import render_csv
from metrokg.ui.web.callbacks import guarded
from metrokg.ui.web.drawings import heatmap, line_chart, network, progress_bars
from metrokg.ui.web.i18n import t
from metrokg.ui.web.render import esc, note_html, ok_html, table_html, translated
from metrokg.ui.web.state import AppState

OBL_COLUMNS = ("number", "actor", "role", "modality", "action", "deadline", "text")

# A click on a heatmap cell or a network node sends its data attributes to the server.
CELL_JS = """
element.addEventListener('click', (ev) => {
  const td = ev.target.closest('[data-column]');
  if (td && element.contains(td)) { trigger('click', {industry: td.dataset.industry, column: td.dataset.column}); return; }
  const node = ev.target.closest('[data-node]');
  if (node && element.contains(node)) trigger('click', {node: node.dataset.node});
});
"""


def _blank(value):
    return None if value in (None, "", []) else value


def _year(value, what: str):
    from metrokg.ui.web.state import whole_number

    return None if value in (None, "", 0) else whole_number(value, what, 1900, 2200)


# ----------------------------------------------------------------------------- Ask

ASK_EXAMPLES = ("谁负责中期评估？", "到2025年要完成哪些目标？", "哪些任务涉及汽车？", "加油站少给油怎么管")


def ask_tab(state: AppState, ui) -> None:
    from metrokg.ui.web.render import answer_html

    L = ui.labels
    with gr.Row():
        question = L.add(gr.Textbox(label=t("ask.question"), placeholder=t("ask.placeholder"), elem_id="ask-box",
                                    scale=5), label="ask.question", placeholder="ask.placeholder")
        go = L.add(gr.Button(t("ask.button"), variant="primary", elem_id="ask-button", scale=1), value="ask.button")
    with gr.Row():
        L.add(gr.Markdown(t("ask.examples") + "："), value=lambda lang: t("ask.examples", lang) + ":")
        example_buttons = [gr.Button(q, size="sm", elem_classes=["mk-example"]) for q in ASK_EXAMPLES]
    status = gr.HTML(elem_id="ask-status")
    answers = gr.HTML(elem_id="ask-answers", js_on_load=ui.open_js)
    with L.add(gr.Accordion(t("ask.sparql"), open=False, elem_id="ask-sparql-box"), label="ask.sparql"):
        sparql = gr.Code(language="sql", elem_id="ask-sparql", interactive=False)
        bindings = gr.HTML(elem_id="ask-bindings")
    ui.openers.append(answers)

    @guarded(4, 0, lang_arg=1)
    def run(q, lang):
        result = state.ask(q or "")
        binds = result.get("bindings") or []
        bind_html = (table_html([t("ask.bindings", lang), ""], [(k, v) for b in binds for k, v in b.items()])
                     if binds else "")
        code = result.get("sparql") or f"# {t('ask.no_sparql', lang)}"
        return "", answer_html(result, lang), code, bind_html

    outputs = [status, answers, sparql, bindings]
    go.click(run, [question, ui.lang], outputs, api_visibility="private")
    question.submit(run, [question, ui.lang], outputs, api_visibility="private")
    for button, text in zip(example_buttons, ASK_EXAMPLES):
        button.click(lambda q=text: q, None, question, api_visibility="private").then(
            run, [question, ui.lang], outputs, api_visibility="private")


# ----------------------------------------------------------------------------- Obligations

def obligation_table(rows: list[dict], lang: str) -> dict:
    return {"headers": [t(f"obl.col.{c}", lang) for c in OBL_COLUMNS],
            "data": [[r["number"], r.get("actor_label") or r.get("actor") or "",
                      translated("role", r["role"], lang) if r.get("role") else "",
                      translated("modality", r["modality"], lang) if r.get("modality") else "", r.get("action") or "",
                      r.get("deadline") or "", r.get("text") or ""] for r in rows]}


def obligations_tab(state: AppState, ui, doc_choices) -> None:
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
        document = L.add(gr.Dropdown(label=t("obl.document"), choices=[(t("all"), "")] + doc_choices(), value="",
                                     elem_id="obl-document"), label="obl.document",
                         choices=lambda lang: [(t("all", lang), "")] + doc_choices())
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
        rows = state.obligations(actor=_blank(actor_v), modality=_blank(modality_v), role=_blank(role_v),
                                 deadline=_year(deadline_v, t("obl.deadline", lang)), industry=_blank(industry_v),
                                 document=_blank(document_v))
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


# ----------------------------------------------------------------------------- Targets

def _status_labels(lang: str) -> dict[str, str]:
    keys = ("achieved", "on-track", "behind", "missed", "no-data", "no-deadline", "no-baseline")
    return {**{k: t(f"st.{k}", lang) for k in keys}, "none": t("tgt.none", lang), "expected": t("tgt.expected", lang)}


def targets_tab(state: AppState, ui) -> None:
    L = ui.labels
    refresh = L.add(gr.Button(t("tgt.refresh"), size="sm", elem_id="tgt-refresh"), value="tgt.refresh")
    bars = gr.HTML(elem_id="tgt-bars")
    with L.add(gr.Accordion(t("tgt.form"), open=True, elem_id="tgt-form"), label="tgt.form"):
        with gr.Row():
            target = L.add(gr.Dropdown(label=t("tgt.target"), choices=[], elem_id="tgt-target", scale=3),
                           label="tgt.target")
            value = L.add(gr.Textbox(label=t("tgt.value"), placeholder=t("tgt.value_placeholder"),
                                     elem_id="tgt-value", scale=1), label="tgt.value", placeholder="tgt.value_placeholder")
            as_of = L.add(gr.Textbox(label=t("tgt.as_of"), value=lambda: dt.date.today().isoformat(),
                                     elem_id="tgt-as-of", scale=1), label="tgt.as_of")
            source = L.add(gr.Textbox(label=t("tgt.source"), elem_id="tgt-source", scale=2), label="tgt.source")
        record = L.add(gr.Button(t("tgt.record"), variant="primary", elem_id="tgt-record"), value="tgt.record")
    status = gr.HTML(elem_id="tgt-status")
    chart = gr.HTML(elem_id="tgt-chart")

    def draw(lang: str, keep: str | None = None):
        targets = state.targets()
        choices = [(f"{x['number']} {x['indicator'] or x['text']} ({x['comparator'] or ''}{x['value']}{x['unit'] or ''}"
                    f", {x['deadline'] or '—'})", x["id"]) for x in targets]
        ids = {c[1] for c in choices}
        return (progress_bars(targets, _status_labels(lang)),
                gr.update(choices=choices, value=keep if keep in ids else None),
                line_chart(state.progress(), t("tgt.chart", lang)))

    @guarded(4, 0, lang_arg=0)
    def show(lang):
        return ("",) + draw(lang)

    @guarded(4, 0, lang_arg=4)
    def do_record(target_v, value_v, as_of_v, source_v, lang, request: gr.Request):
        if not target_v:
            return (note_html(t("tgt.target", lang) + "?"),) + (gr.update(),) * 3
        agent = getattr(request, "username", None) or "web"
        obs = state.record_progress(target_v, str(value_v or ""), str(as_of_v or ""), source=_blank(source_v),
                                    agent=agent)
        msg = ok_html(t("tgt.recorded", lang, id=obs["id"], value=obs["value"], unit=obs.get("unit") or "",
                        as_of=obs["as_of"]))
        return (msg,) + draw(lang, keep=target_v)

    outputs = [status, bars, target, chart]
    refresh.click(show, [ui.lang], outputs, api_visibility="private")
    record.click(do_record, [target, value, as_of, source, ui.lang], outputs, api_visibility="private")
    ui.tab_loaders["targets"] = (show, [ui.lang], outputs)


# ----------------------------------------------------------------------------- Gaps

def _gap_labels(lang: str) -> dict[str, str]:
    return {"none": t("gap.none", lang), "supply": t("gap.supply", lang)}


def cell_detail(gmap: dict, industry: str, column: str, lang: str) -> str:
    """The provisions and specifications behind one cell of the gap map."""
    cell = next((c for c in gmap.get("cells", []) if c["industry"] == industry and c["column"] == column), None)
    if cell is None:
        return ""
    head = t("gap.cell", lang, industry=industry, column=column, demand=cell["demand"], supply=cell["supply"],
             gap=cell["gap"])
    provs = "".join(f"<li><a class='mk-open' style='margin-left:0' data-doc='{esc(p['document'])}' "
                    f"data-num='{esc(p['number'])}' href='#'>{esc(p['number'])}</a> {esc(p['text'])} "
                    f"<span class='mk-meta'>{esc(p['document'])}</span></li>" for p in cell["provisions"])
    specs = cell["specifications"]
    spec_html = (table_html(["", ""], [(s.get("number") or "", s.get("title") or "") for s in specs]) if specs
                 else f"<p class='mk-meta'>{esc(t('gap.no_specs', lang))}</p>")
    return (f"<h4>{esc(head)}</h4><p><b>{esc(t('gap.provisions', lang))}</b></p><ul class='mk-related'>{provs}</ul>"
            f"<p><b>{esc(t('gap.specs', lang))}</b></p>{spec_html}")


def gaps_tab(state: AppState, ui, doc_choices) -> None:
    from metrokg.kg.analyses.gaps import DIMENSIONS, cell_rows, matrix

    L = ui.labels
    by_choices = lambda lang: [(t(f"gap.by.{d}", lang), d) for d in DIMENSIONS]  # noqa: E731
    value_choices = lambda lang: [(t(f"gap.v.{v}", lang), v) for v in ("demand", "supply", "gap")]  # noqa: E731
    L.add(gr.Markdown(t("gap.help")), value="gap.help")
    with gr.Row():
        by = L.add(gr.Radio(label=t("gap.by"), choices=by_choices("zh"), value="quantity", elem_id="gap-by"),
                   label="gap.by", choices=by_choices)
        value = L.add(gr.Radio(label=t("gap.value"), choices=value_choices("zh"), value="demand", elem_id="gap-value"),
                      label="gap.value", choices=value_choices)
        document = L.add(gr.Dropdown(label=t("gap.document"), choices=[(t("all"), "")] + doc_choices(), value="",
                                     elem_id="gap-document"), label="gap.document",
                         choices=lambda lang: [(t("all", lang), "")] + doc_choices())
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
        gmap = state.gaps(by=by_v or "quantity", document=_blank(document_v))
        industries, columns, values = matrix(gmap, value_v or "demand", max_rows=30, max_cols=40)
        supply = {c["column"]: c["supply"] for c in gmap["columns"]}
        rows = cell_rows(gmap)
        path = state.download_path("gaps", ".csv")
        path.write_text(render_csv(rows, ["rank", "industry", "column", "demand", "supply", "gap", "provisions",
                                          "specifications"]), encoding="utf-8-sig")
        return "", heatmap(industries, columns, values, supply, _gap_labels(lang)), "", str(path), gmap

    outputs = [status, heat, detail, csv_file, gmap_state]
    go.click(run, [by, value, document, ui.lang], outputs, api_visibility="private")
    ui.tab_loaders["gaps"] = (run, [by, value, document, ui.lang], outputs)

    def on_cell(gmap, lang, evt: gr.EventData):
        data = getattr(evt, "_data", None) or {}
        if not data.get("column"):
            return gr.update()
        return cell_detail(gmap or {}, data.get("industry", ""), data["column"], lang)

    heat.click(on_cell, [gmap_state, ui.lang], detail, api_visibility="private")


# ----------------------------------------------------------------------------- Graph

def graph_tab(state: AppState, ui) -> None:
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
            return note_html(t("graph.none", lang)), gr.update(choices=[], value=None)
        choices = [(f"{f['label']} · {f['kind']}", f["iri"]) for f in found]
        return "", gr.update(choices=choices, value=choices[0][1])

    @guarded(3, 0, lang_arg=1)
    def draw(entity, lang):
        if not entity:
            return "", "", ""
        n = state.neighbourhood(entity, limit=limit, lang=lang)
        note = t("graph.truncated", lang, n=limit) if n["truncated"] else ""
        head = (f"<p><b>{esc(n['label'])}</b> <span class='mk-meta'>{esc(n['kind'])}</span><br>"
                f"<code style='font-size:80%;word-break:break-all'>{html.escape(n['center'])}</code></p>")
        props = table_html([t("graph.details", lang), ""], [(d["property"], d["value"]) for d in n["details"]])
        return (note_html(note) if note else ""), network(n["nodes"], n["edges"], n["center"]), head + props

    find.click(do_find, [text, ui.lang], [status, pick], api_visibility="private")
    text.submit(do_find, [text, ui.lang], [status, pick], api_visibility="private")
    pick.change(draw, [pick, ui.lang], [status, drawing, details], api_visibility="private")

    def on_node(lang, evt: gr.EventData):
        data = getattr(evt, "_data", None) or {}
        node = data.get("node")
        if not node:
            return gr.update()
        label = state.labels([node], lang).get(node, node)
        return gr.update(choices=[(label, node)], value=node)  # the pick's change event draws it

    drawing.click(on_node, [ui.lang], pick, api_visibility="private")
