"""The 任务分解表: one row per task of a plan, what a drafter hands to the agencies.

Each row, in document order: the 序号 (a task-table row's own number, else the provision's),
the task shortened to its action and object and its full text, the bodies in their roles
(牵头单位, 责任单位, 配合单位, names as the document writes them), the deadline and whether it is
inherited (:mod:`metrokg.kg.analyses.horizons`), the targets of the provision (of the row, in a
task table) and the latest progress recorded against them.

The bodies of a task are the responsibilities whose statement holds it: a 责任单位 note covers
the text before it, a sentence's subject its sentence, a table row's columns its task. A
sentence's subject (县市场监管局要…) is its responsible body.
"""

from __future__ import annotations

from metrokg import settings, terms
from metrokg.errors import MetrokgError
from metrokg.kg.analyses.horizons import horizons
from metrokg.kg.analyses.targets import list_targets
from metrokg.kg.records.factview import FactRow, load_facts, load_provision_infos
from metrokg.kg.records.listing import check_document
from metrokg.kg.store.base import Store

__all__ = ["COLUMNS", "HEADERS", "breakdown", "breakdown_title", "display_rows", "task_label"]

COLUMNS = ("number", "task", "text", *terms.BODY_ROLES, "deadline", "targets", "progress")
HEADERS = {
    "zh": {"number": "序号", "task": "重点任务", "text": "任务原文", "lead": "牵头单位", "responsible": "责任单位",
           "supporting": "配合单位", "deadline": "完成时限", "targets": "相关指标", "progress": "进展"},
    "en": {"number": "No.", "task": "Task", "text": "Full text", "lead": "Lead", "responsible": "Responsible",
           "supporting": "Supporting", "deadline": "Deadline", "targets": "Targets", "progress": "Progress"},
}
_ROLE_COLUMN = {"lead": "lead", "responsible": "responsible", "supporting": "supporting", "subject": "responsible"}
_INHERITED = {"zh": {"provision": "（据所在条款）", "plan": "（据规划期限）"},
              "en": {"provision": " (from its provision)", "plan": " (plan horizon)"}}
_COMPARATOR = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": ""}


def task_label(action: str, obj: str, text: str) -> str:
    """The task as its action and object (建立 联席会议制度 -> 建立联席会议制度), cut to
    ``METROKG_BREAKDOWN_TASK_CHARS``; the text itself when extraction found no action."""
    limit = int(settings.get("METROKG_BREAKDOWN_TASK_CHARS"))
    label = f"{action}{obj}" if action and obj else (obj or text)
    label = "".join(label.split())
    return label if len(label) <= limit else label[:max(1, limit - 1)] + "…"


def _target_text(t: dict) -> str:
    value = t["value"]
    return f"{t.get('indicator') or ''}{_COMPARATOR.get(t.get('comparator') or '=', '')}{value}{t.get('unit') or ''}"


def _progress_text(t: dict) -> str | None:
    if t.get("latest_value") is None:
        return None
    return f"{t.get('indicator') or ''}：{t['latest_value']}{t.get('unit') or ''}（{t['as_of']}）"


def breakdown_title(store: Store, document: str) -> str:
    """The title a 任务分解表 of the document carries: 《title》任务分解表."""
    check_document(store, document)
    title = horizons(store, document, load_provision_infos(store, document)).title or document
    return f"《{title}》任务分解表"


def breakdown(store: Store, document: str, *, required: bool = False) -> list[dict]:
    """The document's 任务分解表 rows (see the module docstring). E010 for an unknown document;
    E476 when ``required`` (a file is to be written) and the document has no task."""
    check_document(store, document)
    provisions = load_provision_infos(store, document)
    due = horizons(store, document, provisions)
    tasks = load_facts(store, "task", document)
    resps = load_facts(store, "responsibility", document)
    targets = list_targets(store, document)
    rows: list[dict] = []
    for t in sorted(tasks, key=lambda f: (f.start, f.end)):
        table_row = due.row_at(t.start)
        bodies: dict[str, list[str]] = {"lead": [], "responsible": [], "supporting": []}
        for r in _holding(resps, t):
            column = _ROLE_COLUMN.get(str(r.get("role") or ""))
            name = str(r.get("actorName") or "")
            if column and name and name not in bodies[column]:
                bodies[column].append(name)
        span = (table_row.start, table_row.end) if table_row is not None else None
        mine = [x for x in targets if (span[0] <= x["start"] < span[1] if span else x["number"] == t.number)]
        deadline, source = due.of(t)
        cell = table_row.get("deadline") if table_row is not None else None
        progress = [p for x in mine if (p := _progress_text(x))]
        rows.append({
            "number": table_row.number if table_row is not None else t.number,
            "task": task_label(str(t.get("action") or ""), str(t.get("object") or ""), t.text),
            "text": " ".join(t.text.split()) if table_row is None else _row_text(table_row),
            **bodies,
            "deadline": deadline, "deadline_source": source, "deadline_inherited": source not in (None, "own"),
            "deadline_text": cell.value if cell is not None else None,
            "targets": [_target_text(x) for x in mine],
            "progress": "；".join(progress) if progress else None,
            "provision": t.number, "document": document, "start": t.start, "end": t.end, "iri": t.iri,
        })
    if required and not rows:
        raise MetrokgError("E476", doc_id=document)
    return rows


def _row_text(row) -> str:  # noqa: ANN001 - a TableRow
    """A table row's full task: its task cell, and its goal or indicator and value after it."""
    parts = [row.get(r).value for r in ("task", "goal", "indicator", "value") if row.get(r) is not None]
    return "：".join(parts[:1] + ["".join(parts[1:])]) if len(parts) > 1 else (parts[0] if parts else "")


def _holding(resps: list[FactRow], task: FactRow) -> list[FactRow]:
    """Responsibilities whose statement holds the task (or is the task, in a table row)."""
    return [r for r in resps if r.start <= task.start and task.end <= r.end
            or r.start == task.start and r.number == task.number]


def display_rows(rows: list[dict], lang: str = "zh") -> tuple[list[str], list[list[str]]]:
    """Headers and cells as the XLSX and DOCX show them: lists joined by 、, the deadline as a
    year (or the row's 时限 as written) marked where inherited."""
    headers = [HEADERS[lang][c] for c in COLUMNS]
    sep = "、" if lang == "zh" else ", "
    out = []
    for r in rows:
        deadline = ""
        if r["deadline"] is not None:
            own = r.get("deadline_text") if r.get("deadline_source") == "own" else None
            deadline = own or (f"{r['deadline']}年" if lang == "zh" else str(r["deadline"]))
            deadline += _INHERITED[lang].get(r.get("deadline_source") or "", "")
        out.append([str(r["number"]), r["task"], r["text"], sep.join(r["lead"]), sep.join(r["responsible"]),
                    sep.join(r["supporting"]), deadline, "\n".join(r["targets"]), r.get("progress") or ""])
    return headers, out
