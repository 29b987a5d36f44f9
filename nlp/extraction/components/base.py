"""What the rule components share: a spaCy component that fills one ``Doc._`` attribute.

A component built on :class:`RuleComponent` says how it reads a doc (:meth:`RuleComponent.extract`);
:func:`rule_component` gives it its version, declares its attribute on ``Doc`` and registers its
spaCy factory. The call, the extension, the factory and the ``to_disk``/``from_disk`` of a
component whose rules are code (nothing to save) are so written once, not once per component.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Callable, ClassVar, TypeVar

from spacy.language import Language
from spacy.tokens import Doc

C = TypeVar("C", bound="RuleComponent")


class RuleComponent(ABC):
    """spaCy component: ``doc._.<attribute>`` set to what :meth:`extract` reads from the doc."""

    attribute: ClassVar[str]  # the Doc extension this component fills
    version: ClassVar[str]

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.set(self.attribute, self.extract(doc))  # a failure is the pipeline's to report
        return doc

    @abstractmethod
    def extract(self, doc: Doc) -> Any:
        """What the component reads from ``doc`` (it may also refine what earlier ones left)."""

    def to_disk(self, path, exclude=()) -> None:  # noqa: ANN001 - spaCy's signature
        """Nothing to write: the rules are code."""
        return None

    def from_disk(self: C, path, exclude=()) -> C:  # noqa: ANN001 - spaCy's signature
        """Nothing to read."""
        return self


def rule_component(name: str, version: str, attribute: str) -> Callable[[type[C]], type[C]]:
    """Class decorator: the component's version and ``Doc`` attribute, and its factory
    ``{name}_{version}`` (what the pipeline's component list names)."""
    def register(cls: type[C]) -> type[C]:
        cls.attribute, cls.version = attribute, version
        if not Doc.has_extension(attribute):
            Doc.set_extension(attribute, default=None)

        def make(nlp: Language, name: str) -> C:
            return cls(nlp, name)

        make.__doc__ = f"Factory for {cls.__name__}: {(cls.__doc__ or '').splitlines()[0]}"
        Language.factory(f"{name}_{version}", func=make)
        return cls
    return register
