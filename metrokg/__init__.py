"""metrokg: a metrology knowledge graph and regulation assistant.

The distribution maps its top-level folders into this namespace:
``metrokg.ontology`` (ontology/), ``metrokg.nlp`` (nlp/), ``metrokg.kg`` (kg/),
``metrokg.ui`` (ui/) and ``metrokg.corpus`` (corpus/).

:class:`KnowledgeGraph` is the small public API over them::

    from metrokg import KnowledgeGraph

    with KnowledgeGraph("./store") as graph:
        graph.ingest(["plan.docx"])
        hits = graph.search("加油机", k=5, modality="obligation")

Every layer imports this package, so it imports nothing of them at module level: each method
imports the library functions it calls, and ``import metrokg`` stays light.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from metrokg.kg.store.base import Store

__version__ = "0.1.0"
__all__ = ["KnowledgeGraph", "__version__"]

PathLike = str | os.PathLike


class KnowledgeGraph:
    """One store, opened on first use and owned until :meth:`close` (or the end of a ``with``).

    ``store`` is a directory (an embedded store), a ``sparql+http(s)://`` URL, or None for
    ``$METROKG_STORE`` or the per-user default, as ``metrokg --store`` takes it. Reading opens
    a read-only snapshot (E380 when there is no store yet); :meth:`ingest` reopens the store for
    writing (creating it if needed) and later reads see what it wrote. The methods return the
    plain records the CLI prints with ``--json``; mistakes raise :class:`~metrokg.errors.MetrokgError`.
    """

    def __init__(self, store: PathLike | None = None) -> None:
        self._spec = None if store is None else os.fspath(store)
        self._store: Store | None = None
        self._writable = False

    # ---- the store
    def _opened(self, write: bool = False) -> Store:
        """The open store; a writer replaces a read-only snapshot (one store open at a time)."""
        if self._store is not None and (self._writable or not write):
            return self._store
        from metrokg.kg.store.registry import open_store

        self.close()
        self._store, self._writable = open_store(self._spec, write=write), write
        return self._store

    def close(self) -> None:
        """Close the store (a writer's lock is released); a later call opens it again."""
        store, self._store, self._writable = self._store, None, False
        if store is not None:
            store.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"KnowledgeGraph({self._spec!r})"

    # ---- writing
    def ingest(self, paths: PathLike | Iterable[PathLike]) -> list[dict]:
        """Add or replace documents (.txt .md .html .docx .pdf), all or nothing; one result per
        file: ``id``, ``title``, ``status`` (added, replaced, unchanged), counts and warnings."""
        from dataclasses import asdict

        from metrokg.kg.graph.ingest import ingest_paths

        files = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
        return [asdict(r) for r in ingest_paths(self._opened(write=True), files)]

    # ---- reading
    def search(self, query: str, k: int = 10, **facets: Any) -> list[dict]:
        """The ``k`` best provisions for ``query``, as ``metrokg search --json`` gives them.

        ``facets`` are the search's keyword arguments: ``document``, ``mode``, ``method``,
        ``chapter``, ``industry``, ``quantity``, ``instrument``, ``actor``, ``modality``, ``year``.
        What was cut from a long query is reported as a :class:`UserWarning` (``[W155] ...``).
        """
        from metrokg.kg.records.listing import check_document
        from metrokg.kg.search.index import SearchIndex

        store = self._opened()
        check_document(store, facets.get("document"))
        results = SearchIndex.open(store).search(query, k=k, **facets)
        for notice in results.notices:
            warnings.warn(notice, UserWarning, stacklevel=2)
        return [hit.public() for hit in results]

    def ask(self, question: str, k: int = 10) -> dict:
        """An answer from the graph with its citations, and the SPARQL it ran (``metrokg ask``)."""
        from metrokg.kg.analyses.questions import ask

        return ask(self._opened(), question, k=k)

    def documents(self) -> list[dict]:
        """Every ingested document with its metadata and provision count, by id."""
        from metrokg.kg.records.listing import list_documents

        return list_documents(self._opened())

    def provisions(self, document: str | None = None) -> list[dict]:
        """Provisions in document order, of one document or of all."""
        from metrokg.kg.records.listing import list_provisions

        return list_provisions(self._opened(), document)

    def obligations(self, **filters: Any) -> list[dict]:
        """The obligations register; ``filters`` as ``metrokg obligations`` takes them: ``actor``,
        ``actor_type``, ``modality``, ``deadline``, ``document``, ``industry``, ``role``."""
        from metrokg.kg.analyses.obligations import list_obligations

        return list_obligations(self._opened(), **filters)

    def targets(self, document: str | None = None) -> list[dict]:
        """Every quantitative target with its latest progress, share achieved and status."""
        from metrokg.kg.analyses.targets import list_targets

        return list_targets(self._opened(), document)

    def gaps(self, by: str = "quantity", document: str | None = None) -> dict:
        """The specification-gap map: industry × ``by`` (quantity, instrument, discipline) cells, ranked."""
        from metrokg.kg.analyses.gaps import gap_map

        return gap_map(self._opened(), by=by, document=document)
