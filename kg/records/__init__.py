"""Plain records derived from the store's named graphs, with their cache, and the basic listings."""
