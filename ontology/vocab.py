"""The one concept model and its resolver; the shipped vocabularies loaded from Turtle.

A :class:`Concept` is a SKOS concept of a metrokg vocabulary (unit, quantity kind, industry,
actor, catalogue entry...) with its labels and the links the views follow. A :class:`Concepts`
table holds them and reads every concept argument a user gives (``--industry 汽车``, a search
filter, ``--actor-type``) with :meth:`Concepts.resolve`, one rule for every command:

1. the concept's IRI;
2. exactly: its slug (the IRI's last segment) or one of its labels (preferred or alternative,
   Chinese or English), compared after NFKC, case folding and collapsing spaces;
3. else a label that contains the argument (智能网联 → 智能网联汽车). Not for actors: a filter
   on actors matches names as written instead (湖北省 matches every body whose name has it).

Only concepts of the schemes the argument is for count (:data:`KINDS`). Of the concepts a step
finds, those below another one found are dropped (callers widen to the narrower concepts anyway);
one left is the answer, several are E293 listing them, none is E312.

Where the concepts come from: a store's table is built from the store's vocabulary graphs
(:func:`metrokg.kg.records.factview.load_concepts`, so ``specs import`` and user vocabularies count
everywhere); the extraction pipeline, which has no store, and the ontology reference read the
shipped Turtle through :func:`packaged`.
"""

from __future__ import annotations

import functools
import hashlib
import threading
import unicodedata
from dataclasses import asdict, dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from rdflib import Graph
from rdflib.namespace import RDF, SKOS

from metrokg import cached_pickle, config, settings
from metrokg.errors import MetrokgError
from metrokg.ontology import turtle_files
from metrokg.ontology.namespace import ID, MKG, mkg_term

CONCEPT_BASE = ID
_lock = threading.Lock()


@functools.lru_cache(maxsize=65536)
def scheme_of(iri: str) -> str | None:
    """``quantity`` for ``…/id/quantity/torque``; None for IRIs outside the vocabularies."""
    if not iri.startswith(CONCEPT_BASE):
        return None
    rest = iri[len(CONCEPT_BASE):]
    return rest.split("/", 1)[0] if "/" in rest else None


def norm(text: str) -> str:
    """Case-folded NFKC text with single spaces: how labels, slugs and arguments are compared."""
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


