"""The targets tracker: every quantitative target, its recorded progress, and whether it is on track.

Progress observations are append-only. Each one lives in its own small named graph
(``https://w3id.org/metrokg/graph/progress/{uuid}``) written in one transaction, so history
is never lost and re-ingesting a document (which replaces only the document's graph) never
touches it. An observation is described with SOSA/PROV-O terms::

    <…/progress/{uuid}> a sosa:Observation, prov:Entity ;
        sosa:hasFeatureOfInterest <target> ;     # the target it measures
        sosa:hasSimpleResult 12.0 ;              # value, in the target's unit
        sosa:phenomenonTime "2024-06-30"^^xsd:date ;   # as of
        sosa:resultTime / prov:generatedAtTime "…"^^xsd:dateTime ;  # recorded at
        prov:wasAttributedTo <…/agent/{name}> ;  # who said it
        dcterms:source "2024 work report" ;      # where it was said
        mkg:unitText "家" .

Share and status rules (documented in the README too):

* ``>=``, ``>``, ``=``, ``~`` (a floor or a count to reach): ``share = value / target``
  (uncapped; ``share_display`` caps at 1). Achieved when the comparator holds (``=``/``~``
  count as reached once the value is at least the target).
* ``<=``, ``<`` (a ceiling, e.g. 不合格率控制在5%以内): achieved while the value is within the
  ceiling (share 1); above it ``share = target / value``, how close it is to coming back under.
* On track: linear expectation from the start to the end of the deadline year.
  ``expected = start_value + (target - start_value) * elapsed / span``, where the start is the
  document's date with value 0 for counts of new things; for levels (rates in %, totals
  such as 全省总数) the start is the first observation, since the level is not 0 at the
  start. A recurring target (每年…) restarts every 1 January. Status is ``achieved``,
  ``on-track`` (value >= expected), ``behind``, ``missed`` (deadline year over and not
  achieved), ``no-data`` (no observation), ``no-deadline`` or ``no-baseline`` (a level with
  one observation only).
"""

from __future__ import annotations

import getpass
import re
import uuid
from datetime import date, datetime, timezone
from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD, Namespace

from metrokg import settings
from metrokg.errors import MetrokgError
from metrokg.kg.records.factview import FactRow, as_number, document_dates, load_facts, number_key
from metrokg.kg.records.listing import check_document
from metrokg.kg.store.base import Store
from metrokg.ontology.namespace import MKG, MKG_PREFIX, PROGRESS_GRAPHS, observation_iri, progress_graph_iri, prov_agent_iri

SOSA = Namespace("http://www.w3.org/ns/sosa/")
PROGRESS_GRAPH_PREFIX = PROGRESS_GRAPHS
SOURCE_LIMIT = 500
COUNT_UNITS = {"家", "项", "个", "项次", "人", "名", "台", "套", "件", "所", "座", "处", "条", "次", "场", "批次",
               "人次", "台套", "台件", "种", "类", "户", "只", "张", "本", "部", "支", "门", "篇"}
PERCENT_UNITS = {"%", "％", "百分点", "个百分点"}
COLUMNS = ["id", "document", "number", "indicator", "scope", "comparator", "value", "unit", "deadline",
           "latest_value", "as_of", "share", "status", "text"]

# Each observation is read inside its own graph: the agent's label is written into every
# observation graph, so over the union default graph one observation would meet the label
# once per graph naming the agent (300 observations -> 90,000 rows), and an agent whose name
# was written two ways (``Tester``/``tester`` share an IRI) would cross with every spelling.
# Observations written by any earlier version are read the same way, no migration needed.
OBSERVATIONS_QUERY = f"""
PREFIX sosa: <http://www.w3.org/ns/sosa/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
{MKG_PREFIX}
SELECT ?obs ?target ?value ?asOf ?recorded ?agentName ?source ?unit WHERE {{
  GRAPH ?g {{
    ?obs a sosa:Observation ; sosa:hasFeatureOfInterest ?target ; sosa:hasSimpleResult ?value ;
         sosa:phenomenonTime ?asOf ; prov:generatedAtTime ?recorded .
    OPTIONAL {{ ?obs prov:wasAttributedTo ?agent . OPTIONAL {{ ?agent rdfs:label ?agentName }} }}
    OPTIONAL {{ ?obs dcterms:source ?source }}
    OPTIONAL {{ ?obs mkg:unitText ?unit }}
  }}
  FILTER(STRSTARTS(STR(?g), "{PROGRESS_GRAPH_PREFIX}"))
}}
"""


