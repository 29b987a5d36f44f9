"""Tasks: action verb and object per task clause; the concept arguments of tasks and the other views."""

import shutil

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS

from conftest import cli_json, run_cli
from metrokg.errors import MetrokgError
from metrokg.kg.analyses.entities import list_tasks
from metrokg.kg.analyses.gaps import gap_map
from metrokg.kg.analyses.obligations import list_obligations
from metrokg.kg.records.factview import load_concepts
from metrokg.kg.search.index import SearchIndex
from metrokg.kg.store.registry import open_store
from metrokg.nlp.extraction.components.entity_linker import Pattern
from metrokg.nlp.extraction.pipeline import build_pipeline, run_text


@pytest.fixture(scope="module")
def nlp():
    nlp = build_pipeline(load_vocabulary=False)
    nlp.get_pipe("metrokg_entity_linker_v1").add_patterns([
        Pattern("时间频率", "https://w3id.org/metrokg/id/discipline/time-frequency", "discipline", "时间频率"),
        Pattern("集成电路", "https://w3id.org/metrokg/id/industry/ic", "industry", "集成电路"),
    ])
    return nlp


def tasks(nlp, text):
    return [(t.action, t.object) for t in run_text(nlp, text) if t.kind == "task"]


@pytest.mark.parametrize("text,action,obj", [
    ("加快时间频率、重力计量技术研究。", "加快", "时间频率、重力计量技术研究"),
    ("研制交直流量子电压计量标准装置。", "研制", "交直流量子电压计量标准装置"),
    ("建设汽车电子零部件检验检测平台。", "建设", "汽车电子零部件检验检测平台"),
    ("建立健全碳达峰碳中和计量技术体系。", "建立健全", "碳达峰碳中和计量技术体系"),
    ("建立和保存计量基准2项以上。", "建立和保存", "计量基准2项以上"),
    ("积极参与国际计量规范制修订。", "参与", "国际计量规范制修订"),
    ("依托重点高校建设集成电路测量实验室。", "建设", "集成电路测量实验室"),
    ("各县人民政府要加强计量基础设施建设。", "加强", "计量基础设施建设"),
    ("2024年底前完成项目论证。", "完成", "项目论证"),
    ("每年开展民生计量专项检查。", "开展", "民生计量专项检查"),
    ("3.推动企业建立测量管理体系。", "推动", "企业建立测量管理体系"),
    ("一是新建计量标准20项以上。", "新建", "计量标准20项以上"),
])
def test_action_and_object(nlp, text, action, obj):
    assert tasks(nlp, text)[0] == (action, obj)


def test_prepositional_clause_is_skipped(nlp):
    assert tasks(nlp, "围绕新一代信息技术领域,开展数字测量技术研究。") == [("开展", "数字测量技术研究")]


@pytest.mark.parametrize("text", [
    "计量服务体系基本建立。", "计量在经济社会各领域的作用日益凸显。", "(二)发展目标", "立足新发展阶段。", "",
])
def test_not_tasks(nlp, text):
    assert tasks(nlp, text) == []


def test_object_stops_before_responsibility_note(nlp):
    assert tasks(nlp, "建设计量测试平台。（责任单位：市科技局）") == [("建设", "计量测试平台")]


def test_concerns_links_mentions(nlp):
    (t,) = [t for t in run_text(nlp, "加强集成电路制造测量技术研究。") if t.kind == "task"]
    assert t.concerns == ["https://w3id.org/metrokg/id/industry/ic"]


def test_note_without_full_stop_is_cut_off(nlp):
    assert tasks(nlp, "建设计量测试平台（责任单位：市科技局、市财政局）") == [("建设", "计量测试平台")]


# --- rules added for other documents' styles (made-up sentences) -----------------------

