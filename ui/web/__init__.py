"""The web page of ``metrokg serve``: tabs, labels in two languages, HTML rendering."""
