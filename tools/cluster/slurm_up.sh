#!/usr/bin/env bash
# Brings up a single-node Slurm cluster on this Debian machine, as root, from Debian's packages
# (slurm-wlm, munge; installed when missing): munged as the munge user on a private socket,
# slurmctld and slurmd in the foreground of their own sessions, all configured by one slurm.conf
# in the state folder (SlurmUser=root, proctrack/linuxproc, task/none, select/cons_tres, one node
# named by `hostname -s` with 2 CPUs, partition `debug`). Waits until `sinfo` shows the node idle,
# records every daemon's PID in STATE/pids (tools/cluster/slurm_down.sh stops exactly those),
# and prints `export SLURM_CONF=STATE/slurm.conf` on stdout for sbatch, squeue and scontrol.
#
#   eval "$(tools/cluster/slurm_up.sh [STATE_DIR])"   (default $MFTOOL_SLURM_STATE or /tmp/mftool-slurm)
#
# Idempotent: a cluster of this state folder that is up and idle is reused; daemons of a
# previous attempt (recorded or not) are stopped and the state folder is rewritten. Environment:
# MFTOOL_SLURM_CPUS (default min(2, nproc)), MFTOOL_SLURM_PORT (slurmctld's port, slurmd's is
# the next one; default 6817).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tools/cluster/slurm_common.sh
. "$here/slurm_common.sh"
[ "$(id -u)" -eq 0 ] || { say "run as root (the daemons and SlurmUser are root)"; exit 64; }

node=$(hostname -s)
ncpu=$(nproc)
cpus=${MFTOOL_SLURM_CPUS:-$(( ncpu < 2 ? ncpu : 2 ))}
port=${MFTOOL_SLURM_PORT:-6817}
export SLURM_CONF=$CONF

node_state() { timeout 10 sinfo -h -N -n "$node" -o %T 2>/dev/null | head -1; }

# Reuse a cluster of this state folder when all three daemons are ours and the node is idle.
if [ "$(recorded_pids | wc -l)" -eq 3 ] && [ "$(node_state)" = idle ]; then
  say "already up ($STATE)"
  echo "export SLURM_CONF=$CONF"
  exit 0
fi
mkdir -p "$STATE"
strays >>"$PIDS"
[ -s "$PIDS" ] && "$here/slurm_down.sh" "$STATE"
rm -f "$PIDS"

"$(dirname "$here")/env/apt.sh" slurm-wlm munge

# The munge key every daemon and client shares; the package's postinst usually writes it.
if [ ! -s /etc/munge/munge.key ]; then
  say "creating /etc/munge/munge.key"
  mungekey --create --keyfile=/etc/munge/munge.key
  chown munge:munge /etc/munge/munge.key
  chmod 0400 /etc/munge/munge.key
fi

# A fresh state folder: slurmctld starts clean (-c), no job of an earlier run survives.
rm -rf "$STATE/ctld" "$STATE/spool" "$MUNGE_DIR"
rm -f "$STATE"/*.log "$STATE"/*.out "$STATE"/*.pid
mkdir -p "$STATE/ctld" "$STATE/spool" "$MUNGE_DIR"
chmod 0755 "$STATE"
chown munge:munge "$MUNGE_DIR"
chmod 0711 "$MUNGE_DIR"     # munged wants its socket folder searchable by all

setpriv --reuid=munge --regid=munge --init-groups test -w "$MUNGE_DIR" \
  || { say "the munge user cannot reach $MUNGE_DIR: make the state folder's parents searchable (chmod o+x)"; exit 1; }

cat >"$CONF" <<CONF
# Written by tools/cluster/slurm_up.sh: one node, everything as root, no cgroups.
ClusterName=mftool
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$MUNGE_SOCKET
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
# Start a job whose dependency is met at once (chains of short jobs: ~1 s per link, not ~3 s).
SchedulerParameters=batch_sched_delay=0,sched_min_interval=100000
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SlurmdParameters=config_overrides
ReturnToService=2
StateSaveLocation=$STATE/ctld
SlurmdSpoolDir=$STATE/spool
SlurmctldPidFile=$STATE/slurmctld.pid
SlurmdPidFile=$STATE/slurmd.pid
SlurmctldLogFile=$STATE/slurmctld.log
SlurmdLogFile=$STATE/slurmd.log
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
KillWait=5
Waittime=0
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF

# start NAME COMMAND...: runs a daemon in the foreground of its own session, records its PID.
start() {
  local name=$1; shift
  setsid "$@" </dev/null >"$STATE/$name.out" 2>&1 &
  local pid=$!
  echo "$name $pid" >>"$PIDS"
  for _ in $(seq 50); do    # until setsid (and setpriv) have exec'd the daemon
    is_ours "$name" "$pid" && return 0
    gone "$pid" && break
    sleep 0.1
  done
  say "$name did not start; $STATE/$name.out:"
  cat "$STATE/$name.out" >&2
  "$here/slurm_down.sh" "$STATE" || true
  exit 1
}

# wait_for WHAT SECONDS COMMAND...: polls COMMAND until it succeeds.
wait_for() {
  local what=$1 seconds=$2; shift 2
  local tries=$((seconds * 5))
  for _ in $(seq "$tries"); do
    [ "$(recorded_pids | wc -l)" -eq "$(wc -l <"$PIDS")" ] || { what="$what (a daemon exited)"; break; }
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  say "$what: not ready within $seconds s; logs in $STATE:"
  local log
  for log in "$STATE"/*.out "$STATE"/*.log "$MUNGE_DIR"/munged.log; do
    [ -f "$log" ] && tail -n 15 "$log" >&2
  done
  "$here/slurm_down.sh" "$STATE" || true
  exit 1
}

munge_works() { munge -n -S "$MUNGE_SOCKET" | unmunge -S "$MUNGE_SOCKET"; }
ctld_up() { timeout 5 scontrol ping | grep -q UP; }
node_idle() { [ "$(node_state)" = idle ]; }

start munged setpriv --reuid=munge --regid=munge --init-groups \
  munged --foreground --socket="$MUNGE_SOCKET" --pid-file="$MUNGE_DIR/munged.pid" \
  --log-file="$MUNGE_DIR/munged.log" --seed-file="$MUNGE_DIR/munged.seed"
wait_for munged 10 munge_works
start slurmctld slurmctld -D -c -f "$CONF"
wait_for slurmctld 30 ctld_up
start slurmd slurmd -D -f "$CONF"
wait_for "node $node idle" 60 node_idle

say "up: node $node idle, $cpus CPUs, daemons $(tr '\n' ' ' <"$PIDS")($STATE)"
echo "export SLURM_CONF=$CONF"
