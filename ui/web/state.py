"""What the callbacks share: the open store, the upload area, a folder for downloads.

:class:`AppState` is the one place the web app calls the library: every tab and named API
endpoint goes through its methods, each one call of the function the CLI uses too, so the
page does nothing the CLI cannot do.
"""

from __future__ import annotations

import logging
import re
import secrets
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Callable, TypeVar

from metrokg.errors import MetrokgError
from metrokg.kg.analyses.gaps import gap_map
from metrokg.kg.analyses.neighbourhood import find_entities, labels_for, neighbourhood
from metrokg.kg.analyses.obligations import list_obligations
from metrokg.kg.analyses.questions import QuestionAnswerer
from metrokg.kg.analyses.targets import list_targets, record_progress
from metrokg.kg.graph import uploads
from metrokg.kg.graph.ingest import remove_document
from metrokg.kg.records.listing import list_documents, list_provisions
from metrokg.kg.search.index import SearchIndex
from metrokg.kg.store.base import Store
from metrokg.kg.store.export import export_graph
from metrokg.kg.store.user_sparql import result_rows, run_user_query
from metrokg.ui.reports.charts import progress_data

log = logging.getLogger("metrokg.web")
T = TypeVar("T")

# The search filters the page offers, in its order (all keyword arguments of SearchIndex.search;
# deadline_year is its name for the year filter); the documents' facets follow them (kg.search.documents).
FACETS = ("industry", "quantity", "actor", "modality", "deadline_year")


def whole_number(value, what: str, low: int, high: int) -> int:
    """A user's number field as an int in [low, high], else E254."""
    try:
        n = int(float(value))
    except (TypeError, ValueError, OverflowError):  # OverflowError: Infinity
        raise MetrokgError("E254", what=what, low=low, high=high, value=value) from None
    if not low <= n <= high or n != float(value):
        raise MetrokgError("E254", what=what, low=low, high=high, value=value)
    return n


def gradio_upload_folder() -> Path:
    """The folder Gradio's upload route writes to (``GRADIO_TEMP_DIR``)."""
    from gradio.utils import get_upload_folder

    return Path(get_upload_folder())


