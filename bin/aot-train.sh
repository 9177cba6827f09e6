#!/usr/bin/env bash
# Builds the JDK's ahead-of-time class cache for gatehouse.jar (JDK 25+, JEP 483/514): runs `gatehouse serve` with
# its embedded default once, drives the requests a real start serves first (metadata, a refused call, dynamic
# registration, the sign-in page, a client_credentials token, initialize, tools/list, tools/call), stops it, and
# the JVM writes JAR-without-.jar.aot plus a note of the JDK that made it (bin/java-options.sh uses the cache only
# with that JDK). Run by gatehouse-app's build (package phase, JDK 25+ on Unix; -Daot.skip skips it); on an older
# JDK it does nothing. Usage: bin/aot-train.sh path/to/gatehouse.jar
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
AOT="${JAR%.jar}.aot"
. "$ROOT/bin/find-jdk.sh"
. "$ROOT/bin/java-options.sh"
if [ "$(gatehouse_java_major "$JAVA_HOME")" -lt 25 ]; then
  echo "aot-train: $JAVA_HOME is older than JDK 25: no ahead-of-time cache (Gatehouse starts without one)"
  exit 0
fi
command -v curl >/dev/null 2>&1 || { echo "aot-train: curl is missing: no ahead-of-time cache"; exit 0; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-aot.XXXXXX")
PID=""
cleanup() { [ -z "$PID" ] || kill "$PID" 2>/dev/null || true; rm -rf "$WORK" "$AOT.config"; }
trap cleanup EXIT
rm -f "$AOT" "$AOT.jdk"
cat >"$WORK/training.yaml" <<'YAML'
clients:
  - client-id: aot-training
    grant-types: [client_credentials]
    token-endpoint-auth-method: client_secret_basic
    client-secret-env: GATEHOUSE_AOT_TRAINING_SECRET
    scopes: [mcp:tools]
YAML
SECRET=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
START=$SECONDS
# shellcheck disable=SC2046
GATEHOUSE_AOT_TRAINING_SECRET=$SECRET "$JAVA_HOME/bin/java" $(GATEHOUSE_JAVA_OPTS="$GATEHOUSE_DEFAULT_JAVA_OPTS" gatehouse_java_options /nonexistent.jar) \
  -XX:AOTCacheOutput="$AOT" -Xlog:aot=error -jar "$JAR" serve --port 0 --data-dir "$WORK/data" --config "$WORK/training.yaml" \
  >"$WORK/serve.log" 2>&1 &
PID=$!
PORT=""
for _ in $(seq 1 600); do
  kill -0 "$PID" 2>/dev/null || { cat "$WORK/serve.log" >&2; echo "aot-train: the server exited during start-up" >&2; exit 1; }
  PORT=$(sed -nE 's#.*bound 127\.0\.0\.1:([0-9]+).*#\1#p' "$WORK/serve.log" | head -n1)
  [ -n "$PORT" ] && break
  sleep 0.1
done
[ -n "$PORT" ] || { cat "$WORK/serve.log" >&2; echo "aot-train: the server did not start" >&2; exit 1; }
BASE="http://127.0.0.1:$PORT"
fail() { cat "$WORK/serve.log" >&2; echo "aot-train: $*" >&2; exit 1; }
call() { # EXPECTED-STATUS CURL-ARGS...: one request, its body in $WORK/body
  local expected=$1 status
  shift
  status=$(curl -sS -o "$WORK/body" -w '%{http_code}' "$@") || fail "curl $* failed"
  # the message names the request without its credentials
  [ "$status" = "$expected" ] || fail "$(sed -E 's/(Bearer |aot-training:)[^ ]+/\1.../g' <<<"$*") answered $status, not $expected: $(head -c 300 "$WORK/body")"
}
MCP=(-H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream')
for _ in 1 2 3; do
  call 200 "$BASE/.well-known/oauth-protected-resource/mcp"
  call 200 "$BASE/.well-known/oauth-authorization-server"
  call 401 -X POST "$BASE/mcp" "${MCP[@]}" --data-binary '{"jsonrpc":"2.0","id":1,"method":"tools/list"}'
  call 201 -X POST "$BASE/oauth/register" -H 'Content-Type: application/json' \
    --data-binary '{"client_name":"AOT training","redirect_uris":["http://127.0.0.1:33418/callback"],"token_endpoint_auth_method":"none"}'
  CLIENT=$(sed -nE 's/.*"client_id" *: *"([^"]+)".*/\1/p' "$WORK/body")
  call 200 -G "$BASE/oauth/authorize" --data-urlencode "client_id=$CLIENT" --data-urlencode response_type=code \
    --data-urlencode redirect_uri=http://127.0.0.1:33418/callback --data-urlencode state=training \
    --data-urlencode code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM --data-urlencode code_challenge_method=S256 \
    --data-urlencode "resource=http://localhost:$PORT/mcp"
  call 200 -X POST "$BASE/oauth/token" -u "aot-training:$SECRET" -d grant_type=client_credentials \
    --data-urlencode "resource=http://localhost:$PORT/mcp"
  TOKEN=$(sed -nE 's/.*"access_token" *: *"([^"]+)".*/\1/p' "$WORK/body")
  AUTH=(-H "Authorization: Bearer $TOKEN" -H 'MCP-Protocol-Version: 2025-11-25')
  SESSION=$(curl -sS -D - -o /dev/null -X POST "$BASE/mcp" "${MCP[@]}" "${AUTH[@]}" --data-binary \
    '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"aot-training","version":"1"}}}' \
    | awk 'tolower($1) == "mcp-session-id:" {print $2}' | tr -d '\r')
  [ -n "$SESSION" ] || fail "initialize returned no session"
  call 202 -X POST "$BASE/mcp" "${MCP[@]}" "${AUTH[@]}" -H "Mcp-Session-Id: $SESSION" \
    --data-binary '{"jsonrpc":"2.0","method":"notifications/initialized"}'
  call 200 -X POST "$BASE/mcp" "${MCP[@]}" "${AUTH[@]}" -H "Mcp-Session-Id: $SESSION" \
    --data-binary '{"jsonrpc":"2.0","id":2,"method":"tools/list"}'
  call 200 -X POST "$BASE/mcp" "${MCP[@]}" "${AUTH[@]}" -H "Mcp-Session-Id: $SESSION" \
    --data-binary '{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"echo","arguments":{"message":"training","repeat_count":2}}}'
  call 200 -X DELETE "$BASE/mcp" "${AUTH[@]}" -H "Mcp-Session-Id: $SESSION"
done
kill -TERM "$PID"
wait "$PID" || true
PID=""
[ -s "$AOT" ] || fail "the JVM wrote no cache"
gatehouse_jdk_identity >"$AOT.jdk"
echo "aot-train: $(basename "$AOT") ($(du -m "$AOT" | cut -f1) MiB) for $(gatehouse_jdk_identity), trained in $((SECONDS - START)) s"
