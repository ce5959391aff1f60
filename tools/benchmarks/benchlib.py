"""Shared helpers of the benchmark scripts (tools/benchmarks/*.py and tools/bench).

Standard library only, so that tools/bench can import it before the virtual environment exists.

- `run_measured(cmd)`: run a child process; wall time, peak RSS (GNU time's %M: that child's
  alone; see the function for why not os.wait4's), CPU time, stdout/stderr.
- `InProcessPeak`: peak RSS of this process over a block (resets the kernel's VmHWM through
  /proc/self/clear_refs; falls back to the process-lifetime peak where that is not possible).
- `OtherCPU` / `cpu_busy` / `wait_idle`: how much CPU other processes took while we measured.
- `schedule(names, reps)`: the alternating order of the runs (A B, B A, A B, ...).
- `median`, `row`, `write_json`, `common_args`: the common result convention: every bench script
  accepts --quick, --mftool PATH, --reps N, --json OUT and writes {"rows": [...], ...} where each
  row is {work, mftool_s, peer, peer_s, ratio, gflops, mftool_peak_mib, peer_peak_mib, timing,
  note}; ratio = peer_s / mftool_s (> 1: mftool is faster).
- `machine(mftool)`: a description of the machine and the binaries measured.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOOLS = os.path.dirname(HERE)
ROOT = os.path.dirname(TOOLS)
CACHE = os.path.join(TOOLS, ".cache")
SCRATCH = os.path.join(ROOT, ".build-bench")
DEFAULT_MFTOOL = os.path.join(SCRATCH, "release", "mftool")
BUILD_HINT = f"cd {ROOT} && swift build -c release --product mftool --scratch-path .build-bench"

MiB = 2 ** 20


# ---------------------------------------------------------------------------------------------
# Child processes

class Measured:
    """The outcome of one measured child process."""

    def __init__(self, wall, peak_rss, cpu, returncode, stdout, stderr):
        self.wall = wall                  # seconds, wall clock, fork to reap
        self.peak_rss = peak_rss          # bytes, the child's own high-water mark
        self.cpu = cpu                    # seconds, user + system of the child
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr

    def __iter__(self):                   # wall, rss, stdout, stderr (the old helpers' tuple)
        return iter((self.wall, self.peak_rss, self.stdout, self.stderr))


def gnu_time() -> str | None:
    """/usr/bin/time (Debian's `time`) when installed, else None.

    Looked up at each call, not at import: tools/bench imports this module before its setup step
    installs `time`.
    """
    return "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def run_measured(cmd, env=None, check=True, cwd=None) -> Measured:
    """Runs `cmd`; wall time (fork to reap), peak RSS and CPU time of that child alone.

    The peak comes from GNU time (/usr/bin/time -f %M), which forks the command from its own
    ~1 MiB process. os.wait4's ru_maxrss of a child started straight from this (Python, possibly
    large) process is not the child's own peak: Linux carries the hiwater RSS of the address space
    the child had before exec (this process's, shared or copied by vfork/fork) into the child's
    maxrss, so a 10 MiB command run from a 700 MiB Python process reports >= 700 MiB. Without GNU
    time the wait4 figure is used and `rss_source` says "wait4 (includes the parent's RSS)".
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile(prefix="bench_rss_", suffix=".txt") as rssf:
        gtime = gnu_time()
        full = [gtime, "-f", "%M", "-o", rssf.name, "--"] + list(cmd) if gtime else list(cmd)
        t0 = time.perf_counter()
        proc = subprocess.Popen(full, stdout=out, stderr=err, env=env, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        so, se = out.read().decode(errors="replace"), err.read().decode(errors="replace")
        peak, source = usage.ru_maxrss * 1024, "wait4 (includes the parent's RSS)"     # KiB on Linux
        if gtime:
            try:
                peak, source = int(open(rssf.name).read().split()[-1]) * 1024, "GNU time %M"
            except (OSError, ValueError, IndexError):
                pass
    if check and proc.returncode != 0:
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(map(str, cmd))}\n{so[-2000:]}\n{se[-4000:]}")
    m = Measured(wall, peak, usage.ru_utime + usage.ru_stime, proc.returncode, so, se)
    m.rss_source = source
    return m


def last_json(text: str) -> dict:
    """The last line of `text` that parses as a JSON object."""
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                return json.loads(line)
            except ValueError:
                continue
    raise SystemExit(f"no JSON object line in: {text[-500:]!r}")


class InProcessPeak:
    """Peak RSS of this process while the block runs.

    Writing 5 to /proc/self/clear_refs resets the kernel's VmHWM to the current RSS (Linux >= 4.0),
    so VmHWM read at the end is the block's peak, including whatever this process already held
    (its loaded arrays). `exact` is False when the reset failed and the figure is the process's
    lifetime peak.
    """

    def __enter__(self):
        try:
            with open("/proc/self/clear_refs", "w") as f:
                f.write("5")
            self.exact = True
        except OSError:
            self.exact = False
        return self

    def __exit__(self, *exc):
        self.peak = self.read()

    @staticmethod
    def read() -> int:
        try:
            with open("/proc/self/status") as f:
                m = re.search(r"VmHWM:\s+(\d+)\s+kB", f.read())
            if m:
                return int(m.group(1)) * 1024
        except OSError:
            pass
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


# ---------------------------------------------------------------------------------------------
# Other load on the machine

def _busy_seconds() -> float:
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return (sum(v[:8]) - v[3] - (v[4] if len(v) > 4 else 0)) / os.sysconf("SC_CLK_TCK")   # minus idle, iowait


def _own_seconds() -> float:
    a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


class OtherCPU:
    """CPU time that processes other than this one and its reaped children used meanwhile.

    Busy time of the whole machine (/proc/stat) minus this process's and its reaped children's
    CPU time, as a share of all cores over the wall time: a few % is noise, tens of % mean another
    job competed for the cores and the figures of that stretch are slow. Usable as a context
    manager (`.fraction` after the block) or by calling `.share()` at any time.
    """

    def __init__(self):
        self.start = self._snapshot()

    @staticmethod
    def _snapshot():
        try:
            busy = _busy_seconds()
        except OSError:
            busy = 0.0
        return busy, _own_seconds(), time.perf_counter()

    def share(self) -> float:
        busy, own, wall = self._snapshot()
        other = (busy - self.start[0]) - (own - self.start[1])
        return max(0.0, other) / max(1e-9, (wall - self.start[2]) * (os.cpu_count() or 1))

    def __enter__(self):
        self.start = self._snapshot()
        return self

    def __exit__(self, *exc):
        self.fraction = self.share()


def cpu_busy(interval: float = 1.0) -> float:
    """Fraction of all cores busy over `interval` seconds (0 where /proc/stat is missing)."""
    try:
        with open("/proc/stat") as f:
            v0 = [int(x) for x in f.readline().split()[1:]]
        time.sleep(interval)
        with open("/proc/stat") as f:
            v1 = [int(x) for x in f.readline().split()[1:]]
    except OSError:
        return 0.0
    idle = lambda v: v[3] + (v[4] if len(v) > 4 else 0)
    return 1 - (idle(v1) - idle(v0)) / max(sum(v1) - sum(v0), 1)


def wait_idle(limit: float, threshold: float = 0.1) -> float:
    """Waits up to `limit` seconds until other processes use < threshold of the CPUs; returns the
    last busy share seen (printing a note when it waited or gave up)."""
    if limit <= 0:
        return 0.0
    t0 = time.perf_counter()
    busy = cpu_busy()
    while busy > threshold and time.perf_counter() - t0 < limit:
        busy = cpu_busy(2.0)
    if busy > threshold:
        print(f"(still {busy:.0%} busy after waiting {limit:.0f} s: timings below are inflated)", flush=True)
    elif time.perf_counter() - t0 > 1.5:
        print(f"(waited {time.perf_counter() - t0:.0f} s for the machine to be idle)", flush=True)
    return busy


# ---------------------------------------------------------------------------------------------
# Alternation and summaries

def schedule(names, reps):
    """(rep, name) pairs in alternating order: names, reversed(names), names, ... so that each case
    runs both before and after the others (A B | B A | A B for two)."""
    names = list(names)
    for rep in range(reps):
        for name in (names if rep % 2 == 0 else names[::-1]):
            yield rep, name


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def row(work, mftool_s, peer=None, peer_s=None, *, gflops=None, mftool_peak=None, peer_peak=None,
        timing="process", note="", **extra):
    """One result row of the common convention (peaks in bytes in, MiB out; ratio = peer / mftool)."""
    r = dict(work=work, mftool_s=mftool_s, peer=peer, peer_s=peer_s,
             ratio=(peer_s / mftool_s) if (peer_s and mftool_s) else None, gflops=gflops,
             mftool_peak_mib=(mftool_peak / MiB) if mftool_peak else None,
             peer_peak_mib=(peer_peak / MiB) if peer_peak else None, timing=timing, note=note)
    r.update(extra)
    return r


def write_json(path, rows, **details):
    """Writes {"rows": rows, "machine"?: ..., **details} to `path` (atomically)."""
    if not path:
        return
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(dict(rows=rows, **details), f, indent=1, default=str)
    os.replace(tmp, path)


def common_args(ap: argparse.ArgumentParser, reps=3, quick_help="smaller shapes, for a run of a few seconds",
                mftool_required=False):
    """The options every bench script shares."""
    ap.add_argument("--quick", action="store_true", help=quick_help)
    ap.add_argument("--reps", type=int, default=reps, help=f"repetitions of each timed case (median; default {reps})")
    if mftool_required:
        ap.add_argument("--mftool", required=True, help="mftool binary (a release build)")
    else:
        ap.add_argument("--mftool", default=DEFAULT_MFTOOL, help="mftool binary (default .build-bench/release/mftool)")
    ap.add_argument("--json", help="also write the figures (and the common result rows) to this JSON file")
    return ap


def require_mftool(path: str) -> str:
    path = os.path.abspath(path)
    if not os.access(path, os.X_OK):
        raise SystemExit(f"{path} missing: {BUILD_HINT}")
    return path


def ensure_canonical(mftool: str, data: str, reconvert=False) -> str:
    """data/ratings.h5 from data/ratings.csv by `mftool convert`, unless it is newer than the CSV."""
    csv, h5 = os.path.join(data, "ratings.csv"), os.path.join(data, "ratings.h5")
    if reconvert or not os.path.exists(h5) or os.path.getmtime(h5) < os.path.getmtime(csv):
        m = run_measured([mftool, "convert", csv, h5, "--quiet"])
        print(f"converted {csv} -> {h5} in {m.wall:.2f} s", flush=True)
    return h5


def fmt_s(x):
    """Seconds in a readable unit."""
    if x is None:
        return "—"
    if x < 1e-3:
        return f"{x * 1e6:.0f} µs"
    if x < 1:
        return f"{x * 1e3:.3g} ms" if x < 0.1 else f"{x * 1e3:.0f} ms"
    return f"{x:.2f} s" if x < 100 else f"{x:.0f} s"


# ---------------------------------------------------------------------------------------------
# Machine description

def _read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""


def _cmd(cmd, env=None):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60)
        return (p.stdout or p.stderr).strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def cpu_model() -> str:
    m = re.search(r"^model name\s*:\s*(.+)$", _read("/proc/cpuinfo"), re.M)
    if m:
        return m.group(1).strip()
    out = _cmd(["lscpu"])
    m = re.search(r"^Model name:\s*(.+)$", out, re.M)
    return m.group(1).strip() if m else platform.processor() or "?"


