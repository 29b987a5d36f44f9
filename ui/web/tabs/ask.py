"""The Ask tab: a question answered from the graph, with its citations and SPARQL; the answers under
their documents (title, jurisdiction), labels in the page's language."""

from __future__ import annotations

import gradio as gr

from metrokg.ui.web.callbacks import guarded
from metrokg.ui.web.i18n import t
from metrokg.ui.web.render import esc, notices_html, table_html
from metrokg.ui.web.state import AppState
from metrokg.ui.web.tabs._shared import UI

ASK_EXAMPLES = ("responsible", "by_role", "targets", "tasks", "what_is", "search")  # ask.example.* of i18n, asked as each language asks


def answer_groups_html(answer: dict, lang: str) -> str:
    """The answer's note, then its items under their documents' headings (the Learn topics and the
    vocabulary first, under theirs), each item as ``answer_html`` shows it, bodies by their label in
    ``lang``."""
    from metrokg.ui.web.render import answer_html

    items = [{**item, "actor": item.get("actor_label") or item.get("actor")} for item in answer.get("answers") or []]
    groups = answer.get("groups") or []
    if len(groups) <= 1 and not (groups and groups[0].get("document")):
        return answer_html({**answer, "answers": items}, lang)
    parts = [answer_html({**answer, "answers": []}, lang).replace(answer_html({"answers": []}, lang), "")]
    at = 0
    for group in groups:
        shown = items[at:at + group["count"]]
        at += group["count"]
        parts += [group_heading(group, shown, lang), answer_html({"answers": shown}, lang)]
    return "".join(parts)


def group_heading(group: dict, items: list[dict], lang: str) -> str:
    """A document's heading over its answers: title, id, kind and jurisdiction in ``lang``; the Learn
    topics' or the vocabulary's for answers without a document."""
    from metrokg.ui.web.render import kind_label, place_label

    if not group.get("document"):
        key = "ask.group.learn" if any("topic" in i for i in items) else "ask.group.vocabulary"
        return f"<h4 class='mk-doc'>{esc(t(key, lang))}</h4>"
    where = [group["document"], kind_label(group["kind"], lang) if group.get("kind") else None,
             place_label(group["jurisdiction"], lang) if group.get("jurisdiction") else None, group.get("year")]
    return (f"<h4 class='mk-doc'>{esc(group.get('title') or group['document'])} "
            f"<span class='mk-meta'>{esc(' · '.join(str(x) for x in where if x))}</span></h4>")


def build(state: AppState, ui: UI) -> None:
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
        result = state.ask(q or "", lang=lang)
        binds = result.get("bindings") or []
        bind_html = (table_html([t("ask.bindings", lang), ""], [(k, v) for b in binds for k, v in b.items()])
                     if binds else "")
        code = result.get("sparql") or f"# {t('ask.no_sparql', lang)}"
        return notices_html(result.get("notices") or [], lang), answer_groups_html(result, lang), code, bind_html

    outputs = [status, answers, sparql, bindings]
    go.click(run, [question, ui.lang], outputs, api_visibility="private")
    question.submit(run, [question, ui.lang], outputs, api_visibility="private")
    for button, key in zip(example_buttons, ASK_EXAMPLES):
        button.click(lambda lang, key=key: t(f"ask.example.{key}", lang), ui.lang, question,
                     api_visibility="private").then(
            run, [question, ui.lang], outputs, api_visibility="private")
