#!/usr/bin/env bash
# Runs the vault benchmark (vaultsync and rsync) at several sizes, over loopback and over a
# WAN-shaped link (a shaping proxy: 50 ms round trip, 20 Mbit/s), and writes docs/benchmarks.md,
# its charts and its CSV. Builds the benchmarks jar first and runs a copy of it, so rebuilding
# while it runs disturbs nothing. Options go to VaultBenchmarkDocs:
#   --sizes 1000,10000,50000  --runs N (default: loopback 5/5/3, WAN 3/3/1)  --wan-runs N
#   --links loopback,wan  --rtt-ms 50  --rate-mbit 20  --seed 1  --out docs/benchmarks.md
#   --work DIR  --no-rsync  --live-edits 20
# The default run takes about 30 minutes on a quiet machine; the estimate is printed first.
# See benchmarks/README.md, "The vault benchmark".
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
case " $* " in *" --no-rsync "*) ;; *) benchmarks/install-peers.sh ;; esac
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  ./mvnw -q -B -pl benchmarks -am package -DskipTests
fi
jar="$(mktemp /tmp/vaultsync-benchmarks-XXXXXX.jar)"
trap 'rm -f "$jar"' EXIT
cp benchmarks/target/benchmarks.jar "$jar"
java -Xmx1g -cp "$jar" io.vaultsync.benchmarks.VaultBenchmarkDocs \
  --command "benchmarks/run-vault-benchmarks.sh${*:+ $*}" "$@"
