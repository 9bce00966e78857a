//go:build race

package codec

// raceEnabled is true when the tests run under the race detector, whose
// instrumentation allocates, so that allocation counts are skipped.
const raceEnabled = true
