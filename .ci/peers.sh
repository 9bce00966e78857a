#!/usr/bin/env bash
# .ci/peers.sh: runs wskit conform against real third-party servers, npm's
# ws and Debian's python3-websockets, and requires the verdicts recorded in
# conformance/peers/*.json (wskit conform -expect). With "update" it writes
# those baselines from three runs instead, listing every verdict a case
# showed (then update conformance/PEERS.md from the summaries it prints).
# The check leaves out rows 6-18 of categories 12 and 13 (.ci/heavy.sh);
# "full" checks everything, as "update" records everything. Installs what
# it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
update=${1:-}
source .ci/heavy.sh
exclude=
if [ "$update" != full ] && [ "$update" != update ]; then
	exclude=$(heavy_cases)
fi
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT

go build -o "$tmp/wskit" ./cmd/wskit

ws_version=8.23.1
npm install --prefix "$tmp/node" --no-audit --no-fund --loglevel=error "ws@$ws_version" >/dev/null
if ! /usr/bin/python3 -c 'import websockets' 2>/dev/null; then
	apt-get update -qq && apt-get install -y -qq python3-websockets >/dev/null
fi

# start NAME CMD...: starts a server that prints its port, and sets port.
start() {
	local name=$1; shift
	"$@" > "$tmp/$name.port" 2> "$tmp/$name.log" &
	pids+=($!)
	for _ in $(seq 100); do
		port=$(head -n 1 "$tmp/$name.port" 2>/dev/null || true)
		[ -n "$port" ] && return 0
		sleep 0.1
	done
	echo "peers: $name did not start:" >&2; cat "$tmp/$name.log" >&2; return 1
}

# check NAME [timing]: runs the suite against the server on $port. With
# "timing", update accepts OK and NON-STRICT alike for every case that has
# both expectations: such a server (python-websockets reads a whole
# segment before it echoes) lands on either depending on how the runner's
# writes fall into segments.
check() {
	local name=$1 timing=${2:-} baseline="conformance/peers/$1.json"
	echo "-- $name"
	if [ "$update" = update ]; then
		# Three runs: a case whose verdicts differ between them gets each
		# in its baseline entry, as a list (its outcome depends on timing).
		for run in 1 2 3; do
			"$tmp/wskit" conform -url "ws://127.0.0.1:$port/" -agent "$name" -report "$tmp/$name-$run" -fail-on FAILED >"$tmp/$name.out" 2>&1 || true
		done
		sed -n '/^agent/,/^total/p' "$tmp/$name.out"
		/usr/bin/python3 .ci/peers/baseline.py ${timing:+--timing} "$baseline" "$tmp/$name-1/index.json" "$tmp/$name-2/index.json" "$tmp/$name-3/index.json"
		return 0
	fi
	"$tmp/wskit" conform -url "ws://127.0.0.1:$port/" -agent "$name" -expect "$baseline" ${exclude:+-exclude "$exclude"} >"$tmp/$name.out" 2>&1 || {
		cat "$tmp/$name.out"; echo "peers: $name's verdicts differ from $baseline" >&2; return 1; }
	tail -n 1 "$tmp/$name.out"
}

start ws env NODE_PATH="$tmp/node/node_modules" node .ci/peers/ws_echo.js
check ws
start python-websockets /usr/bin/python3 .ci/peers/websockets_echo.py
check python-websockets timing
