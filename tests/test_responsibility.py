"""Responsibilities from notes (any bracket form) and from sentence subjects."""

import pytest

from metrokg.nlp.extraction.components.entity_linker import Pattern
from metrokg.nlp.extraction.pipeline import build_pipeline, run_text
from metrokg.nlp.extraction.components.responsibility import find_notes, split_actor_list

T = "https://w3id.org/metrokg/id/actortype/"
VOCAB = [
    Pattern("市场监督管理局", T + "amr", "actortype", "市场监督管理局"),
    Pattern("市场监管局", T + "amr", "actortype", "市场监督管理局"),
    Pattern("科技局", T + "sci", "actortype", "科学技术厅"),
    Pattern("财政局", T + "fin", "actortype", "财政厅"),
    Pattern("人民政府", T + "gov", "actortype", "人民政府"),
    Pattern("有关部门", T + "dept", "actortype", "有关部门"),
    Pattern("各有关部门", T + "dept", "actortype", "有关部门"),
]


@pytest.fixture(scope="module")
def nlp():
    nlp = build_pipeline(load_vocabulary=False)
    nlp.get_pipe("metrokg_entity_linker_v1").add_patterns(VOCAB)
    return nlp


def resp(nlp, text):
    return [(r.actor_name, r.role, r.level, r.actor_type_iri) for r in run_text(nlp, text)
            if r.kind == "responsibility"]


@pytest.mark.parametrize("note", [
    "（责任单位：市市场监管局、市科技局）", "(责任单位:市市场监管局、市科技局)", "【责任单位：市市场监管局，市科技局】",
    "〔责任单位：市市场监管局、市科技局〕",
])
def test_bracket_forms(nlp, note):
    got = resp(nlp, "1.建设市级产业计量测试中心两家。" + note)
    assert got == [("市市场监管局", "responsible", "city", T + "amr"), ("市科技局", "responsible", "city", T + "sci")]


def test_lead_and_supporting(nlp):
    got = resp(nlp, "开展专项检查。（牵头单位：市市场监管局；配合单位：市财政局、各县（市、区）人民政府）")
    assert got == [("市市场监管局", "lead", "city", T + "amr"), ("市财政局", "supporting", "city", T + "fin"),
                   ("各县（市、区）人民政府", "supporting", "county", T + "gov")]


def test_verb_form_note(nlp):
    got = resp(nlp, "推动企业建立测量管理体系。（市科技局牵头，市市场监管局配合）")
    assert [(a, r) for a, r, *_ in got] == [("市科技局", "lead"), ("市市场监管局", "supporting")]


def test_note_on_its_own_line_governs_text_above(nlp):
    rs = [r for r in run_text(nlp, "组织实施计量科研项目12项。\n责任单位：省市场监管局") if r.kind == "responsibility"]
    assert [(r.actor_name, r.role, r.level) for r in rs] == [("省市场监管局", "responsible", "province")]
    assert rs[0].text.startswith("组织实施计量科研项目12项")


def test_note_governs_only_its_own_task(nlp):
    text = "建设平台。（责任单位：市科技局）培育品牌。（责任单位：市财政局）"
    rs = [r for r in run_text(nlp, text) if r.kind == "responsibility"]
    assert [(r.actor_name, r.text) for r in rs] == [("市科技局", "建设平台"), ("市财政局", "培育品牌")]


def test_subjects_and_huitong(nlp):
    text = "各市、州、县人民政府以及各有关部门要建立健全工作责任制。省市场监管局会同有关部门加强跟踪监测。"
    got = resp(nlp, text)
    assert got == [("各市、州、县人民政府", "subject", "city,prefecture,county", T + "gov"),
                   ("各有关部门", "subject", None, T + "dept"),
                   ("省市场监管局", "lead", "province", T + "amr"),
                   ("有关部门", "supporting", None, T + "dept")]


def test_subject_carries_modality_and_action(nlp):
    (r,) = [r for r in run_text(nlp, "各县人民政府要加强计量基础设施建设。") if r.kind == "responsibility"]
    assert (r.role, r.modality, r.action) == ("subject", "obligation", "加强")


def test_generic_subject_of_a_prohibition(nlp):
    got = resp(nlp, "任何单位和个人不得破坏计量器具准确度。")
    assert got == [("任何单位和个人", "subject", None, None)]


def test_actor_mentioned_as_object_is_not_a_subject(nlp):
    assert resp(nlp, "重要情况及时报告省人民政府。") == []


def test_split_actor_list_keeps_shared_type():
    text = "各市、州、县人民政府、省科技厅和省财政厅"
    assert [n for n, _a, _b in split_actor_list(text, 0, len(text))] == ["各市、州、县人民政府", "省科技厅", "省财政厅"]


def test_find_notes_ignores_ordinary_brackets():
    assert find_notes("建成碳计量中心(能源计量中心)2家以上。") == []


# --- rules added for other documents' styles (made-up sentences) -----------------------

def test_article_marker_is_not_part_of_the_subject(nlp):
    got = resp(nlp, "第八条 集贸市场开办者应当配备复秤设施。")
    assert got == [("集贸市场开办者", "subject", None, None)]


def test_long_subject_ending_in_a_person(nlp):
    got = resp(nlp, "第三条 从事定量包装商品生产的企业应当建立计量保证体系。")
    assert got == [("从事定量包装商品生产的企业", "subject", None, None)]


