# shellcheck shell=bash
# Starting and stopping what a local vaultsync cluster needs, on 127.0.0.1 only: a throwaway
# PostgreSQL 15, s3proxy (an S3-compatible server) and haproxy. Sourced by cluster-check.sh and
# cluster-bench.sh; the vaultsync servers themselves are started by the Java driver (which kills
# and restarts them). Everything started here is stopped by cluster_cleanup, which cluster_begin
# traps on EXIT, INT and TERM:
#   source "$root/benchmarks/cluster-lib.sh"; cluster_begin NAME
# Set KEEP=1 to keep the work folder (logs, data) after the run.

CLUSTER_ROOT="${CLUSTER_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
CLUSTER_WORK=""        # the run's work folder (logs, s3proxy's files, the servers' data)
CLUSTER_PG_DIR=""      # PostgreSQL's folder, owned by the user PostgreSQL runs as
CLUSTER_PG_BIN=""
CLUSTER_PG_PORT=""
CLUSTER_PG_USER=""     # the system user PostgreSQL runs as ("" = this one)
CLUSTER_S3_PORT=""
CLUSTER_PIDS=()        # processes started here, stopped in reverse order
CLUSTER_DRIVER_PID=""  # the Java driver, stopped first (so that it restarts nothing meanwhile)
CLUSTER_PID_DIR=""     # where the Java driver writes the pids of the servers it starts

S3PROXY_VERSION=2.6.0
CLUSTER_BUCKET=vaultsync-cluster
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-vaultsync}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-vaultsync-local-secret}"
export AWS_REGION="${AWS_REGION:-us-east-1}"

cluster_log() { echo "cluster: $*" >&2; }

# cluster_begin NAME: what every cluster script does first: the cleanup traps (EXIT, Ctrl-C,
# TERM), the benchmarks jar in CLUSTER_JAR (built if missing), postgresql and haproxy installed,
# and the work folder.
cluster_begin() {
  trap cluster_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  CLUSTER_JAR="$CLUSTER_ROOT/benchmarks/target/benchmarks.jar"
  [ -f "$CLUSTER_JAR" ] || (cd "$CLUSTER_ROOT" && ./mvnw -q -B -pl benchmarks -am package -DskipTests >&2)
  cluster_need_packages
  cluster_work "$1"
}

# cluster_work NAME: creates the work folder (mktemp) and the pid folder.
cluster_work() {
  CLUSTER_WORK="$(mktemp -d -t "vaultsync-$1.XXXXXX")"
  CLUSTER_PID_DIR="$CLUSTER_WORK/pids"
  mkdir -p "$CLUSTER_PID_DIR" "$CLUSTER_WORK/logs"
}

# cluster_need_packages: installs Debian's postgresql and haproxy when missing (as root with
# apt-get, like install-peers.sh); else says what is missing and fails.
cluster_need_packages() {
  local missing=()
  cluster_pg_bindir >/dev/null 2>&1 || missing+=(postgresql)
  command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    cluster_log "installing ${missing[*]} (Debian packages)"
    if ! { apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 ||
      { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q "${missing[@]}" >/dev/null 2>&1; }; }; then
      cluster_log "could not install ${missing[*]}; install them (apt-get install ${missing[*]})"
      return 1
    fi
    # the package starts its own services; this run needs only the programs
    if command -v service >/dev/null 2>&1; then
      service haproxy stop >/dev/null 2>&1 || true
      service postgresql stop >/dev/null 2>&1 || true
    fi
  else
    cluster_log "missing ${missing[*]}; install them (Debian: apt-get install ${missing[*]})"
    return 1
  fi
}

# cluster_pg_bindir: prints the folder of initdb and pg_ctl (Debian keeps them off the PATH).
cluster_pg_bindir() {
  local d
  if command -v pg_config >/dev/null 2>&1; then
    d="$(pg_config --bindir)"
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  return 1
}

