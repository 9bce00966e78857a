#!/usr/bin/env bash
# .ci/browser.sh: the echo page of wskit serve in headless Chromium. It
# installs Debian's chromium and npm's playwright-core (into a temporary
# folder), starts wskit serve on a free loopback port, and runs
# .ci/browser/echo_page.js, which sends text in every length class through
# the page and checks every echo. The screenshot's path is printed; set
# WSKIT_SCREENSHOT to keep it somewhere else than the temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

if ! command -v chromium >/dev/null; then
	apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
playwright_version=1.65.2
npm install --prefix "$tmp/node" --no-audit --no-fund --loglevel=error "playwright-core@$playwright_version" >/dev/null

go build -o "$tmp/wskit" ./cmd/wskit
"$tmp/wskit" serve -addr 127.0.0.1:0 >"$tmp/serve.out" 2>&1 &
pid=$!
url=
for _ in $(seq 100); do
	url=$(grep -o 'echo page: http://[^)]*' "$tmp/serve.out" | head -n 1 | cut -d' ' -f3 || true)
	[ -n "$url" ] && break
	sleep 0.1
done
[ -n "$url" ] || { echo "browser: wskit serve did not start:" >&2; cat "$tmp/serve.out" >&2; exit 1; }

shot=${WSKIT_SCREENSHOT:-$(mktemp -d)/echo-page.png}
NODE_PATH="$tmp/node/node_modules" node .ci/browser/echo_page.js "$url" "$shot"