# ----------------------------------------------------------------- targets

def _target_ids(facts: list[FactRow]) -> dict[str, str]:
    """Short ids ``{document}:{number}:{k}`` (k-th target of the provision, by position)."""
    out: dict[str, str] = {}
    counters: dict[tuple[str, str], int] = {}
    for f in sorted(facts, key=lambda f: (f.document, number_key(f.number), f.start, f.iri)):
        key = (f.document, f.number)
        counters[key] = counters.get(key, 0) + 1
        out[f.iri] = f"{f.document}:{f.number}:{counters[key]}"
    return out


def _target_record(f: FactRow, short_id: str, doc_date: str | None) -> dict:
    deadline = f.get("deadlineYear")
    rec = f.get("recurrence")
    return {
        "iri": f.iri, "id": short_id, "document": f.document, "number": f.number,
        "indicator": f.get("indicator"), "indicator_iri": f.get("indicatorConcept"),
        "scope": f.get("scope"), "value": as_number(f.get("value")), "unit": f.get("unitText"),
        "unit_iri": f.get("unit"), "comparator": f.get("comparator", "="),
        "deadline": int(deadline) if deadline is not None else None,
        "recurring": str(rec) if rec else None, "is_total": bool(f.get("isTotal", False)),
        "text": f.text, "start": f.start, "end": f.end, "document_date": doc_date,
    }


def target_records(store: Store, document: str | None = None) -> list[dict]:
    """Every target with issue 4's fields plus ``id``, concepts and the document's date."""
    check_document(store, document)
    facts = load_facts(store, "target", document)
    ids = _target_ids(load_facts(store, "target", None) if document else facts)
    dates = document_dates(store)
    out = [_target_record(f, ids[f.iri], dates.get(f.document)) for f in facts]
    out.sort(key=lambda t: (t["document"], number_key(t["number"]), t["start"]))
    return out


def _tail_of(full: str, ref: str, separators: str) -> bool:
    """``ref`` is a tail of ``full`` that starts at one of its parts (``plan:1.2:1`` is a tail of
    ``city-plan:1.2:1``'s parts only as ``1.2:1``: never a part cut in the middle)."""
    return full.endswith(ref) and len(full) > len(ref) and full[-len(ref) - 1] in separators


def find_target(store: Store, ref: str) -> dict:
    """The target named by its IRI, its short id, or a unique tail of either that starts at a
    part boundary (``1.2:1`` for ``plan:1.2:1``), so a document id that ends another's
    (``plan`` and ``city-plan``) never picks the other plan's target."""
    ref = ref.strip()
    targets = target_records(store)
    exact = [t for t in targets if ref in (t["iri"], t["id"])]
    if len(exact) == 1:
        return exact[0]
    partial = [t for t in targets if ref and (_tail_of(t["iri"], ref, "/#") or _tail_of(t["id"], ref, ":"))]
    if len(partial) == 1:
        return partial[0]
    if len(partial) > 1:
        raise MetrokgError("E321", target=ref, count=len(partial), ids=", ".join(t["id"] for t in partial[:5]))
    raise MetrokgError("E320", target=ref, example=targets[0]["id"] if targets else "DOC:1.2:1")


# ----------------------------------------------------------------- progress values

def parse_progress_value(raw: str, target: dict) -> Decimal:
    """A progress value as the user wrote it (``12``, ``12家``, ``92%``, ``十二项``, ``1.2万``, ``三点五``,
    ``百分之九十九点九``, ``九成``, full-width ``１２％`` too), checked against the target's unit:
    refused when not a number or in another unit."""
    from metrokg.nlp.reading.normalize import normalize
    from metrokg.nlp.extraction.components.numbers import parse_quantity

    text = normalize(str(raw)).replace(",", "").replace("，", "")
    negative = text[:1] == "-"
    parsed = parse_quantity(text[1:] if text[:1] in "+-" else text)
    if parsed is None:
        raise MetrokgError("E322", value=raw)
    value, unit = parsed
    if negative:
        value = -value
    expected = (target.get("unit") or "").strip()
    if unit and unit != expected:
        same_percent = unit in PERCENT_UNITS and expected in PERCENT_UNITS
        if not same_percent:
            raise MetrokgError("E323", unit=unit, indicator=target.get("indicator") or target["id"],
                               expected=expected or "no unit")
    indicator = target.get("indicator") or target["id"]
    if value < 0:
        raise MetrokgError("E324", value=raw, indicator=indicator, reason="a count or rate cannot be negative")
    if expected in PERCENT_UNITS and expected != "个百分点" and expected != "百分点" and value > 100:
        raise MetrokgError("E324", value=raw, indicator=indicator, reason="a percentage above 100")
    if expected in COUNT_UNITS and value != value.to_integral_value():
        raise MetrokgError("E324", value=raw, indicator=indicator, reason=f"it is counted in whole {expected}")
    return value