def test_list_of_bodies_before_a_cue(nlp):
    got = resp(nlp, "各村民委员会、社区服务站应当协助开展计量宣传。")
    assert [(n, r) for n, r, _l, _i in got] == [("各村民委员会", "subject"), ("社区服务站", "subject")]


@pytest.mark.parametrize("text,name,modality", [
    ("严禁商户使用未经检定的计价秤。", "商户", "prohibition"),
    ("禁止检测机构出具虚假报告。", "检测机构", "prohibition"),
    ("允许校准机构在现场开展校准。", "校准机构", "permission"),
])
def test_party_named_after_the_cue(nlp, text, name, modality):
    (r,) = [r for r in run_text(nlp, text) if r.kind == "responsibility"]
    assert (r.actor_name, r.role, r.modality) == (name, "subject", modality)


@pytest.mark.parametrize("text", ["严禁在计量器具中安装作弊装置。", "禁止擅自拆卸计量器具。", "严禁使用未经检定或者超期的计量器具。"])
def test_no_party_after_the_cue(nlp, text):
    assert resp(nlp, text) == []


def test_duty_within_remit_is_responsible(nlp):
    got = resp(nlp, "县财政局、县科技局等部门按照各自职责做好保障工作。")
    assert [(n, r, lv) for n, r, lv, _i in got] == [("县财政局", "responsible", "county"),
                                                    ("县科技局", "responsible", "county")]


def test_modal_then_huitong_is_lead(nlp):
    got = resp(nlp, "市市场监管局要会同有关部门制定实施细则。")
    assert [(n, r) for n, r, _l, _i in got] == [("市市场监管局", "lead"), ("有关部门", "supporting")]


def test_you_makes_the_body_responsible(nlp):
    got = resp(nlp, "逾期不改正的，由县市场监管局依法处理。")
    assert [(n, r) for n, r, _l, _i in got] == [("县市场监管局", "responsible")]


def test_body_heading_a_clause_without_cue_is_its_subject(nlp):
    (r,) = [r for r in run_text(nlp, "区市场监管局每半年开展一次计量监督检查。") if r.kind == "responsibility"]
    assert (r.actor_name, r.role, r.modality, r.level) == ("区市场监管局", "subject", None, "district")


def test_object_list_after_a_verb_is_no_subject(nlp):
    assert resp(nlp, "支持高等学校、市科技局与企业合作开展研究。") == []


@pytest.mark.parametrize("note,expected", [
    ("（市科技局、市财政局按职责分工负责）", [("市科技局", "responsible"), ("市财政局", "responsible")]),
    ("（市市场监管局，各县人民政府）", [("市市场监管局", "responsible"), ("各县人民政府", "responsible")]),
    ("（市市场监管局指导）", [("市市场监管局", "supporting")]),
    ("（市科技局负责，各县人民政府落实。以下均需各县人民政府落实，不再列出）",
     [("市科技局", "responsible"), ("各县人民政府", "responsible")]),
])
def test_more_note_forms(nlp, note, expected):
    got = resp(nlp, "5.建设计量科普基地。" + note)
    assert [(n, r) for n, r, _l, _i in got] == expected


def test_bracketed_gloss_is_no_note(nlp):
    assert resp(nlp, "建成碳计量中心(能源计量中心)2家。") == []


@pytest.mark.parametrize("prefix,level", [
    ("各地级以上市", "city"), ("各设区市", "city"), ("各乡镇", "township"), ("各街道", "township"),
    ("各县（市、区）", "county"), ("县级以上地方", "county"), ("各省、自治区、直辖市", "province"),
    ("计划单列市", "city"),
])
def test_level_words(prefix, level):
    from metrokg.nlp.extraction.lexicon.actors import level_of, split_level

    text = prefix + "人民政府"
    start = split_level(text, len(prefix))
    assert start == 0 and level_of(text[:len(prefix)]) == level


def test_named_body_level():
    from metrokg.nlp.extraction.components.responsibility import named_level

    assert (named_level("国家市场监督管理总局"), named_level("中国测试技术研究院"), named_level("浙江省计量院"),
            named_level("某某协会")) == ("national", "national", "province", None)


def test_no_subject_from_a_cue_inside_a_relative_clause(nlp):
    """国务院禁止使用的其他计量器具: 国务院 forbids nothing in this provision, the applicant must apply."""
    text = "第十四条 申请进口国务院禁止使用的其他计量器具的单位，应当向省人民政府计量行政部门提供材料。"
    found = [(r.actor_name, r.role, r.modality) for r in run_text(nlp, text) if r.kind == "responsibility"]
    assert not any(m == "prohibition" or name.endswith("国务院") for name, _, m in found)
    assert ("申请进口国务院禁止使用的其他计量器具的单位", "subject", "obligation") in found


def test_a_department_written_after_its_government_is_one_body():
    """A law's usual subject, 县级以上人民政府计量行政部门: the department at the government's level."""
    nlp = build_pipeline()
    got = [r for r in run_text(nlp, "第三十四条 县级以上人民政府计量行政部门负责计量纠纷的调解和仲裁检定。")
           if r.kind == "responsibility"]
    assert [(r.actor_name, r.role, r.level) for r in got] == [("县级以上人民政府计量行政部门", "responsible", "county")]
    assert got[0].actor_iri.endswith("/actortype/market-regulation-bureau")


def test_an_adverb_before_the_cue_is_not_part_of_the_subject(nlp):
    got = resp(nlp, "在调解、仲裁及案件审理期间，任何一方当事人均不得改变与计量纠纷有关的计量器具的技术状态。")
    assert [name for name, *_ in got] == ["任何一方当事人"]
