"""metrokg.kg."""
