#!/usr/bin/env bash
# .ci/clients.sh: runs the client suite of wskit serve-cases (Autobahn's
# fuzzing-server API) against real third-party clients, npm's ws and
# Debian's python3-websockets, each driven by a small harness in
# .ci/peers written against Autobahn's documented API, and requires the
# verdicts recorded in conformance/peers/*-client.json (serve-cases
# -expect). With "update" it writes those baselines from three runs
# instead (then update conformance/PEERS.md from the summaries it prints).
# Both leave out rows 6-18 of categories 12 and 13 (.ci/heavy.sh): those
# 156 cases alone take python-websockets about 6 minutes and ws about 8
# (all OK when last run; see conformance/PEERS.md). Installs what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
update=${1:-}
source .ci/heavy.sh
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

go build -o "$tmp/wskit" ./cmd/wskit

ws_version=8.23.1
npm install --prefix "$tmp/node" --no-audit --no-fund --loglevel=error "ws@$ws_version" >/dev/null
if ! /usr/bin/python3 -c 'import websockets' 2>/dev/null; then
	apt-get update -qq && apt-get install -y -qq python3-websockets >/dev/null
fi

# suite NAME OUT [serve-cases flags...] -- CLIENT...: serves the cases on a
# free port, runs CLIENT with the server's URL and NAME as its agent, and
# returns serve-cases' exit status (it stops at the client's
# /updateReports).
suite() {
	local name=$1 out=$2; shift 2
	local flags=()
	while [ "$1" != -- ]; do flags+=("$1"); shift; done
	shift
	"$tmp/wskit" serve-cases -addr 127.0.0.1:0 -exit-on-report -report "$out" -exclude "$(heavy_cases)" "${flags[@]}" >"$tmp/$name.out" 2>&1 &
	pid=$!
	local url=
	for _ in $(seq 100); do
		url=$(grep -o 'ws://127\.0\.0\.1:[0-9]*' "$tmp/$name.out" 2>/dev/null | head -n 1 || true)
		[ -n "$url" ] && break
		sleep 0.1
	done
	[ -n "$url" ] || { echo "clients: serve-cases did not start:" >&2; cat "$tmp/$name.out" >&2; return 1; }
	local harness=0
	timeout 600 "$@" "$url" "$name" || harness=$?
	if [ "$harness" != 0 ]; then
		# serve-cases waits for the client's /updateReports, which will
		# not come.
		echo "clients: the $name harness failed (exit $harness)" >&2
		kill "$pid" 2>/dev/null || true
	fi
	local status=0
	wait "$pid" || status=$?
	pid=
	[ "$harness" = 0 ] || return 1
	return "$status"
}

# check NAME [timing] CLIENT...: holds the client's verdicts to its
# baseline. With "timing", update accepts OK and NON-STRICT alike for
# every case that has both expectations (see .ci/peers/baseline.py).
check() {
	local name=$1; shift
	local timing=
	if [ "$1" = timing ]; then timing=1; shift; fi
	local baseline="conformance/peers/$name.json"
	echo "-- $name"
	if [ "$update" = update ]; then
		for run in 1 2 3; do
			suite "$name" "$tmp/$name-$run" -- "$@" || true
		done
		sed -n '/^agent/,/^total/p' "$tmp/$name.out"
		/usr/bin/python3 .ci/peers/baseline.py ${timing:+--timing} "$baseline" "$tmp/$name-1/index.json" "$tmp/$name-2/index.json" "$tmp/$name-3/index.json"
		return 0
	fi
	suite "$name" "$tmp/$name" -expect "$baseline" -- "$@" || {
		cat "$tmp/$name.out"; echo "clients: $name's verdicts differ from $baseline" >&2; return 1; }
	tail -n 1 "$tmp/$name.out"
}

check ws-client env NODE_PATH="$tmp/node/node_modules" node .ci/peers/ws_client.js
check python-websockets-client timing /usr/bin/python3 .ci/peers/websockets_client.py
