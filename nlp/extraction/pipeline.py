"""The extraction pipeline: a blank Chinese spaCy pipeline (jieba) with metrokg's components.

``load_pipeline()`` builds it once per process; ``extract(doc)`` runs it over every
provision of a :class:`ParsedDocument` and returns facts whose offsets point into the
document's normalised text (``doc.text[f.start:f.end] == f.text``).

Component order matters: numbers and deadlines first, then the entity linker (targets,
tasks and responsibilities look up its mentions), targets, modality, tasks, and
responsibilities last (they take modality and action from the earlier two).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import logging
import sys
from functools import lru_cache
from pathlib import Path
from typing import Callable


def _import_spacy_without_torch() -> None:
    """Import spaCy with torch hidden, unless torch is loaded already.

    thinc (spaCy's machine-learning library) imports torch whenever it is installed, for
    neural models this rule-based pipeline never runs: 1-2 s of every process that extracts, the
    largest part of loading the pipeline. Hidden only while spaCy is imported: ``import torch``
    works as usual afterwards (the torch embedder), thinc alone believes it absent."""
    if "torch" in sys.modules or "thinc" in sys.modules:
        return
    sys.modules["torch"] = None  # type: ignore[assignment]  # makes ``import torch`` an ImportError
    try:
        import spacy  # noqa: F401
    finally:
        if sys.modules.get("torch", False) is None:
            del sys.modules["torch"]


_import_spacy_without_torch()

import spacy  # noqa: E402
from spacy.lang.zh import ChineseTokenizer  # noqa: E402
from spacy.language import Language  # noqa: E402
from spacy.vocab import Vocab  # noqa: E402

# importing the modules registers their factories
from metrokg.errors import warning_text  # noqa: E402
from metrokg.nlp.extraction.components import baselines as _baselines  # noqa: E402, F401
from metrokg.nlp.extraction.components import deadlines as _deadlines  # noqa: E402, F401
from metrokg.nlp.extraction.components import funding as _funding  # noqa: E402, F401
from metrokg.nlp.extraction.components import entity_linker as _entity_linker  # noqa: E402, F401
from metrokg.nlp.extraction.components import modality as _modality  # noqa: E402, F401
from metrokg.nlp.extraction.components import numbers as _numbers  # noqa: E402, F401
from metrokg.nlp.extraction.components import penalties as _penalties  # noqa: E402, F401
from metrokg.nlp.extraction.components import responsibility as _responsibility  # noqa: E402, F401
from metrokg.nlp.extraction.components import table_rows as _table_rows  # noqa: E402, F401
from metrokg.nlp.extraction.components import targets as _targets  # noqa: E402, F401
from metrokg.nlp.extraction.components import tasks as _tasks  # noqa: E402, F401
from metrokg.nlp.extraction.components import time_limits as _time_limits  # noqa: E402, F401
from metrokg.nlp.structure.deadlines import open_deadline  # noqa: E402
from metrokg.nlp.reading.normalize import to_simplified  # noqa: E402
from metrokg.nlp.structure.document import ParsedDocument, Provision  # noqa: E402
from metrokg.nlp.extraction.facts import Fact  # noqa: E402
from metrokg.nlp.segment import Segmenter, pipeline_segmenter  # noqa: E402

log = logging.getLogger(__name__)

COMPONENTS: tuple[str, ...] = (
    "metrokg_numbers_v1",
    "metrokg_deadlines_v1",
    "metrokg_entity_linker_v1",
    "metrokg_time_limits_v1",
    "metrokg_funding_v1",
    "metrokg_targets_v1",
    "metrokg_table_rows_v1",
    "metrokg_baselines_v1",
    "metrokg_modality_v1",
    "metrokg_tasks_v1",
    "metrokg_responsibility_v1",
    "metrokg_penalties_v1",
)
FACT_ATTRS = ("metrokg_mentions", "metrokg_targets", "metrokg_deontics", "metrokg_tasks",
              "metrokg_responsibilities", "metrokg_penalties", "metrokg_baselines", "metrokg_funding",
              "metrokg_time_limits")
TOKENIZER = "metrokg_zh_tokenizer_v1"


class SegmentedChineseTokenizer(ChineseTokenizer):
    """spaCy's Chinese tokenizer in jieba mode, cutting with the pipeline's own :class:`Segmenter`
    instead of the ``jieba`` module (whose process-wide dictionary anybody may change)."""

    def __init__(self, vocab: Vocab, segmenter: Segmenter) -> None:
        super().__init__(vocab, segmenter="char")  # "jieba" would initialise jieba's global dictionary
        self.segmenter = "jieba"  # the mode: __call__ and the saved config take the jieba path
        self.jieba_seg = segmenter


@spacy.registry.tokenizers(TOKENIZER)
def make_tokenizer() -> Callable[[Language], SegmentedChineseTokenizer]:
    """Factory: a tokenizer with a fresh segmenter that the pipeline's components teach their words."""
    def create(nlp: Language) -> SegmentedChineseTokenizer:
        return SegmentedChineseTokenizer(nlp.vocab, Segmenter())

    return create


def build_pipeline(load_vocabulary: bool = True) -> Language:
    """A fresh pipeline; ``load_vocabulary=False`` leaves the entity linker without patterns
    (tests add their own with ``nlp.get_pipe("metrokg_entity_linker_v1").add_patterns``)."""
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}})
    for name in COMPONENTS:
        config = {"load_vocabulary": load_vocabulary} if name.startswith("metrokg_entity_linker") else {}
        nlp.add_pipe(name, config=config)
    pipeline_segmenter(nlp).load()  # built here, so forked ingest workers share it
    return nlp


