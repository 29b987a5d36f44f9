"""The Targets tab: progress bars of the quantitative targets, recording progress, the chart."""

from __future__ import annotations

import datetime as dt

import gradio as gr

from metrokg.ui.web.callbacks import guarded
from metrokg.ui.web.drawings import line_chart, progress_bars
from metrokg.ui.web.i18n import t
from metrokg.ui.web.render import note_html, ok_html
from metrokg.ui.web.state import AppState
from metrokg.ui.web.tabs._shared import UI, blank


def _status_labels(lang: str) -> dict[str, str]:
    keys = ("achieved", "on-track", "behind", "missed", "no-data", "no-deadline", "no-baseline")
    return {**{k: t(f"st.{k}", lang) for k in keys}, "none": t("tgt.none", lang), "expected": t("tgt.expected", lang)}


def build(state: AppState, ui: UI) -> None:
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
        choices = [(f"{x['document']} {x['number']} {x['indicator'] or x['text']} "  # two plans' 1.2 told apart
                    f"({x['comparator'] or ''}{x['value']}{x['unit'] or ''}"
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
        obs = state.record_progress(target_v, str(value_v or ""), str(as_of_v or ""), source=blank(source_v),
                                    agent=agent)
        msg = ok_html(t("tgt.recorded", lang, id=obs["id"], value=obs["value"], unit=obs.get("unit") or "",
                        as_of=obs["as_of"]))
        return (msg,) + draw(lang, keep=target_v)

    outputs = [status, bars, target, chart]
    refresh.click(show, [ui.lang], outputs, api_visibility="private")
    record.click(do_record, [target, value, as_of, source, ui.lang], outputs, api_visibility="private")
    ui.tab_loaders["targets"] = (show, [ui.lang], outputs)