# cluster_free_port: prints a TCP port nothing listens on at 127.0.0.1, below the kernel's range
# of ephemeral ports, so that no outgoing connection takes it before the process that is to
# listen there (a restarted server listens on its port again).
cluster_free_port() {
  local p low
  low="$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)"
  [ "$low" -gt 12000 ] || low=32768
  for _ in $(seq 1 200); do
    p=$((10000 + RANDOM % (low - 11000)))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  cluster_log "no free port found"
  return 1
}

# cluster_await_port PORT SECONDS PID: waits until 127.0.0.1:PORT accepts connections; fails if
# the process PID ends first or the time passes.
cluster_await_port() {
  local port="$1" seconds="$2" pid="$3" end=$((SECONDS + $2))
  while [ "$SECONDS" -lt "$end" ]; do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    sleep 0.2
  done
  return 1
}

# as the PostgreSQL user (PostgreSQL refuses to run as root)
cluster_as_pg() {
  if [ -n "$CLUSTER_PG_USER" ]; then
    runuser -u "$CLUSTER_PG_USER" -- "$@"
  else
    "$@"
  fi
}

# cluster_pg_start DBNAME: a throwaway PostgreSQL on 127.0.0.1:$CLUSTER_PG_PORT (trust
# authentication, user postgres) with database DBNAME; sets CLUSTER_PG_URL (postgresql://...).
cluster_pg_start() {
  local db="$1"
  CLUSTER_PG_BIN="$(cluster_pg_bindir)" || { cluster_log "no PostgreSQL (initdb) found"; return 1; }
  CLUSTER_PG_DIR="$(mktemp -d -t vaultsync-pg.XXXXXX)"
  if [ "$(id -u)" = 0 ]; then
    CLUSTER_PG_USER=nobody
    chown "$CLUSTER_PG_USER" "$CLUSTER_PG_DIR"
  fi
  CLUSTER_PG_PORT="$(cluster_free_port)"
  cluster_as_pg "$CLUSTER_PG_BIN/initdb" -D "$CLUSTER_PG_DIR/data" -U postgres --auth=trust \
    -E UTF8 --no-sync >"$CLUSTER_WORK/logs/initdb.log" 2>&1 ||
    { cluster_log "initdb failed: $(tail -3 "$CLUSTER_WORK/logs/initdb.log")"; return 1; }
  # loopback only, the socket in its own folder; max_connections for 3 servers' pools and more
  cluster_as_pg "$CLUSTER_PG_BIN/pg_ctl" -D "$CLUSTER_PG_DIR/data" -l "$CLUSTER_PG_DIR/postgres.log" -w -t 60 \
    -o "-p $CLUSTER_PG_PORT -k $CLUSTER_PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=200" \
    start >/dev/null ||
    { cluster_log "PostgreSQL did not start: $(tail -3 "$CLUSTER_PG_DIR/postgres.log")"; return 1; }
  cluster_as_pg "$CLUSTER_PG_BIN/psql" -q -h 127.0.0.1 -p "$CLUSTER_PG_PORT" -U postgres -d postgres \
    -c "CREATE DATABASE \"$db\"" >/dev/null
  CLUSTER_PG_URL="postgresql://postgres@127.0.0.1:$CLUSTER_PG_PORT/$db"
  cluster_log "PostgreSQL $("$CLUSTER_PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$CLUSTER_PG_PORT"
}

cluster_pg_stop() {
  [ -n "$CLUSTER_PG_DIR" ] || return 0
  if [ -f "$CLUSTER_PG_DIR/data/postmaster.pid" ]; then
    cluster_as_pg "$CLUSTER_PG_BIN/pg_ctl" -D "$CLUSTER_PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  if [ "${KEEP:-0}" = 1 ] && [ -n "$CLUSTER_WORK" ]; then
    cp "$CLUSTER_PG_DIR/postgres.log" "$CLUSTER_WORK/logs/" 2>/dev/null || true
  fi
  rm -rf "$CLUSTER_PG_DIR"
  CLUSTER_PG_DIR=""
}