def parse_as_of(raw: str, today: date | None = None) -> date:
    """``2024-06-30``, ``2024-06`` (end of month) or ``2024`` (end of year); not in the future."""
    import calendar

    today = today or date.today()
    text = str(raw).strip().replace("/", "-").replace(".", "-")
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text)
    if not m:
        raise MetrokgError("E325", value=raw)
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if month is None:
            d = date(year, 12, 31)
        elif day is None:
            d = date(year, int(month), calendar.monthrange(year, int(month))[1])
        else:
            d = date(year, int(month), int(day))
    except ValueError:
        raise MetrokgError("E325", value=raw) from None
    if d > today:
        if month is None and year == today.year or (day is None and month and (year, int(month)) == (today.year, today.month)):
            d = today  # "2025" means "this year so far" when it is 2025
        else:
            raise MetrokgError("E326", value=d.isoformat(), today=today.isoformat())
    return d


def agent_iri(name: str) -> URIRef:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    if not slug or not name.isascii():
        import hashlib

        slug = (slug + "-" if slug else "") + hashlib.sha1(name.encode("utf-8")).hexdigest()[:10]
    return prov_agent_iri(slug)


def default_agent() -> str:
    """Who records: ``$METROKG_USER``, else the login name."""
    name = settings.get("METROKG_USER")
    if name:
        return str(name)
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name (containers): say so
        return "unknown"


def observation_graph(target: dict, value: str, as_of: str, source: str | None = None,
                      agent: str | None = None, now: datetime | None = None) -> tuple[URIRef, list, dict]:
    """Check one progress value for ``target`` and build its observation graph, writing nothing.

    Returns the graph IRI, its triples and the observation as :func:`progress_history` shows
    it. :func:`record_progress` writes one; a batch of figures can go in as several such
    graphs in one ``replace_graphs`` call.
    """
    amount = parse_progress_value(value, target)
    day = parse_as_of(as_of)
    if source is not None and len(source) > SOURCE_LIMIT:
        raise MetrokgError("E327", length=len(source), limit=SOURCE_LIMIT)
    agent = (agent or default_agent()).strip() or "unknown"
    now = now or datetime.now(timezone.utc)
    key = uuid.uuid4().hex
    obs = observation_iri(key)
    who = agent_iri(agent)
    stamp = Literal(now.isoformat(timespec="seconds"), datatype=XSD.dateTime)
    # the agent's label goes into every observation graph, so each graph is self-contained
    # (exported, removed or restored alone); observations() reads it graph by graph
    triples = [
        (obs, RDF.type, SOSA.Observation), (obs, RDF.type, PROV.Entity),
        (obs, SOSA.hasFeatureOfInterest, URIRef(target["iri"])),
        (obs, SOSA.hasSimpleResult, Literal(str(amount), datatype=XSD.decimal)),
        (obs, SOSA.phenomenonTime, Literal(day.isoformat(), datatype=XSD.date)),
        (obs, SOSA.resultTime, stamp), (obs, PROV.generatedAtTime, stamp),
        (obs, PROV.wasAttributedTo, who), (who, RDF.type, PROV.Agent), (who, RDFS.label, Literal(agent)),
        (obs, RDFS.label, Literal(f"{target['indicator'] or target['id']}: {amount}{target['unit'] or ''} "
                                  f"({day.isoformat()})", lang="zh")),
    ]
    if target.get("unit"):
        triples.append((obs, MKG.unitText, Literal(target["unit"])))
    if source:
        triples.append((obs, DCTERMS.source, Literal(source)))
    record = {"observation": str(obs), "target": target["iri"], "id": target["id"], "value": as_number(amount),
              "unit": target.get("unit"), "as_of": day.isoformat(), "source": source, "agent": agent,
              "recorded_at": now.isoformat(timespec="seconds")}
    return progress_graph_iri(key), triples, record


