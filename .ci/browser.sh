#!/usr/bin/env bash
# .ci/browser.sh: wskit in headless Chromium. It installs Debian's chromium
# and npm's playwright-core (into a temporary folder), then
#  1. starts wskit serve on a free loopback port and runs
#     .ci/browser/echo_page.js, which sends text in every length class
#     through the echo page and checks every echo, with permessage-deflate
#     negotiated and, against serve -deflate=false, declined;
#  2. starts wskit serve-cases and runs .ci/browser/client_suite.js, which
#     plays the whole client suite in Chromium's own WebSocket from the
#     suite page; serve-cases holds Chromium's verdicts to
#     conformance/peers/chromium-client.json. With "update" it writes that
#     baseline from three runs instead. Both leave out rows 6-18 of
#     categories 12 and 13 (.ci/heavy.sh).
# The screenshots' paths are printed; set WSKIT_SCREENSHOTS to a folder to
# keep them somewhere else than a temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."
update=${1:-}
source .ci/heavy.sh
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

if ! command -v chromium >/dev/null; then
	apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
playwright_version=1.65.2
npm install --prefix "$tmp/node" --no-audit --no-fund --loglevel=error "playwright-core@$playwright_version" >/dev/null
export NODE_PATH="$tmp/node/node_modules"
shots=${WSKIT_SCREENSHOTS:-$(mktemp -d)}
mkdir -p "$shots"

go build -o "$tmp/wskit" ./cmd/wskit

# serve OUT CMD...: starts a wskit command that prints its address, and
# sets url to its http:// address.
serve() {
	local out=$1; shift
	"$tmp/wskit" "$@" >"$out" 2>&1 &
	pid=$!
	url=
	for _ in $(seq 100); do
		url=$(grep -o 'ws://127\.0\.0\.1:[0-9]*' "$out" | head -n 1 | sed 's/^ws/http/' || true)
		[ -n "$url" ] && return 0
		sleep 0.1
	done
	echo "browser: wskit $1 did not start:" >&2; cat "$out" >&2; return 1
}

# Chromium offers permessage-deflate: the loopback server accepts it by
# default, and declines it cleanly with -deflate=false.
echo "-- the echo page, with permessage-deflate and without"
serve "$tmp/serve.out" serve -addr 127.0.0.1:0
node .ci/browser/echo_page.js "$url/" "$shots/echo-page.png" permessage-deflate
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
serve "$tmp/serve.out" serve -addr 127.0.0.1:0 -deflate=false
node .ci/browser/echo_page.js "$url/" "$shots/echo-page-no-deflate.png" none
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=

# suite OUT [serve-cases flags...]: runs the client suite in Chromium and
# returns serve-cases' exit status.
suite() {
	local out=$1; shift
	serve "$tmp/cases.out" serve-cases -addr 127.0.0.1:0 -exit-on-report -report "$out" -exclude "$(heavy_cases)" "$@"
	local page=0
	node .ci/browser/client_suite.js "$url/" chromium "$shots/client-suite.png" || page=$?
	if [ "$page" != 0 ]; then
		# serve-cases waits for the page's /updateReports, which will not
		# come.
		echo "browser: the suite page failed (exit $page)" >&2
		kill "$pid" 2>/dev/null || true
	fi
	local status=0
	wait "$pid" || status=$?
	pid=
	[ "$page" = 0 ] || return 1
	return "$status"
}

echo "-- the client suite in Chromium"
baseline=conformance/peers/chromium-client.json
if [ "$update" = update ]; then
	for run in 1 2 3; do
		suite "$tmp/chromium-$run" || true
	done
	sed -n '/^agent/,/^total/p' "$tmp/cases.out"
	# Like python-websockets, Chromium handles what arrives in one segment
	# before it echoes: cases with both OK and NON-STRICT expectations land on
	# either.
	/usr/bin/python3 .ci/peers/baseline.py --timing "$baseline" "$tmp/chromium-1/index.json" "$tmp/chromium-2/index.json" "$tmp/chromium-3/index.json"
	exit 0
fi
suite "$tmp/chromium" -expect "$baseline" || {
	cat "$tmp/cases.out"; echo "browser: Chromium's verdicts differ from $baseline" >&2; exit 1; }
tail -n 1 "$tmp/cases.out"