def _slug(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Concept:
    """One concept of a metrokg vocabulary or catalogue, with the links the views follow.

    ``links`` maps a link name (``broader``, ``discipline``, ``quantity``, ``covers_quantity``,
    ``covers_instrument``, ``industry``, ``actor_type``) to the IRIs it points to; catalogue entries
    carry ``number``, ``title`` and ``status``, named bodies ``level`` and ``jurisdiction``.
    """

    iri: str
    pref_zh: str = ""
    pref_en: str = ""
    alt_labels: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    links: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    symbol: str | None = None
    definition_zh: str | None = None
    definition_en: str | None = None
    note_zh: str | None = None
    note_en: str | None = None
    number: str | None = None  # specification number (JJF 1059.1-2012)
    title: str | None = None
    status: str | None = None
    level: str | None = None  # administrative level of a named body
    jurisdiction: str | None = None

    @property
    def scheme(self) -> str | None:
        return scheme_of(self.iri)

    @property
    def label(self) -> str:
        """The name to show: Chinese, else English, else the slug."""
        return self.pref_zh or self.pref_en or _slug(self.iri)

    @property
    def labels(self) -> list[str]:
        """Every label: preferred (zh, en) first, then the synonyms."""
        out = [self.pref_zh, self.pref_en]
        out += [a for a in self.alt_labels if a not in out]
        return [x for x in out if x]

    @property
    def broader(self) -> list[str]:
        """What the concept lies below: skos:broader, then its measurement disciplines."""
        return [*self.links.get("broader", ()), *self.links.get("discipline", ())]

    def to_json(self) -> dict:
        return {k: (dict(v) if k == "links" else list(v) if isinstance(v, tuple) else v)
                for k, v in asdict(self).items() if v not in (None, "", (), {})}

    @classmethod
    def from_json(cls, data: dict) -> "Concept":
        d = dict(data)
        for name in ("alt_labels", "types"):
            d[name] = tuple(d.get(name, ()))
        d["links"] = {k: tuple(v) for k, v in d.get("links", {}).items()}
        return cls(**d)


@dataclass(frozen=True)
class Kind:
    """What a concept argument may name: the schemes that count, and how errors speak of it."""

    name: str
    schemes: tuple[str, ...]
    listing: str  # the command that shows the names
    contains: bool = True  # step 3 (a label containing the argument) applies


KINDS = {
    "industry": Kind("industry", ("industry",), "metrokg entities --type industry"),
    "quantity": Kind("quantity kind or discipline", ("quantity", "discipline"), "metrokg entities --type quantity"),
    "instrument": Kind("instrument", ("instrument",), "metrokg entities --type instrument"),
    "actor": Kind("actor", ("actor", "actortype"), "metrokg entities --type actor", contains=False),
    "actortype": Kind("actor type", ("actortype",), "metrokg entities --type actor"),
    # a conduct filter is words of the law or everyday ones (动手脚): a label, not any label containing them
    "conduct": Kind("regulated conduct", ("conduct",), "metrokg ontology --markdown (计量违法行为)",
                    contains=False),
}

_SKOS = str(SKOS)
_LINKS = {_SKOS + "broader": "broader", mkg_term("discipline"): "discipline", mkg_term("quantityMeasured"): "quantity",
          mkg_term("quantityKind"): "quantity", mkg_term("coversQuantity"): "covers_quantity",
          mkg_term("coversInstrument"): "covers_instrument", mkg_term("usedIn"): "industry",
          mkg_term("actorType"): "actor_type"}
_TEXTS = {mkg_term("symbol"): "symbol", mkg_term("documentNumber"): "number", mkg_term("title"): "title",
          mkg_term("status"): "status", mkg_term("administrativeLevel"): "level", mkg_term("jurisdiction"): "jurisdiction"}
_BY_LANGUAGE = {_SKOS + "prefLabel": "pref", _SKOS + "definition": "definition", _SKOS + "scopeNote": "note"}
_ALT = {_SKOS + "altLabel", _SKOS + "notation"}
_NARROWER, _TYPE, _SKOS_CONCEPT = _SKOS + "narrower", str(RDF.type), _SKOS + "Concept"


def _language(o: object) -> str | None:
    """A literal's language ("" when untagged); None for an IRI. Literals are rdflib's or the
    store's plain ones, both with ``language`` and ``datatype``; IRIs are strings without them."""
    return (getattr(o, "language", None) or "") if hasattr(o, "datatype") else None


class _Draft:
    """What the triples say about one concept, before it becomes a :class:`Concept`."""

    def __init__(self) -> None:
        self.texts: dict[str, set[tuple[str, str]]] = {}  # field -> {(language, text)}
        self.alts: set[tuple[str, str]] = set()
        self.types: set[str] = set()
        self.links: dict[str, set[str]] = {}

    def concept(self, iri: str) -> Concept:
        def text(name: str, languages: tuple[str, ...] = ()) -> str | None:
            values = self.texts.get(name, set())
            for lang in languages or (None,):
                found = sorted(t for lg, t in values if lang is None or lg == lang)
                if found:
                    return found[0]
            return None

        alts = [t for _lang, t in sorted(self.alts)]
        return Concept(
            iri, pref_zh=text("pref", ("zh", "")) or "", pref_en=text("pref", ("en",)) or "",
            alt_labels=tuple(dict.fromkeys(alts)), types=tuple(sorted(self.types - {_SKOS_CONCEPT})),
            links={k: tuple(sorted(v)) for k, v in sorted(self.links.items())}, symbol=text("symbol"),
            definition_zh=text("definition", ("zh",)), definition_en=text("definition", ("en",)),
            note_zh=text("note", ("zh",)), note_en=text("note", ("en",)), number=text("number"),
            title=text("title"), status=text("status"), level=text("level"), jurisdiction=text("jurisdiction"))


def _read(triples: Iterable[tuple]) -> list[Concept]:
    """Concepts (subjects under ``…/id/<scheme>/``) from RDF triples, rdflib's or plain ones."""
    drafts: dict[str, _Draft] = {}

    def draft(iri: str) -> _Draft:
        d = drafts.get(iri)
        if d is None:
            d = drafts[iri] = _Draft()
        return d

    for s, p, o in triples:
        s, p = str(s), str(p)
        if p == _NARROWER:
            if scheme_of(str(o)) is not None:
                draft(str(o)).links.setdefault("broader", set()).add(s)
            continue
        if scheme_of(s) is None:
            continue
        lang = _language(o)
        if p in _LINKS:
            draft(s).links.setdefault(_LINKS[p], set()).add(str(o))
        elif p == _TYPE:
            draft(s).types.add(str(o))
        elif p in _ALT and lang is not None:
            draft(s).alts.add((lang, str(o)))
        elif p in _BY_LANGUAGE and lang is not None:
            draft(s).texts.setdefault(_BY_LANGUAGE[p], set()).add((lang, str(o)))
        elif p in _TEXTS:
            value = str(o) if p != mkg_term("status") else str(o).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            draft(s).texts.setdefault(_TEXTS[p], set()).add(("", value))
    return [d.concept(iri) for iri, d in drafts.items()]


class Concepts:
    """A table of concepts (ordered by IRI) with the one resolver of concept arguments.

    Shared between callers (per store generation, or per process for the shipped vocabulary):
    treat it as read-only."""

    def __init__(self, concepts: Iterable[Concept]):
        self.by_iri: dict[str, Concept] = {c.iri: c for c in sorted(concepts, key=lambda c: c.iri)}
        self._children: dict[str, list[str]] = {}
        for c in self.by_iri.values():
            for parent in c.broader:
                kids = self._children.setdefault(parent, [])
                if c.iri not in kids:
                    kids.append(c.iri)

    @classmethod
    def from_triples(cls, triples: Iterable[tuple]) -> "Concepts":
        return cls(_read(triples))

    def to_json(self) -> list[dict]:
        return [c.to_json() for c in self.by_iri.values()]

    @classmethod
    def from_json(cls, rows: list[dict]) -> "Concepts":
        return cls(Concept.from_json(r) for r in rows)

    # ---- reading the table

    def __iter__(self) -> Iterator[Concept]:
        return iter(self.by_iri.values())

    def get(self, iri: str) -> Concept | None:
        return self.by_iri.get(iri)

    def in_scheme(self, scheme: str) -> list[Concept]:
        return [c for c in self.by_iri.values() if c.scheme == scheme]

    def label(self, iri: str | None) -> str | None:
        """The concept's name to show (the IRI's slug for an IRI the table does not hold)."""
        if iri is None:
            return None
        c = self.by_iri.get(iri)
        return c.label if c else _slug(iri)

    def label_en(self, iri: str) -> str | None:
        c = self.by_iri.get(iri)
        return c.pref_en if c else None

    def links(self, iri: str, kind: str) -> set[str]:
        c = self.by_iri.get(iri)
        return set(c.links.get(kind, ())) if c else set()

    def narrower(self, iri: str) -> list[str]:
        """The concepts directly below ``iri`` (skos:broader, or mkg:discipline for a discipline)."""
        return self._children.get(iri, [])

    def narrower_closure(self, iri: str) -> set[str]:
        """The concept and everything below it (汽车 -> 新能源汽车, 智能网联汽车; 力学 -> 扭矩)."""
        out, stack = set(), [iri]
        while stack:
            x = stack.pop()
            if x not in out:
                out.add(x)
                stack.extend(self._children.get(x, ()))
        return out

    def quantities_of(self, iri: str) -> set[str]:
        """Quantity kinds a concept stands for: itself, an instrument's measurand, a
        facility's or standard's quantity kind."""
        return {iri} if scheme_of(iri) == "quantity" else self.links(iri, "quantity")

    def disciplines_of(self, iri: str) -> set[str]:
        """Measurement disciplines (JJF 1022) of a concept, through its quantity kinds."""
        if scheme_of(iri) == "discipline":
            return {iri}
        out = set(self.links(iri, "discipline"))
        for q in self.quantities_of(iri):
            out |= self.links(q, "discipline")
        return out

    # ---- the resolver

    @functools.cached_property
    def _names(self) -> dict[str, list[str]]:
        """Normalised slug or label -> IRIs (in table order)."""
        index: dict[str, list[str]] = {}
        for c in self.by_iri.values():
            for name in (_slug(c.iri), *c.labels):
                iris = index.setdefault(norm(name), [])
                if c.iri not in iris:
                    iris.append(c.iri)
        return index

    def named(self, text: str, schemes: Iterable[str] | None = None) -> list[Concept]:
        """Concepts with this IRI, or exactly this slug or label (steps 1 and 2 of the resolver)."""
        wanted = set(schemes) if schemes is not None else None
        text = text.strip()
        iris = [text] if text in self.by_iri else self._names.get(norm(text), [])
        return [self.by_iri[i] for i in iris if wanted is None or scheme_of(i) in wanted]

    def find(self, text: str, kind: str) -> list[str]:
        """The concepts ``text`` names as a ``kind`` argument (see the module's rule), the
        topmost of them only; empty when none. Several mean the argument is ambiguous."""
        spec = KINDS[kind]
        found = [c.iri for c in self.named(text, spec.schemes)]
        needle = norm(text)
        if not found and spec.contains and needle:
            found = [c.iri for c in self.by_iri.values() if c.scheme in spec.schemes
                     and any(needle in norm(label) for label in c.labels)]
        below = {i: self.narrower_closure(i) for i in found}
        return [i for i in found
                if not any(j != i and i in below[j] and (j not in below[i] or j < i) for j in found)]

    def resolve(self, text: str, kind: str, missing_ok: bool = False) -> str | None:
        """The one concept ``text`` names as a ``kind`` argument (``industry``, ``quantity``,
        ``instrument``, ``actor``, ``actortype``): E312 when none (None with ``missing_ok``),
        E293 listing the candidates when several."""
        found = self.find(text, kind)
        if len(found) == 1:
            return found[0]
        spec = KINDS[kind]
        if not found:
            if missing_ok:
                return None
            raise MetrokgError("E312", kind=spec.name, value=text, listing=spec.listing)
        limit = settings.get("METROKG_MAX_CONCEPT_CANDIDATES")
        shown = sorted(found, key=lambda i: (self.by_iri[i].label, i))
        names = ", ".join(f"{self.by_iri[i].label} ({_slug(i)})" for i in shown[:limit])
        more = f" and {len(shown) - limit} more" if len(shown) > limit else ""
        raise MetrokgError("E293", value=text, kind=spec.name, candidates=names + more)


# ---------------------------------------------------------------- the shipped vocabulary

#: bump when what the caches hold changes in a way the key below does not see
CACHE_VERSION = 1


def _sources_key() -> tuple:
    """What the parsed vocabulary depends on: the Turtle files' names and contents, rdflib's
    version and the fields of :class:`Concept` (a cache built from other ones is stale)."""
    import rdflib

    digest = hashlib.sha256()
    for path in turtle_files():
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return CACHE_VERSION, rdflib.__version__, tuple(f.name for f in fields(Concept)), digest.hexdigest()


def cache_path(name: str) -> Path:
    """Where the parsed vocabulary is cached (``graph`` or ``concepts``): the data dir's cache folder.
    Parsing the Turtle takes a quarter of a second of every process that needs it; unpickling a tenth."""
    return config.cache_dir() / "ontology" / f"{name}.pickle"


def _through_cache(name: str, key: tuple, kind: type, build: Callable[[], Any]) -> Any:
    """The cached ``name`` for ``key`` if it is a ``kind``, else built and cached."""
    cached = cached_pickle.read(cache_path(name), key,
                                lambda p: isinstance(p, kind) and (kind is not list or all(isinstance(c, Concept) for c in p)))
    if cached is not None:
        return cached
    value = build()
    cached_pickle.write(cache_path(name), key, value)
    return value


def _load() -> Graph:
    from rdflib.plugins.parsers.notation3 import BadSyntax

    g = Graph()
    for path in turtle_files():
        try:
            g.parse(path, format="turtle")
        except BadSyntax as exc:  # rdflib names no file: say which one is broken
            exc.add_note(f"in {path}")
            raise
    for prefix, ns in (("mkg", MKG._NS), ("skos", SKOS)):
        g.bind(prefix, ns)
    return g


@lru_cache(maxsize=1)
def _cached() -> Graph:
    return _through_cache("graph", _sources_key(), Graph, _load)


def load_ontology() -> Graph:
    """Every Turtle file in ``ontology/`` merged into one graph, parsed once per process.

    The graph is shared: treat it as read-only (copy it before adding triples).
    """
    with _lock:
        return _cached()


@lru_cache(maxsize=1)
def packaged() -> Concepts:
    """The concepts of the shipped Turtle vocabularies (for code without a store); cached beside the
    parsed graph, so a process that needs only the concepts never parses or unpickles the graph."""
    return Concepts(_through_cache("concepts", _sources_key(), list,
                                   lambda: list(Concepts.from_triples(load_ontology()))))


def concepts(scheme: str | None = None) -> list[Concept]:
    """Shipped concepts of one scheme (``unit``, ``quantity``, ``industry``...) or of all schemes."""
    return list(packaged()) if scheme is None else packaged().in_scheme(scheme)


def schemes() -> list[str]:
    """Names of the concept schemes that have at least one shipped concept."""
    return sorted({c.scheme for c in packaged() if c.scheme})


def concept(iri: str) -> Concept | None:
    """The shipped concept with this IRI, or None."""
    return packaged().get(str(iri))


def lookup(label: str, scheme: str | None = None) -> list[Concept]:
    """Shipped concepts with exactly this label or slug (any language, case-insensitive)."""
    return packaged().named(label, [scheme] if scheme else None)


def expand_label(term: str) -> list[str]:
    """Every label of every shipped concept the term names, and of the concepts below them
    (``expand_label("力学")`` gives 力学 and the labels of mechanical quantities such as 扭矩/转矩)."""
    table = packaged()
    out: list[str] = []
    for c in lookup(term):
        for iri in [c.iri, *sorted(table.narrower_closure(c.iri) - {c.iri})]:
            for label in table.by_iri[iri].labels if iri in table.by_iri else ():
                if label not in out:
                    out.append(label)
    return out
