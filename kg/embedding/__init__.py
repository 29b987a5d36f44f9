"""Embedding models: the embedder interface and the rebuild of the bundled e5 model."""
