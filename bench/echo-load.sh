#!/usr/bin/env bash
# Load benchmark (not a test): Gatehouse serving `tools/call echo` over Streamable HTTP, with authentication
# off and in several authenticated variants, versus a bare Jetty handler returning the same bytes (the
# ceiling). One server at a time; prints for each req/s, p50, p99, p99.9, server CPU per request, resident memory
# after the load and the time from launch to the first 200, and the ratios. Servers run with the launcher's JVM
# flags (bin/java-options.sh: its defaults, or GATEHOUSE_JAVA_OPTS; Gatehouse also with its AOT cache when built).
# See bench/README.md. Env: VARIANTS (default: all below), DURATION (s, 20), WARMUP (s, 10), CONNECTIONS (32),
# THREADS (1), ROUNDS (1; more rounds alternate the order and report medians), WARM_TOKENS (1000), JAVA_OPTS
# (extra JVM flags for the servers, after the launcher's), BENCH_ACCEPT (Accept header sent by wrk).
set -euo pipefail

DEFAULT_VARIANTS="off off-warm ceiling ceiling-warm rs-hot rs-warm rs-cold es-hot es-cold"
VARIANTS=${VARIANTS:-$DEFAULT_VARIANTS}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-10}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-1}
ROUNDS=${ROUNDS:-1}
WARM_TOKENS=${WARM_TOKENS:-1000}
GATEWAY_WARMUP=${GATEWAY_WARMUP:-60}
JAVA_OPTS=${JAVA_OPTS:-}
export BENCH_ACCEPT=${BENCH_ACCEPT:-application/json, text/event-stream}
TARGET_RATIO=0.70        # auth off / ceiling (foundation)
TARGET_WARM=0.90         # warm / auth off
TARGET_COLD=0.27         # RS256 cold / ceiling
TARGET_2026=0.95         # a 2026-07-28 request / the same 2025 stateless one (costs no more than 5 % more)

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"
LUA="$BENCH/echo-post.lua"
APP_JAR="$ROOT/gatehouse-app/target/gatehouse.jar"
BENCH_JAR="$ROOT/gatehouse-bench/target/gatehouse-bench.jar"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-bench.XXXXXX")
EXPECTED_TEXT='"text":"Hello WorldHello WorldHello World"'
ECHO_CALL='{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"message":"Hello World","repeat_count":3}}}'
ECHO_CALL_2026='{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"message":"Hello World","repeat_count":3},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/clientInfo":{"name":"bench","version":"1"}}}}'
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
UPSTREAM_PID=""
stop_server() {
  local pid
  for pid in "$SERVER_PID" "$UPSTREAM_PID"; do
    if [ -n "$pid" ]; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  SERVER_PID=""
  UPSTREAM_PID=
  SERVER_LOG=""
}
cleanup() { stop_server; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- variants --------------------------------------------------------------------------------------------
# off            Gatehouse --auth none --session-mode stateless (the baseline of the authenticated rows)
# off-warm       auth off, wrk sending the same WARM_TOKENS distinct Authorization headers as rs-warm (ignored):
#                the baseline that differs from rs-warm only by the authentication work
# off-stateful   Gatehouse --auth none with a stateful session (the foundation benchmark's original setup)
# gateway        Gatehouse --auth none as a gateway (stateful session) to an upstream Gatehouse serving the echo tool
#                with auth off and stateless (the `off` server): compare with `off`, the same call made directly to
#                the upstream; its CPU per request is the gateway's and the upstream's together. It gets
#                GATEWAY_WARMUP (60) more seconds of warm-up: its relay path takes about a minute to be compiled
# embedded       the one-command default: `gatehouse serve` (embedded authorization server on H2, stateful sessions),
#                with a config adding a client_credentials client; wrk sends its token on one session. Its data
#                directory and token come from an earlier start, so the measured start is a restart
# ceiling        bare Jetty handler answering the captured bytes
# ceiling-warm   the ceiling, wrk sending the WARM_TOKENS distinct Authorization headers (ignored by it)
# rs-hot|rs-warm|rs-cold, es-hot|es-warm|es-cold
#                --auth local-keys --session-mode stateless with an RS256 (generated at first start) or an
#                ES256 (`keys generate --type EC`) key: hot = one token on every request, warm = WARM_TOKENS
#                distinct tokens round-robin, cold = one token with GATEHOUSE_TOKEN_CACHE_SIZE=0 (no
#                verified-token cache: every request verifies the signature)
# any Gatehouse variant + "-quiet": the same with GATEHOUSE_AUDIT_LOG=denials (no audit line per allowed call)
# off-2026, rs-warm-2026
#                off / rs-warm with every request in the MCP 2026-07-28 shape (per-request _meta, Mcp-Method and
#                Mcp-Name headers): the modern path against the 2025 stateless one
label_of() {
  local v=${1%-2026} base label
  base=${v%-quiet}
  case $base in
    ceiling) label="bare Jetty ceiling" ;;
    gateway) label="gateway (auth off) -> upstream (auth off)" ;;
    ceiling-warm) label="ceiling, $WARM_TOKENS tokens" ;;
    off) label="auth off (stateless)" ;;
    off-warm) label="auth off, $WARM_TOKENS tokens sent" ;;
    off-stateful) label="auth off (stateful)" ;;
    embedded) label="embedded AS default (stateful)" ;;
    rs-*|es-*)
      label=$(tr '[:lower:]' '[:upper:]' <<<"${base%%-*}")
      label="${label/RS/RS256}"; label="${label/ES/ES256}"
      case ${base#*-} in
        hot) label="$label hot (1 token)" ;;
        warm) label="$label warm ($WARM_TOKENS tokens)" ;;
        cold) label="$label cold (no cache)" ;;
      esac ;;
  esac
  [ "$v" = "$base" ] || label="$label, audit denials"
  [ "$1" = "${1%-2026}" ] || label="$label, 2026-07-28"
  echo "$label"
}
for v in $VARIANTS; do
  case ${v%-2026} in ceiling*) [ "$v" = "${v%-2026}" ] || die "-2026 applies to Gatehouse variants only: $v" ;; esac
  v=${v%-2026}
  case ${v%-quiet} in
    ceiling|ceiling-warm) [ "$v" = "${v%-quiet}" ] || die "-quiet applies to Gatehouse variants only: $v" ;;
    off|off-warm|off-stateful|embedded|rs-hot|rs-warm|rs-cold|es-hot|es-warm|es-cold) ;;
    gateway) [ "$v" = "${v%-quiet}" ] || die "-quiet does not apply to gateway" ;;
    *) die "unknown variant '$v' (known: off off-warm off-stateful embedded gateway ceiling ceiling-warm {rs,es}-{hot,warm,cold}, Gatehouse ones with -quiet and/or -2026)" ;;
  esac
