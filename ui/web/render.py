"""Library results as HTML for the page: escaped text, marked sentences, clickable provisions.

Elements that open a provision carry ``data-doc`` and ``data-num``; the page's script turns
a click on them into an event (see :data:`OPEN_JS`).
"""

from __future__ import annotations

import html
from functools import lru_cache
from typing import Iterable, Sequence

from metrokg.terms import PROVINCES_EN
from metrokg.ui.web.i18n import TEXT, t, warning_in

# A click on any [data-num] element inside the component sends {doc, num} to the server.
OPEN_JS = """
element.addEventListener('click', (ev) => {
  const el = ev.target.closest('[data-num]');
  if (!el || !element.contains(el)) return;
  ev.preventDefault();
  trigger('click', {doc: el.dataset.doc || '', num: el.dataset.num});
});
"""

# After each render, bring the highlighted provision into view.
SCROLL_JS = """
watch('value', () => {
  const cur = element.querySelector('.mk-current');
  if (cur) cur.scrollIntoView({block: 'center'});
});
"""

# Run after a provision was opened: bring it into view in the document pane.
SCROLL_TO_CURRENT = """() => {
  setTimeout(() => {
    const cur = document.querySelector('#doc-view .mk-current');
    if (cur) cur.scrollIntoView({block: 'center'});
  }, 150);
}"""

CSS = """
.mk-error {color: #8a1c1c; background: #fdecea; border: 1px solid #f5c2c0; padding: 8px 12px; border-radius: 6px;}
.mk-ok {color: #1d5b2a; background: #e8f5e9; border: 1px solid #b9dfbe; padding: 8px 12px; border-radius: 6px;}
.mk-note {color: #555; background: #f6f7f9; border: 1px dashed #c8ccd2; padding: 12px; border-radius: 6px;}
.mk-hit {border-bottom: 1px solid #e3e3e3; padding: 10px 0; line-height: 1.7;}
.mk-hit .mk-num {font-weight: bold; color: #1f4e79; margin-right: .5em;}
.mk-hit mark, .mk-doc mark {background: #ffe58a; padding: 0 1px;}
.mk-meta {color: #666; font-size: 90%;}
.mk-open {color: #1f4e79; cursor: pointer; text-decoration: underline; font-size: 90%; margin-left: .8em;}
.mk-concept {display: inline-block; background: #eef3fa; color: #1f4e79; border-radius: 10px;
             padding: 0 8px; margin: 2px 4px 0 0; font-size: 85%;}
.mk-tree {list-style: none; padding-left: 0; margin: 0;}
.mk-tree li {margin: 2px 0; cursor: pointer;}
.mk-tree li:hover {color: #1f4e79;}
.mk-tree li.mk-current {background: #fff4c2;}
.mk-doc {max-height: 640px; overflow-y: auto; padding-right: 8px; line-height: 1.8;}
.mk-doc .mk-prov {padding: 6px 8px; border-left: 3px solid transparent; margin-bottom: 4px;}
.mk-doc .mk-prov.mk-current {background: #fff8d6; border-left-color: #e0a800;}
.mk-doc .mk-prov .mk-num {font-weight: bold; color: #1f4e79; margin-right: .4em;}
.mk-table {border-collapse: collapse; margin: 8px 0 12px; font-size: 95%;}
.mk-table th, .mk-table td {border: 1px solid #d9dce1; padding: 4px 10px; text-align: left; vertical-align: top;}
.mk-table th {background: #f2f4f7;}
.mk-table td:first-child, .mk-table th:first-child {white-space: nowrap;}
.mk-learn h3 {margin-top: 18px; color: #1f4e79;}
.mk-related {margin: 6px 0 16px; padding-left: 1.2em;}
.mk-related li {margin: 3px 0;}
.mk-quote {border-left: 3px solid #d0d7e2; padding-left: 8px; color: #333; margin-top: 4px;}
/* the comparison's column headers on one line: Gradio sizes a column by its header, and its wrapped
   tables otherwise break an English header inside its words (A prov/isio/n) */
[id^="compare-"] .header-cell .cell-wrap span {white-space: nowrap; word-break: normal; overflow-wrap: normal;}
.mk-notice {color: #6b4500; background: #fff6e0; border: 1px solid #f0d9a8; padding: 6px 10px; border-radius: 6px;
            margin: 4px 0;}
"""


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value))


def error_html(message: str) -> str:
    return f"<div class='mk-error' role='alert'>⚠ {esc(message)}</div>"


