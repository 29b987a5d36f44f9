"""Segmentation has no hidden process state: the index and the query are cut alike whatever ran before.

The bug this guards: the extraction pipeline taught jieba's process-wide dictionary its labels
(卫健局), so an index built by ``ingest`` after the pipeline cut 区卫健局 as 区 + 卫健局 while a
later ``search`` in a fresh process cut the query 县卫健局做好配合 as one word 县卫健局.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DEV_DOCS, ROOT, cli_json

QUERIES = ("县卫健局做好配合", "区卫健局负责血压计专项检查", "先行先试计量服务", "建立社会公用计量标准")
#: a document whose text holds pipeline-only words (区卫健局, 卫健局 is an actor-type label)
INGESTED = DEV_DOCS / "chengdu-district-2024-metrology-action-plan.txt"
#: the parts of the jieba module nlp/segment.py may use (none of them reads or changes jieba.dt)
JIEBA_ALLOWED = frozenset({"Tokenizer", "setLogLevel", "__version__", "__file__", "DEFAULT_DICT_NAME"})


def jieba_global_state() -> tuple:
    """What jieba's process-wide dictionary holds (nothing, unless someone used it)."""
    import jieba

    return jieba.dt.initialized, jieba.dt.total, len(jieba.dt.FREQ), dict(jieba.dt.user_word_tag_tab)


def probe(store_path: str) -> dict:
    """Tokens, idf weights and lexical ranking of :data:`QUERIES` on a store, plus whether the
    persisted index holds the tokens this process cuts from the provisions."""
    from metrokg.kg.search.lexical import LexicalIndex
    from metrokg.kg.search.index import SearchIndex
    from metrokg.kg.store.registry import open_store
    from metrokg.nlp.segment import search_segmenter
    from metrokg.nlp.tokens import search_tokens

    with open_store(store_path) as store:
        index = SearchIndex.open(store)
        seg = search_segmenter(index.matcher.zh_terms())
        out = {q: {"tokens": search_tokens(q, seg),
                   "terms": sorted(index.query_terms(q).items()),
                   "ranking": [(h.provision.iri, round(float(h.score), 6)) for h in index.search(q, k=10, mode="lexical")]}
               for q in QUERIES}
        recut = LexicalIndex.from_tokens([search_tokens(f"{r.heading}\n{r.text}", seg) for r in index.records])
        out["index cut alike"] = recut.df == index.lexical.df
    return out


@pytest.fixture(scope="module")
def after_ingest(built_store, tmp_path_factory) -> tuple[Path, dict, tuple, tuple]:
    """A copy of the corpus store into which this process ingests a document (running the
    extraction pipeline here) and then searches; with the global jieba state before and after."""
    from metrokg.kg.graph.ingest import ingest_paths
    from metrokg.kg.store.registry import open_store

    path = tmp_path_factory.mktemp("segmentation") / "store"
    shutil.copytree(built_store, path)
    before = jieba_global_state()
    with open_store(str(path), write=True) as store:
        assert ingest_paths(store, [INGESTED], workers=1)[0].status == "added"
    return path, probe(str(path)), before, jieba_global_state()


@pytest.mark.slow
def test_a_fresh_process_cuts_and_ranks_like_the_process_that_ingested(after_ingest):
    path, here, _before, _after = after_ingest
    code = f"import json, sys; sys.path.insert(0, {str(ROOT / 'tests')!r}); from test_segmentation import probe; " \
           f"print(json.dumps(probe({str(path)!r}), ensure_ascii=False))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True)
    fresh = json.loads(proc.stdout.strip().splitlines()[-1])
    assert here["index cut alike"] and fresh["index cut alike"]
    for q in QUERIES:
        assert fresh[q]["tokens"] == here[q]["tokens"], q
        assert [tuple(t) for t in fresh[q]["terms"]] == here[q]["terms"], q
        assert [tuple(r) for r in fresh[q]["ranking"]] == here[q]["ranking"], q
    assert here["县卫健局做好配合"]["tokens"][0] == "县卫健局"  # the search vocabulary has no 卫健局
    # the command line's own path agrees too
    hits = cli_json("search", QUERIES[1], "--mode", "lexical", "--k", "10", store=path)
    assert [h["iri"] for h in hits] == [iri for iri, _score in here[QUERIES[1]]["ranking"]]


@pytest.mark.slow
def test_ingest_and_search_leave_jiebas_global_dictionary_alone(after_ingest):
    _path, _here, before, after = after_ingest
    assert after == before


