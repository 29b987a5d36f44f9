"""Every error and warning speaks both languages: a Chinese text for each code, with the same fields."""

from __future__ import annotations

import re
import string

import pytest

from metrokg.errors import Errors, ErrorsZh, MetrokgError, Warnings, WarningsZh, error_text

PAIRS = [(Errors, ErrorsZh), (Warnings, WarningsZh)]
HAN = re.compile(r"[\u4e00-\u9fff]")


def codes(cls) -> list[str]:
    return [name for name in vars(cls) if re.fullmatch(r"[EW]\d{3}", name)]


def fields(template: str) -> set[tuple[str, str]]:
    """The placeholders of a template with their format specs ({size_mb:.1f} stays {size_mb:.1f})."""
    return {(name, f"{spec}!{conv}") for _, name, spec, conv in string.Formatter().parse(template) if name is not None}


@pytest.mark.parametrize("english, chinese", PAIRS, ids=["errors", "warnings"])
def test_every_code_has_a_chinese_text_with_the_same_fields(english, chinese):
    missing = sorted(set(codes(english)) - set(codes(chinese)))
    assert not missing, f"add a Chinese text for these codes to {chinese.__name__} in metrokg/errors.py: {missing}"
    extra = sorted(set(codes(chinese)) - set(codes(english)))
    assert not extra, f"{chinese.__name__} has codes {english.__name__} lacks: {extra}"
    for code in codes(english):
        en, zh = getattr(english, code), getattr(chinese, code)
        assert fields(en) == fields(zh), f"{code}: the Chinese text's fields differ from the English ones"
        assert HAN.search(zh), f"{code}: the Chinese text has no Chinese in it"
        for command in re.findall(r"`[^`]+`|METROKG_[A-Z_]+|--[a-z-]+", en):
            assert command in zh, f"{code}: {command} must stay as it is in the Chinese text"


def test_an_error_explains_itself_in_the_language_asked_for():
    err = MetrokgError("E322", value="很多")
    assert err.explain() == str(err) == err.explain("en")
    assert err.explain("zh") == "[E322] " + error_text("E322", "zh", value="很多")
    assert err.explain("zh").startswith("[E322] 进度值“很多”不是数字")
    bug = MetrokgError("E370", reason="x")
    assert bug.explain("zh").startswith("[E370] 内部查询错误") and "缺陷" in bug.explain("zh")
    assert "bug" in bug.explain("en")
    assert error_text("W155", "zh", length=5000, limit=100).startswith("检索词长 5,000 个字符")
    assert error_text("W155", "en", length=5000, limit=100) == Warnings.W155.format(length=5000, limit=100)


@pytest.mark.parametrize("english, chinese", PAIRS, ids=["errors", "warnings"])
def test_every_text_formats_in_both_languages(english, chinese):
    for code in codes(english):
        template = getattr(english, code)
        values = {name: 1234.5 if spec.split("!")[0] else "x" for name, spec in fields(template) if name}
        for lang in ("en", "zh"):
            assert error_text(code, lang, **values), (code, lang)
