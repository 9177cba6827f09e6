#!/usr/bin/env bash
# Load benchmark (not a test): Gatehouse serving `tools/call echo` over Streamable HTTP versus a bare Jetty
# handler returning the same bytes (the ceiling). Prints req/s, p50 and p99 for both and their ratio.
# See bench/README.md. Env: DURATION (s, default 20), WARMUP (s, default 10), CONNECTIONS (32), THREADS (1),
# ROUNDS (1; more rounds alternate the order and report medians), JAVA_OPTS (extra JVM flags for both
# servers), BENCH_ACCEPT (Accept header sent by wrk).
set -euo pipefail

DURATION=${DURATION:-20}
WARMUP=${WARMUP:-10}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-1}
ROUNDS=${ROUNDS:-1}
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
SERVER_LOG=""
die() {
  echo "echo-load: $*" >&2
  if [ -n "$SERVER_LOG" ] && [ -s "$SERVER_LOG" ]; then
    echo "--- last lines of the server log ($SERVER_LOG):" >&2
    tail -n 30 "$SERVER_LOG" >&2
  fi
  exit 1
}
stop_server() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
  SERVER_LOG=""
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
  SERVER_LOG=$log
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

# cpu_ticks PID: user + system CPU time of a process, in clock ticks.
cpu_ticks() {
  awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

# measure LABEL URL: warm-up then measured run; sets RPS, P50, P99 and CPU_US (server CPU µs per request).
measure() {
  local label=$1 url=$2
  echo "  warm-up ${WARMUP}s ..."
  run_wrk "$label warm-up" "$url" "$WARMUP" "$WORK/$label-warmup.txt"
  echo "  measuring ${DURATION}s (threads $THREADS, connections $CONNECTIONS) ..."
  local cpu_before cpu_after requests
  cpu_before=$(cpu_ticks "$SERVER_PID")
  run_wrk "$label" "$url" "$DURATION" "$WORK/$label.txt"
  cpu_after=$(cpu_ticks "$SERVER_PID")
  requests=$(awk '/requests in/ {print $1}' "$WORK/$label.txt")
  # server CPU time (user + system) per request, in microseconds: less sensitive to other load than req/s
  CPU_US=$(awk -v d=$((cpu_after - cpu_before)) -v hz="$(getconf CLK_TCK)" -v n="$requests" \
    'BEGIN { printf "%.1f", (n > 0 ? d / hz * 1e6 / n : 0) }')
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

# bench_gatehouse ROUND: starts Gatehouse, opens a session, checks one echo call (the first round saves its
# bytes for the ceiling), loads it, checks again, stops it.
bench_gatehouse() {
  local round=$1 url session
  echo "== round $round: Gatehouse (tools/call echo, auth none, stateful session)"
  # shellcheck disable=SC2086
  start_server gatehouse 'bound 127\.0\.0\.1:([0-9]+)' "$JAVA" $JAVA_OPTS -jar "$APP_JAR" serve --port 0 --auth none
  url="http://127.0.0.1:$PORT/mcp"
  session=$(curl -sS -D - -o "$WORK/init.json" -X POST "$url" \
    -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' --data-binary "$INIT" \
    | awk 'tolower($1) == "mcp-session-id:" {print $2}' | tr -d '\r')
  [ -n "$session" ] || { cat "$WORK/init.json" >&2; die "initialize returned no Mcp-Session-Id"; }
  curl -sS -o /dev/null -X POST "$url" -H 'Content-Type: application/json' \
    -H 'Accept: application/json, text/event-stream' -H "Mcp-Session-Id: $session" \
    -H 'MCP-Protocol-Version: 2025-11-25' --data-binary '{"jsonrpc":"2.0","method":"notifications/initialized"}'
  echo_call "$url" "$session" "$WORK/check.json"
  if [ ! -f "$WORK/response.json" ]; then
    cp "$WORK/check.json" "$WORK/response.json"
    echo "  verified tools/call echo, captured $(wc -c <"$WORK/response.json") bytes: $(cat "$WORK/response.json")"
  fi
  export BENCH_SESSION_ID=$session
  measure "gatehouse-$round" "$url"
  printf 'Gatehouse\t%s\t%s\t%s\t%s\t%s\n' "$round" "$RPS" "$P50" "$P99" "$CPU_US" >>"$WORK/results.tsv"
  echo_call "$url" "$session" "$WORK/check.json"   # the session still works after the load
  stop_server
}

# bench_ceiling ROUND: the bare Jetty handler answering the captured bytes, same request from wrk.
bench_ceiling() {
  local round=$1 url
  echo "== round $round: bare Jetty ceiling (same Jetty setup, same response bytes)"
  # shellcheck disable=SC2086
  start_server ceiling 'listening on http://127\.0\.0\.1:([0-9]+)/' "$JAVA" $JAVA_OPTS -jar "$BENCH_JAR" 0 "$WORK/response.json"
  url="http://127.0.0.1:$PORT/mcp"
  echo_call "$url" "${BENCH_SESSION_ID:-none}" "$WORK/check.json"
  cmp -s "$WORK/response.json" "$WORK/check.json" || die "the ceiling does not return the captured bytes"
  measure "ceiling-$round" "$url"
  printf 'bare Jetty ceiling\t%s\t%s\t%s\t%s\t%s\n' "$round" "$RPS" "$P50" "$P99" "$CPU_US" >>"$WORK/results.tsv"
  stop_server
}

# Gatehouse first in round 1 (it provides the bytes), then the order alternates to cancel drift.
: >"$WORK/results.tsv"
for round in $(seq 1 "$ROUNDS"); do
  if [ $((round % 2)) -eq 1 ]; then bench_gatehouse "$round"; bench_ceiling "$round"
  else bench_ceiling "$round"; bench_gatehouse "$round"; fi
done

# --- report ----------------------------------------------------------------------------------------------
# median_row TARGET: the round with the median req/s for TARGET (lower median for even counts).
median_row() {
  awk -F'\t' -v t="$1" '$1 == t' "$WORK/results.tsv" | sort -t$'\t' -k3,3g \
    | awk -v n="$ROUNDS" 'NR == int((n + 1) / 2)'
}
row() { # LABEL TSV-LINE
  printf '%-28s %10.0f %10.3f %10.3f %14.1f\n' "$1" "$(cut -f3 <<<"$2")" "$(cut -f4 <<<"$2")" "$(cut -f5 <<<"$2")" \
    "$(cut -f6 <<<"$2")"
}
echo
echo "tools/call echo over HTTP: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s after ${WARMUP}s warm-up, $ROUNDS round(s);" \
     "$(nproc) CPUs shared by wrk and the server"
printf '%-28s %10s %10s %10s %14s\n' target 'req/s' 'p50 (ms)' 'p99 (ms)' 'server CPU/req'

if [ "$ROUNDS" -gt 1 ]; then
  while IFS= read -r line; do
    row "$(cut -f1 <<<"$line") (round $(cut -f2 <<<"$line"))" "$line"
  done < <(sort -t$'\t' -k1,1 -k2,2n "$WORK/results.tsv")
fi
CEIL=$(median_row 'bare Jetty ceiling')
GH=$(median_row 'Gatehouse')
SUFFIX=""
[ "$ROUNDS" -gt 1 ] && SUFFIX=" (median)"
row "bare Jetty ceiling$SUFFIX" "$CEIL"
row "Gatehouse$SUFFIX" "$GH"
RATIO=$(awk -v g="$(cut -f3 <<<"$GH")" -v c="$(cut -f3 <<<"$CEIL")" 'BEGIN { printf "%.2f", g / c }')
MET=$(awk -v r="$RATIO" -v t="$TARGET_RATIO" 'BEGIN { print (r >= t) ? "met" : "NOT met" }')
echo "ratio Gatehouse/ceiling (req/s)$SUFFIX: $RATIO   (target >= $TARGET_RATIO: $MET)"
CPU_RATIO=$(awk -v g="$(cut -f6 <<<"$GH")" -v c="$(cut -f6 <<<"$CEIL")" 'BEGIN { printf "%.2f", c / g }')
echo "ratio by server CPU time per request (ceiling/Gatehouse): $CPU_RATIO   (server CPU/req is in µs)"
