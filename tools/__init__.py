"""Developer tools for tuangou_core (not shipped with the package)."""
