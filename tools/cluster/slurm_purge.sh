#!/usr/bin/env bash
# Purges Slurm and munge from this Debian machine, as root, so that the next
# tools/cluster/slurm_up.sh installs them afresh (the alternatives links, the munge user and key)
# and starts its daemons from a first install: slurm-wlm, munge, the daemons' and clients'
# packages, and the libraries only they needed. Fails, naming them, while Slurm or munge daemons
# of a cluster run (the purge would take their binaries from under them), and when any Slurm or
# munge package, binary or key is left afterwards.
#
#   tools/cluster/slurm_purge.sh
set -euo pipefail
[ "$(id -u)" -eq 0 ] || { echo "slurm_purge.sh: run as root" >&2; exit 64; }

# slurm_packages: the packages of Slurm (slurm-wlm, slurmctld, slurm-client, ...; not `slurm`,
# a network monitor) and munge that dpkg knows, installed or with their configuration left.
slurm_packages() {
  # shellcheck disable=SC2016
  dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' 'slurm*' munge 2>/dev/null \
    | awk '$1 != "un" && $2 ~ /^(slurm-.+|slurm[a-z]*d|munge)$/ {print $2}' || true
}

# purge_slurm: purges what `tools/env/apt.sh slurm-wlm munge` installs, then fails unless no
# Slurm or munge package, binary or key is left.
purge_slurm() {
  local running named closure orphans left=() f
  # Daemons of a cluster (slurm_up.sh's, or one started by hand). Not zombies: the daemons a
  # cluster check stopped linger as such until init reaps them. Not the packages' own systemd
  # services (munge.service, ...): the purge stops those itself.
  running=$(ps -e -o pid=,stat=,comm= \
    | awk '$2 !~ /^Z/ && $3 ~ /^(munged|slurm(ctld|d|stepd|dbd)(-wlm)?)$/ {print $1, $3}' \
    | while read -r pid name; do
        grep -qE '/(munge|slurmctld|slurmd|slurmdbd)\.service$' "/proc/$pid/cgroup" 2>/dev/null \
          || echo "$name[$pid]"
      done | xargs)
  if [ -n "$running" ]; then
    echo "slurm_purge.sh: Slurm or munge daemons are running ($running): stop them" \
      "(tools/cluster/slurm_down.sh STATE_DIR) so that slurm-wlm and munge can be purged" >&2
    return 1
  fi
  local apt=(apt-get -y -qq -o DPkg::Lock::Timeout=300)
  named=$(slurm_packages | xargs)
  if [ -n "$named" ]; then
    # The installed packages they depend on, recursively: what their install pulled in.
    # shellcheck disable=SC2086
    closure=$(apt-cache depends --recurse --installed --no-recommends --no-suggests --no-conflicts \
      --no-breaks --no-replaces --no-enhances $named 2>/dev/null | grep -v '^ ' | sort -u || true)
    echo "slurm_purge.sh: purging $named" >&2
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" purge $named >/dev/null
    # Of those, the libraries nothing else needs now (libmunge2, libhwloc15, ...); anything else
    # apt would autoremove is left alone.
    orphans=$(apt-get -s autoremove 2>/dev/null | awk '$1 == "Remv" {print $2}' \
      | grep -Fx -f <(echo "$closure") | xargs || true)
    if [ -n "$orphans" ]; then
      echo "slurm_purge.sh: purging $orphans" >&2
      # shellcheck disable=SC2086
      DEBIAN_FRONTEND=noninteractive "${apt[@]}" purge $orphans >/dev/null
    fi
  fi
  mapfile -t left < <(slurm_packages)
  for f in /usr/sbin/slurmctld /usr/sbin/slurmd /usr/bin/sinfo /usr/sbin/munged /usr/sbin/mungekey \
    /etc/munge/munge.key; do
    if [ -e "$f" ] || [ -L "$f" ]; then left+=("$f"); fi
  done
  if [ ${#left[@]} -gt 0 ]; then echo "slurm_purge.sh: the purge left ${left[*]}" >&2; return 1; fi
}

purge_slurm
