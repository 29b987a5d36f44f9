"""Citations as RDF, and resolved to the provisions they cite across the store.

At ingest every law provision gets its ``mkg:citation`` (第九条), every paragraph, item and
sub-item of an article a ``mkg:ProvisionPart`` node (``…/article/9/paragraph/2``), and every
citation found in any provision's text a ``mkg:Citation`` node: where it stands, what it says,
the title it names (none for 本条例, 前款…) and one ``mkg:citation`` per unit it cites.

Resolution happens when the links are read (:func:`citation_links`), not when a document is
written: a citation of a law ingested later, or removed since, is resolved against the store as
it is now, and no document's graph is ever rewritten because another one arrived. The links are
derived once per store generation. A title matches with or without 《》, 中华人民共和国 and a
leading verb (依照计量法), and a short title (实施细则) where one document alone ends with it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Container
from dataclasses import asdict, dataclass

from rdflib import RDF, RDFS, Literal

from metrokg.kg.records.factview import cached
from metrokg.kg.store.base import Store, Triple
from metrokg.nlp.structure.citations import Citation, Target, parse_target, provision_citations, title_key
from metrokg.nlp.structure.document import ParsedDocument
from metrokg.ontology.namespace import MKG, MKG_PREFIX, doc_iri, doc_part_iri, provision_iri

MIN_TITLE_KEY = 3  # a shorter key (法, 条例) names no document on its own
#: the kind words a title ends with, longest first: an abbreviation keeps its title's (上海条例 is
#: 上海市计量监督管理条例; 产品质量法 is no 办法)
TITLE_KINDS = ("细则", "条例", "办法", "规定", "规划", "方案", "意见", "通知", "决定", "法")


def title_kind(key: str) -> str | None:
    """The kind word ``key`` ends with (:data:`TITLE_KINDS`), None for another ending."""
    return next((k for k in TITLE_KINDS if key.endswith(k)), None)


def abbreviates(short: str, key: str) -> bool:
    """Whether ``short`` is a 简称 of the title ``key``: the same kind word at the end, and the
    rest of its characters in the title in order, before its kind word (上海条例 of
    上海市计量监督管理条例, 进口办法 of 进口计量器具监督管理办法)."""
    kind = title_kind(short)
    if kind is None or title_kind(key) != kind or len(short) - len(kind) < 2:
        return False
    at = 0
    for ch in short[:-len(kind)]:
        at = key.find(ch, at)
        if at < 0 or at >= len(key) - len(kind):
            return False
        at += 1
    return True


def citation_triples(doc: ParsedDocument) -> list[Triple]:
    """Law provisions' citations and parts, and the citations in every provision's text."""
    out: list[Triple] = []
    d = doc_iri(doc.doc_id)
    for p in doc.provisions:
        iri = provision_iri(doc.doc_id, p.number, p.path)
        if p.citation:
            out.append((iri, MKG.citation, Literal(p.citation)))
        for part in p.parts:
            node = provision_iri(doc.doc_id, p.number, f"{p.path}/{part.path}")
            out += [(node, RDF.type, MKG.ProvisionPart), (node, MKG.partOf, iri), (node, MKG.inDocument, d),
                    (node, MKG.partKind, Literal(part.kind)), (node, MKG.citation, Literal(part.citation)),
                    (node, RDFS.label, Literal(part.citation, lang="zh")), (node, MKG.text, Literal(part.text)),
                    (node, MKG.start, Literal(part.start)), (node, MKG.end, Literal(part.end))]
        for c in provision_citations(doc.text, p):
            node = doc_part_iri(doc.doc_id, "citation", f"{c.start}-{c.end}")
            out += [(node, RDF.type, MKG.Citation), (node, MKG.inDocument, d), (node, MKG.inProvision, iri),
                    (node, MKG.text, Literal(c.text)), (node, MKG.start, Literal(c.start)),
                    (node, MKG.end, Literal(c.end))]
            if c.title is not None:
                out.append((node, MKG.citedTitle, Literal(c.title)))
            out += [(node, MKG.citation, Literal(t)) for t in c.citations]
    return out


# ----------------------------------------------------------------- resolution

CITATIONS_QUERY = MKG_PREFIX + """
SELECT ?c ?docId ?p ?text ?start ?end ?title ?cit WHERE {
  ?c a mkg:Citation ; mkg:inDocument ?d ; mkg:inProvision ?p ; mkg:text ?text ; mkg:start ?start ; mkg:end ?end .
  ?d mkg:documentId ?docId .
  OPTIONAL { ?c mkg:citedTitle ?title }
  OPTIONAL { ?c mkg:citation ?cit }
}
"""
TITLES_QUERY = MKG_PREFIX + """
SELECT ?id ?title ?date WHERE { ?d mkg:documentId ?id ; mkg:title ?title . OPTIONAL { ?d mkg:issued ?date } }
"""
UNITS_QUERY = MKG_PREFIX + """
SELECT ?u ?docId WHERE { { ?u a mkg:Provision } UNION { ?u a mkg:ProvisionPart }
                         ?u mkg:inDocument ?d . ?d mkg:documentId ?docId }