done
has_variant() { [[ " $VARIANTS " == *" $1 "* ]]; }

# --- prerequisites ---------------------------------------------------------------------------------------
# shellcheck source=../bin/find-jdk.sh
. "$ROOT/bin/find-jdk.sh"
# shellcheck source=../bin/java-options.sh
. "$ROOT/bin/java-options.sh"
JAVA="$JAVA_HOME/bin/java"
echo "JDK: $JAVA_HOME"
echo "variants: $VARIANTS"
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
# Run from copies: a build replacing the jars during the run would break the running JVMs' class loading.
# -p keeps the times: the AOT cache (gatehouse.aot, when the build made one) fits only its jar as it was
cp -p "$APP_JAR" "$WORK/gatehouse.jar"
for aot in "${APP_JAR%.jar}.aot" "${APP_JAR%.jar}.aot.jdk"; do [ ! -f "$aot" ] || cp -p "$aot" "$WORK/"; done
cp "$BENCH_JAR" "$WORK/gatehouse-bench.jar"
echo "jars: $APP_JAR ($(date -r "$APP_JAR" '+%F %T')), $BENCH_JAR ($(date -r "$BENCH_JAR" '+%F %T'))"
APP_JAR="$WORK/gatehouse.jar"
BENCH_JAR="$WORK/gatehouse-bench.jar"
GATEHOUSE_FLAGS=$(gatehouse_java_options "$APP_JAR")
CEILING_FLAGS=$(gatehouse_java_options "$BENCH_JAR")
echo "JVM flags: Gatehouse $GATEHOUSE_FLAGS${JAVA_OPTS:+ $JAVA_OPTS}; ceiling $CEILING_FLAGS${JAVA_OPTS:+ $JAVA_OPTS}"

# --- helpers ---------------------------------------------------------------------------------------------
# free_port: a loopback port nothing listens on (the servers get a fixed port so that tokens can be minted for
# it before they start, and the first request can be sent the moment they listen).
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 30000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

# probe: one request as PROBE_ARGS (curl arguments) describe; succeeds when it is answered 200.
PROBE_ARGS=()
probe() {
  [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "${PROBE_ARGS[@]}" 2>/dev/null)" = 200 ]
}

