"""Documentation generators for the jaxact site (kept apart from the library)."""
