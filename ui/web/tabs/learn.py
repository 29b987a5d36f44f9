"""The Learn tab: the Learn topics (kg/analyses/learn_topics.py, which ``ask`` answers from too) with the
provisions related to each topic."""

from __future__ import annotations

import logging

import gradio as gr

from metrokg.kg.analyses import learn_topics as learn
from metrokg.ui.web.render import OPEN_JS, learn_html
from metrokg.ui.web.state import AppState
from metrokg.ui.web.tabs._shared import UI

log = logging.getLogger("metrokg.web")


def build(state: AppState, ui: UI) -> None:
    ui.learn = gr.HTML(elem_id="learn", js_on_load=OPEN_JS)
    ui.openers.append(ui.learn)


def render_learn(state: AppState, lang: str) -> str:
    return learn_html(learn.TOPICS, state.related(learn.TOPICS), lang)


def learn_page(state: AppState, lang: str) -> str:
    """The Learn page in ``lang``; without the related provisions if searching the corpus fails."""
    try:
        return render_learn(state, lang)
    except Exception:  # noqa: BLE001 - the texts still show; only the related provisions are missing
        log.exception("learn page failed")
        return learn_html(learn.TOPICS, {}, lang)