def _jieba_uses(path: Path) -> list[str]:
    """Imports of jieba, ``jieba.<name>`` attributes and spaCy configs asking for its stock jieba mode."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "jieba" for a in node.names) \
                or isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "jieba":
            found.append(f"line {node.lineno}: import")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "jieba":
            found.append(f"line {node.lineno}: jieba.{node.attr}")
        elif isinstance(node, ast.Dict) and any(isinstance(k, ast.Constant) and k.value == "segmenter"
                                                and isinstance(v, ast.Constant) and v.value == "jieba"
                                                for k, v in zip(node.keys, node.values)):
            found.append(f"line {node.lineno}: spaCy's jieba segmenter")
    return found


def test_only_the_segment_module_uses_jieba_and_never_its_global_dictionary():
    segment = ROOT / "nlp" / "segment.py"
    offenders = [f"{p.relative_to(ROOT)} {use}" for folder in ("metrokg", "ontology", "nlp", "kg", "ui")
                 for p in sorted((ROOT / folder).rglob("*.py")) if p != segment for use in _jieba_uses(p)]
    assert not offenders, offenders
    used = {use.split("jieba.", 1)[1] for use in _jieba_uses(segment) if "jieba." in use}
    assert used and used <= JIEBA_ALLOWED, used - JIEBA_ALLOWED


@pytest.mark.slow
def test_each_segmenter_holds_exactly_the_words_declared_for_it():
    from metrokg.kg.search.expansion import ConceptMatcher
    from metrokg.nlp.extraction.pipeline import build_pipeline, load_pipeline
    from metrokg.nlp.segment import cue_words, pipeline_segmenter, search_segmenter, vocabulary_words

    nlp = load_pipeline()
    linker, modality = nlp.get_pipe("metrokg_entity_linker_v1"), nlp.get_pipe("metrokg_modality_v1")
    cues = cue_words(w for words in modality.cues.values() for w in words)
    declared = vocabulary_words(p.label for p in linker.patterns) | cues
    assert pipeline_segmenter(nlp).words == declared
    assert "卫健局" in declared and "先行先试" in declared

    terms = ConceptMatcher.from_vocabulary().zh_terms()
    search = search_segmenter(terms)
    assert search.words == vocabulary_words(terms) and "卫健局" not in search.words
    assert search_segmenter(reversed(terms)) is search  # one instance per vocabulary

    # another pipeline has its own segmenter: its test labels reach neither the first nor search
    other = build_pipeline(load_vocabulary=False)
    assert pipeline_segmenter(other).words == cues
    from metrokg.nlp.extraction.linking import Pattern

    other.get_pipe("metrokg_entity_linker_v1").add_patterns([Pattern("卫健局做好", "x:y", "actor", "卫健局做好")])
    assert "卫健局做好" in [t.text for t in other("县卫健局做好配合")]
    assert "卫健局做好" not in [t.text for t in nlp("县卫健局做好配合")]
    assert "卫健局做好" not in search.words and "卫健局做好" not in pipeline_segmenter(nlp).words


def test_segmenters_share_one_main_dictionary_but_not_their_words():
    from metrokg.nlp.segment import Segmenter, main_dictionary

    a, b = Segmenter(["计量数字化"]).load(), Segmenter().load()
    assert main_dictionary() is main_dictionary()
    assert a.tokenizer().FREQ is not b.tokenizer().FREQ
    assert "计量数字化" in a.tokenizer().FREQ and "计量数字化" not in b.tokenizer().FREQ
    assert "计量数字化" not in main_dictionary()[0]


def test_a_segmenter_that_cuts_little_reads_the_mapped_dictionary_and_cuts_the_same(tmp_path, monkeypatch):
    """A query is cut through the memory-mapped copy of the dictionary (no 0.4 s load), exactly as
    through the loaded one; past MAPPED_CHARS characters the segmenter loads the dictionary."""
    from metrokg.nlp import segment

    words = ["计量数字化", "县卫健局"]
    loaded = segment.Segmenter(words).load()
    segment.write_mapped(tmp_path / "mapped", segment._dictionary_key(), *segment.main_dictionary())
    monkeypatch.setattr(segment, "mapped_path", lambda: tmp_path / "mapped")
    text = (DEV_DOCS / "county-2025-livelihood-metrology-notice.txt").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip()]
    for line in lines:
        light = segment.Segmenter(words)
        assert light.cut_for_search(line[:80]) == loaded.cut_for_search(line[:80]), line
        assert list(light.cut(line[:80])) == list(loaded.cut(line[:80])) and light._mapped, line
    light = segment.Segmenter(words)
    light.cut_for_search("县卫健局做好配合")
    assert light._mapped and isinstance(light.tokenizer(0).FREQ, segment._Overlay)
    assert "民生计量器具" not in light.cut("民生计量器具专项检查")
    light.add_words(["民生计量器具"])  # a declared word goes into the overlay, not the mapped copy
    assert "民生计量器具" in light.cut("民生计量器具专项检查") and "民生计量器具" not in loaded.words
    light.cut_for_search(text * (segment.MAPPED_CHARS // len(text) + 1))  # a long text: the whole dictionary, copied
    assert not light._mapped and type(light.tokenizer(0).FREQ) is dict and "民生计量器具" in light.tokenizer(0).FREQ
    (tmp_path / "mapped" / "key.txt").write_text("('another jieba', 1, 2)", encoding="utf-8")
    assert segment.mapped_dictionary() is None  # made from another dictionary: not used


def _cut_in_fresh_process(cache_home: Path) -> subprocess.CompletedProcess:
    code = "from metrokg.nlp.segment import Segmenter; print('|'.join(Segmenter().cut('县卫健局做好配合工作')))"
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120,
                          check=True)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="XDG_CACHE_HOME places the user cache on Linux only")
def test_the_main_dictionary_cache_is_written_once_reused_and_optional(tmp_path):
    from metrokg.nlp.segment import CACHE_NAME, MAPPED_NAME, Segmenter

    expected = "|".join(Segmenter().cut("县卫健局做好配合工作"))
    cache = tmp_path / "cache" / "metrokg" / "segmenter" / CACHE_NAME
    mapped = cache.with_name(MAPPED_NAME)
    assert _cut_in_fresh_process(tmp_path / "cache").stdout.strip() == expected
    stamps = cache.stat().st_mtime_ns, (mapped / "words.npy").stat().st_mtime_ns
    assert _cut_in_fresh_process(tmp_path / "cache").stdout.strip() == expected
    assert (cache.stat().st_mtime_ns, (mapped / "words.npy").stat().st_mtime_ns) == stamps  # read, not rebuilt
    cache.write_bytes(b"not a pickle")  # damaged caches are rebuilt
    (mapped / "words.npy").write_bytes(b"not an array")
    assert _cut_in_fresh_process(tmp_path / "cache").stdout.strip() == expected
    assert cache.stat().st_size > 1_000_000 and (mapped / "words.npy").stat().st_size > 1_000_000
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder should be")
    assert _cut_in_fresh_process(blocked).stdout.strip() == expected  # not writable: jieba's own cache


# ---- a modal verb is never lost inside a new word

JINKOU_14 = ("申请进口非法定计量单位的计量器具和国务院禁止使用的其他计量器具的单位，"
             "应向省、自治区、直辖市人民政府计量行政部门提供以下材料和文件：")


@pytest.mark.parametrize("text, modal, preposition", [
    (JINKOU_14, "应", "向"), ("本单位应由一名副总设计师兼任", "应", "由"), ("当事人可向人民法院起诉", "可", "向"),
])
def test_a_modal_verb_stays_apart_from_the_preposition_after_it(text, modal, preposition):
    from metrokg.nlp.segment import Segmenter

    words = list(Segmenter().cut(text))
    assert "".join(words) == text
    i = words.index(modal)
    assert words[i + 1] == preposition


def test_dictionary_words_that_begin_with_a_modal_are_kept():
    from metrokg.nlp.segment import Segmenter

    seg = Segmenter(["应向测试词"])
    assert "应对" in list(seg.cut("制定应对措施"))
    assert "应向测试词" in list(seg.cut("这是应向测试词"))  # a declared word is a dictionary word


def test_the_obligation_before_a_preposition_is_extracted():
    from metrokg.nlp.extraction.pipeline import load_pipeline, run_text

    deontics = [f for f in run_text(load_pipeline(), JINKOU_14) if f.kind == "deontic"]
    assert [(f.modality, f.cue) for f in deontics] == [("obligation", "应")]
    assert deontics[0].text.startswith("应向省")


def test_a_search_in_a_fresh_process_does_not_load_the_main_dictionary(built_store):
    """A cold `metrokg search` cuts its query through the memory-mapped dictionary (written when
    the store was built): jieba's dictionary, a third of a second to load, is never read."""
    code = ("from metrokg.kg.store.registry import open_store; from metrokg.kg.search.index import SearchIndex;"
            "from metrokg.nlp import segment;"
            f"hits = SearchIndex.open(open_store({str(built_store)!r})).search('加油站少给油怎么管', k=3, mode='lexical');"
            "print(bool(hits), segment._main is None)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["True", "True"], (out.stdout, out.stderr[-2000:])
