#!/usr/bin/env bash
# Side-by-side run of the vaultsync CLI and rdiff (librsync) as whole processes on the same files,
# with the same block size: signature, delta and patch, each timed as a whole process, median of
# RUNS runs after one untimed warm-up run per tool. Prints a Markdown table.
#
# Environment (all optional):
#   SIZE_MIB    size of every basis and target in MiB (default 256; keep >= 256 so JVM start-up
#               is amortised)
#   BLOCK_SIZE  block size for both tools (default 2048)
#   RUNS        timed runs per step and tool (default 3)
#   BENCH_DIR   work folder for the generated files, signatures, deltas and outputs
#               (default /tmp/vaultsync-bench); removed at the end unless KEEP=1
#   KEEP=1      keep BENCH_DIR (the generated inputs are then reused by the next run)
#   KINDS       default "text binary"
#   SCENARIOS   default "identical one-edit sparse prepend scattered unrelated"
#   VAULTSYNC   command that runs the CLI (default: the repository's ./vaultsync launcher)
#
# Exits 0 with a note when rdiff is not installed (Debian package "rdiff"); installs nothing (benchmarks/install-peers.sh does).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
SIZE_MIB="${SIZE_MIB:-256}"
BLOCK_SIZE="${BLOCK_SIZE:-2048}"
RUNS="${RUNS:-3}"
BENCH_DIR="${BENCH_DIR:-/tmp/vaultsync-bench}"
KEEP="${KEEP:-0}"
KINDS="${KINDS:-text binary}"
SCENARIOS="${SCENARIOS:-identical one-edit sparse prepend scattered unrelated}"
read -r -a vaultsync <<<"${VAULTSYNC:-$root/vaultsync}"

if ! command -v rdiff >/dev/null 2>&1; then
  echo "compare-rdiff: rdiff is not installed (Debian package 'rdiff'); nothing to compare against."
  echo "compare-rdiff: install it (e.g. 'apt-get install rdiff') and run again. Skipping."
  exit 0
fi

# ---- work folder: only ever delete what this script created (marked), never BENCH_DIR itself blindly
marker="$BENCH_DIR/.vaultsync-bench"
if [ -e "$BENCH_DIR" ] && [ ! -e "$marker" ] && [ -n "$(ls -A "$BENCH_DIR" 2>/dev/null)" ]; then
  echo "compare-rdiff: $BENCH_DIR exists, is not empty and was not made by this script; choose another BENCH_DIR" >&2
  exit 2
fi
mkdir -p "$BENCH_DIR/data" "$BENCH_DIR/out"
touch "$marker"
cleanup() {
  if [ "$KEEP" != 1 ] && [ -e "$marker" ]; then
    rm -rf "$BENCH_DIR/data" "$BENCH_DIR/out"
    rm -f "$marker"
    rmdir "$BENCH_DIR" 2>/dev/null || true
  fi
}
trap cleanup EXIT
data="$BENCH_DIR/data"
out="$BENCH_DIR/out"

# ---- inputs
bench_jar="$root/benchmarks/target/benchmarks.jar"
stamp="size=$SIZE_MIB block=$BLOCK_SIZE"
if [ "$(cat "$data/.stamp" 2>/dev/null)" != "$stamp" ]; then
  if [ ! -f "$bench_jar" ]; then
    echo "compare-rdiff: building the benchmarks jar..." >&2
    (cd "$root" && ./mvnw -B -q -pl benchmarks -am package -DskipTests >&2)
  fi
  echo "compare-rdiff: generating ${SIZE_MIB} MiB inputs in $data..." >&2
  java -cp "$bench_jar" io.vaultsync.benchmarks.GenerateFiles "$data" "$SIZE_MIB" "$BLOCK_SIZE" >/dev/null
  echo "$stamp" >"$data/.stamp"
fi

