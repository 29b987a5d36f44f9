"""Word lists the components share: actor names and their levels."""
