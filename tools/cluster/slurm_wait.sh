#!/usr/bin/env bash
# Waits until the given Slurm jobs (single jobs or whole arrays) have left the queue; exits 0
# when every one of them (every task of an array) COMPLETED, else 1 with a line per job naming
# its states. Polls `scontrol show job` every second, `sacct` for a job scontrol has forgotten.
#
#   tools/cluster/slurm_wait.sh JOBID...
set -euo pipefail
[ $# -gt 0 ] || { sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 64; }

# states ID: one line per task of the job, its state ("UNKNOWN" when Slurm knows no such job).
states() {
  local out
  out=$(scontrol show job -o "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2) || true
  [ -n "$out" ] || out=$(sacct -n -X -P -j "$1" -o State 2>/dev/null | cut -d' ' -f1) || true
  echo "${out:-UNKNOWN}"
}

status=0
for id in "$@"; do
  unknown=0
  while :; do
    s=$(states "$id")
    # scontrol can fail for a moment (a busy controller): UNKNOWN counts after 5 tries in a row.
    if [ "$s" = UNKNOWN ] && [ $((unknown += 1)) -lt 5 ]; then sleep 1; continue; fi
    grep -qE '^(PENDING|CONFIGURING|RUNNING|COMPLETING|SUSPENDED|REQUEUED|REQUEUE_HOLD|REQUEUE_FED|RESIZING|SIGNALING|STAGE_OUT)$' \
      <<<"$s" || break
    sleep 1
  done
  if grep -qv '^COMPLETED$' <<<"$s"; then
    echo "slurm_wait.sh: job $id: $(sort <<<"$s" | uniq -c | xargs)" >&2
    status=1
  fi
done
exit $status
