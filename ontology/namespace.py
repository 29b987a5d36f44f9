"""Every IRI metrokg mints or reads: the vocabulary as ``DefinedNamespace`` classes, the named
graphs, and the builders of document, provision, sentence, fact, concept and work IRIs.

A misspelt term (``MKG.provison``, ``MKG["provison"]``) raises ``AttributeError`` instead of
silently minting a new IRI. Every ``MKG`` term is declared in ``metrokg.ttl``; a test checks the
two agree, and that no other module writes an IRI of ours by hand.

The layout under :data:`BASE`::

    ontology#term          classes and properties (MKG)
    id/{scheme}/{slug}     vocabulary concepts and cited works (``id/work/{key}``)
    doc/{id}[/{kind}/{key}] documents, their provisions, sentences, facts and actor nodes
    graph/{id}             a document's named graph; graph/ontology, catalogue, inferred, meta
    graph/progress/{key}   one progress observation's graph (progress/{key}: the observation)
    agent/{slug}           who recorded an observation
    store, store#term      the store's own bookkeeping (MKS), in graph/meta
    staging/{token}/{i}    graphs a remote write uploads before swapping them in
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

BASE = "https://w3id.org/metrokg/"
ID = BASE + "id/"  # vocabulary concepts and works: ``id/{scheme}/{slug}``
DOC = BASE + "doc/"
GRAPH = BASE + "graph/"  # every named graph metrokg owns starts here
STAGING = BASE + "staging/"


class MKG(DefinedNamespace):
    """Classes and properties of the metrokg ontology."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # documents and their parts
    Document: URIRef
    Provision: URIRef
    Sentence: URIRef
    Plan: URIRef
    ImplementationOpinion: URIRef
    ImplementationPlan: URIRef
    Notice: URIRef
    Law: URIRef
    AdministrativeRegulation: URIRef
    LocalRegulation: URIRef
    DepartmentalRule: URIRef
    Work: URIRef
    # penalties and legal duties (ontology/penalties.ttl)
    Penalty: URIRef
    Sanction: URIRef
    article: URIRef
    item: URIRef
    conduct: URIRef
    violates: URIRef
    authority: URIRef
    hasSanction: URIRef
    sanctionKind: URIRef
    minAmount: URIRef
    maxAmount: URIRef
    amountUnit: URIRef
    amountBasis: URIRef
    condition: URIRef
    dutySubject: URIRef
    dutyObject: URIRef
    # numbers that are not targets (ontology/numericfacts.ttl)
    Baseline: URIRef
    FundingRule: URIRef
    TimeLimit: URIRef
    statedValue: URIRef
    statedUnit: URIRef
    statedComparator: URIRef
    baselineIndicator: URIRef
    baselineConcept: URIRef
    statusYear: URIRef
    yearInherited: URIRef
    fundingInstrument: URIRef
    beneficiary: URIRef
    amountYuan: URIRef
    shareOf: URIRef
    perUnit: URIRef
    budgetYear: URIRef
    isPeriod: URIRef
    trigger: URIRef
    duty: URIRef
    bounds: URIRef
    # legal kinds and versions (ontology/legalkinds.ttl)
    DocumentVersion: URIRef
    hasVersion: URIRef
    versionDate: URIRef
    versionEvent: URIRef
    versionBody: URIRef
    amendingDecision: URIRef
    effective: URIRef
    promulgated: URIRef
    documentId: URIRef
    title: URIRef
    issuerName: URIRef
    issued: URIRef
    documentNumber: URIRef
    recipients: URIRef
    fullText: URIRef
    contentHash: URIRef
    sourceFile: URIRef
    sourceFormat: URIRef
    implements: URIRef
    cites: URIRef
    inDocument: URIRef
    parent: URIRef
    hasSentence: URIRef
    number: URIRef
    ProvisionPart: URIRef
    Citation: URIRef
    citation: URIRef
    partOf: URIRef
    partKind: URIRef
    citedTitle: URIRef
    heading: URIRef
    text: URIRef
    level: URIRef
    order: URIRef
    start: URIRef
    end: URIRef
    structureWarning: URIRef

    # extension (issue 3): documents, specifications, extraction vocabulary, actors,
    # measurement, industries, facilities
    Actor: URIRef
    CalibrationSpecification: URIRef
    CompulsoryVerification: URIRef
    ControlledInstrument: URIRef
    CoordinationMechanism: URIRef
    Counter: URIRef
    CultureBase: URIRef
    DataApplicationBase: URIRef
    DeonticStatement: URIRef
    Discipline: URIRef
    Encouragement: URIRef
    Enterprise: URIRef
    Exploration: URIRef
    Facility: URIRef
    Fact: URIRef
    GovernmentBody: URIRef
    GovernmentDepartment: URIRef
    Industry: URIRef
    IndustryAssociation: URIRef
    Laboratory: URIRef
    LegalControl: URIRef
    LegalMetrologyInstitution: URIRef
    LegalUnit: URIRef
    Legislature: URIRef
    LocalGovernmentRule: URIRef
    MarketRegulator: URIRef
    MeasurementStandard: URIRef
    MeasuringInstrument: URIRef
    Mention: URIRef
    MetrologicalTechnicalSpecification: URIRef
    MetrologyActivity: URIRef
    MetrologyInstitution: URIRef
    NationalStandard: URIRef
    NonLegalUnit: URIRef
    NonSILegalUnit: URIRef
    NormativeDocument: URIRef
    Obligation: URIRef
    Opinion: URIRef
    PatternEvaluationProgramme: URIRef
    PeoplesGovernment: URIRef
    Permission: URIRef
    PolicyDocument: URIRef
    Prefix: URIRef
    PrimaryStandard: URIRef
    Prohibition: URIRef
    PublicMeasurementStandard: URIRef
    QuantitativeTarget: URIRef
    QuantityKind: URIRef
    ReferenceMaterial: URIRef
    ResearchInstitute: URIRef
    Responsibility: URIRef
    SIBaseUnit: URIRef
    SIDerivedUnit: URIRef
    SIUnit: URIRef
    ServicePlatform: URIRef
    SpecificationStatus: URIRef
    StateOrgan: URIRef
    StatusInForce: URIRef
    StatusUpcoming: URIRef
    StatusWithdrawn: URIRef
    Task: URIRef
    TechnicalCommittee: URIRef
    TechnicalSpecification: URIRef
    TestingCentre: URIRef
    TestingInstitution: URIRef
    TypeApproval: URIRef
    Unit: URIRef
    University: URIRef
    VerificationRegulation: URIRef
    VerificationScheme: URIRef
    action: URIRef
    actor: URIRef
    actorName: URIRef
    actorType: URIRef
    administrativeLevel: URIRef
    amended: URIRef
    commonUnit: URIRef
    comparator: URIRef
    concerns: URIRef
    confidence: URIRef
    conversionMultiplier: URIRef
    conversionOffset: URIRef
    counter: URIRef
    coversInstrument: URIRef
    coversQuantity: URIRef
    cue: URIRef
    deadlineYear: URIRef
    dimension: URIRef
    discipline: URIRef
    effective: URIRef
    extractedBy: URIRef
    facilityType: URIRef
    gbt4754Code: URIRef
    inProvision: URIRef
    indicator: URIRef
    indicatorConcept: URIRef
    isTotal: URIRef
    issuer: URIRef
    jurisdiction: URIRef
    legalControl: URIRef
    logarithmic: URIRef
    mentions: URIRef
    modality: URIRef
    object: URIRef
    prefixMultiplier: URIRef
    quantityKind: URIRef
    quantityMeasured: URIRef
    recurrence: URIRef
    refersTo: URIRef
    replaces: URIRef
    role: URIRef
    scope: URIRef
    shortName: URIRef
    siUnit: URIRef
    status: URIRef
    symbol: URIRef
    unit: URIRef
    unitText: URIRef
    usedIn: URIRef
    value: URIRef
    year: URIRef
    quantityText: URIRef
    instrumentText: URIRef