def cpu_flags() -> list:
    m = re.search(r"^flags\s*:\s*(.+)$", _read("/proc/cpuinfo"), re.M)
    flags = set(m.group(1).split()) if m else set()
    return [f for f in ("avx2", "fma", "avx512f", "avx512_bf16", "amx_tile") if f in flags]


def openblas_of(binary: str, env=None):
    """The OpenBLAS that `binary` links (via ldd): (path, version, kernel set picked under env)."""
    lines = _cmd(["ldd", binary]).splitlines()
    lib = next((x.split("=>")[1].split("(")[0].strip() for x in lines if "libopenblas" in x and "=>" in x), None)
    if not lib:
        return None, "?", "?"
    probe = ("import ctypes,sys; l=ctypes.CDLL(sys.argv[1]); "
             "l.openblas_get_corename.restype=l.openblas_get_config.restype=ctypes.c_char_p; "
             "print(l.openblas_get_config().decode().split()[1], l.openblas_get_corename().decode())")
    out = _cmd([sys.executable, "-c", probe, lib], env=env).split()
    return (lib, out[0], out[1]) if len(out) == 2 else (lib, "?", "?")


def git_describe() -> str:
    head = _cmd(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"])
    dirty = _cmd(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no", "--", "Sources", "Package.swift"])
    return head + (" + uncommitted changes under Sources/ or Package.swift" if dirty else "")


def machine(mftool=None, env=None) -> dict:
    """What the figures were measured on: CPU, cores, memory, OS, OpenBLAS, Swift, mftool."""
    mem = re.search(r"MemTotal:\s+(\d+) kB", _read("/proc/meminfo"))
    osr = re.search(r'^PRETTY_NAME="?([^"\n]+)"?', _read("/etc/os-release"), re.M)
    d = dict(
        cpu=cpu_model(), cpu_flags=cpu_flags(), cores=os.cpu_count(),
        cores_usable=len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        memory_gib=round(int(mem.group(1)) / 2 ** 20, 1) if mem else None,
        os=osr.group(1) if osr else platform.platform(), kernel=platform.release(),
        python=platform.python_version(),
        swift=(_cmd(["swift", "--version"]).splitlines() or ["?"])[0],
        openblas_coretype_env=(env or os.environ).get("OPENBLAS_CORETYPE"),
        git=git_describe(),
    )
    if mftool and os.access(mftool, os.X_OK):
        lib, version, core = openblas_of(mftool, env)
        d.update(mftool=mftool, mftool_version=_cmd([mftool, "--version"]),
                 mftool_openblas=dict(library=lib, version=version, core=core))
    return d


def machine_line(d: dict) -> str:
    ob = d.get("mftool_openblas") or {}
    return (f"{d['cpu']} ({', '.join(d['cpu_flags']) or 'no AVX flags'}), {d['cores']} cores, "
            f"{d['memory_gib']} GiB, {d['os']} (Linux {d['kernel']}); {d['swift']}; "
            f"mftool {d.get('mftool_version', '?')} at git {d['git']}; mftool's OpenBLAS {ob.get('version', '?')} "
            f"with {ob.get('core', '?')} kernels"
            + (f" (OPENBLAS_CORETYPE={d['openblas_coretype_env']})" if d.get("openblas_coretype_env") else ""))
