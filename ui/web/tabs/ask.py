"""The Ask tab: a question answered from the graph, with its citations and SPARQL."""

from __future__ import annotations

import gradio as gr

from metrokg.ui.web.callbacks import guarded
from metrokg.ui.web.i18n import t
from metrokg.ui.web.render import table_html
from metrokg.ui.web.state import AppState
from metrokg.ui.web.tabs._shared import UI

ASK_EXAMPLES = ("responsible", "targets", "tasks", "search")  # ask.example.* of i18n, asked as each language asks


def build(state: AppState, ui: UI) -> None:
    from metrokg.ui.web.render import answer_html

    L = ui.labels
    with gr.Row():
        question = L.add(gr.Textbox(label=t("ask.question"), placeholder=t("ask.placeholder"), elem_id="ask-box",
                                    scale=5), label="ask.question", placeholder="ask.placeholder")
        go = L.add(gr.Button(t("ask.button"), variant="primary", elem_id="ask-button", scale=1), value="ask.button")
    with gr.Row():
        L.add(gr.Markdown(t("ask.examples") + "："), value=lambda lang: t("ask.examples", lang) + ":")
        example_buttons = [L.add(gr.Button(t(f"ask.example.{key}"), size="sm", elem_classes=["mk-example"]),
                                 value=f"ask.example.{key}") for key in ASK_EXAMPLES]
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
    for button, key in zip(example_buttons, ASK_EXAMPLES):
        button.click(lambda lang, key=key: t(f"ask.example.{key}", lang), ui.lang, question,
                     api_visibility="private").then(
            run, [question, ui.lang], outputs, api_visibility="private")
