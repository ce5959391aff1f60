# shellcheck shell=bash disable=SC2034
# Sourced by slurm_up.sh and slurm_down.sh (which use its variables): the state folder's layout
# and the daemon PID records.
#
# The state folder (first argument, else $MFTOOL_SLURM_STATE, else /tmp/mftool-slurm) holds
# slurm.conf, the spool and state folders, every log, the private munge socket, and `pids`: one
# line `NAME PID` per daemon started (munged, slurmctld, slurmd). A PID counts as ours only while
# /proc/PID/exe is that daemon's binary and its command line names this state folder, so a reused
# PID is never signalled. The binaries are looked up at each check, as slurm_up.sh may install
# them after sourcing this file.

STATE=${1:-${MFTOOL_SLURM_STATE:-/tmp/mftool-slurm}}
case $STATE in /*) ;; *) STATE=$PWD/$STATE ;; esac
CONF=$STATE/slurm.conf
PIDS=$STATE/pids
MUNGE_DIR=$STATE/munge
MUNGE_SOCKET=$MUNGE_DIR/munge.socket

say() { echo "${0##*/}: $*" >&2; }

# binary NAME: the daemon's binary, links resolved (Debian installs slurmctld and slurmd as
# alternatives links to slurmctld-wlm and slurmd-wlm). Resolved at every check, never when this
# file is sourced: slurm_up.sh installs the packages after sourcing it, and a path resolved
# before the install is not the one the daemons run.
binary() { readlink -f "$(command -v "$1" || echo "/usr/sbin/$1")"; }

# exe_of PID: the binary PID runs, as /proc/PID/exe names it. A binary replaced on disk since
# the daemon started (the packages reinstalled) reads "PATH (deleted)": PATH is still its binary.
exe_of() {
  local exe
  exe=$(readlink "/proc/$1/exe" 2>/dev/null) || return 1
  echo "${exe% (deleted)}"
}

# is_ours NAME PID: true when PID is alive, runs NAME's binary and names $STATE on its command line.
is_ours() {
  local name=$1 pid=$2 exe
  exe=$(exe_of "$pid") || return 1
  [ "$exe" = "$(binary "$name")" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$STATE/"
}

# gone PID: true once PID has closed its files: no such process, or a zombie (its parent, often
# init in a container, may never reap it). /proc/PID/exe vanishes before the sockets close, so
# is_ours alone is not enough before starting a daemon on the same socket or port.
gone() {
  [ -d "/proc/$1" ] || return 0
  ! readlink "/proc/$1/exe" >/dev/null 2>&1 && [ -z "$(ls -A "/proc/$1/fd" 2>/dev/null)" ]
}

# recorded_pids: the `NAME PID` lines of $PIDS whose process is still ours.
recorded_pids() {
  [ -f "$PIDS" ] || return 0
  local name pid
  while read -r name pid; do
    [ -n "${pid:-}" ] && is_ours "$name" "$pid" && echo "$name $pid"
  done <"$PIDS"
  return 0
}

# strays: daemons of this state folder that $PIDS does not name (a run whose record was lost):
# found by their binary and by $STATE on their command line, one `NAME PID` line each.
strays() {
  local exe name dir pid
  local -A bin=()
  for name in munged slurmctld slurmd; do bin[$name]=$(binary "$name"); done
  for dir in /proc/[0-9]*; do
    pid=${dir#/proc/}
    exe=$(exe_of "$pid") || continue
    for name in munged slurmctld slurmd; do
      if [ "$exe" = "${bin[$name]}" ] && is_ours "$name" "$pid" && ! grep -qx "$name $pid" "$PIDS" 2>/dev/null; then
        echo "$name $pid"
      fi
    done
  done
  return 0
}
