#!/usr/bin/env bash
# Load benchmark (not a test): Gatehouse serving `tools/call echo` over Streamable HTTP versus a bare Jetty
# handler returning the same bytes (the ceiling). Prints req/s, p50 and p99 for both and their ratio.
# See bench/README.md. Env: DURATION (s, default 20), WARMUP (s, default 10), CONNECTIONS (32), THREADS (1),
# JAVA_OPTS (extra JVM flags for both servers), BENCH_ACCEPT (Accept header sent by wrk).
set -euo pipefail

DURATION=${DURATION:-20}
WARMUP=${WARMUP:-10}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-1}
JAVA_OPTS=${JAVA_OPTS:-}
export BENCH_ACCEPT=${BENCH_ACCEPT:-application/json, text/event-stream}
TARGET_RATIO=0.70

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"
LUA="$BENCH/echo-post.lua"
APP_JAR="$ROOT/gatehouse-app/target/gatehouse.jar"
BENCH_JAR="$ROOT/gatehouse-bench/target/gatehouse-bench.jar"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-bench.XXXXXX")
EXPECTED_TEXT='"text":"Hello WorldHello WorldHello World"'
ECHO_CALL='{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"message":"Hello World","repeat_count":3}}}'
INIT='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}'

SERVER_PID=""
die() { echo "echo-load: $*" >&2; exit 1; }
stop_server() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
}
cleanup() { stop_server; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- prerequisites ---------------------------------------------------------------------------------------
# shellcheck source=../bin/find-jdk.sh
. "$ROOT/bin/find-jdk.sh"
JAVA="$JAVA_HOME/bin/java"
echo "JDK: $JAVA_HOME"
echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg) (run on an idle machine)"

if ! command -v wrk >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "wrk is not installed; running: $SUDO apt-get update && $SUDO apt-get install -y wrk"
  $SUDO apt-get update && $SUDO apt-get install -y wrk
fi
command -v curl >/dev/null 2>&1 || die "curl is needed"

build() { # modules...
  echo "Building $* (mvnw install -DskipTests) ..."
  (cd "$ROOT" && { ./mvnw -q -B -ntp -o -DskipTests install -pl "$1" -am \
                   || ./mvnw -q -B -ntp -DskipTests install -pl "$1" -am; })
}
[ -f "$APP_JAR" ] || build gatehouse-app
[ -f "$BENCH_JAR" ] || build gatehouse-bench
[ -f "$APP_JAR" ] && [ -f "$BENCH_JAR" ] || die "jars missing after the build"

# --- helpers ---------------------------------------------------------------------------------------------
# start_server NAME PORT_REGEX CMD...: starts CMD on port 0, waits for its log line, sets SERVER_PID and PORT.
start_server() {
  local name=$1 regex=$2 log="$WORK/$1.log" i
  shift 2
  "$@" >"$log" 2>&1 &
  SERVER_PID=$!
  PORT=""
  for i in $(seq 1 300); do
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$log" >&2; die "$name exited during startup"; }
    PORT=$(sed -nE "s#.*$regex.*#\\1#p" "$log" | head -n1)
    [ -n "$PORT" ] && break
    sleep 0.1
  done
  [ -n "$PORT" ] || { cat "$log" >&2; die "$name did not report its port"; }
  echo "$name started (pid $SERVER_PID) on 127.0.0.1:$PORT"
}

# run_wrk LABEL URL SECONDS OUT: runs wrk with the Lua POST script; fails on any non-2xx/3xx response.
run_wrk() {
  local label=$1 url=$2 seconds=$3 out=$4
  wrk --latency -t "$THREADS" -c "$CONNECTIONS" -d "${seconds}s" -s "$LUA" "$url" >"$out" 2>&1 \
    || { cat "$out" >&2; die "wrk failed ($label)"; }
  if grep -q 'Non-2xx or 3xx responses' "$out"; then
    cat "$out" >&2
    die "$label: wrk saw non-2xx responses: $(grep 'Non-2xx' "$out" | tr -s ' ')"
  fi
  grep -q '^Requests/sec:' "$out" || { cat "$out" >&2; die "$label: no Requests/sec in wrk output"; }
  if grep -q 'Socket errors' "$out"; then
    echo "  warning ($label): $(grep 'Socket errors' "$out" | tr -s ' ')" >&2
  fi
}

# to_ms VALUE: wrk latency (e.g. 812.00us, 1.23ms, 1.01s) in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000;
    printf "%.3f", n }'
}

