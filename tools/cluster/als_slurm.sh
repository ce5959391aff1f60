#!/usr/bin/env bash
# ALS across the tasks of Slurm job arrays: submits the chain that `mftool fit --method als`
# runs in one process, with sbatch --parsable and --dependency=afterok, and writes
# WORK/users.h5 and WORK/items.h5, bitwise equal to fit's user_factors and item_factors.
#
#   tools/cluster/als_slurm.sh --interactions R.h5 --epochs E --work DIR [--k K] [--seed S]
#       [--shards N] [--mftool BIN] [--cpus-per-task C] [--sbatch-arg ARG]...
#       [--wait] [-- OBJECTIVE FLAGS (e.g. --lambda 0.1 --reg count --loss implicit --alpha 5)]
#
# K and S default to fit's (32, 0), N to 2, C to 1, BIN to mftool on PATH; --sbatch-arg passes
# an option to every sbatch (e.g. --sbatch-arg --partition=long). The chain, every job
# depending on the one before (arrays of N tasks for the solves):
#   init     mftool convert R.h5 DIR/R_items.h5 --layout csc   (the item-major copy)
#            mftool fit --method als --epochs 0 --k K --seed S  (the seeded initial items)
#   epoch e  solve users, --shard auto → merge → solve --side items, --shard auto → merge
# Job scripts go to DIR/jobs, their output to DIR/logs, shard parts to DIR/parts; prints the
# job ids. With --wait it blocks until the last job ends and exits 1 when any job failed (the
# later ones are cancelled: --kill-on-invalid-dep; tools/cluster/slurm_wait.sh). Each solve
# runs with --threads C, the CPUs of its task: leave --threads out of the objective flags.
# Under --offset global-mean the item step gets the user step's μ as --mean. Biases
# (--user-bias) are learned only by fit in one process.
# Needs sbatch on PATH, and SLURM_CONF when the cluster's configuration is not the default one
# (tools/cluster/slurm_up.sh prints it).
set -euo pipefail

usage() { sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//'; }
die() { echo "als_slurm.sh: $*" >&2; exit 64; }

mftool=mftool seed=0 shards=2 cpus=1 wait=0 k=32 epochs="" interactions="" work=""
sbatch_args=() objective=()
while [ $# -gt 0 ]; do
  case $1 in
    --mftool) mftool=$2; shift 2 ;;
    --interactions) interactions=$2; shift 2 ;;
    --k) k=$2; shift 2 ;;
    --epochs) epochs=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --shards) shards=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --cpus-per-task) cpus=$2; shift 2 ;;
    --sbatch-arg) sbatch_args+=("$2"); shift 2 ;;
    --wait) wait=1; shift ;;
    -h|--help) usage; exit 0 ;;
    --) shift; objective=("$@"); break ;;
    *) die "unknown option '$1' (objective flags go after --; --help)" ;;
  esac
done
if [ -z "$interactions" ] || [ -z "$epochs" ] || [ -z "$work" ]; then
  die "--interactions, --epochs and --work are required (--help)"
fi
[[ $epochs =~ ^[0-9]+$ ]] || die "--epochs '$epochs' is not a whole number"
[[ $cpus =~ ^[1-9][0-9]*$ ]] || die "--cpus-per-task '$cpus' is not a positive whole number"
[[ $shards =~ ^[1-9][0-9]*$ ]] || die "--shards '$shards' is not a positive whole number"
global_mean=0 mean_given=0
for flag in "${objective[@]}"; do
  case $flag in
    global-mean|--offset=global-mean) global_mean=1 ;;
    --mean|--mean=*) mean_given=1 ;;
    --user-bias|--item-bias) die "$flag: biases are learned only by fit --method als in one process" ;;
    --threads|--threads=*) die "--threads: each solve runs with --threads C (--cpus-per-task C)" ;;
  esac