def ok_html(message: str) -> str:
    return f"<div class='mk-ok' role='status'>{esc(message)}</div>"


def note_html(message: str) -> str:
    return f"<div class='mk-note'>{esc(message)}</div>"


def notices_html(notices: Sequence[str], lang: str) -> str:
    """A search's or an answer's notices (a query cut to its limit, English words that name no concept)
    in ``lang``, each with its code in front: the answer below them rests on less than was asked."""
    return "".join(f"<p class='mk-notice' role='status'>{esc(warning_in(n, lang))}</p>" for n in notices)


def mark(text: str, start: int, end: int, base: int) -> str:
    """``text`` (which starts at document offset ``base``) as HTML with [start, end) marked."""
    s, e = start - base, end - base
    if not (0 <= s < e <= len(text)):
        return esc(text)
    return esc(text[:s]) + "<mark>" + esc(text[s:e]) + "</mark>" + esc(text[e:])


def _concepts(hit: dict, lang: str = "zh") -> str:
    concepts = hit.get("concepts") or []
    labels = []
    for c in concepts:
        if isinstance(c, dict):
            label = (c.get("label_en") if lang == "en" else None) or c.get("label") or c.get("iri", "")
        else:
            label = str(c)
        if label and label not in labels:
            labels.append(label)
    return "".join(f"<span class='mk-concept'>{esc(x)}</span>" for x in labels)


def hits_html(hits: Sequence[dict], lang: str = "zh") -> str:
    """Search hits under their documents' titles (kind, jurisdiction, year), with facet counts: number,
    heading, the provision with its best sentence marked, matched concepts, the same text elsewhere."""
    from metrokg.kg.search.grouping import facet_counts, group_by_document

    if not hits:
        return note_html(t("search.none", lang))
    parts = [f"<p class='mk-meta'>{esc(t('search.count', lang, n=len(hits)))}</p>"]
    counts = facet_counts(list(hits))
    facets = " · ".join(", ".join(f"{_facet_value(name, k, lang)} ({v})" for k, v in sorted(c.items()))
                        for name, c in counts.items() if c)
    if facets:
        parts.append(f"<p class='mk-meta'>{esc(t('search.facets', lang))}{'：' if lang == 'zh' else ': '}"
                     f"{esc(facets)}</p>")
    for group in group_by_document(list(hits)):
        where = " · ".join(_facet_value(name, group[key], lang) for name, key in
                           (("kind", "kind"), ("jurisdiction", "jurisdiction"), ("year", "year")) if group[key])
        parts.append(f"<h4 class='mk-doc'>{esc(group['title'] or group['document'])} "
                     f"<span class='mk-meta'>{esc(group['document'])}{' · ' + esc(where) if where else ''}</span></h4>")
        parts += [_hit_html(h, lang) for h in group["hits"]]
    return "\n".join(parts)


def _facet_value(facet: str, value, lang: str) -> str:
    """A document facet's value (kind code, jurisdiction, year) as the page says it in ``lang``."""
    if facet == "kind":
        return kind_label(str(value), lang)
    return place_label(str(value), lang) if facet == "jurisdiction" else str(value)


def _hit_html(h: dict, lang: str) -> str:
    """One hit under its document's heading, with the documents holding the same text."""
    sent = h.get("sentence") or {}
    body = mark(h["text"], sent.get("start", -1), sent.get("end", -1), h["start"])
    concepts = _concepts(h, lang)
    concepts = (f"<div class='mk-meta'>{esc(t('search.concepts', lang))}: {concepts}</div>"
                if concepts else "")
    also = ", ".join(f"{d.get('title') or d['document']} {d['number']}" for d in h.get("also_in") or [])
    also = f"<div class='mk-meta'>{esc(t('search.also_in', lang))}: {esc(also)}</div>" if also else ""
    return (f"<div class='mk-hit'><span class='mk-num'>{esc(h.get('citation') or h['number'])}</span>"
            f"<b>{esc(h['heading'])}</b> <span class='mk-meta'>{esc(h['document'])} · {h['score']:.3f}</span>"
            f"<a class='mk-open' data-doc='{esc(h['document'])}' data-num='{esc(h['number'])}' href='#'>"
            f"{esc(t('search.open', lang))}</a>"
            f"<div>{body}</div>{concepts}{also}</div>")