# measure LABEL URL: warm-up then measured run; sets RPS, P50, P99.
measure() {
  local label=$1 url=$2
  echo "  warm-up ${WARMUP}s ..."
  run_wrk "$label warm-up" "$url" "$WARMUP" "$WORK/$label-warmup.txt"
  echo "  measuring ${DURATION}s (threads $THREADS, connections $CONNECTIONS) ..."
  run_wrk "$label" "$url" "$DURATION" "$WORK/$label.txt"
  sed 's/^/    | /' "$WORK/$label.txt"
  RPS=$(awk '/^Requests\/sec:/ {print $2}' "$WORK/$label.txt")
  P50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$WORK/$label.txt")")
  P99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$WORK/$label.txt")")
}

# echo_call URL SESSION OUT: one tools/call echo with curl; fails unless it is 200 with the expected text.
echo_call() {
  local url=$1 session=$2 out=$3 status
  status=$(curl -sS -o "$out" -w '%{http_code}' -X POST "$url" \
    -H 'Content-Type: application/json' -H "Accept: $BENCH_ACCEPT" \
    -H "Mcp-Session-Id: $session" -H 'MCP-Protocol-Version: 2025-11-25' --data-binary "$ECHO_CALL")
  [ "$status" = 200 ] || { cat "$out" >&2; die "tools/call echo answered HTTP $status"; }
  grep -qF "$EXPECTED_TEXT" "$out" && grep -qF '"isError":false' "$out" \
    || { cat "$out" >&2; echo >&2; die "tools/call echo did not return the expected text"; }
}

# --- Gatehouse -------------------------------------------------------------------------------------------
echo "== Gatehouse (tools/call echo, auth none, stateful session)"
# shellcheck disable=SC2086
start_server gatehouse 'bound 127\.0\.0\.1:([0-9]+)' "$JAVA" $JAVA_OPTS -jar "$APP_JAR" serve --port 0 --auth none
GH_URL="http://127.0.0.1:$PORT/mcp"
SESSION=$(curl -sS -D - -o "$WORK/init.json" -X POST "$GH_URL" \
  -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' --data-binary "$INIT" \
  | awk 'tolower($1) == "mcp-session-id:" {print $2}' | tr -d '\r')
[ -n "$SESSION" ] || { cat "$WORK/init.json" >&2; die "initialize returned no Mcp-Session-Id"; }
curl -sS -o /dev/null -X POST "$GH_URL" -H 'Content-Type: application/json' \
  -H 'Accept: application/json, text/event-stream' -H "Mcp-Session-Id: $SESSION" \
  -H 'MCP-Protocol-Version: 2025-11-25' --data-binary '{"jsonrpc":"2.0","method":"notifications/initialized"}'
echo_call "$GH_URL" "$SESSION" "$WORK/response.json"
echo "  verified tools/call echo: $(cat "$WORK/response.json")"
export BENCH_SESSION_ID=$SESSION
measure gatehouse "$GH_URL"
GH_RPS=$RPS GH_P50=$P50 GH_P99=$P99
echo_call "$GH_URL" "$SESSION" "$WORK/after.json"   # the session still works after the load
stop_server

# --- bare Jetty ceiling ----------------------------------------------------------------------------------
echo "== Bare Jetty ceiling (same Jetty setup, same $(wc -c <"$WORK/response.json") response bytes)"
# shellcheck disable=SC2086
start_server ceiling 'listening on http://127\.0\.0\.1:([0-9]+)/' "$JAVA" $JAVA_OPTS -jar "$BENCH_JAR" 0 "$WORK/response.json"
CEIL_URL="http://127.0.0.1:$PORT/mcp"
echo_call "$CEIL_URL" "$SESSION" "$WORK/ceiling-check.json"
cmp -s "$WORK/response.json" "$WORK/ceiling-check.json" || die "the ceiling does not return the captured bytes"
measure ceiling "$CEIL_URL"
CEIL_RPS=$RPS CEIL_P50=$P50 CEIL_P99=$P99
stop_server

# --- report ----------------------------------------------------------------------------------------------
echo
echo "tools/call echo over HTTP: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s (after ${WARMUP}s warm-up), $(nproc) CPUs shared by wrk and the server"
printf '%-22s %12s %10s %10s\n' target 'req/s' 'p50 (ms)' 'p99 (ms)'
printf '%-22s %12.0f %10.3f %10.3f\n' 'bare Jetty ceiling' "$CEIL_RPS" "$CEIL_P50" "$CEIL_P99"
printf '%-22s %12.0f %10.3f %10.3f\n' 'Gatehouse' "$GH_RPS" "$GH_P50" "$GH_P99"
RATIO=$(awk -v g="$GH_RPS" -v c="$CEIL_RPS" 'BEGIN { printf "%.2f", g / c }')
MET=$(awk -v r="$RATIO" -v t="$TARGET_RATIO" 'BEGIN { print (r >= t) ? "met" : "NOT met" }')
echo "ratio Gatehouse/ceiling (req/s): $RATIO   (target >= $TARGET_RATIO: $MET)"
