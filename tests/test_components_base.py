"""The rule components' shared base: each fills its Doc attribute, has its factory, saves nothing."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from metrokg.nlp.extraction.components.base import RuleComponent, rule_component
from metrokg.nlp.extraction.components.baselines import BaselineSorter
from metrokg.nlp.extraction.components.funding import FundingRecognizer
from metrokg.nlp.extraction.components.penalties import PenaltyReader
from metrokg.nlp.extraction.components.table_rows import TableRowReader
from metrokg.nlp.extraction.components.time_limits import TimeLimitRecognizer


@rule_component("metrokg_test_lengths", "v9", "metrokg_test_lengths")
class _Lengths(RuleComponent):
    """Counts the tokens (a component made for this test)."""

    def extract(self, doc: Doc) -> int:
        return len(doc)


def test_a_rule_component_fills_its_attribute_through_its_factory(tmp_path):
    nlp = spacy.blank("en")
    pipe = nlp.add_pipe("metrokg_test_lengths_v9")
    assert isinstance(pipe, _Lengths) and pipe.version == "v9" and pipe.name == "metrokg_test_lengths_v9"
    assert nlp("three little words")._.metrokg_test_lengths == 3
    nlp.to_disk(tmp_path / "model")  # nothing of its own to write
    assert spacy.load(tmp_path / "model")("two words")._.metrokg_test_lengths == 2


@pytest.mark.parametrize("cls,attribute", [(BaselineSorter, "metrokg_baselines"), (FundingRecognizer, "metrokg_funding"),
                                           (TimeLimitRecognizer, "metrokg_time_limits"),
                                           (TableRowReader, "metrokg_table_rows"), (PenaltyReader, "metrokg_penalties")])
def test_the_rule_components_share_the_base(cls, attribute):
    assert issubclass(cls, RuleComponent) and cls.attribute == attribute and Doc.has_extension(attribute)
    assert "__call__" not in vars(cls)  # the one call of the base
