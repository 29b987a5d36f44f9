"""Import a specification catalogue (CSV) as catalogue entries of the ``work`` scheme.

A technical committee keeps its catalogue in a spreadsheet; ``metrokg specs import FILE``
loads it. Columns: ``id, title, type, quantity kinds, instruments, status, dates``.
Every row is checked first and all bad rows are reported by line number; the graph is
returned only when every row is good, so nothing is ever half-imported.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from metrokg.errors import MetrokgError
from metrokg.ontology.namespace import MKG, scheme_iri, work_iri

WORK_SCHEME = scheme_iri("work")
COLUMNS = ("id", "title", "type", "quantity kinds", "instruments", "status", "dates")
_ALIASES = {
    "id": "id", "number": "id", "编号": "id", "规范编号": "id",
    "title": "title", "名称": "title", "标题": "title",
    "type": "type", "类型": "type", "类别": "type",
    "quantity kinds": "quantity kinds", "quantity_kinds": "quantity kinds", "quantities": "quantity kinds",
    "quantitykinds": "quantity kinds", "量": "quantity kinds", "被测量": "quantity kinds",
    "instruments": "instruments", "计量器具": "instruments", "器具": "instruments",
    "status": "status", "状态": "status",
    "dates": "dates", "date": "dates", "日期": "dates",
}
_TYPES = {
    "jjg": MKG.VerificationRegulation, "检定规程": MKG.VerificationRegulation,
    "计量检定规程": MKG.VerificationRegulation, "verification regulation": MKG.VerificationRegulation,
    "jjf": MKG.MetrologicalTechnicalSpecification, "计量技术规范": MKG.MetrologicalTechnicalSpecification,
    "技术规范": MKG.MetrologicalTechnicalSpecification,
    "metrological technical specification": MKG.MetrologicalTechnicalSpecification,
    "校准规范": MKG.CalibrationSpecification, "计量校准规范": MKG.CalibrationSpecification,
    "calibration specification": MKG.CalibrationSpecification,
    "型式评价大纲": MKG.PatternEvaluationProgramme, "pattern evaluation programme": MKG.PatternEvaluationProgramme,
    "pattern evaluation program": MKG.PatternEvaluationProgramme,
    "检定系统表": MKG.VerificationScheme, "计量检定系统表": MKG.VerificationScheme,
    "verification scheme": MKG.VerificationScheme,
    "gb": MKG.NationalStandard, "国家标准": MKG.NationalStandard, "national standard": MKG.NationalStandard,
}
_STATUS = {
    "现行": MKG.StatusInForce, "有效": MKG.StatusInForce, "in force": MKG.StatusInForce,
    "current": MKG.StatusInForce, "effective": MKG.StatusInForce,
    "即将实施": MKG.StatusUpcoming, "待实施": MKG.StatusUpcoming, "upcoming": MKG.StatusUpcoming,
    "废止": MKG.StatusWithdrawn, "作废": MKG.StatusWithdrawn, "被代替": MKG.StatusWithdrawn,
    "withdrawn": MKG.StatusWithdrawn, "replaced": MKG.StatusWithdrawn, "superseded": MKG.StatusWithdrawn,
}
# JJG 596-2012, JJF 1059.1-2012, GB/T 4754-2017, JJF(鄂) 12-2020
_ID = re.compile(r"^(?P<prefix>[A-Z]{2,4}(?:/[A-Z])?)\s*(?P<local>[(（][^)）]{1,6}[)）])?\s*"
                 r"(?P<num>\d+(?:\.\d+)*)\s*[-—–]\s*(?P<year>\d{4})$")
_SPLIT = re.compile(r"[;；、|｜,，]")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_REPORTED = 30


def work_slug(spec_id: str) -> str:
    """IRI-safe slug of a specification number; ``JJG 596-2012`` gives ``jjg-596-2012``."""
    slug = re.sub(r"[\s./]+", "-", spec_id.strip().lower())
    slug = re.sub(r"[-—–]+", "-", slug)
    return quote(slug, safe="-")


def normalise_id(raw: str) -> str | None:
    """``JJG596—2012`` gives ``JJG 596-2012``; None when it is not a specification number."""
    text = " ".join(raw.replace("\u3000", " ").split()).upper()
    m = _ID.match(text)
    if not m:
        return None
    local = m.group("local") or ""
    local = local.replace("（", "(").replace("）", ")")
    return f"{m.group('prefix')}{local} {m.group('num')}-{m.group('year')}"


def _decode(path: Path) -> str:
    data = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise MetrokgError("E100", path=str(path), reason="the text encoding is neither UTF-8 nor GB18030")


def _header_map(header: list[str], path: Path) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, name in enumerate(header):
        key = _ALIASES.get(" ".join(name.strip().lower().replace("_", " ").split()))
        if key is None:
            key = _ALIASES.get(name.strip().lower())
        if key and key not in found:
            found[key] = i
    missing = [c for c in ("id", "title") if c not in found]
    if missing:
        raise MetrokgError("E102", path=str(path), missing=", ".join(missing))
    return found


def _resolve(values: str, scheme: str) -> tuple[list[URIRef], list[str]]:
    """Vocabulary concepts for the listed names; names not in the vocabulary come back as text."""
    from metrokg.ontology.vocab import lookup

    known, unknown = [], []
    for part in _SPLIT.split(values):
        name = part.strip()
        if not name:
            continue
        hits = lookup(name, scheme)
        if hits:
            known.append(URIRef(hits[0].iri))
        else:
            unknown.append(name)
    return known, unknown


def _parse_dates(text: str) -> tuple[list[tuple[str, str]], str | None]:
    """``2012-12-03/2013-06-03`` (issued/effective), ``issued=...; effective=...`` or one date."""
    out: list[tuple[str, str]] = []
    text = text.strip()
    if not text:
        return out, None
    parts = [p.strip() for p in re.split(r"[;/；]", text) if p.strip()]
    for i, part in enumerate(parts):
        if "=" in part or "：" in part or ":" in part:
            key, _, value = re.split(r"([=:：])", part, maxsplit=1)
            key, value = key.strip().lower(), value.strip()
        else:
            key, value = ("issued", "effective")[min(i, 1)], part
        key = {"发布": "issued", "发布日期": "issued", "实施": "effective", "实施日期": "effective"}.get(key, key)
        if key not in ("issued", "effective"):
            return [], f"unknown date kind '{key}' (use issued or effective)"
        if not _DATE.match(value):
            return [], f"date '{value}' is not written as YYYY-MM-DD"
        try:
            date.fromisoformat(value)
        except ValueError:
            return [], f"date '{value}' does not exist"
        out.append((key, value))
    if len(out) > 2:
        return [], "give at most two dates: issued and effective"
    issued = dict(out).get("issued")
    effective = dict(out).get("effective")
    if issued and effective and effective < issued:
        return [], f"the effective date {effective} is before the issue date {issued}"
    return out, None


def _row_triples(cells: dict[str, str]) -> tuple[list[tuple], list[str]]:
    errors: list[str] = []
    raw_id = cells.get("id", "").strip()
    title = " ".join(cells.get("title", "").split())
    spec_id = normalise_id(raw_id) if raw_id else None
    if not raw_id:
        errors.append("the id is empty")
    elif spec_id is None:
        errors.append(f"the id '{raw_id}' is not a specification number such as JJG 596-2012")
    if not title:
        errors.append("the title is empty")
    kind = cells.get("type", "").strip()
    cls = None
    if kind:
        cls = _TYPES.get(kind.lower())
        if cls is None:
            errors.append(f"unknown type '{kind}' (use 检定规程/JJG, 计量技术规范/JJF, 校准规范, 型式评价大纲, 检定系统表 or 国家标准/GB)")
    elif spec_id:
        cls = _TYPES.get(spec_id.split(" ")[0].split("(")[0].split("/")[0].lower())
        if cls is None:
            errors.append(f"the type is empty and cannot be told from the id '{spec_id}'")
    status_text = cells.get("status", "").strip()
    status = None
    if status_text:
        status = _STATUS.get(status_text.lower())
        if status is None:
            errors.append(f"unknown status '{status_text}' (use 现行, 即将实施 or 废止)")
    dates, date_error = _parse_dates(cells.get("dates", ""))
    if date_error:
        errors.append(date_error)
    if errors:
        return [], errors

    node = work_iri(work_slug(spec_id))
    triples = [
        (node, RDF.type, SKOS.Concept), (node, RDF.type, cls), (node, SKOS.inScheme, WORK_SCHEME),
        (node, SKOS.prefLabel, Literal(f"{spec_id} {title}", lang="zh")),
        (node, SKOS.prefLabel, Literal(spec_id, lang="en")),
        (node, SKOS.altLabel, Literal(spec_id, lang="zh")),
        (node, MKG.documentNumber, Literal(spec_id)), (node, MKG.title, Literal(title)),
        (node, MKG.year, Literal(int(spec_id.rsplit("-", 1)[1]))),
    ]
    if status is not None:
        triples.append((node, MKG.status, status))
    for key, value in dates:
        prop = MKG.issued if key == "issued" else MKG.effective
        triples.append((node, prop, Literal(value, datatype=XSD.date)))
    quantities, q_text = _resolve(cells.get("quantity kinds", ""), "quantity")
    instruments, i_text = _resolve(cells.get("instruments", ""), "instrument")
    triples += [(node, MKG.coversQuantity, q) for q in quantities]
    triples += [(node, MKG.quantityText, Literal(t)) for t in q_text]
    triples += [(node, MKG.coversInstrument, i) for i in instruments]
    triples += [(node, MKG.instrumentText, Literal(t)) for t in i_text]
    return triples, []


def parse_catalogue_csv(path: str | Path) -> Graph:
    """The catalogue as a graph; raises MetrokgError listing every bad row by line number."""
    path = Path(path)
    if not path.is_file():
        raise MetrokgError("E001", path=str(path))
    text = _decode(path)
    if not text.strip():
        raise MetrokgError("E002", path=str(path))
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as err:
        raise MetrokgError("E100", path=str(path), reason=f"the header cannot be read ({err})") from None
    columns = _header_map(header, path)
    graph = Graph()
    problems: list[str] = []
    seen: dict[str, int] = {}
    rows = 0
    while True:
        start_line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            problems.append(f"line {start_line}: {err}")
            break
        if not any(cell.strip() for cell in row):
            continue
        rows += 1
        if len(row) > len(header):
            problems.append(f"line {start_line}: {len(row)} cells but the header has {len(header)} columns")
            continue
        cells = {key: (row[i] if i < len(row) else "") for key, i in columns.items()}
        triples, errors = _row_triples(cells)
        if errors:
            problems.append(f"line {start_line}: " + "; ".join(errors))
            continue
        spec_id = str(triples[6][2])
        if spec_id in seen:
            problems.append(f"line {start_line}: {spec_id} already appears on line {seen[spec_id]}")
            continue
        seen[spec_id] = start_line
        for t in triples:
            graph.add(t)
    if problems:
        shown = problems[:MAX_REPORTED]
        if len(problems) > MAX_REPORTED:
            shown.append(f"... and {len(problems) - MAX_REPORTED} more")
        raise MetrokgError("E101", path=str(path), count=len(problems), details="\n".join(shown))
    if rows == 0:
        raise MetrokgError("E103", path=str(path))
    return graph


def merge_into(existing: Graph, imported: Graph) -> Graph:
    """The existing catalogue graph with every imported entry replacing the one of the same IRI."""
    out = Graph()
    replaced = set(imported.subjects())
    for t in existing:
        if t[0] not in replaced:
            out.add(t)
    for t in imported:
        out.add(t)
    return out