# ---- is the vaultsync CLI there? (the launcher builds it on first use)
have_vs=1
if ! "${vaultsync[@]}" signature --help >"$out/vs-help.txt" 2>&1; then
  have_vs=0
  echo "compare-rdiff: '${vaultsync[*]} signature --help' failed; the vaultsync columns stay empty:" >&2
  sed -n 1,5p "$out/vs-help.txt" >&2
fi

# ---- timing helpers
# run_ms CMD...: runs CMD (stdout/stderr to $out/last.err) and prints its wall time and its CPU
# time (user + system, from GNU time when installed; "" otherwise) in ms: "WALL CPU".
have_time=0
[ -x /usr/bin/time ] && have_time=1
run_ms() {
  local t0 t1 cpu=""
  t0=$(date +%s%N)
  if [ "$have_time" = 1 ]; then
    if ! /usr/bin/time -f '%U %S' -o "$out/last.time" "$@" >"$out/last.err" 2>&1; then
      echo "compare-rdiff: failed: $*" >&2
      cat "$out/last.err" >&2
      return 1
    fi
    cpu=$(awk '{printf "%d", ($1 + $2) * 1000}' "$out/last.time")
  elif ! "$@" >"$out/last.err" 2>&1; then
    echo "compare-rdiff: failed: $*" >&2
    cat "$out/last.err" >&2
    return 1
  fi
  t1=$(date +%s%N)
  echo "$(((t1 - t0) / 1000000)) $cpu"
}
median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print ""; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

declare -a VS RD

# The block size goes to the signature step only: delta and patch take it from the signature, as
# in rdiff (whose -b only affects "signature").
# time_step: runs the VS and RD commands (arrays) once untimed, then RUNS times alternating,
# removing their outputs ($vs_out, $rd_out) before each run; sets vs_ms and rd_ms (wall medians)
# and vs_cpu and rd_cpu (CPU medians, user + system).
time_step() {
  local i r vs_times="" rd_times="" vs_cpus="" rd_cpus=""
  rm -f "$vs_out" "$rd_out"
  [ "$have_vs" = 1 ] && run_ms "${VS[@]}" >/dev/null
  rm -f "$rd_out"
  run_ms "${RD[@]}" >/dev/null
  for ((i = 0; i < RUNS; i++)); do
    if [ "$have_vs" = 1 ]; then
      rm -f "$vs_out"
      read -r -a r <<<"$(run_ms "${VS[@]}")"
      vs_times+="${r[0]}"$'\n'
      vs_cpus+="${r[1]:-}"$'\n'
    fi
    rm -f "$rd_out"
    read -r -a r <<<"$(run_ms "${RD[@]}")"
    rd_times+="${r[0]}"$'\n'
    rd_cpus+="${r[1]:-}"$'\n'
  done
  vs_ms=""
  vs_cpu=""
  if [ "$have_vs" = 1 ]; then
    vs_ms=$(printf '%s' "$vs_times" | median)
    vs_cpu=$(printf '%s' "$vs_cpus" | grep . | median || true)
  fi
  rd_ms=$(printf '%s' "$rd_times" | median)
  rd_cpu=$(printf '%s' "$rd_cpus" | grep . | median || true)
}

size_of() { stat -c %s "$1"; }
rows=()
# row STEP SCENARIO INPUT_BYTES VS_BYTES RD_BYTES
row() {
  local step=$1 scen=$2 bytes=$3 vsb=$4 rdb=$5
  rows+=("$(awk -v step="$step" -v scen="$scen" -v b="$bytes" -v vs="$vs_ms" -v rd="$rd_ms" \
    -v vsc="$vs_cpu" -v rdc="$rd_cpu" -v vsb="$vsb" -v rdb="$rdb" 'BEGIN {
      mib = b / 1048576
      vss = (vs == "") ? "n/a" : sprintf("%.2f", vs / 1000)
      vsr = (vs == "") ? "n/a" : sprintf("%.0f", mib / (vs / 1000))
      ratio = (vs == "") ? "n/a" : sprintf("%.2f", rd / vs)
      sr = (vsb == "" || rdb == "" || rdb == 0) ? "" : sprintf("%.3f", vsb / rdb)
      vsc = (vsc == "") ? "n/a" : sprintf("%.2f", vsc / 1000)
      rdc = (rdc == "") ? "n/a" : sprintf("%.2f", rdc / 1000)
      printf "| %s | %s | %.1f | %s | %s | %.2f | %.0f | %s | %s | %s | %s | %s | %s |", step, scen, mib, vss, vsr, rd / 1000, mib / (rd / 1000), ratio, vsc, rdc, vsb, rdb, sr
    }')")
}