# launch NAME PORT CMD...: starts CMD (which listens on 127.0.0.1:PORT) and repeats the probe until it is answered
# 200; sets SERVER_PID, PORT and FIRST_MS, the milliseconds from launch to that first 200 (start-up as a client
# sees it: JVM, configuration, keys, store, listener and the first request's own work).
launch() {
  local name=$1 log="$WORK/$1.log" t0 i
  PORT=$2
  shift 2
  SERVER_LOG=$log
  t0=$(date +%s%N)
  "$@" >"$log" 2>&1 &
  SERVER_PID=$!
  for i in $(seq 1 12000); do
    probe && break
    kill -0 "$SERVER_PID" 2>/dev/null || die "$name exited during startup"
    sleep 0.005
  done
  FIRST_MS=$((($(date +%s%N) - t0) / 1000000))
  probe || die "$name did not answer 200 within a minute"
  echo "$name started (pid $SERVER_PID) on 127.0.0.1:$PORT; first 200 after $FIRST_MS ms"
}

# run_wrk LABEL URL SECONDS OUT: runs wrk with the Lua POST script; fails on any non-2xx/3xx response.
# WRK_TOKENS (a token file, or empty) and WRK_SESSION (an Mcp-Session-Id, or empty) shape the requests. Every
# row builds its requests through request() (BENCH_DYNAMIC), so all rows cost the client the same per request.
WRK_TOKENS=""
WRK_SESSION=""
run_wrk() {
  local label=$1 url=$2 seconds=$3 out=$4
  BENCH_DYNAMIC=1 BENCH_TOKEN_FILE="$WRK_TOKENS" BENCH_SESSION_ID="$WRK_SESSION" \
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

# server_cpu_ticks: the CPU of the server, and of its upstream when it is a gateway (the whole cost of a call).
server_cpu_ticks() {
  local ticks
  ticks=$(cpu_ticks "$SERVER_PID")
  [ -z "$UPSTREAM_PID" ] || ticks=$((ticks + $(cpu_ticks "$UPSTREAM_PID")))
  echo "$ticks"
}

# measure LABEL URL: warm-up then measured run; sets RPS, P50, P99, P999, CPU_US (server CPU µs per request) and
# RSS_MB (the server's resident memory right after the load, MiB).
measure() {
  local label=$1 url=$2
  echo "  warm-up ${WARMUP}s ..."
  run_wrk "$label warm-up" "$url" "$WARMUP" "$WORK/$label-warmup.txt"
  echo "  measuring ${DURATION}s (threads $THREADS, connections $CONNECTIONS) ..."
  local cpu_before cpu_after requests
  cpu_before=$(server_cpu_ticks)
  run_wrk "$label" "$url" "$DURATION" "$WORK/$label.txt"
  cpu_after=$(server_cpu_ticks)
  requests=$(awk '/requests in/ {print $1}' "$WORK/$label.txt")
  # server CPU time (user + system) per request, in microseconds: less sensitive to other load than req/s
  CPU_US=$(awk -v d=$((cpu_after - cpu_before)) -v hz="$(getconf CLK_TCK)" -v n="$requests" \
    'BEGIN { printf "%.1f", (n > 0 ? d / hz * 1e6 / n : 0) }')
  sed 's/^/    | /' "$WORK/$label.txt"
  RPS=$(awk '/^Requests\/sec:/ {print $2}' "$WORK/$label.txt")
  P50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$WORK/$label.txt")")
  P99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$WORK/$label.txt")")
  P999=$(to_ms "$(awk '/^p99.9 latency:/ {print $3}' "$WORK/$label.txt")")
  RSS_MB=$(awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$SERVER_PID/status")
}

# echo_call URL OUT [CURL-ARGS...]: one tools/call echo with curl (extra headers in CURL-ARGS); fails unless it
# is 200 with the expected text.
# BENCH_ERA=2026 sends the 2026-07-28 shape.
echo_call() {
  local url=$1 out=$2 status
  shift 2
  if [ "${BENCH_ERA:-}" = 2026 ]; then
    status=$(curl -sS -o "$out" -w '%{http_code}' -X POST "$url" \
      -H 'Content-Type: application/json' -H "Accept: $BENCH_ACCEPT" -H 'MCP-Protocol-Version: 2026-07-28' \
      -H 'Mcp-Method: tools/call' -H 'Mcp-Name: echo' "$@" --data-binary "$ECHO_CALL_2026")
  else
    status=$(curl -sS -o "$out" -w '%{http_code}' -X POST "$url" \
      -H 'Content-Type: application/json' -H "Accept: $BENCH_ACCEPT" \
      -H 'MCP-Protocol-Version: 2025-11-25' "$@" --data-binary "$ECHO_CALL")
  fi
  [ "$status" = 200 ] || { cat "$out" >&2; echo >&2; die "tools/call echo answered HTTP $status"; }
  grep -qF "$EXPECTED_TEXT" "$out" && grep -qF '"isError":false' "$out" \
    || { cat "$out" >&2; echo >&2; die "tools/call echo did not return the expected text"; }
}

