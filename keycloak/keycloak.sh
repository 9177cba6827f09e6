#!/usr/bin/env bash
# Fetches Keycloak from Maven Central, imports Gatehouse's MCP realm, and runs it on 127.0.0.1.
#
#   keycloak/keycloak.sh start     # download if needed, start, wait until the realm answers; prints the PID
#   keycloak/keycloak.sh stop      # stop it cleanly
#   keycloak/keycloak.sh status
#
# Settings (environment): KC_VERSION (26.5.6), KC_PORT (8080), KC_REALM_FILE (keycloak/mcp-realm.json),
# KC_FEATURES (e.g. resource-indicators, needs KC_VERSION >= 26.6), KC_HOME (~/.cache/gatehouse-keycloak),
# KC_READY_TIMEOUT (300 seconds), KC_MCP_URL (http://localhost:9000/mcp: the Gatehouse URL the realm puts in
# aud; other http://localhost:9000 URLs in the realm file, such as a redirect URI, move to its origin). The admin
# console login is admin / admin (local development only).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KC_VERSION="${KC_VERSION:-26.5.6}"
KC_PORT="${KC_PORT:-8080}"
KC_HOME="${KC_HOME:-$HOME/.cache/gatehouse-keycloak}"
KC_REALM_FILE="${KC_REALM_FILE:-$ROOT/keycloak/mcp-realm.json}"
KC_READY_TIMEOUT="${KC_READY_TIMEOUT:-300}"
KC_FEATURES="${KC_FEATURES:-}"
# every Keycloak runs in a copy of its own (database, build files, log), so Keycloaks started at the same time on
# other ports (other test runs on this machine) never share or wipe each other's data
INSTANCE="$KC_HOME/run-$KC_PORT"
PIDFILE="$KC_HOME/keycloak-$KC_PORT.pid"

find_java() {
  if [ -n "${KC_JAVA_HOME:-}" ]; then echo "$KC_JAVA_HOME"; return; fi
  . "$ROOT/bin/find-jdk.sh" >/dev/null && echo "$JAVA_HOME"
}

# unpacks a fresh Keycloak into $INSTANCE, downloading the archive once
unpacked() {
  mkdir -p "$KC_HOME"
  local archive="$KC_HOME/keycloak-quarkus-dist-$KC_VERSION.tar.gz"
  if [ ! -f "$archive" ]; then
    echo "Downloading Keycloak $KC_VERSION from Maven Central (about 160 MB, once)..." >&2
    JAVA_HOME="$(find_java)" "$ROOT/mvnw" -q -B -ntp org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="org.keycloak:keycloak-quarkus-dist:$KC_VERSION:tar.gz" -DoutputDirectory="$KC_HOME" >&2
  fi
  rm -rf "$INSTANCE"
  mkdir -p "$INSTANCE"
  tar xzf "$archive" -C "$INSTANCE" --strip-components=1
}

running_pid() {
  [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null && cat "$PIDFILE"
}

start() {
  if pid=$(running_pid); then echo "Keycloak is already running on port $KC_PORT (PID $pid)"; return 0; fi
  # a fresh copy, so an empty database on every start: the realm file is imported as it is now
  unpacked
  mkdir -p "$INSTANCE/data/import"
  local realm; realm=$(python3 -c "import json,sys;print(json.load(open(sys.argv[1]))['realm'])" "$KC_REALM_FILE")
  # Keycloak's import wants <realm>-realm.json; the audience is Gatehouse's canonical MCP URL, and any other URL on
  # http://localhost:9000 (e.g. the redirect URI of Gatehouse's own client in company-realm.json) moves to its origin
  local mcp_url="${KC_MCP_URL:-http://localhost:9000/mcp}"
  local origin; origin=$(printf '%s' "$mcp_url" | sed -E 's#^(https?://[^/]+).*#\1#')
  sed -e "s#http://localhost:9000/mcp#$mcp_url#g" -e "s#http://localhost:9000#$origin#g" "$KC_REALM_FILE" > "$INSTANCE/data/import/$realm-realm.json"
  local features=(); [ -n "$KC_FEATURES" ] && features=(--features="$KC_FEATURES")
  echo "Starting Keycloak $KC_VERSION on http://localhost:$KC_PORT (realm file $(basename "$KC_REALM_FILE"))..." >&2
  local java_home; java_home="$(find_java)"
  cd "$INSTANCE"
  JAVA_HOME="$java_home" KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin \
    setsid nohup bin/kc.sh start-dev --http-host=127.0.0.1 --http-port="$KC_PORT" --hostname="http://localhost:$KC_PORT" \
    --import-realm "${features[@]}" > "$INSTANCE/keycloak.log" 2>&1 < /dev/null &
  echo $! > "$PIDFILE"
  cd - > /dev/null
  local waited=0
  until curl -sf -o /dev/null "http://127.0.0.1:$KC_PORT/realms/$realm/.well-known/openid-configuration"; do
    if ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
      echo "Keycloak exited during start-up; the last lines of $INSTANCE/keycloak.log:" >&2; tail -20 "$INSTANCE/keycloak.log" >&2; exit 1
    fi
    if [ "$waited" -ge "$KC_READY_TIMEOUT" ]; then
      echo "Keycloak was not ready after ${KC_READY_TIMEOUT}s; the last lines of its log:" >&2; tail -20 "$INSTANCE/keycloak.log" >&2
      stop; exit 1
    fi
    sleep 2; waited=$((waited + 2))
    [ $((waited % 10)) -eq 0 ] && echo "  still starting... ${waited}s" >&2
  done
  echo "Keycloak is ready: issuer http://localhost:$KC_PORT/realms/$realm (PID $(cat "$PIDFILE"), after ${waited}s)"
}

stop() {
  if pid=$(running_pid); then
    kill "$pid"
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$pid" 2>/dev/null || true
    echo "Keycloak on port $KC_PORT stopped"
  else
    echo "Keycloak is not running on port $KC_PORT"
  fi
  rm -f "$PIDFILE"
  rm -rf "$INSTANCE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if pid=$(running_pid); then echo "running (PID $pid) on port $KC_PORT"; else echo "not running"; exit 3; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