class MKS(DefinedNamespace):
    """The store's bookkeeping in :data:`META_GRAPH` (not part of the ontology)."""

    _NS = Namespace(BASE + "store#")
    _fail = True

    generation: URIRef  # the store's write counter, on :data:`STORE_NODE`
    graphVersion: URIRef  # the generation that last wrote a graph
    pendingGraph: URIRef  # a graph a bulk load is still adding


MKG_PREFIX = f"PREFIX mkg: <{MKG._NS}>"  # for SPARQL text: the ``mkg:`` prefix of :class:`MKG`

ONTOLOGY_IRI = URIRef(BASE + "ontology")  # the OWL ontology itself
ONTOLOGY_GRAPH = URIRef(GRAPH + "ontology")
CATALOGUE_GRAPH = URIRef(GRAPH + "catalogue")
INFERRED_GRAPH = URIRef(GRAPH + "inferred")
META_GRAPH = URIRef(GRAPH + "meta")
VOCAB_GRAPHS = (ONTOLOGY_GRAPH, CATALOGUE_GRAPH)  # where concepts live
USER_VOCABULARY_GRAPHS = GRAPH + "vocabulary/"  # prefix of the graphs of users' own SKOS vocabularies
PROGRESS_GRAPHS = GRAPH + "progress/"  # prefix of the progress observations' graphs
STORE_NODE = URIRef(BASE + "store")