# same_bytes OUT: the first verified answer is saved for the ceiling; every later variant must answer the same
# bytes, so all rows do the same work apart from authentication.
same_bytes() {
  if [ ! -f "$WORK/response.json" ]; then
    cp "$1" "$WORK/response.json"
    echo "  verified tools/call echo, captured $(wc -c <"$WORK/response.json") bytes: $(cat "$WORK/response.json")"
  else
    cmp -s "$WORK/response.json" "$1" || { cat "$1" >&2; echo >&2; die "the answer differs from the captured bytes"; }
    echo "  verified tools/call echo: HTTP 200, the captured bytes"
  fi
}

# probe_echo URL [CURL-ARGS...] / probe_initialize URL [CURL-ARGS...]: what launch sends until it gets a 200: a
# tools/call echo (stateless servers and the ceiling), or an initialize (stateful servers).
probe_echo() {
  PROBE_ARGS=(-X POST "$1" -H 'Content-Type: application/json' -H "Accept: $BENCH_ACCEPT" \
    -H 'MCP-Protocol-Version: 2025-11-25' "${@:2}" --data-binary "$ECHO_CALL")
}
probe_initialize() {
  PROBE_ARGS=(-X POST "$1" -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
    "${@:2}" --data-binary "$INIT")
}

# start_gatehouse NAME PORT ENV-ASSIGNMENTS... -- SERVE-ARGS...: launches `gatehouse serve --port PORT` (with the
# probe set beforehand) with a clean GATEHOUSE_TOKEN_CACHE_SIZE / GATEHOUSE_AUDIT_LOG plus the given assignments;
# sets MCP_URL (the canonical URL the server reports, the tokens' audience) and URL (the loopback address wrk uses).
start_gatehouse() {
  local name=$1 port=$2 envs=() i
  shift 2
  while [ "$1" != "--" ]; do envs+=("$1"); shift; done
  shift
  # shellcheck disable=SC2086
  launch "$name" "$port" env -u GATEHOUSE_TOKEN_CACHE_SIZE -u GATEHOUSE_AUDIT_LOG -u GATEHOUSE_LOG_LEVEL "${envs[@]}" \
    "$JAVA" $GATEHOUSE_FLAGS $JAVA_OPTS -jar "$APP_JAR" serve --port "$port" "$@"
  for i in $(seq 1 100); do grep -q 'serving MCP at' "$SERVER_LOG" && break; sleep 0.05; done
  MCP_URL=$(sed -nE 's#.*serving MCP at (http://[^ ]+).*#\1#p' "$SERVER_LOG" | head -n1)
  [ "$MCP_URL" = "http://localhost:$port/mcp" ] || die "$name did not log 'serving MCP at http://localhost:$port/mcp'"
  URL="http://127.0.0.1:$port/mcp"
}

# capture_response: the ceiling needs Gatehouse's answer; when no Gatehouse variant ran before it, start one.
capture_response() {
  echo "== capturing Gatehouse's answer for the ceiling (auth off, stateless)"
  local port
  port=$(free_port)
  probe_echo "http://127.0.0.1:$port/mcp"
  start_gatehouse capture "$port" -- --auth none --session-mode stateless --data-dir "$WORK/data-off"
  echo_call "$URL" "$WORK/check.json"
  same_bytes "$WORK/check.json"
  stop_server
}

# ensure_keys DIR [TYPE]: a key pair made with `gatehouse keys generate` (once per run), so that every start of a
# local-keys server finds its keys, as a restarted server does.
ensure_keys() {
  [ -f "$1/jwks.json" ] && return
  mkdir -p "$(dirname "$1")"
  "$JAVA" -jar "$APP_JAR" keys generate --out "$1" ${2:+--type "$2"} >"$1.log" 2>&1 \
    || { cat "$1.log" >&2; die "keys generate failed"; }
}

# mint_tokens KEY COUNT OUT PORT: COUNT distinct tokens for a server on PORT (iss = its base URL, aud = its
# canonical MCP URL, scope mcp:tools), one a line.
mint_tokens() {
  local key=$1 count=$2 out=$3 iss="http://localhost:$4"
  "$JAVA" -XX:TieredStopAtLevel=1 -jar "$APP_JAR" token mint --key "$key" --sub bench --scopes mcp:tools \
    --iss "$iss" --aud "$iss/mcp" --ttl PT2H --count "$count" >"$out" 2>"$out.err" \
    || { cat "$out.err" >&2; die "token mint failed"; }
  [ "$(sort -u "$out" | grep -c .)" -eq "$count" ] || die "token mint did not print $count distinct tokens"
}

