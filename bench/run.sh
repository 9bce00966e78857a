#!/usr/bin/env bash
# bench/run.sh: run the side-by-side benchmarks.
#
#   bash bench/run.sh -quick   go.mod tidy, vet, the agreement tests and every
#                              benchmark once (-benchtime=1x): that nothing
#                              rotted (CI runs this; under a minute)
#   bash bench/run.sh          the measurement behind BENCHMARKS.md: PASSES
#                              interleaved passes (default 6, the fewest for
#                              which benchstat gives a confidence interval)
#                              of every benchmark at BENCHTIME (default
#                              300ms), then benchstat; 7-10 minutes on 2 cores
#
# The full run writes to OUT (default bench/testdata/benchmarks):
#   raw.txt        the benchmark output of every pass, for benchstat
#   env.txt        date, machine, Go version, and the load average before and
#                  after each pass (kept out of raw.txt, where benchstat would
#                  read "key: value" lines as configuration)
#   benchstat.txt  benchstat -col /lib, one table per benchmark family
#
# Passes are interleaved (each pass runs every benchmark once, as -count=1)
# rather than -count=PASSES, so that a burst of other work on a shared machine
# lands on one sample of every benchmark instead of on every sample of one;
# benchstat sees PASSES samples per row either way.
set -euo pipefail
cd "$(dirname "$0")"

benchstat_version=v0.0.0-20260908200009-22c9c6c9d4da

if [ "${1:-}" = "-quick" ]; then
	go mod tidy -diff
	go vet ./...
	go test -count=1 -bench=. -benchtime=1x ./...
	exit 0
fi
if [ $# -gt 0 ]; then
	echo "usage: bash bench/run.sh [-quick]" >&2
	exit 2
fi

passes=${PASSES:-6}
benchtime=${BENCHTIME:-300ms}
out=${OUT:-testdata/benchmarks}
mkdir -p "$out"
bin=$(mktemp -d)/bench.test
go test -c -o "$bin" .

{
	echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		echo "commit: $(git rev-parse HEAD)$(git diff --quiet HEAD -- .. || echo ' (plus uncommitted changes)')"
	else
		echo "commit: ${COMMIT:-unknown}"
	fi
	echo "nproc: $(nproc)"
	echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
	echo "go: $(go version)"
	echo "command: $bin -test.run='^\$' -test.bench=. -test.benchmem -test.benchtime=$benchtime, $passes passes"
} >"$out/env.txt"
: >"$out/raw.txt"
for i in $(seq "$passes"); do
	echo "pass $i before: $(uptime)" | tee -a "$out/env.txt"
	"$bin" -test.run='^$' -test.bench=. -test.benchmem -test.benchtime="$benchtime" -test.timeout=60m | tee -a "$out/raw.txt"
	echo "pass $i after: $(uptime)" | tee -a "$out/env.txt"
done

{
	for family in Mask Header UTF8 Decode Encode Echo EchoIdle; do
		echo "## $family"
		echo
		go run "golang.org/x/perf/cmd/benchstat@$benchstat_version" -col /lib -filter ".name:$family" "$out/raw.txt"
		echo
	done
} >"$out/benchstat.txt"
echo "wrote $out/raw.txt, $out/env.txt and $out/benchstat.txt"
