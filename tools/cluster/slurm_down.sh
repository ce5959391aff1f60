#!/usr/bin/env bash
# Stops the single-node Slurm cluster that slurm_up.sh started: cancels its jobs, then sends
# SIGTERM to exactly the daemons recorded in STATE/pids (slurmd, slurmctld, munged, in that order)
# and waits for each to exit (SIGKILL after 15 s). A PID no longer running that daemon with this
# state folder on its command line is skipped, so a reused PID is never signalled. Safe to run
# twice or when nothing is up.
#
#   tools/cluster/slurm_down.sh [STATE_DIR]     (default $MFTOOL_SLURM_STATE or /tmp/mftool-slurm)
set -euo pipefail
# shellcheck source=tools/cluster/slurm_common.sh
. "$(dirname "$0")/slurm_common.sh"

live=$(recorded_pids)
if echo "$live" | grep -q '^slurmctld ' && [ -f "$CONF" ]; then
  jobs=$(SLURM_CONF=$CONF timeout 10 squeue -h -o %A 2>/dev/null || true)
  if [ -n "$jobs" ]; then
    # shellcheck disable=SC2086
    SLURM_CONF=$CONF timeout 10 scancel $jobs 2>/dev/null || true
    for _ in $(seq 20); do
      [ -z "$(SLURM_CONF=$CONF timeout 5 squeue -h -o %A 2>/dev/null || true)" ] && break
      sleep 0.5
    done
  fi
fi

# all_gone PID...: true when every PID is gone.
all_gone() { local p; for p; do gone "$p" || return 1; done; }

# stop NAME PID: SIGTERM, then waits for the daemon and the children it had (slurmctld's
# slurmscriptd) to close their files; SIGKILL after 15 s.
stop() {
  local name=$1 pid=$2 family
  is_ours "$name" "$pid" || return 0
  family="$pid $(ps -o pid= --ppid "$pid" | xargs)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 150); do
    # shellcheck disable=SC2086
    all_gone $family && { say "stopped $name ($pid)"; return 0; }
    sleep 0.1
  done
  say "$name ($pid) ignored SIGTERM for 15 s; SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for _ in $(seq 50); do
    # shellcheck disable=SC2086
    all_gone $family && return 0
    sleep 0.1
  done
  say "$name ($pid) still running"
  return 1
}

status=0
for name in slurmd slurmctld munged; do
  while read -r n pid; do
    [ "$n" = "$name" ] && { stop "$n" "$pid" || status=1; }
  done <<<"$live"
done
[ $status -eq 0 ] && rm -f "$PIDS"
exit $status
