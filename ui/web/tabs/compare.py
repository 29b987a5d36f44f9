"""The Compare tab: a plan against the document it implements (or any two documents), side by side,
with what it leaves out, what it adds and how its targets differ, and the comparison as XLSX."""

from __future__ import annotations

import gradio as gr

from metrokg.ui.web.callbacks import guarded
from metrokg.ui.web.i18n import TEXT, t
from metrokg.ui.web.render import esc, ok_html
from metrokg.ui.web.state import AppState
from metrokg.ui.web.tabs._shared import UI, doc_choices

PAIR_COLUMNS = ("a", "heading_a", "b", "heading_b", "similarity", "link")
TARGET_COLUMNS = ("number", "indicator", "target", "deadline", "text")
DIFF_COLUMNS = ("indicator", "a", "b", "value", "deadline")
ADDED_COLUMNS = ("kind", "number", "text")


def _target(t_: dict) -> str:
    return f"{t_.get('comparator') or ''}{t_.get('value') if t_.get('value') is not None else ''}{t_.get('unit') or ''}"


def comparison_tables(result: dict, lang: str) -> dict[str, tuple[list[str], list[list]]]:
    """The comparison's tables (headers in ``lang``): pairs, A's targets and tasks not taken up,
    target differences, B's additions."""
    def head(prefix: str, cols) -> list[str]:
        return [t(f"compare.col.{prefix}.{c}", lang) for c in cols]

    pairs = [[p["a"], p["heading_a"], p["b"], p["heading_b"], p["similarity"], t(f"compare.link.{p['link']}", lang)]
             for p in result["pairs"]]
    missing = [[x["number"], x["indicator"] or "", _target(x), x.get("deadline") or "", x.get("text") or ""]
               for x in result["targets_only_a"]]
    missing += [[x["number"], t("compare.task", lang), "", "", x["text"]] for x in result["tasks_only_a"]]
    diffs = [[d["indicator"], f"{d['a']['number']} {_target(d['a'])} ({d['a'].get('deadline') or '—'})",
              f"{d['b']['number']} {_target(d['b'])} ({d['b'].get('deadline') or '—'})",
              t(f"compare.dir.{d['direction']['value'] or 'same'}", lang),
              t(f"compare.dir.{d['direction']['deadline'] or 'same'}", lang)] for d in result["target_differences"]]
    added = [[t("compare.kind.target", lang), x["number"], f"{x['indicator'] or ''} {_target(x)} {x.get('deadline') or ''}"]
             for x in result["targets_only_b"]]
    added += [[t("compare.kind.provision", lang), u["number"], f"{u['heading']}：{u['text']}"] for u in result["unmatched_b"]]
    added += [[t("compare.kind.task", lang), x["number"], x["text"]] for x in result["tasks_only_b"]]
    return {"pairs": (head("pair", PAIR_COLUMNS), pairs), "missing": (head("target", TARGET_COLUMNS), missing),
            "diffs": (head("diff", DIFF_COLUMNS), diffs), "added": (head("added", ADDED_COLUMNS), added)}


PER_CHAPTER = 8  # rows of the parent's untaken tasks and targets shown per chapter; the XLSX has them all


def missing_by_chapter(rows: list[list], chapters: dict[str, str], lang: str, per_chapter: int = PER_CHAPTER) -> list[list]:
    """A's targets and tasks not taken up, as the tab shows them: grouped by A's chapter (``chapters``:
    chapter number → heading, in A's order) under a row with the chapter's heading and count, at most
    ``per_chapter`` each, then a "… N more" row; the XLSX keeps the full list."""
    groups: dict[str, list[list]] = {}
    for row in rows:
        groups.setdefault(str(row[0]).split(".", 1)[0], []).append(row)
    rank = {number: i for i, number in enumerate(chapters)}
    out: list[list] = []
    for chapter in sorted(groups, key=lambda c: (rank.get(c, len(rank)), c)):
        items = sorted(groups[chapter], key=lambda r: [int(x) if x.isdigit() else 0 for x in str(r[0]).split(".")])
        out.append([chapter, t("compare.chapter", lang, heading=chapters.get(chapter, ""), n=len(items)), "", "", ""])
        out += items[:per_chapter]
        if len(items) > per_chapter:
            out.append(["", t("compare.more", lang, n=len(items) - per_chapter), "", "", ""])
    return out


