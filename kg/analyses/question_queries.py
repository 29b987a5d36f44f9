"""The SPARQL behind ``metrokg ask``: one fixed query per question pattern, user values bound (never
pasted into the text), so the answer can show the query and anyone can rerun it with ``metrokg sparql``."""

from __future__ import annotations

from metrokg.ontology.namespace import MKG_PREFIX

PREFIXES = MKG_PREFIX + """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

_PROVISION = """  ?p mkg:number ?number ; mkg:heading ?heading ; mkg:inDocument ?d .
  ?d mkg:documentId ?docId ."""

# a responsibility with its optional role, modality and action; the queries add their filters
_RESPONSIBILITY = """SELECT ?r ?actorName ?role ?modality ?action ?text ?start ?end ?p ?number ?heading ?docId
WHERE {
  ?r a mkg:Responsibility ; mkg:actorName ?actorName ; mkg:text ?text ;
     mkg:inProvision ?p ; mkg:start ?start ; mkg:end ?end .
  OPTIONAL { ?r mkg:role ?role }
  OPTIONAL { ?r mkg:modality ?modality }
  OPTIONAL { ?r mkg:action ?action }
"""

RESPONSIBLE_SPARQL = PREFIXES + _RESPONSIBILITY + _PROVISION + """
  FILTER(CONTAINS(?text, ?topic))
} ORDER BY ?docId ?start ?actorName"""

RESPONSIBLE_IN_PROVISION_SPARQL = PREFIXES + _RESPONSIBILITY + _PROVISION + """
} ORDER BY ?start ?actorName"""

# a quantitative target with its optional fields; the queries add how its year is read and their filters
_TARGET = """SELECT ?t ?indicator ?value ?unitText ?comparator ?scope ?year ?isTotal ?text ?start ?end
       ?p ?number ?heading ?docId
