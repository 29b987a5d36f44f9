"""metrokg.nlp."""
