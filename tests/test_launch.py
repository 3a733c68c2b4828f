"""The entry point answers --version itself, exactly as the application does."""

from __future__ import annotations

import subprocess
import sys

import pytest

from freemium_advisor import launch
from freemium_advisor.cli.app import PROG


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_without_the_application_is_the_applications(run, flag):
    fast = subprocess.run([sys.executable, "-m", "freemium_advisor", flag],
                          capture_output=True, text=True, check=True)
    assert fast.stdout == run(flag).stdout
    assert fast.stderr == ""


def test_the_program_has_one_name():
    assert launch.PROG == PROG
