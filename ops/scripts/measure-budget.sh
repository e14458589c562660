#!/bin/sh
# Measures the observability budget of psst's processes on this machine: RSS
# and CPU of the relay, Caddy and the node exporter, at idle and under a
# bounded load, all on loopback. Prints a Markdown table (ops/README.md).
#   sh ops/scripts/measure-budget.sh [seconds-per-phase]   (default 20)
# Needs: pnpm build (relay/dist, reveal-page/dist, protocol/dist), caddy,
# prometheus-node-exporter, wrk, taskset (util-linux), curl.
# The services run on CPU 0, wrk on CPU 1, so the load generator does not
# eat the budget it measures (a 2-core machine; the VM has one core).
set -eu

SECONDS_PER_PHASE=${1:-20}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d /tmp/psst-budget.XXXXXX)
PIDS=""
cleanup() {
	for pid in $PIDS; do kill "$pid" 2>/dev/null || true; done
	sleep 1
	for pid in $PIDS; do kill -9 "$pid" 2>/dev/null || true; done
	rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

for tool in caddy prometheus-node-exporter wrk taskset curl node; do
	command -v "$tool" >/dev/null 2>&1 || { echo "missing: $tool" >&2; exit 1; }
done
for built in relay/dist/main.js reveal-page/dist/index.html protocol/dist/secret.js; do
	[ -f "$ROOT/$built" ] || { echo "missing $built: run pnpm build first" >&2; exit 1; }
done

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
RELAY_PORT=$(free_port); METRICS_PORT=$(free_port); CADDY_PORT=$(free_port); ADMIN_PORT=$(free_port); NODE_PORT=$(free_port)

# The relay, rate limits off (the load is one client), default engine, its deployed V8 flags.
RELAY_FLAGS=$(node -p 'require(process.argv[1]).flags.join(" ")' "$ROOT/relay/node-flags.json")
# shellcheck disable=SC2086 # RELAY_FLAGS is a list of flags
PSST_HOST=127.0.0.1 PSST_PORT=$RELAY_PORT PSST_METRICS_PORT=$METRICS_PORT PSST_DB_PATH="$WORK/psst.db" \
	PSST_RATE_LIMIT_CREATE=0 PSST_RATE_LIMIT_READ=0 PSST_HTTP_ENGINE=${PSST_HTTP_ENGINE:-auto} \
	taskset -c 0 node $RELAY_FLAGS "$ROOT/relay/dist/main.js" >"$WORK/relay.log" 2>&1 &
RELAY_PID=$!; PIDS="$PIDS $RELAY_PID"

PSST_SITE_ADDRESS=http://127.0.0.1:$CADDY_PORT PSST_RELAY_UPSTREAM=127.0.0.1:$RELAY_PORT \
	PSST_WEBROOT="$ROOT/reveal-page/dist" PSST_CADDY_ADMIN=127.0.0.1:$ADMIN_PORT \
	PSST_CADDY_ACCESS_LOG="$WORK/access.log" XDG_DATA_HOME="$WORK" XDG_CONFIG_HOME="$WORK" \
	taskset -c 0 caddy run --config "$ROOT/ops/caddy/Caddyfile" --adapter caddyfile >"$WORK/caddy.log" 2>&1 &
CADDY_PID=$!; PIDS="$PIDS $CADDY_PID"

# Same collectors as production (ops/alpine/conf.d/psst-node-exporter).
NODE_ARGS=$(sed -n 's/^NODE_EXPORTER_ARGS="\(.*\)"$/\1/p' "$ROOT/ops/alpine/conf.d/psst-node-exporter" | sed "s/127.0.0.1:9100/127.0.0.1:$NODE_PORT/")
# shellcheck disable=SC2086 # the flags are separate words
taskset -c 0 prometheus-node-exporter $NODE_ARGS >"$WORK/node.log" 2>&1 &
NODE_PID=$!; PIDS="$PIDS $NODE_PID"

wait_http() {
	i=0
	until curl -fs -o /dev/null "$1"; do
		i=$((i + 1)); [ $i -lt 100 ] || { echo "no answer from $1" >&2; cat "$WORK"/*.log >&2; exit 1; }
		sleep 0.2
	done
}
wait_http "http://127.0.0.1:$CADDY_PORT/healthz"
wait_http "http://127.0.0.1:$METRICS_PORT/metrics"
wait_http "http://127.0.0.1:$NODE_PORT/metrics"

# One secret with 10 views, created through Caddy, for the look requests.
# shellcheck disable=SC2016 # JavaScript template literals, not shell
SECRET=$(cd "$ROOT/relay" && ORIGIN="http://127.0.0.1:$CADDY_PORT" node --input-type=module -e '
import { sealSecret } from "@psst/protocol/secret";
import { encodeB64u } from "@psst/protocol/b64u";
const sealed = await sealSecret({ meta: { type: "text" }, body: "budget" });
const body = { envelope: encodeB64u(sealed.envelope), accessVerifier: sealed.accessVerifier, ttl: 3600, views: 10 };
const res = await fetch(`${process.env.ORIGIN}/api/secrets`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
if (res.status !== 201) throw new Error(`create: ${res.status} ${await res.text()}`);
const { id } = await res.json();
console.log(`${id} ${encodeB64u(sealed.keys.at)}`);
')
SECRET_ID=${SECRET% *}; ACCESS_TOKEN=${SECRET#* }

cat >"$WORK/look.lua" <<EOF
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer $ACCESS_TOKEN"
EOF

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
hz=$(getconf CLK_TCK)

# measure PHASE: samples RSS every second (max kept) and CPU over the phase.
measure() {
	phase=$1
	for pid in $RELAY_PID $CADDY_PID $NODE_PID; do
		ticks "$pid" >"$WORK/t0.$pid"; echo 0 >"$WORK/rss.$pid"
	done
	start=$(date +%s.%N)
	i=0
	while [ $i -lt "$SECONDS_PER_PHASE" ]; do
		for pid in $RELAY_PID $CADDY_PID $NODE_PID; do
			r=$(rss_kib "$pid"); m=$(cat "$WORK/rss.$pid")
			[ "$r" -gt "$m" ] && echo "$r" >"$WORK/rss.$pid"
		done
		sleep 1; i=$((i + 1))
	done
	end=$(date +%s.%N)
	for pair in "relay:$RELAY_PID" "caddy:$CADDY_PID" "node_exporter:$NODE_PID"; do
		name=${pair%%:*}; pid=${pair#*:}
		t0=$(cat "$WORK/t0.$pid"); t1=$(ticks "$pid")
		awk -v n="$name" -v p="$phase" -v t0="$t0" -v t1="$t1" -v hz="$hz" -v s="$start" -v e="$end" -v rss="$(cat "$WORK/rss.$pid")" \
			'BEGIN { printf "| %s | %s | %.1f | %.1f |\n", n, p, rss / 1024, 100 * (t1 - t0) / hz / (e - s) }'
	done
}

echo "| process | phase | max RSS (MiB) | CPU (% of one core) |"
echo "|---|---|---|---|"
sleep 3
measure idle

# Under load: wrk looks up the secret through Caddy (TLS off, loopback) on
# CPU 1 with 16 connections; the node exporter is scraped once a second.
taskset -c 1 wrk -t1 -c16 -d"$((SECONDS_PER_PHASE + 2))s" -s "$WORK/look.lua" \
	"http://127.0.0.1:$CADDY_PORT/api/secrets/$SECRET_ID" >"$WORK/wrk.txt" 2>&1 &
WRK_PID=$!; PIDS="$PIDS $WRK_PID"
(i=0; while [ $i -lt $((SECONDS_PER_PHASE + 2)) ]; do curl -fsS -o /dev/null "http://127.0.0.1:$NODE_PORT/metrics"; curl -fsS -o /dev/null "http://127.0.0.1:$ADMIN_PORT/metrics"; curl -fsS -o /dev/null "http://127.0.0.1:$METRICS_PORT/metrics"; sleep 1; i=$((i + 1)); done) &
SCRAPER_PID=$!; PIDS="$PIDS $SCRAPER_PID"
sleep 1
measure load
wait "$WRK_PID" || true
echo
echo "Load: $(grep -E 'Requests/sec' "$WORK/wrk.txt" | tr -s ' ') through Caddy to GET /api/secrets/{id} (look), wrk -t1 -c16, engine $(sed -n 's/.*"engine":"\([a-z-]*\)".*/\1/p' "$WORK/relay.log" | head -1)"
grep -E 'Non-2xx|Socket errors' "$WORK/wrk.txt" || true