done
[ -f "$interactions" ] || die "--interactions '$interactions': no such file"
command -v sbatch >/dev/null || die "sbatch is not on PATH"
if [[ $mftool == */* ]]; then mftool=$(realpath "$mftool"); else mftool=$(command -v "$mftool") || die "mftool not found"; fi
[ -x "$mftool" ] || die "--mftool '$mftool' is not executable"
interactions=$(realpath "$interactions")
mkdir -p "$work"
work=$(realpath "$work")
# Outputs of an earlier run must not pass for this one's.
rm -rf "$work/jobs" "$work/logs" "$work/parts"
rm -f "$work"/users*.h5 "$work"/items*.h5 "$work/R_items.h5"
mkdir -p "$work/jobs" "$work/logs" "$work/parts"

# The paths: epoch 0 is the initial fit; the last epoch writes users.h5 and items.h5.
users_of() { if [ "$1" -eq "$epochs" ]; then echo "$work/users.h5"; else echo "$work/users_$1.h5"; fi; }
items_of() { if [ "$1" -eq "$epochs" ]; then echo "$work/items.h5"; else echo "$work/items_$1.h5"; fi; }
# The part files of a sharded output 'PREFIX-{shard}.h5', as mftool names them: the index
# zero-padded to the digits of N-1.
last=$((shards - 1)); width=${#last}
parts_of() { local i; for ((i = 0; i < shards; i++)); do printf '%s-%0*d.h5 ' "$1" "$width" "$i"; done; }

q() { printf '%q ' "$@"; }
ids=()
# submit NAME ARRAY(0|1) COMMAND-LINE: writes DIR/jobs/NAME.sh, submits it after the last job.
submit() {
  local name=$1 array=$2 script=$work/jobs/$1.sh
  printf '#!/bin/bash\nset -euo pipefail\n%s\n' "$3" >"$script"
  local args=(--parsable --job-name="als-$name" --cpus-per-task="$cpus" "${sbatch_args[@]}")
  if [ "$array" = 1 ]; then
    args+=(--array="0-$((shards - 1))" --output="$work/logs/$name-%a.out")
  else
    args+=(--output="$work/logs/$name.out")
  fi
  [ ${#ids[@]} -gt 0 ] && args+=(--dependency="afterok:${ids[-1]}" --kill-on-invalid-dep=yes)
  local id
  id=$(sbatch "${args[@]}" "$script") || { echo "als_slurm.sh: sbatch of $name failed" >&2; exit 1; }
  id=${id%%;*}
  ids+=("$id")
  echo "$name $id"
}

# Under --offset global-mean a shard of the item step cannot see the users' mean: its job reads
# the μ the user step used (the merged users file's global_mean) and passes it as --mean.
item_mean() {
  [ "$global_mean" = 1 ] && [ "$mean_given" = 0 ] || return 0
  # shellcheck disable=SC2016  # the job's shell expands it
  printf '%s' "mean=\$($M inspect $(q "$1")--json | sed -n 's/.*\"global_mean\":\\([^,}]*\\).*/\\1/p'); "
}
# shellcheck disable=SC2016
item_mean_flag() { [ "$global_mean" = 1 ] && [ "$mean_given" = 0 ] && printf '%s' '--mean "$mean" '; return 0; }

M=$(q "$mftool")
O=$(q "${objective[@]}")
[ ${#objective[@]} -eq 0 ] && O=""
submit init 0 "$M convert $(q "$interactions" "$work/R_items.h5") --layout csc
$M fit --method als --epochs 0 --k $(q "$k") --seed $(q "$seed") $O-q \\
  --interactions $(q "$interactions") --out $(q "$(users_of 0)") --items-out $(q "$(items_of 0)")"
for ((e = 1; e <= epochs; e++)); do
  submit "users$e" 1 "$M solve --interactions $(q "$interactions") --items $(q "$(items_of $((e - 1)))") $O\\
  --threads $cpus --shard auto --out $(q "$work/parts/u$e-{shard}.h5")"
  submit "merge-users$e" 0 "$M merge $(parts_of "$work/parts/u$e")--out $(q "$(users_of "$e")")"
  submit "items$e" 1 "$(item_mean "$(users_of "$e")")$M solve --side items --interactions $(q "$work/R_items.h5") --users $(q "$(users_of "$e")") $O\\
  $(item_mean_flag)--threads $cpus --shard auto --out $(q "$work/parts/v$e-{shard}.h5")"
  submit "merge-items$e" 0 "$M merge $(parts_of "$work/parts/v$e")--out $(q "$(items_of "$e")")"
done

[ "$wait" = 1 ] || exit 0

if "$(dirname "$0")/slurm_wait.sh" "${ids[@]}" && [ -f "$(users_of "$epochs")" ] && [ -f "$(items_of "$epochs")" ]; then
  echo "als_slurm.sh: done: $(users_of "$epochs") $(items_of "$epochs")" >&2
  exit 0
fi
echo "als_slurm.sh: the chain failed; the ends of its logs ($work/logs):" >&2
for log in "$work"/logs/*.out; do
  [ -s "$log" ] && tail -n 3 "$log" | sed "s|^|  ${log##*/}: |" >&2
done
exit 1
