#!/usr/bin/env bash
# Load benchmark (not a test): authenticated `tools/call echo` (stateless, embedded authorization server on
# PostgreSQL) sent through HAProxy to two Gatehouse nodes, against the same call sent directly to one of them,
# in one run. HAProxy uses deploy/haproxy.cfg, exactly as deploy/cluster.sh and the cluster tests do.
# On one machine this measures what the extra hop and the shared store cost, not scaling: wrk, HAProxy,
# PostgreSQL and both nodes share the cores. The report gives each row's server CPU per request (the nodes',
# HAProxy's and PostgreSQL's), from which the throughput of N nodes on N machines is estimated.
# Env: DURATION (s, 20), WARMUP (s, 15), CONNECTIONS (32), THREADS (1), JAVA_OPTS (extra JVM flags for the nodes).
set -euo pipefail
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-15}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-1}
JAVA_OPTS=${JAVA_OPTS:-}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LUA="$ROOT/bench/echo-post.lua"
APP_JAR="$ROOT/gatehouse-app/target/gatehouse.jar"
. "$ROOT/bin/find-jdk.sh"
JAVA="$JAVA_HOME/bin/java"
die() { echo "cluster-load: $*" >&2; exit 1; }
command -v wrk >/dev/null || die "wrk is needed (apt-get install wrk; bench/echo-load.sh installs it)"
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -x "$PG_BIN/initdb" ] || die "PostgreSQL is needed: apt-get install postgresql"
HAPROXY="$(command -v haproxy || echo /usr/sbin/haproxy)"
[ -x "$HAPROXY" ] || die "HAProxy is needed: apt-get install haproxy"
[ -f "$APP_JAR" ] || (cd "$ROOT" && ./mvnw -q -B -ntp -DskipTests install -pl gatehouse-app -am)

umask 077
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-cluster-bench.XXXXXX")
cp "$APP_JAR" "$WORK/gatehouse.jar"
AS_PG=()
if [ "$(id -u)" = 0 ]; then chown postgres "$WORK"; AS_PG=(runuser -u postgres --); fi
PIDS=()
stop() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$WORK/pg" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap stop EXIT
trap 'exit 130' INT TERM
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PG_PORT=$(free_port); LB_PORT=$(free_port); N1=$(free_port); N2=$(free_port)

echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg) (run on an idle machine)"
"${AS_PG[@]}" "$PG_BIN/initdb" -D "$WORK/pg" -U gatehouse -A trust -E UTF8 --no-sync >/dev/null
"${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg.log" -w -o "-h 127.0.0.1 -p $PG_PORT -k $WORK" start >/dev/null
"${AS_PG[@]}" "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U gatehouse gatehouse
PG_PID=$(head -n1 "$WORK/pg/postmaster.pid")

# a machine client for the token (client_credentials), the same on both nodes
cat >"$WORK/gatehouse.yaml" <<YAML
clients:
  - client-id: bench
    grant-types: [client_credentials]
    token-endpoint-auth-method: client_secret_basic
    client-secret-env: BENCH_CLIENT_SECRET
    scopes: [mcp:tools]
YAML
export BENCH_CLIENT_SECRET=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
export GATEHOUSE_DATABASE_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/gatehouse?user=gatehouse"
export GATEHOUSE_KEY_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | base64)
export GATEHOUSE_PUBLIC_URL="http://127.0.0.1:$LB_PORT"
export GATEHOUSE_SESSION_MODE=stateless GATEHOUSE_DEMO_USERS=false
start_node() { # name port
  mkdir -p "$WORK/$1"
  # shellcheck disable=SC2086
  GATEHOUSE_DATA_DIR="$WORK/$1" "$JAVA" $JAVA_OPTS -jar "$WORK/gatehouse.jar" serve --port "$2" --config "$WORK/gatehouse.yaml" \
    >"$WORK/$1.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$2/health/ready" >/dev/null 2>&1 && { echo "$1 ready on 127.0.0.1:$2 (pid ${PIDS[-1]})"; return; }
    kill -0 "${PIDS[-1]}" 2>/dev/null || { cat "$WORK/$1.log" >&2; die "$1 exited"; }
    sleep 0.5
  done
  cat "$WORK/$1.log" >&2; die "$1 did not become ready"
}
start_node node1 "$N1"; NODE1_PID=${PIDS[-1]}
start_node node2 "$N2"; NODE2_PID=${PIDS[-1]}
GATEHOUSE_LB_BIND="127.0.0.1:$LB_PORT" GATEHOUSE_LB_HOST="127.0.0.1:$LB_PORT" \
GATEHOUSE_NODE_1="127.0.0.1:$N1" GATEHOUSE_NODE_2="127.0.0.1:$N2" \
  "$HAPROXY" -db -f "$ROOT/deploy/haproxy.cfg" >"$WORK/haproxy.log" 2>&1 &
PIDS+=($!); LB_PID=$!
for _ in $(seq 1 60); do curl -fsS "http://127.0.0.1:$LB_PORT/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done

curl -fsS -u "bench:$BENCH_CLIENT_SECRET" -d grant_type=client_credentials -d scope=mcp:tools \
  --data-urlencode "resource=$GATEHOUSE_PUBLIC_URL/mcp" "http://127.0.0.1:$LB_PORT/oauth/token" >"$WORK/token.json" \
  || die "client_credentials failed"
