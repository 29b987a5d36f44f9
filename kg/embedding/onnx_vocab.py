"""The vocabulary table of an ONNX export read row by row for each batch, not mapped whole.

Why: ONNX Runtime maps the weights file, and the graph's Gather over the vocabulary (250 k rows
of 384 floats: 384 MB of multilingual-e5-small's 470 MB) touches a page for every distinct
token, and the kernel maps 64 KB around each touched page (fault-around): embedding the 30 real
documents' 1 500 texts left 320 MB of the table resident (measured). Here a copy of the graph,
written at set-up time, takes the table as an input: each batch reads only its own distinct rows (1.5 KB
each, with ``pread``, through the page cache) and passes them with its tokens renumbered into
them. The other weights stay mapped as before; the vectors are the same to the bit.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

TABLE_INPUT, IDS_INPUT = "vocabulary_rows", "vocabulary_ids"
_FLOAT = 1  # onnx.TensorProto.FLOAT
SPLIT_FILE = "model_vocabulary_input.onnx"  # the float32 graph with its vocabulary as an input
META_KEY = "metrokg_vocabulary"  # where in that graph the table's place in the weights file is kept


class VocabularyTable:
    """Rows of the vocabulary matrix, read from the weights file as a batch needs them."""

    def __init__(self, path: Path, offset: int, rows: int, dim: int) -> None:
        self._file = open(path, "rb")  # noqa: SIM115 - held for the embedder's life, closed with it
        self.offset, self.rows, self.dim = offset, rows, dim
        self._row_bytes = dim * 4

    def feed(self, ids: np.ndarray) -> dict[str, np.ndarray]:
        """The two extra inputs for a batch of token ids: its distinct rows and the ids renumbered."""
        distinct, renumbered = np.unique(ids, return_inverse=True)
        if distinct.size and (distinct[0] < 0 or distinct[-1] >= self.rows):
            raise ValueError(f"token id outside the vocabulary of {self.rows} rows")
        fd = self._file.fileno()
        table = np.empty((distinct.size, self.dim), np.float32)
        for row, token in enumerate(distinct.tolist()):
            table[row] = np.frombuffer(os.pread(fd, self._row_bytes, self.offset + token * self._row_bytes),
                                       np.float32)
        return {TABLE_INPUT: table, IDS_INPUT: renumbered.reshape(ids.shape).astype(np.int64)}

    def close(self) -> None:
        self._file.close()


def split_graph(path: Path) -> Path | None:
    """Write beside the graph at ``path`` a copy whose vocabulary is an input (:data:`SPLIT_FILE`,
    a few hundred KB: the weights stay in the same file), at set-up time, where ``onnx`` may be
    imported (0.6 s CPU, too much for every start-up). None when the graph has no such table (no
    Gather of ``input_ids`` from a float matrix in an external weights file, as in the int8 export);
    the embedder then loads the graph as it is."""
    import onnx

    model = onnx.load(str(path), load_external_data=False)
    graph = model.graph
    initializers = {t.name: t for t in graph.initializer}
    for node in graph.node:
        if node.op_type != "Gather" or len(node.input) != 2 or node.input[1] != "input_ids":
            continue
        weights = initializers.get(node.input[0])
        if weights is None or weights.data_type != _FLOAT or len(weights.dims) != 2:
            continue
        external = {e.key: e.value for e in weights.external_data}
        location = external.get("location")
        rows, dim = int(weights.dims[0]), int(weights.dims[1])
        if (not location or os.path.isabs(location) or ".." in Path(location).parts
                or int(external.get("length", rows * dim * 4)) != rows * dim * 4):
            return None
        table = {"location": location, "offset": int(external.get("offset", 0)), "rows": rows, "dim": dim}
        graph.initializer.remove(weights)
        node.input[0], node.input[1] = TABLE_INPUT, IDS_INPUT
        graph.input.append(onnx.helper.make_tensor_value_info(TABLE_INPUT, onnx.TensorProto.FLOAT, ["rows", dim]))
        graph.input.append(onnx.helper.make_tensor_value_info(IDS_INPUT, onnx.TensorProto.INT64,
                                                              ["batch", "tokens"]))
        onnx.helper.set_model_props(model, {**{p.key: p.value for p in model.metadata_props},
                                            META_KEY: json.dumps(table)})
        target, tmp = path.parent / SPLIT_FILE, path.parent / f".{SPLIT_FILE}.tmp"
        tmp.write_bytes(model.SerializeToString())
        tmp.replace(target)  # never half a graph where the embedder looks
        return target
    return None


def table_of(session, folder: Path) -> VocabularyTable | None:
    """The table a session of :data:`SPLIT_FILE` needs, from the graph's own metadata."""
    return table_from(session.get_modelmeta().custom_metadata_map.get(META_KEY), folder)


def table_from(raw: str | None, folder: Path) -> VocabularyTable | None:
    """The table described by :data:`META_KEY`'s JSON value (None without one)."""
    if not raw:
        return None
    info = json.loads(raw)
    return VocabularyTable(Path(folder) / info["location"], int(info["offset"]), int(info["rows"]), int(info["dim"]))
