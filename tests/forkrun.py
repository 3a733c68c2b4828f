"""Run ``freemium-advisor`` many times, each run a process of its own, at little start-up cost.

    python -m tests.forkrun COMMANDS.json | cat

Reads a JSON list of argument lists. This process imports the program once, and compiles
its built-in rules and checks; each run is a child forked from it, whose standard output and
error are pipes and whose standard input is this process's. The child's streams are the ones
Python set up when this process started (``PYTHONIOENCODING`` and the rest of the environment
apply as to a fresh ``python -m freemium_advisor``), and it exits as that process would,
flushing its streams at exit. Start this process with stdout and stderr on pipes too: Python
set its streams up for what they were then. Prints one JSON line per run: the arguments, the
exit status, and stdout and stderr as Latin-1 text (one character per byte).

Tests that start the program once per case in a matrix (every command, every encoding) use it:
a fresh interpreter would import Typer, rich and the engine and compile the rules for each run.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import pkgutil
import selectors
import sys

import freemium_advisor
from freemium_advisor import launch

# Every module of the program, imported once before the forks (the commands import most of
# theirs when they run): a child then starts its command at once.
for module in pkgutil.walk_packages(freemium_advisor.__path__, "freemium_advisor."):
    if module.name != "freemium_advisor.__main__":
        importlib.import_module(module.name)
# And the built-in rules and checks, compiled once: a child reads their files again and finds
# them compiled (the memo is keyed by the files' text), as a second command in one process does.
importlib.import_module("freemium_advisor.reading.rulepacks").load_ruleset()
importlib.import_module("freemium_advisor.reading.checkcatalog").load_checks()
# What is here now lives as long as this process: out of the collector's sight, a child's
# collections do not touch (and so copy) every page it shares with this process.
gc.freeze()


def run(args: list[str]) -> tuple[int, bytes, bytes]:
    """Run the program with ``args`` in a forked child; its status, stdout and stderr."""
    out_read, out_write = os.pipe()
    err_read, err_write = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        os.dup2(out_write, 1)
        os.dup2(err_write, 2)
        for fd in (out_read, out_write, err_read, err_write):
            os.close(fd)
        sys.argv = ["freemium-advisor", *args]
        launch.main()  # a SystemExit ends this child as it ends the program
        sys.exit(0)
    os.close(out_write)
    os.close(err_write)
    captured = {out_read: bytearray(), err_read: bytearray()}
    with selectors.DefaultSelector() as selector:
        for fd in captured:
            selector.register(fd, selectors.EVENT_READ)
        while selector.get_map():
            for key, _ in selector.select():
                chunk = os.read(key.fd, 65536)
                if chunk:
                    captured[key.fd] += chunk
                else:
                    selector.unregister(key.fd)
                    os.close(key.fd)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), bytes(captured[out_read]), bytes(captured[err_read])


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as file:
        commands = json.load(file)
    for args in commands:
        code, stdout, stderr = run(args)
        print(json.dumps({"args": args, "returncode": code, "stdout": stdout.decode("latin-1"),
                          "stderr": stderr.decode("latin-1")}), flush=True)


if __name__ == "__main__":
    main()