echo "compare-rdiff: $SIZE_MIB MiB, block $BLOCK_SIZE, median of $RUNS runs; $(rdiff --version | head -1)" >&2
for kind in $KINDS; do
  basis="$data/$kind-basis"
  vs_sig="$out/vs-$kind.sig"
  rd_sig="$out/rd-$kind.sig"

  echo "compare-rdiff: $kind signature" >&2
  VS=("${vaultsync[@]}" signature --block-size "$BLOCK_SIZE" "$basis" "$vs_sig")
  RD=(rdiff -b "$BLOCK_SIZE" signature "$basis" "$rd_sig")
  vs_out=$vs_sig rd_out=$rd_sig time_step
  vs_sig_bytes=""
  [ "$have_vs" = 1 ] && vs_sig_bytes=$(size_of "$vs_sig")
  row signature "$kind" "$(size_of "$basis")" "$vs_sig_bytes" "$(size_of "$rd_sig")"

  for scen in $SCENARIOS; do
    target="$data/$kind-$scen"
    vs_delta="$out/vs-$kind-$scen.delta"
    rd_delta="$out/rd-$kind-$scen.delta"
    echo "compare-rdiff: $kind $scen delta" >&2
    VS=("${vaultsync[@]}" delta "$vs_sig" "$target" "$vs_delta")
    RD=(rdiff delta "$rd_sig" "$target" "$rd_delta")
    vs_out=$vs_delta rd_out=$rd_delta time_step
    vs_delta_bytes=""
    [ "$have_vs" = 1 ] && vs_delta_bytes=$(size_of "$vs_delta")
    row delta "$kind $scen" "$(size_of "$target")" "$vs_delta_bytes" "$(size_of "$rd_delta")"

    echo "compare-rdiff: $kind $scen patch" >&2
    vs_new="$out/vs-$kind-$scen.new"
    rd_new="$out/rd-$kind-$scen.new"
    VS=("${vaultsync[@]}" patch "$basis" "$vs_delta" "$vs_new")
    RD=(rdiff patch "$basis" "$rd_delta" "$rd_new")
    vs_out=$vs_new rd_out=$rd_new time_step
    if [ "$have_vs" = 1 ]; then
      cmp "$vs_new" "$target" || { echo "compare-rdiff: vaultsync patch output differs from $target" >&2; exit 1; }
    fi
    cmp "$rd_new" "$target" || { echo "compare-rdiff: rdiff patch output differs from $target" >&2; exit 1; }
    rm -f "$vs_new" "$rd_new"
    row patch "$kind $scen" "$(size_of "$target")" "" ""
  done
done

echo
echo "vaultsync vs $(rdiff --version | head -1), ${SIZE_MIB} MiB inputs, block ${BLOCK_SIZE}, wall time of whole processes, median of ${RUNS} runs after one warm-up run each."
[ "$have_vs" = 1 ] || echo "The vaultsync CLI was not available ('${vaultsync[*]} signature --help' failed): its columns are n/a."
echo "ratio = rdiff s / vaultsync s (> 1: vaultsync faster). CPU = user + system time (median). Bytes: signature file for 'signature', delta file for 'delta'; size ratio = vaultsync / rdiff."
echo
echo "| step | scenario | size MiB | vaultsync s | vaultsync MiB/s | rdiff s | rdiff MiB/s | ratio | vaultsync CPU s | rdiff CPU s | vaultsync bytes | rdiff bytes | size ratio |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
