"""Text rendered from templates: the report view, citations, the starter inventory, user templates."""

# Which features a report writes a section for (``report --detail``): declared here, not in
# the report view, so the command line offers the choice without importing the view.
DETAIL_LEVELS = ("changed", "all", "none")