# embedded_token PORT OUT: the embedded default's data directory, made by one start on PORT, and a
# client_credentials token of its client `bench` (config $WORK/embedded.yaml) for that port, written to OUT; the
# measured start then finds an existing data directory and a token it issued, as a restarted server does.
EMBEDDED_SECRET=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
embedded_token() {
  local port=$1 out=$2
  cat >"$WORK/embedded.yaml" <<YAML
clients:
  - client-id: bench
    grant-types: [client_credentials]
    token-endpoint-auth-method: client_secret_basic
    client-secret-env: GATEHOUSE_BENCH_SECRET
    scopes: [mcp:tools]
YAML
  PROBE_ARGS=("http://127.0.0.1:$port/.well-known/oauth-authorization-server")
  start_gatehouse "embedded-prime" "$port" GATEHOUSE_BENCH_SECRET="$EMBEDDED_SECRET" -- \
    --data-dir "$WORK/data-embedded" --config "$WORK/embedded.yaml"
  curl -sS -u "bench:$EMBEDDED_SECRET" -d grant_type=client_credentials --data-urlencode "resource=$MCP_URL" \
    "http://127.0.0.1:$port/oauth/token" | sed -nE 's/.*"access_token" *: *"([^"]+)".*/\1/p' >"$out"
  [ -s "$out" ] || die "the embedded authorization server issued no client_credentials token"
  stop_server
}

# record VARIANT ROUND: appends the last measurement to the results.
record() {
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$RPS" "$P50" "$P99" "$CPU_US" "$P999" "$RSS_MB" "$FIRST_MS" \
    >>"$WORK/results.tsv"
}

# ensure_ignored_tokens: WARM_TOKENS distinct tokens, as long as rs-warm's, for the rows that ignore them
# (ceiling-warm, off-warm); made once per run with a key of their own.
ensure_ignored_tokens() {
  [ -f "$WORK/ignored-tokens.txt" ] && return
  ensure_keys "$WORK/ignored-keys"
  mint_tokens "$WORK/ignored-keys/signing-key.jwk" "$WARM_TOKENS" "$WORK/ignored-tokens.txt" "$PORT"
}

# bench_ceiling VARIANT ROUND: the bare Jetty handler answering the captured bytes, same requests from wrk.
bench_ceiling() {
  local v=$1 round=$2 port
  [ -f "$WORK/response.json" ] || capture_response
  echo "== round $round: $(label_of "$v") (same Jetty setup, same response bytes)"
  port=$(free_port)
  probe_echo "http://127.0.0.1:$port/mcp"
  # shellcheck disable=SC2086
  launch "$v-$round" "$port" "$JAVA" $CEILING_FLAGS $JAVA_OPTS -jar "$BENCH_JAR" "$port" "$WORK/response.json"
  URL="http://127.0.0.1:$PORT/mcp"
  echo_call "$URL" "$WORK/check.json"
  cmp -s "$WORK/response.json" "$WORK/check.json" || die "the ceiling does not return the captured bytes"
  WRK_TOKENS=""
  if [ "$v" = ceiling-warm ]; then
    ensure_ignored_tokens
    WRK_TOKENS="$WORK/ignored-tokens.txt"
  fi
  measure "$v-$round" "$URL"
  record "$v" "$round"
  WRK_TOKENS=""
  stop_server
}

