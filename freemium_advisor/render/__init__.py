"""Text rendered from templates: the report view, citations, the starter inventory, user templates."""