# cluster_s3proxy_jar: prints the s3proxy jar (its own Jetty, shaded; it runs in its own JVM),
# resolved by Maven into benchmarks/target/s3proxy when the benchmarks module is packaged.
cluster_s3proxy_jar() {
  local jar="$CLUSTER_ROOT/benchmarks/target/s3proxy/s3proxy-$S3PROXY_VERSION-jar-with-dependencies.jar"
  if [ ! -f "$jar" ]; then
    (cd "$CLUSTER_ROOT" && ./mvnw -q -B -pl benchmarks dependency:copy \
      -Dartifact="org.gaul:s3proxy:$S3PROXY_VERSION:jar:jar-with-dependencies" \
      -DoutputDirectory=benchmarks/target/s3proxy >&2) || return 1
  fi
  echo "$jar"
}

# cluster_s3_start: s3proxy on 127.0.0.1:$CLUSTER_S3_PORT with a filesystem backend in the work
# folder, credentials $AWS_ACCESS_KEY_ID / $AWS_SECRET_ACCESS_KEY (SigV4), bucket $CLUSTER_BUCKET;
# sets CLUSTER_S3_ENDPOINT.
cluster_s3_start() {
  local jar dir="$CLUSTER_WORK/s3"
  jar="$(cluster_s3proxy_jar)" || { cluster_log "cannot resolve s3proxy $S3PROXY_VERSION"; return 1; }
  CLUSTER_S3_PORT="$(cluster_free_port)"
  # the filesystem backend keeps a bucket as a folder: creating it is creating the bucket
  mkdir -p "$dir/data/$CLUSTER_BUCKET"
  cat >"$dir/s3proxy.conf" <<CONF
s3proxy.endpoint=http://127.0.0.1:$CLUSTER_S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$AWS_ACCESS_KEY_ID
s3proxy.credential=$AWS_SECRET_ACCESS_KEY
jclouds.provider=filesystem
jclouds.filesystem.basedir=$dir/data
CONF
  java -Xmx256m -jar "$jar" --properties "$dir/s3proxy.conf" >"$CLUSTER_WORK/logs/s3proxy.log" 2>&1 &
  local pid=$!
  CLUSTER_PIDS+=("$pid")
  cluster_await_port "$CLUSTER_S3_PORT" 60 "$pid" ||
    { cluster_log "s3proxy did not start: $(tail -3 "$CLUSTER_WORK/logs/s3proxy.log")"; return 1; }
  CLUSTER_S3_ENDPOINT="http://127.0.0.1:$CLUSTER_S3_PORT"
  cluster_log "s3proxy $S3PROXY_VERSION on 127.0.0.1:$CLUSTER_S3_PORT, bucket $CLUSTER_BUCKET"
}

# cluster_haproxy_config OUT LB_GRPC LB_HTTP "GRPC1 GRPC2 .." "HTTP1 HTTP2 ..": fills
# haproxy/vaultsync.cfg (servers beyond the ports given are left out).
cluster_haproxy_config() {
  local out="$1" lb_grpc="$2" lb_http="$3" grpc=($4) http=($5) i
  local args=(-e "s/@LB_GRPC_ADDRESS@/127.0.0.1/" -e "s/@LB_HTTP_ADDRESS@/127.0.0.1/"
    -e "s/@SERVER_ADDRESS@/127.0.0.1/g" -e "s/@LB_GRPC@/$lb_grpc/" -e "s/@LB_HTTP@/$lb_http/")
  for i in 1 2 3; do
    if [ "$i" -le "${#grpc[@]}" ]; then
      args+=(-e "s/@GRPC_$i@/${grpc[$((i - 1))]}/g" -e "s/@HTTP_$i@/${http[$((i - 1))]}/g")
    else
      args+=(-e "/@GRPC_$i@/d" -e "/@HTTP_$i@/d")
    fi
  done
  sed "${args[@]}" "$CLUSTER_ROOT/benchmarks/haproxy/vaultsync.cfg" >"$out"
}