def record_progress(store: Store, target_ref: str, value: str, as_of: str, source: str | None = None,
                    agent: str | None = None, now: datetime | None = None) -> dict:
    """Check and append one progress observation; returns it as :func:`progress_history` shows it.

    Everything is checked before anything is written, and the observation goes in with one
    atomic ``replace_graphs`` call into a graph of its own: a refused value changes nothing.
    """
    graph, triples, record = observation_graph(find_target(store, target_ref), value, as_of, source, agent, now)
    store.replace_graphs({graph: triples})
    return record


def _text(value) -> str | None:
    return str(value) if value is not None else None


def observations(store: Store) -> dict[str, list[dict]]:
    """Every progress observation, grouped by target IRI, oldest first (as of, then recorded)."""
    out: dict[str, list[dict]] = {}
    seen: set[str] = set()
    for obs, target, value, as_of, recorded, agent, source, unit in store.rows(OBSERVATIONS_QUERY, union=False):
        if obs in seen:
            continue  # an observation graph edited by hand to hold two labels or sources: the first
        seen.add(obs)
        out.setdefault(target, []).append({
            "observation": obs, "target": target, "value": as_number(value.toPython()),
            "unit": _text(unit), "as_of": str(as_of), "recorded_at": str(recorded), "agent": _text(agent),
            "source": _text(source)})
    for obs in out.values():
        obs.sort(key=lambda o: (o["as_of"], o["recorded_at"]))
    return out


def progress_history(store: Store, target_ref: str) -> dict:
    """A target and every observation recorded for it (nothing is ever overwritten)."""
    target = find_target(store, target_ref)
    history = observations(store).get(target["iri"], [])
    return {**target, "history": history}


# ----------------------------------------------------------------- share and status

def _is_level(target: dict) -> bool:
    return (target.get("unit") or "") in PERCENT_UNITS or bool(target.get("is_total"))


def _satisfied(value: float, goal: float, comparator: str) -> bool:
    if comparator == "<=":
        return value <= goal
    if comparator == "<":
        return value < goal
    if comparator == ">":
        return value > goal
    return value >= goal


def share_achieved(value: float, goal: float, comparator: str) -> float | None:
    """Share of the target achieved (see the module docstring for ceilings)."""
    if comparator in ("<=", "<"):
        if _satisfied(value, goal, comparator):
            return 1.0
        return goal / value if value else None
    if goal == 0:
        return 1.0 if value >= 0 else None
    return value / goal


def _date(iso: str | None) -> date | None:
    try:
        return date.fromisoformat(iso[:10]) if iso else None
    except ValueError:
        return None


def assess(target: dict, history: list[dict], today: date | None = None) -> dict:
    """Latest value, share achieved, expected value and status of one target (pure)."""
    today = today or date.today()
    out = {"latest_value": None, "as_of": None, "source": None, "agent": None, "observations": len(history),
           "share": None, "share_display": None, "expected": None, "expected_share": None, "status": "no-data"}
    goal = target.get("value")
    comparator = target.get("comparator") or "="
    if not history or goal is None:
        return out
    latest = history[-1]
    value = float(latest["value"])
    goal = float(goal)
    as_of = _date(latest["as_of"]) or today
    out.update({"latest_value": latest["value"], "as_of": latest["as_of"], "source": latest["source"],
                "agent": latest["agent"]})
    share = share_achieved(value, goal, comparator)
    out["share"] = round(share, 4) if share is not None else None
    out["share_display"] = round(min(share, 1.0), 4) if share is not None else None
    if _satisfied(value, goal, comparator):
        out["status"] = "achieved"
        return out
    deadline = target.get("deadline")
    if target.get("recurring"):
        start, start_value = date(as_of.year, 1, 1), 0.0
        end = date(as_of.year, 12, 31)
    elif deadline is None:
        out["status"] = "no-deadline"
        return out
    else:
        end = date(int(deadline), 12, 31)
        if _is_level(target) or comparator in ("<=", "<"):
            first = history[0]
            if len(history) < 2 or _date(first["as_of"]) is None or _date(first["as_of"]) >= as_of:
                out["status"] = "missed" if today > end else "no-baseline"
                return out
            start, start_value = _date(first["as_of"]), float(first["value"])
        else:
            start = _date(target.get("document_date")) or date(as_of.year, 1, 1)
            start_value = 0.0
    span = (end - start).days
    fraction = 1.0 if span <= 0 else min(max((as_of - start).days / span, 0.0), 1.0)
    expected = start_value + (goal - start_value) * fraction
    out["expected"] = round(expected, 4)
    exp_share = share_achieved(expected, goal, comparator) if expected else 0.0
    out["expected_share"] = round(exp_share, 4) if exp_share is not None else None
    if today > end and not target.get("recurring"):
        out["status"] = "missed"
    elif comparator in ("<=", "<"):
        out["status"] = "on-track" if value <= expected else "behind"
    else:
        out["status"] = "on-track" if value >= expected else "behind"
    return out


