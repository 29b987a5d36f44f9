"""The embedder interface every backend implements (torch, ONNX Runtime), in a module of its own
so that the backends and the module choosing between them import it without a cycle."""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np


class Embedder(ABC):
    """Texts in, float32 L2-normalised rows out; queries and passages may be embedded differently."""

    model_id: str
    dim: int
    window: int = 512  # tokens the model reads at once (its max_seq_length), special tokens included

    @abstractmethod
    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Embed search queries, shape ``(len(texts), dim)``."""

    def count_tokens(self, text: str, kind: str = "query") -> int:
        """Tokens the model reads for ``text`` (``kind`` "query" or "passage"); without a
        tokenizer, one per character and two special tokens, which overestimates."""
        return len(text) + 2

    @abstractmethod
    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """Embed passages (provisions, sentences), shape ``(len(texts), dim)``."""