WHERE {
  ?t a mkg:QuantitativeTarget ; mkg:text ?text ; mkg:inProvision ?p ; mkg:start ?start ; mkg:end ?end .
  OPTIONAL { ?t mkg:indicator ?indicator }
  OPTIONAL { ?t mkg:value ?value }
  OPTIONAL { ?t mkg:unitText ?unitText }
  OPTIONAL { ?t mkg:comparator ?comparator }
  OPTIONAL { ?t mkg:scope ?scope }
  OPTIONAL { ?t mkg:isTotal ?isTotal }
"""

TARGETS_SPARQL = PREFIXES + _TARGET + """  ?t mkg:deadlineYear ?year .
""" + _PROVISION + """
  FILTER(?year <= ?by)
} ORDER BY ?year ?docId ?start"""

#: the targets whose statement or indicator names the topic (with their year when they have one)
TARGETS_ABOUT_SPARQL = PREFIXES + _TARGET + """  OPTIONAL { ?t mkg:deadlineYear ?year }
""" + _PROVISION + """
  FILTER(CONTAINS(?text, ?topic) || (BOUND(?indicator) && CONTAINS(?indicator, ?topic)))
} ORDER BY ?docId ?start"""

TASKS_BY_CONCEPT_SPARQL = PREFIXES + """SELECT ?t ?action ?object ?text ?start ?end ?concept ?p ?number ?heading ?docId
WHERE {
  ?concept (skos:broader|mkg:discipline)* ?root .
  ?t a mkg:Task ; mkg:concerns ?concept ; mkg:text ?text ;
     mkg:inProvision ?p ; mkg:start ?start ; mkg:end ?end .
  OPTIONAL { ?t mkg:action ?action }
  OPTIONAL { ?t mkg:object ?object }
""" + _PROVISION + """
} ORDER BY ?docId ?start"""

TASKS_BY_TEXT_SPARQL = PREFIXES + """SELECT ?t ?action ?object ?text ?start ?end ?p ?number ?heading ?docId
WHERE {
  ?t a mkg:Task ; mkg:text ?text ; mkg:inProvision ?p ; mkg:start ?start ; mkg:end ?end .
  OPTIONAL { ?t mkg:action ?action }
  OPTIONAL { ?t mkg:object ?object }
""" + _PROVISION + """
  FILTER(CONTAINS(?text, ?topic))
} ORDER BY ?docId ?start"""

OBLIGATIONS_SPARQL = PREFIXES + _RESPONSIBILITY + _PROVISION + """
  FILTER(CONTAINS(?actorName, ?name))
  FILTER(!BOUND(?modality) || ?modality = "obligation")
} ORDER BY ?docId ?start"""

ROLE_SPARQL = PREFIXES + _RESPONSIBILITY + _PROVISION + """
  FILTER(CONTAINS(?actorName, ?name))
  FILTER(BOUND(?role) && ?role = ?wanted)
} ORDER BY ?docId ?start"""
RESPONSIBILITIES_OF_SPARQL = PREFIXES + _RESPONSIBILITY + _PROVISION + """
  FILTER(CONTAINS(?actorName, ?name))
} ORDER BY ?docId ?start"""
OBLIGATIONS_BY_TYPE_SPARQL = PREFIXES + """SELECT ?r ?actorName ?role ?modality ?action ?text ?start ?end ?p ?number ?heading ?docId
WHERE {
  ?r a mkg:Responsibility ; mkg:actor ?actor ; mkg:actorName ?actorName ; mkg:text ?text ;
     mkg:inProvision ?p ; mkg:start ?start ; mkg:end ?end .
  { ?actor mkg:actorType/(skos:broader*) ?type } UNION { ?actor (skos:broader*) ?type }
  OPTIONAL { ?r mkg:role ?role }
  OPTIONAL { ?r mkg:modality ?modality }
  OPTIONAL { ?r mkg:action ?action }
""" + _PROVISION + """
  FILTER(!BOUND(?modality) || ?modality = "obligation")
} ORDER BY ?docId ?start"""

#: provisions that define a term as the texts do (计量是实现单位统一、保证量值准确可靠的活动): the term
#: followed by 是 / 是指 at the start of a sentence or of the provision
DEFINES_SPARQL = PREFIXES + """SELECT ?p ?number ?heading ?docId ?text ?start WHERE {
  ?p a mkg:Provision ; mkg:text ?text ; mkg:start ?start .
""" + _PROVISION + """
  FILTER(STRSTARTS(?text, ?defines) || CONTAINS(?text, CONCAT("。", ?defines)) || CONTAINS(?text, CONCAT("\\n", ?defines)))
} ORDER BY ?docId ?start"""

#: time limits on duties (二十日内, of laws) and the years tasks and responsibilities are due by (of plans)
#: whose statement names the topic; ``DEADLINES_IN_PROVISION_SPARQL``: whose provision does
_DEADLINES = PREFIXES + """SELECT ?f ?value ?unit ?trigger ?duty ?year ?text ?start ?end ?p ?number ?heading ?docId
WHERE {
  { ?f a mkg:TimeLimit .
    OPTIONAL { ?f mkg:statedValue ?value } OPTIONAL { ?f mkg:statedUnit ?unit }
    OPTIONAL { ?f mkg:trigger ?trigger } OPTIONAL { ?f mkg:duty ?duty } }
  UNION { ?f a mkg:Task ; mkg:deadlineYear ?year }
  UNION { ?f a mkg:Responsibility ; mkg:deadlineYear ?year }
  ?f mkg:text ?text ; mkg:inProvision ?p ; mkg:start ?start ; mkg:end ?end .
  ?p mkg:text ?ptext .
""" + _PROVISION + """
  FILTER(%s)
} ORDER BY ?docId ?start"""
DEADLINES_SPARQL = _DEADLINES % "CONTAINS(?text, ?topic) || (BOUND(?duty) && CONTAINS(?duty, ?topic))"
DEADLINES_IN_PROVISION_SPARQL = _DEADLINES % "CONTAINS(?ptext, ?topic)"

#: the statements of a modality (要求, 禁止, 鼓励) whose text or provision has a word, with their provisions'
#: text, in every document; tasks count as what a plan requires
STATEMENTS_SPARQL = PREFIXES + """SELECT ?f ?kind ?modality ?subject ?text ?ptext ?start ?end ?p ?number ?heading ?docId
WHERE {
  { ?f a mkg:DeonticStatement ; mkg:modality ?modality . OPTIONAL { ?f mkg:dutySubject ?subject }
    BIND("statement" AS ?kind) }
  UNION { ?f a mkg:Task . BIND("obligation" AS ?modality) BIND("task" AS ?kind) }
  ?f mkg:text ?text ; mkg:inProvision ?p ; mkg:start ?start ; mkg:end ?end .
  ?p mkg:text ?ptext .
""" + _PROVISION + """
  FILTER((?wanted = "any" || ?modality = ?wanted) && (CONTAINS(?text, ?word) || CONTAINS(?ptext, ?word)))
} ORDER BY ?docId ?start"""

DOCUMENTS_SPARQL = PREFIXES + """SELECT ?d ?docId ?title ?issuer WHERE {
  ?d a mkg:Document ; mkg:documentId ?docId ; mkg:title ?title .
  OPTIONAL { ?d mkg:issuerName ?issuer }
} ORDER BY ?docId"""
