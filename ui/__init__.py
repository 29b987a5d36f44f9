"""metrokg.ui."""
