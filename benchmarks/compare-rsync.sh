#!/usr/bin/env bash
# Issue 3's figures, side by side with rsync: a generated vault of NOTES notes (default 10,000),
# synced through a vaultsync server and through an rsync daemon, both on 127.0.0.1.
#   first upload (wall time; vaultsync makes every file durable, rsync fsyncs nothing)
#   one-line edit in one note, no-op sync, 50 renamed notes (bytes on the wire, both directions)
# Prints a Markdown table. Needs rsync for the rsync column (Debian package 'rsync'); installs nothing (benchmarks/install-peers.sh does).
#
# Environment: NOTES (10000), SEED (1), RUNS (3 first uploads per tool), BENCH_DIR (/tmp/vaultsync-vault-bench, removed unless KEEP=1),
# VAULTSYNC (command running the CLI; default the repository's ./vaultsync).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
NOTES="${NOTES:-10000}"
SEED="${SEED:-1}"
BENCH_DIR="${BENCH_DIR:-/tmp/vaultsync-vault-bench}"
KEEP="${KEEP:-0}"
read -r -a vs <<<"${VAULTSYNC:-$root/vaultsync}"

marker="$BENCH_DIR/.vaultsync-vault-bench"
if [ -e "$BENCH_DIR" ] && [ ! -e "$marker" ] && [ -n "$(ls -A "$BENCH_DIR" 2>/dev/null)" ]; then
  echo "compare-rsync: $BENCH_DIR exists and was not made by this script; choose another BENCH_DIR" >&2
  exit 2
fi
mkdir -p "$BENCH_DIR"
touch "$marker"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "$KEEP" != 1 ]; then rm -rf "$BENCH_DIR"; fi
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
wait_port() { for _ in $(seq 1 200); do (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done; echo "port $1 never opened" >&2; return 1; }

bench_jar="$root/benchmarks/target/benchmarks.jar"
[ -f "$bench_jar" ] || (cd "$root" && ./mvnw -q -B -pl benchmarks -am package -DskipTests >&2)
gen() { rm -rf "$1"; java -cp "$bench_jar" io.vaultsync.benchmarks.GenerateVault "$1" "$NOTES" "$SEED" >&2; }
# The same edits for both tools: one line appended to the 5th line of one note; 50 notes renamed.
edit_one() { local f; f=$(cd "$1" && find . -name '*.md' | LC_ALL=C sort | sed -n "$((NOTES / 2))p"); sed -i '5s/$/ edited/' "$1/$f"; }
rename_50() {
  local files f
  mapfile -t files < <(cd "$1" && find . -name '*.md' | LC_ALL=C sort)
  for f in "${files[@]:0:50}"; do mv "$1/$f" "$1/${f%.md} renamed.md"; done
}

# Both tools get the same conditions: one generated vault, copied for each run before any timing;
# receiving folders are always new (nothing is deleted between runs: on these machines creating
# many files right after deleting many is several times slower); the first uploads alternate
# between the tools, RUNS times each, and the median is reported.
RUNS="${RUNS:-3}"
gen "$BENCH_DIR/src"
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

data="$BENCH_DIR/server"; mkdir -p "$data"
token=$("${vs[@]}" server token create --data "$data" --name bench | tail -1)
port=$(free_port)
"${vs[@]}" server --data "$data" --listen "127.0.0.1:$port" >"$BENCH_DIR/server.log" 2>&1 &
pids+=($!)
wait_port "$port"
url="http://127.0.0.1:$port"

have_rsync=0
if command -v rsync >/dev/null 2>&1; then
  have_rsync=1
  rport=$(free_port)
  cat >"$BENCH_DIR/rsyncd.conf" <<CONF
use chroot = false
uid = $(id -u)
gid = $(id -g)
[vault]
path = $BENCH_DIR/rdest
read only = false
CONF
  mkdir -p "$BENCH_DIR/rdest"
  rsync --daemon --no-detach --config="$BENCH_DIR/rsyncd.conf" --address=127.0.0.1 --port="$rport" &
  pids+=($!)
  wait_port "$rport"
fi
rs() { rsync -a --delete --stats "$1/" "rsync://127.0.0.1:$rport/vault/" | awk -F: '/Total bytes (sent|received)/ {gsub(/[ ,]/,"",$2); s+=$2} END {print s}'; }

vs_times=(); rs_times=()
for run in $(seq 1 "$RUNS"); do
  cp -r "$BENCH_DIR/src" "$BENCH_DIR/a$run"
  [ "$have_rsync" = 1 ] && cp -r "$BENCH_DIR/src" "$BENCH_DIR/r$run"
  if [ "$have_rsync" = 1 ]; then
    [ "$run" -gt 1 ] && mv "$BENCH_DIR/rdest" "$BENCH_DIR/rdest-old$run" && mkdir "$BENCH_DIR/rdest"
    t0=$(now_ms); rs "$BENCH_DIR/r$run" >/dev/null; rs_times+=($(( $(now_ms) - t0 )))
  fi
  t0=$(now_ms); "${vs[@]}" init "$BENCH_DIR/a$run" --server "$url" --vault "bench$run" --token "$token" >/dev/null; vs_times+=($(( $(now_ms) - t0 )))
done
vs_upload=$(median "${vs_times[@]}")
rs_upload="n/a"; [ "$have_rsync" = 1 ] && rs_upload=$(median "${rs_times[@]}")

# Bytes: vaultsync between two clones of vault bench1; rsync from r$RUNS (what rdest now holds).
"${vs[@]}" clone "$url" bench1 "$BENCH_DIR/b" --token "$token" >/dev/null
json() { "${vs[@]}" sync "$1" --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["bytesSent"]+d["bytesReceived"])'; }
edit_one "$BENCH_DIR/a1"
vs_edit=$(( $(json "$BENCH_DIR/a1") + $(json "$BENCH_DIR/b") ))
vs_noop=$(json "$BENCH_DIR/a1")
rename_50 "$BENCH_DIR/a1"
vs_rename=$(( $(json "$BENCH_DIR/a1") + $(json "$BENCH_DIR/b") ))

rs_edit="n/a"; rs_noop="n/a"; rs_rename="n/a"
if [ "$have_rsync" = 1 ]; then
  r="$BENCH_DIR/r$RUNS"
  edit_one "$r"; rs_edit=$(rs "$r")
  rs_noop=$(rs "$r")
  rename_50 "$r"; rs_rename=$(rs "$r")
fi

echo
echo "vaultsync vs rsync (daemon on 127.0.0.1, -a --delete), $NOTES generated notes (seed $SEED), $(date -u +%Y-%m-%d)."
echo "Bytes: on the wire, both directions; vaultsync counts gRPC message bytes (sync --json), rsync its --stats totals."
echo
echo "| scenario | vaultsync | rsync | ratio vaultsync/rsync |"
echo "|---|---:|---:|---:|"
ratio() { python3 -c "import sys; a,b=sys.argv[1:]; print('n/a' if b=='n/a' else '%.3f' % (float(a)/float(b)))" "$1" "$2"; }
echo "| first upload (ms, median of $RUNS, alternating) | $vs_upload | $rs_upload | $(ratio "$vs_upload" "$rs_upload") |"
echo "| one-line edit, bytes | $vs_edit | $rs_edit | $(ratio "$vs_edit" "$rs_edit") |"
echo "| no-op sync, bytes | $vs_noop | $rs_noop | $(ratio "$vs_noop" "$rs_noop") |"
echo "| 50 renames, bytes | $vs_rename | $rs_rename | $(ratio "$vs_rename" "$rs_rename") |"