def parent_html(result: dict, lang: str) -> str:
    """What B says it implements, each title a link to the document when the store holds it."""
    items = []
    for p in result.get("parents_b", []):
        if p["document"]:
            items.append(f"《{esc(p['title'])}》 → <a href='#' data-doc='{esc(p['document'])}' data-num='0'>"
                         f"{esc(p.get('document_title') or p['document'])} ({esc(p['document'])})</a>")
        else:
            items.append(f"《{esc(p['title'])}》 ({esc(t('compare.parent_missing', lang))})")
    colon, sep = ("：", "；") if lang == "zh" else (": ", "; ")
    return f"<p>{esc(t('compare.implements', lang))}{colon}" + sep.join(items) + "</p>" if items else ""


def method_text(method: str, lang: str) -> str:
    """The alignment's signals (embedding+concepts+lexical) in ``lang``; an unknown one as it is."""
    return "+".join(t(f"compare.method.{m}", lang) if f"compare.method.{m}" in TEXT else m for m in method.split("+"))


def build(state: AppState, ui: UI) -> None:
    from metrokg.ui.reports.xlsx import write_sheets_xlsx

    L = ui.labels
    L.add(gr.Markdown(t("compare.help")), value="compare.help")
    with gr.Row():
        doc_a = L.add(gr.Dropdown(label=t("compare.a"), choices=doc_choices(state), value=None, elem_id="compare-a",
                                  scale=3),
                      label="compare.a")
        doc_b = L.add(gr.Dropdown(label=t("compare.b"), choices=doc_choices(state), value=None, elem_id="compare-b",
                                  scale=3),
                      label="compare.b")
        go = L.add(gr.Button(t("compare.button"), variant="primary", elem_id="compare-button", scale=1),
                   value="compare.button")
    ui.doc_pickers += [doc_a, doc_b]
    status = gr.HTML(elem_id="compare-status")
    ui.openers.append(status)
    tables = {}
    for key in ("pairs", "missing", "diffs", "added"):
        tables[key] = L.add(gr.Dataframe(label=t(f"compare.table.{key}"), interactive=False, wrap=True,
                                         elem_id=f"compare-{key}", max_height=480), label=f"compare.table.{key}")
    xlsx_file = L.add(gr.File(label=t("compare.xlsx"), interactive=False, height=90, elem_id="compare-xlsx"),
                      label="compare.xlsx")

    @guarded(1, 0)
    def suggest_parent(b_value, a_value):
        """Picking a plan proposes the document it implements as the other side, when the store holds it."""
        if not b_value or a_value:
            return gr.update()
        held = [p["document"] for p in state.parents(b_value) if p["document"]]
        return gr.update(value=held[0]) if held else gr.update()

    @guarded(6, 0, lang_arg=2)
    def run(a_value, b_value, lang):
        if not a_value or not b_value:
            return (ok_html(t("compare.pick", lang)),) + (gr.update(),) * 5
        result = state.compare(a_value, b_value)
        tabs = comparison_tables(result, lang)
        sheets = [(t(f"compare.table.{key}", lang), *tabs[key]) for key in ("pairs", "missing", "diffs", "added")]
        path = write_sheets_xlsx(sheets, state.download_path("comparison", ".xlsx"))
        note = ok_html(t("compare.count", lang, pairs=len(result["pairs"]), missing=len(tabs["missing"][1]),
                         diffs=len(result["target_differences"]), added=len(tabs["added"][1]),
                         method=method_text(result["method"], lang))) + parent_html(result, lang)
        chapters = {p["number"]: p["heading"] for p in state.provisions(a_value) if "." not in p["number"]}
        shown = dict(tabs, missing=(tabs["missing"][0], missing_by_chapter(tabs["missing"][1], chapters, lang)))
        return (note, *({"headers": h, "data": d} for h, d in (shown[k] for k in ("pairs", "missing", "diffs", "added"))),
                str(path))

    doc_b.change(suggest_parent, [doc_b, doc_a], [doc_a], api_visibility="private")
    go.click(run, [doc_a, doc_b, ui.lang], [status, *tables.values(), xlsx_file], api_visibility="private")