def tree_html(provisions: Sequence[dict], current: str | None = None) -> str:
    """A document's structure as a list of numbered headings, indented by depth; each opens its text."""
    if not provisions:
        return "<p>—</p>"
    items = []
    for p in provisions:
        depth = p["number"].count(".")
        cls = " class='mk-current'" if p["number"] == current else ""
        items.append(f"<li{cls} style='margin-left:{depth * 1.2}em' data-doc='{esc(p['document'])}' "
                     f"data-num='{esc(p['number'])}'><b>{esc(p.get('citation') or p['number'])}</b> "
                     f"{esc(p['heading'])}</li>")
    return "<ul class='mk-tree'>" + "".join(items) + "</ul>"


def cited_html(provision: dict) -> str:
    """A provision's text with each resolved citation in it (``cites``) as a link that opens the
    cited provision (through :data:`OPEN_JS`, as a click on a heading does)."""
    text, base, out, pos = provision["text"], provision["start"], [], 0
    for c in sorted(provision.get("cites") or [], key=lambda c: c["start"]):
        s, e = c["start"] - base, c["end"] - base
        if c.get("number") is None or s < pos or not (0 <= s < e <= len(text)):
            continue
        out.append(esc(text[pos:s]) + f"<a class='mk-cite' href='#' data-doc='{esc(c['document'])}' "
                   f"data-num='{esc(c['number'])}' title='{esc(c.get('citation') or '')}'>{esc(text[s:e])}</a>")
        pos = e
    return "".join(out) + esc(text[pos:])


def document_html(provisions: Sequence[dict], current: str | None = None,
                  marked: tuple[int, int] | None = None) -> str:
    """Every provision of a document; ``current`` is highlighted, ``marked`` offsets are marked in it."""
    if not provisions:
        return "<p>—</p>"
    parts = []
    for p in provisions:
        is_cur = p["number"] == current
        text = mark(p["text"], marked[0], marked[1], p["start"]) if (is_cur and marked) else cited_html(p)
        parts.append(f"<div class='mk-prov{' mk-current' if is_cur else ''}' id='prov-{esc(p['number'])}' "
                     f"data-num='{esc(p['number'])}' data-doc='{esc(p['document'])}'>"
                     f"<span class='mk-num'>{esc(p['number'])}</span>{text}</div>")
    return "<div class='mk-doc'>" + "".join(parts) + "</div>"