# bench_gatehouse VARIANT ROUND: mints the variant's tokens, starts Gatehouse for it, checks one echo call
# (and, with auth, that a call without a token is refused), loads it, checks again, stops it.
bench_gatehouse() {
  local v=${1%-2026} round=$2 base envs=() args=() key="" kind="" count=1 port probe=probe_echo
  base=${v%-quiet}
  [ "$v" = "$base" ] || envs+=(GATEHOUSE_AUDIT_LOG=denials)
  if [ "$1" != "$v" ]; then export BENCH_ERA=2026; else unset BENCH_ERA; fi
  v=$1
  port=$(free_port)
  WRK_SESSION=""
  WRK_TOKENS=""
  case $base in
    off|off-warm) args=(--auth none --session-mode stateless --data-dir "$WORK/data-off") ;;
    off-stateful) args=(--auth none --data-dir "$WORK/data-off"); probe=probe_initialize ;;
    embedded) WRK_TOKENS="$WORK/tokens-$v-$round.txt"
              embedded_token "$port" "$WRK_TOKENS"
              envs+=(GATEHOUSE_BENCH_SECRET="$EMBEDDED_SECRET")
              args=(--data-dir "$WORK/data-embedded" --config "$WORK/embedded.yaml"); probe=probe_initialize ;;
    gateway) local upstream_port
             upstream_port=$(free_port)
             probe_echo "http://127.0.0.1:$upstream_port/mcp"
             start_gatehouse "$v-$round-upstream" "$upstream_port" -- --auth none --session-mode stateless --data-dir "$WORK/data-off"
             UPSTREAM_PID=$SERVER_PID
             args=(--auth none --upstream "$URL" --data-dir "$WORK/data-gateway"); probe=probe_initialize ;;
    rs-*) ensure_keys "$WORK/data-rs/keys"
          args=(--auth local-keys --session-mode stateless --data-dir "$WORK/data-rs")
          key="$WORK/data-rs/keys/signing-key.jwk" ;;
    es-*) ensure_keys "$WORK/es-keys" EC
          args=(--auth local-keys --session-mode stateless --data-dir "$WORK/data-es" --jwks-file "$WORK/es-keys/jwks.json")
          key="$WORK/es-keys/signing-key.jwk" ;;
  esac
  case $base in
    *-cold) kind=cold; envs+=(GATEHOUSE_TOKEN_CACHE_SIZE=0) ;;
    *-warm) kind=warm; count=$WARM_TOKENS ;;
    *-hot) kind=hot ;;
  esac
  local auth=()
  if [ -n "$key" ]; then
    WRK_TOKENS="$WORK/tokens-$v-$round.txt"
    mint_tokens "$key" "$count" "$WRK_TOKENS" "$port"
    echo "  minted $count token(s) ($kind) for iss http://localhost:$port, aud http://localhost:$port/mcp"
  fi
  [ -z "$WRK_TOKENS" ] || auth=(-H "Authorization: Bearer $(head -n1 "$WRK_TOKENS")")
  "$probe" "http://127.0.0.1:$port/mcp" "${auth[@]}"
  echo "== round $round: Gatehouse, $(label_of "$v"): serve ${args[*]}${envs[*]:+ with ${envs[*]%%=*}}"
  start_gatehouse "$v-$round" "$port" "${envs[@]}" -- "${args[@]}"
  if [ -n "$WRK_TOKENS" ]; then
    local status
    status=$(curl -sS -o /dev/null -w '%{http_code}' -X POST "$URL" -H 'Content-Type: application/json' \
      -H "Accept: $BENCH_ACCEPT" -H 'MCP-Protocol-Version: 2025-11-25' --data-binary "$ECHO_CALL")
    [ "$status" = 401 ] || die "a call without a token answered HTTP $status, not 401: is authentication on?"
  fi
  if [ "$probe" = probe_initialize ]; then
    WRK_SESSION=$(curl -sS -D - -o "$WORK/init.json" -X POST "$URL" "${auth[@]}" \
      -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' --data-binary "$INIT" \
      | awk 'tolower($1) == "mcp-session-id:" {print $2}' | tr -d '\r')
    [ -n "$WRK_SESSION" ] || { cat "$WORK/init.json" >&2; die "initialize returned no Mcp-Session-Id"; }
    curl -sS -o /dev/null -X POST "$URL" -H 'Content-Type: application/json' "${auth[@]}" \
      -H 'Accept: application/json, text/event-stream' -H "Mcp-Session-Id: $WRK_SESSION" \
      -H 'MCP-Protocol-Version: 2025-11-25' --data-binary '{"jsonrpc":"2.0","method":"notifications/initialized"}'
    auth+=(-H "Mcp-Session-Id: $WRK_SESSION")
  fi
  if [ "$base" = off-warm ]; then
    ensure_ignored_tokens
    WRK_TOKENS="$WORK/ignored-tokens.txt"
  fi
  echo_call "$URL" "$WORK/check.json" "${auth[@]}"
  # a 2026 answer carries resultType and serverInfo besides the 2025 bytes: checked by echo_call, not compared
  [ -n "${BENCH_ERA:-}" ] || same_bytes "$WORK/check.json"
  if [ -n "$key" ] && [ "${v%-2026}" = "$base" ]; then
    local i
    for i in $(seq 1 20); do grep -q 'audit.* - allowed sub=bench' "$SERVER_LOG" && break; sleep 0.1; done
    grep -q 'audit.* - allowed sub=bench' "$SERVER_LOG" || die "no 'allowed sub=bench' audit line in the server log"
  fi
  if [ "$base" = gateway ]; then
    # the relay path (the JDK's HTTP client, CompletableFuture chains) is still being compiled long after the
    # first seconds: measured as it serves once warm, not while the JIT catches up
    echo "  gateway warm-up ${GATEWAY_WARMUP}s ..."
    run_wrk "$v-$round gateway warm-up" "$URL" "$GATEWAY_WARMUP" "$WORK/$v-$round-gateway-warmup.txt"
  fi
  measure "$v-$round" "$URL"
  record "$v" "$round"
  echo_call "$URL" "$WORK/check.json" "${auth[@]}"   # still answers after the load
  if [ -n "$key" ]; then
    echo "  server log after the run: $(wc -l <"$SERVER_LOG") lines, $(du -h "$SERVER_LOG" | cut -f1)"
  fi
  WRK_SESSION=""
  WRK_TOKENS=""
  unset BENCH_ERA
  stop_server
}

