"""What the callbacks share: the open store, the upload area, a folder for downloads.

Every method is one call into the library, so the page does nothing the CLI cannot do.
"""

from __future__ import annotations

import inspect
import logging
import re
import secrets
import shutil
import tempfile
import threading
from pathlib import Path

from metrokg.errors import MetrokgError
from metrokg.kg.listing import list_documents, list_provisions
from metrokg.kg.search import SearchIndex
from metrokg.kg.store import Store
from metrokg.kg.uploads import UploadArea

log = logging.getLogger("metrokg.web")

# Search facets the web page offers once the library's search accepts them as keyword arguments.
FACETS = ("industry", "quantity", "actor", "modality", "deadline_year")


def supported_facets() -> tuple[str, ...]:
    """The facets :meth:`SearchIndex.search` takes today (the page shows only those)."""
    params = inspect.signature(SearchIndex.search).parameters
    return tuple(f for f in FACETS if f in params)


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
    request names may be read from (see :func:`metrokg.kg.uploads.read_received`).
    """

    def __init__(self, store: Store, work_dir: str | Path | None = None, received: str | Path | None = None):
        self.store = store
        self.work_dir = Path(work_dir) if work_dir else Path(tempfile.mkdtemp(prefix="metrokg-web-"))
        self.received = Path(received) if received else gradio_upload_folder()
        self.uploads = UploadArea(self.work_dir / "uploads")
        self.downloads = self.work_dir / "downloads"
        self.downloads.mkdir(parents=True, exist_ok=True)
        self._learn_cache: tuple[int, dict] | None = None
        self._lock = threading.Lock()

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

    # ---- library calls
    def search(self, query: str, k: int = 10, document: str | None = None, **facets) -> list[dict]:
        return self.search_with_notices(query, k, document, **facets)[0]

    def search_with_notices(self, query: str, k: int = 10, document: str | None = None,
                            **facets) -> tuple[list[dict], list[str]]:
        """Hits as plain dicts, and the search's notices (a query cut to its limit, ...)."""
        index = SearchIndex.open(self.store)
        chosen = {name: value for name, value in facets.items() if value not in (None, "", [])}
        results = index.search(query, k=int(k), document=document or None, **chosen)
        return [h.public() for h in results], list(getattr(results, "notices", []))

    def documents(self) -> list[dict]:
        return list_documents(self.store)

    def provisions(self, document: str) -> list[dict]:
        return list_provisions(self.store, document)

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

    # ---- files handed to the browser
    def download_path(self, stem: str, suffix: str) -> Path:
        """A fresh file in its own generated folder (names never come from user input)."""
        safe = re.sub(r"[^a-z0-9-]+", "-", stem.lower()).strip("-") or "download"
        folder = self.downloads / secrets.token_hex(8)
        folder.mkdir(parents=True)
        return folder / f"metrokg-{safe}{suffix}"

    def close(self) -> None:
        shutil.rmtree(self.work_dir, ignore_errors=True)
