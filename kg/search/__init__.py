"""Search over provisions: the index, BM25, embeddings, ontology expansion, fusion and its evaluation."""
