#!/usr/bin/env python3
"""The README runs itself: every ```console block of README.md, executed and compared.

Each block is run from a fresh temporary folder with the mftool binary first on the
PATH.  A line ``$ COMMAND`` is one shell command (bash, ``set -o pipefail``); the
lines after it, up to the next ``$`` line, are what it prints on stdout and stderr
together (the summaries go to stderr).  In the expected text ``…`` stands for any
text within a line, and a line that is ``…`` alone for any number of lines
(elided).  A decimal number matches within one unit of its last printed digit or
1e-9 relative (the last bits of a solve differ between instruction sets); integers
match exactly.  Trailing blank lines are not compared.  A command must exit 0.

Usage (from the repository root)::

    swift build --product mftool
    tools/checks/readme_check.py .build/debug/mftool [--readme README.md] [--keep DIR] [-v]

Output: one line per command, ``ok`` or ``FAIL`` with the expected and actual
text, then ``N passed, M failed``.  Exit status 1 when any command failed.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

ELLIPSIS = "…"


def console_blocks(text: str) -> list[list[str]]:
    """The lines of every ```console block, in order."""
    blocks, current = [], None
    for line in text.splitlines():
        if current is None:
            if line.strip() == "```console":
                current = []
        elif line.strip() == "```":
            blocks.append(current)
            current = None
        else:
            current.append(line)
    return blocks


def commands(block: list[str]) -> list[tuple[str, list[str]]]:
    """(command, expected output lines) for each ``$`` line of a block."""
    out: list[tuple[str, list[str]]] = []
    for line in block:
        if line.startswith("$ "):
            out.append((line[2:], []))
        elif out:
            out[-1][1].append(line)
        elif line.strip():
            raise SystemExit(f"README: output before the first command of a console block: {line!r}")
    for _, expected in out:
        while expected and not expected[-1].strip():
            expected.pop()
    return out


DECIMAL = re.compile(r"-?\d+\.\d+(?:[eE][-+]?\d+)?")


def line_pattern(line: str, numbers: list[str]) -> str:
    """A regular expression for one expected line: ``…`` matches any text, and each decimal
    number is captured (and appended to `numbers`) to be compared by `close`."""
    pieces = []
    for part in line.split(ELLIPSIS):
        out, last = "", 0
        for m in DECIMAL.finditer(part):
            out += re.escape(part[last:m.start()]) + r"(-?\d+\.\d+(?:[eE][-+]?\d+)?)"
            numbers.append(m.group())
            last = m.end()
        pieces.append(out + re.escape(part[last:]))
    return ".*?".join(pieces)


def close(expected: str, actual: str) -> bool:
    """Whether a printed decimal matches the README's: within one unit of the README's last
    digit or 1e-9 relative. The last bits of a solve differ between instruction sets (AVX2,
    AVX-512) and BLAS builds; integers (counts, ids) are compared exactly."""
    mantissa, _, exponent = expected.lower().partition("e")
    unit = 10.0 ** (int(exponent or 0) - len(mantissa.split(".")[1]))
    e, a = float(expected), float(actual)
    return abs(a - e) <= max(unit, 1e-9 * abs(e))


def matches(expected: list[str], actual: list[str]) -> bool:
    """Whether the actual lines match the expected ones, ``…`` lines eliding any lines."""
    pattern, numbers = "", []
    for line in expected:
        if line.strip() == ELLIPSIS:
            pattern += r"(?:[^\n]*\n)*?"
        else:
            pattern += line_pattern(line, numbers) + r"\n"
    m = re.fullmatch(pattern, "".join(l + "\n" for l in actual), re.S)
    return m is not None and all(close(e, a) for e, a in zip(numbers, m.groups()))


def self_test() -> None:
    """The comparison on cases with a known answer, so that a broken matcher cannot pass
    every README."""
    cases = [
        (["a 1 (… s)"], ["a 1 (0.25 s)"], True),
        (["a 1 (… s)"], ["a 2 (0.25 s)"], False),
        (["x", "…", "z"], ["x", "y1", "y2", "z"], True),
        (["x", "…", "z"], ["x", "z"], True),
        (["x", "…"], ["x"], True),
        (["x", "…", "z"], ["x", "y"], False),
        ([], ["printed"], False),
        (["a.b"], ["axb"], False),
        (["objective 33065.52152 → u.h5"], ["objective 33065.52153 → u.h5"], True),
        (["objective 33065.52152 → u.h5"], ["objective 33065.52160 → u.h5"], False),
        (["42,1,986,6.035408138116636"], ["42,1,986,6.035408138116634"], True),
        (["42,1,986,6.035408138116636"], ["42,1,987,6.035408138116636"], False),
        (["ndcg 0.021000"], ["ndcg 0.021100"], False),
        (["x 1.5e-05"], ["x 1.6e-05"], True),
        (["x 1.5e-05"], ["x 1.7e-05"], False),
    ]
    for expected, actual, answer in cases:
        if matches(expected, actual) != answer:
            raise SystemExit(f"self-test: matches({expected}, {actual}) should be {answer}")


def main() -> int:
    self_test()
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("mftool", nargs="?", default=".build/debug/mftool")
    parser.add_argument("--readme", default="README.md")
    parser.add_argument("--keep", help="run in this folder (created) and keep it")
    parser.add_argument("-v", action="store_true", help="print every command's output")
    args = parser.parse_args()
    binary = os.path.abspath(args.mftool)
    if not os.access(binary, os.X_OK):
        raise SystemExit(f"{binary}: no mftool binary there (swift build --product mftool)")
    bindir = tempfile.mkdtemp(prefix="mftool-readme-bin-")
    os.symlink(binary, os.path.join(bindir, "mftool"))
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""), LC_ALL="C.UTF-8")
    with open(args.readme, encoding="utf-8") as f:
        blocks = console_blocks(f.read())
    if not blocks:
        raise SystemExit(f"{args.readme}: no console blocks")
    passed = failed = 0
    try:
        for b, block in enumerate(blocks):
            if args.keep:
                folder = os.path.join(args.keep, f"block{b}")
                os.makedirs(folder, exist_ok=True)
            else:
                folder = tempfile.mkdtemp(prefix=f"mftool-readme-{b}-")
            try:
                for command, expected in commands(block):
                    run = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=folder, env=env,
                                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                    actual = run.stdout.rstrip("\n").split("\n") if run.stdout.strip() else []
                    ok = run.returncode == 0 and matches(expected, actual)
                    if ok:
                        passed += 1
                        print(f"ok    $ {command}")
                    else:
                        failed += 1
                        print(f"FAIL  $ {command}  (exit {run.returncode})")
                        print("  expected:\n" + "".join(f"    {l}\n" for l in expected), end="")
                        print("  actual:\n" + "".join(f"    {l}\n" for l in actual), end="")
                    if args.v and ok:
                        print("".join(f"    {l}\n" for l in actual), end="")
            finally:
                if not args.keep:
                    shutil.rmtree(folder, ignore_errors=True)
    finally:
        shutil.rmtree(bindir, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
