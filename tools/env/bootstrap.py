"""Runs a tools/ Python script under tools/.venv's Python, creating the venv when needed.

A script under tools/ starts with

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "env"))
    from bootstrap import use_venv  # noqa: E402
    use_venv("io")                   # or "bench", "torch": the requirement sets it imports

before its third-party imports. Run by any other Python, `use_venv` brings tools/.venv up to date
for those sets (tools/env/venv.sh: pip runs only when a requirements file changed) and replaces
the process with tools/.venv/bin/python running the same script and arguments. Run by the venv's
Python already, it returns at once. Standard library only.
"""
from __future__ import annotations

import os
import subprocess
import sys

ENV = os.path.dirname(os.path.abspath(__file__))
TOOLS = os.path.dirname(ENV)
VENV = os.path.join(TOOLS, ".venv")
VENV_PYTHON = os.path.join(VENV, "bin", "python")
_GUARD = "MFTOOL_TOOLS_VENV"


def in_venv() -> bool:
    return os.path.realpath(sys.prefix) == os.path.realpath(VENV)


def use_venv(*sets: str) -> None:
    """Re-executes the running script under tools/.venv's Python with `sets` installed."""
    if in_venv():
        os.environ.pop(_GUARD, None)    # children of this script bootstrap on their own
        return
    if os.environ.get(_GUARD):
        raise SystemExit(f"bootstrap: {VENV_PYTHON} does not run inside {VENV} (sys.prefix {sys.prefix})")
    subprocess.run(["bash", os.path.join(ENV, "venv.sh"), *sets], stdout=subprocess.DEVNULL, check=True)
    os.environ[_GUARD] = "1"
    script = os.path.abspath(sys.argv[0])
    os.execv(VENV_PYTHON, [VENV_PYTHON, script, *sys.argv[1:]])
