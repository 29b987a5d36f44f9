"""The embedder on OpenVINO: the same ONNX export, run in bfloat16 where the processor has it.

Why: on a processor with native bfloat16 (AVX512_BF16 or AMX: Intel Xeon since Cooper Lake and
Sapphire Rapids) OpenVINO's CPU plugin runs the matrix products in bfloat16 with float32
accumulation, and embeds the ingest's passages with 2.3–2.8× less CPU than ONNX Runtime's float32
on the same two cores; the vectors keep a cosine of 0.99999 to the float32 ones
(``benchmarks/embedding.py``). Where the processor lacks it, OpenVINO in float32 is no faster than
ONNX Runtime, so the ``auto`` backend (:func:`bf16_native`) takes ONNX Runtime there.

It compiles the graph :mod:`metrokg.kg.embedding.onnx_export` wrote at set-up time (the copy
whose vocabulary is an input, so the 384 MB table is read row by row as with ONNX Runtime), saved
once beside it as OpenVINO's own format with float16 weights (:func:`ir_of`: 43 MB, read in 0.1 s;
compiling the ONNX graph itself touched 190 MB of float32 weights, compiling this 67 MB);
tokenising, windowing and batching are :class:`~metrokg.kg.embedding.onnx_embedder.OnnxEmbedder`'s.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import numpy as np

from metrokg.errors import MetrokgError
from metrokg.kg.embedding.onnx_embedder import OnnxEmbedder, first_line
from metrokg.kg.embedding.onnx_export import FILES, onnx_folder
from metrokg.kg.embedding.onnx_vocab import META_KEY, SPLIT_FILE, table_from

#: the processor flags (``/proc/cpuinfo``) under which OpenVINO computes in bfloat16 by default
BF16_FLAGS = frozenset({"avx512_bf16", "amx_bf16"})


@functools.lru_cache(maxsize=1)
def bf16_native() -> bool:
    """Whether this processor computes in bfloat16 natively (read from ``/proc/cpuinfo``; where
    that cannot be read, OpenVINO is asked, which costs its import)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("flags"):
                    return bool(BF16_FLAGS.intersection(line.split(":", 1)[-1].split()))
        return False
    except OSError:
        try:
            import openvino

            return "BF16" in openvino.Core().get_property("CPU", "OPTIMIZATION_CAPABILITIES")
        except Exception:  # noqa: BLE001 - no OpenVINO, no answer: float32 it is
            return False


def precision() -> str:
    """The precision OpenVINO computes in here: ``bf16`` or ``f32`` (what the model id records)."""
    return "bf16" if bf16_native() else "f32"


class OpenVinoEmbedder(OnnxEmbedder):
    """multilingual-e5-small's ONNX export compiled by OpenVINO for the CPU."""

    def __init__(self, model_folder: Path, model_id: str, threads: int | None = None,
                 batch_tokens: int = 512) -> None:
        try:
            import openvino
        except ImportError:
            raise MetrokgError("E460", path=onnx_folder(model_folder), reason="openvino is not installed") from None
        model_folder = Path(model_folder)
        folder = onnx_folder(model_folder)
        path = folder / SPLIT_FILE if (folder / SPLIT_FILE).is_file() else folder / FILES["fp32"]
        if not path.is_file():
            raise MetrokgError("E460", path=path, reason="the file is missing")
        config: dict[str, object] = {"PERFORMANCE_HINT": "LATENCY", "INFERENCE_PRECISION_HINT": precision()}
        if threads:
            config["INFERENCE_NUM_THREADS"] = threads
        try:
            core = openvino.Core()
            model = core.read_model(str(ir_of(core, path)))
            self._vocabulary = table_from(_metadata(model, META_KEY), folder)
            self._compiled = core.compile_model(model, "CPU", config)
            self._request = self._compiled.create_infer_request()
            self._inputs = {i.get_any_name() for i in self._compiled.inputs}
        except Exception as err:  # noqa: BLE001 - a damaged export is a set-up problem the user can fix
            raise MetrokgError("E461", path=path, reason=first_line(err)) from None
        self._read_tokenizer(model_folder, path)
        self.dim = int(self._compiled.outputs[0].get_partial_shape()[-1].get_length())
        self.model_id = model_id
        self.batch_tokens = batch_tokens

    def _infer(self, feed: dict[str, np.ndarray]) -> np.ndarray:
        result = self._request.infer({k: v for k, v in feed.items() if k in self._inputs})
        return np.array(result[self._compiled.outputs[0]], dtype=np.float32)


def ir_of(core, source: Path) -> Path:
    """``source`` saved in OpenVINO's format with float16 weights beside it under its own name
    (``.xml`` and ``.bin``), once (the graph's metadata kept); ``source`` itself where its folder cannot be written. Written under temporary
    names and moved in weights first, so a reader never finds a graph without its weights."""
    import openvino

    xml = source.with_suffix(".xml")
    weights = xml.with_suffix(".bin")
    try:
        if xml.is_file() and weights.is_file() and xml.stat().st_mtime_ns >= source.stat().st_mtime_ns:
            return xml
        tmp = source.parent / f".{xml.stem}.{os.getpid()}.xml"
        openvino.save_model(core.read_model(str(source)), str(tmp), compress_to_fp16=True)
        os.replace(tmp.with_suffix(".bin"), weights)
        os.replace(tmp, xml)
        return xml
    except (OSError, RuntimeError):  # a read-only model folder: compile the ONNX graph as it is
        return source


def _metadata(model, key: str) -> str | None:
    """A metadata entry the ONNX graph carries (OpenVINO keeps them under ``framework``)."""
    try:
        return model.get_rt_info(["framework", key]).astype(str)
    except Exception:  # noqa: BLE001 - absent: the graph is the whole model
        return None