bench_variant() { # VARIANT ROUND
  case $1 in
    ceiling|ceiling-warm) bench_ceiling "$1" "$2" ;;
    *) bench_gatehouse "$1" "$2" ;;
  esac
}

# Odd rounds run the variants in the given order, even rounds in reverse, to cancel drift.
: >"$WORK/results.tsv"
read -r -a ORDER <<<"$VARIANTS"
START=$SECONDS
for round in $(seq 1 "$ROUNDS"); do
  if [ $((round % 2)) -eq 1 ]; then
    for v in "${ORDER[@]}"; do bench_variant "$v" "$round"; done
  else
    for ((i = ${#ORDER[@]} - 1; i >= 0; i--)); do bench_variant "${ORDER[$i]}" "$round"; done
  fi
done

# --- report ----------------------------------------------------------------------------------------------
# median_row VARIANT: the round with the median req/s for VARIANT (lower median for even counts).
median_row() {
  awk -F'\t' -v t="$1" '$1 == t' "$WORK/results.tsv" | sort -t$'\t' -k3,3g \
    | awk -v n="$ROUNDS" 'NR == int((n + 1) / 2)'
}
row() { # LABEL TSV-LINE
  printf '%-44s %9.0f %8.3f %8.3f %9.3f %9.1f %8s %12s\n' "$1" "$(cut -f3 <<<"$2")" "$(cut -f4 <<<"$2")" "$(cut -f5 <<<"$2")" \
    "$(cut -f7 <<<"$2")" "$(cut -f6 <<<"$2")" "$(cut -f8 <<<"$2")" "$(cut -f9 <<<"$2")"
}
# VARIANT COLUMN: 3 req/s, 4 p50, 5 p99, 6 CPU/req, 7 p99.9, 8 RSS MiB, 9 first 200 ms
field() { cut -f"$2" <<<"$(median_row "$1")"; }
echo
echo "tools/call echo over HTTP: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s after ${WARMUP}s warm-up, $ROUNDS round(s)," \
     "$((SECONDS - START)) s in all; $(nproc) CPUs shared by wrk and the server"
printf '%-44s %9s %8s %8s %9s %9s %8s %12s\n' target 'req/s' 'p50 ms' 'p99 ms' 'p99.9 ms' 'CPU/req µs' 'RSS MiB' 'first 200 ms'

SUFFIX=""
if [ "$ROUNDS" -gt 1 ]; then
  SUFFIX=" (median)"
  while IFS= read -r line; do
    row "$(label_of "$(cut -f1 <<<"$line")") (round $(cut -f2 <<<"$line"))" "$line"
  done < <(sort -t$'\t' -k1,1 -k2,2n "$WORK/results.tsv")
fi
for v in "${ORDER[@]}"; do
  row "$(label_of "$v")$SUFFIX" "$(median_row "$v")"
done

# The foundation's lines: Gatehouse with auth off against the ceiling.
GH=""
if has_variant off; then GH=off; elif has_variant off-stateful; then GH=off-stateful; fi
if has_variant ceiling && [ -n "$GH" ]; then
  RATIO=$(awk -v g="$(field "$GH" 3)" -v c="$(field ceiling 3)" 'BEGIN { printf "%.2f", g / c }')
  MET=$(awk -v r="$RATIO" -v t="$TARGET_RATIO" 'BEGIN { print (r >= t) ? "met" : "NOT met" }')
  echo "ratio Gatehouse/ceiling (req/s)$SUFFIX, $(label_of "$GH"): $RATIO   (target >= $TARGET_RATIO: $MET)"
  CPU_RATIO=$(awk -v g="$(field "$GH" 6)" -v c="$(field ceiling 6)" 'BEGIN { printf "%.2f", c / g }')
  echo "ratio by server CPU time per request (ceiling/Gatehouse): $CPU_RATIO   (server CPU/req is in µs)"
fi

# ratio NUMERATOR DENOMINATOR [TARGET]: one line of the ratio table, when both rows were measured.
RATIO_HEADER_DONE=""
ratio() {
  local num=$1 den=$2 target=${3:-} r c verdict=""
  has_variant "$num" && has_variant "$den" || return 0
  if [ -z "$RATIO_HEADER_DONE" ]; then
    echo
    printf '%-64s %7s %9s   %s\n' "ratio$SUFFIX" 'req/s' 'CPU/req' 'target'
    RATIO_HEADER_DONE=1
  fi
  r=$(awk -v a="$(field "$num" 3)" -v b="$(field "$den" 3)" 'BEGIN { printf "%.2f", a / b }')
  # by CPU: denominator's CPU/req over numerator's, the throughput ratio if the server had the cores to itself
  c=$(awk -v a="$(field "$num" 6)" -v b="$(field "$den" 6)" 'BEGIN { printf "%.2f", b / a }')
  if [ -n "$target" ]; then
    verdict=">= $target: $(awk -v r="$r" -v t="$target" 'BEGIN { print (r >= t) ? "met" : "NOT met" }')"
  fi
  printf '%-64s %7s %9s   %s\n' "$(label_of "$num") / $(label_of "$den")" "$r" "$c" "$verdict"
}
ratio rs-warm off-warm "$TARGET_WARM"
ratio rs-warm off "$TARGET_WARM"
ratio es-warm off "$TARGET_WARM"
ratio rs-hot off
ratio es-hot off
ratio rs-cold ceiling "$TARGET_COLD"
ratio es-cold ceiling
ratio rs-cold rs-hot
ratio es-cold es-hot
ratio ceiling-warm ceiling
ratio off-warm off
ratio off-2026 off "$TARGET_2026"
ratio rs-warm-2026 rs-warm "$TARGET_2026"
ratio gateway off
for v in "${ORDER[@]}"; do
  [ "$v" = "${v%-quiet}" ] || ratio "${v%-quiet}" "$v"
done

# Server CPU per request above auth off: what authentication costs on the server, in µs.
if has_variant off; then
  first=1
  for v in "${ORDER[@]}"; do
    case ${v%-quiet} in rs-*|es-*) ;; *) continue ;; esac
    [ "$v" = "${v%-2026}" ] || continue
    if [ -n "$first" ]; then echo; echo "server CPU per request above $(label_of off)$SUFFIX:"; first=""; fi
    printf '  %-44s %+8.1f µs\n' "$(label_of "$v")" "$(awk -v a="$(field "$v" 6)" -v b="$(field off 6)" 'BEGIN { print a - b }')"
  done
fi

# Against the ceiling of the same run: throughput, tail, memory and start-up of every Gatehouse row. The targets
# apply to the authenticated rows (local keys: rs-*/es-*, and the embedded default).
if has_variant ceiling; then
  echo
  echo "against $(label_of ceiling)$SUFFIX; targets for authenticated rows: req/s >= 0.80, p99 <= 2.0x, RSS <= 256 MiB,"
  echo "first 200 <= 600 ms (local keys) or 1000 ms (embedded default)"
  printf '%-44s %7s %7s %7s %8s %13s   %s\n' row 'req/s' 'p99' 'p99.9' 'RSS MiB' 'first 200 ms' 'targets'
  for v in "${ORDER[@]}"; do
    case $v in ceiling*) continue ;; esac
    r=$(awk -v a="$(field "$v" 3)" -v b="$(field ceiling 3)" 'BEGIN { printf "%.2f", a / b }')
    p=$(awk -v a="$(field "$v" 5)" -v b="$(field ceiling 5)" 'BEGIN { printf "%.2f", a / b }')
    p9=$(awk -v a="$(field "$v" 7)" -v b="$(field ceiling 7)" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
    rss=$(field "$v" 8)
    first=$(field "$v" 9)
    verdict=""
    case ${v%-2026} in
      rs-*|es-*|embedded*)
        limit=600
        case $v in embedded*) limit=1000 ;; esac
        missed=$(awk -v r="$r" -v p="$p" -v m="$rss" -v f="$first" -v l="$limit" 'BEGIN {
          s = ""; if (r < 0.80) s = s " req/s"; if (p > 2.0) s = s " p99"; if (m > 256) s = s " RSS"; if (f > l) s = s " first-200";
          print s }')
        verdict=${missed:+NOT met:$missed}
        verdict=${verdict:-all met} ;;
    esac
    printf '%-44s %7s %6sx %6sx %8s %13s   %s\n' "$(label_of "$v")" "$r" "$p" "$p9" "$rss" "$first" "$verdict"
  done
fi
