#!/usr/bin/env bash
# Issue 12's kill -9 loops: the server killed mid-upload, a client killed mid-sync and mid-clone,
# 20 rounds each by default, real processes on 127.0.0.1; every round restarts what was killed,
# reruns, and checks that nothing acknowledged was lost and that every replica equals the head.
#   benchmarks/kill-loop.sh [KillLoop options]     e.g. --rounds 30 --scenario server-mid-upload
# Builds the benchmarks jar if it is missing. Work folder (replicas, server data, one log per
# process): $KILL_LOOP_WORK, or a temporary one that is removed when every rule held. Exit code 0
# only if no round broke a rule (each violation is printed).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/benchmarks/target/benchmarks.jar"
[ -f "$jar" ] || (cd "$root" && ./mvnw -q -B -pl benchmarks -am package -DskipTests >&2)
work="${KILL_LOOP_WORK:-}"
temporary=0
if [ -z "$work" ]; then
  work="$(mktemp -d -t vaultsync-kill-loop.XXXXXX)"
  temporary=1
fi
if java -cp "$jar" io.vaultsync.benchmarks.crash.KillLoop --work "$work" "$@"; then
  [ "$temporary" = 1 ] && rm -rf "$work"
  exit 0
fi
echo "kill-loop: a rule was broken; the replicas and logs are in $work" >&2
exit 1
