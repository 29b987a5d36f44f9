"""`ask` questions that compare two documents (湖北的实施意见和国家计量发展规划相比有什么不同, how does
the Hubei plan differ from the national plan?): the comparison of :mod:`metrokg.kg.analyses.compare`
told as answers that cite their provisions.

The document another implements is the reference (``a``) whichever the question names first, as
`metrokg compare` reads a parent and its implementing plan, else the one named second (A 和 B 相比:
A is compared with B); the answers are, in this order, the
targets both set with another value or deadline (the implementing document's, with the other's
value beside it and whether it is stricter), what the implementing document adds (targets, then
tasks), and what it does not take up. Each list is cut to the question's ``k``; the note gives the
totals and the command that shows the whole comparison.
"""

from __future__ import annotations

from typing import Any, Callable

from metrokg.kg.records.parents import parent_documents
from metrokg.kg.store.base import Store

#: what an answer says about its target or task (the web app names each in the page's language)
CHANGES = ("differs", "added", "not_taken_up")
#: a deadline's direction as an answer says it (a stricter deadline is an earlier one)
DEADLINE_DIRECTION = {"stricter": "earlier", "looser": "later"}


def reference_first(store: Store, first: str, second: str) -> tuple[str, str]:
    """The two documents with the reference first: the one the other implements (the national plan
    before the province's), else the one named second (湖北的实施意见和国家的规划相比: Hubei's is
    compared with the national one)."""
    if any(p.get("document") == first for p in parent_documents(store, second)):
        return first, second
    return second, first


def _value(t: dict) -> str:
    """A target's value as written in an answer: ``>=30项 (2025)``."""
    text = f"{t.get('comparator') or ''}{t.get('value')}{t.get('unit') or ''}"
    return f"{text} ({t['deadline']})" if t.get("deadline") else text


def _cited(rec, text: str | None) -> dict:
    """Provision and span of a target's or task's text in its provision's record (the whole
    provision when the text is not found in it); nothing without a record."""
    if rec is None:
        return {}
    at = rec.text.find(text) if text else -1
    start, end = (rec.start + at, rec.start + at + len(text)) if at >= 0 else (rec.start, rec.end)
    return {"provision": rec.reference(), "span": {"start": start, "end": end, "text": text if at >= 0 else rec.text}}


def _target_item(change: str, t: dict, cite: dict, **extra) -> dict:
    return {"change": change, "indicator": t.get("indicator") or t.get("text"), "comparator": t.get("comparator"),
            "value": t.get("value"), "unit": t.get("unit"), "year": t.get("deadline"), **extra, **cite}


def comparison_items(result: dict, provision_at: Callable[[str, str], Any], k: int) -> list[dict]:
    """The answers of a :func:`~metrokg.kg.analyses.compare.compare_documents` result: differing
    targets, then B's additions, then what B does not take up of A, each list at most ``k`` long.
    ``provision_at(document, number)``: the provision's search record."""
    a, b = result["a"], result["b"]

    def cite(document: str, number: str, text: str | None) -> dict:
        return _cited(provision_at(document, number), text)

    items = []
    for d in result["target_differences"][:k]:
        # stricter or looser in value; else due earlier or later (=10个 against >=2000种 compare no values)
        direction = d["direction"]["value"] or DEADLINE_DIRECTION.get(d["direction"]["deadline"])
        items.append(_target_item("differs", d["b"], cite(b, d["b"]["number"], d["b"]["text"]),
                                  versus=_value(d["a"]), direction=direction))
    items += [_target_item("added", t, cite(b, t["number"], t["text"])) for t in result["targets_only_b"][:k]]
    items += [{"change": "added", "action": t["text"], **cite(b, t["number"], t["text"])}
              for t in result["tasks_only_b"][:k]]
    items += [_target_item("not_taken_up", t, cite(a, t["number"], t["text"])) for t in result["targets_only_a"][:k]]
    items += [{"change": "not_taken_up", "action": t["text"], **cite(a, t["number"], t["text"])}
              for t in result["tasks_only_a"][:k]]
    out, seen = [], set()
    for item in items:  # a clause both a target and a task (每年开展…不少于两次) is told once, as the target
        where = (item.get("provision", {}).get("iri"), item.get("span", {}).get("start"), item.get("span", {}).get("end"))
        if item.get("provision") and where not in seen:
            seen.add(where)
            out.append(item)
    return out


def comparison_note(result: dict) -> dict[str, str]:
    """The figures the answer's note gives (the web app's ``ask.note.compare`` fields)."""
    return {"a": result["a"], "b": result["b"], "pairs": str(len(result["pairs"])),
            "differs": str(len(result["target_differences"])),
            "added_targets": str(len(result["targets_only_b"])), "added_tasks": str(len(result["tasks_only_b"])),
            "omitted_targets": str(len(result["targets_only_a"])), "omitted_tasks": str(len(result["tasks_only_a"]))}


NOTE = ("'{b}' against '{a}': {pairs} pairs of corresponding provisions; {differs} targets set differently; "
        "added: {added_targets} targets, {added_tasks} tasks; not taken up: {omitted_targets} targets, "
        "{omitted_tasks} tasks (each list shown in part: `metrokg compare {a} {b}` gives the whole comparison)")
