# shellcheck shell=bash disable=SC2034
# Sourced by slurm_up.sh and slurm_down.sh (which use its variables): the state folder's layout
# and the daemon PID records.
#
# The state folder (first argument, else $MFTOOL_SLURM_STATE, else /tmp/mftool-slurm) holds
# slurm.conf, the spool and state folders, every log, the private munge socket, and `pids`: one
# line `NAME PID` per daemon started (munged, slurmctld, slurmd). A PID counts as ours only while
# /proc/PID/exe is that daemon's binary and its command line names this state folder, so a reused
# PID is never signalled.

STATE=${1:-${MFTOOL_SLURM_STATE:-/tmp/mftool-slurm}}
case $STATE in /*) ;; *) STATE=$PWD/$STATE ;; esac
CONF=$STATE/slurm.conf
PIDS=$STATE/pids
MUNGE_DIR=$STATE/munge
MUNGE_SOCKET=$MUNGE_DIR/munge.socket

say() { echo "${0##*/}: $*" >&2; }

# The daemons' binaries, links resolved (Debian installs them through alternatives).
declare -A BINARY=()
for name in munged slurmctld slurmd; do
  BINARY[$name]=$(readlink -f "$(command -v "$name" || echo "/usr/sbin/$name")")
done

# is_ours NAME PID: true when PID is alive, runs NAME's binary and names $STATE on its command line.
is_ours() {
  local name=$1 pid=$2 exe
  exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || return 1
  [ "$exe" = "${BINARY[$name]}" ] || return 1
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
  for exe in /proc/[0-9]*/exe; do
    dir=${exe%/exe}; pid=${dir#/proc/}
    exe=$(readlink "$exe" 2>/dev/null) || continue
    for name in munged slurmctld slurmd; do
      if [ "$exe" = "${BINARY[$name]}" ] && is_ours "$name" "$pid" && ! grep -qx "$name $pid" "$PIDS" 2>/dev/null; then
        echo "$name $pid"
      fi
    done
  done
  return 0
}
