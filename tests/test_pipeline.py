"""The assembled pipeline: loading, serialisation, offsets, bad input, entity linking, RDF, and what
happens when a rule fails (strict: raised; lenient: a warning per document and provision)."""

from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import RDF

from metrokg.errors import warning_text
from metrokg.kg.graph.facts_rdf import facts_to_triples
from metrokg.kg.graph.ingest import ingest_paths, prepare
from metrokg.kg.store.embedded import EmbeddedStore
from metrokg.nlp.extraction.components.entity_linker import EntityLinker, Pattern, resolve_overlaps
from metrokg.nlp.reading.normalize import normalize
from metrokg.nlp.extraction import pipeline as pipeline_module
from metrokg.nlp.extraction.pipeline import COMPONENTS, build_pipeline, extract, load_from_disk, load_pipeline, run_text
from metrokg.nlp.structure.parser import parse_document
from metrokg.ontology.namespace import MKG

import _faulty

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "corpus" / "hubei-2022-metrology-plan-implementation-opinions.txt",
        *sorted((ROOT / "corpus" / "docs").glob("*.txt"))]


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def test_pipeline_has_versioned_components(nlp):
    assert tuple(nlp.pipe_names) == COMPONENTS
    assert all(name.endswith("_v1") for name in nlp.pipe_names)
    assert load_pipeline() is nlp  # cached


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.stem)
def test_offsets_point_at_the_text(nlp, path):
    text = normalize(path.read_text(encoding="utf-8"))
    doc = parse_document(text, doc_id=path.stem)
    facts = extract(doc, nlp)
    assert facts
    for f in facts:
        assert text[f.start:f.end] == f.text
        assert f.provision is not None and f.component and f.version == "v1"
        assert 0 < f.confidence <= 1
        if f.kind == "responsibility":
            assert text[f.actor_start:f.actor_end] == f.actor_name
        if f.kind == "deontic":
            assert text[f.cue_start:f.cue_end] == f.cue


@pytest.mark.parametrize("text", ["", "   \n  ", "关于加强计量工作的通知"])
def test_empty_or_one_line_document_yields_nothing(nlp, text):
    warnings: list[str] = []
    assert extract(parse_document(text, doc_id="x"), nlp, warnings=warnings) == []
    assert warnings == [warning_text("W002", doc_id="x")]


@pytest.mark.parametrize("text", [
    "（责任单位：", "到年底前。。。", "（（（（）", "百分之", "1.5万万万", "【牵头单位：】", "要要要要", "《未闭合的书名",
    "x" * 5000, "\x00\x01", "十十十十十家", "到2025年" * 200,
])
def test_unreadable_text_never_crashes(nlp, text):
    run_text(nlp, text)


def test_to_disk_from_disk_round_trip(nlp, tmp_path):
    text = "省市场监管局会同有关部门新建计量标准10项以上。依据JJF 1059.1-2012开展校准。"
    nlp.to_disk(tmp_path / "model")
    again = load_from_disk(tmp_path / "model")
    assert again.pipe_names == nlp.pipe_names
    assert [f.as_dict() for f in run_text(again, text)] == [f.as_dict() for f in run_text(nlp, text)]


def test_linker_longest_match_and_deterministic_overlaps():
    nlp = build_pipeline(load_vocabulary=False)
    linker = EntityLinker(nlp, patterns=[
        Pattern("电子信息", "x:ei", "industry", "电子信息"), Pattern("光电子信息", "x:oei", "industry", "光电子信息"),
        Pattern("计量标准", "x:std", "standard", "计量标准"), Pattern("社会公用计量标准", "x:pstd", "standard", "社会公用计量标准"),
    ], add_to_jieba=False)
    got = [(m.text, m.iri) for m in linker.mentions("发展光电子信息产业,建立社会公用计量标准")]
    assert got == [("光电子信息", "x:oei"), ("社会公用计量标准", "x:pstd")]
    # equal length overlap: the earlier one wins, whatever the input order
    cands = [(2, 5, 1, "b"), (0, 3, 1, "a")]
    assert resolve_overlaps(cands) == resolve_overlaps(cands[::-1]) == [(0, 3, 1, "a")]


