"""The language walk: every tab in Chinese and in English, in Debian's Chromium, with no text of the
other script outside document content.

For each language the walk opens every tab, runs its main action (and a mistake where the tab
has one, so its coded error shows), and reads the visible text of the page: the text of every
block element, placeholders and the graph drawing's labels. Code (the SPARQL editor, `code`,
`pre`), SPARQL result tables (the variables and values of the user's query) and the user's own
input are not UI text.

- Chinese UI: an English word is a leak unless it is a code (E320, W155), an IRI, an id or a
  file name, a format or standard name (SPARQL, XLSX, CSV...), a unit, or a word that the
  documents themselves hold (a literal of the store that is not an English label).
- English UI: a run of Han characters is a leak unless it is document content: a whole literal
  of the store that has no English sibling (a concept label without an English label, a title,
  a heading, an actor), or a run of at least six characters found in a document's text.

Screenshots of every tab in both languages: test-output/browser-lang-{zh,en}-{tab}.png; the
leaks found, per tab, in test-output/language-leaks.json.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest

from metrokg.errors import Errors, Warnings
from metrokg.ui.web.i18n import TEXT, t
from conftest import DATA, run_cli
from serving import running_server
import test_browser
from test_browser import CHROMIUM, SLOW, open_tab, shot
from test_browser_compare import pick

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,  # a real `metrokg serve` and Chromium
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (/usr/bin/chromium); "
                                                     "run scripts/system-deps.sh"),
]

browser = test_browser.browser

QUESTION = "谁负责中期评估？"
NO_PATTERN = "天气怎么样"
SEARCH = "碳排放计量"
FIND = "计量器具"
NOT_A_NUMBER = "很多"
CITY = DATA / "compare" / "city-plan-implementing-hubei.txt"  # in the store, so the 比较 tab compares it
CITY_OPTION = "襄江市计量发展实施方案 (city-plan-implementing-hubei)"
UPLOAD = DATA / "structure" / "city_plan.txt"  # previewed in the Documents tab, not added
USER_INPUT = (QUESTION, NO_PATTERN, NOT_A_NUMBER)  # what a message may echo (the graph's pick shows its own label)

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_RUN = re.compile(rf"[{HAN}]+")
WORD = re.compile(r"(?<![\w.@/-])[A-Za-z][A-Za-z'’-]*[A-Za-z](?![\w@/-])")
NOT_WORDS = re.compile(
    r"\S+://\S+|urn:\S+|\b[EW]\d{3}\b|\b[\w.-]+\.(?:xlsx|csv|png|ttl|nq|trig|jsonld|json|docx|txt|md|pdf|html|nt)\b"
    r"|\b[a-z0-9]+(?:-[a-z0-9]+)+\b|\b\w+:\w+\b|\?\w+")
# Chinese terms the English messages quote on purpose (a document kind, numbers the user may type).
QUOTED_IN_ENGLISH = {run for cls in (Errors, Warnings) for name, text in vars(cls).items()
                     if re.fullmatch(r"[EW]\d{3}", name) for run in re.findall(rf"[{HAN}]+", text)}
# Names that read the same in a Chinese text: formats, standards, protocols, products, units, the app.
NAMES = {
    "SPARQL", "XLSX", "CSV", "JSON", "JSON-LD", "Turtle", "TriG", "N-Quads", "N-Triples", "RDF", "IRI", "URL", "API",
    "PNG", "Excel", "Word", "HTTP", "HTTPS", "OWL", "SKOS", "PROV", "SHACL", "metrokg", "YASGUI", "Protégé",
    "SPARQLWrapper", "Oxigraph", "JJG", "JJF", "GB", "ISO", "OIML", "SI", "ID", "id", "PDF", "Markdown", "HTML",
    "kg", "km", "mg", "kWh", "MW", "GW", "kW", "Hz", "kHz", "MHz", "GHz", "ppm", "ppb", "mm", "cm", "nm", "μm",
    "Pa", "kPa", "MPa", "dB", "ms", "MB", "KB", "cd", "mol", "lx", "kJ", "NA", "Kcd", "Gradio",
}

# The tabs, each with what to do in it once opened (page, lang).


def _click(page, elem_id: str) -> None:
    page.click(f"#{elem_id}")


def _settle(page) -> None:
    try:
        page.wait_for_function("() => !document.querySelector('.pending, .generating')", timeout=SLOW)
    except Exception:  # noqa: BLE001 - read what is there
        pass
    page.wait_for_timeout(600)


def do_search(page, lang, look):
    page.fill("#search-box textarea", SEARCH)
    _click(page, "search-button")
    page.wait_for_selector("#search-results .mk-hit", timeout=SLOW)


def do_ask(page, lang, look):
    page.fill("#ask-box textarea", NO_PATTERN)
    _click(page, "ask-button")
    page.wait_for_selector("#ask-answers .mk-meta", timeout=SLOW)
    look()
    page.fill("#ask-box textarea", QUESTION)
    _click(page, "ask-button")
    page.wait_for_selector("#ask-answers .mk-hit", timeout=SLOW)


def do_obligations(page, lang, look):
    _click(page, "obl-button")
    _settle(page)
    page.locator("#obl-breakdown").click()  # no document chosen: E477
    _settle(page)


def do_penalties(page, lang, look):
    _click(page, "pen-button")
    _settle(page)


def do_targets(page, lang, look):
    _click(page, "tgt-refresh")
    _settle(page)
    page.click("#tgt-target input")
    page.get_by_role("option").first.click()
    page.fill("#tgt-value textarea, #tgt-value input", NOT_A_NUMBER)  # not a number: E322
    _click(page, "tgt-record")
    page.wait_for_selector("#tgt-status .mk-error", timeout=SLOW)


def do_compare(page, lang, look):
    _click(page, "compare-button")  # nothing chosen yet: the page asks for two documents
    _settle(page)
    look()
    pick(page, "compare-b", CITY_OPTION)  # proposes the document it implements as the other side
    page.wait_for_function("() => document.querySelector('#compare-a input').value.includes('hubei-2022')",
                           timeout=SLOW)
    _click(page, "compare-button")
    page.wait_for_function("() => (document.getElementById('compare-pairs')?.innerText || '').length > 200",
                           timeout=SLOW)
    _settle(page)


def do_gaps(page, lang, look):
    _click(page, "gap-button")
    _settle(page)


def do_graph(page, lang, look):
    page.fill("#graph-find textarea, #graph-find input", FIND)
    _click(page, "graph-find-button")
    page.wait_for_selector("#graph-network svg", timeout=SLOW)
    _settle(page)


def do_documents(page, lang, look):
    page.click("#doc-select input")
    page.get_by_role("option").first.click()
    _settle(page)
    for box in ("upload-accordion", "remove-accordion"):  # closed at first: open them to read the upload box
        page.locator(f"#{box} > button, #{box} .label-wrap").first.click()
    page.wait_for_selector("#upload-file", timeout=SLOW)
    _settle(page)
    look()  # the empty upload box
    page.set_input_files("#upload-file input[type=file]", str(UPLOAD))
    page.wait_for_timeout(1000)
    _click(page, "preview-button")  # a preview only: the store is not changed
    page.wait_for_function("() => (document.getElementById('upload-preview')?.innerText || '').trim().length > 20",
                           timeout=SLOW)
    _settle(page)


def do_sparql(page, lang, look):
    _click(page, "sparql-run")
    _settle(page)
    look()
    page.locator("#sparql-query .cm-content").fill("SELECT ?s WHERE { ?s ")  # not valid: E020
    _click(page, "sparql-run")
    page.wait_for_selector("#sparql-status .mk-error", timeout=SLOW)


def do_learn(page, lang, look):
    _settle(page)


def do_export(page, lang, look):
    _click(page, "export-table-button")
    _settle(page)


TABS = {"search": do_search, "ask": do_ask, "obligations": do_obligations, "penalties": do_penalties,
        "targets": do_targets, "compare": do_compare, "gaps": do_gaps, "graph": do_graph,
        "documents": do_documents, "sparql": do_sparql, "learn": do_learn, "export": do_export}

# Visible text of the page: one entry per block element (its own text, inline children included),
# per placeholder and per SVG text; code and SPARQL results are left out.
READ_TEXT = """() => {
  const skip = 'code, pre, textarea, script, style, .cm-editor, #sparql-table, #ask-bindings, #ask-sparql, '
             + '#lang-switch, [role=tabpanel][hidden], .hide, .hidden';
  const inline = new Set(['inline', 'inline-block', 'contents']);
  const out = new Set();
  const visible = el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
      return r.width > 1 && r.height > 1 && s.visibility !== 'hidden' && s.display !== 'none'
             && !(s.position === 'absolute' && s.clip.startsWith('rect(0')); };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim()) continue;
    let el = n.parentElement;
    if (!el || el.closest(skip) || !visible(el)) continue;
    if (el.closest('svg')) { out.add(n.textContent.trim()); continue; }
    while (el.parentElement && inline.has(getComputedStyle(el).display)) el = el.parentElement;
    let text = '';
    for (const c of el.childNodes) {
      if (c.nodeType === 3) text += c.textContent;
      else if (c.nodeType === 1 && inline.has(getComputedStyle(c).display) && !c.closest(skip)) text += c.innerText;
      else text += '\\n';
    }
    for (const line of text.split('\\n')) if (line.trim()) out.add(line.trim());
  }
  for (const el of document.querySelectorAll('input[placeholder], textarea[placeholder]'))
    if (visible(el) && el.placeholder.trim() && !el.closest(skip)) out.add(el.placeholder.trim());
  for (const el of document.querySelectorAll('input[role=listbox], input[aria-autocomplete]'))
    if (visible(el) && el.value.trim() && !el.closest(skip)) out.add(el.value.trim());
  return [...out];
}"""


@pytest.fixture(scope="module")
def served_store(built_store, tmp_path_factory):
    """A copy of the built store with the city plan ingested (two documents to compare)."""
    store = tmp_path_factory.mktemp("browser-language") / "store"
    shutil.copytree(built_store, store)
    run_cli("ingest", str(CITY), store=store)
    return store


@pytest.fixture(scope="module")
def literals(served_store):
    """The store's literals: those that are not English (the documents' own words), and those of them
    that have no English sibling on the same subject and property (what may stay Chinese in English)."""
    from metrokg.kg.store.registry import open_store

    query = """SELECT ?o (BOUND(?en) AS ?has_en) WHERE { GRAPH ?g { ?s ?p ?o }
        FILTER(isLiteral(?o) && !langMatches(lang(?o), "en"))
        OPTIONAL { GRAPH ?h { ?s ?p ?en } FILTER(isLiteral(?en) && langMatches(lang(?en), "en")) } }"""
    with open_store(str(served_store)) as store:
        rows = [(str(r[0]), str(r[1]).lower() == "true") for r in store.query(query)]
    zh_only = {text for text, has_en in rows if not has_en}
    texts = sorted({text for text, _ in rows}) + [UPLOAD.read_text(encoding="utf-8")]  # the preview shows it
    return {"text": "\n".join(texts), "zh_only": zh_only}


@pytest.fixture(scope="module")
def server(served_store, literals):
    with running_server(served_store) as url:  # after the literals are read: the server holds the store
        yield url


def english_words(line: str, corpus: str) -> list[str]:
    """English words in a line of the Chinese UI that are not names, codes, ids or document words."""
    line = NOT_WORDS.sub(" ", line)
    return [w for w in WORD.findall(line) if w not in NAMES and w.upper() not in NAMES and w not in corpus]


def han_runs(line: str, literals: dict) -> list[str]:
    """Han runs in a line of the English UI that are not document content, user input or the Chinese
    terms the English error messages quote (任务分解表, 十二项).

    A line is a piece of a document when it holds a run of six or more Han characters found in the
    documents' text (a provision as the viewer or a hit shows it, a title), or when, after a leading
    provision number, it is a whole literal or a text of four or more Han characters found there (a
    heading in the structure tree). In other lines each run must be a whole literal without an English
    sibling (a heading, an actor, a concept with no English label)."""
    runs = HAN_RUN.findall(line)
    core = re.sub(r"^[\d.\s]+", "", line)
    if (any(len(r) >= 6 and r in literals["text"] for r in runs) or core in literals["zh_only"]
            or (sum(map(len, runs)) >= 4 and core in literals["text"])):
        return []
    return [r for r in runs if r not in literals["zh_only"] and r not in QUOTED_IN_ENGLISH
            and not any(r in given for given in USER_INPUT)]


def leaks_in(lines: list[str], lang: str, literals: dict) -> list[str]:
    """The lines with text of the other language; a line that is exactly a label of the other language
    (from the i18n table) is one whatever the documents hold."""
    other = {pair[0] if lang == "en" else pair[1] for pair in TEXT.values() if pair[0] != pair[1]}
    found = []
    for line in lines:
        bad = english_words(line, literals["text"]) if lang == "zh" else han_runs(line, literals)
        if line in other and line not in NAMES and not re.fullmatch(r"[\W\d]*|\{\w+\}", line):
            bad = bad or [line]
        if bad:
            found.append(f"{line[:120]!r}: {', '.join(dict.fromkeys(bad))}")
    return found


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_tab_speaks_one_language(browser, server, literals, output_dir, lang):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-US" if lang == "zh" else "zh-CN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(server + "/")
    page.wait_for_selector("#search-box textarea")
    if lang == "en":
        page.locator("#lang-switch").get_by_text("English").click()
        page.get_by_role("tab", name="Search", exact=True).wait_for()
    report: dict[str, list[str]] = {}
    try:
        for tab, action in TABS.items():
            open_tab(page, t(f"tab.{tab}", lang))
            page.wait_for_timeout(800)
            seen: list[str] = []

            def look(seen: list[str] = seen) -> None:
                seen.extend(x for x in page.evaluate(READ_TEXT) if x not in seen)

            try:
                action(page, lang, look)
            except Exception as err:  # noqa: BLE001 - an action that cannot run is reported, the text still read
                report.setdefault(tab, []).append(f"(action failed: {str(err).splitlines()[0][:100]})")
            shot(page, output_dir, f"lang-{lang}-{tab}")
            look()
            report.setdefault(tab, []).extend(leaks_in(seen, lang, literals))
    finally:
        context.close()
    path = output_dir / "language-leaks.json"
    previous = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    previous[lang] = report
    path.write_text(json.dumps(previous, ensure_ascii=False, indent=1), encoding="utf-8")
    leaks = {tab: found for tab, found in report.items() if found}
    assert not leaks, f"text of the other language in the {lang} UI:\n" + "\n".join(
        f"{tab}: {line}" for tab, found in leaks.items() for line in found)
