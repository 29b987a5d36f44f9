"""Extraction: the spaCy pipeline of metrokg's components, the facts it produces, its evaluation."""