@lru_cache(maxsize=1)
def load_pipeline() -> Language:
    """The pipeline with the ontology's vocabulary, built once per process."""
    return build_pipeline(load_vocabulary=True)


def load_from_disk(path: str | Path) -> Language:
    """A pipeline saved with ``nlp.to_disk(path)``."""
    return spacy.load(path)


OnError = Callable[[str, Exception], None]


def _handled(step: str, exc: Exception, on_error: OnError | None) -> bool:
    """Lenient (``on_error`` given): hand it the failure and go on. Strict: note which step
    raised, so a bug in a rule is reported where it happened; False tells the caller to re-raise."""
    if on_error is None:
        exc.add_note(f"raised by the extraction step {step}")
        return False
    on_error(step, exc)
    return True


@dataclass(frozen=True)
class TextContext:
    """What the driver knows about a provision beyond its text: whether its document is a law
    or regulation (numbers there are rules unless a deadline makes them goals), whether it stands
    in a background section (编制背景, 发展现状: its figures are achievements), the document's year."""

    legal: bool = False
    background: bool = False
    year: int | None = None
    article: dict | None = None  # the article holding the provision, for penalties (penalties.article_context)


# document kinds whose text is a legal norm (the ontology's subclasses of mkg:NormativeDocument)
LEGAL_KINDS = frozenset({"Law", "AdministrativeRegulation", "LocalRegulation", "DepartmentalRule",
                         "LocalGovernmentRule", "Regulation", "Rule"})


def text_context(doc: ParsedDocument, p: Provision, by_number: dict[str, Provision] | None = None) -> TextContext:
    """The :class:`TextContext` of provision ``p``: background when it or a provision above it is
    headed like one (编制背景, 发展现状, 发展基础). ``by_number``: the provisions by number, once per document."""
    from metrokg.nlp.extraction.lexicon.quantities import BACKGROUND_HEADING

    by_number = by_number if by_number is not None else {q.number: q for q in doc.provisions}
    background, q, hops = False, p, 0
    while q is not None and hops < 32:
        if q.heading and BACKGROUND_HEADING.search(q.heading):
            background = True
            break
        q, hops = by_number.get(q.parent) if q.parent else None, hops + 1
    year = int(doc.date[:4]) if doc.date and doc.date[:4].isdigit() else None
    legal_kind = getattr(doc, "legal_kind", None)  # law, local_regulation, …, normative_document
    legal = legal_kind not in (None, "normative_document") or (doc.doc_type or "") in LEGAL_KINDS
    return TextContext(legal=legal, background=background, year=year,
                       article=_penalties.article_context(doc, p, by_number))


