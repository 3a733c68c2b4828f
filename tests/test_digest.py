"""The tool's SHA-256 is the standard one, whichever module gives it."""

from __future__ import annotations

import hashlib
import subprocess
import sys

from freemium_advisor.base.digest import sha256_hex


def test_the_digest_is_sha256():
    for data in (b"", b"abc", "café\0rule".encode(), bytes(range(256)) * 9):
        assert sha256_hex(data) == hashlib.sha256(data).hexdigest()
    assert sha256_hex(b"abc").startswith("ba7816bf8f01cfea")  # FIPS 180-2's example


def test_an_analysis_does_not_load_openssl_for_its_hashes():
    code = ("import sys; sys.argv = ['freemium-advisor', 'analyze', 'examples/whiteboard.yaml', "
            "'-f', 'json', '-o', '/dev/null']\n"
            "from freemium_advisor.launch import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('_hashlib' in sys.modules)")
    from pathlib import Path
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parent.parent, check=True)
    assert done.stdout.strip().splitlines()[-1] == "False"
