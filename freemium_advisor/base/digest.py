"""SHA-256, the one hash the tool uses (rule-set and finding fingerprints).

``hashlib`` loads OpenSSL when it is imported, which costs a command that hashes a few
hundred short texts more than the hashing does; CPython's own SHA-256 module gives the same
digests without it. That module is ``_sha256`` up to Python 3.11 and ``_sha2`` from 3.12; a
Python built without it has ``hashlib``'s.
"""

from __future__ import annotations

try:
    from _sha2 import sha256  # Python 3.12 and later
except ImportError:
    try:
        from _sha256 import sha256  # Python 3.11 and earlier
    except ImportError:  # pragma: no cover - a Python built without its own hashes
        from hashlib import sha256


def sha256_hex(data: bytes) -> str:
    """The SHA-256 digest of ``data`` in hexadecimal."""
    return sha256(data).hexdigest()
