"""Bounds on what the advisor reads and evaluates.

Inventories and rule packs are edited by anyone and shared between teams; these bounds make
a hostile or broken file fail fast with a clear error instead of exhausting time or memory.
Each is far above what a real inventory or rule pack needs.
"""

from __future__ import annotations

MAX_FILE_BYTES = 16 * 1024 * 1024  # a 5,000-feature inventory is about 0.6 MB
# Values (and keys) in one YAML file. Built from parser events (yamlpos) a value costs
# tens of bytes: at most MAX_NODES in any one list or mapping and MAX_FILE_NODES in all (a
# feature takes about 9, so 100,000 features about 900,000).
MAX_NODES = 250_000
MAX_FILE_NODES = 1_500_000
MAX_IMPORTED_FEATURES = 20_000  # features an importer writes (the result must load again)
MAX_DEPTH = 64  # levels of nesting in a YAML document (an inventory needs 5)
MAX_ALIAS_NODES = 10_000  # nodes that YAML aliases may add by repeating an anchored value
MAX_TEXT = 100_000  # characters in one YAML value or key
MAX_INTEGER = 2**63 - 1  # largest whole number a file may hold (either sign)
MAX_EXPRESSION = 2_000  # characters of a rule's condition or message (longest built-in: 170)
MAX_VALUE = 200_000  # characters (or items) a rule or template computes, or a message prints
MAX_EXPONENT = 64  # largest exponent in a rule's ``**``
MAX_POWER_BITS = 4_096  # size of a whole number a rule's ``**`` may make
RENDER_SECONDS = 10  # a user's report template (loops allowed) renders within this