def table_html(head: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Rows as an escaped HTML table; no header row when every heading is empty."""
    th = "".join(f"<th>{esc(h)}</th>" for h in head)
    thead = f"<thead><tr>{th}</tr></thead>" if any(head) else ""
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table class='mk-table'>{thead}<tbody>{body}</tbody></table>"


def preview_html(preview, lang: str = "zh") -> str:
    """The extraction preview of an upload: what adding it would write."""
    rows = [(t("preview.title", lang), preview.title), (t("preview.id", lang), preview.id),
            (t("preview.format", lang), f"{preview.format} ({preview.source_name})"),
            (t("preview.provisions", lang), len(preview.provisions)),
            (t("preview.facts", lang), ("，" if lang == "zh" else ", ").join(
                f"{t('fact.' + k, lang)}: {v}" for k, v in preview.facts.items()) or "0")]
    out = [table_html(["", ""], rows)]
    if preview.replaces:
        out.append(note_html(t("preview.replaces", lang)))
    if preview.warnings:
        out.append(f"<p><b>{esc(t('preview.warnings', lang))}</b></p><ul>"
                   + "".join(f"<li>{esc(warning_in(w, lang))}</li>" for w in preview.warnings) + "</ul>")
    heads = "".join(f"<li style='margin-left:{p['number'].count('.') * 1.2}em'><b>{esc(p['number'])}</b> "
                    f"{esc(p['heading'])}</li>" for p in preview.provisions[:200])
    out.append(f"<ul class='mk-tree'>{heads}</ul>")
    return "".join(out)


def learn_html(topics, related: dict[str, list[dict]], lang: str = "zh") -> str:
    """The Learn page: each topic's text, then the corpus provisions the search found for it."""
    parts = ["<div class='mk-learn'>"]
    for topic in topics:
        parts.append(f"<h3 id='learn-{esc(topic.id)}'>{esc(topic.title(lang))}</h3>{topic.body(lang)}")
        hits = related.get(topic.id) or []
        parts.append(f"<p><b>{esc(t('learn.related', lang))}</b></p>")
        if not hits:
            parts.append(f"<p class='mk-meta'>{esc(t('learn.no_related', lang))}</p>")
            continue
        items = []
        for h in hits:
            sent = (h.get("sentence") or {}).get("text") or h["text"][:120]
            items.append(f"<li><a class='mk-open' style='margin-left:0' data-doc='{esc(h['document'])}' "
                         f"data-num='{esc(h['number'])}' href='#'>{esc(h['number'])} {esc(h['heading'])}</a> "
                         f"<span class='mk-meta'>{esc(h['document'])}</span><br>{esc(sent)}</li>")
        parts.append("<ul class='mk-related'>" + "".join(items) + "</ul>")
    parts.append("</div>")
    return "".join(parts)


def translated(field_name: str, value: object, lang: str) -> str:
    """Roles and modalities (stored as English codes) in the page's language."""
    from metrokg.ui.web.i18n import TEXT

    if field_name == "versus":
        return t("field.versus", lang, value=value)
    key = {"role": "role.", "modality": "mod.", "change": "change.", "direction": "dir."}.get(field_name, "") + str(value)
    return t(key, lang) if field_name in ("role", "modality", "change", "direction") and key in TEXT else str(value)


_ANSWER_FIELDS = ("change", "actor", "role", "modality", "action", "object", "indicator", "scope", "comparator",
                  "value", "unit", "year", "versus", "direction", "title", "issuer")


def answer_html(answer: dict, lang: str = "zh") -> str:
    """A question's answer: one line per item (its fields, the cited span, a link to the provision)."""
    items = answer.get("answers") or []
    parts = []
    if answer.get("note"):
        key = answer.get("note_key")
        note = t(f"ask.note.{key}", lang, **answer.get("note_fields", {})) if key else answer["note"]
        parts.append(f"<p class='mk-meta'>{esc(note)}</p>")
    if not items:
        parts.append(note_html(t("ask.none", lang)))
    for item in items:
        fields = [translated(f, item[f], lang) for f in _ANSWER_FIELDS if item.get(f) not in (None, "", [])]
        concept = item.get("concept")
        if isinstance(concept, dict) and concept.get("label"):
            fields.append(concept["label"])
        span = item.get("span") or {}
        prov = item.get("provision") or {}
        cite = ""
        if prov.get("number"):
            cite = (f"<a class='mk-open' data-doc='{esc(prov.get('document'))}' data-num='{esc(prov['number'])}' "
                    f"href='#'>{esc(prov['number'])} {esc(prov.get('heading'))}</a> "
                    f"<span class='mk-meta'>{esc(prov.get('document'))}</span>")
        text = span.get("text") or item.get("text") or ""
        head = " · ".join(esc(f) for f in fields) or esc(text[:60])
        parts.append(f"<div class='mk-hit'><b>{head}</b>{cite}"
                     f"<div class='mk-quote'>{esc(text)}</div></div>")
    return "".join(parts)


# The English word a division's level word becomes (市 and 省 need none: Yichang, Hubei).
_LEVEL_WORDS = (("自治州", " Prefecture"), ("自治县", " Autonomous County"), ("地区", " Prefecture"), ("盟", " League"),
                ("旗", " Banner"), ("县", " County"), ("区", " District"), ("州", " Prefecture"))


@lru_cache(maxsize=4096)
def place_en(place: str) -> str:
    """A place named in Chinese (湖北, 湖北省, 宜昌市, 秭归县) in English: the province's English name, else
    the division's short name in pinyin with its level word (Yichang, Zigui County); a name that is no
    division of ontology/divisions.csv is romanised whole."""
    from metrokg.kg.search.documents import NATIONAL
    from metrokg.nlp.romanize import has_han, romanized_name
    from metrokg.ontology.divisions import divisions

    if place == NATIONAL:
        return "national"
    if not has_han(place):
        return place
    known = {d.name: d for d in divisions()} | {d.short: d for d in divisions() if d.level == "province"}
    division = known.get(place)
    short = division.short if division else place
    if short in PROVINCES_EN:
        return PROVINCES_EN[short]
    word = next((en for zh, en in _LEVEL_WORDS if division and division.name.endswith(zh)), "")
    return romanized_name(short) + word


def place_label(name: str, lang: str) -> str:
    """A jurisdiction as the page names it: as written in Chinese, :func:`place_en` in English."""
    from metrokg.kg.search.documents import NATIONAL

    if name == NATIONAL:
        return t("search.national", lang)
    return place_en(name) if lang == "en" else name


def kind_label(code: str, lang: str) -> str:
    """A document's legal kind code (law, normative_document, ...) in ``lang``."""
    return t(f"kind.{code}", lang) if f"kind.{code}" in TEXT else code
