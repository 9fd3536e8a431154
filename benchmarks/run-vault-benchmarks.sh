#!/usr/bin/env bash
# Runs the vault benchmark (vaultsync and rsync) at several sizes and writes docs/benchmarks.md,
# its charts and its CSV. Builds the benchmarks jar first and runs a copy of it, so rebuilding
# while it runs disturbs nothing. Options go to VaultBenchmarkDocs:
#   --sizes 1000,10000,50000  --runs 5  --seed 1  --out docs/benchmarks.md  --work DIR  --no-rsync
#   --live-edits 20
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
