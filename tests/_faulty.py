"""Pipelines with a bug planted in a rule, to check that extraction failures surface (strict) or are
reported per document and provision (lenient), never turned silently into missing facts."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from metrokg.nlp.extraction.pipeline import build_pipeline
from metrokg.nlp.structure.textspans import doc_text

FAULT = "故障"  # the planted rule raises on any text holding this word
ERROR = "RuntimeError: a bug in a rule"
FAILING = "metrokg_test_failing"
MISPLACED = "metrokg_test_misplaced"
DOC_ID = "fault-doc"
TEXT = """关于加强计量工作的通知

一、总体要求
到2025年，全省新建社会公用计量标准10项以上。

二、重点任务
（一）省市场监管局要加强计量监督检查，开展故障计量器具排查。
（二）各市州要开展计量比对。
"""
FAULTY_PROVISION = "2.1"


class Failing:
    """A component whose rule has a bug that shows on some texts only."""

    def __call__(self, doc: Doc) -> Doc:
        if FAULT in doc_text(doc):
            raise RuntimeError("a bug in a rule")
        return doc


class Misplaced:
    """A component that spoils the deontics' text, as a rule with wrong offsets would."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.metrokg_deontics = [replace(d, text=d.text + "错") for d in doc._.metrokg_deontics or []]
        return doc


@Language.factory(FAILING)
def make_failing(nlp: Language, name: str) -> Failing:
    return Failing()


@Language.factory(MISPLACED)
def make_misplaced(nlp: Language, name: str) -> Misplaced:
    return Misplaced()


@lru_cache(maxsize=None)
def pipeline(planted: str | None = None) -> Language:
    """The real pipeline (without the vocabulary), with the ``planted`` component before the tasks."""
    nlp = build_pipeline(load_vocabulary=False)
    if planted:
        nlp.add_pipe(planted, before="metrokg_tasks_v1")
    return nlp
