"""Store backends by name, and opening a store from its spec, in the style of rdflib's plugins.

A store spec is a directory (the embedded store) or a URL whose scheme names its backend
(``sparql+http(s)://`` for a SPARQL 1.1 server). Each backend is registered as the module and
class that serve its scheme; the module is imported only when a store of its kind is opened,
so the embedded store never loads the HTTP client.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from metrokg.config import default_store
from metrokg.errors import MetrokgError
from metrokg.kg.store.base import Store

DIRECTORY = ""  # the scheme of a spec without ``://``: a directory


@dataclass(frozen=True)
class Backend:
    """Where the class of one kind of store lives."""

    module: str
    cls: str

    def load(self) -> type[Store]:
        return getattr(importlib.import_module(self.module), self.cls)


_BACKENDS: dict[str, Backend] = {}


def register(scheme: str, module: str, cls: str) -> None:
    """Open specs ``{scheme}://...`` (a directory for :data:`DIRECTORY`) with ``module.cls``."""
    _BACKENDS[scheme] = Backend(module, cls)


def scheme_of(spec: str) -> str:
    """The scheme of a store spec: what comes before ``://``, else :data:`DIRECTORY`."""
    return spec.split("://", 1)[0] if "://" in spec else DIRECTORY


def backend_for(spec: str) -> Backend:
    """The backend registered for the spec's scheme; E013 for a scheme no backend serves."""
    backend = _BACKENDS.get(scheme_of(spec))
    if backend is None:
        raise MetrokgError("E013", spec=spec)
    return backend


def open_store(spec: str | None = None, write: bool = False) -> Store:
    """Open the store named by ``spec`` (a directory or a ``sparql+http(s)://`` URL).

    ``None`` means ``$METROKG_STORE`` or the per-user default. A reader gets a read-only
    snapshot of an embedded store (E380 when there is none: reading never creates one); a
    writer creates the store if needed, and gets E012 while another process writes.
    """
    spec = spec or default_store()
    return backend_for(spec).load().open_spec(spec, write)


register(DIRECTORY, "metrokg.kg.store.embedded", "EmbeddedStore")
register("sparql+http", "metrokg.kg.store.remote", "RemoteStore")
register("sparql+https", "metrokg.kg.store.remote", "RemoteStore")