sed -nE 's/.*"access_token":"([^"]+)".*/\1/p' "$WORK/token.json" >"$WORK/token.txt"
[ -s "$WORK/token.txt" ] || die "no access_token in $(cat "$WORK/token.json")"
for url in "http://127.0.0.1:$N1/mcp" "http://127.0.0.1:$LB_PORT/mcp"; do
  curl -fsS -X POST "$url" -H "Authorization: Bearer $(cat "$WORK/token.txt")" -H 'Content-Type: application/json' \
    -H 'Accept: application/json, text/event-stream' -H 'MCP-Protocol-Version: 2025-11-25' \
    --data-binary '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"message":"Hello World","repeat_count":3}}}' \
    | grep -qF 'Hello WorldHello WorldHello World' || die "tools/call echo through $url did not answer"
done
echo "token from the embedded server (client_credentials); tools/call echo answers directly and through HAProxy"

ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
pg_ticks() { # the postmaster and its backends
  local t=0 p
  for p in $(pgrep -P "$PG_PID") "$PG_PID"; do t=$((t + $(ticks "$p" 2>/dev/null || echo 0))); done
  echo "$t"
}
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u); if (u == "us") n /= 1000; else if (u == "s") n *= 1000; printf "%.3f", n }'; }
run() { # label url seconds out
  BENCH_TOKEN_FILE="$WORK/token.txt" wrk --latency -t "$THREADS" -c "$CONNECTIONS" -d "$3s" -s "$LUA" "$2" >"$4" 2>&1 \
    || { cat "$4" >&2; die "wrk failed ($1)"; }
  ! grep -q 'Non-2xx' "$4" || { cat "$4" >&2; die "$1: non-2xx answers"; }
}
measure() { # label url
  echo "== $1: warm-up ${WARMUP}s, then ${DURATION}s"
  run "$1" "$2" "$WARMUP" "$WORK/$1-warmup.txt"
  local b1 b2 bl bp
  b1=$(ticks "$NODE1_PID"); b2=$(ticks "$NODE2_PID"); bl=$(ticks "$LB_PID"); bp=$(pg_ticks)
  run "$1" "$2" "$DURATION" "$WORK/$1.txt"
  local n hz; n=$(awk '/requests in/ {print $1}' "$WORK/$1.txt"); hz=$(getconf CLK_TCK)
  us() { awk -v d="$1" -v hz="$hz" -v n="$n" 'BEGIN { printf "%.1f", d / hz * 1e6 / n }'; }
  printf '%-28s %9.0f %9s %9s %10s %10s %9s %9s\n' "$1" "$(awk '/^Requests\/sec:/ {print $2}' "$WORK/$1.txt")" \
    "$(to_ms "$(awk '$1 == "50%" {print $2}' "$WORK/$1.txt")")" "$(to_ms "$(awk '$1 == "99%" {print $2}' "$WORK/$1.txt")")" \
    "$(us $(($(ticks "$NODE1_PID") - b1)))" "$(us $(($(ticks "$NODE2_PID") - b2)))" "$(us $(($(ticks "$LB_PID") - bl)))" \
    "$(us $(($(pg_ticks) - bp)))" >>"$WORK/table.txt"
}
# both nodes warmed up alike (the JIT), so that neither row measures a node still compiling
echo "== warming node 2 up directly (${WARMUP}s)"
run "warm-up node 2" "http://127.0.0.1:$N2/mcp" "$WARMUP" "$WORK/node2-warmup.txt"
measure "direct to node 1" "http://127.0.0.1:$N1/mcp"
measure "HAProxy -> 2 nodes" "http://127.0.0.1:$LB_PORT/mcp"
echo
echo "authenticated tools/call echo, stateless, embedded AS on PostgreSQL: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s" \
     "after ${WARMUP}s warm-up; $(nproc) CPUs shared by wrk, HAProxy, PostgreSQL and both nodes"
printf '%-28s %9s %9s %9s %10s %10s %9s %9s\n' target 'req/s' 'p50 ms' 'p99 ms' 'node1 µs' 'node2 µs' 'HAProxy µs' 'PG µs'
cat "$WORK/table.txt"
echo "(µs: CPU time per request of each process during the measured run; PostgreSQL answers each request's revocation check)"
# estimate from the HAProxy row: with the nodes on machines of their own, a node is bounded by its CPU per request
read -r nodes_us lb_us pg_us < <(awk 'END { n = NF; print $(n-3) + $(n-2), $(n-1), $n }' "$WORK/table.txt")
awk -v nodes="$nodes_us" -v lb="$lb_us" -v pg="$pg_us" -v cores="$(nproc)" 'BEGIN {
  printf "estimate: a node spends %.0f µs of CPU per request: about %.0f req/s per node on a %d-core machine of its own,\n", nodes, cores * 1e6 / nodes, cores;
  printf "          so N such nodes serve about N x %.0f req/s, until HAProxy (%.0f µs/request: %.0f req/s per core) or\n", cores * 1e6 / nodes, lb, 1e6 / lb;
  printf "          PostgreSQL (%.0f µs/request here: %.0f req/s per core) saturates.\n", pg, (pg > 0 ? 1e6 / pg : 0) }'
