#!/usr/bin/env bash
# Issue 4's live-sync figures. Builds the benchmarks jar if it is missing, then runs one of:
#   benchmarks/live-sync.sh latency  [WatchLatencyBenchmark options]   edit in A -> same bytes in B
#   benchmarks/live-sync.sh watchers [IdleWatchersBenchmark options]   1,000 idle watchers on one server
# Options: --help on either. Everything runs on 127.0.0.1 in temporary folders that are removed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/benchmarks/target/benchmarks.jar"
[ -f "$jar" ] || (cd "$root" && ./mvnw -q -B -pl benchmarks -am package -DskipTests >&2)
what="${1:-}"
shift || true
case "$what" in
  latency) main=io.vaultsync.benchmarks.WatchLatencyBenchmark ;;
  watchers)
    main=io.vaultsync.benchmarks.IdleWatchersBenchmark
    # One socket per watcher in this JVM and one in the server: keep well clear of the fd limit.
    if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 8192 ]; then
      ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
      echo "live-sync: file descriptor limit $(ulimit -n)" >&2
    fi
    ;;
  *) echo "usage: $0 latency|watchers [options] (--help for the options)" >&2; exit 2 ;;
esac
exec java --enable-native-access=ALL-UNNAMED -cp "$jar" "$main" "$@"
