#!/usr/bin/env bash
# Two Gatehouse nodes on one PostgreSQL behind HAProxy, all on loopback, to try what README "Several nodes"
# describes. Needs PostgreSQL and HAProxy installed (Debian: apt-get install postgresql haproxy) and a JDK 21+.
# Ctrl+C stops everything and deletes the temporary directory (database included).
#   deploy/cluster.sh                      # stateless nodes (every request balanced round-robin)
#   SESSION_MODE=stateful deploy/cluster.sh  # stateful nodes (sessions stick to their node)
# Ports: LB_PORT (9000), NODE1_PORT/NODE2_PORT (9001/9002), their management ports (9101/9102), PG_PORT (55432).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LB_PORT="${LB_PORT:-9000}" NODE1_PORT="${NODE1_PORT:-9001}" NODE2_PORT="${NODE2_PORT:-9002}" PG_PORT="${PG_PORT:-55432}"
SESSION_MODE="${SESSION_MODE:-stateless}"
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -x "$PG_BIN/initdb" ] || { echo "PostgreSQL not found: apt-get install postgresql" >&2; exit 1; }
command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] || { echo "HAProxy not found: apt-get install haproxy" >&2; exit 1; }
HAPROXY="$(command -v haproxy || echo /usr/sbin/haproxy)"

umask 077
WORK="$(mktemp -d -t gatehouse-cluster.XXXXXX)"
AS_PG=()
if [ "$(id -u)" = 0 ]; then chown postgres "$WORK"; AS_PG=(runuser -u postgres --); fi
PIDS=()
stop() {
  trap - INT TERM EXIT
  echo; echo "Stopping..."
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$WORK/pg" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap stop INT TERM EXIT

echo "PostgreSQL on 127.0.0.1:$PG_PORT ($WORK/pg)"
"${AS_PG[@]}" "$PG_BIN/initdb" -D "$WORK/pg" -U gatehouse -A trust -E UTF8 --no-sync >/dev/null
"${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg.log" -w -o "-h 127.0.0.1 -p $PG_PORT -k $WORK" start >/dev/null
"${AS_PG[@]}" "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U gatehouse gatehouse

# what every node shares: the database, the key that encrypts the signing keys in it, and the public URL (HAProxy's)
export GATEHOUSE_DATABASE_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/gatehouse?user=gatehouse"
export GATEHOUSE_KEY_ENCRYPTION_KEY="$(head -c 32 /dev/urandom | base64)"
export GATEHOUSE_DEMO_PASSWORD="${GATEHOUSE_DEMO_PASSWORD:-$(head -c 12 /dev/urandom | base64 | tr -d '/+=')}"
export GATEHOUSE_PUBLIC_URL="http://127.0.0.1:$LB_PORT"
export GATEHOUSE_SESSION_MODE="$SESSION_MODE"
export GATEHOUSE_TRUSTED_PROXIES=127.0.0.1   # HAProxy: its X-Forwarded-For names the client for the per-address limits
export GATEHOUSE_SHUTDOWN_DRAIN=2s   # HAProxy checks every second: it sees the 503 before the listener closes

"$ROOT/gatehouse" --version >/dev/null   # builds the jar once, before two nodes would both try
start_node() { # name port management-port
  mkdir -p "$WORK/$1"
  GATEHOUSE_DATA_DIR="$WORK/$1" GATEHOUSE_PORT="$2" GATEHOUSE_MANAGEMENT_PORT="$3" \
    "$ROOT/gatehouse" serve > "$WORK/$1.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$2/health/ready" >/dev/null 2>&1; then echo "$1 on 127.0.0.1:$2 (log: $WORK/$1.log)"; return; fi
    sleep 0.5
  done
  echo "$1 did not become ready:" >&2; cat "$WORK/$1.log" >&2; exit 1
}
# one after the other: the first node creates the schema, the demo users and the signing key
start_node node1 "$NODE1_PORT" $((NODE1_PORT + 100))
start_node node2 "$NODE2_PORT" $((NODE2_PORT + 100))

GATEHOUSE_LB_BIND="127.0.0.1:$LB_PORT" GATEHOUSE_LB_HOST="127.0.0.1:$LB_PORT" \
GATEHOUSE_NODE_1="127.0.0.1:$NODE1_PORT" GATEHOUSE_NODE_2="127.0.0.1:$NODE2_PORT" \
  "$HAPROXY" -db -f "$ROOT/deploy/haproxy.cfg" > "$WORK/haproxy.log" 2>&1 &
PIDS+=($!)

cat <<INFO

Gatehouse, two $SESSION_MODE nodes behind HAProxy: http://127.0.0.1:$LB_PORT/mcp
Demo users alice, bob, admin, guest; password: $GATEHOUSE_DEMO_PASSWORD

Try:
  npx @modelcontextprotocol/inspector              # connect to http://127.0.0.1:$LB_PORT/mcp, log in as alice
  curl -s http://127.0.0.1:$LB_PORT/health/ready    # what HAProxy checks on each node
  curl -s http://127.0.0.1:$((NODE1_PORT + 100))/health | jq .mcpRequests   # which node served how many (node 2: $((NODE2_PORT + 100)))
  kill -TERM ${PIDS[0]}                            # drain node 1: HAProxy sends everything to node 2, nothing is lost
  tail -f $WORK/haproxy.log                        # one line per request, with the node that served it

Ctrl+C stops everything.
INFO
wait "${PIDS[@]}"