@pytest.mark.parametrize("text,action", [
    ("第五条 食品生产企业应当配备与生产规模相适应的计量器具。", "配备"),   # article marker + subject + cue
    ("第九条 使用电子计价秤的摊位经营者应当每月自行校准一次。", "校准"),     # long subject before the cue
    ("夯实县域计量工作基础。", "夯实"),                                  # verb lexicon: improve
    ("严格计量器具型式批准管理。", "严格"),                              # adverb-verb with no verb after it
    ("严格执行计量器具强制检定制度。", "执行"),                          # ... and an adverb before a verb
    ("统筹安排计量专项资金。", "统筹安排"),                              # lead verb joins the next verb
    ("组织攻关一批关键计量测试技术。", "组织攻关"),
    ("改造和升级一批计量标准装置。", "改造和升级"),                     # verbs joined by 和
    ("新建、改造升级企业最高计量标准。", "新建、改造升级"),             # verbs joined by 、
    ("充分发挥行业协会的桥梁作用。", "充分发挥"),                        # a compound beats its adverb
    ("对学校食堂在用衡器开展专项检查。", "开展"),                        # 对-phrase skipped
    ("市计量所牵头组建区域计量联盟。", "组建"),                          # role verb before the action
    ("沿海地区建成不少于三个海洋计量站。", "建成"),                      # place before the verb
    ("镇财政每年安排经费不少于10万元。", "安排"),                        # 财政 as a subject
    ("依托高等院校建设计量人才实训基地。", "建设"),                       # verb on a word boundary
    ("为中小企业提供计量咨询服务。", "提供"),                            # 为 -> the verb that gives
    ("各有关部门要会同乡镇开展计量宣传。", "开展"),                      # cue then 会同-phrase
    ("每半年抽查计量器具不少于50台。", "抽查"),                          # frequency adverb
    ("快速有效处置计量纠纷。", "处置"),                                  # manner adverbs
])
def test_other_styles(nlp, text, action):
    assert [a for a, _o in tasks(nlp, text)][:1] == [action]


@pytest.mark.parametrize("text", [
    "为规范计量器具管理，提升监管效能，结合本县实际，制定本办法。",   # purpose sentence
    "特制定本实施细则。",                                             # the document drafting itself
    "任何单位不得伪造计量检定证书。",                                 # a prohibition is no task
    "经营者可以自行选择校准机构。",                                   # nor is a permission
    "（三）发展目标。",                                                # a heading read as verb + noun
    "各部门按照职责分工做好相关工作。",                               # an object that only points back
    "抽查合格率保持在95%以上。",                                      # a rate, not an action
])
def test_not_tasks_in_other_styles(nlp, text):
    assert tasks(nlp, text) == []


def test_passive_obligation_takes_the_fronted_object(nlp):
    assert tasks(nlp, "医疗机构在用的心电图机应当定期检定。") == [("检定", "医疗机构在用的心电图机")]


def test_fronted_dui_phrase_is_the_object(nlp):
    assert tasks(nlp, "对虚标计量数据的行为，依法从严查处。") == [("查处", "虚标计量数据的行为")]


def test_verb_groups_cover_the_flat_lexicon():
    from metrokg.nlp.extraction.lexicon.verbs import ACTION_VERBS, VERB_GROUPS

    assert set(ACTION_VERBS) >= {v for vs in VERB_GROUPS.values() for v in vs}
    assert list(ACTION_VERBS) == sorted(ACTION_VERBS, key=len, reverse=True)  # longest first for the regex


# --- a concept argument reads the same in every command (one model, one resolver, the store's) ----

ID = "https://w3id.org/metrokg/id/"
NEV = ID + "industry/new-energy-vehicle"
USER_GRAPH = URIRef("https://w3id.org/metrokg/graph/vocabulary/test")
TRANSPORT = URIRef(ID + "industry/transport-equipment")  # a user's concept above 新能源汽车


def answers(store, industry: str) -> dict:
    """What search, tasks, obligations and the gap map give for one --industry argument (a coded
    error's code when they refuse it)."""
    views = {
        "search": lambda: sorted(h.provision.iri for h in SearchIndex.open(store).search(
            "计量", k=200, mode="lexical", industry=industry)),
        "tasks": lambda: [t["iri"] for t in list_tasks(store, industry=industry)],
        "obligations": lambda: [(r["iri"], r["kind"]) for r in list_obligations(store, industry=industry)],
        "gaps": lambda: [(c["industry_iri"], c["column_iri"], c["demand"])
                         for c in gap_map(store, industry=industry)["cells"]],
    }
    out = {}
    for name, view in views.items():
        try:
            out[name] = view()
        except MetrokgError as err:
            out[name] = err.code
    return out