"""


@dataclass
class CitationLink:
    """One cited unit of one citation: where the citation stands and what it resolves to
    (``target`` None: the cited document is not in the store, or lacks the unit)."""

    document: str
    provision: str  # IRI of the citing provision
    start: int
    end: int
    text: str
    title: str | None
    citation: str | None  # the unit cited (第十条第二款); None for a whole document
    target: str | None = None
    target_document: str | None = None

    def public(self) -> dict:
        return asdict(self)


class Resolver:
    """The store's documents by title and their provisions and parts by IRI, to resolve
    citations against (one per store generation, see :func:`resolver`)."""

    def __init__(self, titles: list[tuple[str, str, str | None]], units: dict[str, set[str]]):
        self.units = units  # document id -> IRIs of its provisions and parts
        self.by_key: dict[str, list[str]] = defaultdict(list)
        for doc_id, title, _date in sorted(titles, key=lambda t: (t[2] or "", t[0]), reverse=True):
            key = title_key(title)
            if doc_id not in self.by_key[key]:
                self.by_key[key].append(doc_id)  # the latest version of a title first

    def document(self, title: str | None, citing: str | None = None, abbreviated: bool = False) -> str | None:
        """The document a title names (exact, else the one document whose title ends with it,
        else a shorter tail of it that is a title, else, where ``abbreviated``, the one document
        it is a 简称 of: :func:`abbreviates`); None: the citing document itself."""
        if title is None:
            return citing
        key = title_key(title)
        if key in self.by_key:
            return self.by_key[key][0]
        if len(key) >= MIN_TITLE_KEY:
            ending = [ids[0] for k, ids in self.by_key.items() if k.endswith(key)]
            if len(ending) == 1:
                return ending[0]
            for cut in range(1, len(key) - MIN_TITLE_KEY + 1):
                if key[cut:] in self.by_key:
                    return self.by_key[key[cut:]][0]
            if abbreviated:
                short = [ids[0] for k, ids in self.by_key.items() if abbreviates(key, k)]
                if len(short) == 1:
                    return short[0]
        return None

    def unit(self, doc_id: str, target: Target) -> str | None:
        """The IRI of the cited unit in the document: the unit itself, an item cited without its
        paragraph, else the nearest unit above it that exists (第十条第二款 of a one-paragraph
        article is the article)."""
        have = self.units.get(doc_id)
        if not have:
            return None
        path = target.path
        exact = str(provision_iri(doc_id, "", path))
        if exact in have:
            return exact
        if target.item is not None and target.paragraph is None and target.article is not None:
            head = str(provision_iri(doc_id, "", f"article/{target.article_key}")) + "/paragraph/"
            tail = path[len(f"article/{target.article_key}"):]
            found = sorted(u for u in have if u.startswith(head) and u.endswith(tail)
                           and u[len(head):-len(tail)].isdigit())
            if found:
                return found[0]
        segments = path.split("/")
        while len(segments) > 2:
            segments = segments[:-2]
            iri = str(provision_iri(doc_id, "", "/".join(segments)))
            if iri in have:
                return iri
        return None

    def resolve(self, title: str | None, targets: list[Target], citing: str | None = None,
                abbreviated: bool = False) -> tuple[str | None, list[str | None]]:
        """The cited document and, per target, the cited unit (None where it is missing); a
        person's question may name a law by its 简称 (``abbreviated``), a text's citation not."""
        doc_id = self.document(title, citing, abbreviated)
        if doc_id is None:
            return None, [None] * len(targets)
        return doc_id, [self.unit(doc_id, t) for t in targets]


def resolver(store: Store) -> Resolver:
    """The store's :class:`Resolver`, built once per store generation."""
    def build() -> Resolver:
        titles = [(str(i), str(t), str(d) if d else None) for i, t, d in store.rows(TITLES_QUERY)]
        units: dict[str, set[str]] = defaultdict(set)
        for u, doc_id in store.rows(UNITS_QUERY):
            units[str(doc_id)].add(str(u))
        return Resolver(titles, dict(units))
    return cached(store, ("citation resolver",), build)


