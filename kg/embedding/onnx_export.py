"""Export the rebuilt multilingual-e5-small to ONNX, once, at set-up time.

Why: float32 torch spends ~10 s importing torch and transformers before the first vector and
embeds at about a third of ONNX Runtime's speed on the same CPU (``benchmarks/embedding.py``).
The exported graph takes ``input_ids`` and ``attention_mask`` and returns the mean-pooled,
not yet normalised, token embeddings (what sentence-transformers' Pooling module computes), so
that long passages can be embedded window by window and averaged exactly as the torch path does.

Two models are written into ``<model folder>/onnx/``, each a graph and its weights file
(``.data``): ``model.onnx`` (float32) and ``model_int8.onnx`` (ONNX Runtime's dynamic int8
quantisation of MatMul and Gather weights, one scale per output channel: measured against
torch, per-tensor scales gave a worst cosine of 0.986 on the test sentences, per-channel 0.995).
Only this module imports torch (and only inside :func:`export`); the embedder reads the files
with ``onnxruntime`` alone. The export is idempotent: a folder whose marker names the same
conversion and exporter version is left alone.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from metrokg.errors import MetrokgError
from metrokg.kg.embedding.onnx_vocab import SPLIT_FILE, split_graph

EXPORTER_VERSION = 3  # 2: weights as external data, mapped at load; 3: int8 per channel
SUBFOLDER = "onnx"
FILES = {"fp32": "model.onnx", "int8": "model_int8.onnx"}
MARKER = "export.json"
OPSET = 17


def onnx_folder(model_folder: Path) -> Path:
    """Where a model folder's ONNX export lives."""
    return Path(model_folder) / SUBFOLDER


def _conversion_stamp(model_folder: Path) -> dict:
    """What the export was made from: the converter's marker (changes when the weights do)."""
    from metrokg.kg.embedding.e5_convert import MARKER_FILE

    try:
        return json.loads((Path(model_folder) / MARKER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def is_exported(model_folder: Path) -> bool:
    """True when both ONNX files exist and were exported from this conversion by this version."""
    folder = onnx_folder(model_folder)
    try:
        info = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (info.get("exporter_version") == EXPORTER_VERSION
            and info.get("conversion") == _conversion_stamp(model_folder)
            and all((folder / name).is_file() and (folder / f"{name}.data").is_file() for name in FILES.values()))


def _pooled_module(model_folder: Path):
    """The BERT encoder with mean pooling over the attention mask, ready to trace."""
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    # eager attention: the SDPA path takes data-dependent shortcuts that tracing would freeze
    encoder = AutoModel.from_pretrained(str(model_folder), add_pooling_layer=False, dtype=torch.float32,
                                        attn_implementation="eager", local_files_only=True).eval()

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids, attention_mask):  # noqa: D401 - torch's signature
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)

    return Pooled()


def _export_into(model_folder: Path, out: Path) -> None:
    import warnings

    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    import onnx

    module = _pooled_module(model_folder)
    # two rows of different lengths: the traced graph keeps batch and sequence axes dynamic
    ids = torch.tensor([[0, 100, 200, 2], [0, 5, 2, 1]])
    mask = torch.tensor([[1, 1, 1, 1], [1, 1, 1, 0]])
    traced, fp32 = out / "traced.onnx", out / FILES["fp32"]
    with warnings.catch_warnings(), torch.inference_mode():
        warnings.simplefilter("ignore")  # the tracer's notes on constants are about shapes we keep dynamic
        torch.onnx.export(module, (ids, mask), str(traced), input_names=["input_ids", "attention_mask"],
                          output_names=["pooled"], opset_version=OPSET, dynamo=False,
                          dynamic_axes={"input_ids": {0: "batch", 1: "tokens"},
                                        "attention_mask": {0: "batch", 1: "tokens"}, "pooled": {0: "batch"}})
    # weights in a file beside the graph: ONNX Runtime maps it instead of copying it, so a session
    # starts in a fraction of a second and only the touched pages (the vocabulary rows a text
    # uses) count in the process's memory (measured: 150 MB resident instead of 890 MB)
    onnx.save_model(onnx.load(str(traced)), str(fp32), save_as_external_data=True,
                    all_tensors_to_one_file=True, location=FILES["fp32"] + ".data", size_threshold=1024)
    traced.unlink()
    split_graph(fp32)
    import logging

    logging.getLogger().setLevel(logging.ERROR)  # quantize_dynamic logs a pre-processing hint on root
    quantize_dynamic(str(fp32), str(out / FILES["int8"]), weight_type=QuantType.QInt8,
                     op_types_to_quantize=["MatMul", "Gather"], per_channel=True, use_external_data_format=True)


def export(model_folder: Path, force: bool = False) -> Path:
    """Write ``<model_folder>/onnx`` (both files and the marker) unless it is already there.

    Written into a temporary sibling and renamed into place: an interrupted export leaves
    nothing half-written. Needs torch and onnxruntime (E460 when they are missing)."""
    model_folder = Path(model_folder)
    target = onnx_folder(model_folder)
    if not force and is_exported(model_folder):
        if not (target / SPLIT_FILE).is_file():  # an export made before the vocabulary was an input
            try:
                split_graph(target / FILES["fp32"])
            except OSError as err:
                raise MetrokgError("E153", path=target, reason=err.strerror or str(err)) from None
        return target
    try:
        import onnxruntime  # noqa: F401
        import torch  # noqa: F401
    except ImportError as err:
        raise MetrokgError("E460", path=target, reason=f"{err.name} is not installed") from None
    try:
        tmp = Path(tempfile.mkdtemp(prefix=".onnx.", dir=model_folder))
    except OSError as err:
        raise MetrokgError("E153", path=target, reason=err.strerror or str(err)) from None
    try:
        _export_into(model_folder, tmp)
        (tmp / MARKER).write_text(json.dumps({"exporter_version": EXPORTER_VERSION, "opset": OPSET,
                                              "conversion": _conversion_stamp(model_folder),
                                              "files": FILES}, indent=2) + "\n", encoding="utf-8")
        tmp.chmod(0o755)  # mkdtemp's folder and the weights files are private; the model folder is not
        for path in tmp.iterdir():
            path.chmod(0o644)
        if target.exists():
            shutil.rmtree(target)
        tmp.rename(target)
    except OSError as err:
        raise MetrokgError("E153", path=target, reason=err.strerror or str(err)) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target
