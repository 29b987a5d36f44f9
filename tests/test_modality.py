"""Deontic modality: cue words on jieba tokens, each governing its own clause."""

import pytest

from metrokg.nlp.extraction.pipeline import build_pipeline, run_text


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline(load_vocabulary=False)


def deontics(nlp, text):
    return [(f.modality, f.cue, f.text) for f in run_text(nlp, text) if f.kind == "deontic"]


@pytest.mark.parametrize("text,modality,cue", [
    ("各市人民政府要高度重视计量工作。", "obligation", "要"),
    ("经营者应当建立计量器具管理台账。", "obligation", "应当"),
    ("使用者必须按规定申请检定。", "obligation", "必须"),
    ("任何单位和个人不得破坏计量器具准确度。", "prohibition", "不得"),
    ("严禁使用不合格计量器具。", "prohibition", "严禁"),
    ("禁止出具虚假数据。", "prohibition", "禁止"),
    ("鼓励企业开展能力验证。", "encouragement", "鼓励"),
    ("支持高校建设计量学科。", "encouragement", "支持"),
    ("企业可以委托计量技术机构校准。", "permission", "可以"),
    ("探索建立碳排放计量审查制度。", "exploration", "探索"),
    ("开展城市和园区低碳计量试点。", "exploration", "试点"),
])
def test_cues(nlp, text, modality, cue):
    (got,) = deontics(nlp, text)
    assert got[:2] == (modality, cue)


@pytest.mark.parametrize("text", [
    "计量是重要的技术基础。",        # 重要 is not 要
    "强化计量校准溯源要求。",        # 要求
    "加强政策支持。",                # nominal 支持, nothing governed
    "对平台予以支持。",
    "加大支持力度，发挥引导作用。",
    "为温室气体排放可测量、可报告、可核查提供计量支撑。",  # adjective list
    "结合实际制定支持计量发展的工作计划。",  # 支持 inside a noun phrase
    "",
])
def test_not_cues(nlp, text):
    assert deontics(nlp, text) == []


def test_each_cue_governs_its_clause(nlp):
    got = deontics(nlp, "鼓励采用多元化融资方式,拓宽融资渠道,积极引导社会资金参与计量技术研究。")
    assert got == [("encouragement", "鼓励", "鼓励采用多元化融资方式,拓宽融资渠道"),
                   ("encouragement", "引导", "积极引导社会资金参与计量技术研究")]


def test_clause_starts_at_subject_not_at_leading_phrase(nlp):
    (got,) = deontics(nlp, "围绕优势产业,引导龙头企业建立测量管理体系;加强监管。")
    assert got[2] == "引导龙头企业建立测量管理体系"
    (got,) = deontics(nlp, "各市、州、县人民政府要高度重视计量工作,结合实际制定计划。")
    assert got[2].startswith("各市、州、县人民政府要")


def test_item_marker_is_not_part_of_the_statement(nlp):
    (got,) = deontics(nlp, "4.严禁使用未经检定的计量器具。")
    assert got[2] == "严禁使用未经检定的计量器具"


def test_article_marker_is_not_part_of_the_clause(nlp):
    assert deontics(nlp, "第九条 鼓励计量技术机构开展比对。") == [("encouragement", "鼓励", "鼓励计量技术机构开展比对")]


def test_four_character_cue_is_one_token(nlp):
    assert [(m, c) for m, c, _t in deontics(nlp, "在自贸区先行先试计量监管改革。")] == [("exploration", "先行先试")]


@pytest.mark.parametrize("text,expected", [
    ("申请进口国务院禁止使用的其他计量器具的单位，应当提供有关材料。", [("obligation", "应当")]),
    ("禁止生产、销售的计量器具目录由国务院公布。", []),
    ("列入目录的应当检定的计量器具，由使用者申请检定。", []),
    ("其计量偏差应符合国家和本省的有关规定。", [("obligation", "应")]),  # 符合… is a duty's object
])
def test_a_cue_inside_a_relative_clause_binds_nobody(nlp, text, expected):
    """国务院禁止使用的其他计量器具 names a kind of instrument: no prohibition, 国务院 is no subject."""
    assert [(m, cue) for m, cue, _ in deontics(nlp, text)] == expected


def test_the_duty_around_a_relative_clause_keeps_its_own_subject(nlp):
    facts = [f for f in run_text(nlp, "任何单位和个人不得使用国务院禁止使用的计量器具。") if f.kind == "deontic"]
    assert [(f.modality, f.cue, f.subject) for f in facts] == [("prohibition", "不得", "任何单位和个人")]
    text = "申请进口国务院禁止使用的其他计量器具的单位，应当提供有关材料。"
    facts = [f for f in run_text(nlp, text) if f.kind == "deontic"]
    assert [(f.modality, f.subject) for f in facts] == [("obligation", "申请进口国务院禁止使用的其他计量器具的单位")]


def test_an_approval_by_another_body_binds_the_one_who_does_what_the_condition_says(nlp):
    text = "因特殊需要，申请进口国务院禁止使用的其他计量器具，须经省人民政府计量行政部门批准。"
    (f,) = [f for f in run_text(nlp, text) if f.kind == "deontic"]
    assert (f.modality, f.subject) == ("obligation", "申请者（申请进口国务院禁止使用的其他计量器具）")
    (f,) = [f for f in run_text(nlp, "用于贸易结算的计量器具，必须经强制检定合格后，方可使用。") if f.kind == "deontic"]
    assert (f.modality, f.subject) == ("obligation", "用于贸易结算的计量器具")  # no 经强者
