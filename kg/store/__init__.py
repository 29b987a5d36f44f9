"""The graph store: the Store interface, its backends, users' read-only SPARQL, export and recovery."""
