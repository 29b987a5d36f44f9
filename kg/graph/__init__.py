"""Building the graph: documents and facts as RDF, ingest, the shipped corpus, entailment, catalogues, validation, uploads."""
