"""Coverage-guided fuzzing with atheris, for longer campaigns than ``fuzz.run``.

``pip install atheris`` (not a test dependency), then
``python -m fuzz.atheris_run TARGET [libFuzzer options]``, for example
``python -m fuzz.atheris_run inventory -max_total_time=600 fuzz/corpus/inventory``. The
targets are those of :mod:`fuzz.targets`; anything but an ``InputError`` is a crash, which
libFuzzer saves as ``crash-*`` to turn into a regression test.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from freemium_advisor.base.errors import InputError
    from fuzz.targets import TARGETS


def main() -> None:
    target = TARGETS[sys.argv.pop(1)]

    def one_input(data: bytes) -> None:
        try:
            target(data)
        except InputError:
            pass

    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
