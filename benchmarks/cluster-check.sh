#!/usr/bin/env bash
# Issue 14's cluster check: starts a throwaway PostgreSQL, s3proxy (S3-compatible), haproxy and 3
# vaultsync servers sharing them, all on 127.0.0.1; runs 6 devices through haproxy (init, clones,
# syncs and 2 live watches, with moves, deletes and conflicts), kills -9 a random server during
# uploads in 6 rounds (restarting it), and then checks: every acknowledged change is in the ledger,
# ledger seqs are gap-free (read from PostgreSQL), every object the ledger references comes back
# from the store, every replica's Merkle root equals the head, and each server's live subscriber
# saw each seq once and in order. Its last line is one JSON object:
#   {"servers":3,"clients":6,"kills":K,"acked":N,"acked_lost":0,"seq_gaps":0,"missing_objects":0,
#    "converged":true,"duplicate_or_missed_feed":0,"seconds":S}
# Exit 0 only if every count is clean. Stops by itself (a few minutes) and stops everything it
# started on every way out (Ctrl-C too). Installs postgresql and haproxy (Debian) when missing and
# root. Options go to the driver (io.vaultsync.benchmarks.cluster.ClusterCheck --help), e.g.
#   benchmarks/cluster-check.sh --rounds 10 --kills 8 --seed 7
# KEEP=1 keeps the work folder (logs of every process, data); a failed run keeps it anyway.
# Until `vaultsync server` takes --database/--objects, it checks the one embedded server behind
# haproxy instead (and says so).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=cluster-lib.sh
source "$root/benchmarks/cluster-lib.sh"
cluster_begin cluster-check
jar="$CLUSTER_JAR"

servers=3
if ! cluster_shared_storage "$jar"; then
  cluster_log "this build's servers cannot share PostgreSQL and S3 yet (no --database, or no providers in $jar): checking 1 embedded server"
  servers=1
fi
grpc=() http=()
for _ in $(seq 1 "$servers"); do
  grpc+=("$(cluster_free_port)")
  http+=("$(cluster_free_port)")
done
lb_grpc="$(cluster_free_port)"
lb_http="$(cluster_free_port)"
cluster_haproxy_start "$lb_grpc" "$lb_http" "${grpc[*]}" "${http[*]}"

backend=()
if [ "$servers" -gt 1 ]; then
  cluster_pg_start vaultsync
  cluster_s3_start
  backend=(--database "$CLUSTER_PG_URL" --objects "s3://$CLUSTER_BUCKET"
    --s3-endpoint "$CLUSTER_S3_ENDPOINT")
fi
if cluster_server_takes "$jar" --trusted-proxy; then
  backend+=(--trusted-proxy 127.0.0.1)
fi

grpc_csv="$(IFS=,; echo "${grpc[*]}")"
http_csv="$(IFS=,; echo "${http[*]}")"
cluster_java_run --enable-native-access=ALL-UNNAMED -cp "$jar" \
  io.vaultsync.benchmarks.cluster.ClusterCheck --work "$CLUSTER_WORK" \
  --grpc-ports "$grpc_csv" --http-ports "$http_csv" --lb-grpc "$lb_grpc" \
  "${backend[@]}" "$@"
