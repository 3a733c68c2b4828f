"""Fuzzing the readers of untrusted input: inventories, rule packs, CSV, Pricing2Yaml, the
configuration and the baseline.

``python -m fuzz.run --seconds 60`` (what ``.ci/run`` does after the tests); the seeds are in
``fuzz/corpus/<target>/``. A crash found here becomes a regression test in
``tests/test_hardening_regressions.py``.
"""
