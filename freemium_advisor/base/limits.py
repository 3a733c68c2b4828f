"""Bounds on what the advisor reads and evaluates.

Inventories and rule packs are edited by anyone and shared between teams; these bounds make
a hostile or broken file fail fast with a clear error instead of exhausting time or memory.
Each is far above what a real inventory or rule pack needs.
"""

from __future__ import annotations

# A real catalog of 100,000 features loads: with descriptions, categories, a tier, a usage
# wall (limit), a metering and a few answered signals, a feature takes about 230 bytes and
# 28 values (benchmarks/shapes.py), waivers and longer descriptions more; these bounds give
# each of 100,000 features 640 bytes and 60 values.
MAX_FEATURES = 100_000  # what the bounds below are made for (not itself a bound)
MAX_FILE_BYTES = 64 * 1024 * 1024
# Values (and keys) in one YAML file. Built from parser events (yamlpos) a value costs
# tens of bytes: at most MAX_NODES in any one list or mapping and MAX_FILE_NODES in all.
MAX_NODES = 250_000
MAX_FILE_NODES = 60 * MAX_FEATURES
MAX_IMPORTED_FEATURES = MAX_FEATURES  # features an importer writes (the result must load again)
MAX_DEPTH = 64  # levels of nesting in a YAML document (an inventory needs 5)
MAX_ALIAS_NODES = 10_000  # nodes that YAML aliases may add by repeating an anchored value
MAX_TEXT = 100_000  # characters in one YAML value or key
MAX_INTEGER = 2**63 - 1  # largest whole number a file may hold (either sign)
MAX_EXPRESSION = 2_000  # characters of a rule's condition or message (longest built-in: 170)
MAX_VALUE = 200_000  # characters (or items) a template computes, or a rule's message prints
MAX_EXPONENT = 64  # largest exponent in a template's ``**``
MAX_POWER_BITS = 4_096  # size of a whole number a template's ``*`` or ``**`` may make
MAX_INDENT = 64  # a template's ``tojson(indent=...)``
MAX_RENDER = 64 * 1024 * 1024  # characters a user's report template writes, or prints at once
RENDER_SECONDS = 10  # a user's report template (loops allowed) renders within this
# Steps (loop items, calls, items filters read) a user's report template may take: a base
# that runs in well under 2 s, and more per value of its context (the JSON result).
RENDER_STEPS = 500_000
RENDER_STEPS_PER_VALUE = 20