def citation_links(store: Store, document: str | None = None) -> list[CitationLink]:
    """Every citation in the store's documents (or in one), one link per cited unit, resolved
    against the documents the store holds now; in document and text order."""
    def build() -> list[CitationLink]:
        res = resolver(store)
        rows: dict[str, dict] = {}
        for c, doc_id, p, text, start, end, title, cit in store.rows(CITATIONS_QUERY):
            row = rows.setdefault(str(c), {"document": str(doc_id), "provision": str(p), "text": str(text),
                                           "start": int(start), "end": int(end),
                                           "title": str(title) if title is not None else None, "units": []})
            if cit is not None and str(cit) not in row["units"]:
                row["units"].append(str(cit))
        out: list[CitationLink] = []
        for row in rows.values():
            units = sorted(row.pop("units"), key=_unit_order)
            targets = [t for t in (parse_target(u) for u in units) if t is not None]
            doc_id, iris = res.resolve(row["title"], targets, row["document"])
            if not targets:
                out.append(CitationLink(**row, citation=None, target=str(doc_iri(doc_id)) if doc_id else None,
                                        target_document=doc_id))
            for t, iri in zip(targets, iris):
                out.append(CitationLink(**row, citation=t.citation, target=iri,
                                        target_document=doc_id if iri else None))
        out.sort(key=lambda link: (link.document, link.start, _unit_order(link.citation or "")))
        return out
    links = cached(store, ("citation links",), build)
    return [link for link in links if document is None or link.document == document]


def _unit_order(citation: str) -> tuple:
    t = parse_target(citation)
    return tuple(getattr(t, f) or 0 for f in ("part", "chapter", "section", "article", "insert", "paragraph",
                                               "item", "subitem")) if t else ()


def links_into(store: Store, target_document: str) -> list[CitationLink]:
    """The resolved citations of one document's provisions, from any document."""
    return [link for link in citation_links(store) if link.target_document == target_document]


def resolve_query(store: Store, citation: Citation, document: str | None = None) -> list[str]:
    """IRIs of the units a citation typed as a query names (in the document filtered to, for
    one without a title); empty when they are not in the store."""
    _, iris = resolver(store).resolve(citation.title, list(citation.targets), document, abbreviated=True)
    return [i for i in iris if i]


def held_unit(target: str | None, held: Container[str]) -> str | None:
    """The unit ``held`` has that opens ``target``: itself, or the article a cited part belongs to
    (…/article/13/paragraph/1 → …/article/13); None when none is held."""
    while target and "/" in target:
        if target in held:
            return target
        target = target.rsplit("/", 2)[0]
    return None


def cited_neighbours(store: Store, positions: dict[str, int]) -> list[list[int]]:
    """Per provision (by its position in ``positions``, IRI → position): the stored provisions it
    cites or is cited by, a cited part (第十三条第一款) standing for its article. A penalty article
    and the duty it punishes (违反本条例第十六条规定…) say one thing between them, in other words."""
    out: list[set[int]] = [set() for _ in range(len(positions))]
    for link in citation_links(store):
        source, target = positions.get(link.provision), held_unit(link.target, positions)
        cited = positions.get(target) if target else None
        if source is not None and cited is not None and cited != source:
            out[source].add(cited)
            out[cited].add(source)
    return [sorted(s) for s in out]
