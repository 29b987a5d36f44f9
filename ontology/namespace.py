"""IRIs of the metrokg vocabulary, as rdflib ``DefinedNamespace`` classes.

A misspelt term (``MKG.provison``) raises ``AttributeError`` at import time instead of
silently minting a new IRI. Every term here is declared in ``metrokg.ttl``; a test checks
the two agree.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

BASE = "https://w3id.org/metrokg/"


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


def doc_iri(doc_id: str) -> URIRef:
    """IRI of a document; stable for the same id."""
    return URIRef(f"{BASE}doc/{doc_id}")


def graph_iri(doc_id: str) -> URIRef:
    """IRI of the named graph that holds everything extracted from one document."""
    return URIRef(f"{BASE}graph/{doc_id}")


def provision_iri(doc_id: str, number: str) -> URIRef:
    """IRI of a provision, from its dotted number (``3.5``) in its document."""
    return URIRef(f"{BASE}doc/{doc_id}/provision/{number}")


def sentence_iri(doc_id: str, start: int) -> URIRef:
    """IRI of a sentence, from its start offset in the document's normalised text."""
    return URIRef(f"{BASE}doc/{doc_id}/sentence/{start}")


def work_iri(key: str) -> URIRef:
    """IRI of a cited or implemented work known only by its title (key: a short hash)."""
    return URIRef(f"{BASE}id/work/{key}")


ONTOLOGY_GRAPH = URIRef(BASE + "graph/ontology")