def test_document_references():
    nlp = build_pipeline(load_vocabulary=False)
    linker = nlp.get_pipe("metrokg_entity_linker_v1")
    text = ("印发《关于贯彻落实〈计量发展规划(2021—2035年)〉的实施意见》(国发〔2021〕37号),"
            "依据JJF 1059.1-2012、JJG 1036-2008和JJF(鄂) 123-2020,见鄂政办发〔2022〕12号。")
    refs = [m.text for m in linker.mentions(text) if m.scheme == "work"]
    assert refs == ["《关于贯彻落实〈计量发展规划(2021—2035年)〉的实施意见》", "国发〔2021〕37号", "JJF 1059.1-2012",
                    "JJG 1036-2008", "JJF(鄂) 123-2020", "鄂政办发〔2022〕12号"]


def test_vocabulary_links_actor_with_level(nlp):
    ms = [m for m in run_text(nlp, "省市场监管局和各市、州、县人民政府要加强监管。") if m.kind == "mention"]
    assert [(m.text, m.scheme) for m in ms][:2] == [("省市场监管局", "actortype"), ("各市、州、县人民政府", "actortype")]
    assert "level:province" in ms[0].types


def test_domain_terms_stay_whole_tokens(nlp):
    assert "社会公用计量标准" in [t.text for t in nlp("建立社会公用计量标准")]


def test_facts_to_triples(nlp):
    text = "一、目标\n到2025年,新建计量标准10项以上。\n二、任务\n省市场监管局要加强监管。"
    doc = parse_document(text, doc_id="t")
    facts = extract(doc, nlp)
    triples = facts_to_triples("t", facts)
    types = {o for _s, p, o in triples if p == RDF.type}
    assert {MKG.QuantitativeTarget, MKG.Responsibility, MKG.Obligation, MKG.Task, MKG.Mention, MKG.Actor} <= types
    values = [o for _s, p, o in triples if p == MKG.value]
    assert values == [Literal("10", datatype=values[0].datatype)]
    assert any(p == MKG.deadlineYear and o == Literal(2025) for _s, p, o in triples)
    assert any(p == MKG.extractedBy and str(o) == "metrokg_targets.v1" for _s, p, o in triples)


def test_mass_is_linked_only_where_it_is_a_quantity(nlp):
    def mass(text):
        return [m.text for m in run_text(nlp, text) if m.kind == "mention" and m.iri.endswith("/quantity/mass")]

    assert mass("研究长度、质量、时间等基本量的量子化复现。") == ["质量"]
    assert mass("建立高准确度质量计量标准。") == ["质量"]
    assert mass("提升产品质量，推动质量强省建设。") == []
    assert mass("构建质量、标准、认证融合发展体系。") == []


def test_county_bureau_names_of_provincial_commissions(nlp):
    ms = {m.text: m.iri.rsplit("/", 1)[1] for m in run_text(nlp, "县发展和改革局、县卫健局做好配合。") if m.kind == "mention"}
    assert ms == {"县发展和改革局": "development-reform-commission", "县卫健局": "health-commission"}


def test_level_glued_to_actor_type_by_the_segmenter(nlp):
    ms = [(m.text, m.scheme) for m in run_text(nlp, "（省公安厅、省司法厅按职责分工负责）") if m.kind == "mention"]
    assert ms == [("省公安厅", "actortype"), ("省司法厅", "actortype")]


def test_traditional_characters_are_read_as_simplified_and_keep_their_spans():
    from metrokg.nlp.extraction.pipeline import extract
    from metrokg.nlp.structure.parser import parse_document

    doc = parse_document("關於加強計量工作的實施意見\n一、發展目標\n到2025年，新建社會公用計量標準500項以上。"
                         "\n二、任務\n嚴禁使用帶有作弊功能的計量器具。", doc_id="t")
    facts = extract(doc)
    target = next(f for f in facts if f.kind == "target")
    assert (target.value, target.unit_text, target.comparator, target.deadline) == (500, "项", ">=", 2025)
    assert target.text == doc.text[target.start:target.end] and "項" in target.text
    assert any(f.kind == "deontic" and f.modality == "prohibition" for f in facts)


