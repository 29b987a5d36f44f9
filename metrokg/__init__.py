"""metrokg: a metrology knowledge graph and regulation assistant.

The distribution maps its top-level folders into this namespace:
``metrokg.ontology`` (ontology/), ``metrokg.nlp`` (nlp/), ``metrokg.kg`` (kg/),
``metrokg.ui`` (ui/) and ``metrokg.corpus`` (corpus/).
"""

__version__ = "0.1.0"
