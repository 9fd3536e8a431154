#!/usr/bin/env bash
# Issue 14's cluster benchmark, three setups in the same run, all on 127.0.0.1: (a) the embedded
# server (SQLite + disk), (b) 1 server on PostgreSQL + S3 (s3proxy), (c) 3 servers on PostgreSQL +
# S3 behind haproxy. For each: commits per second and feed latency (p50/p99: a commit through
# server 1 to its arrival at a subscriber on server 2). Prints a Markdown table. Options go to the
# driver (io.vaultsync.benchmarks.cluster.ClusterBench --help), e.g.
#   benchmarks/cluster-bench.sh --writers 8 --seconds 20
#   WRITE_DOCS=1 benchmarks/cluster-bench.sh      # also writes the section of docs/benchmarks.md
# Starts a throwaway PostgreSQL (two databases), s3proxy (two buckets) and haproxy, and stops
# them on every way out (Ctrl-C too). Installs postgresql and haproxy (Debian) when missing and
# root. Until `vaultsync server` takes --database/--objects, only (a) runs.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=cluster-lib.sh
source "$root/benchmarks/cluster-lib.sh"
cluster_begin cluster-bench
jar="$CLUSTER_JAR"

args=()
versions=""
if cluster_shared_storage "$jar"; then
  cluster_pg_start bench_one
  cluster_as_pg "$CLUSTER_PG_BIN/psql" -q -h 127.0.0.1 -p "$CLUSTER_PG_PORT" -U postgres -d postgres \
    -c 'CREATE DATABASE bench_three' >/dev/null
  CLUSTER_BUCKET=bench-one cluster_s3_start
  mkdir -p "$CLUSTER_WORK/s3/data/bench-three"   # the second bucket (a folder of the backend)
  grpc=() http=()
  for _ in 1 2 3; do
    grpc+=("$(cluster_free_port)")
    http+=("$(cluster_free_port)")
  done
  lb_grpc="$(cluster_free_port)"
  cluster_haproxy_start "$lb_grpc" "$(cluster_free_port)" "${grpc[*]}" "${http[*]}"
  args=(--database-one "$CLUSTER_PG_URL" --objects-one s3://bench-one
    --database "postgresql://postgres@127.0.0.1:$CLUSTER_PG_PORT/bench_three" --objects s3://bench-three
    --s3-endpoint "$CLUSTER_S3_ENDPOINT"
    --grpc-ports "$(IFS=,; echo "${grpc[*]}")" --http-ports "$(IFS=,; echo "${http[*]}")"
    --lb-grpc "$lb_grpc")
  versions="PostgreSQL $("$CLUSTER_PG_BIN/postgres" --version | awk '{print $3}'), s3proxy $S3PROXY_VERSION (filesystem backend), haproxy $(haproxy -v | awk 'NR==1{print $3}')"
else
  cluster_log "this build's servers cannot share PostgreSQL and S3 yet (no --database, or no providers in $jar): only the embedded setup runs"
fi
if [ "${WRITE_DOCS:-0}" = 1 ]; then
  args+=(--docs "$root/docs/benchmarks.md" --command "WRITE_DOCS=1 benchmarks/cluster-bench.sh $*")
fi
cluster_java_run --enable-native-access=ALL-UNNAMED -cp "$jar" \
  io.vaultsync.benchmarks.cluster.ClusterBench --work "$CLUSTER_WORK" --versions "$versions" \
  "${args[@]}" "$@"
