"""The extraction pipeline: a blank Chinese spaCy pipeline (jieba) with metrokg's components.

``load_pipeline()`` builds it once per process; ``extract(doc)`` runs it over every
provision of a :class:`ParsedDocument` and returns facts whose offsets point into the
document's normalised text (``doc.text[f.start:f.end] == f.text``).

Component order matters: numbers and deadlines first, then the entity linker (targets,
tasks and responsibilities look up its mentions), targets, modality, tasks, and
responsibilities last (they take modality and action from the earlier two).
"""

from __future__ import annotations

from dataclasses import replace

import logging
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

# importing the modules registers their factories
from metrokg.errors import Errors
from metrokg.nlp import deadlines as _deadlines  # noqa: F401
from metrokg.nlp import entity_linker as _entity_linker  # noqa: F401
from metrokg.nlp import modality as _modality  # noqa: F401
from metrokg.nlp import numbers as _numbers  # noqa: F401
from metrokg.nlp import responsibility as _responsibility  # noqa: F401
from metrokg.nlp import targets as _targets  # noqa: F401
from metrokg.nlp import tasks as _tasks  # noqa: F401
from metrokg.nlp.deadlines import open_deadline
from metrokg.nlp.normalize import to_simplified
from metrokg.nlp.document import ParsedDocument, Provision
from metrokg.nlp.facts import Fact

log = logging.getLogger(__name__)

COMPONENTS: tuple[str, ...] = (
    "metrokg_numbers_v1",
    "metrokg_deadlines_v1",
    "metrokg_entity_linker_v1",
    "metrokg_targets_v1",
    "metrokg_modality_v1",
    "metrokg_tasks_v1",
    "metrokg_responsibility_v1",
)
FACT_ATTRS = ("metrokg_mentions", "metrokg_targets", "metrokg_deontics", "metrokg_tasks",
              "metrokg_responsibilities")


def build_pipeline(load_vocabulary: bool = True) -> Language:
    """A fresh pipeline; ``load_vocabulary=False`` leaves the entity linker without patterns
    (tests add their own with ``nlp.get_pipe("metrokg_entity_linker_v1").add_patterns``)."""
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    for name in COMPONENTS:
        config = {"load_vocabulary": load_vocabulary} if name.startswith("metrokg_entity_linker") else {}
        nlp.add_pipe(name, config=config)
    return nlp


@lru_cache(maxsize=1)
def load_pipeline() -> Language:
    """The pipeline with the ontology's vocabulary, built once per process."""
    return build_pipeline(load_vocabulary=True)


def load_from_disk(path: str | Path) -> Language:
    """A pipeline saved with ``nlp.to_disk(path)``."""
    return spacy.load(path)


def run_text(nlp: Language, text: str, context_deadline: int | None = None) -> list[Fact]:
    """Facts in one piece of text (offsets into ``text``)."""
    doc = nlp.make_doc(text)
    doc.user_data["metrokg_text"] = text  # spaCy would rebuild it from the tokens on every access
    doc._.metrokg_context_deadline = context_deadline
    for name, proc in nlp.pipeline:
        try:
            doc = proc(doc)
        except Exception as exc:  # one component failing must not lose the others' facts
            log.warning("component %s failed on a text of %d chars: %s", name, len(text), exc)
    facts: list[Fact] = []
    for attr in FACT_ATTRS:
        facts.extend(getattr(doc._, attr) or [])
    return facts


def _inherited(doc: ParsedDocument, p: Provision, horizons: dict[str, int | None]) -> int | None:
    return horizons.get(p.parent) if p.parent else None


def extract(doc: ParsedDocument, nlp: Language | None = None) -> list[Fact]:
    """Every fact in ``doc``, provision by provision, offsets mapped to ``doc.text``.

    A provision inherits the deadline horizon left open by its parent (``到2025年，
    实现以下目标：`` above numbered items). An empty or one-line document yields nothing.
    """
    if not doc.text.strip() or len([ln for ln in doc.text.splitlines() if ln.strip()]) <= 1:
        log.warning("[E200] %s", Errors.E200.format(doc_id=doc.doc_id))
        return []
    nlp = nlp or load_pipeline()
    horizons: dict[str, int | None] = {}
    out: list[Fact] = []
    for p in doc.provisions:
        inherited = _inherited(doc, p, horizons)
        horizons[p.number] = open_deadline(p.text, inherited)
        if not p.text.strip():
            continue
        # traditional characters are read as simplified; the mapping keeps every offset
        source = to_simplified(p.text)
        try:
            facts = run_text(nlp, source, inherited)
        except Exception as exc:  # logged and skipped, never a crash
            log.warning("provision %s of %s skipped: %s", p.number, doc.doc_id, exc)
            continue
        for f in facts:
            g = f.shifted(p.start, p.number)
            written = doc.text[g.start:g.end]
            if to_simplified(written) != g.text:
                log.warning("dropped a %s whose offsets do not match the text", g.kind)
                continue
            out.append(g if written == g.text else replace(g, text=written))
    return out