def list_targets(store: Store, document: str | None = None, today: date | None = None) -> list[dict]:
    """Every target with its latest progress, share achieved and status (one flat dict each), and
    ``baseline``: the latest baseline of the same indicator stated in the same document
    (``{"value", "unit", "year"}``, or None), so a row reads 2020: 1779项 -> 2025: 2000项."""
    obs = observations(store)
    baselines: dict[str, list[dict]] = {}
    for b in baseline_records(store, document):
        baselines.setdefault(b["document"], []).append(b)
    out = []
    for t in target_records(store, document):
        out.append({**t, **assess(t, obs.get(t["iri"], []), today),
                    "baseline": _baseline_for(t, baselines.get(t["document"], []))})
    return out


# ----------------------------------------------------------------- baselines, funding rules, time limits

NUMERIC_KINDS = ("baseline", "funding", "time_limit")
# what each numeric kind's record holds: (record field, RDF property local name)
_NUMERIC_FIELDS = {
    "baseline": (("indicator", "baselineIndicator"), ("indicator_iri", "baselineConcept"), ("year", "statusYear"),
                 ("year_inherited", "yearInherited"), ("cue", "cue")),
    "funding": (("instrument", "fundingInstrument"), ("beneficiary", "beneficiary"), ("amount_yuan", "amountYuan"),
                ("share_of", "shareOf"), ("per", "perUnit"), ("year", "budgetYear")),
    "time_limit": (("period", "isPeriod"), ("trigger", "trigger"), ("duty", "duty"), ("bounds", "bounds")),
}


def numeric_records(store: Store, kind: str, document: str | None = None) -> list[dict]:
    """Baselines, funding rules or time limits (``kind``) as flat records, in document order."""
    check_document(store, document)
    out = []
    for f in load_facts(store, kind, document):
        rec = {"iri": f.iri, "kind": kind, "document": f.document, "number": f.number,
               "value": as_number(f.get("statedValue")), "unit": f.get("statedUnit"),
               "comparator": f.get("statedComparator", "=")}
        for name, prop in _NUMERIC_FIELDS[kind]:
            value = f.get(prop)
            rec[name] = as_number(value) if name == "amount_yuan" else value
        rec.update({"text": f.text, "start": f.start, "end": f.end})
        out.append(rec)
    out.sort(key=lambda r: (r["document"], number_key(r["number"]), r["start"]))
    return out


def baseline_records(store: Store, document: str | None = None) -> list[dict]:
    """Every baseline: what a document states as existing, with the year it describes."""
    return numeric_records(store, "baseline", document)


def _same_indicator(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and (a == b or a in b or b in a)


def _baseline_for(target: dict, baselines: list[dict]) -> dict | None:
    """The latest baseline of ``target``'s indicator and unit among its document's baselines."""
    same = [b for b in baselines if b.get("unit") == target.get("unit")
            and ((target.get("indicator_iri") and b.get("indicator_iri") == target.get("indicator_iri"))
                 or _same_indicator(b.get("indicator"), target.get("indicator")))]
    if not same:
        return None
    best = max(same, key=lambda b: (b.get("year") or 0, b["start"]))
    return {"value": best["value"], "unit": best["unit"], "year": best.get("year"), "text": best["text"]}


def is_progress_graph(iri: str) -> bool:
    return str(iri).startswith(PROGRESS_GRAPH_PREFIX)