@pytest.fixture(scope="module")
def vocab_store(tmp_path_factory, built_store):
    """A copy of the built store with a user vocabulary (a concept above 新能源汽车 and a synonym of
    it) and a catalogue import (a specification covering 扭矩), both written after the build."""
    path = tmp_path_factory.mktemp("vocab") / "store"
    shutil.copytree(built_store, path)
    csv = path.parent / "cat.csv"
    csv.write_text("id,title,type,quantity kinds\nJJF 9901-2024,汽车扭矩扳子校准规范,校准规范,扭矩\n", encoding="utf-8")
    run_cli("specs", "import", str(csv), store=path)
    with open_store(str(path), write=True) as s:
        s.replace_graphs({USER_GRAPH: {
            (TRANSPORT, RDF.type, SKOS.Concept), (TRANSPORT, SKOS.prefLabel, Literal("交通运输装备", lang="zh")),
            (TRANSPORT, SKOS.prefLabel, Literal("transport equipment", lang="en")),
            (TRANSPORT, SKOS.narrower, URIRef(NEV)), (URIRef(NEV), SKOS.altLabel, Literal("新能源车", lang="zh")),
        }})
    return path


@pytest.mark.slow
@pytest.mark.parametrize("argument", ["new-energy vehicles", "New-Energy  Vehicles", "电动汽车", "ＮＥＶ",
                                      "new-energy-vehicle", NEV, "新能源汽", "新能源车", "交通运输装备"])
def test_every_form_of_a_concept_gives_the_same_answers_everywhere(vocab_store, argument):
    with open_store(str(vocab_store)) as s:
        expected = answers(s, "新能源汽车")
        assert all(v and not isinstance(v, str) for v in expected.values()), expected
        assert answers(s, argument) == expected


@pytest.mark.slow
@pytest.mark.parametrize("argument, code", [("没有这个行业", "E312"), ("电", "E293")])
def test_unknown_and_ambiguous_concepts_are_the_same_coded_error_everywhere(vocab_store, argument, code):
    with open_store(str(vocab_store)) as s:
        assert answers(s, argument) == {"search": code, "tasks": code, "obligations": code, "gaps": code}


@pytest.mark.slow
def test_concepts_written_to_the_store_reach_every_view(vocab_store):
    """The store's table holds the imported specification and the user's concept; the search
    index reads the same table, and the gap map counts the new specification as supply."""
    from metrokg.ontology.vocab import packaged

    spec = ID + "work/jjf-9901-2024"
    with open_store(str(vocab_store)) as s:
        table = load_concepts(s)
        assert table.get(spec).links["covers_quantity"] == (ID + "quantity/torque",)
        assert table.resolve("transport equipment", "industry") == str(TRANSPORT)
        assert packaged().find("交通运输装备", "industry") == []  # only the store knows it
        index = SearchIndex.open(s)
        assert {spec, str(TRANSPORT)} <= set(index.matcher.entries)
        assert str(TRANSPORT) in {m.iri for m in index.matcher.match("交通运输装备的计量")}
        torque = [c for c in gap_map(s)["cells"] if c["column_iri"] == ID + "quantity/torque"]
        assert torque and all(spec in {x["iri"] for x in c["specifications"]} for c in torque)


@pytest.mark.slow
def test_gaps_and_tasks_take_the_same_industry_argument_on_the_command_line(built_store):
    tasks = cli_json("tasks", "--industry", "new-energy-vehicle", store=built_store)
    cells = cli_json("gaps", "--industry", "电动汽车", store=built_store)["cells"]
    assert tasks and cells and {c["industry_iri"] for c in cells} == {NEV}
    bad = run_cli("gaps", "--industry", "电", store=built_store, check=False)
    assert bad.returncode == 2 and "[E293]" in bad.stderr and "Traceback" not in bad.stderr