# cluster_haproxy_start LB_GRPC LB_HTTP "GRPC ports" "HTTP ports": haproxy in the foreground of a
# background job (its log in logs/haproxy.log).
cluster_haproxy_start() {
  local cfg="$CLUSTER_WORK/haproxy.cfg" bin
  bin="$(command -v haproxy || echo /usr/sbin/haproxy)"
  cluster_haproxy_config "$cfg" "$@"
  "$bin" -c -q -f "$cfg" || { cluster_log "haproxy rejects $cfg"; return 1; }
  "$bin" -db -f "$cfg" >"$CLUSTER_WORK/logs/haproxy.log" 2>&1 &
  local pid=$!
  CLUSTER_PIDS+=("$pid")
  cluster_await_port "$1" 30 "$pid" ||
    { cluster_log "haproxy did not start: $(tail -3 "$CLUSTER_WORK/logs/haproxy.log")"; return 1; }
  cluster_log "haproxy $("$bin" -v | awk 'NR==1{print $3}') on 127.0.0.1:$1 (gRPC) and 127.0.0.1:$2 (HTTP)"
}

# cluster_stop_pid PID: SIGTERM, up to 15 s, then SIGKILL.
cluster_stop_pid() {
  local pid="$1"
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 75); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.2
  done
  kill -KILL "$pid" 2>/dev/null || true
}

# cluster_cleanup: stops everything started here and by the driver (its pid files), newest
# first, then removes the work folder unless KEEP=1 or the run failed (CLUSTER_KEEP_ON_FAIL=1).
cluster_cleanup() {
  local rc=$? i f
  trap - EXIT INT TERM
  if [ -n "$CLUSTER_DRIVER_PID" ]; then
    cluster_stop_pid "$CLUSTER_DRIVER_PID"
    CLUSTER_DRIVER_PID=""
  fi
  if [ -n "$CLUSTER_PID_DIR" ] && [ -d "$CLUSTER_PID_DIR" ]; then
    for f in "$CLUSTER_PID_DIR"/*.pid; do
      [ -f "$f" ] && cluster_stop_pid "$(cat "$f")"
    done
  fi
  for ((i = ${#CLUSTER_PIDS[@]} - 1; i >= 0; i--)); do
    cluster_stop_pid "${CLUSTER_PIDS[$i]}"
  done
  CLUSTER_PIDS=()
  cluster_pg_stop
  if [ -n "$CLUSTER_WORK" ]; then
    if [ "${KEEP:-0}" = 1 ] || { [ "$rc" != 0 ] && [ "${CLUSTER_KEEP_ON_FAIL:-1}" = 1 ]; }; then
      cluster_log "logs and data kept in $CLUSTER_WORK"
    else
      rm -rf "$CLUSTER_WORK"
    fi
  fi
  exit "$rc"
}

# cluster_java_run ARGS...: runs the Java driver in the background and waits for it, so that
# Ctrl-C reaches the traps at once (a background job ignores SIGINT itself); cleanup stops it
# first with SIGTERM, whose shutdown hooks stop the processes it started. Returns its exit code.
cluster_java_run() {
  java "$@" &
  CLUSTER_DRIVER_PID=$!
  local rc=0
  wait "$CLUSTER_DRIVER_PID" || rc=$?
  CLUSTER_DRIVER_PID=""
  return "$rc"
}

# cluster_shared_storage JAR: whether this build's servers can share PostgreSQL and S3: `vaultsync
# server` takes --database, and the jar holds the providers of both (found by ServiceLoader).
cluster_shared_storage() {
  local services
  services="$(unzip -Z1 "$1" 'META-INF/services/*' 2>/dev/null || jar tf "$1" 2>/dev/null)" || return 1
  cluster_server_takes "$1" --database &&
    grep -q 'io.vaultsync.server.cluster.ClusterDatabase$Provider' <<<"$services" &&
    grep -q 'io.vaultsync.server.cluster.ObjectStoreProvider' <<<"$services"
}

# cluster_server_takes JAR FLAG: whether this build's `vaultsync server` takes FLAG.
cluster_server_takes() {
  java -cp "$1" io.vaultsync.client.cli.VaultsyncCommand server --help 2>&1 | grep -q -- "$2"
}