class AppState:
    """The library objects of one server process.

    ``received`` is the folder the server's upload route writes to: the only place a file a
    request names may be read from (see :func:`metrokg.kg.graph.uploads.read_received`).
    """

    def __init__(self, store: Store, work_dir: str | Path | None = None, received: str | Path | None = None):
        self.store = store
        self.work_dir = Path(work_dir) if work_dir else Path(tempfile.mkdtemp(prefix="metrokg-web-"))
        self.received = Path(received) if received else gradio_upload_folder()
        self.uploads = uploads.UploadArea(self.work_dir / "uploads")
        self.downloads = self.work_dir / "downloads"
        self.downloads.mkdir(parents=True, exist_ok=True)
        self._learn_cache: tuple[int, dict] | None = None
        self._lock = threading.Lock()
        # Writes (uploads, removals, progress, the CLI's writes through the server) run one at a time;
        # while one runs, searches answer from the index published before it (never waiting for the rebuild).
        self.write_lock = threading.RLock()
        self._index: SearchIndex | None = None
        self._documents: tuple[int, list[dict]] | None = None
        self._facets: tuple[int, dict[str, dict]] | None = None
        # A page's document lists are computed one at a time (refreshes, language switches): a refresh begun
        # in one language that finishes after a switch to the other would put the old language back.
        self.page_lock = threading.Lock()

    def warm_up(self) -> threading.Thread:
        """Open the search index and load its models in the background, so the first search is quick."""
        def work() -> None:
            try:
                self.search("计量", k=1)
            except Exception:  # noqa: BLE001 - a failed warm-up only makes the first search slower
                log.exception("search warm-up failed")

        thread = threading.Thread(target=work, name="metrokg-warm-up", daemon=True)
        thread.start()
        return thread

    # ---- search and questions
    def search(self, query: str, k: int = 10, document: str | None = None, **facets) -> list[dict]:
        return self.search_with_notices(query, k, document, **facets)[0]

    def search_with_notices(self, query: str, k: int = 10, document: str | None = None,
                            **facets) -> tuple[list[dict], list[str]]:
        """Hits as plain dicts, and the search's notices (a query cut to its limit, ...)."""
        index = self.read_index()
        chosen = {name: value for name, value in facets.items() if value not in (None, "", [])}
        results = index.search(query, k=int(k), document=document or None, **chosen)
        return [h.public() for h in results], list(getattr(results, "notices", []))

    def read_index(self) -> SearchIndex:
        """The search index readers use: the store's current one, or, while a write is re-indexing, the
        one published before it (so a search never waits for a rebuild; it sees the write once done)."""
        published = self._index
        if published is not None and (published.generation == self.store.generation() or self._writing()):
            return published
        return self._publish_index()

    def _publish_index(self) -> SearchIndex:
        index = SearchIndex.open(self.store)
        index.dense()
        self._index = index
        return index

    def _writing(self) -> bool:
        """Whether a write holds the write lock now (taken and given back at once when free)."""
        if self.write_lock.acquire(blocking=False):
            self.write_lock.release()
            return False
        return True

    def write(self, fn: Callable[..., T], *args, **kwargs) -> T:
        """Run one write to the store, then bring the search index up to date before the lock is given
        back: writes are serialised, readers meanwhile use the index published before."""
        with self.write_lock:
            try:
                return fn(*args, **kwargs)
            finally:
                self._publish_index()

    def write_socket(self):
        """Start the socket CLI writes come through while this server holds an embedded store (see
        :mod:`metrokg.ui.cli.commands._via_server`); None for a remote store, which takes writers itself."""
        from metrokg.kg.store.embedded import EmbeddedStore
        from metrokg.ui.cli.commands._via_server import WriteServer

        if not isinstance(self.store, EmbeddedStore) or self.store.read_only:
            return None
        return WriteServer(self.store, self.store.path, self.write).start()

    def ask(self, question: str, k: int = 10, lang: str | None = None) -> dict:
        answerer = QuestionAnswerer(self.store)
        answerer._index = self.read_index()  # its lazily opened index: the published one, as search uses
        return answerer.ask(question, k, lang).public()

    def related(self, topics) -> dict[str, list[dict]]:
        """The search's top provisions for each Learn topic, cached per store generation."""
        generation = self.store.generation()
        with self._lock:
            if self._learn_cache and self._learn_cache[0] == generation:
                return self._learn_cache[1]
        out = {}
        for topic in topics:
            try:
                out[topic.id] = self.search(topic.query, k=3)
            except MetrokgError:
                out[topic.id] = []
        with self._lock:
            self._learn_cache = (generation, out)
        return out

    # ---- documents
    def documents(self) -> list[dict]:
        """The `documents --json` rows (``parents`` resolved), listed again only when the store's generation
        changed."""
        generation = self.store.generation()
        cached = self._documents
        if cached is not None and cached[0] == generation:
            return cached[1]
        from metrokg.kg.records.parents import with_parents

        rows = with_parents(self.store, list_documents(self.store))
        self._documents = (generation, rows)
        return rows

    def document_facets(self) -> dict[str, dict]:
        """Each document's kind, jurisdiction, province and year (what search's document facets filter
        by), read again only when the store's generation changed."""
        from metrokg.kg.search.documents import document_facets

        generation = self.store.generation()
        cached = self._facets
        if cached is not None and cached[0] == generation:
            return cached[1]
        facets = document_facets(self.store)
        self._facets = (generation, facets)
        return facets

    def generation(self) -> int:
        """The store's generation (one small query): the pages' lists refresh when it changes."""
        return self.store.generation()

    def provisions(self, document: str | None = None) -> list[dict]:
        return list_provisions(self.store, document)

    def preview_upload(self, path: str, step: uploads.Step | None = None) -> tuple[str, uploads.UploadPreview]:
        """Keep a received upload under a token and read it without writing: (token, preview)."""
        token = self.keep_upload(path)
        return token, uploads.preview_upload(self.store, self.uploads, token, step=step)

    def keep_upload(self, path: str) -> str:
        """Keep a received upload under a token (read by content, size-limited)."""
        return self.uploads.put(uploads.read_received(path, self.received), Path(path).name)

    def add_upload(self, token: str, replace: bool = False, step: uploads.Step | None = None):
        """Write a previewed (or just kept) upload into the graph."""
        return self.write(uploads.add_upload, self.store, self.uploads, token, replace=replace, step=step)

    def ingest_upload(self, path: str, replace: bool = False):
        """Write a received upload at once (``/ingest``); the search index is brought up to date."""
        doc = uploads.parse_upload(uploads.read_received(path, self.received), Path(str(path)).name)
        result = self.write(uploads.write_upload, self.store, doc, replace)
        uploads.forget_received(path, self.received)
        return result

    def remove_document(self, doc_id: str):
        return self.write(remove_document, self.store, doc_id)

    # ---- analyses
    def obligations(self, **filters) -> list[dict]:
        return list_obligations(self.store, **filters)

    def breakdown(self, document: str) -> tuple[list[dict], str]:
        """A plan's 任务分解表 rows and title (E476 when it has no task)."""
        from metrokg.kg.analyses.breakdown import breakdown, breakdown_title

        return breakdown(self.store, document, required=True), breakdown_title(self.store, document)

    def penalties(self, document: str | None = None, conduct: str | None = None) -> list[dict]:
        from metrokg.kg.analyses.penalties import list_penalties

        return list_penalties(self.store, document=document, conduct=conduct)

    def targets(self, document: str | None = None) -> list[dict]:
        return list_targets(self.store, document)

    def progress(self) -> list[dict]:
        """One series of recorded progress per observed target, for the chart."""
        return progress_data(self.store)

    def record_progress(self, target: str, value: str, as_of: str, source: str | None = None,
                        agent: str | None = None) -> dict:
        return self.write(record_progress, self.store, target, value, as_of, source=source, agent=agent)

    def gaps(self, by: str = "quantity", document: str | None = None) -> dict:
        return gap_map(self.store, by=by, document=document)

    def catalogue_summary(self) -> dict:
        """How many specifications the gap map's supply counts, and where they came from."""
        from metrokg.kg.analyses.gaps import catalogue_summary

        return catalogue_summary(self.store)

    def compare(self, doc_a: str, doc_b: str) -> dict:
        """The comparison of two documents (embeddings when the model is installed)."""
        from metrokg.kg.analyses.compare import compare_documents
        from metrokg.kg.embedding.embedder import describe_model

        return compare_documents(self.store, doc_a, doc_b, dense=bool(describe_model()["installed"]))

    def parents(self, doc_id: str) -> list[dict]:
        """What a document implements, resolved to the documents the store holds."""
        from metrokg.kg.records.parents import parent_documents

        return parent_documents(self.store, doc_id)

    def find_entities(self, text: str) -> list[dict]:
        return find_entities(self.store, text)

    def neighbourhood(self, entity: str, limit: int = 40, lang: str = "zh") -> dict:
        return neighbourhood(self.store, entity, limit=limit, lang=lang)

    def labels(self, iris: list[str], lang: str = "zh") -> dict[str, str]:
        return labels_for(self.store, iris, lang)

    # ---- SPARQL and export
    def sparql(self, query: str, row_limit: int, timeout_s: float) -> tuple[list[str], list[dict], bool]:
        """A user's read-only query under the limits: (columns, rows, truncated)."""
        result, truncated = run_user_query(self.store, query, row_limit=row_limit, timeout_s=timeout_s)
        return (*result_rows(result), truncated)

    def export_graph(self, fmt: str) -> bytes:
        return export_graph(self.store, fmt)

    # ---- files handed to the browser
    def download_path(self, stem: str, suffix: str) -> Path:
        """A fresh file in its own generated folder (names never come from user input)."""
        safe = re.sub(r"[^a-z0-9-]+", "-", stem.lower()).strip("-") or "download"
        folder = self.downloads / secrets.token_hex(8)
        folder.mkdir(parents=True)
        return folder / f"metrokg-{safe}{suffix}"

    def close(self) -> None:
        shutil.rmtree(self.work_dir, ignore_errors=True)
