"""The page's tabs, one module per tab; each ``build(state, ui)`` lays its tab out over AppState's calls."""