@lru_cache(maxsize=None)
def mkg_term(name: str) -> str:
    """The IRI of the ontology term ``name`` as text (for code that compares plain strings);
    ``AttributeError`` for a name :class:`MKG` does not declare, as ``MKG.name`` would."""
    return str(MKG[name])


def doc_iri(doc_id: str) -> URIRef:
    """IRI of a document; stable for the same id."""
    return URIRef(f"{DOC}{doc_id}")


def doc_part_iri(doc_id: str, kind: str, key: str) -> URIRef:
    """IRI of a node that belongs to one document (``provision``, ``sentence``, a fact kind,
    ``actor``), from a key unique among that document's nodes of the kind."""
    return URIRef(f"{DOC}{doc_id}/{kind}/{key}")


def graph_iri(doc_id: str) -> URIRef:
    """IRI of the named graph that holds everything extracted from one document."""
    return URIRef(f"{GRAPH}{doc_id}")


# first segments of a law provision's path (``doc/{id}/article/9/paragraph/2``); a plan's
# provisions are ``doc/{id}/provision/{number}``
PROVISION_PATHS = ("provision", "part", "chapter", "section", "article")


def provision_iri(doc_id: str, number: str, path: str | None = None) -> URIRef:
    """IRI of a provision: from its citation's path in a law (``article/9``, ``chapter/2``,
    ``article/9/paragraph/2`` for a part of an article), else from its dotted number (``3.5``)."""
    if path:
        return URIRef(f"{DOC}{doc_id}/{path}")
    return doc_part_iri(doc_id, "provision", number)


def is_provision_iri(iri: str) -> bool:
    """Whether ``iri`` names a provision (or a part of an article) of a document."""
    if not iri.startswith(DOC):
        return False
    parts = iri[len(DOC):].split("/")
    return len(parts) >= 3 and parts[1] in PROVISION_PATHS


def sentence_iri(doc_id: str, start: int) -> URIRef:
    """IRI of a sentence, from its start offset in the document's normalised text."""
    return doc_part_iri(doc_id, "sentence", str(start))


def scheme_iri(scheme: str) -> URIRef:
    """IRI of a vocabulary's concept scheme (``unit``, ``industry``, ``work``...)."""
    return URIRef(ID + scheme)


def concept_iri(scheme: str, slug: str) -> URIRef:
    """IRI of a concept of a vocabulary scheme."""
    return URIRef(f"{ID}{scheme}/{slug}")


def work_key(title: str) -> str:
    """Key of a work known only by its title: full-width/half-width brackets and spaces ignored,
    so the linker's references and the documents' ``implements`` name the same work."""
    folded = title.replace("（", "(").replace("）", ")").replace(" ", "").replace("〈", "《").replace("〉", "》")
    return hashlib.sha1(folded.encode("utf-8")).hexdigest()[:12]


def work_iri(key: str) -> URIRef:
    """IRI of a cited or implemented work: a catalogue entry's slug or :func:`work_key` of a title."""
    return concept_iri("work", key)


def progress_graph_iri(key: str) -> URIRef:
    """IRI of the named graph that holds one progress observation."""
    return URIRef(PROGRESS_GRAPHS + key)


def observation_iri(key: str) -> URIRef:
    """IRI of a progress observation (same key as its graph)."""
    return URIRef(f"{BASE}progress/{key}")


def prov_agent_iri(slug: str) -> URIRef:
    """IRI of the person or program who recorded observations."""
    return URIRef(f"{BASE}agent/{slug}")


def staging_iri(token: str, index: int) -> URIRef:
    """IRI of a graph a remote write uploads before moving it into place."""
    return URIRef(f"{STAGING}{token}/{index}")
