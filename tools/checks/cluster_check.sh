#!/usr/bin/env bash
# Sharded commands through a real Slurm cluster equal the single-process ones, bitwise:
#   (a) a 4-task array of `solve --shard auto` (tools/cluster/solve_array.sbatch) + `merge`
#       against one `solve`: every dataset and attribute (tools/checks/same_h5.py);
#   (b) a 4-task array of `eval --shard auto` + `merge --json` against one `eval --json`;
#   (c) a 4-task array of `recommend --shard auto` + `merge` to CSV against one `recommend`;
#   (d) two ALS epochs through tools/cluster/als_slurm.sh (4 shards) against
#       `fit --method als --epochs 2`: user_factors and item_factors, for the observed loss
#       (count regularization, global-mean offset) and the implicit one.
# Brings a single-node cluster up in a scratch folder (tools/cluster/slurm_up.sh, as root,
# slurmctld on port $MFTOOL_SLURM_PORT, default 6837) and down on any exit; the data is
# `mftool generate --preset ml100k-shape` split 80/20. Prints one line per mismatch and exits 1
# when any; KEEP=1 keeps the scratch folder.
#
#   tools/checks/cluster_check.sh MFTOOL_BIN
set -euo pipefail
if [ $# -ne 1 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
  sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
  exit 64
fi
[ -x "$1" ] || { echo "cluster_check.sh: '$1' is not an executable mftool" >&2; exit 64; }
mftool=$(realpath "$1")
tools=$(cd "$(dirname "$0")/.." && pwd)
cluster=$tools/cluster
work=$(mktemp -d /tmp/mftool-cluster-check.XXXXXX)
chmod 0755 "$work"    # munged, run as the munge user, needs to reach its socket folder inside
state=$work/slurm
data=$work/data
export MFTOOL=$mftool MFTOOL_SLURM_PORT=${MFTOOL_SLURM_PORT:-6837}

child=""
cleanup() {
  [ -z "$child" ] || kill -TERM -- "-$child" 2>/dev/null || true   # an interrupted check's process group
  "$cluster/slurm_down.sh" "$state" || echo "cluster_check.sh: slurm_down.sh failed ($state)" >&2
  if [ -n "${KEEP:-}" ]; then echo "cluster_check.sh: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

up=$("$cluster/slurm_up.sh" "$state")
eval "$up"
mkdir -p "$data"
"$mftool" generate --preset ml100k-shape --seed 7 --out "$data/ml.h5" --items-out "$data/items.h5" -q
"$mftool" split --interactions "$data/ml.h5" --train "$data/train.h5" --test "$data/test.h5" --seed 1 2>/dev/null
same() { "$tools/checks/same_h5.py" "$@"; }
SOLVE=(--lambda 1 --reg count --user-bias --offset global-mean)

# (a) solve: array of 4 + merge against one process.
check_solve() {
  local out=$work/solve
  mkdir -p "$out"
  "$mftool" solve --interactions "$data/train.h5" --items "$data/items.h5" "${SOLVE[@]}" --out "$out/single.h5" 2>/dev/null
  local jid mid
  jid=$(sbatch --parsable --array=0-3 --output="$out/solve-%a.out" \
    "$cluster/solve_array.sbatch" "$data/train.h5" "$data/items.h5" "$out" "${SOLVE[@]}")
  mid=$(sbatch --parsable --dependency="afterok:$jid" --kill-on-invalid-dep=yes --output="$out/merge.out" \
    --wrap "$(printf '%q ' "$mftool" merge "$out"/u-{0..3}.h5 --out "$out/users.h5")")
  "$cluster/slurm_wait.sh" "$jid" "$mid" || { tail -n 3 "$out"/*.out >&2; return 1; }
  "$tools/checks/same_h5.py" "$out/single.h5" "$out/users.h5"
}

# (b) eval: array of 4 + merge --json against one process's --json.
check_eval() {
  local out=$work/eval users=$work/solve/single.h5
  mkdir -p "$out"
  local E=(eval --users "$users" --items "$data/items.h5" --test "$data/test.h5" --train "$data/train.h5" --k 10)
  "$mftool" "${E[@]}" --json >"$out/single.json"
  local jid mid
  jid=$(sbatch --parsable --array=0-3 --output="$out/eval-%a.out" \
    --wrap "$(printf '%q ' "$mftool" "${E[@]}" --shard auto --out "$out/eval-{shard}.json")")
  mid=$(sbatch --parsable --dependency="afterok:$jid" --kill-on-invalid-dep=yes --output="$out/merged.json" \
    --error="$out/merge.err" --wrap "$(printf '%q ' "$mftool" merge "$out"/eval-{0..3}.json --json)")
  "$cluster/slurm_wait.sh" "$jid" "$mid" || { tail -n 3 "$out"/*.out "$out/merge.err" >&2 2>/dev/null; return 1; }
  python3 - "$out/single.json" "$out/merged.json" <<'PY'
import json, sys
def load(path):   # the metrics, timings left out
    drop = lambda d: {k: drop(v) if isinstance(v, dict) else v for k, v in d.items() if "seconds" not in k and k != "timings"}
    return drop(json.load(open(path)))
a, b = load(sys.argv[1]), load(sys.argv[2])
if a != b:
    for key in sorted(set(a) | set(b)):
        if a.get(key) != b.get(key):
            print(f"eval {key}: single {a.get(key)!r}, merged {b.get(key)!r}")
    sys.exit(1)
PY
}

# (c) recommend: array of 4 + merge to CSV against one process's CSV, byte for byte.
check_recommend() {
  local out=$work/recommend users=$work/solve/single.h5
  mkdir -p "$out"
  local R=(recommend --users "$users" --items "$data/items.h5" --train "$data/train.h5" --k 10)
  "$mftool" "${R[@]}" --out "$out/single.csv" 2>/dev/null
  local jid mid
  jid=$(sbatch --parsable --array=0-3 --output="$out/recs-%a.out" \
    --wrap "$(printf '%q ' "$mftool" "${R[@]}" --shard auto --out "$out/recs-{shard}.h5")")
  mid=$(sbatch --parsable --dependency="afterok:$jid" --kill-on-invalid-dep=yes --output="$out/merge.out" \
    --wrap "$(printf '%q ' "$mftool" merge "$out"/recs-{0..3}.h5 --out "$out/merged.csv")")
  "$cluster/slurm_wait.sh" "$jid" "$mid" || { tail -n 3 "$out"/*.out >&2; return 1; }
  cmp "$out/single.csv" "$out/merged.csv"
}

# (d) two ALS epochs through Slurm against fit, on train.h5: als_against_fit NAME OBJECTIVE-FLAGS...
als_against_fit() {
  local out=$work/$1
  shift
  "$mftool" fit --method als --epochs 2 --k 8 --seed 3 "$@" --interactions "$data/train.h5" \
    --out "$out-fit-users.h5" --items-out "$out-fit-items.h5" -q
  "$cluster/als_slurm.sh" --mftool "$mftool" --interactions "$data/train.h5" --k 8 --epochs 2 --seed 3 \
    --shards 4 --work "$out" --wait -- "$@" >/dev/null
  local status=0
  same "$out-fit-users.h5" "$out/users.h5" user_factors || status=1
  same "$out-fit-items.h5" "$out/items.h5" item_factors || status=1
  return $status
}
check_als() { als_against_fit als --lambda 0.1 --reg count --offset global-mean; }
check_als_implicit() { als_against_fit als_implicit --loss implicit --alpha 5 --lambda 0.1; }

# Each check in its own shell, so `set -e` holds inside it and one failure does not stop the others;
# and in its own process group (set -m), so an interrupt stops all of it.
set -m
failed=()
for check in check_solve check_eval check_recommend check_als check_als_implicit; do
  start=$SECONDS
  ( set -e; "$check" ) &
  child=$!
  if wait "$child"; then
    echo "cluster_check.sh: $check: equal ($((SECONDS - start)) s)" >&2
  else
    echo "cluster_check.sh: FAIL $check: the sharded result differs or a step failed (above)" >&2
    failed+=("$check")
  fi
  child=""
done
[ ${#failed[@]} -eq 0 ] || { echo "cluster_check.sh: ${#failed[@]} of 5 checks failed: ${failed[*]}" >&2; exit 1; }
echo "cluster_check.sh: all 5 equal" >&2