# -- a bug in a rule: raised in strict mode, a warning naming component and provision in lenient mode --

def _fault_doc():
    return parse_document(_faulty.TEXT, doc_id=_faulty.DOC_ID)


def _w001(doc_id: str = _faulty.DOC_ID) -> str:
    return warning_text("W001", component=_faulty.FAILING, number=_faulty.FAULTY_PROVISION, doc_id=doc_id,
                        error=_faulty.ERROR)


def test_strict_extraction_raises_and_says_where():
    with pytest.raises(RuntimeError, match="a bug in a rule") as caught:
        extract(_fault_doc(), _faulty.pipeline(_faulty.FAILING))  # strict is the default
    notes = "\n".join(caught.value.__notes__)
    assert f"extraction step {_faulty.FAILING}" in notes
    assert f"provision {_faulty.FAULTY_PROVISION} of {_faulty.DOC_ID}" in notes
    with pytest.raises(RuntimeError):
        run_text(_faulty.pipeline(_faulty.FAILING), "开展故障排查。")


def test_lenient_extraction_keeps_every_other_fact_and_warns():
    warnings: list[str] = []
    got = extract(_fault_doc(), _faulty.pipeline(_faulty.FAILING), strict=False, warnings=warnings)
    expected = extract(_fault_doc(), _faulty.pipeline())
    assert [f.as_dict() for f in got] == [f.as_dict() for f in expected]
    # the components after the failing one still ran on the failing provision
    assert {f.kind for f in got if f.provision == _faulty.FAULTY_PROVISION} >= {"task", "deontic", "responsibility"}
    assert warnings == [_w001()]


def test_a_fact_with_wrong_offsets_is_a_failure_too():
    nlp = _faulty.pipeline(_faulty.MISPLACED)
    with pytest.raises(ValueError, match=r"\[W003\] component metrokg_modality made a deontic on provision"):
        extract(_fault_doc(), nlp)
    warnings: list[str] = []
    facts = extract(_fault_doc(), nlp, strict=False, warnings=warnings)
    assert facts and not [f for f in facts if f.kind in ("deontic", "responsibility")]  # these took the bad text
    assert [w.split(" whose")[0] for w in warnings] == [
        f"[W003] component metrokg_{c} made a {k} on provision {n} of {_faulty.DOC_ID}"
        for n in ("2.1", "2.2") for c, k in (("modality", "deontic"), ("responsibility", "responsibility"))]


def _ingest_with_the_bug(tmp_path, monkeypatch, names: list[str], workers: int):
    monkeypatch.setattr(pipeline_module, "load_pipeline", lambda: _faulty.pipeline(_faulty.FAILING))
    paths = []
    for i, name in enumerate(names):  # distinct texts: the same text twice is a duplicate, not added again
        paths.append(tmp_path / f"{name}.txt")
        paths[-1].write_text(_faulty.TEXT.replace("通知", "通知" + "（续）" * i, 1), encoding="utf-8")
    with EmbeddedStore(tmp_path / "store") as store:
        return ingest_paths(store, paths, workers=workers), paths


def test_ingest_report_counts_extraction_failures(tmp_path, monkeypatch, capsys):
    from metrokg.ui.cli.commands.ingest import report_warnings

    (result,), (path,) = _ingest_with_the_bug(tmp_path, monkeypatch, ["fault-doc"], workers=1)
    assert result.status == "added" and result.failures == 1 and _w001() in result.warnings
    assert result.facts == len(extract(prepare(path), _faulty.pipeline()))  # only the failed rule's facts are missing
    report_warnings([result])
    err = capsys.readouterr().err
    assert f"warning: {_w001()}" in err and "1 extraction failure(s) in 1 document(s)" in err


@pytest.mark.slow
def test_extraction_failures_come_back_from_worker_processes(tmp_path, monkeypatch):
    results, _paths = _ingest_with_the_bug(tmp_path, monkeypatch, ["fault-a", "fault-b"], workers=2)
    assert [r.warnings for r in results] == [[_w001("fault-a")], [_w001("fault-b")]]
    assert [r.failures for r in results] == [1, 1]