def run_text(nlp: Language, text: str, context_deadline: int | None = None,
             on_error: OnError | None = None, context: TextContext | None = None) -> list[Fact]:
    """Facts in one piece of text (offsets into ``text``); ``context`` says what the text is part of.

    An exception in the tokenizer or a component goes on to the caller, noted with the step's
    name, unless ``on_error`` is given: then ``on_error(name, exc)`` is called and the other
    components still run, without the failed one's facts (without any, if the tokenizer failed).
    """
    try:
        doc = nlp.make_doc(text)
    except Exception as exc:  # strict: re-raised; lenient: reported
        if not _handled("tokenizer", exc, on_error):
            raise
        return []
    doc.user_data["metrokg_text"] = text  # spaCy would rebuild it from the tokens on every access
    doc._.metrokg_context_deadline = context_deadline
    context = context or TextContext()
    doc._.metrokg_legal_text = context.legal
    doc._.metrokg_background = context.background
    doc._.metrokg_document_year = context.year
    doc.user_data[_penalties.CONTEXT_KEY] = context.article
    for name, proc in nlp.pipeline:
        try:
            doc = proc(doc)
        except Exception as exc:  # strict: re-raised; lenient: reported, the other components' facts kept
            if not _handled(name, exc, on_error):
                raise
    facts: list[Fact] = []
    for attr in FACT_ATTRS:
        facts.extend(getattr(doc._, attr) or [])
    return facts


def _inherited(doc: ParsedDocument, p: Provision, horizons: dict[str, int | None]) -> int | None:
    return horizons.get(p.parent) if p.parent else None


def extract(doc: ParsedDocument, nlp: Language | None = None, *, strict: bool = True,
            warnings: list[str] | None = None) -> list[Fact]:
    """Every fact in ``doc``, provision by provision, offsets mapped to ``doc.text``.

    A provision inherits the deadline horizon left open by its parent (``到2025年，
    实现以下目标：`` above numbered items). An empty or one-line document yields nothing (W002).

    ``strict`` (the default; tests and ``metrokg eval``): a bug in a rule raises, its exception
    noted with the component, provision and document. ``strict=False`` (production ingest): the
    document is still read, and a W001 warning names the component and provision whose facts are
    missing. Warnings are logged and appended to ``warnings`` when it is given.
    """
    def warn(code: str, **fields: object) -> None:
        text = warning_text(code, doc_id=doc.doc_id, **fields)
        log.warning("%s", text)
        if warnings is not None:
            warnings.append(text)

    def on_error(number: str) -> OnError | None:
        """Lenient: each step that fails on provision ``number`` becomes a W001 warning."""
        if strict:
            return None
        return lambda step, exc: warn("W001", component=step, number=number, error=f"{type(exc).__name__}: {exc}")

    if not doc.text.strip() or len([ln for ln in doc.text.splitlines() if ln.strip()]) <= 1:
        warn("W002")
        return []
    nlp = nlp or load_pipeline()
    horizons: dict[str, int | None] = {}
    by_number = {q.number: q for q in doc.provisions}
    out: list[Fact] = []
    for p in doc.provisions:
        inherited = _inherited(doc, p, horizons)
        horizons[p.number] = open_deadline(p.text, inherited)
        if not p.text.strip():
            continue
        # traditional characters are read as simplified; the mapping keeps every offset
        source = to_simplified(p.text)
        try:
            facts = run_text(nlp, source, inherited, on_error(p.number), text_context(doc, p, by_number))
        except Exception as exc:  # strict only: the exception goes on, saying where it happened
            exc.add_note(f"on provision {p.number} of {doc.doc_id}")
            raise
        for f in facts:
            g = f.shifted(p.start, p.number)
            written = doc.text[g.start:g.end]
            if to_simplified(written) != g.text:  # a rule's offsets are wrong: a bug, like an exception
                if strict:
                    raise ValueError(warning_text("W003", component=g.component, kind=g.kind, number=p.number,
                                                  doc_id=doc.doc_id))
                warn("W003", component=g.component, kind=g.kind, number=p.number)
                continue
            out.append(g if written == g.text else replace(g, text=written))
    return out
